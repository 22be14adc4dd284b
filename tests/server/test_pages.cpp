// The demo pages: escaping, language and direction, links through /go/, one look and one heading
// per kind of answer, and chrome in every language of the pack.
#include <doctest/doctest.h>

#include <string>

#include "fixture.hpp"
#include "handlers.hpp"
#include "html.hpp"
#include "pages.hpp"

using namespace signpost;
using namespace signpost::server;
using namespace signpost::server::test;

namespace {

// A page for a decision built by hand (so it does not depend on how the pack judges a text): the
// query's cards first, as Engine::redirect puts them.
std::string page_for(Action action, std::string category, std::string_view hl) {
  const Engine& engine = shared_engine();
  RedirectedResults shown;
  shown.decision.action = action;
  shown.decision.category = std::move(category);
  const std::optional<Card> card = engine.card("help-advice", hl);
  REQUIRE(card);
  shown.decision.cards = {*card};
  RedirectEntry e;
  e.kind = RedirectEntry::Kind::card;
  e.card = *card;
  e.category = shown.decision.category;
  shown.entries = {e};
  return render_search("q", hl, shown, 0, engine, Corpus::builtin());
}

// Every chrome string of a Ui, cut to its first run of text without a placeholder (a part the page
// shows verbatim).
std::vector<std::string_view> chrome_strings(const Ui& u) {
  std::vector<std::string_view> all = {
      u.site, u.skip, u.search_label, u.language_label, u.any_language, u.submit, u.results_for, u.results,
      u.no_results, u.flagged_note, u.flagged_heading, u.removed_note, u.show_anyway, u.heading_redirect,
      u.heading_interstitial, u.heading_help, u.heading_distress, u.heading_annotate, u.decision_title, u.action,
      u.category, u.score, u.found, u.replaced, u.marked, u.intro, u.intro_pack, u.risky_heading,
      u.ordinary_heading, u.help_heading, u.dev_heading, u.dev_text, u.emoji, u.footer};
  for (std::string_view& s : all) {
    if (s.starts_with("{")) s.remove_prefix(std::min(s.size(), s.find('}') + 1));
    while (s.starts_with(" ")) s.remove_prefix(1);
    s = s.substr(0, s.find('{'));
  }
  return all;
}

}  // namespace

TEST_CASE("the home page explains the demo and links example queries in several languages") {
  Fixture f;
  const Response res = f.get("/");
  CHECK(res.status == 200);
  CHECK(res.content_type == "text/html; charset=utf-8");
  CHECK(res.body.starts_with("<!doctype html>"));
  CHECK(contains(res.body, "<html lang=\"en\" dir=\"ltr\">"));
  CHECK(contains(res.body, "role=\"search\""));
  CHECK(contains(res.body, "<label for=\"q\">"));
  CHECK(contains(res.body, "<main"));
  CHECK(contains(res.body, "/search?q="));
  CHECK(contains(res.body, "lang=\"ar\" dir=\"rtl\""));
  // One script, a served file (live suggestions): nothing inline.
  CHECK(contains(res.body, "<script src=\"/static/suggest.js\" defer></script>"));
  CHECK(res.body.find("<script") == res.body.rfind("<script"));
  CHECK_FALSE(contains(res.body, "style="));
  CHECK(contains(res.body, "<link rel=\"stylesheet\" href=\"/static/site.css\">"));
}

TEST_CASE("the chrome is written in every language of the default pack") {
  const Engine& engine = shared_engine();
  REQUIRE(engine.languages().size() == 10);
  for (const std::string& lang : engine.languages()) {
    CAPTURE(lang);
    CHECK(ui_for(lang).lang == lang);
    for (std::string_view s : chrome_strings(ui_for(lang))) CHECK_FALSE(s.empty());
  }
  CHECK(ui_for("fr-BE").lang == "fr");
  CHECK(ui_for("prs").lang == "fa");  // Dari readers read Persian
  CHECK(ui_for("pbt").lang == "ps");
  CHECK(ui_for("de").lang == "en");
}

TEST_CASE("each language's pages show its own words and none of the English ones") {
  Fixture f;
  const Ui& en = ui_for("en");
  for (const Ui& ui : all_uis()) {
    const std::string lang(ui.lang);
    CAPTURE(lang);
    const std::string dir = is_rtl_locale(lang) ? "rtl" : "ltr";
    const Response home = f.get("/?hl=" + lang);
    const Response search = f.get("/search?q=boat+to+uk+price&hl=" + lang);
    for (const Response* res : {&home, &search}) {
      CHECK(contains(res->body, "<html lang=\"" + lang + "\" dir=\"" + dir + "\">"));
      // Chrome is never marked as English inside a page whose language has chrome.
      if (lang != "en") CHECK_FALSE(contains(res->body, "<span lang=\"en\""));
    }
    for (std::string_view s : {ui.site, ui.skip, ui.risky_heading, ui.ordinary_heading, ui.help_heading, ui.dev_heading})
      CHECK(contains(home.body, html_escape(s)));
    for (std::string_view s : {ui.results, ui.decision_title, ui.found, ui.heading_redirect})
      CHECK(contains(search.body, html_escape(s)));
    if (lang == "en") continue;
    // No English chrome left (strings that are the same word in both languages aside).
    const auto mine = chrome_strings(ui);
    const auto english = chrome_strings(en);
    for (std::size_t i = 0; i < english.size(); ++i) {
      if (english[i] == mine[i] || english[i].size() < 4) continue;
      CAPTURE(english[i]);
      CHECK_FALSE(contains(home.body, ">" + html_escape(english[i])));
      CHECK_FALSE(contains(search.body, ">" + html_escape(english[i])));
    }
  }
}

