#include "tests/model/sample_series.h"

#include <date/tz.h>

namespace kutsu::model::testing {

agenda::WrittenTime local(int year, unsigned month, unsigned day, int hour, int minute,
                          SourcePos pos) {
  date::local_days date{date::year{year} / date::month{month} / date::day{day}};
  return agenda::WrittenTime{date + std::chrono::hours{hour} + std::chrono::minutes{minute},
                             std::nullopt, pos};
}

agenda::WrittenTime with_offset(int year, unsigned month, unsigned day, int hour, int minute,
                                std::chrono::minutes offset, SourcePos pos) {
  agenda::WrittenTime time = local(year, month, day, hour, minute, pos);
  time.utc_offset = offset;
  return time;
}

date::sys_seconds utc(int year, unsigned month, unsigned day, int hour, int minute) {
  date::sys_days date{date::year{year} / date::month{month} / date::day{day}};
  return date + std::chrono::hours{hour} + std::chrono::minutes{minute};
}

agenda::Duration days(int n) { return agenda::Duration(n, std::chrono::seconds{0}); }
agenda::Duration hours(int n) { return agenda::Duration(0, std::chrono::hours{n}); }

agenda::Reminder reminder(agenda::Duration before, SourcePos pos) {
  agenda::Reminder result;
  result.before = before;
  result.pos = pos;
  return result;
}

agenda::Participant participant(std::string email, std::vector<std::string> roles) {
  agenda::Participant result;
  result.email = std::move(email);
  result.roles = std::move(roles);
  return result;
}

agenda::Session session(std::string id, agenda::WrittenTime start) {
  agenda::Session result;
  result.id = std::move(id);
  result.title = "Session " + result.id;
  result.start = start;
  result.end = start;
  result.end.local += std::chrono::minutes{90};
  return result;
}

agenda::Series empty_series(std::string_view zone) {
  agenda::Series series;
  series.source_file = "webinaarit.toml";
  series.id = "webinaarit";
  series.title = "Webinaarit";
  series.timezone = std::string(zone);
  series.zone = date::locate_zone(zone);
  series.organiser = {"Webinaaritiimi", "webinaarit@example.org"};
  return series;
}

agenda::Series invited_series() {
  agenda::Series series = empty_series();
  series.participants = {participant("matti@example.org"), participant("liisa@example.org")};
  series.invitation = agenda::Invitation{local(2022, 1, 19, 9, 0), std::nullopt, {}};
  series.reminders.push_back(reminder(hours(1)));
  series.sessions.push_back(session("verkosto", local(2022, 2, 2, 18, 0)));
  return series;
}

}  // namespace kutsu::model::testing
