// TemplateSource: finds the mustache text of one message part.
//
// Templates are named `<language>/<name>.mustache`, where name is
// `<kind>.subject`, `<kind>.txt` or `<kind>.html` for the kinds invitation,
// reminder, update and cancellation, plus the partials `session.txt` and
// `session.html` (one session's block, shared by all kinds and used for the
// calendar DESCRIPTION).
//
// Lookup order: the series' own directory (`templates = "dir"` in the series
// file, Series::templates_dir; the same layout: `<dir>/fi/reminder.txt.mustache`),
// then the defaults compiled
// into the binary from notifier/templates/ (so `kutsu` needs no installed
// files; the same files are installed to share/kutsu/templates as examples
// for organisers). An override replaces one file; the others stay default.
//
// A missing override file is not an error; an override that exists but
// cannot be read is, so that a permissions mistake does not silently send
// the default text. Thread-safe: the object holds no mutable state, and
// override files are read anew on every call so an organiser's edit takes
// effect without a restart.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "agenda/language.h"
#include "base/result.h"

namespace kutsu::notifier {

struct TemplateText {
  std::string text;
  std::string origin;  // the file it came from, or "built-in fi/reminder.txt.mustache"
};

class TemplateSource {
 public:
  TemplateSource() = default;

  // The template `name` (e.g. "reminder.txt") in `language`.
  Result<TemplateText> load(const std::optional<std::filesystem::path>& series_dir,
                            agenda::Language language, std::string_view name) const;

  // Only the compiled-in default; empty when there is none.
  static std::optional<std::string_view> built_in(agenda::Language language, std::string_view name);
};

}  // namespace kutsu::notifier
