// The status page as compiled into the binary (admin/status_page.h): the
// source document with its stylesheet and script inlined by
// admin/page/embed_page.cmake, and nothing that would make a browser fetch
// from elsewhere. How it behaves in a browser is tests/admin/browser/.
#include "admin/status_page.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace kutsu::admin {
namespace {

std::string source(const std::string& name) {
  std::ifstream in(std::string(KUTSU_SOURCE_DIR) + "/admin/page/" + name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_TRUE(in.good() || in.eof()) << name;
  return text.str();
}

TEST(StatusPage, IsTheSourceDocumentWithItsStyleAndScriptInlined) {
  const std::string page(status_page_html());
  const std::string html = source("status.html");
  EXPECT_TRUE(page.starts_with("<!doctype html>\n")) << page.substr(0, 40);
  EXPECT_TRUE(page.ends_with("</html>\n"));
  EXPECT_NE(page.find("<style>\n" + source("status.css") + "</style>"), std::string::npos);
  EXPECT_NE(page.find("<script>\n" + source("status.js") + "</script>"), std::string::npos);
  EXPECT_EQ(page.find("<link rel=\"stylesheet\""), std::string::npos);
  EXPECT_EQ(page.find("<script src="), std::string::npos);
  // The rest is the source document unchanged: the <head> up to the stylesheet.
  const std::string head = html.substr(0, html.find("<link rel=\"stylesheet\""));
  EXPECT_TRUE(page.starts_with(head));
}

TEST(StatusPage, NamesNothingToFetchButItself) {
  const std::string page(status_page_html());
  // Every src/href in the markup is inline data; scripts reach only this
  // origin's /api (the Content-Security-Policy says the same to the browser).
  static const std::regex kReference(R"re(\b(src|href)="([^"]*)")re");
  int references = 0;
  for (auto it = std::sregex_iterator(page.begin(), page.end(), kReference);
       it != std::sregex_iterator(); ++it) {
    ++references;
    EXPECT_TRUE((*it)[2].str().starts_with("data:")) << (*it)[0];
  }
  EXPECT_EQ(references, 1);  // the empty favicon, so the browser asks for none
  EXPECT_NE(page.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(page.find("connect-src 'self'"), std::string::npos);
  EXPECT_EQ(page.find("http://"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
}

TEST(StatusPage, ScriptNeverWritesMarkup) {
  // Data from the API reaches the DOM as text only.
  const std::string script = source("status.js");
  for (const char* sink : {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                           "eval(", "new Function"}) {
    EXPECT_EQ(script.find(sink), std::string::npos) << sink;
  }
}

}  // namespace
}  // namespace kutsu::admin
