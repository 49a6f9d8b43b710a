// `kutsu plan FILE… [--now RFC3339] [--until DATE] [--format text|json]`: print every
// notification the files produce, in due order (plan_output.h).
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "console/plan_output.h"
#include "daemon/commands.h"
#include "model/time_format.h"
#include "service/series_files.h"

namespace kutsu::daemon {
namespace {

struct PlanArguments {
  std::vector<std::string> files;
  std::string now;
  std::string until;
  std::string format = "text";
};

std::optional<date::local_days> parse_until(const std::string& text) {
  std::istringstream in(text);
  date::local_days day;
  in >> date::parse("%F", day);
  if (in.fail() || in.peek() != std::char_traits<char>::eof()) return std::nullopt;
  return day;
}

}  // namespace

void add_plan_command(CLI::App& app, int* exit_code) {
  CLI::App* command =
      app.add_subcommand("plan", "Print every notification the series files produce, in due order");
  command->footer(
      "text (default) is for people: per series a summary, the invitation, then each session\n"
      "with one line per moment, kind and channel (recipients listed when at most 3).\n"
      "json is a single array of objects sorted by due then id, with the keys id, series,\n"
      "session, kind, offset, channel, recipient, due (UTC) and due_local (series zone).\n"
      "With --now, each notification is judged as a daemon would at that instant (misfire\n"
      "grace PT15M): pending (not yet due), overdue (late but still sent: a reminder at most\n"
      "15 minutes late before its session starts; an invitation or cancellation until its\n"
      "session, or the series, has ended) or missed. JSON gets a \"state\" key.\n"
      "Recurring sessions are planned up to --until DATE (in each series' zone), or else\n"
      "400 days ahead of --now or of the present, like the daemon's plan_horizon.\n"
      "Problems go to stderr as FILE:LINE:COLUMN: error: MESSAGE and nothing is printed.\n"
      "Exit status: 0 planned, 1 a file is invalid or the output failed, 2 usage error.");
  auto args = std::make_shared<PlanArguments>();
  command->add_option("FILE", args->files, "Series file(s) (.toml)")->required();
  command
      ->add_option("--now", args->now,
                   "Judge each notification as at this instant, e.g. 2022-02-01T12:00:00Z")
      ->check(CLI::Validator(
          [](std::string& text) {
            Result<date::sys_seconds> now = model::parse_rfc3339(text);
            return now ? std::string() : now.error().message;
          },
          "RFC3339"));
  command
      ->add_option("--until", args->until,
                   "Plan recurring sessions up to this date, e.g. 2027-06-30")
      ->check(CLI::Validator(
          [](std::string& text) {
            return parse_until(text) ? std::string()
                                     : "'" + text + "' is not a date like 2027-06-30";
          },
          "DATE"));
  command->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();

  command->callback([args, exit_code] {
    agenda::SeriesOptions series_options = agenda::SeriesOptions::from_clock();
    if (!args->now.empty()) {
      series_options.until = agenda::PlanUntil::horizon(*model::parse_rfc3339(args->now));
    }
    if (!args->until.empty()) series_options.until = agenda::PlanUntil{*parse_until(args->until)};
    service::PlannedFiles planned = service::load_and_plan(args->files, std::cerr, series_options);
    if (!planned.all_valid) {
      *exit_code = 1;
      return;
    }
    console::PlanOutputOptions options;
    if (!args->now.empty()) options.now = *model::parse_rfc3339(args->now);  // validated
    std::vector<const scheduler::Plan*> plans;
    for (const auto& valid : planned.valid) plans.push_back(&valid->plan);

    Status written = args->format == "json" ? console::write_plan_json(plans, options, stdout)
                                            : console::write_plan_text(plans, options, stdout);
    if (!written) {
      std::cerr << "kutsu plan: " << written.error().message << '\n';
      *exit_code = 1;
      return;
    }
    *exit_code = 0;
  });
}

}  // namespace kutsu::daemon
