#include "notifier/detail/template_render.h"

namespace kutsu::notifier::detail {
namespace {

using Mustache = kainjow::mustache::mustache;

// A kainjow context whose partials come from `partials` instead of the data.
class PartialsContext : public kainjow::mustache::context<std::string> {
 public:
  PartialsContext(const MustacheData* view, const Partials& partials)
      : kainjow::mustache::context<std::string>(view) {
    for (const auto& [name, tmpl] : partials) {
      // `{{> session}}` stands on its own line, and that line's newline
      // follows the partial; the file's own final newline would double it.
      std::string_view text = tmpl.text;
      if (text.ends_with('\n')) text.remove_suffix(1);
      partials_.emplace(name, MustacheData{std::string{text}});
    }
  }

  const MustacheData* get_partial(const std::string& name) const override {
    auto it = partials_.find(name);
    return it == partials_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, MustacheData, std::less<>> partials_;
};

// Kainjow reports a partial's error without saying which file it was in.
std::string origin_of_error(const TemplateText& tmpl, const Partials& partials) {
  for (const auto& [name, partial] : partials) {
    if (!Mustache{partial.text}.is_valid()) return partial.origin;
  }
  return tmpl.origin;
}

}  // namespace

Result<std::string> render_template(const TemplateText& tmpl, const MustacheData& view,
                                    const Partials& partials, Escaping escaping) {
  Mustache compiled{tmpl.text};
  if (!compiled.is_valid()) return Error{tmpl.origin + ": " + compiled.error_message()};
  if (escaping == Escaping::none) {
    compiled.set_custom_escape([](const std::string& text) { return text; });
  }
  PartialsContext context{&view, partials};
  std::string out = compiled.render(context);
  if (!compiled.is_valid()) {
    return Error{origin_of_error(tmpl, partials) + ": " + compiled.error_message()};
  }
  return out;
}

}  // namespace kutsu::notifier::detail
