// The demo pages: escaping, language and direction, links through /go/.
#include <doctest/doctest.h>

#include <string>

#include "fixture.hpp"

using namespace signpost;
using namespace signpost::server;
using namespace signpost::server::test;

TEST_CASE("the home page explains the demo and links example queries in several languages") {
  Fixture f;
  const Response res = f.get("/");
  CHECK(res.status == 200);
  CHECK(res.content_type == "text/html; charset=utf-8");
  CHECK(res.body.starts_with("<!doctype html>"));
  CHECK(res.body.find("<html lang=\"en\" dir=\"ltr\">") != std::string::npos);
  CHECK(res.body.find("role=\"search\"") != std::string::npos);
  CHECK(res.body.find("<label for=\"q\">") != std::string::npos);
  CHECK(res.body.find("<main") != std::string::npos);
  CHECK(res.body.find("/search?q=") != std::string::npos);
  CHECK(res.body.find("lang=\"ar\" dir=\"rtl\"") != std::string::npos);
  CHECK(res.body.find("<script") == std::string::npos);
  CHECK(res.body.find("style=") == std::string::npos);
  CHECK(res.body.find("<link rel=\"stylesheet\" href=\"/static/site.css\">") != std::string::npos);
}

TEST_CASE("a risky query shows the pack's cards, linked through /go/") {
  Fixture f;
  const Response res = f.get("/search?q=small+boat+to+uk+this+weekend&hl=en");
  CHECK(res.status == 200);
  CHECK(res.action == "redirect");
  CHECK(res.body.find("class=\"card\"") != std::string::npos);
  CHECK(res.body.find("href=\"/go/") != std::string::npos);
  CHECK(res.body.find("href=\"https://help") == std::string::npos);  // card URLs only via /go/
}

TEST_CASE("an Arabic query gives a right-to-left page with Arabic cards") {
  Fixture f;
  const Response res = f.get("/search?q=%D9%82%D8%A7%D8%B1%D8%A8+%D8%A5%D9%84%D9%89+%D8%A8%D8%B1%D9%8A%D8%B7%D8%A7%D9%86%D9%8A%D8%A7+%D8%A7%D9%84%D8%B3%D8%B9%D8%B1&hl=ar");
  CHECK(res.status == 200);
  CHECK(res.body.find("<html lang=\"ar\" dir=\"rtl\">") != std::string::npos);
  CHECK(res.body.find("class=\"card\" aria-labelledby=\"card-1\" lang=\"ar\" dir=\"rtl\"") != std::string::npos);
}

TEST_CASE("Sorani and Pashto pages are right to left, with English chrome marked as such") {
  Fixture f;
  for (const char* hl : {"ckb", "ps", "fa"}) {
    CAPTURE(hl);
    const Response res = f.get(std::string("/search?q=boat&hl=") + hl);
    CHECK(res.body.find(std::string("<html lang=\"") + hl + "\" dir=\"rtl\">") != std::string::npos);
  }
  const Response ckb = f.get("/search?q=boat&hl=ckb");
  CHECK(ckb.body.find("<span lang=\"en\" dir=\"ltr\">Search</span>") != std::string::npos);
}

TEST_CASE("XSS payloads in q and hl are escaped everywhere they are echoed") {
  Fixture f;
  const Response res = f.get("/search?q=%3Cscript%3Ealert(1)%3C/script%3E%22%27%3E%3Cimg%20src=x%20onerror=alert(2)%3E"
                             "&hl=%22%3E%3Cscript%3Ealert(3)%3C/script%3E");
  CHECK(res.status == 200);
  CHECK(res.body.find("<script>") == std::string::npos);
  CHECK(res.body.find("<img") == std::string::npos);
  CHECK(res.body.find("\"'>") == std::string::npos);
  CHECK(res.body.find("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(2)&gt;") !=
        std::string::npos);
  CHECK(res.body.find("alert(3)") == std::string::npos);  // an hl that is not a tag is dropped
  CHECK(res.body.find("<html lang=\"en\"") != std::string::npos);
}

TEST_CASE("query text that is not valid UTF-8 renders as U+FFFD") {
  Fixture f;
  const Response res = f.get("/search?q=boat%FF%FEuk");
  CHECK(res.status == 200);
  CHECK(res.body.find("boat\xEF\xBF\xBD\xEF\xBF\xBDuk") != std::string::npos);
  CHECK(res.body.find('\xFF') == std::string::npos);
}

TEST_CASE("an empty query shows the home page content") {
  Fixture f;
  const Response res = f.get("/search?q=+&hl=fr");
  CHECK(res.status == 200);
  CHECK(res.body.find("<html lang=\"fr\" dir=\"ltr\">") != std::string::npos);
  CHECK(res.body.find("Rechercher") != std::string::npos);
}

TEST_CASE("an ordinary query shows its results without the query's cards") {
  Fixture f;
  const Response res = f.get("/search?q=dover+calais+ferry+booking&hl=en");
  CHECK(res.status == 200);
  CHECK(res.action == "none");
  CHECK(res.body.find("id=\"cards-title\"") == std::string::npos);
  CHECK(res.body.find("ferries.example/dover-calais") != std::string::npos);
}

TEST_CASE("the stylesheet is served from /static/") {
  Fixture f;
  const Response res = f.get("/static/site.css");
  CHECK(res.status == 200);
  CHECK(res.content_type == "text/css; charset=utf-8");
  CHECK(res.body.find(".card") != std::string::npos);
  CHECK(f.get("/static/other.css").status == 404);
}
