// store_crash_writer DB_FILE: the victim of the kill -9 test
// (crash_test.cpp). Writes batches to the outbox forever, the way the daemon
// does, and says on stdout what it has committed:
//
//   ready
//   planned K      batch K's 500 rows are stored (series "batch-K")
//   recorded K     batch K was claimed and recorded as sent
//
// On start it first finishes what a previous (killed) run left behind:
// recover_interrupted, then claims and records everything due. Batch numbers
// continue after the highest stored one.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "store/outbox.h"

namespace {

using kutsu::AttemptResult;
using kutsu::store::Instant;
using kutsu::store::NotificationRow;
using kutsu::store::Outbox;
using kutsu::store::PlannedNotification;
using kutsu::store::RecordedAttempt;

constexpr int kBatchSize = 500;
const Instant kNow{std::chrono::seconds{1'643'700'000}};

template <typename T>
T check(kutsu::Result<T> result, const char* what) {
  if (!result.ok()) {
    std::cerr << what << ": " << result.error().message << std::endl;
    std::exit(3);
  }
  return std::move(result).value();
}

void check(const kutsu::Status& status, const char* what) {
  if (!status.ok()) {
    std::cerr << what << ": " << status.error().message << std::endl;
    std::exit(3);
  }
}

std::vector<PlannedNotification> batch(int k) {
  std::vector<PlannedNotification> rows;
  for (int i = 0; i < kBatchSize; ++i) {
    char id[33];
    std::snprintf(id, sizeof id, "%016x%016x", k, i);
    rows.push_back(PlannedNotification{id, "session", "reminder", "PT1H", "email",
                                       "osallistuja" + std::to_string(i) + "@example.org",
                                       kNow - std::chrono::seconds{i}, kNow});
  }
  return rows;
}

// Claims everything due and records it as sent, one claim at a time.
void deliver_due(Outbox& outbox) {
  for (;;) {
    std::vector<NotificationRow> claimed = check(outbox.claim_due(kNow, kBatchSize), "claim_due");
    if (claimed.empty()) return;
    std::vector<RecordedAttempt> results;
    for (const NotificationRow& row : claimed) {
      results.push_back(RecordedAttempt{row.id, {kNow, AttemptResult::sent(250, "ok")}, {}});
    }
    check(outbox.record_results(results), "record_results");
    std::cout << "recorded " << claimed.front().series_id.substr(6) << std::endl;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: store_crash_writer DB_FILE" << std::endl;
    return 2;
  }
  Outbox outbox = check(Outbox::open(argv[1]), "open");
  check(outbox.recover_interrupted(kNow), "recover_interrupted");
  deliver_due(outbox);
  int next = 0;
  for (const auto& version : check(outbox.series_versions(), "series_versions")) {
    next = std::max(next, std::stoi(version.series_id.substr(6)) + 1);
  }
  std::cout << "ready" << std::endl;
  for (int k = next;; ++k) {
    const std::string series = "batch-" + std::to_string(k);
    // The version row is written after the plan, so it may lag by one batch
    // after a kill; the plan is what the test checks.
    check(outbox.apply_plan(series, batch(k), kNow), "apply_plan");
    std::cout << "planned " << k << std::endl;
    check(outbox.put_series_version({series, "hash", kNow, true, ""}), "put_series_version");
    deliver_due(outbox);
  }
}
