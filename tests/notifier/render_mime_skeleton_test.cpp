// Messages filled into a skeleton (detail/mime_skeleton.h) must be byte for
// byte what build_mime (GMime building the whole message) gives. Each test
// renders several messages of one shape — the first ones make the skeleton,
// the rest are filled — with recipients and bodies chosen to stress GMime's
// encoders: folding, encoded words, quoting, long and odd lines.
#include "notifier/detail/mime_skeleton.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "notifier/mime_builder.h"

namespace kutsu::notifier::detail {
namespace {

const char* const kIds[] = {"0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210",
                            "00000000000000000000000000000000", "a1b2c3d4e5f60718293a4b5c6d7e8f90",
                            "ffffffffffffffffffffffffffffffff", "5e471a3c9b0d2f86e1c4a7b3d9f02e68"};

MailContent shape() {
  MailContent content;
  content.from = Mailbox{"Webinaarit", "webinaarit@example.org"};
  content.reply_to = Mailbox{"Liisa Esimerkki", "liisa@example.org"};
  content.subject =
      "Muistutus: Valtakunnallisen yhteistyön käynnistäminen ke 2.2.2022 klo 18.00–19.30";
  content.date = date::sys_days{date::year{2022} / 1 / 19} + std::chrono::hours{7};
  content.language = "fi";
  return content;
}

MailContent message(const MailContent& shape, int index, const Mailbox& to, std::string text,
                    std::string html) {
  MailContent out = shape;
  const std::string id = kIds[index % std::size(kIds)];
  out.message_id = id + "@example.org";
  out.boundary_seed = id;
  out.to = to;
  out.text = std::move(text);
  out.html = std::move(html);
  return out;
}

class MimeSkeleton : public ::testing::Test {
 protected:
  // Builds `content` both ways and compares.
  void expect_same(const MailContent& content) {
    Result<std::string> fast = skeletons_.build(content);
    Result<std::string> full = build_mime(content);
    ASSERT_TRUE(fast.ok() && full.ok());
    EXPECT_EQ(*fast, *full) << "to: " << content.to.name << " <" << content.to.email << ">";
  }

