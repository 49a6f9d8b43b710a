// Parsed templates (detail/template_cache.h): inlining partials must render
// exactly what kainjow's own partials render, and must be refused where it
// might not. The reference below is the renderer's previous code: parse the
// template for every render, partials resolved by kainjow at render time.
#include "notifier/detail/template_cache.h"

#include <gtest/gtest.h>

#include <kainjow/mustache.hpp>
#include <string>

namespace kutsu::notifier::detail {
namespace {

using kainjow::mustache::data;
using Mustache = kainjow::mustache::mustache;

class RuntimePartials : public kainjow::mustache::context<std::string> {
 public:
  RuntimePartials(const data* view, const Partials& partials)
      : kainjow::mustache::context<std::string>(view) {
    for (const auto& [name, tmpl] : partials) {
      std::string_view text = tmpl.text;
      if (text.ends_with('\n')) text.remove_suffix(1);
      partials_.emplace(name, data{std::string{text}});
    }
  }
  const data* get_partial(const std::string& name) const override {
    auto it = partials_.find(name);
    return it == partials_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, data, std::less<>> partials_;
};

// What rendering gave before templates were kept: text, or "error: ...".
std::string reference(const TemplateText& tmpl, const data& view, const Partials& partials,
                      Escaping escaping) {
  Mustache compiled{tmpl.text};
  if (!compiled.is_valid()) return "error: " + tmpl.origin + ": " + compiled.error_message();
  if (escaping == Escaping::none) {
    compiled.set_custom_escape([](const std::string& text) { return text; });
  }
  RuntimePartials context{&view, partials};
  std::string out = compiled.render(context);
  if (!compiled.is_valid()) {
    std::string origin = tmpl.origin;
    for (const auto& [name, partial] : partials) {
      if (!Mustache{partial.text}.is_valid()) {
        origin = partial.origin;
        break;
      }
    }
    return "error: " + origin + ": " + compiled.error_message();
  }
  return out;
}

std::string cached(const TemplateText& tmpl, const data& view, const Partials& partials,
                   Escaping escaping) {
  auto compiled = CompiledTemplate::compile(tmpl, partials, escaping);
  if (!compiled) return "error: " + compiled.error().message;
  Result<std::string> out = (*compiled)->render(view);
  if (!out) return "error: " + out.error().message;
  return *out;
}

data view() {
  data item1;
  item1.set("name", std::string{"yksi"});
  data item2;
  item2.set("name", std::string{"kaksi & <kolme>"});
  data list{data::type::list};
  list.push_back(item1);
  list.push_back(item2);
  data session;
  session.set("title", std::string{"Otsikko \"lainaus\""});
  session.set("flag", data{data::type::bool_true});
  data out;
  out.set("x", std::string{"<b>&'x'</b>"});
  out.set("list", list);
  out.set("session", session);
  out.set("flag", data{data::type::bool_true});
  out.set("off", data{data::type::bool_false});
  return out;
}

struct Case {
  const char* name;
  const char* tmpl;
  const char* partial;             // the partial "p"
  bool inlined;                    // whether inlining is expected to be taken
  const char* other = "Q{{x}}\n";  // the partial "q"
};

// Names the case in test output (gtest would otherwise dump its pointers).
void PrintTo(const Case& c, std::ostream* out) { *out << c.name; }

const Case kCases[] = {
    {"own line", "alku\n{{> p}}\nloppu\n", "A {{x}}\nB\n", true},
    {"no space in tag", "alku\n{{>p}}\nloppu\n", "A {{x}}\n", true},
    {"spaces in tag", "alku\n{{ > p }}\nloppu\n", "A {{x}}\n", true},
    {"at start", "{{> p}}tail", "A {{x}}", true},
    {"at end", "head{{> p}}", "A {{x}}\n", true},
    {"twice", "{{> p}}|{{> p}}\n", "[{{x}}]\n", true},
    {"in list", "{{#list}}\n{{> p}}\n{{/list}}\n", "- {{name}}\n", true},
    {"in object section", "{{#session}}\n{{> p}}\n{{/session}}\n", "{{title}}!\n", true},
    {"standalone sections inside", "a\n{{> p}}\nb\n",
     "{{#flag}}\nkyllä\n{{/flag}}\n{{^off}}\nei\n{{/off}}\n", true},
    {"indented", "  {{> p}}\n", "rivi\n  toinen\n", true},
    {"unescaped inside", "{{> p}}\n", "{{{x}}} {{&x}}\n", true},
    {"empty partial", "a\n{{> p}}\nb\n", "", true},
    {"newline only partial", "a\n{{> p}}\nb\n", "\n", true},
    {"crlf partial", "a\n{{> p}}\nb\n", "rivi\r\n", false},
    {"crlf template", "a\r\n{{> p}}\r\nb\r\n", "\nrivi\n", true},
    {"cr before partial starting with newline", "a\r{{> p}}\n", "\nrivi\n", false},
    {"empty partial between cr and lf", "a\r{{> p}}\nb\n", "", false},
    {"partial ends with brace", "{{> p}}{{x}}\n", "avaus {", false},
    {"partial starts with brace", "{{> p}}\n", "{ alku {{x}}\n", true},
    {"set delimiter in template", "{{=<% %>=}}<%> p%>\n<%x%>\n", "A {{x}}\n", false},
    {"set delimiter in partial", "{{> p}}\n{{x}}\n", "{{=<% %>=}}<%x%>\n", false},
    {"nested partial", "{{> p}}\n", "ennen {{> q}} jälkeen\n", false},
    {"unknown nested partial", "{{> p}}\n", "ennen {{> r}} jälkeen\n", true},
    {"unknown partial", "a {{> r}} b\n", "A\n", true},
    {"two partials", "{{> p}}\n{{> q}}\n", "P{{x}}\n", true},
    {"unescaped tag named like a partial", "{{{> p}}}\n", "A\n", true},
    {"comment", "{{! {{> p}} }}\n{{> p}}\n", "A\n", true},
    {"dotted names", "{{> p}}\n", "{{session.title}} {{session.flag}} {{x.y}} {{.}}\n", true},
};

class TemplateInlining : public ::testing::TestWithParam<Case> {};

TEST_P(TemplateInlining, RendersWhatKainjowsPartialsRender) {
  const Case& c = GetParam();
  const TemplateText tmpl{c.tmpl, "test template"};
  const Partials partials{{"p", TemplateText{c.partial, "test partial"}},
                          {"q", TemplateText{c.other, "other partial"}}};
  for (Escaping escaping : {Escaping::none, Escaping::html}) {
    EXPECT_EQ(cached(tmpl, view(), partials, escaping),
              reference(tmpl, view(), partials, escaping));
  }
  auto compiled = CompiledTemplate::compile(tmpl, partials, Escaping::none);
  ASSERT_TRUE(compiled.ok());
  EXPECT_EQ((*compiled)->partials_inlined(), c.inlined);
}

INSTANTIATE_TEST_SUITE_P(Cases, TemplateInlining, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string name = info.param.name;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

TEST(TemplateCache, BrokenTemplateFailsWithItsOriginLikeBefore) {
  const TemplateText tmpl{"Hei {{#session}}ei loppua\n", "/srv/fi/reminder.txt.mustache"};
  EXPECT_EQ(cached(tmpl, view(), {}, Escaping::none), reference(tmpl, view(), {}, Escaping::none));
  EXPECT_NE(cached(tmpl, view(), {}, Escaping::none).find("/srv/fi/reminder.txt.mustache"),
            std::string::npos);
}

TEST(TemplateCache, BrokenPartialFailsWithThePartialsOriginLikeBefore) {
  const TemplateText tmpl{"a\n{{> p}}\nb\n", "template"};
  const Partials partials{{"p", TemplateText{"<p>{{#title}}</p>\n", "/srv/fi/session.html"}}};
  const std::string out = cached(tmpl, view(), partials, Escaping::html);
  EXPECT_EQ(out, reference(tmpl, view(), partials, Escaping::html));
  EXPECT_TRUE(out.starts_with("error: /srv/fi/session.html: ")) << out;
  // An instance that failed is not reused: the next render fails the same way.
  auto compiled = CompiledTemplate::compile(tmpl, partials, Escaping::html);
  ASSERT_TRUE(compiled.ok());
  EXPECT_FALSE((*compiled)->render(view()).ok());
  EXPECT_FALSE((*compiled)->render(view()).ok());
}

TEST(TemplateCache, LayersRenderLikeOneViewWithAllTheirNames) {
  data inner;
  inner.set("recipient", std::string{"Aino"});
  const data full = view();
  data outer;
  outer.set("series", std::string{"Sarja"});
  outer.set("list", *full.get("list"));
  data whole = outer;
  whole.set("recipient", std::string{"Aino"});
  const TemplateText tmpl{"{{recipient}} {{series}}\n{{#list}}{{name}}/{{recipient}} {{/list}}\n",
                          "t"};
  auto compiled = CompiledTemplate::compile(tmpl, {}, Escaping::none);
  ASSERT_TRUE(compiled.ok());
  const data* layers[] = {&inner, &outer};
  Result<std::string> layered = (*compiled)->render_layers(layers);
  ASSERT_TRUE(layered.ok());
  EXPECT_EQ(*layered, reference(tmpl, whole, {}, Escaping::none));
}

TEST(TemplateCache, SameContentIsOneEntryAndAnEditIsANewOne) {
  TemplateCache cache;
  const Partials partials{{"p", TemplateText{"A\n", "p"}}};
  auto first = cache.get(TemplateText{"{{> p}}\n", "t"}, partials, Escaping::none);
  auto again = cache.get(TemplateText{"{{> p}}\n", "t"}, partials, Escaping::none);
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->get(), again->get());
  auto html = cache.get(TemplateText{"{{> p}}\n", "t"}, partials, Escaping::html);
  auto edited = cache.get(TemplateText{"{{> p}}!\n", "t"}, partials, Escaping::none);
  auto other_partial =
      cache.get(TemplateText{"{{> p}}\n", "t"}, {{"p", TemplateText{"B\n", "p"}}}, Escaping::none);
  ASSERT_TRUE(html.ok() && edited.ok() && other_partial.ok());
  EXPECT_NE(first->get(), html->get());
  EXPECT_NE(first->get(), edited->get());
  EXPECT_NE(first->get(), other_partial->get());
  EXPECT_EQ(*(*other_partial)->render(data{}), "B\n");
  EXPECT_EQ(cache.size(), 4u);
}

}  // namespace
}  // namespace kutsu::notifier::detail
