// store_bench [DIR [ROWS]]: how fast the outbox does what the daemon asks of
// it at scale, on a real file (DIR, default a fresh folder under /tmp; ROWS,
// default 1,000,000, fewer for `bench/run all --quick`).
//
//   apply_plan, 1,000,000 new rows            (first load of a huge series)
//   apply_plan, same 1,000,000 again          (a reload that changes nothing)
//   apply_plan, 1,000,000 with 10% moved      (a reload that moves sessions)
//   open + recover + next_due, 1,000,000 pending  (daemon start-up)
//   claim_due + record_results, 20,000 in batches of 500
//   admin: counts, first list page, a page deep in the list
//   apply_plan, 1,000,000 all new ids in transactions of 500 (a reload
//     while serving, every session moved)
//
// Each figure is wall-clock time of one run; run it a few times and take
// the median. Exit status 1 if an operation fails.
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "store/outbox.h"

namespace {

using namespace std::chrono;
using kutsu::AttemptResult;
using kutsu::store::Instant;
using kutsu::store::NotificationQuery;
using kutsu::store::NotificationRow;
using kutsu::store::Outbox;
using kutsu::store::PlannedNotification;
using kutsu::store::RecordedAttempt;

std::size_t kRows = 1'000'000;  // ROWS
constexpr std::size_t kSessions = 200;
std::size_t kClaimTotal = 20'000;  // at most ROWS
constexpr std::size_t kClaimBatch = 500;
const Instant kNow = sys_days{year{2022} / January / 1};

template <typename T>
T must(kutsu::Result<T> result, const char* what) {
  if (!result.ok()) {
    std::cerr << what << ": " << result.error().message << "\n";
    std::exit(1);
  }
  return std::move(result).value();
}

void must(const kutsu::Status& status, const char* what) {
  if (!status.ok()) {
    std::cerr << what << ": " << status.error().message << "\n";
    std::exit(1);
  }
}

// splitmix64: ids that look like the scheduler's (SHA-256 based), i.e. in
// random order, which is the hard case for the primary-key index.
unsigned long long mix(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15u;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

// 200 sessions a day apart, 5,000 participants each, one reminder per
// participant and session: 1,000,000 rows.
// `salt` makes other ids (a series whose every session moved: all new ids).
std::vector<PlannedNotification> huge_plan(seconds shift_every_tenth = seconds{0},
                                           std::uint64_t salt = 0) {
  std::vector<PlannedNotification> rows;
  rows.reserve(kRows);
  for (std::size_t i = 0; i < kRows; ++i) {
    const std::size_t session = i % kSessions;
    const std::size_t participant = i / kSessions;
    const Instant start = kNow + days{session} + hours{16};
    char id[33];
    std::snprintf(id, sizeof id, "%016llx%016llx", mix(i + salt), mix(i + kRows + salt));
    Instant due = start - hours{1};
    if (i % 10 == 0) due += shift_every_tenth;
    rows.push_back(PlannedNotification{
        id, "istunto-" + std::to_string(session), "reminder", "PT1H", "email",
        "osallistuja" + std::to_string(participant) + "@example.org", due, start});
  }
  return rows;
}

// Wall-clock and CPU time (user + system) of one run of `body`. On a busy
// machine the CPU time is the steadier figure.
template <typename Body>
void timed(const std::string& what, Body&& body) {
  const auto wall_begin = steady_clock::now();
  const std::clock_t cpu_begin = std::clock();
  body();
  const std::clock_t cpu_end = std::clock();
  const double wall = duration<double>(steady_clock::now() - wall_begin).count();
  const double cpu =
      cpu_begin == static_cast<std::clock_t>(-1) || cpu_end == static_cast<std::clock_t>(-1)
          ? -1.0
          : static_cast<double>(cpu_end - cpu_begin) / CLOCKS_PER_SEC;
  std::printf("%-52s %8.3f s wall %8.3f s cpu\n", what.c_str(), wall, cpu);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path dir;
  if (argc > 1) {
    dir = argv[1];
  } else {
    std::string pattern = (std::filesystem::temp_directory_path() / "kutsu-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("mkdtemp");
      return 1;
    }
    dir = pattern;
  }
  if (argc > 2) {
    kRows = std::stoul(argv[2]);
    kRows -= kRows % (kSessions * 10);  // whole participants; a tenth moves
    if (kRows == 0) kRows = kSessions * 10;
    kClaimTotal = std::min(kClaimTotal, kRows - kRows % kClaimBatch);
  }
  const std::string rows = std::to_string(kRows);
  const std::filesystem::path file = kutsu::store::outbox_file(dir);
  std::filesystem::remove(file);
  std::filesystem::remove(file.string() + "-wal");
  std::filesystem::remove(file.string() + "-shm");

  std::vector<PlannedNotification> plan = huge_plan();
  {
    Outbox outbox = must(Outbox::open(file), "open");
    timed("apply_plan " + rows + " new rows", [&] {
      auto diff = must(outbox.apply_plan("bench", plan, kNow), "apply_plan");
      if (diff.inserted != kRows) std::exit(1);
    });
    timed("apply_plan same " + rows + " again (no change)", [&] {
      auto diff = must(outbox.apply_plan("bench", plan, kNow), "apply_plan");
      if (diff.unchanged != kRows) std::exit(1);
    });
    std::vector<PlannedNotification> moved = huge_plan(minutes{30});
    timed("apply_plan " + rows + " with a tenth of the dues moved", [&] {
      auto diff = must(outbox.apply_plan("bench", moved, kNow), "apply_plan");
      if (diff.rescheduled != kRows / 10) std::exit(1);
    });
    must(outbox.apply_plan("bench", plan, kNow), "apply_plan");
  }
  std::printf("database size: %.1f MB (+ WAL %.1f MB)\n",
              static_cast<double>(std::filesystem::file_size(file)) / 1e6,
              std::filesystem::exists(file.string() + "-wal")
                  ? static_cast<double>(std::filesystem::file_size(file.string() + "-wal")) / 1e6
                  : 0.0);

  std::optional<Outbox> reopened;
  timed("open + recover_interrupted + next_due, " + rows, [&] {
    reopened.emplace(must(Outbox::open(file), "open"));
    must(reopened->recover_interrupted(kNow), "recover");
    auto next = must(reopened->next_due(), "next_due");
    if (!next) std::exit(1);
  });
  Outbox& outbox = *reopened;

  const Instant later = kNow + days{400};  // everything is due
  timed("claim_due + record_results " + std::to_string(kClaimTotal) + " in batches of 500", [&] {
    for (std::size_t done = 0; done < kClaimTotal; done += kClaimBatch) {
      std::vector<NotificationRow> claimed = must(outbox.claim_due(later, kClaimBatch), "claim");
      if (claimed.size() != kClaimBatch) std::exit(1);
      std::vector<RecordedAttempt> results;
      results.reserve(claimed.size());
      for (const NotificationRow& row : claimed) {
        results.push_back({row.id, {later, AttemptResult::sent(250, "2.0.0 Ok: queued")}, {}});
      }
      must(outbox.record_results(results), "record");
    }
  });
  timed("next_due after the sends", [&] { must(outbox.next_due(), "next_due"); });
  timed("state_counts overall", [&] { must(outbox.state_counts(), "counts"); });
  timed("session_state_counts of the series",
        [&] { must(outbox.session_state_counts("bench"), "session counts"); });
  timed("list: first page of 100", [&] { must(outbox.list(NotificationQuery{}), "list"); });
  NotificationQuery by_session{.series_id = "bench", .session_id = "istunto-150"};
  timed("list: first page of 100 of one session", [&] { must(outbox.list(by_session), "list"); });
  timed("list: 50 pages of 100 by cursor", [&] {
    NotificationQuery query;
    for (int i = 0; i < 50; ++i) {
      auto page = must(outbox.list(query), "list");
      query.after = page.next_cursor;
    }
  });
  // A reload while serving: short transactions so that claims get the
  // write lock in between (the daemon's rows_per_transaction).
  std::vector<PlannedNotification> replaced = huge_plan(seconds{0}, 7 * kRows);
  timed("apply_plan " + rows + " all new ids, 500 rows a transaction", [&] {
    auto diff = must(outbox.apply_plan("bench", replaced, kNow,
                                       {.generation = 2, .rows_per_transaction = 500}),
                     "apply_plan");
    if (diff.inserted != kRows) std::exit(1);
  });
  std::filesystem::remove_all(dir);
  return 0;
}
