#include "notifier/template_source.h"

#include <system_error>

#include "base/input_file.h"
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
      Result<std::string> text = read_input_file(candidate, kTemplateFile);
      if (!text) return Error{"template: " + text.error().message};
      return TemplateText{std::move(text).value(), candidate.string()};
    }
  }
  std::optional<std::string_view> text = built_in(language, name);
  if (!text) return Error{"no template " + relative};
  return TemplateText{std::string{*text}, "built-in " + relative};
}

}  // namespace kutsu::notifier
