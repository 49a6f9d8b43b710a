// Service: the running Kutsu — the outbox, the series in force, the
// dispatcher sending from them through the renderers and the deliveries,
// and reloads beside it — in the order start-up and shutdown need.
//
// start(): create state_dir and open the outbox there; put back what a
// crash left `sending`; load every series file and store its plan with the
// misfire rule for what came due while the daemon was down (on the calling
// thread: nothing is served yet); then start the dispatcher. A failure to
// open the outbox or list series_dir, or an outbox failure at start-up that
// is not about the disk, is an Error (the daemon must not serve). A full
// disk is not: the series wait for the store (series_dir_load.h).
//
// With [store] (PostgreSQL, several nodes: pg_store.h) only the
// asynchronous start(done) serves, and nothing there blocks the loop: it
// connects and migrates, takes back this node's interrupted rows and any
// whose lease ran out, loads the series on the reload worker (asking the
// outbox on the loop: async_load_store.h), puts the versions it loaded in
// force (this node claims only rows planned from them), starts this node's
// heartbeat (every lease/3) and the dispatcher (leases renewed every
// lease/3, abandoned rows taken over every lease/2), and then runs `done`.
// The same load procedure and dispatcher serve both stores; SQLite keeps
// its synchronous start-up, whose first plan is one transaction.
//
// Opt-out: every e-mail carries its recipient's signed link (the key lives
// in the outbox, so links survive restarts); opt_out() records what one
// asked for, and every later plan leaves those notifications out.
//
// reload(): a load of series_dir on a worker thread (reloader.h); the
// dispatcher keeps sending from the catalog in force meanwhile, and the
// new catalog takes effect at one instant on the loop. Series that wait for
// the store are loaded again every few seconds until stored.
//
// stop(): no new loads or claims; a running load finishes, sends in flight
// get `grace`, every outcome is recorded, then `done` runs on the loop.
//
// The deliveries are given (the daemon builds SMTP, maildir or webhook
// transports; tests give fakes). Event loop thread only, except that the
// loop need not run yet for start(). `io`, `clock` and the deliveries must
// outlive the Service.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "config/daemon_config.h"
#include "model/opt_out_link.h"
#include "notifier/delivery.h"
#include "notifier/renderer.h"
#include "notifier/template_source.h"
#include "scheduler/clock.h"
#include "scheduler/delivery_stats.h"
#include "scheduler/dispatcher.h"
#include "service/async_load_store.h"
#include "service/catalog_sender.h"
#include "service/load_store.h"
#include "service/pg_store.h"
#include "service/reloader.h"
#include "service/series_catalog.h"
#include "service/series_dir_load.h"
#include "store/local_outbox.h"
#include "store/outbox.h"

namespace kutsu::service {

struct Deliveries {
  notifier::EmailDelivery* email = nullptr;        // required
  notifier::WebhookDelivery* webhooks = nullptr;  // none when the config defines no endpoint
};

struct ServiceTuning {
  scheduler::DispatcherSettings dispatcher;  // retry comes from the config
  // Short enough that a claim waiting for the lock waits a few ms at most.
  std::size_t rows_per_transaction = 200;
  std::chrono::milliseconds store_retry{5000};  // how often waiting series are loaded again
  // How often the plan horizon is looked at: when the day it reaches has
  // moved and a series in force has a `repeat` rule, the series are loaded
  // again (an ordinary reload, so nothing planned changes id).
  std::chrono::milliseconds horizon_check{std::chrono::hours{1}};
};

// Told to whoever watches the service (systemd's notify protocol).
struct ServiceEvents {
  std::function<void()> reload_started;
  std::function<void()> reload_applied;
};

class Service {
 public:
  Service(boost::asio::io_context& io, const config::DaemonConfig& config,
          const scheduler::Clock& clock, Deliveries deliveries, ServiceTuning tuning = {},
          ServiceEvents events = {});
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // SQLite only (see above).
  Status start();
  // Either store; `done` runs on the loop, never inside the call.
  void start(std::function<void(Status)> done);
  model::ReloadQueued reload(Reloader::Done done = {});
  void stop(std::function<void()> done);
  // The dispatcher looks at the outbox now (the clock moved, or another
  // process changed the outbox).
  void wake() { dispatcher_->wake(); }

