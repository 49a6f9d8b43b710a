// Reloader: loads of series_dir off the event loop, one at a time.
//
// A load (service/series_dir_load.h) parses, plans and writes the outbox on
// a worker thread through the LoadStore it is given (load_store.h: an
// SQLite connection of the worker's own, or the loop's PostgreSQL outbox
// asked from the worker), in short transactions,
// while the dispatcher goes on claiming and sending from the catalog in
// force. When it is done, its outcome is put in force on the loop at one
// instant (apply(): the catalog, the plan generation, the holds).
//
// Requests never overlap: while a load runs, the next request waits, and
// any further requests merge into that waiting one (request() says which
// happened). Every request is answered by a load that started after it, so
// an edit saved before a SIGHUP or POST /api/v1/reload is always seen.
//
// Thread use: request(), stop() and the callbacks run on the loop's thread;
// the worker touches only the LoadStore and the immutable snapshot it was
// given. Lifetimes: io, apply and the LoadStore must outlive it; the
// destructor waits for a running load to finish (an AsyncLoadStore must be
// cancelled first when the loop no longer runs).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "model/load_report.h"
#include "service/load_store.h"
#include "service/series_dir_load.h"

namespace kutsu::service {

class Reloader {
 public:
  using Done = std::function<void(const model::LoadReport&)>;
  // Puts an outcome in force; called on the loop.
  using Apply = std::function<void(LoadOutcome&)>;
  // What the next load starts from: the catalog in force, the series
  // waiting for the store, the time. Called on the loop.
  using Snapshot = std::function<LoadRequest()>;

  // `store` is used on the worker only.
  Reloader(boost::asio::io_context& io, LoadStore& store, Snapshot snapshot, Apply apply);
  ~Reloader();
  Reloader(const Reloader&) = delete;
  Reloader& operator=(const Reloader&) = delete;

  // `done` (may be empty) gets the report of the load that served this
  // request; the answer says how it was taken (model/load_report.h).
  model::ReloadQueued request(Done done = {});
  bool running() const { return running_; }
  // Loads run so far, and requests that merged into a waiting one.
  std::uint64_t loads() const { return loads_; }
  std::uint64_t merged() const { return merged_; }

  // No new loads; `done` runs on the loop once a running one has finished.
  void stop(std::function<void()> done);

 private:
  void start();
  void finished(std::unique_ptr<LoadOutcome> outcome);

  boost::asio::io_context& io_;
  LoadStore& store_;
  Snapshot snapshot_;
  Apply apply_;
  boost::asio::thread_pool worker_{1};
  bool lowered_ = false;  // the worker's priority (worker thread only)
  bool running_ = false;
  bool stopping_ = false;
  std::vector<Done> serving_;   // requests the running load answers
  std::optional<std::vector<Done>> waiting_;  // requests for the next load
  std::function<void()> on_stopped_;
  std::uint64_t loads_ = 0;
  std::uint64_t merged_ = 0;
};

}  // namespace kutsu::service
