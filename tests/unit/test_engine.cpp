// Engine: conditions, scores, contexts, locales, offsets, redirect placement, threads, hostile text.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include <signpost/signpost.hpp>

#include "default_pack.hpp"
#include "files.hpp"

namespace fs = std::filesystem;
using signpost::Action;
using signpost::Engine;
using signpost::Mode;
using signpost::Query;
using signpost::test::write_file;

// ---- allocation counting (not under AddressSanitizer, which owns operator new) -------------------
// gcc says __SANITIZE_ADDRESS__; clang says __has_feature(address_sanitizer).
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIGNPOST_UNDER_ASAN 1
#endif
#endif
#if !defined(__SANITIZE_ADDRESS__) && !defined(SIGNPOST_UNDER_ASAN)
namespace {
thread_local std::size_t t_allocations = 0;
}
void* operator new(std::size_t n) {
  ++t_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#define SIGNPOST_COUNTS_ALLOCATIONS 1
#endif

namespace {

const Engine& fixture() {
  static const Engine e = Engine::load(fs::path(SIGNPOST_TEST_DATA) / "packs" / "engine");
  return e;
}

signpost::Decision eval(std::string_view text, std::string_view locale = "en", Mode mode = Mode::query) {
  return fixture().evaluate(Query{text, locale, mode, {}});
}

// Copies the fixture pack into `tmp` (a folder the test owns), so a test can break one file.
fs::path copy_fixture(const signpost::test::TempDir& tmp) {
  const fs::path dir = tmp.path() / "pack";
  fs::copy(fs::path(SIGNPOST_TEST_DATA) / "packs" / "engine", dir, fs::copy_options::recursive);
  return dir;
}

}  // namespace

TEST_CASE("a pack loads with its name, version and a sha256 hash") {
  const auto& info = fixture().pack();
  CHECK(info.name == "engine-test");
  CHECK(info.version == "1.0.0");
  CHECK(info.hash.rfind("sha256:", 0) == 0);
  CHECK(info.hash.size() == 7 + 64);
  CHECK(fixture().languages() == std::vector<std::string>{"en", "fr", "ar"});
}

TEST_CASE("near: two lexicons within N words fire the rule, with offsets spanning the evidence") {
  auto d = eval("a boat to uk");
  CHECK(d.action == Action::redirect);
  CHECK(d.category == "crossing");
  CHECK(d.score == doctest::Approx(0.6));
  REQUIRE(d.matches.size() == 1);
  CHECK(d.matches[0].rule == "boat-to-uk");
  CHECK(d.matches[0].begin == 2);
  CHECK(d.matches[0].end == 12);
}

TEST_CASE("near: lexicons further apart than `within` do not fire") {
  CHECK(eval("boat trip on a lake near the coast of the uk").action == Action::none);
}

TEST_CASE("none: a listed lexicon stops the rule") {
  auto d = eval("ferry boat to uk");
  CHECK(d.action == Action::none);
  CHECK(d.matches.empty());
}

TEST_CASE("scores of several rules combine as a noisy-or") {
  auto d = eval("boat to uk price");
  CHECK(d.action == Action::redirect);
  CHECK(d.score == doctest::Approx(1 - 0.4 * 0.4));
  CHECK(d.matches.size() == 2);
}

TEST_CASE("a context with factor 0 cancels its categories and their evidence") {
  auto d = eval("news: boat to uk");
  CHECK(d.action == Action::none);
  CHECK(d.matches.empty());
  CHECK(eval("reported boat to uk").action == Action::none);  // prefix term report*
}

TEST_CASE("the strongest action wins over a higher score") {
  auto d = eval("fake passport on a boat to uk");
  CHECK(d.category == "crossing");  // redirect (0.6) beats interstitial (1.0)
  CHECK(d.action == Action::redirect);
  auto docs = eval("fake passport");
  CHECK(docs.action == Action::interstitial);
  CHECK(docs.category == "documents");
  CHECK(docs.score == doctest::Approx(1.0));
}

TEST_CASE("a score under the threshold is reported but does not act") {
  auto d = eval("angleterre", "fr");
  CHECK(d.action == Action::none);
  CHECK(d.score == doctest::Approx(0.3));
  REQUIRE(d.matches.size() == 1);
  CHECK(d.matches[0].rule == "french-only");
}

TEST_CASE("rules scoped to a locale only apply to it; a query without locale is in every scope") {
  CHECK(eval("angleterre", "en").matches.empty());
  CHECK(eval("angleterre", "fr-BE").matches.size() == 1);
  CHECK(eval("angleterre", "").matches.size() == 1);
}

TEST_CASE("rules scoped to post mode only apply to posts") {
  CHECK(eval("boat price 1400 euro", "en", Mode::query).score == doctest::Approx(0.6));
  CHECK(eval("boat price 1400 euro", "en", Mode::post).score == doctest::Approx(1 - 0.4 * 0.8));
}

TEST_CASE("cards follow the locale fallback chain") {
  auto fr = eval("bateau pour l'angleterre", "fr-CA");
  REQUIRE(fr.cards.size() == 2);
  CHECK(fr.cards[0].id == "dangers");
  CHECK(fr.cards[0].locale == "fr");
  CHECK(fr.cards[1].id == "report");
  CHECK(fr.locale == "fr");
  auto ar = eval("قارب إلى بريطانيا", "ary");
  REQUIRE(!ar.cards.empty());
  CHECK(ar.cards[0].locale == "ar");
  CHECK(ar.cards[0].rtl);
  auto de = eval("boat to uk", "de-AT");
  REQUIRE(!de.cards.empty());
  CHECK(de.cards[0].locale == "en");
  CHECK_FALSE(de.cards[0].rtl);
  CHECK(fixture().locale_chain("fr-CA") == std::vector<std::string>{"fr-ca", "fr", "en"});
}

TEST_CASE("without a locale, cards come in the language of the first matched term") {
  auto d = eval("bateau pour l'angleterre", "");
  REQUIRE(!d.cards.empty());
  CHECK(d.cards[0].locale == "fr");
  auto ar = eval("قارب إلى بريطانيا", "");
  REQUIRE(!ar.cards.empty());
  CHECK(ar.cards[0].locale == "ar");
}

TEST_CASE("matches report byte offsets in the text as it arrived, through obfuscation") {
  const std::string text = "  \xef\xbc\xa2\xd0\xbe\xd0\xb0t  t0   U.K!";  // fullwidth B, Cyrillic о and а
  auto d = eval(text);
  REQUIRE(d.action == Action::redirect);
  REQUIRE(d.matches.size() == 1);
  CHECK(d.matches[0].begin == 2);
  CHECK(text.substr(d.matches[0].begin, d.matches[0].end - d.matches[0].begin) ==
        "\xef\xbc\xa2\xd0\xbe\xd0\xb0t  t0   U.K");
}

TEST_CASE("Arabic: a term matches after an attached particle and through tatweel") {
  const std::string text = "بالقـــارب إلى بريطانيا";
  auto d = eval(text, "ar");
  REQUIRE(d.action == Action::redirect);
  REQUIRE(d.matches.size() == 1);
  CHECK(d.matches[0].begin == std::string("بال").size());  // the term starts after the particle
  CHECK(d.matches[0].end == text.size());
}

TEST_CASE("a prefix term matches inflected forms") {
  CHECK(eval("İngiltere'ye", "tr").matches.size() == 1);
  CHECK(eval("ingiltereye", "tr").matches.size() == 1);
  CHECK(eval("xingiltere", "tr").matches.empty());
}

TEST_CASE("emoji are matched as words") {
  CHECK(eval("🚤 to 🇬🇧", "").action == Action::redirect);
  CHECK(eval("🚤🇫🇷🇬🇧", "").action == Action::redirect);
}

TEST_CASE("hostile text gets a decision, never an exception") {
  const std::string bad[] = {
      std::string("\xff\xfe\xc0\xaf boat \xed\xa0\x80 to uk \xe2\x82"),
      std::string("boat\0to\0uk", 10),
      std::string(),
      std::string(1000, '\x01'),
      std::string("\xf4\x90\x80\x80\xf8\x88\x80\x80\x80"),
  };
  for (const auto& t : bad) CHECK_NOTHROW((void)eval(t));
  CHECK(eval(bad[0]).action == Action::redirect);
  CHECK(eval(bad[1]).action == Action::redirect);  // NULs separate words
  std::string big;
  while (big.size() < (4u << 20)) big += "lorem ipsum dolor sit amet ";
  CHECK(eval(big).action == Action::none);
  CHECK(eval(big + " boat to uk").action == Action::none);  // past max_text_bytes (1 MiB)
  CHECK(eval("boat to uk " + big).action == Action::redirect);
}

TEST_CASE("max_text_bytes bounds what is read") {
  signpost::EngineOptions o;
  o.max_text_bytes = 12;
  const Engine e = Engine::load(fs::path(SIGNPOST_TEST_DATA) / "packs" / "engine", o);
  CHECK(e.evaluate({"boat to uk"}).action == Action::redirect);
  CHECK(e.evaluate({"boat to the uk"}).action == Action::none);
  CHECK(e.evaluate({"boat to \xf0\x9f\x87\xac\xf0\x9f\x87\xa7"}).action == Action::none);  // flag cut
}

TEST_CASE("many threads sharing one engine agree with one thread") {
  const std::vector<std::string> texts = {"boat to uk", "fake passport", "ferry boat to uk", "news boat uk",
                                          "bateau angleterre prix", "قارب إلى بريطانيا", "hello world", "🚤 🇬🇧"};
  std::vector<signpost::Decision> expected;
  for (const auto& t : texts) expected.push_back(eval(t, ""));
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i)
        for (std::size_t k = 0; k < texts.size(); ++k)
          if (!(eval(texts[k], "") == expected[k])) ++mismatches;
    });
  for (auto& t : threads) t.join();
  CHECK(mismatches.load() == 0);
}

