// The small model functions: names of languages, channels and agenda item
// kinds, and the audience rule.
#include <gtest/gtest.h>

#include "agenda/series.h"

namespace kutsu::agenda {
namespace {

TEST(Language, RoundTripsAndRejectsOthers) {
  for (Language language : {Language::fi, Language::sv, Language::en}) {
    EXPECT_EQ(parse_language(to_string(language)), language);
  }
  EXPECT_EQ(to_string(Language::sv), "sv");
  EXPECT_FALSE(parse_language("FI").has_value());
  EXPECT_FALSE(parse_language("se").has_value());
  EXPECT_FALSE(parse_language("").has_value());
}

TEST(Channel, RoundTripsAndRejectsOthers) {
  EXPECT_EQ(parse_channel("email"), Channel::email);
  EXPECT_EQ(parse_channel("webhook"), Channel::webhook);
  EXPECT_EQ(to_string(Channel::email), "email");
  EXPECT_EQ(to_string(Channel::webhook), "webhook");
  EXPECT_FALSE(parse_channel("e-mail").has_value());
}

TEST(AgendaItemKind, BreakIsSpelledWithoutTheUnderscore) {
  EXPECT_EQ(to_string(AgendaItemKind::break_), "break");
  EXPECT_EQ(to_string(AgendaItemKind::culture), "culture");
}

TEST(Audience, RolesMustIntersectUnlessEveryoneIsInvited) {
  Participant councillor{"a@example.org", "A", {"toimisto", "aluevaltuutettu"}};
  Participant office{"b@example.org", "B", {"toimisto"}};
  Participant no_roles{"c@example.org", "C", {}};
  Series series;
  EXPECT_TRUE(series.in_audience(office));
  EXPECT_TRUE(series.in_audience(no_roles));
  series.audience = std::vector<std::string>{"aluevaltuutettu", "varavaltuutettu"};
  EXPECT_TRUE(series.in_audience(councillor));
  EXPECT_FALSE(series.in_audience(office));
  EXPECT_FALSE(series.in_audience(no_roles));
}

}  // namespace
}  // namespace kutsu::agenda
