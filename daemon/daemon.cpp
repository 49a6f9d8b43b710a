#include "daemon/daemon.h"

#include <csignal>
#include <filesystem>
#include <set>
#include <string>
#include <utility>

#include <openssl/evp.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>

#include "daemon/catalog_sender.h"
#include "daemon/series_catalog.h"
#include "daemon/service_notifier.h"
#include "notifier/maildir_writer.h"
#include "notifier/renderer.h"
#include "notifier/smtp_delivery_pool.h"
#include "notifier/smtp_transport.h"
#include "notifier/webhook_transport.h"
#include "scheduler/dispatcher.h"
#include "scheduler/misfire_rule.h"
#include "scheduler/outbox_rows.h"
#include "scheduler/session_changes.h"
#include "scheduler/shifted_clock.h"
#include "store/outbox.h"

namespace kutsu::cli {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += (text.empty() ? "" : "\n") + line;
  return text;
}

notifier::StartTls starttls_of(config::StartTls starttls) {
  switch (starttls) {
    case config::StartTls::required:
      return notifier::StartTls::required;
    case config::StartTls::opportunistic:
      return notifier::StartTls::opportunistic;
    case config::StartTls::off:
      return notifier::StartTls::off;
  }
  return notifier::StartTls::required;
}

// The config holds the decoded signing key; the transport takes the
// "whsec_" + base64 form the Standard Webhooks secret is written in.
std::string whsec_of(const config::Secret& key) {
  const std::string& bytes = key.reveal();
  std::string encoded(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                     reinterpret_cast<const unsigned char*>(bytes.data()),
                                     static_cast<int>(bytes.size()));
  encoded.resize(static_cast<std::size_t>(length));
  return "whsec_" + encoded;
}

std::string_view signal_name(int signal) {
  switch (signal) {
    case SIGTERM:
      return "SIGTERM";
    case SIGINT:
      return "SIGINT";
    case SIGHUP:
      return "SIGHUP";
    default:
      return "signal";
  }
}

}  // namespace

struct Daemon::State {
  explicit State(DaemonOptions daemon_options) : options(std::move(daemon_options)) {
    if (options.clock_start) {
      clock = std::make_unique<scheduler::ShiftedClock>(*options.clock_start);
    } else {
      clock = std::make_unique<scheduler::SystemClock>();
    }
  }

  store::Instant now() const { return std::chrono::floor<std::chrono::seconds>(clock->now()); }
  const config::DaemonConfig& config() const { return options.config; }

  Status open_store();
  Status make_transports();
  Status load_series(bool startup);
  Status apply_session_changes(const LoadedSeries& series);
  Status store_series(const LoadedSeries& series, const FileLoad& file, bool startup,
                      store::Instant at);
  void await_signal();
  std::string status_line();

  DaemonOptions options;
  asio::io_context io{1};
  asio::thread_pool disk{1};  // maildir writes: fsync must not block the loop
  std::unique_ptr<scheduler::Clock> clock;
  std::optional<store::Outbox> outbox;
  std::unique_ptr<SeriesCatalog> catalog;
  notifier::Renderer renderer{notifier::TemplateSource{}};
  std::unique_ptr<notifier::EmailDelivery> email;
  std::unique_ptr<notifier::WebhookDelivery> webhooks;
  std::unique_ptr<CatalogSender> sender;
  std::unique_ptr<scheduler::Dispatcher> dispatcher;
  std::optional<asio::signal_set> signals;
  ServiceNotifier systemd{io};
};

// For systemd's STATUS=: what is waiting and what went wrong, at a glance.
std::string Daemon::State::status_line() {
  Result<store::StateCounts> counts = outbox->state_counts();
  if (!counts) return "serving";
  using store::NotificationState;
  return "serving " + std::to_string(catalog->all().size()) + " series: " +
         std::to_string((*counts)[NotificationState::pending] +
                        (*counts)[NotificationState::retrying]) +
         " pending, " + std::to_string((*counts)[NotificationState::sent]) + " sent, " +
         std::to_string((*counts)[NotificationState::failed]) + " failed, " +
         std::to_string((*counts)[NotificationState::missed]) + " missed";
}

Status Daemon::State::open_store() {
  std::error_code error;
  fs::create_directories(config().daemon.state_dir, error);
  if (error) {
    return Error{config().daemon.state_dir.string() +
                 ": cannot create the state folder: " + error.message()};
  }
  Result<store::Outbox> opened = store::Outbox::open(store::outbox_file(config().daemon.state_dir));
  if (!opened) return opened.error();
  outbox.emplace(std::move(*opened));
  Result<std::size_t> recovered = outbox->recover_interrupted(now());
  if (!recovered) return recovered.error();
  if (*recovered > 0) {
    spdlog::warn("{} notifications were being sent when the daemon stopped; sending them again",
                 *recovered);
  }
  return {};
}