#ifdef SIGNPOST_COUNTS_ALLOCATIONS
TEST_CASE("evaluate allocates nothing when nothing matches (once the thread is warm)") {
  (void)eval("warm up the scratch with a sentence about nothing in particular");
  (void)eval("cheap flights to london this weekend");  // "weekend" is a @date hit: its vectors grow once
  const std::size_t before = t_allocations;
  for (int i = 0; i < 100; ++i) (void)eval("cheap flights to london this weekend");
  CHECK(t_allocations == before);
}

TEST_CASE("the default pack's classifier, scored and not firing, allocates nothing once the thread is warm") {
  // Concepts found, so the advert classifier is scored (probability about 0.33), and nothing is
  // decided: evaluate() allocates nothing, its decision owning nothing either.
  const signpost::Query q{"ferry to uk cheap", "en", Mode::query, {}};
  const signpost::Engine& pack = signpost::test::default_pack();
  const signpost::Trace t = pack.trace(q);
  REQUIRE(t.classifiers.size() == 7);  // the advert classifier and its six levels
  CHECK(t.classifiers[0].probability < 0.6);
  CHECK(t.classifiers[0].probability > 0.2);  // between the levels: none of the seven is found
  for (const auto& c : t.classifiers) CHECK_FALSE(c.fired);
  (void)pack.evaluate(q);
  const std::size_t before = t_allocations;
  for (int i = 0; i < 100; ++i) CHECK(pack.evaluate(q).action == Action::none);
  CHECK(t_allocations == before);
}

