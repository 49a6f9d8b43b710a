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
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "admin/admin_server.h"
#include "daemon/catalog_sender.h"
#include "daemon/reload_queue.h"
#include "daemon/series_catalog.h"
#include "daemon/series_loader.h"
#include "daemon/service_notifier.h"
#include "notifier/maildir_writer.h"
#include "notifier/renderer.h"
#include "notifier/series_feed.h"
#include "notifier/smtp_delivery_pool.h"
#include "notifier/smtp_transport.h"
#include "notifier/webhook_transport.h"
#include "scheduler/dispatcher.h"
#include "scheduler/shifted_clock.h"
#include "store/outbox.h"

namespace kutsu::cli {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;

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

// The running daemon's parts, and what the admin API sees of them
// (admin::DaemonView: everything here runs on the one io thread).
struct Daemon::State final : admin::DaemonView {
  explicit State(DaemonOptions daemon_options) : options(std::move(daemon_options)) {
    if (options.clock_start) {
      clock = std::make_unique<scheduler::ShiftedClock>(*options.clock_start);
    } else {
      clock = std::make_unique<scheduler::SystemClock>();
    }
    started = now();
  }

  const config::DaemonConfig& config() const { return options.config; }

  Status open_store();
  Status make_transports();
  Status start_admin();
  void await_signal();
  void watch_store();
  std::string status_line();

  // admin::DaemonView
  store::Instant now() const override {
    return std::chrono::floor<std::chrono::seconds>(clock->now());
  }
  store::Instant started_at() const override { return started; }
  store::Outbox& outbox() override { return *store; }
  std::vector<admin::SeriesView> series() const override;
  std::optional<admin::SeriesView> series(std::string_view id) const override;
  Result<std::optional<std::string>> series_feed(std::string_view id) override;
  Status retry(std::string_view notification_id) override;
  admin::ReloadReport reload() override;
  const admin::ReloadReport& last_reload() const override { return last_report; }
  std::uint64_t reload_errors() const override { return loader->failed_files(); }
  const scheduler::DeliveryStats& delivery_stats() const override { return dispatcher->stats(); }
  std::vector<std::string> series_waiting_for_store() const override {
    return {loader->waiting_for_store().begin(), loader->waiting_for_store().end()};
  }
  admin::ReloadReport reload_now();