Status Daemon::State::make_transports() {
  const config::EmailSettings& mail = config().email;
  if (mail.transport == config::EmailTransport::smtp) {
    notifier::SmtpSettings settings;
    settings.url = mail.url;
    settings.starttls = starttls_of(mail.starttls);
    settings.username = mail.username.value_or("");
    if (mail.password) settings.password = mail.password->reveal();
    settings.max_connections = mail.max_connections;
    settings.timeout = config().delivery.timeout;
    // Its own loops: libcurl waits for the reply to the end of DATA
    // synchronously, which must not stall this loop (smtp_delivery_pool.h).
    Result<std::unique_ptr<notifier::SmtpDeliveryPool>> smtp =
        notifier::SmtpDeliveryPool::create(io, std::move(settings));
    if (!smtp) return smtp.error();
    email = std::move(*smtp);
    spdlog::info("e-mail goes to {}", mail.url);
  } else {
    email = std::make_unique<notifier::MaildirWriter>(io.get_executor(), disk.get_executor(),
                                                      mail.maildir);
    spdlog::info("e-mail goes to the maildir {}", mail.maildir.string());
  }

  if (!config().webhooks.empty()) {
    notifier::WebhookSettings settings;
    settings.timeout = config().delivery.timeout;
    for (const config::WebhookEndpoint& webhook : config().webhooks) {
      settings.endpoints.push_back({webhook.name, webhook.url, whsec_of(webhook.signing_key)});
    }
    Result<std::unique_ptr<notifier::WebhookTransport>> transport =
        notifier::WebhookTransport::create(io, std::move(settings), [this] { return now(); });
    if (!transport) return transport.error();
    webhooks = std::move(*transport);
  }
  return {};
}

// Session versions → SEQUENCE and update notices (scheduler/session_changes.h).
Status Daemon::State::apply_session_changes(const LoadedSeries& series) {
  const std::string& id = series.series.id;
  Result<std::vector<store::SessionVersion>> stored = outbox->session_versions(id);
  if (!stored) return stored.error();
  Result<std::vector<store::SessionStateCounts>> counts = outbox->session_state_counts(id);
  if (!counts) return counts.error();
  bool invitation_sent = false;
  for (const store::SessionStateCounts& group : *counts) {
    if (!group.session_id) invitation_sent = group.counts[store::NotificationState::sent] > 0;
  }
  scheduler::SessionChanges changes =
      scheduler::compare_sessions(series.plan, *stored, invitation_sent);
  for (const store::SessionVersion& version : changes.changed) {
    if (Status put = outbox->put_session_version(version); !put) return put;
    if (version.sequence > 0) {
      spdlog::info("series {}: session {} {} after the invitation went out (SEQUENCE {})", id,
                   version.session_id, version.cancelled ? "was cancelled" : "moved",
                   version.sequence);
    }
  }
  catalog->set_session_changes(id, std::move(changes.updates), std::move(changes.sequences));
  return {};
}

// Stores one valid series: its session changes, its plan (apply_plan), its
// version, and at start-up the misfire rule for what came due meanwhile.
Status Daemon::State::store_series(const LoadedSeries& series, const FileLoad& file, bool startup,
                                   store::Instant at) {
  const scheduler::MisfireRule misfire{config().daemon.misfire_grace};
  Status changes = apply_session_changes(series);
  if (!changes) return Error{file.file.string() + ": " + changes.error().message};
  std::vector<store::PlannedNotification> rows = scheduler::planned_rows(series.plan);
  for (store::PlannedNotification& update : scheduler::planned_rows(series.updates)) {
    rows.push_back(std::move(update));
  }
  Result<store::PlanDiff> diff = outbox->apply_plan(series.series.id, rows, at);
  if (!diff) return Error{file.file.string() + ": " + diff.error().message};
  Status put = outbox->put_series_version(
      store::SeriesVersion{series.series.id, file.content_hash, at, true, ""});
  if (!put) return put.error();
  spdlog::info(
      "series {} from {}: {} notifications ({} new, {} rescheduled, {} revived, {} superseded)",
      series.series.id, file.file.string(), rows.size(), diff->inserted, diff->rescheduled,
      diff->revived, diff->superseded.size());
  if (startup) {
    // What came due while the daemon was down (misfire rule, interfaces.md).
    const std::vector<std::string> late = scheduler::misfired_ids(series.plan, misfire, at);
    Result<std::size_t> missed = outbox->mark_missed(late, at);
    if (!missed) return missed.error();
    if (*missed > 0) {
      spdlog::warn(
          "series {}: {} notifications came due while the daemon was down and are "
          "too late to send (missed)",
          series.series.id, *missed);
    }
  }
  return {};
}

