#include "importer/import_file.h"

#include <iconv.h>

#include <cerrno>
#include <memory>

#include "base/input_file.h"
#include "importer/detail/utf8.h"
#include "importer/ics_import.h"
#include "importer/text_import.h"

namespace kutsu::importer {
namespace {

constexpr InputFileKind kImportSource{"an announcement or calendar to import", 2 * 1024 * 1024};

int line_of(std::string_view text, std::size_t offset) {
  int line = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

// Windows-1252 to UTF-8 through iconv. Fails on the five bytes the code page
// leaves undefined, which then say the file is in some other encoding.
Result<std::string> from_windows_1252(std::string_view text) {
  const std::unique_ptr<void, int (*)(iconv_t)> cd(iconv_open("UTF-8", "WINDOWS-1252"), iconv_close);
  if (cd.get() == reinterpret_cast<iconv_t>(-1)) return Error{"iconv cannot convert from Windows-1252"};
  std::string out(text.size() * 3 + 4, '\0');
  char* in_ptr = const_cast<char*>(text.data());
  std::size_t in_left = text.size();
  char* out_ptr = out.data();
  std::size_t out_left = out.size();
  if (iconv(cd.get(), &in_ptr, &in_left, &out_ptr, &out_left) == static_cast<std::size_t>(-1)) {
    return Error{"byte " + std::to_string(in_ptr - text.data() + 1) + " is not Windows-1252 either"};
  }
  out.resize(out.size() - out_left);
  return out;
}

bool is_calendar(std::string_view text) {
  const auto start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return false;
  auto head = text.substr(start, 15);
  std::string upper;
  for (char c : head) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return upper == "BEGIN:VCALENDAR";
}

ImportLoad failure(const std::string& file, SourcePos pos, std::string message) {
  ImportLoad load;
  load.diagnostics.push_back(Diagnostic{file, pos, std::move(message)});
  return load;
}

}  // namespace

ImportLoad import_file(const std::filesystem::path& path, const ImportOptions& options) {
  const std::string file = path.string();
  auto bytes = read_input_file(path, kImportSource);
  if (!bytes) return failure(file, {}, bytes.error().message);
  std::string text = std::move(*bytes);
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);

  std::string converted_note;
  if (const auto bad = detail::first_invalid_utf8(text); bad != std::string_view::npos) {
    auto converted = from_windows_1252(text);
    if (!converted) {
      return failure(file, {line_of(text, bad), 0},
                     "the file is not UTF-8 text (a byte that no UTF-8 character starts with); "
                     "save it as UTF-8 (\"Unicode\") and import it again");
    }
    text = std::move(*converted);
    converted_note = "The source was not UTF-8; it was read as Windows-1252 (as Word saves text).";
  }
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return failure(file, {}, "the file is empty: there is nothing to import");
  }

  auto load = is_calendar(text) ? import_ics(text, file, options) : import_text(text, file, options);
  if (load.draft) {
    load.draft->source = path.filename().string();
    if (!converted_note.empty()) load.draft->notes.insert(load.draft->notes.begin(), converted_note);
  }
  return load;
}

}  // namespace kutsu::importer
