#include "console/preview_files.h"

#include <fstream>
#include <string_view>

#include <date/date.h>

namespace kutsu::console {
namespace {

// A recipient as part of a file name: addresses and endpoint names keep
// their readable characters; anything that could leave DIR becomes '_'.
std::string file_safe(std::string_view text) {
  std::string out;
  for (char c : text) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '-' || c == '_' || c == '@' || c == '+';
    out += keep ? c : '_';
  }
  if (out.empty() || out.front() == '.') out.insert(out.begin(), '_');
  return out;
}

Status write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Error{"cannot write " + path.string()};
  return {};
}

}  // namespace

std::string preview_file_name(const model::Notification& notification) {
  std::string name = date::format("%Y-%m-%dT%H%M%SZ", notification.due);
  name += '-';
  name += model::to_string(notification.kind);
  name += '-';
  name += file_safe(notification.recipient);
  name += '-';
  name += notification.id.to_string().substr(0, 8);
  name += notification.channel == agenda::Channel::email ? ".eml" : ".json";
  return name;
}

void PreviewFiles::add(const std::filesystem::path& source, const model::Notification& notification,
                       const Result<std::string>& bytes) {
  Status written = bytes ? write_file(dir_ / preview_file_name(notification), *bytes) : bytes.error();
  if (!written) {
    errors_ << source.string() << ": error: " << notification.id.to_string() << ": "
            << written.error().message << '\n';
    failed_ = true;
    return;
  }
  ++(notification.channel == agenda::Channel::email ? emails_ : webhooks_);
}

std::string PreviewFiles::summary(std::size_t series) const {
  return "kutsu preview: wrote " + std::to_string(emails_) + " e-mails and " +
         std::to_string(webhooks_) + " webhook calls for " + std::to_string(series) +
         " series to " + dir_.string();
}

}  // namespace kutsu::console