  DaemonOptions options;
  asio::io_context io{1};
  asio::thread_pool disk{1};  // maildir writes: fsync must not block the loop
  std::unique_ptr<scheduler::Clock> clock;
  store::Instant started;
  std::optional<store::Outbox> store;
  std::unique_ptr<SeriesCatalog> catalog;
  std::unique_ptr<SeriesLoader> loader;
  admin::ReloadReport last_report;
  notifier::TemplateSource templates;
  notifier::Renderer renderer{templates};
  std::unique_ptr<notifier::EmailDelivery> email;
  std::unique_ptr<notifier::WebhookDelivery> webhooks;
  std::unique_ptr<CatalogSender> sender;
  std::unique_ptr<scheduler::Dispatcher> dispatcher;
  std::unique_ptr<admin::AdminServer> admin;
  std::optional<asio::signal_set> signals;
  ReloadQueue reloads{io, [this] { reload_now(); }};
  asio::steady_timer store_watch{io};
  ServiceNotifier systemd{io};
};

// For systemd's STATUS=: what is waiting and what went wrong, at a glance.
std::string Daemon::State::status_line() {
  Result<store::StateCounts> counts = store->state_counts();
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
  store.emplace(std::move(*opened));
  Result<std::size_t> recovered = store->recover_interrupted(now());
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
    // A loop of its own: a burst's SMTP dialogue must not delay this loop's
    // timers and admin requests (smtp_delivery_pool.h).
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

Status Daemon::State::start_admin() {
  admin::AdminSettings settings;
  settings.listen = config().http.listen;
  if (config().http.token) settings.token = config().http.token->reveal();
  settings.max_connections = static_cast<std::size_t>(config().http.max_connections);
  settings.max_connections_per_client =
      static_cast<std::size_t>(config().http.max_connections_per_client);
  settings.idle_timeout = config().http.idle_timeout;
  admin = std::make_unique<admin::AdminServer>(io, *this, std::move(settings));
  return admin->start();  // which logs where it listens
}

std::vector<admin::SeriesView> Daemon::State::series() const {
  std::vector<admin::SeriesView> views;
  for (const LoadedSeries* loaded : catalog->all()) {
    views.push_back(admin::SeriesView{&loaded->series, &loaded->plan, &loaded->sequences});
  }
  return views;
}

std::optional<admin::SeriesView> Daemon::State::series(std::string_view id) const {
  const LoadedSeries* loaded = catalog->series(id);
  if (loaded == nullptr) return std::nullopt;
  return admin::SeriesView{&loaded->series, &loaded->plan, &loaded->sequences};
}

Result<std::optional<std::string>> Daemon::State::series_feed(std::string_view id) {
  const LoadedSeries* loaded = catalog->series(id);
  if (loaded == nullptr) return std::optional<std::string>();
  auto sequence_of = [loaded](std::string_view session_id) {
    auto it = loaded->sequences.find(session_id);
    return it == loaded->sequences.end() ? 0 : it->second;
  };
  Result<std::string> feed = notifier::series_feed(loaded->series, templates, sequence_of, now());
  if (!feed) return feed.error();
  return std::optional<std::string>(std::move(*feed));
}

Status Daemon::State::retry(std::string_view notification_id) {
  if (Status retried = store->retry(notification_id, now()); !retried) return retried;
  spdlog::info("retry {}: pending again (asked through the admin API)", notification_id);
  dispatcher->wake();
  return {};
}

// POST /api/v1/reload answers with the report, so it runs at once (serving
// a SIGHUP's reload that was waiting too).
admin::ReloadReport Daemon::State::reload() {
  reloads.run_now();
  return last_report;
}

// SIGHUP and POST /api/v1/reload: one path, so both tell systemd and wake
// the dispatcher for whatever the new plans made due.
admin::ReloadReport Daemon::State::reload_now() {
  systemd.reloading();
  Result<admin::ReloadReport> report = loader->load(SeriesLoader::Occasion::reload, now());
  // At a reload, load() reports failures inside the report; it errs only at start-up.
  if (report) last_report = std::move(*report);
  dispatcher->wake();
  systemd.ready(status_line());
  return last_report;
}

// Plans the outbox could not take (a full disk) are stored again once a
// second until it can; the outbox's own health tells /healthz meanwhile.
void Daemon::State::watch_store() {
  store_watch.expires_after(std::chrono::seconds(1));
  store_watch.async_wait([this](const boost::system::error_code& error) {
    if (error) return;
    if (!loader->waiting_for_store().empty() && loader->store_waiting(now()) > 0) {
      dispatcher->wake();
      systemd.ready(status_line());
    }
    watch_store();
  });
}

void Daemon::State::await_signal() {
  signals->async_wait([this](const boost::system::error_code& error, int signal) {
    if (error) return;
    if (signal == SIGHUP) {
      spdlog::info("SIGHUP: reloading {}", config().daemon.series_dir.string());
      reloads.request();
      await_signal();
      return;
    }
    spdlog::info("{}: stopping", signal_name(signal));
    systemd.stopping();
    if (admin) admin->stop();
    store_watch.cancel();
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
  s.loader = std::make_unique<SeriesLoader>(*s.catalog, *s.store, s.config());
  Result<admin::ReloadReport> loaded = s.loader->load(SeriesLoader::Occasion::startup, s.now());
  if (!loaded) {
    spdlog::critical("cannot load the series: {}", loaded.error().message);
    return 1;
  }
  s.last_report = std::move(*loaded);

  s.sender = std::make_unique<CatalogSender>(s.io, *s.catalog, s.renderer, *s.email,
                                             s.webhooks.get(), s.config().email.from, *s.clock);
  scheduler::DispatcherSettings settings;
  settings.retry.max_attempts = s.config().delivery.max_attempts;
  settings.retry.backoff = s.config().delivery.backoff;
  s.dispatcher =
      std::make_unique<scheduler::Dispatcher>(s.io, *s.store, *s.clock, *s.sender, settings);
  if (Status admin = s.start_admin(); !admin) {
    spdlog::critical("cannot start the admin API on {}: {}", s.config().http.listen.to_string(),
                     admin.error().message);
    return 1;
  }
  s.signals.emplace(s.io, SIGTERM, SIGINT, SIGHUP);
  s.await_signal();
  s.dispatcher->start();
  s.watch_store();

  Result<std::optional<store::Instant>> next = s.store->next_due();
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