TEST_CASE("Sorani and Pashto pages are right to left, and so is their chrome") {
  Fixture f;
  for (const char* hl : {"ckb", "ps", "fa", "ar"}) {
    CAPTURE(hl);
    const Response res = f.get(std::string("/search?q=boat&hl=") + hl);
    CHECK(contains(res.body, std::string("<html lang=\"") + hl + "\" dir=\"rtl\">"));
    CHECK(contains(res.body, html_escape(ui_for(hl).submit)));
  }
  // A language without chrome keeps its own lang on the page and marks the English chrome.
  const Response de = f.get("/search?q=boat&hl=de");
  CHECK(contains(de.body, "<html lang=\"de\" dir=\"ltr\">"));
  CHECK(contains(de.body, "<span lang=\"en\" dir=\"ltr\">Search</span>"));
  CHECK(contains(de.body, "<aside class=\"decision\" aria-labelledby=\"decision-title\" lang=\"en\" dir=\"ltr\">"));
}

TEST_CASE("a risky query shows the pack's cards under a safety heading, linked through /go/") {
  Fixture f;
  const Response res = f.get("/search?q=small+boat+to+uk+this+weekend&hl=en");
  CHECK(res.status == 200);
  CHECK(res.action == "redirect");
  CHECK(contains(res.body, "class=\"answer answer-redirect\""));
  CHECK(contains(res.body, "Your safety comes first"));
  CHECK(contains(res.body, "class=\"card\""));
  CHECK(contains(res.body, "href=\"/go/"));
  CHECK_FALSE(contains(res.body, "href=\"https://help"));  // card URLs only via /go/
}

TEST_CASE("help-seeking is offered help, never warned") {
  Fixture f;
  const Response res = f.get("/search?q=how+to+claim+asylum+in+the+uk&hl=en");
  CHECK(res.action == "annotate");
  CHECK(res.category == "help_seeking");
  CHECK(contains(res.body, "class=\"answer answer-help\""));
  CHECK(contains(res.body, "Help is available"));
  CHECK_FALSE(contains(res.body, "Before you go on"));
  CHECK_FALSE(contains(res.body, "answer-redirect"));
  CHECK_FALSE(contains(res.body, "<details class=\"interstitial\">"));
}

TEST_CASE("an interstitial pauses before the results, which stay behind a disclosure") {
  const std::string html = page_for(Action::interstitial, "crossing_logistics", "en");
  CHECK(contains(html, "class=\"answer answer-interstitial\""));
  CHECK(contains(html, "Before you go on"));
  CHECK(contains(html, "<details class=\"interstitial\">\n<summary>Show the results anyway</summary>"));
  CHECK_FALSE(contains(html, "Help is available"));
}

TEST_CASE("someone in danger is given the emergency number first") {
  // Built by hand, so the page does not depend on the pack having the category yet.
  const std::string html = page_for(Action::annotate, "distress", "fa");
  CHECK(contains(html, "class=\"answer answer-distress\""));
  CHECK(contains(html, "<a class=\"call\" href=\"tel:112\" dir=\"ltr\">112</a>"));
  CHECK(contains(html, "در خطر هستید؟"));
  CHECK_FALSE(contains(html, html_escape(ui_for("fa").heading_interstitial)));
  CHECK_FALSE(contains(html, html_escape(ui_for("fa").heading_help)));
}

TEST_CASE("an Arabic query gives a right-to-left page with Arabic cards") {
  Fixture f;
  const Response res = f.get("/search?q=%D9%82%D8%A7%D8%B1%D8%A8+%D8%A5%D9%84%D9%89+%D8%A8%D8%B1%D9%8A%D8%B7%D8%A7%D9%86%D9%8A%D8%A7+%D8%A7%D9%84%D8%B3%D8%B9%D8%B1&hl=ar");
  CHECK(res.status == 200);
  CHECK(contains(res.body, "<html lang=\"ar\" dir=\"rtl\">"));
  CHECK(contains(res.body, "class=\"card\" aria-labelledby=\"card-1\" lang=\"ar\" dir=\"rtl\""));
}

