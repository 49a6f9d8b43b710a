#include "console/store_copy.h"

#include <filesystem>
#include <string_view>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "base/listen_address.h"
#include "console/admin_address_file.h"

namespace kutsu::console {
namespace {

// What one table's rows are called in the summary, singular and plural.
std::string rows_named(std::string_view table, std::int64_t rows) {
  const bool one = rows == 1;
  std::string noun;
  if (table == "notifications") noun = one ? "notification" : "notifications";
  else if (table == "attempts") noun = one ? "attempt" : "attempts";
  else if (table == "series_versions") noun = one ? "series version" : "series versions";
  else if (table == "session_versions") noun = one ? "session version" : "session versions";
  else if (table == "opt_outs") noun = one ? "opt-out" : "opt-outs";
  else if (table == "settings") noun = one ? "setting" : "settings";
  else return "";  // plan_generation: one row, not worth a word
  return grouped(rows) + " " + noun;
}

}  // namespace

std::string grouped(std::int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
  return value < 0 ? "-" + digits : digits;
}

std::string copy_summary(const store::CopySummary& copied, const store::OutboxLocation& from,
                         const store::OutboxLocation& to) {
  std::string parts;
  for (const store::CopiedTable& table : copied.tables) {
    std::string part = rows_named(table.table, table.rows);
    if (!part.empty()) parts += (parts.empty() ? "" : ", ") + part;
  }
  return "copied " + parts + " from " + from.describe() + " to " + to.describe();
}

void CopyProgressLine::show(const store::CopyProgress& progress) {
  if (!terminal_ || progress.total == 0) return;
  std::string noun(progress.table);
  for (char& c : noun) if (c == '_') c = ' ';
  out_ << "\rcopied " << grouped(progress.copied) << " of " << grouped(progress.total) << " "
       << noun << "\x1b[K" << std::flush;
  shown_ = true;
}

void CopyProgressLine::end() {
  if (shown_) out_ << "\r\x1b[K" << std::flush;
  shown_ = false;
}

Status refuse_serving_daemon(const store::OutboxLocation& location) {
  if (location.kind != store::OutboxLocation::Kind::sqlite) return {};
  const std::filesystem::path state_dir = location.file.parent_path().empty()
                                              ? std::filesystem::path(".")
                                              : location.file.parent_path();
  Result<std::string> address = read_admin_address(state_dir);
  if (!address) return {};  // no file: no daemon said it serves here
  Result<ListenAddress> parsed = ListenAddress::parse(*address);
  if (!parsed) return {};
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  boost::system::error_code error;
  const auto ip = boost::asio::ip::make_address(parsed->host, error);
  if (error) return {};
  static_cast<void>(socket.connect({ip, parsed->port}, error));
  if (error) return {};  // left behind by a daemon that is gone
  return Error{"a kutsu serve is running on " + location.describe() + " (its admin API answers at " +
                   *address + "): stop it first (systemctl stop kutsu)",
               ErrorCode::conflict};
}

}  // namespace kutsu::console
