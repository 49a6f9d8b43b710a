#include "model/series_times.h"

#include <algorithm>

#include "model/time_rules.h"

namespace kutsu::model {
namespace {

// Converts written times of one series, collecting diagnostics as it goes.
class TimeReader {
 public:
  TimeReader(const agenda::Series& series, Diagnostics& diagnostics)
      : zone_(*series.zone), file_(series.source_file.string()), diagnostics_(diagnostics) {}

  // `exact` (if given) is cleared when the reading is in a gap or fold.
  date::sys_seconds instant(const agenda::WrittenTime& time, bool* exact = nullptr) {
    Result<date::sys_seconds> converted = written_instant(time, zone_);
    if (converted) return *converted;
    diagnostics_.push_back(Diagnostic{file_, time.pos, converted.error().message});
    if (exact) *exact = false;
    return resolve_computed(time.local, zone_);
  }

 private:
  const date::time_zone& zone_;
  std::string file_;
  Diagnostics& diagnostics_;
};

}  // namespace

TimesConversion convert_times(const agenda::Series& series) {
  TimesConversion result;
  TimeReader reader(series, result.diagnostics);
  SeriesTimes& times = result.times;

  std::optional<date::sys_seconds> send_at;
  if (series.invitation && series.invitation->send_at) {
    send_at = reader.instant(*series.invitation->send_at, &result.invitation_exact);
  }

  times.sessions.reserve(series.sessions.size());
  result.start_exact.reserve(series.sessions.size());
  for (const agenda::Session& session : series.sessions) {
    bool start_exact = true;
    SessionTimes session_times{reader.instant(session.start, &start_exact),
                               reader.instant(session.end), std::nullopt};
    result.start_exact.push_back(start_exact);
    if (session.doors_open) session_times.doors_open = reader.instant(*session.doors_open);
    for (const agenda::AgendaItem& item : session.agenda) {
      (void)reader.instant(item.start);  // checked only: the notifier shows items as written
      if (item.end) (void)reader.instant(*item.end);
    }
    times.sessions.push_back(session_times);
  }

  if (times.sessions.empty()) return result;
  auto first = std::min_element(
      times.sessions.begin(), times.sessions.end(),
      [](const SessionTimes& a, const SessionTimes& b) { return a.start < b.start; });
  times.first_session = static_cast<std::size_t>(first - times.sessions.begin());
  times.series_span.start = first->start;
  times.series_span.end =
      std::max_element(times.sessions.begin(), times.sessions.end(),
                       [](const SessionTimes& a, const SessionTimes& b) { return a.end < b.end; })
          ->end;

  if (series.invitation) {
    if (send_at) {
      times.invitation_due = send_at;
    } else if (series.invitation->before) {
      times.invitation_due =
          offset_before(first->start, *series.invitation->before, std::nullopt, *series.zone);
    }
  }
  return result;
}

}  // namespace kutsu::model
