// plan_bench FILE [ROUNDS [UNTIL]]: loads one series file (recurring sessions
// planned up to the local date UNTIL, like `kutsu plan --until`; default the
// horizon from now), plans it ROUNDS times (default 3) and prints one line
// per measurement as
// "NAME<TAB>SECONDS<TAB>COUNT" for bench/plan/run to tabulate, then the
// process's peak RSS as "peak_rss_mb<TAB>MB".
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "agenda/series_parser.h"
#include "scheduler/planner.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: plan_bench FILE [ROUNDS [UNTIL]]\n");
    return 2;
  }
  int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  kutsu::agenda::SeriesOptions options = kutsu::agenda::SeriesOptions::from_clock();
  if (argc > 3) {
    std::istringstream in(argv[3]);
    date::local_days until;
    in >> date::parse("%F", until);
    if (in.fail()) {
      std::fprintf(stderr, "plan_bench: UNTIL '%s' is not a date like 2029-12-31\n", argv[3]);
      return 2;
    }
    options.until = kutsu::agenda::PlanUntil{until};
  }

  auto start = std::chrono::steady_clock::now();
  kutsu::agenda::SeriesLoad load = kutsu::agenda::load_series(argv[1], options);
  double load_seconds = seconds_since(start);
  for (const kutsu::Diagnostic& diagnostic : load.diagnostics) {
    std::fprintf(stderr, "%s\n", diagnostic.to_string().c_str());
  }
  if (!load.series) return 1;
  std::printf("load\t%.3f\t%zu\n", load_seconds, load.series->participants.size());

  std::vector<double> times;
  std::size_t count = 0;
  for (int round = 0; round < rounds; ++round) {
    start = std::chrono::steady_clock::now();
    kutsu::scheduler::Plan plan = kutsu::scheduler::plan_series(*load.series);
    times.push_back(seconds_since(start));
    count = plan.notifications.size();
    if (!plan.diagnostics.empty()) {
      std::fprintf(stderr, "%s\n", plan.diagnostics.front().to_string().c_str());
      return 1;
    }
  }
  std::sort(times.begin(), times.end());
  std::printf("plan_median\t%.3f\t%zu\n", times[times.size() / 2], count);

  rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) != 0) {
    std::fprintf(stderr, "getrusage: %s\n", std::strerror(errno));
    return 1;
  }
  std::printf("peak_rss_mb\t%.0f\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
