// `kutsu preview FILE… --out DIR [--from ADDR]`: render every notification
// the files plan into DIR without sending anything — one .eml per e-mail
// (the exact bytes SMTP would carry) and one .json per webhook call, named
// and written by console/preview_files.h; rendered as if sent on time and
// without a store's history (service/preview_render.h).
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>

#include "console/preview_files.h"
#include "daemon/commands.h"
#include "notifier/mime_builder.h"
#include "service/preview_render.h"
#include "service/series_files.h"

namespace kutsu::daemon {
namespace {

struct PreviewArguments {
  std::vector<std::string> files;
  std::string out;
  std::string from;
};

}  // namespace

void add_preview_command(CLI::App& app, int* exit_code) {
  CLI::App* command = app.add_subcommand(
      "preview", "Render every message the series files plan into a directory, sending nothing");
  command->footer(
      "Writes one .eml per e-mail (exactly the bytes SMTP would send; open them in any mail\n"
      "reader) and one .json per webhook call (the request body) into DIR, created if needed.\n"
      "Names sort by due time: DUE-KIND-RECIPIENT-ID.eml, e.g.\n"
      "2022-01-19T070000Z-invitation-matti.virtanen@example.org-3603c03c.eml.\n"
      "Each message is dated at its due time. From is the series organiser unless --from\n"
      "is given (the daemon uses [email].from).\n"
      "Problems go to stderr as FILE:LINE:COLUMN: error: MESSAGE.\n"
      "Exit status: 0 rendered, 1 a file is invalid or a message could not be written,\n"
      "2 usage error.");
  auto args = std::make_shared<PreviewArguments>();
  command->add_option("FILE", args->files, "Series file(s) (.toml)")->required();
  command->add_option("--out", args->out, "Directory for the .eml and .json files")->required();
  command->add_option("--from", args->from, "Sender, e.g. \"Webinaarit <webinaarit@example.org>\"");

  command->callback([args, exit_code] {
    if (!args->from.empty()) {
      if (Result<notifier::Mailbox> from = notifier::parse_mailbox(args->from); !from) {
        std::cerr << "kutsu preview: --from: " << from.error().message << '\n';
        *exit_code = 2;
        return;
      }
    }
    service::PlannedFiles planned = service::load_and_plan(args->files, std::cerr);
    if (!planned.all_valid) {
      *exit_code = 1;
      return;
    }
    std::error_code error;
    std::filesystem::create_directories(args->out, error);
    if (error) {
      std::cerr << "kutsu preview: cannot create " << args->out << ": " << error.message() << '\n';
      *exit_code = 1;
      return;
    }
    const notifier::Renderer renderer{notifier::TemplateSource{}};
    console::PreviewFiles files(args->out, std::cerr);
    for (const auto& series : planned.valid) {
      service::render_preview(*series, renderer, args->from,
                              [&](const model::Notification& notification, Result<std::string> bytes) {
                                files.add(series->file, notification, bytes);
                              });
    }
    std::cout << files.summary(planned.valid.size()) << '\n';
    std::cout.flush();
    *exit_code = files.failed() || !std::cout.good() ? 1 : 0;
  });
}

}  // namespace kutsu::daemon
