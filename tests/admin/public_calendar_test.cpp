// The public event calendar (GET /calendar and /calendar.ics): no token,
// only series marked `public = true`, and nothing that is not for everyone —
// no join link, no organiser or participant address — in what it serves.
#include <gtest/gtest.h>

#include <string>

#include "tests/admin/admin_harness.h"

namespace kutsu::admin::testing {
namespace {

TEST(PublicCalendar, ListsNothingWhileNoSeriesIsPublic) {
  AdminHarness harness;
  auto client = harness.client();
  const auto page = client.get("/calendar").value();
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("No public events are coming up."), std::string::npos);
  EXPECT_EQ(page.body.find("Valtakunnallisen"), std::string::npos);
  EXPECT_EQ(client.get("/calendar.ics").value().status, 404);
}

TEST(PublicCalendar, APublicSeriesIsListedByDayWithoutLinksOrAddresses) {
  AdminHarness harness;
  harness.on_loop([](TestDaemonView& daemon) { daemon.example_to_change().is_public = true; });
  auto client = harness.client();  // no token
  const auto page = client.get("/calendar").value();
  ASSERT_EQ(page.status, 200);
  const std::string& html = page.body;
  EXPECT_NE(html.find("<h2><time datetime=\"2022-02-02\">Wednesday 2 February 2022</time></h2>"), std::string::npos)
      << html;
  EXPECT_NE(html.find("<li lang=\"fi\"><h3>Valtakunnallisen yhteistyön käynnistäminen</h3>"), std::string::npos);
  EXPECT_NE(html.find("<time datetime=\"2022-02-02T16:00:00Z\">18:00</time>–<time "
                      "datetime=\"2022-02-02T17:30:00Z\">19:30</time> <span>(Europe/Helsinki)</span>"),
            std::string::npos);
  EXPECT_NE(html.find("href=\"/series/aluevaltuutetut-2022.ics\""), std::string::npos);
  std::size_t sessions = 0;
  for (std::size_t at = html.find("<h3>"); at != std::string::npos; at = html.find("<h3>", at + 1)) ++sessions;
  EXPECT_EQ(sessions, 5u);
  // Nothing that is for the invited or the organiser only.
  EXPECT_EQ(html.find("https://example.org/zoom"), std::string::npos);
  EXPECT_EQ(html.find("@example.org"), std::string::npos);

  const auto feed = client.get("/calendar.ics").value();
  EXPECT_EQ(feed.status, 200);
  EXPECT_EQ(feed.header("content-type"), "text/calendar; charset=utf-8");
  EXPECT_EQ(client.post("/calendar").value().status, 405);
}

TEST(PublicCalendar, TextFromTheSeriesFileIsEscaped) {
  AdminHarness harness;
  harness.on_loop([](TestDaemonView& daemon) {
    agenda::Series& series = daemon.example_to_change();
    series.is_public = true;
    series.sessions[0].title = "<script>alert(\"x\")</script> & more";
  });
  const auto page = harness.client().get("/calendar").value();
  EXPECT_EQ(page.body.find("<script>"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more"), std::string::npos);
}

}  // namespace
}  // namespace kutsu::admin::testing
