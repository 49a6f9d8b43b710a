// session_id: ids made from titles, shared by both importers.
#include "importer/detail/session_id.h"

#include <gtest/gtest.h>

#include <regex>

namespace kutsu::importer::detail {
namespace {

TEST(SessionId, FinnishAndSwedishLettersBecomeAscii) {
  std::set<std::string> taken;
  EXPECT_EQ(session_id("Työpaja: Äänestys & tulokset", taken), "tyopaja-aanestys-tulokset");
  EXPECT_EQ(session_id("Åbo café — möte", taken), "abo-cafe-mote");
  EXPECT_EQ(session_id("Straße", taken), "strasse");
  EXPECT_EQ(session_id("東京", taken), "dong-jing");
}

TEST(SessionId, DuplicatesAreNumbered) {
  std::set<std::string> taken;
  EXPECT_EQ(session_id("Aamukahvit", taken), "aamukahvit");
  EXPECT_EQ(session_id("aamukahvit!", taken), "aamukahvit-2");
  EXPECT_EQ(session_id("Aamukahvit", taken), "aamukahvit-3");
}

TEST(SessionId, LongTitlesAreCutAtAWord) {
  std::set<std::string> taken;
  const std::string id =
      session_id("Valtakunnallisen yhteistyön käynnistäminen ja alueellinen verkostotyö", taken);
  EXPECT_EQ(id, "valtakunnallisen-yhteistyon");
  EXPECT_LE(id.size(), kSessionIdLength);
  const std::string one_word = session_id(std::string(100, 'x'), taken);
  EXPECT_EQ(one_word, std::string(kSessionIdLength, 'x'));
}

TEST(SessionId, NothingUsableGivesSession) {
  std::set<std::string> taken;
  EXPECT_EQ(session_id("", taken), "session");
  EXPECT_EQ(session_id("!!! ???", taken), "session-2");
  EXPECT_EQ(session_id("\xff\xfe broken", taken), "broken");
}

TEST(SessionId, AlwaysMatchesTheIdPattern) {
  const std::regex pattern("[a-z0-9][a-z0-9-]{0,63}");
  std::set<std::string> taken;
  for (const char* title : {"-leading dash", "  spaces  ", "Встреча команды", "東京", "x-", "12:00 Lounas",
                            "a--b", "ÉÈÊ", "\t\n"}) {
    for (int i = 0; i < 12; ++i) {
      const std::string id = session_id(title, taken);
      EXPECT_TRUE(std::regex_match(id, pattern)) << title << " → " << id;
    }
  }
}

}  // namespace
}  // namespace kutsu::importer::detail
