// Opt-out with the real `kutsu serve`: a participant's mail client makes
// the RFC 8058 one-click POST to the link in List-Unsubscribe; after that
// a reload and an edit of the participants file (the person renamed, a new
// person added) do not bring the reminder back, while everyone else gets
// theirs. A value the daemon did not sign is refused.
#include <gtest/gtest.h>

#include <csignal>
#include <map>

#include "tests/daemon/serve_support.h"
#include "tests/fixtures/email_inspection.h"
#include "tests/fixtures/http_client.h"

namespace kutsu::daemon {
namespace {

using namespace std::chrono_literals;
using testing::Instant;
using testing::ServeProcess;

TEST(ServeOptOut, OneClickThenAReloadAndACsvEditAndThatPersonGetsNoReminder) {
  kutsu::testing::SmtpServer smtp;
  testing::TempDir dir;
  const Instant start = testing::seconds_from_now(20s);
  dir.write("series.d/pian.csv", testing::participants_csv(2));
  dir.write("series.d/pian.toml", testing::series_toml({{"eka", start}}, "PT18S"));
  ServeProcess serve(dir.write("kutsu.toml", testing::daemon_config(dir.path(), smtp.url())));

  // The invitations, each with its recipient's own link on this daemon.
  std::map<std::string, std::string> links;  // recipient → List-Unsubscribe URL
  for (int i = 0; i < 2; ++i) {
    std::optional<kutsu::testing::SmtpServer::Message> invitation = smtp.next_message(20s);
    ASSERT_TRUE(invitation) << serve.process().stdout_text();
    const boost::json::value mail = kutsu::testing::inspect_email(invitation->data);
    std::string header = kutsu::testing::header_value(mail, "List-Unsubscribe");
    EXPECT_EQ(kutsu::testing::header_value(mail, "List-Unsubscribe-Post"),
              "List-Unsubscribe=One-Click");
    ASSERT_TRUE(header.starts_with("<http://127.0.0.1:" + std::to_string(serve.admin_port()) +
                                   "/u/"))
        << header;
    links[invitation->rcpt_tos.at(0)] = header.substr(1, header.size() - 2);
  }
  const std::string link = links.at("osallistuja1@example.org");
  const std::string path = link.substr(link.find("/u/"));

  // A forged value changes nothing; the provider's one-click POST does.
  kutsu::testing::HttpClient client(static_cast<std::uint16_t>(serve.admin_port()));
  std::string forged = path;
  forged[5] = forged[5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(client.post(forged, {}, "List-Unsubscribe=One-Click").value().status, 404);
  const auto clicked = client
                           .post(path, {{"Content-Type", "application/x-www-form-urlencoded"}},
                                 "List-Unsubscribe=One-Click")
                           .value();
  ASSERT_EQ(clicked.status, 200) << clicked.body;
  ASSERT_TRUE(serve.wait_for("a participant opted out of the reminders; 1 notifications stopped",
                             5s))
      << serve.process().stdout_text();

  // The organiser edits the file: the first renamed, and a third person.
  dir.write("series.d/pian.csv",
            "email,name\nosallistuja1@example.org,Osallistuja Yksi\n"
            "osallistuja2@example.org,Osallistuja 2\nosallistuja3@example.org,Osallistuja 3\n");
  serve.process().send_signal(SIGHUP);
  ASSERT_TRUE(serve.wait_for("load in force", 10s)) << serve.process().stdout_text();

  // The newcomer's (late) invitation, then the reminders: not to the first.
  std::map<std::string, std::vector<std::string>> got;  // recipient → subjects
  const auto deadline = start + 3s;
  while (std::chrono::system_clock::now() < deadline) {
    std::optional<kutsu::testing::SmtpServer::Message> message = smtp.next_message(1s);
    if (!message) continue;
    const boost::json::value mail = kutsu::testing::inspect_email(message->data);
    got[message->rcpt_tos.at(0)].push_back(kutsu::testing::header_value(mail, "Subject"));
  }
  EXPECT_EQ(got.count("osallistuja1@example.org"), 0u) << serve.process().stdout_text();
  ASSERT_EQ(got["osallistuja2@example.org"].size(), 1u) << serve.process().stdout_text();
  EXPECT_TRUE(got["osallistuja2@example.org"][0].starts_with("Muistutus"))
      << got["osallistuja2@example.org"][0];
  EXPECT_EQ(got["osallistuja3@example.org"].size(), 2u);  // invitation and reminder
  EXPECT_EQ(serve.terminate(), 0) << serve.process().stdout_text();
}

}  // namespace
}  // namespace kutsu::daemon