TEST_CASE("the entity scanners allocate nothing once the thread is warm") {
  // The fixture names @handle, @date, @money and @phone, so every scanner runs on every call.
  // Every entity kind is found, but no rule fires (contact-when needs a handle and a date together).
  const char* texts[] = {"call +44 7700 900123 tonight, 1400\u20ac", "nothing to see here, t.me/crossing 1400\u20ac",
                         "\u0661\u0664\u0660\u0660 \u064a\u0648\u0631\u0648 @uk_trip"};
  for (const char* t : texts) (void)eval(t);
  const std::size_t before = t_allocations;
  for (int i = 0; i < 100; ++i) (void)eval(texts[i % 3]);
  CHECK(t_allocations == before);
}
#endif

TEST_CASE("redirect: query cards first, redirect-judged results swapped for a card, flagged ones demoted") {
  std::vector<signpost::Result> results = {
      {"1", "Boat to UK tonight", "price 1400 euro", "https://a.example/"},
      {"2", "Ferry timetable", "Dover Calais ferry", "https://b.example/"},
      {"3", "Fake passport", "best quality", "https://c.example/"},
      {"4", "Weather", "sunny", "https://d.example/"},
  };
  auto page = fixture().redirect(Query{"weather", "en"}, results);
  CHECK(page.decision.action == Action::none);
  CHECK(page.removed == 1);
  CHECK(page.flagged == 1);
  REQUIRE(page.entries.size() == 4);
  using K = signpost::RedirectEntry::Kind;
  CHECK(page.entries[0].kind == K::card);  // swapped in where result 1 was
  CHECK(page.entries[0].card.id == "dangers");
  CHECK(page.entries[1].result.id == "2");
  CHECK(page.entries[2].result.id == "4");
  CHECK(page.entries[3].result.id == "3");  // interstitial: kept, flagged, after the clean ones
  CHECK(page.entries[3].flagged);
  CHECK(page.entries[3].category == "documents");

  auto risky = fixture().redirect(Query{"boat to uk", "en"}, results);
  CHECK(risky.decision.action == Action::redirect);
  CHECK(risky.entries[0].kind == K::card);
  CHECK(risky.entries[1].kind == K::card);
  CHECK(risky.removed == 2);  // with a redirecting query, interstitial results go too
  for (const auto& e : risky.entries)
    if (e.kind == K::result) CHECK_FALSE(e.flagged);
}

