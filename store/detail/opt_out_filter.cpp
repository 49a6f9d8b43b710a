#include "store/detail/opt_out_filter.h"

#include "base/ascii.h"
#include "store/detail/database.h"

namespace kutsu::store::detail {

void OptOutFilter::read(Database& db, std::string_view series_id) {
  clear();
  Statement select = db.prepare("SELECT recipient, scope FROM opt_outs WHERE series_id = ?1");
  select.bind(1, series_id);
  while (select.step()) {
    add(select.text(0), parse_opt_out_scope(select.text_view(1)).value_or(OptOutScope::all));
  }
}

bool OptOutFilter::excludes(std::string_view kind, std::string_view channel,
                            std::string_view recipient) const {
  if (scopes_.empty() || channel != "email") return false;
  auto found = scopes_.find(ascii_lowercase(recipient));
  if (found == scopes_.end()) return false;
  return found->second == OptOutScope::all || kind == "reminder";
}

}  // namespace kutsu::store::detail
