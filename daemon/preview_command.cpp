// `kutsu preview FILE… --out DIR [--from ADDR]`: render every notification
// the files plan into DIR without sending anything — one .eml per e-mail
// (the exact bytes SMTP would carry) and one .json per webhook call, named
// and written by console/preview_files.h. Each message is rendered as if
// sent on time: its Date header and DTSTAMP are its due time, so a preview
// is the same on every run. Without a store
// there is no history: sessions are at SEQUENCE 0, cancelled ones at 1 (one
// change after the invitation). Webhook endpoints are only names here; their
// URLs and secrets live in the daemon config and are not needed.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>

#include "console/preview_files.h"
#include "daemon/commands.h"
#include "daemon/series_files.h"
#include "notifier/mime_builder.h"
#include "notifier/renderer.h"

namespace kutsu::daemon {
namespace {

struct PreviewArguments {
  std::vector<std::string> files;
  std::string out;
  std::string from;
};

std::string organiser_mailbox(const agenda::Series& series) {
  return series.organiser.name.empty()
             ? series.organiser.email
             : series.organiser.name + " <" + series.organiser.email + ">";
}

// The bytes a notification becomes: the whole message, or the JSON body.
Result<std::string> render(const notifier::Renderer& renderer,
                           const model::Notification& notification,
                           const notifier::RenderContext& context) {
  if (notification.channel == agenda::Channel::email) {
    Result<notifier::EmailMessage> message = renderer.render_email(notification, context);
    if (!message) return message.error();
    return std::move(message->bytes);
  }
  Result<notifier::WebhookCall> call = renderer.render_webhook(notification, context);
  if (!call) return call.error();
  return std::move(call->body);
}

void render_series(const service::LoadedSeries& planned, const PreviewArguments& args,
                   const notifier::Renderer& renderer, console::PreviewFiles& files) {
  const agenda::Series& series = planned.series;
  notifier::RenderContext context;
  context.from = args.from.empty() ? organiser_mailbox(series) : args.from;
  context.revision = [&series](std::string_view session_id) {
    notifier::SessionRevision revision;
    for (const agenda::Session& session : series.sessions) {
      if (session.id == session_id && session.cancelled) revision.sequence = 1;
    }
    return revision;
  };
  for (const model::Notification& notification : planned.plan.notifications) {
    context.now = notification.due;
    files.add(planned.file, notification, render(renderer, notification, context));
  }
}

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
    PlannedFiles planned = load_and_plan(args->files, std::cerr);
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
    for (const auto& series : planned.valid) render_series(*series, *args, renderer, files);
    std::cout << files.summary(planned.valid.size()) << '\n';
    std::cout.flush();
    *exit_code = files.failed() || !std::cout.good() ? 1 : 0;
  });
}

}  // namespace kutsu::daemon