TEST_CASE("XSS payloads in q and hl are escaped everywhere they are echoed") {
  Fixture f;
  const Response res = f.get("/search?q=%3Cscript%3Ealert(1)%3C/script%3E%22%27%3E%3Cimg%20src=x%20onerror=alert(2)%3E"
                             "&hl=%22%3E%3Cscript%3Ealert(3)%3C/script%3E");
  CHECK(res.status == 200);
  CHECK_FALSE(contains(res.body, "<script>"));
  CHECK_FALSE(contains(res.body, "<img"));
  CHECK_FALSE(contains(res.body, "\"'>"));
  CHECK(contains(res.body, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(2)&gt;"));
  CHECK_FALSE(contains(res.body, "alert(3)"));  // an hl that is not a tag is dropped
  CHECK(contains(res.body, "<html lang=\"en\""));
}

TEST_CASE("a query with braces is shown as typed, not read as a placeholder") {
  Fixture f;
  const Response res = f.get("/search?q=%7B0%7D+%7B1%7D&hl=fr");
  CHECK(contains(res.body, "<q dir=\"auto\">{0} {1}</q>"));
}

TEST_CASE("query text that is not valid UTF-8 renders as U+FFFD") {
  Fixture f;
  const Response res = f.get("/search?q=boat%FF%FEuk");
  CHECK(res.status == 200);
  CHECK(contains(res.body, "boat\xEF\xBF\xBD\xEF\xBF\xBDuk"));
  CHECK(res.body.find('\xFF') == std::string::npos);
}

TEST_CASE("an empty query shows the home page content") {
  Fixture f;
  const Response res = f.get("/search?q=+&hl=fr");
  CHECK(res.status == 200);
  CHECK(contains(res.body, "<html lang=\"fr\" dir=\"ltr\">"));
  CHECK(contains(res.body, "Rechercher"));
  CHECK(contains(res.body, "Requêtes ordinaires"));
}

TEST_CASE("an ordinary query shows its results without the query's cards") {
  Fixture f;
  const Response res = f.get("/search?q=dover+calais+ferry+booking&hl=en");
  CHECK(res.status == 200);
  CHECK(res.action == "none");
  CHECK_FALSE(contains(res.body, "id=\"answer-title\""));
  CHECK(contains(res.body, "ferries.example/dover-calais"));
}

TEST_CASE("the stylesheet is served from /static/ and names the fonts for every script") {
  Fixture f;
  const Response res = f.get("/static/site.css");
  CHECK(res.status == 200);
  CHECK(res.content_type == "text/css; charset=utf-8");
  CHECK(contains(res.body, ".card"));
  CHECK(contains(res.body, "Noto Naskh Arabic"));
  CHECK(contains(res.body, "Noto Color Emoji"));
  CHECK_FALSE(contains(res.body, "@font-face"));  // system fonts only: nothing fetched, CSP untouched
  for (const char* kind : {".answer-help", ".answer-distress", ".answer-interstitial", ".answer-redirect"})
    CHECK(contains(res.body, kind));
  CHECK(f.get("/static/other.css").status == 404);
}

TEST_CASE("the suggestions script is served from /static/ as JavaScript and calls only /v1/suggest") {
  Fixture f;
  const Response res = f.get("/static/suggest.js");
  CHECK(res.status == 200);
  CHECK(res.content_type == "text/javascript; charset=utf-8");
  CHECK(contains(res.body, "\"/v1/suggest\""));
  CHECK(contains(res.body, "role\", \"listbox\""));
  CHECK_FALSE(contains(res.body, "innerHTML"));  // suggestions are text, never markup
  CHECK_FALSE(contains(res.body, "http"));       // no other origin
  CHECK(f.get("/static/suggest.js.map").status == 404);
  CHECK(f.get("/static/").status == 404);
}

TEST_CASE("the home page's example searches for help are answered with help, and its risky ones are not") {
  Fixture f;
  const std::string home = f.get("/?hl=en").body;
  // The links of the list that follows a heading, up to the next heading.
  const auto links_after = [&](std::string_view heading) {
    std::vector<std::string> out;
    std::size_t at = home.find("<h2>" + std::string(heading) + "</h2>");
    REQUIRE(at != std::string::npos);
    const std::size_t end = home.find("<h2>", at + 4);
    while ((at = home.find("href=\"/search?", at)) < end) {
      at += 6;
      std::string link = home.substr(at, home.find('"', at) - at);
      for (std::size_t amp; (amp = link.find("&amp;")) != std::string::npos;) link.replace(amp, 5, "&");
      out.push_back(link);
    }
    return out;
  };
  const auto help = links_after("People asking for help");
  CHECK(help.size() >= 4);
  for (const std::string& link : help) {
    CAPTURE(link);
    const Response res = f.get(link);
    CHECK(res.action == "annotate");
    CHECK(contains(res.body, "class=\"answer answer-help\""));
  }
  const auto risky = links_after("Queries that signpost answers");
  CHECK(risky.size() >= 10);
  for (const std::string& link : risky) {
    CAPTURE(link);
    const Response res = f.get(link);
    CHECK((res.action == "redirect" || res.action == "interstitial"));
    CHECK_FALSE(contains(res.body, "answer-help"));
  }
}