TEST_CASE("lint runs every embedded example and reports failures with their position") {
  auto rep = fixture().lint();
  CHECK(rep.ok());
  CHECK(rep.examples >= 10);

  const signpost::test::TempDir tmp;
  const fs::path dir = copy_fixture(tmp);
  write_file(dir / "rules" / "extra.yaml",
        "rules:\n  - id: wrong-example\n    category: documents\n    all: [fake, passport]\n"
        "    examples:\n      match: [real passport]\n");
  auto bad = Engine::load(dir).lint();
  REQUIRE(bad.failures.size() == 1);
  CHECK(bad.failures[0].to_string() ==
        (dir / "rules" / "extra.yaml").generic_string() + ":6:15: rule 'wrong-example': expected match: \"real passport\"");
}

TEST_CASE("compile problems: a term that normalizes to nothing and an unbounded regex, both reported") {
  const signpost::test::TempDir tmp;
  const fs::path dir = copy_fixture(tmp);
  write_file(dir / "lexicons" / "bad.yaml", "lexicons:\n  - id: punct\n    terms:\n      en: [\"...\"]\n");
  write_file(dir / "rules" / "bad.yaml",
        "rules:\n  - id: unbounded\n    category: crossing\n    regex: 'boat.*uk'\n");
  try {
    (void)Engine::load(dir);
    FAIL("expected ConfigError");
  } catch (const signpost::ConfigError& e) {
    REQUIRE(e.problems.size() == 2);
    CHECK(e.problems[0].to_string() ==
          (dir / "lexicons" / "bad.yaml").generic_string() + ":4:12: term normalizes to nothing: '...'");
    CHECK(e.problems[1].message.rfind("bad regex: unbounded repeat '*'", 0) == 0);
    CHECK(e.file == (dir / "lexicons" / "bad.yaml").generic_string());
    CHECK(e.line == 4);
  }
}

TEST_CASE("regex cost limits") {
  const signpost::test::TempDir tmp;
  const fs::path dir = copy_fixture(tmp);
  write_file(dir / "rules" / "bad.yaml",
        "rules:\n"
        "  - id: r1\n    category: crossing\n    regex: 'a{1,100}'\n"
        "  - id: r2\n    category: crossing\n    regex: '(a)\\1'\n"
        "  - id: r3\n    category: crossing\n    regex: 'a(?=b)'\n"
        "  - id: r4\n    category: crossing\n    regex: 'a[b'\n");
  try {
    (void)Engine::load(dir);
    FAIL("expected ConfigError");
  } catch (const signpost::ConfigError& e) {
    REQUIRE(e.problems.size() == 4);
    CHECK(e.problems[0].message == "bad regex: bounded repeat over 64 at offset 1");
    CHECK(e.problems[1].message == "bad regex: backreferences are not allowed");
    CHECK(e.problems[2].message == "bad regex: lookaround is not allowed");
    CHECK(e.problems[3].message.rfind("bad regex: ", 0) == 0);
    CHECK(e.problems[3].line == 13);
  }
}

