// The series routes of AdminApi: every loaded series, and one in detail.
#include <algorithm>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "admin/api_handlers.h"
#include "admin/api_json.h"
#include "admin/daily_load.h"
#include "model/time_format.h"

#include <date/date.h>

namespace kutsu::admin {

namespace json = boost::json;

namespace {

// The first session (in time) that has not ended by `now`.
json::value next_session_json(const SeriesView& view, store::Instant now) {
  const agenda::Session* next = nullptr;
  for (const agenda::Session& session : view.series->sessions) {
    const model::SessionTimes& times = view.plan->times_of(session);
    if (times.end <= now) continue;
    if (!next || times.start < view.plan->times_of(*next).start) next = &session;
  }
  if (!next) return nullptr;
  return session_summary_json(*next, view.plan->times_of(*next), *view.series->zone);
}

json::object series_head_json(const agenda::Series& series) {
  return json::object{
      {"id", series.id},
      {"title", series.title},
      {"timezone", series.timezone},
      {"file", series.source_file.string()},
      {"language", to_string(series.language)},
  };
}

json::value version_json(const std::optional<store::SeriesVersion>& version) {
  if (!version) return nullptr;
  json::array errors;
  std::string_view rest = version->errors;
  while (!rest.empty()) {
    const std::size_t end = std::min(rest.find('\n'), rest.size());
    if (end > 0) errors.emplace_back(rest.substr(0, end));
    rest.remove_prefix(std::min(end + 1, rest.size()));
  }
  return json::object{
      {"content_hash", version->content_hash},
      {"loaded_at", model::format_utc(version->loaded_at)},
      {"ok", version->ok},
      {"errors", std::move(errors)},
  };
}

// A recurring session and where its occurrences are in `sessions`.
json::object recurring_json(const agenda::Series& series, const agenda::RecurringSession& recurring) {
  const agenda::Recurrence& recurrence = recurring.recurrence;
  json::array occurrences;
  for (std::size_t index : recurring.occurrences) {
    occurrences.emplace_back(series.sessions[index].id);
  }
  json::object object{
      {"id", recurring.id},
      {"repeat", recurrence.rule ? json::value(*recurrence.rule) : json::value(nullptr)},
      {"open_ended", recurrence.open_ended},
      {"dates_file",
       recurrence.dates_file ? json::value(recurrence.dates_file->string()) : json::value(nullptr)},
      {"occurrences", std::move(occurrences)},
  };
  return object;
}

int sequence_of(const SeriesView& view, const std::string& session_id) {
  if (!view.sequences) return 0;
  auto found = view.sequences->find(session_id);
  return found == view.sequences->end() ? 0 : found->second;
}

// What the series route reads from the outbox, one answer after another.
struct SeriesFigures {
  std::optional<store::SeriesVersion> version;
  std::vector<store::SessionStateCounts> by_session;
  store::StateCounts total;
  std::vector<store::DueSlice> slices;
};

}  // namespace

// Every series' counts, one query after another, then the list built from
// the series in force at that moment (a reload may have come meanwhile).
void AdminApi::series_list(Respond respond) {
  std::vector<std::string> ids;
  for (const SeriesView& view : daemon_.series()) ids.push_back(view.series->id);
  count_series(std::move(ids), 0, std::make_shared<std::map<std::string, store::StateCounts>>(),
               std::move(respond));
}

void AdminApi::count_series(std::vector<std::string> ids, std::size_t next,
                            std::shared_ptr<std::map<std::string, store::StateCounts>> counts,
                            Respond respond) {
  if (next == ids.size()) {
    return answer_guarded(respond, "listing series",
                          [&] { answer_series_list(*counts, respond); });
  }
  const std::string id = ids[next];
  daemon_.async_outbox().async_state_counts(
      id, std::nullopt,
      guarded([this, ids = std::move(ids), next, counts, respond](
                  Result<store::StateCounts> counted) mutable {
        if (!counted) return respond(store_failure("counting a series", counted.error()));
        (*counts)[ids[next]] = *counted;
        count_series(std::move(ids), next + 1, std::move(counts), std::move(respond));
      }));
}

void AdminApi::answer_series_list(const std::map<std::string, store::StateCounts>& counts,
                                  const Respond& respond) {
  std::vector<SeriesView> views = daemon_.series();
  std::sort(views.begin(), views.end(),
            [](const SeriesView& a, const SeriesView& b) { return a.series->id < b.series->id; });
  const store::Instant now = daemon_.now();
  json::array list;
  for (const SeriesView& view : views) {
    auto counted = counts.find(view.series->id);
    const auto cancelled = std::count_if(view.series->sessions.begin(), view.series->sessions.end(),
                                         [](const agenda::Session& s) { return s.cancelled; });
    json::object object = series_head_json(*view.series);
    object["sessions"] = view.series->sessions.size();
    object["cancelled_sessions"] = cancelled;
    // A recurring session's occurrences are counted among the sessions;
    // this groups them under it.
    json::array recurring;
    for (const agenda::RecurringSession& each : view.series->recurring) {
      recurring.emplace_back(
          json::object{{"id", each.id}, {"occurrences", each.occurrences.size()}});
    }
    object["recurring"] = std::move(recurring);
    object["next_session"] = next_session_json(view, now);
    // A series loaded since the counts were read shows none yet.
    object["counts"] = counts_json(counted == counts.end() ? store::StateCounts{} : counted->second);
    list.emplace_back(std::move(object));
  }
  respond(json_response(status::ok, json::object{{"series", std::move(list)}}));
}

void AdminApi::series(std::string_view id, Respond respond) {
  std::optional<SeriesView> view = daemon_.series(id);
  if (!view || !view->series) {
    return respond(error_response(status::not_found, "no series " + std::string(id) + " is loaded"));
  }
  // The window of the load ahead, in the series' zone, fixed now.
  const store::Instant now = daemon_.now();
  const store::Instant window_end = load_window_end(*view->series->zone, now, kLoadDays);
  auto figures = std::make_shared<SeriesFigures>();
  const std::string series_id(id);

  // Built from the series in force when the last answer comes.
  auto answer = [this, respond, figures, series_id, now]() {
    answer_guarded(respond, "a series", [&] {
      std::optional<SeriesView> view = daemon_.series(series_id);
      if (!view || !view->series) {
        return respond(error_response(status::not_found, "no series " + series_id + " is loaded"));
      }
      const agenda::Series& series = *view->series;
      auto counts_of = [&](std::string_view session_id) {
        for (const store::SessionStateCounts& entry : figures->by_session) {
          if (entry.session_id.value_or("") == session_id) return counts_json(entry.counts);
        }
        return counts_json(store::StateCounts{});
      };
      json::array sessions;
      for (const agenda::Session& session : series.sessions) {
        json::object object =
            session_summary_json(session, view->plan->times_of(session), *series.zone);
        object["sequence"] = sequence_of(*view, session.id);
        object["counts"] = counts_of(session.id);
        // An occurrence names its recurring session and the date the rule
        // gave it (its id's date, kept when it moved).
        if (session.occurrence) {
          object["recurring"] = series.recurring[session.occurrence->recurring].id;
          object["planned_date"] = date::format("%F", session.occurrence->planned);
          object["changed"] = session.occurrence->changed;
        } else {
          object["recurring"] = nullptr;
        }
        sessions.emplace_back(std::move(object));
      }
      json::array recurring;
      for (const agenda::RecurringSession& each : series.recurring) {
        recurring.emplace_back(recurring_json(series, each));
      }
      json::object object = series_head_json(series);
      object["version"] = version_json(figures->version);
      object["invitation"] = json::object{{"counts", counts_of("")}};
      object["sessions"] = std::move(sessions);
      object["recurring"] = std::move(recurring);
      object["counts"] = counts_json(figures->total);
      // What is still to send on each of the next 28 days of the series'
      // zone, today first: when the load comes.
      json::array days;
      for (const DayLoad& day : daily_load(figures->slices, *series.zone, now, kLoadDays)) {
        days.emplace_back(json::object{{"date", date::format("%F", day.day)}, {"count", day.count}});
      }
      object["load"] = std::move(days);
      respond(json_response(status::ok, object));
    });
  };

  auto slices = [this, respond, figures, series_id, window_end, answer]() {
    daemon_.async_outbox().async_pending_by_slice(
        series_id, window_end, kLoadSlice,
        guarded([respond, figures, answer](Result<std::vector<store::DueSlice>> found) {
          if (!found) return respond(store_failure("counting the load ahead", found.error()));
          figures->slices = std::move(*found);
          answer();
        }));
  };
  auto total = [this, respond, figures, series_id, slices]() {
    daemon_.async_outbox().async_state_counts(series_id, std::nullopt,
                              guarded([respond, figures, slices](Result<store::StateCounts> found) {
                                if (!found) return respond(store_failure("counting a series", found.error()));
                                figures->total = *found;
                                slices();
                              }));
  };
  auto by_session = [this, respond, figures, series_id, total]() {
    daemon_.async_outbox().async_session_state_counts(
        series_id,
        guarded([respond, figures, total](Result<std::vector<store::SessionStateCounts>> found) {
          if (!found) return respond(store_failure("counting sessions", found.error()));
          figures->by_session = std::move(*found);
          total();
        }));
  };
  daemon_.async_outbox().async_series_version(
      series_id,
      guarded([respond, figures, by_session](Result<std::optional<store::SeriesVersion>> found) {
        if (!found) return respond(store_failure("reading a series version", found.error()));
        figures->version = std::move(*found);
        by_session();
      }));
}

}  // namespace kutsu::admin
