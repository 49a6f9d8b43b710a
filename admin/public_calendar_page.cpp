#include "admin/public_calendar_page.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <chrono>

#include "admin/detail/html_text.h"

namespace kutsu::admin {
namespace {

constexpr std::size_t kMaxSessions = 500;
constexpr auto kHorizon = std::chrono::days(366);

using detail::html_escaped;

// "Tuesday 2 February 2027": a day as the heading of its sessions.
std::string day_words(date::local_days day) {
  const date::year_month_day ymd{day};
  return date::format("%A ", day) + std::to_string(static_cast<unsigned>(ymd.day())) +
         date::format(" %B %Y", day);
}

struct Listed {
  const agenda::Series* series;
  const agenda::Session* session;
  date::sys_seconds start;
  date::sys_seconds end;
  date::local_seconds local_start;  // in the series zone
  date::local_seconds local_end;
};

std::vector<Listed> upcoming(const std::vector<SeriesView>& views, store::Instant now) {
  std::vector<Listed> listed;
  for (const SeriesView& view : views) {
    if (view.series == nullptr || view.plan == nullptr || !view.series->is_public) continue;
    const agenda::Series& series = *view.series;
    for (const agenda::Session& session : series.sessions) {
      const model::SessionTimes& times = view.plan->times_of(session);
      if (times.end < now || times.start > now + kHorizon) continue;
      listed.push_back(Listed{&series, &session, times.start, times.end,
                              series.zone->to_local(times.start), series.zone->to_local(times.end)});
    }
  }
  std::sort(listed.begin(), listed.end(), [](const Listed& a, const Listed& b) {
    if (a.start != b.start) return a.start < b.start;
    if (a.series->id != b.series->id) return a.series->id < b.series->id;
    return a.session->id < b.session->id;
  });
  if (listed.size() > kMaxSessions) listed.resize(kMaxSessions);
  return listed;
}

constexpr std::string_view kStyle = R"css(
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}
main{max-width:48rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.5rem 0}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem;border-bottom:1px solid #767676}
ul{list-style:none;padding:0;margin:0}
li{margin:0 0 1rem}
h3{font-size:1rem;margin:0}
p{margin:.1rem 0;overflow-wrap:anywhere}
.when{font-weight:600}
.cancelled{color:#9b1c1c;font-weight:600}
a{color:#0b57a4}
)css";

void write_session(std::string& html, const Listed& item) {
  const agenda::Series& series = *item.series;
  const agenda::Session& session = *item.session;
  const std::string zone{series.zone->name()};
  const bool same_day = date::floor<date::days>(item.local_start) == date::floor<date::days>(item.local_end);
  html += "<li lang=\"" + std::string(agenda::to_string(series.language)) + "\">";
  html += "<h3>" + html_escaped(session.title) + "</h3>";
  if (session.cancelled) html += "<p class=\"cancelled\">Cancelled</p>";
  html += "<p class=\"when\"><time datetime=\"" + date::format("%FT%TZ", item.start) + "\">" +
          date::format("%H:%M", item.local_start) + "</time>–<time datetime=\"" +
          date::format("%FT%TZ", item.end) + "\">" +
          (same_day ? date::format("%H:%M", item.local_end)
                    : day_words(date::floor<date::days>(item.local_end)) + " " + date::format("%H:%M", item.local_end)) +
          "</time> <span>(" + html_escaped(zone) + ")</span></p>";
  if (!session.location.empty()) html += "<p>" + html_escaped(session.location) + "</p>";
  if (!session.speakers.empty()) {
    std::string names;
    for (const std::string& name : session.speakers) names += (names.empty() ? "" : ", ") + name;
    html += "<p>" + html_escaped(names) + "</p>";
  }
  html += "<p>" + html_escaped(series.title) + " · <a href=\"/series/" + html_escaped(series.id) +
          ".ics\">subscribe to this series</a></p>";
  html += "</li>";
}

}  // namespace

std::string public_calendar_page(const std::vector<SeriesView>& series, store::Instant now) {
  const std::vector<Listed> listed = upcoming(series, now);
  std::string html =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>Public events</title><style>";
  html += kStyle;
  html += "</style></head><body><main><h1>Public events</h1>"
          "<p><a href=\"/calendar.ics\">Subscribe to every event in your calendar app</a> (iCalendar)</p>";
  if (listed.empty()) html += "<p>No public events are coming up.</p>";
  std::optional<date::local_days> day;
  for (const Listed& item : listed) {
    const date::local_days item_day = date::floor<date::days>(item.local_start);
    if (!day || *day != item_day) {
      if (day) html += "</ul>";
      day = item_day;
      html += "<h2><time datetime=\"" + date::format("%F", item_day) + "\">" +
              day_words(item_day) + "</time></h2><ul>";
    }
    write_session(html, item);
  }
  if (day) html += "</ul>";
  html += "</main></body></html>\n";
  return html;
}

}  // namespace kutsu::admin
