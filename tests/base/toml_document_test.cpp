// parse_toml_document: the bounds that keep toml++ from recursing itself to
// death, checked where keys really are (not inside strings or comments).
#include "base/toml_document.h"

#include <gtest/gtest.h>

namespace kutsu {
namespace {

std::string dotted_key(std::size_t parts) {
  std::string key = "a";
  for (std::size_t i = 1; i < parts; ++i) key += ".a";
  return key;
}

Diagnostics parse(std::string_view text) {
  DiagnosticSink sink("s.toml");
  static_cast<void>(parse_toml_document(text, sink));
  return sink.take_sorted();
}

TEST(TomlDocument, ParsesAnOrdinaryDocument) {
  DiagnosticSink sink("s.toml");
  std::optional<toml::table> root = parse_toml_document(
      "id = \"x\"\n[organiser]\nname = \"O\"\n[[session]]\nid = \"a\"\nt = { a.b = 1 }\n", sink);
  ASSERT_TRUE(root.has_value());
  EXPECT_TRUE(sink.empty());
  EXPECT_EQ((*root)["session"][0]["t"]["a"]["b"].value<int>(), 1);
}

TEST(TomlDocument, KeysAtTheBoundAreAccepted) {
  const std::string key = dotted_key(kMaxTomlKeyParts);
  EXPECT_TRUE(parse("[" + key + "]\nx = 1\n").empty());
  EXPECT_TRUE(parse(key + " = 1\n").empty());
}

TEST(TomlDocument, ATableHeaderOverTheBoundIsOneErrorAtItsLine) {
  // The take-down input: toml++ alone crashes with SIGSEGV on this.
  Diagnostics problems = parse("id = \"x\"\n\n  [" + dotted_key(50'000) + "]\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].to_string(),
            "s.toml:3:4: error: this key has more than 32 dotted parts; a key may have at most 32");
}

TEST(TomlDocument, EveryKindOfKeyIsBounded) {
  const std::string key = dotted_key(kMaxTomlKeyParts + 1);
  for (const std::string& text :
       {key + " = 1\n", "[[" + key + "]]\n", "t = { x = 1, " + key + " = 2 }\n",
        "\"a\"." + key + " = 1\n", "t = [ { " + key + " = 1 } ]\n"}) {
    Diagnostics problems = parse(text);
    ASSERT_EQ(problems.size(), 1u) << text;
    EXPECT_NE(problems[0].message.find("dotted parts"), std::string::npos) << text;
  }
}

TEST(TomlDocument, DotsInStringsValuesAndCommentsAreNotKeyParts) {
  const std::string dots(200, '.');
  EXPECT_TRUE(parse("a = \"" + dots + "\"\n").empty());
  EXPECT_TRUE(parse("a = '" + dots + "'\n").empty());
  EXPECT_TRUE(parse("a = \"\"\"\n" + dots + "\nb.c.d = \"\"\"\n").empty());
  EXPECT_TRUE(parse("a = '''" + dots + "'''\n").empty());
  EXPECT_TRUE(parse("# " + dots + "\na = 1\n").empty());
  EXPECT_TRUE(parse("a = \"q\\\"" + dots + "\"\n").empty());
  std::string floats = "a = [";
  for (int i = 0; i < 100; ++i) floats += "1.5, ";
  EXPECT_TRUE(parse(floats + "2.5]\n").empty());
  // A multi-line string closed by four quotes: one is content.
  EXPECT_TRUE(parse("a = \"\"\"x\"\"\"\"\nb = 1\n").empty());
}

TEST(TomlDocument, DeepNestingIsOneError) {
  std::string text = "a = " + std::string(kMaxTomlNesting + 1, '[') +
                     std::string(kMaxTomlNesting + 1, ']') + "\n";
  Diagnostics problems = parse(text);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].pos.line, 1);
  EXPECT_EQ(problems[0].pos.column, 5 + static_cast<int>(kMaxTomlNesting));
  EXPECT_NE(problems[0].message.find("nest more than 32 deep"), std::string::npos);
}

TEST(TomlDocument, ALongLineIsOneErrorAtItsLine) {
  Diagnostics problems =
      parse("id = \"x\"\ndescription = \"" + std::string(kMaxTomlLineBytes, 'x') + "\"\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].pos.line, 2);
  EXPECT_NE(problems[0].message.find("a line may be at most 65536 bytes"), std::string::npos);
}

TEST(TomlDocument, TomlErrorsKeepTheirPlace) {
  Diagnostics problems = parse("a = 1\nb = = 2\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].pos.line, 2);
}

}  // namespace
}  // namespace kutsu
