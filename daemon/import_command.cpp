// `kutsu import FILE`: an announcement text or a calendar file read into a
// series TOML for the organiser to finish (importer/). The command only
// gathers the options, checks them and writes the result.
#include <date/tz.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <regex>

#include "daemon/commands.h"
#include "importer/import_file.h"
#include "importer/series_writer.h"

namespace kutsu::daemon {
namespace {

struct ImportArguments {
  std::string file;
  std::optional<int> year;
  std::string timezone;
  std::string language;
  std::string id;
  std::string out;
};

// The options as the importer takes them, or the sentence saying which is wrong.
Result<importer::ImportOptions> import_options(const ImportArguments& arguments) {
  importer::ImportOptions options;
  options.year = arguments.year;
  options.id = arguments.id;
  options.today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  if (!arguments.timezone.empty()) {
    try {
      (void)date::locate_zone(arguments.timezone);
    } catch (const std::runtime_error&) {
      return Error{"--timezone: unknown time zone \"" + arguments.timezone + "\" (an IANA name such as Europe/Helsinki)"};
    }
    options.timezone = arguments.timezone;
  }
  if (!arguments.language.empty()) {
    options.language = agenda::parse_language(arguments.language);
    if (!options.language) return Error{"--language: \"" + arguments.language + "\" is not fi, sv or en"};
  }
  static const std::regex id_pattern("[a-z0-9][a-z0-9-]{0,63}");
  if (!arguments.id.empty() && !std::regex_match(arguments.id, id_pattern)) {
    return Error{"--id: \"" + arguments.id + "\" is not an id (lowercase letters, digits and -, at most 64)"};
  }
  return options;
}

Status write_output(const std::string& path, const std::string& toml) {
  if (path.empty()) {
    std::cout << toml;
    std::cout.flush();
    return std::cout.good() ? Status() : Status(Error{"cannot write to standard output"});
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << toml;
  out.close();
  if (!out) return Error{path + ": cannot write the series file"};
  return {};
}

int run_import(const ImportArguments& arguments) {
  auto options = import_options(arguments);
  if (!options) {
    std::cerr << "kutsu import: " << options.error().message << "\n";
    return 2;
  }
  const auto load = importer::import_file(arguments.file, *options);
  for (const auto& diagnostic : load.diagnostics) std::cerr << diagnostic.to_string() << "\n";
  if (!load.draft) return 1;
  if (auto written = write_output(arguments.out, importer::write_series_toml(*load.draft)); !written) {
    std::cerr << "kutsu import: " << written.error().message << "\n";
    return 1;
  }
  if (!arguments.out.empty()) {
    std::cerr << arguments.out << ": " << load.draft->sessions.size()
              << " sessions imported; fill in the TODO lines, then run: kutsu check " << arguments.out << "\n";
  }
  return 0;
}

}  // namespace

void add_import_command(CLI::App& app, int* exit_code) {
  CLI::App* command =
      app.add_subcommand("import", "Turn an announcement text or a calendar (.ics) into a series file");
  command->footer(
      "Writes a series TOML to stdout (or --out FILE) for you to finish: what the source\n"
      "cannot say (the id, the organiser, the join link, the participants) is a # TODO line,\n"
      "and text that could not be placed is kept as comments. Once the TODOs are filled,\n"
      "`kutsu check` accepts the file.\n"
      "Exit status: 0 imported, 1 the source cannot be read or contradicts itself\n"
      "(FILE:LINE: error: … on stderr), 2 usage error.");
  auto arguments = std::make_shared<ImportArguments>();
  command->add_option("FILE", arguments->file, "Announcement text (.txt or any text) or calendar (.ics)")->required();
  command->add_option("--year", arguments->year, "Year of dates written without one, until the text names one");
  command->add_option("--timezone", arguments->timezone, "IANA time zone of the series (default: from the source, "
                                                         "else Europe/Helsinki)");
  command->add_option("--language", arguments->language, "fi, sv or en (default: guessed from the text)");
  command->add_option("--id", arguments->id, "Series id (default: a TODO line)");
  command->add_option("--out", arguments->out, "Write the series file here instead of stdout");
  command->callback([arguments, exit_code] { *exit_code = run_import(*arguments); });
}

}  // namespace kutsu::daemon
