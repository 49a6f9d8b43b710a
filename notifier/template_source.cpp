#include "notifier/template_source.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

#include "notifier/detail/embedded_templates.h"

namespace kutsu::notifier {
namespace {

std::string relative_path(agenda::Language language, std::string_view name) {
  std::string path{agenda::to_string(language)};
  path += '/';
  path += name;
  path += ".mustache";
  return path;
}

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error{"cannot read template " + path.string() + ": " + std::strerror(errno)};
  }
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) {
    return Error{"cannot read template " + path.string() + ": " + std::strerror(errno)};
  }
  return text;
}

}  // namespace

std::optional<std::string_view> TemplateSource::built_in(agenda::Language language,
                                                         std::string_view name) {
  const std::string path = relative_path(language, name);
  for (const detail::EmbeddedTemplate& entry : detail::embedded_templates()) {
    if (entry.path == path) return entry.text;
  }
  return std::nullopt;
}

Result<TemplateText> TemplateSource::load(const std::optional<std::filesystem::path>& series_dir,
                                          agenda::Language language, std::string_view name) const {
  const std::string relative = relative_path(language, name);
  if (series_dir) {
    const std::filesystem::path candidate = *series_dir / relative;
    std::error_code error;
    const bool exists = std::filesystem::exists(candidate, error);
    if (error) {
      return Error{"cannot look for template " + candidate.string() + ": " + error.message()};
    }
    if (exists) {
      if (!std::filesystem::is_regular_file(candidate, error)) {
        return Error{"template " + candidate.string() + " is not a regular file"};
      }
      Result<std::string> text = read_file(candidate);
      if (!text) return text.error();
      return TemplateText{std::move(text).value(), candidate.string()};
    }
  }
  std::optional<std::string_view> text = built_in(language, name);
  if (!text) return Error{"no template " + relative};
  return TemplateText{std::string{*text}, "built-in " + relative};
}

}  // namespace kutsu::notifier