Status Daemon::State::load_series(bool startup) {
  const store::Instant at = now();
  Result<CatalogLoad> loaded = catalog->load_directory(config().daemon.series_dir);
  if (!loaded) return loaded.error();

  for (const FileLoad& file : loaded->files) {
    if (!file.errors.empty()) {
      for (const std::string& line : file.errors) spdlog::error("{}", line);
      spdlog::warn("{}: not loaded ({} problems){}", file.file.string(), file.errors.size(),
                   file.kept_previous ? "; its previous version stays in force" : "");
      if (file.series_id) {
        Status put = outbox->put_series_version(store::SeriesVersion{
            *file.series_id, file.content_hash, at, false, joined(file.errors)});
        if (!put) spdlog::error("outbox: {}", put.error().message);
      }
      continue;
    }
    const LoadedSeries& series = *catalog->series(*file.series_id);
    Status stored = store_series(series, file, startup, at);
    if (!stored) {
      // At start-up the daemon cannot vouch for what it would send; later,
      // the other files still get their reload.
      if (startup) return stored;
      spdlog::error("{}", stored.error().message);
    }
  }
  for (const std::string& removed : loaded->removed) {
    Result<store::PlanDiff> diff = outbox->apply_plan(removed, {}, at);
    if (!diff) return diff.error();
    spdlog::info("series {}: its file is gone; {} pending notifications superseded", removed,
                 diff->superseded.size());
  }
  return {};
}

void Daemon::State::await_signal() {
  signals->async_wait([this](const boost::system::error_code& error, int signal) {
    if (error) return;
    if (signal == SIGHUP) {
      spdlog::info("SIGHUP: reloading {}", config().daemon.series_dir.string());
      systemd.reloading();
      Status reloaded = load_series(false);
      if (!reloaded) spdlog::error("reload failed: {}", reloaded.error().message);
      dispatcher->wake();
      systemd.ready(status_line());
      await_signal();
      return;
    }
    spdlog::info("{}: stopping", signal_name(signal));
    systemd.stopping();
    dispatcher->stop([this] {
      systemd.stop_watchdog();
      spdlog::info("stopped");
      signals->cancel();
      io.stop();
    });
  });
}

Daemon::Daemon(DaemonOptions options) : state_(std::make_unique<State>(std::move(options))) {}

Daemon::~Daemon() = default;

int Daemon::run() {
  State& s = *state_;
  if (Status opened = s.open_store(); !opened) {
    spdlog::critical("cannot open the outbox: {}", opened.error().message);
    return 1;
  }
  if (Status made = s.make_transports(); !made) {
    spdlog::critical("cannot set up delivery: {}", made.error().message);
    return 1;
  }
  std::set<std::string, std::less<>> webhook_names;
  for (const config::WebhookEndpoint& webhook : s.config().webhooks)
    webhook_names.insert(webhook.name);
  s.catalog = std::make_unique<SeriesCatalog>(std::move(webhook_names));
  if (Status loaded = s.load_series(true); !loaded) {
    spdlog::critical("cannot load the series: {}", loaded.error().message);
    return 1;
  }

  s.sender = std::make_unique<CatalogSender>(s.io, *s.catalog, s.renderer, *s.email,
                                             s.webhooks.get(), s.config().email.from, *s.clock);
  scheduler::DispatcherSettings settings;
  settings.retry.max_attempts = s.config().delivery.max_attempts;
  settings.retry.backoff = s.config().delivery.backoff;
  s.dispatcher =
      std::make_unique<scheduler::Dispatcher>(s.io, *s.outbox, *s.clock, *s.sender, settings);
  s.signals.emplace(s.io, SIGTERM, SIGINT, SIGHUP);
  s.await_signal();
  s.dispatcher->start();

  Result<std::optional<store::Instant>> next = s.outbox->next_due();
  spdlog::info("serving {} series from {}; next due {}", s.catalog->all().size(),
               s.config().daemon.series_dir.string(),
               next && *next ? date::format("%FT%TZ", **next) : std::string("none"));
  s.systemd.ready(s.status_line());
  s.systemd.start_watchdog();
  s.io.run();
  s.disk.join();
  return 0;
}

}  // namespace kutsu::cli