  MimeSkeletons skeletons_;
};

const Mailbox kRecipients[] = {
    {"Aino Virtanen", "aino.virtanen@example.org"},
    {"", "nimeton@example.org"},
    {"Åsa-Märta Östergård-Lindqvist von Björkenheim af Häggblom och Gyllenstolpe",
     "asa-marta.ostergard-lindqvist.von.bjorkenheim@pitka-verkkotunnus.example.org"},
    {"Virtanen, Aino \"Aikku\" (hallitus) <pj>", "aino+pj@example.org"},
    {"John Smith", "john.smith@example.org"},
    {"Ελένη Παπαδοπούλου 山田太郎", "eleni@example.org"},
    {"Rivi\r\nBcc: uhri@example.org", "injektio@example.org"},
    {"Jussi    Välilyönti  ", "  jussi@example.org "},
    {std::string(90, 'x'), std::string(70, 'y') + "@example.org"},
};

TEST_F(MimeSkeleton, RecipientsOfEveryShapeGetGMimesBytes) {
  const MailContent base = shape();
  int index = 0;
  for (int round = 0; round < 2; ++round) {
    for (const Mailbox& to : kRecipients) {
      expect_same(message(base, index++, to, "Hei " + to.name + ",\n\ntervetuloa!\n",
                          "<p>Hei " + to.name + ",</p>\n<p>tervetuloa!</p>\n"));
    }
  }
  EXPECT_GT(skeletons_.filled(), 0);
}

// Each recipient's own opt-out link, short and long (an address of 254
// characters makes a link of about 450), and links the skeleton must leave
// to GMime (white space, a line's worth of characters).
TEST_F(MimeSkeleton, OptOutLinksOfEveryLengthGetGMimesBytes) {
  const MailContent base = shape();
  std::vector<std::string> links;
  for (std::size_t length : {1u, 40u, 77u, 78u, 150u, 450u, 899u}) {
    links.push_back("https://kutsu.example.org/u/" + std::string(length, 'v') + "." +
                    std::string(43, 'm'));
  }
  links.push_back("https://kutsu.example.org/u/with space");
  links.push_back("https://kutsu.example.org/u/" + std::string(1200, 'w'));
  const long filled_before = skeletons_.filled();
  int index = 0;
  for (int round = 0; round < 2; ++round) {
    for (const std::string& link : links) {
      MailContent content = message(base, index, kRecipients[index % std::size(kRecipients)],
                                    "Hei,\n\n" + link + "\n", "<p><a href=\"" + link + "\">x</a></p>\n");
      content.opt_out_url = link;
      expect_same(content);
      ++index;
    }
  }
  EXPECT_GT(skeletons_.filled(), filled_before);
}

TEST_F(MimeSkeleton, BodiesThatStressQuotedPrintable) {
  const std::vector<std::string> bodies = {
      "Ei rivinvaihtoa lopussa",
      "Rivi jonka lopussa on välilyöntejä   \nja tabulaattori\t\nloppu\n",
      std::string(200, 'a') + "\n" + std::string(76, 'b') + "\n" + std::string(75, 'c') + "=\n",
      "=alkaa yhtäsuuruusmerkillä\n.piste rivin alussa\nFrom alku\n",
      "Ääkköset: äöåÄÖÅ — “lainaus” ja € 😀\n",
      std::string(5000, 'z') + "\n" + std::string(3000, 'q'),
      "CRLF\r\nrivit\r\nja yksinäinen CR\rloppu\n",
      std::string("ohjausmerkit \x01\x02\x7f ja NUL\0 jatkuu\n", 32),
      "\n\n\ntyhjiä rivejä alussa\n\n\n",
      std::string("rikkinäinen UTF-8 \xff\xfe loppu\n"),
  };
  const MailContent base = shape();
  int index = 0;
  for (int round = 0; round < 3; ++round) {
    for (const std::string& body : bodies) {
      const Mailbox& to = kRecipients[index % std::size(kRecipients)];
      expect_same(message(base, index, to, body, "<p>" + body + "</p>"));
      ++index;
    }
  }
  EXPECT_GT(skeletons_.filled(), 0);
}

TEST_F(MimeSkeleton, CalendarPartsOfEveryMethod) {
  for (CalendarMethod method :
       {CalendarMethod::publish, CalendarMethod::request, CalendarMethod::cancel}) {
    MailContent base = shape();
    base.calendar = CalendarPart{method, "", "invite.ics"};
    for (int index = 0; index < 6; ++index) {
      MailContent content = message(base, index, kRecipients[index], "Teksti\n", "<p>HTML</p>\n");
      content.calendar->text = "BEGIN:VCALENDAR\r\nMETHOD:" + std::string{to_string(method)} +
                               "\r\nX-N:" + std::to_string(index) + std::string(index * 37, 'k') +
                               "\r\nEND:VCALENDAR\r\n";
      expect_same(content);
    }
  }
  EXPECT_GT(skeletons_.filled(), 0);
}

TEST_F(MimeSkeleton, ShapesThatDoNotFitAreBuiltByGMime) {
  MailContent base = shape();
  // Not a 32-digit hex id: the boundary could fold or quote differently.
  for (int index = 0; index < 3; ++index) {
    MailContent content = message(base, index, kRecipients[0], "a\n", "b\n");
    content.boundary_seed = "ID-" + std::to_string(index);
    content.message_id = content.boundary_seed + "@example.org";
    expect_same(content);
  }
  // Empty bodies have no sentinel to find.
  for (int index = 0; index < 3; ++index) {
    expect_same(message(base, index, kRecipients[0], "", ""));
  }
  EXPECT_EQ(skeletons_.filled(), 0);
}

TEST_F(MimeSkeleton, EveryConstantFieldIsPartOfTheShape) {
  std::vector<MailContent> shapes;
  for (int variant = 0; variant < 6; ++variant) {
    MailContent content = shape();
    if (variant == 1) content.subject = "Toinen aihe";
    if (variant == 2) content.date += std::chrono::seconds{1};
    if (variant == 3) content.from.name = "Toinen lähettäjä";
    if (variant == 4) content.reply_to.email = "toinen@example.org";
    if (variant == 5) content.language = "sv";
    shapes.push_back(content);
  }
  int index = 0;
  for (int round = 0; round < 3; ++round) {
    for (const MailContent& base : shapes) {
      expect_same(message(base, index, kRecipients[index % 3], "teksti\n", "<p>html</p>\n"));
      ++index;
    }
  }
  EXPECT_GT(skeletons_.filled(), 0);
}

TEST_F(MimeSkeleton, SentinelTextInTheShapeIsNoProblem) {
  // A subject that happens to contain a sentinel: the cut would be ambiguous,
  // so the shape must be refused (or cut correctly) — never wrong.
  MailContent base = shape();
  base.subject = "KutsuTextSentinelAlpha 5e471a3c9b0d2f86e1c4a7b3d9f02e68";
  for (int index = 0; index < 4; ++index) {
    expect_same(message(base, index, kRecipients[index], "KutsuTextSentinelAlpha\n", "x\n"));
  }
}

}  // namespace
}  // namespace kutsu::notifier::detail