  store::Instant now() const;
  store::Instant started_at() const { return started_at_; }
  // The SQLite outbox, for callers that know the store is SQLite (tests);
  // everything else asks async_outbox().
  store::Outbox& outbox() { return *outbox_; }
  // The outbox the dispatcher sends from, on either store (after start).
  store::AsyncOutbox& async_outbox() { return *async_outbox_; }
  // Why the outbox cannot serve now, if so (a full disk, PostgreSQL lost).
  std::optional<std::string> store_problem() const;
  const SeriesCatalog& catalog() const { return catalog_; }
  const model::LoadReport& last_load() const { return last_load_; }
  std::uint64_t failed_files() const { return failed_files_; }
  const std::set<std::string, std::less<>>& waiting_for_store() const { return waiting_; }
  const scheduler::DeliveryStats& delivery_stats() const { return dispatcher_->stats(); }
  const Reloader& reloader() const { return *reloader_; }

  // A failed or missed notification goes back to pending, and the
  // dispatcher looks at it at once. `done` runs later, on the loop (the
  // outbox answers through AsyncOutbox on either store).
  void retry(std::string notification_id, std::function<void(Status)> done);
  // Stops what `subject` asked to stop (an opt-out link's value, read by
  // the admin server); `done` gets how many notifications it stopped.
  void opt_out(model::OptOutSubject subject, store::OptOutScope scope,
               std::function<void(Result<std::size_t>)> done);
  // This node's name among those sharing the outbox ([store] node; "local"
  // on SQLite, where there is one).
  std::string node_name() const;
  // Failures of the outbox counted since start (SQLite's health; none
  // counted on PostgreSQL, whose problem() says what is wrong now).
  std::uint64_t store_failures() const;
  // What signs and reads opt-out links; null until the outbox gave its key.
  const model::OptOutLinks* opt_out_links() const {
    return opt_out_links_ ? &*opt_out_links_ : nullptr;
  }
  // Where participants reach the opt-out routes, when the config does not
  // say: the daemon gives the address it bound (`listen` with port 0).
  void use_public_url(std::string url);

  // The series as an iCalendar feed; none for a series not in force.
  Result<std::optional<std::string>> series_feed(std::string_view id);
  // Every `public = true` series in one feed without join links (the public
  // calendar); none when no series in force is public.
  Result<std::optional<std::string>> public_feed();
  // "serving 3 series: 12 pending, 40 sent, 1 failed, 0 missed", for systemd.
  std::string status_line();

 private:
  Status open_outbox();
  // PostgreSQL start-up, step by step on the loop (see start(done)).
  void start_pg(std::function<void(Status)> done);
  void pg_opened(std::function<void(Status)> done);
  void finish_pg_start(LoadOutcome& outcome);
  void make_reloader();
  void make_dispatcher();
  // Made once the outbox gives its key; until then e-mails go without links.
  void make_opt_out_links();
  LoadRequest next_load_request(LoadOccasion occasion) const;
  void apply(LoadOutcome& outcome);
  void watch_waiting();
  void watch_horizon();
  bool has_rules() const;

  boost::asio::io_context& io_;
  const config::DaemonConfig& config_;
  const scheduler::Clock& clock_;
  Deliveries deliveries_;
  ServiceTuning tuning_;
  ServiceEvents events_;
  store::Instant started_at_;

  std::optional<store::Outbox> outbox_;  // SQLite
  std::unique_ptr<PgStore> pg_;         // PostgreSQL ([store])
  SeriesCatalog catalog_;
  model::LoadReport last_load_;
  std::uint64_t failed_files_ = 0;
  std::set<std::string, std::less<>> waiting_;
  std::string public_url_;
  std::optional<model::OptOutLinks> opt_out_links_;
  std::optional<std::string> opt_out_key_;  // once read: it never changes
  notifier::TemplateSource templates_;
  notifier::Renderer renderer_{templates_};
  std::unique_ptr<CatalogSender> sender_;
  // The dispatcher's view of outbox_ (answers posted to the loop), made
  // before it and destroyed after it.
  std::optional<store::LocalOutbox> local_outbox_;
  store::AsyncOutbox* async_outbox_ = nullptr;  // local_outbox_ or pg_'s
  // What the reloader writes through; on PostgreSQL an AsyncLoadStore
  // (bridge_), cancelled before the reloader's worker is joined.
  std::unique_ptr<LoadStore> load_store_;
  AsyncLoadStore* bridge_ = nullptr;
  std::function<void(Status)> starting_;  // PostgreSQL: start(done)'s done until served
  std::unique_ptr<scheduler::Dispatcher> dispatcher_;
  std::unique_ptr<Reloader> reloader_;
  boost::asio::steady_timer waiting_timer_;
  boost::asio::steady_timer horizon_timer_;
  // The day (UTC) the plan horizon reached at the last load.
  mutable date::sys_days horizon_loaded_{};
  bool stopping_ = false;
  // Handlers of asynchronous outbox calls hold a weak_ptr to it (the
  // Service is owned by the daemon: CONTRIBUTING.md, case 2).
  std::shared_ptr<int> life_ = std::make_shared<int>(0);
};

}  // namespace kutsu::service
