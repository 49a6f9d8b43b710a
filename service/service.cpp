#include "service/service.h"

#include <filesystem>
#include <utility>

#include <boost/asio/post.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "notifier/series_feed.h"
#include "store/notification_state.h"

namespace kutsu::service {

// The public calendar's name in subscribers' calendar apps.
constexpr std::string_view kPublicCalendarName = "Kutsu: public events";

namespace fs = std::filesystem;

namespace {

WebhookNames webhook_names(const config::DaemonConfig& config) {
  std::set<std::string, std::less<>> names;
  for (const config::WebhookEndpoint& webhook : config.webhooks) names.insert(webhook.name);
  return names;
}

}  // namespace

Service::Service(boost::asio::io_context& io, const config::DaemonConfig& config,
                 const scheduler::Clock& clock, Deliveries deliveries, ServiceTuning tuning,
                 ServiceEvents events)
    : io_(io),
      config_(config),
      clock_(clock),
      deliveries_(deliveries),
      tuning_(std::move(tuning)),
      events_(std::move(events)),
      started_at_(now()),
      public_url_(config.http.public_url.value_or("http://" + config.http.listen.to_string())),
      waiting_timer_(io),
      horizon_timer_(io) {
  tuning_.dispatcher.retry.max_attempts = config.delivery.max_attempts;
  tuning_.dispatcher.retry.backoff = config.delivery.backoff;
  tuning_.dispatcher.misfire.grace = config.daemon.misfire_grace;
}

// Shutdown order is the reverse of the members': the reloader (joining its
// worker), then the dispatcher, which must go before the sender and the
// deliveries it hands callbacks to, then the outbox. On PostgreSQL a load
// waiting for the loop (which runs no more) is let go first, and the
// outbox goes before the loop runs again (async_load_store.h).
Service::~Service() {
  life_.reset();
  if (bridge_ != nullptr) bridge_->cancel();
}

store::Instant Service::now() const {
  return std::chrono::floor<std::chrono::seconds>(clock_.now());
}

Status Service::open_outbox() {
  std::error_code error;
  fs::create_directories(config_.daemon.state_dir, error);
  if (error) {
    return Error{config_.daemon.state_dir.string() +
                 ": cannot create the state folder: " + error.message()};
  }
  Result<store::Outbox> opened = store::Outbox::open(store::outbox_file(config_.daemon.state_dir));
  if (!opened) return Error{"cannot open the outbox: " + opened.error().message};
  outbox_.emplace(std::move(*opened));
  local_outbox_.emplace(io_, *outbox_, node_name());
  async_outbox_ = &*local_outbox_;
  Result<std::size_t> recovered = outbox_->recover_interrupted(now());
  if (!recovered) return Error{"cannot open the outbox: " + recovered.error().message};
  if (*recovered > 0) {
    spdlog::warn("{} notifications were being sent when the daemon stopped; sending them again",
                 *recovered);
  }
  return {};
}

namespace {

void key_unread(const Error& error) {
  spdlog::error("cannot read the opt-out key from the outbox: {}; e-mails go without opt-out "
                "links until it can be read (tried again at every reload)",
                error.message);
}

}  // namespace

void Service::make_opt_out_links() {
  if (opt_out_links_) return;
  if (!opt_out_key_ && !outbox_) {
    // PostgreSQL: asked, and the links made when it answers.
    async_outbox_->async_opt_out_key(
        [this, life = std::weak_ptr<int>(life_)](Result<std::string> key) {
          if (life.expired()) return;
          if (!key) return key_unread(key.error());
          opt_out_key_ = std::move(*key);
          make_opt_out_links();
        });
    return;
  }
  if (!opt_out_key_) {
    Result<std::string> key = outbox_->opt_out_key();
    if (!key) return key_unread(key.error());
    opt_out_key_ = std::move(*key);
  }
  opt_out_links_.emplace(public_url_, *opt_out_key_);
  if (!config_.http.public_url) {
    spdlog::warn("[http] public_url is not set: opt-out links in e-mails point to {}, which only "
                 "this machine reaches; set it to the https address participants use",
                 public_url_);
  }
}

void Service::use_public_url(std::string url) {
  public_url_ = std::move(url);
  if (opt_out_links_) opt_out_links_.emplace(public_url_, *opt_out_key_);
}

void Service::opt_out(model::OptOutSubject subject, store::OptOutScope scope,
                      std::function<void(Result<std::size_t>)> done) {
  async_outbox_->async_opt_out(
      store::OptOut{subject.series_id, subject.recipient, scope, now()},
      [life = std::weak_ptr<int>(life_), series_id = subject.series_id, scope,
       done = std::move(done)](Result<std::size_t> stopped) {
        if (life.expired()) return;
        if (stopped) {
          // The address stays out of the log: the outbox and the admin API have it.
          spdlog::info("series {}: a participant opted out of {}; {} notifications stopped",
                       series_id,
                       scope == store::OptOutScope::all ? "every e-mail" : "the reminders",
                       *stopped);
        }
        done(std::move(stopped));
      });
}

std::string Service::node_name() const { return config_.store ? config_.store->node : "local"; }

std::uint64_t Service::store_failures() const {
  return outbox_ ? outbox_->health().failures() : 0;
}

LoadRequest Service::next_load_request(LoadOccasion occasion) const {
  LoadRequest request;
  request.occasion = occasion;
  request.series_dir = config_.daemon.series_dir;
  request.webhooks = webhook_names(config_);
  request.in_force = catalog_.snapshot();
  request.waiting = waiting_;
  request.misfire_grace = config_.daemon.misfire_grace;
  request.plan_horizon = config_.daemon.plan_horizon;
  request.cancel_delay = config_.daemon.cancel_delay;
  request.at = now();
  horizon_loaded_ = date::floor<date::days>(request.at + request.plan_horizon);
  // Short transactions let the dispatcher's claims in while a reload
  // writes; at start-up nothing claims yet, and one transaction writes a
  // first plan of a million rows eight times faster than 2,000 short ones
  // (each rewrote the index pages it touched into the WAL).
  request.rows_per_transaction =
      occasion == LoadOccasion::startup ? 0 : tuning_.rows_per_transaction;
  return request;
}

// One instant on the loop: the catalog, the generation its rows were
// written with, and the holds change together, then the dispatcher looks.
void Service::apply(LoadOutcome& outcome) {
  outcome.retired = catalog_.replace(std::move(outcome.next), std::move(outcome.index));
  if (sender_) make_opt_out_links();  // when the key could not be read before
  if (outcome.generation > 0) async_outbox_->set_generation_in_force(outcome.generation);
  // This node sends only rows planned from the files it has loaded.
  store::LoadedVersions versions;
  for (const LoadedSeries* loaded : catalog_.all()) {
    versions.emplace(loaded->series.id, loaded->content_hash);
  }
  async_outbox_->set_loaded_versions(std::move(versions));
  if (!outcome.keep_holds) {
    // Both outboxes hold at once, before the handler runs (the dispatcher's
    // next claim already skips them); the handler only reports.
    async_outbox_->async_hold_series(outcome.held, [life = std::weak_ptr<int>(life_)](Status held) {
      if (!life.expired() && !held) spdlog::error("outbox: {}", held.error().message);
    });
  }
  waiting_ = std::move(outcome.waiting);
  failed_files_ += outcome.failed_files;
  last_load_ = outcome.report;  // a copy: the reloader answers its requests with it next
  if (dispatcher_) {
    // Said at the one instant the load takes effect, not when it was written.
    spdlog::info("load in force: {} series{}", catalog_.all().size(),
                 waiting_.empty() ? "" : fmt::format("; waiting for the outbox: {}",
                                                     fmt::join(waiting_, ", ")));
    dispatcher_->wake();
  }
}

Status Service::start() {
  if (config_.store) {
    return Error{"the PostgreSQL outbox starts asynchronously (Service::start(done))",
                 ErrorCode::invalid};
  }
  if (Status opened = open_outbox(); !opened) return opened;
  {
    // On this thread, before anything is served: one transaction per plan.
    SqliteLoadStore here(*outbox_);
    LoadOutcome loaded = load_series_dir(here, next_load_request(LoadOccasion::startup));
    if (loaded.fatal) return Error{"cannot load the series: " + loaded.fatal->message};
    apply(loaded);
  }
  make_opt_out_links();
  make_dispatcher();
  load_store_ = SqliteLoadStore::beside(*outbox_);
  make_reloader();
  dispatcher_->start();
  watch_waiting();
  watch_horizon();
  return {};
}

void Service::start(std::function<void(Status)> done) {
  if (config_.store) return start_pg(std::move(done));
  Status started = start();
  boost::asio::post(io_, [life = std::weak_ptr<int>(life_), done = std::move(done),
                          started = std::move(started)]() mutable {
    if (!life.expired()) done(std::move(started));
  });
}

void Service::make_dispatcher() {
  sender_ = std::make_unique<CatalogSender>(io_, catalog_, renderer_, *deliveries_.email,
                                            deliveries_.webhooks, config_.email.from, clock_,
                                            opt_out_links_);
  dispatcher_ = std::make_unique<scheduler::Dispatcher>(io_, *async_outbox_, clock_, *sender_,
                                                        tuning_.dispatcher);
}

void Service::make_reloader() {
  reloader_ = std::make_unique<Reloader>(
      io_, *load_store_,
      [this] { return next_load_request(dispatcher_ ? LoadOccasion::reload : LoadOccasion::startup); },
      [this](LoadOutcome& outcome) {
        if (starting_) return finish_pg_start(outcome);
        apply(outcome);
        if (events_.reload_applied) events_.reload_applied();
      });
}

void Service::start_pg(std::function<void(Status)> done) {
  const config::StoreSettings& store = *config_.store;
  // Renew at a third of the lease (two renewals may fail before a live
  // send could be taken over); look for a dead node's rows at half of it.
  tuning_.dispatcher.renew_every = std::chrono::duration_cast<std::chrono::milliseconds>(store.lease) / 3;
  tuning_.dispatcher.take_over_every = std::chrono::duration_cast<std::chrono::milliseconds>(store.lease) / 2;
  // A claim is a round trip: several slices' worth at once (dispatcher.h).
  tuning_.dispatcher.claim_batch = 256;
  // The admin address file still lives there (kutsu status --config).
  std::error_code made;
  fs::create_directories(config_.daemon.state_dir, made);
  if (made) {
    spdlog::warn("{}: cannot create the state folder: {}", config_.daemon.state_dir.string(),
                 made.message());
  }
  pg_ = std::make_unique<PgStore>(io_, store);
  pg_->async_open([this, life = std::weak_ptr<int>(life_), done = std::move(done)](
                      Status opened) mutable {
    if (life.expired()) return;
    if (!opened) return done(opened);
    async_outbox_ = &pg_->outbox();
    pg_opened(std::move(done));
  });
}

void Service::pg_opened(std::function<void(Status)> done) {
  async_outbox_->async_recover_interrupted(
      now(), [this, life = std::weak_ptr<int>(life_), done = std::move(done)](
                 Result<std::size_t> recovered) mutable {
        if (life.expired()) return;
        if (!recovered) {
          return done(Error{"cannot open the outbox: " + recovered.error().message,
                            recovered.error().code});
        }
        if (*recovered > 0) {
          spdlog::warn("{} notifications were being sent by this node when it stopped, or by a "
                       "node whose lease ran out; sending them again",
                       *recovered);
        }
        make_opt_out_links();
        // Big enough for a statement queued behind a burst's claims and
        // results, each of which has its own timeout (pg_outbox.h).
        auto bridge = std::make_unique<AsyncLoadStore>(io_, *async_outbox_,
                                                       std::chrono::milliseconds{60'000});
        bridge_ = bridge.get();
        load_store_ = std::move(bridge);
        make_reloader();
        starting_ = std::move(done);
        reloader_->request();  // the start-up load: no dispatcher yet
      });
}

void Service::finish_pg_start(LoadOutcome& outcome) {
  std::function<void(Status)> done = std::exchange(starting_, nullptr);
  if (outcome.fatal) return done(Error{"cannot load the series: " + outcome.fatal->message});
  apply(outcome);
  make_dispatcher();
  pg_->start_heartbeat(std::chrono::duration_cast<std::chrono::milliseconds>(config_.store->lease) / 3);
  // After an outage: what came due meanwhile, and what other nodes made due.
  pg_->on_back([this, life = std::weak_ptr<int>(life_)] {
    if (!life.expired() && dispatcher_) dispatcher_->wake();
  });
  dispatcher_->start();
  watch_waiting();
  watch_horizon();
  done({});
}

std::optional<std::string> Service::store_problem() const {
  if (outbox_) return outbox_->health().problem();
  if (pg_) return pg_->problem();
  return std::string("the outbox is not open yet");
}

model::ReloadQueued Service::reload(Reloader::Done done) {
  const bool was_running = reloader_->running();
  const model::ReloadQueued queued = reloader_->request(std::move(done));
  if (!was_running && queued == model::ReloadQueued::started && events_.reload_started) {
    events_.reload_started();
  }
  return queued;
}

// Series waiting for the store are loaded again until it takes them.
void Service::watch_waiting() {
  waiting_timer_.expires_after(tuning_.store_retry);
  waiting_timer_.async_wait([this](const boost::system::error_code& error) {
    if (error || stopping_) return;
    if (!waiting_.empty() && !reloader_->running()) {
      spdlog::info("loading again for the series waiting for the outbox: {}",
                   fmt::join(waiting_, ", "));
      reload();
    }
    watch_waiting();
  });
}

bool Service::has_rules() const {
  for (const LoadedSeries* loaded : catalog_.all()) {
    for (const agenda::RecurringSession& recurring : loaded->series.recurring) {
      if (recurring.recurrence.rule) return true;
    }
  }
  return false;
}

// Days pass: rules are planned further, without a restart.
void Service::watch_horizon() {
  horizon_timer_.expires_after(tuning_.horizon_check);
  horizon_timer_.async_wait([this](const boost::system::error_code& error) {
    if (error || stopping_) return;
    const date::sys_days reaches = date::floor<date::days>(now() + config_.daemon.plan_horizon);
    if (reaches != horizon_loaded_ && has_rules() && !reloader_->running()) {
      spdlog::info("plan horizon: planning recurring sessions up to {}",
                   date::format("%F", reaches));
      reload();
    }
    watch_horizon();
  });
}

void Service::stop(std::function<void()> done) {
  stopping_ = true;
  waiting_timer_.cancel();
  horizon_timer_.cancel();
  if (pg_) pg_->stop_heartbeat();
  reloader_->stop([this, done = std::move(done)]() mutable {
    dispatcher_->stop(std::move(done));
  });
}

void Service::retry(std::string notification_id, std::function<void(Status)> done) {
  async_outbox_->async_retry(
      notification_id, now(),
      [this, life = std::weak_ptr<int>(life_), notification_id,
       done = std::move(done)](Status retried) {
        if (life.expired()) return;
        if (retried) {
          spdlog::info("retry {}: pending again (asked through the admin API)", notification_id);
          dispatcher_->wake();
        }
        done(std::move(retried));
      });
}

Result<std::optional<std::string>> Service::series_feed(std::string_view id) {
  const LoadedSeries* loaded = catalog_.series(id);
  if (loaded == nullptr) return std::optional<std::string>();
  auto sequence_of = [loaded](std::string_view session_id) { return loaded->sequence_of(session_id); };
  Result<std::string> feed = notifier::series_feed(loaded->series, templates_, sequence_of, now());
  if (!feed) return feed.error();
  return std::optional<std::string>(std::move(*feed));
}

Result<std::optional<std::string>> Service::public_feed() {
  std::vector<notifier::FeedSeries> public_series;
  for (const LoadedSeries* loaded : catalog_.all()) {
    if (!loaded->series.is_public) continue;
    public_series.push_back(notifier::FeedSeries{
        &loaded->series, [loaded](std::string_view session_id) { return loaded->sequence_of(session_id); }});
  }
  if (public_series.empty()) return std::optional<std::string>();
  Result<std::string> feed = notifier::public_feed(public_series, templates_, kPublicCalendarName, now());
  if (!feed) return feed.error();
  return std::optional<std::string>(std::move(*feed));
}

std::string Service::status_line() {
  if (!outbox_) {
    std::string line = "serving " + std::to_string(catalog_.all().size()) +
                       " series as node " + (config_.store ? config_.store->node : "") +
                       " on PostgreSQL";
    if (std::optional<std::string> problem = store_problem()) {
      line += "; OUTBOX UNAVAILABLE: " + *problem;
    }
    return line;
  }
  Result<store::StateCounts> counts = outbox_->state_counts();
  if (!counts) return "serving";
  using store::NotificationState;
  std::string line = "serving " + std::to_string(catalog_.all().size()) + " series: " +
                     std::to_string((*counts)[NotificationState::pending] +
                                    (*counts)[NotificationState::retrying]) +
                     " pending, " + std::to_string((*counts)[NotificationState::sent]) +
                     " sent, " + std::to_string((*counts)[NotificationState::failed]) +
                     " failed, " + std::to_string((*counts)[NotificationState::missed]) + " missed";
  if (std::optional<std::string> problem = outbox_->health().problem()) {
    line += "; OUTBOX UNAVAILABLE: " + *problem;
  }
  return line;
}

}  // namespace kutsu::service
