#include "admin/api_json.h"

#include <array>

#include "model/time_format.h"

namespace kutsu::admin {

namespace json = boost::json;
using store::NotificationState;

namespace {

// The order admin-api.md lists them in: the life of a notification.
constexpr std::array<NotificationState, 7> kCountsOrder = {
    NotificationState::pending,   NotificationState::sending, NotificationState::retrying,
    NotificationState::sent,      NotificationState::failed,  NotificationState::missed,
    NotificationState::superseded};

json::value optional_text(const std::optional<std::string>& text) {
  return text ? json::value(*text) : json::value(nullptr);
}

json::value optional_instant(const std::optional<store::Instant>& at) {
  return at ? json::value(model::format_utc(*at)) : json::value(nullptr);
}

}  // namespace

json::object counts_json(const store::StateCounts& counts) {
  json::object object;
  for (NotificationState state : kCountsOrder) object[to_string(state)] = counts[state];
  return object;
}

json::object notification_json(const store::NotificationRow& row, const date::time_zone* zone) {
  return json::object{
      {"id", row.id},
      {"series", row.series_id},
      {"session", optional_text(row.session_id)},
      {"kind", row.kind},
      {"offset", optional_text(row.offset)},
      {"channel", row.channel},
      {"recipient", row.recipient},
      {"due", model::format_utc(row.due)},
      {"due_local",
       zone ? json::value(model::format_in_zone(row.due, *zone)) : json::value(nullptr)},
      {"state", to_string(row.state)},
      {"attempts", row.attempts},
      {"next_attempt_at", optional_instant(row.next_attempt_at)},
      {"last_result", optional_text(row.last_result)},
      {"sent_at", optional_instant(row.sent_at)},
      {"updated_at", model::format_utc(row.updated_at)},
  };
}

json::object attempt_json(const store::Attempt& attempt) {
  return json::object{
      {"at", model::format_utc(attempt.at)},
      {"outcome", to_string(attempt.result.outcome)},
      {"code", attempt.result.code ? json::value(*attempt.result.code) : json::value(nullptr)},
      {"detail", attempt.result.detail},
  };
}

json::object opt_out_json(const store::OptOut& opt_out) {
  return json::object{
      {"series", opt_out.series_id},
      {"recipient", opt_out.recipient},
      {"scope", store::to_string(opt_out.scope)},
      {"at", model::format_utc(opt_out.at)},
  };
}

json::object session_summary_json(const agenda::Session& session, const model::SessionTimes& times,
                                  const date::time_zone& zone) {
  return json::object{
      {"id", session.id},
      {"title", session.title},
      {"start", model::format_utc(times.start)},
      {"end", model::format_utc(times.end)},
      {"start_local", model::format_in_zone(times.start, zone)},
      {"end_local", model::format_in_zone(times.end, zone)},
      {"cancelled", session.cancelled},
  };
}

json::object reload_report_json(const model::LoadReport& report) {
  json::array files;
  for (const model::FileReport& file : report.files) {
    json::array errors;
    for (const std::string& error : file.errors) errors.emplace_back(error);
    json::array notices;
    for (const std::string& notice : file.notices) notices.emplace_back(notice);
    files.emplace_back(json::object{
        {"file", file.file.string()},
        {"series", optional_text(file.series_id)},
        {"ok", file.ok},
        {"changed", file.changed},
        {"kept_previous", file.kept_previous},
        {"errors", std::move(errors)},
        {"notices", std::move(notices)},
    });
  }
  json::array removed;
  for (const std::string& id : report.removed) removed.emplace_back(id);
  return json::object{
      {"at", model::format_utc(report.at)},   {"ok", report.ok()},
      {"error", optional_text(report.error)}, {"files", std::move(files)},
      {"removed", std::move(removed)},
  };
}

}  // namespace kutsu::admin
