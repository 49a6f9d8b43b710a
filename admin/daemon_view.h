// DaemonView: what the admin API reads from, and asks of, the running
// daemon. The daemon implements it (daemon/ sits above admin/ in the
// include direction of architecture.md); the API's tests implement it over
// a real outbox and real parsed series.
//
// Every call happens on the event loop's thread — the one that runs the
// dispatcher and owns the outbox — so implementations need no locking, and
// a request never sees a reload half-done. The outbox is asked through
// store::AsyncOutbox and answers later (on PostgreSQL a query must not
// hold up the loop); retry, opt_out and reload answer later too.
//
// Pointers in a SeriesView stay valid until the next reload() (or SIGHUP);
// a request handler must not keep them past its own return — nor across
// an outbox call: it asks for the view again when the answer comes.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agenda/series.h"
#include "base/result.h"
#include "model/load_report.h"
#include "model/opt_out_link.h"
#include "scheduler/delivery_stats.h"
#include "scheduler/planner.h"
#include "store/async_outbox.h"
#include "store/outbox.h"

namespace kutsu::admin {

// One loaded series: its model, its plan, and the iCalendar SEQUENCE each
// session is at (absent: 0).
struct SeriesView {
  const agenda::Series* series = nullptr;
  const scheduler::Plan* plan = nullptr;
  const std::map<std::string, int, std::less<>>* sequences = nullptr;
};

class DaemonView {
 public:
  virtual ~DaemonView() = default;

  virtual store::Instant now() const = 0;
  virtual store::Instant started_at() const = 0;

  // The outbox the dispatcher sends from; queries only, plus retry() below.
  virtual store::AsyncOutbox& async_outbox() = 0;
  // This daemon's name among the nodes sharing the outbox (async_nodes()).
  virtual std::string node_name() const = 0;

  // Whether the outbox can serve now, for /healthz, the status API and
  // /metrics: why not (none when it can), and failures counted since start.
  struct StoreState {
    std::optional<std::string> problem;
    std::uint64_t failures = 0;
  };
  virtual StoreState store_state() const = 0;

  // Every loaded series, by id; one by id (none when not loaded).
  virtual std::vector<SeriesView> series() const = 0;
  virtual std::optional<SeriesView> series(std::string_view id) const = 0;

  // The series as an iCalendar feed (METHOD:PUBLISH, one VEVENT per session
  // with the UIDs and SEQUENCE the e-mails carry; cancelled sessions as
  // STATUS:CANCELLED). None for a series that is not loaded.
  virtual Result<std::optional<std::string>> series_feed(std::string_view id) = 0;
  // Every `public = true` series in one feed, without join links (GET
  // /calendar.ics). None when no loaded series is public.
  virtual Result<std::optional<std::string>> public_feed() = 0;

  // A failed or missed notification goes back to pending and the dispatcher
  // looks at it at once; Outbox::retry's errors otherwise, with their codes
  // (not_found, conflict naming the state), which the API answers by.
  // `done` runs later, on the loop.
  virtual void retry(std::string notification_id, std::function<void(Status)> done) = 0;

  // Re-reads series_dir as SIGHUP does; `done` gets what each file did, on
  // the loop, once the load that serves this request is in force, and how
  // the request was taken (model/load_report.h: the service's own types).
  using ReloadDone = std::function<void(const model::LoadReport&, model::ReloadQueued)>;
  virtual void reload(ReloadDone done) = 0;
  // The most recent load (the start-up load until the first reload).
  virtual const model::LoadReport& last_reload() const = 0;
  // Files that failed to load, summed over every load since start.
  virtual std::uint64_t reload_errors() const = 0;

  // Opt-out links (GET/POST /u/{value}): what reads them (null while the
  // daemon has no key, which it keeps in the outbox), and recording what a
  // participant asked for; how many notifications that stopped (`done`
  // runs later, on the loop).
  virtual const model::OptOutLinks* opt_out_links() const = 0;
  virtual void opt_out(model::OptOutSubject subject, store::OptOutScope scope,
                       std::function<void(Result<std::size_t>)> done) = 0;

  // Attempts and lateness since start.
  virtual const scheduler::DeliveryStats& delivery_stats() const = 0;

  // Series whose file loaded but whose plan the outbox could not take (a
  // full disk): held, and stored again as soon as the outbox recovers.
  virtual std::vector<std::string> series_waiting_for_store() const { return {}; }
};

}  // namespace kutsu::admin