TEST_CASE("a folder that does not exist is a ConfigError") {
  CHECK_THROWS_AS((void)Engine::load("/nonexistent/signpost/pack"), signpost::ConfigError);
}

TEST_CASE("holdout: a held-out subject gets action none, holdout true and the category it would have had") {
  signpost::EngineOptions all;
  all.holdout_rate = 1.0;
  all.holdout_salt = "s";
  const Engine e = Engine::load(fs::path(SIGNPOST_TEST_DATA) / "packs" / "engine", all);
  auto d = e.evaluate({"boat to uk", "en", Mode::query, "subject-1"});
  CHECK(d.action == Action::none);
  CHECK(d.holdout);
  CHECK(d.category == "crossing");
  CHECK(d.cards.empty());
  auto anon = e.evaluate({"boat to uk", "en", Mode::query, {}});  // no subject: never held out
  CHECK(anon.action == Action::redirect);
  CHECK_FALSE(anon.holdout);
  CHECK(e.holdout_rate("crossing") == 1.0);
  CHECK(fixture().holdout_rate("crossing") == 0.0);

  signpost::EngineOptions half;
  half.holdout_rate = 0.5;
  half.holdout_salt = "salt";
  const Engine h = Engine::load(fs::path(SIGNPOST_TEST_DATA) / "packs" / "engine", half);
  int held = 0;
  for (int i = 0; i < 400; ++i) {
    const std::string subject = "user-" + std::to_string(i);
    const auto a = h.evaluate({"boat to uk", "en", Mode::query, subject});
    const auto b = h.evaluate({"boat to uk", "en", Mode::query, subject});
    CHECK(a.holdout == b.holdout);  // stable
    CHECK(a.holdout == (signpost::holdout_bucket("salt", subject) < 0.5));
    held += a.holdout;
  }
  CHECK(held > 150);
  CHECK(held < 250);
}

TEST_CASE("decision JSON has the contract's shape and escapes what it echoes") {
  auto d = eval("boat to uk");
  const std::string id = "q<1>";
  const std::string j = signpost::to_json(d, fixture().pack(), &id);
  CHECK(j.rfind("{\"id\":\"q\\u003c1\\u003e\",\"action\":\"redirect\",\"category\":\"crossing\",\"score\":0.6,"
                "\"matches\":[{\"rule\":\"boat-to-uk\",\"category\":\"crossing\",\"start\":0,\"end\":10}],"
                "\"cards\":[{\"id\":\"dangers\",\"locale\":\"en\",",
                0) == 0);
  CHECK(j.find("\"holdout\":false,\"locale\":\"en\",\"pack\":{\"name\":\"engine-test\",\"version\":\"1.0.0\","
               "\"hash\":\"sha256:") != std::string::npos);
  const std::string none = signpost::to_json(eval("hello"), fixture().pack());
  CHECK(none.rfind("{\"action\":\"none\",\"category\":null,\"score\":0,\"matches\":[],\"cards\":[],", 0) == 0);
  std::string s;
  signpost::append_json_string(s, std::string("a\"\\\n\x01\xff", 6));
  CHECK(s == "\"a\\\"\\\\\\n\\u0001\\ufffd\"");
  std::string u;
  signpost::append_json_string(u, "\u00e9t\u00e9 \u2028</script>\u0645");
  CHECK(u == "\"\u00e9t\u00e9 \\u2028\\u003c/script\\u003e\u0645\"");
}

TEST_CASE("ConfigError keeps every problem; what() lists them one per line") {
  signpost::ConfigError e({{"a.yaml", 1, 2, "first"}, {"b.yaml", 3, 4, "second"}});
  CHECK(std::string(e.what()) == "a.yaml:1:2: first\nb.yaml:3:4: second");
  CHECK(e.file == "a.yaml");
  CHECK(e.line == 1);
  CHECK(e.column == 2);
}
