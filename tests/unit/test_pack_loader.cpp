// pack/loader: a pack folder (YAML) -> PackModel, with every problem as file:line:col.
//
// Fixture packs live in tests/data/packs/: `minimal/` is a complete valid pack, `broken/<name>/`
// holds one pack per error message (their tests: test_pack_messages.cpp). Big packs (limits, timing)
// are generated in a temporary folder.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <random>

#include <string>
#include <vector>

#include "base/sha256.hpp"
#include "pack/loader.hpp"
#include "pack/yaml_tree.hpp"
#include "files.hpp"
#include "pack_problems.hpp"

namespace fs = std::filesystem;
using namespace signpost;
using namespace signpost::detail;
using namespace signpost::test;

// ---------------------------------------------------------------------------------------------
// The minimal pack

TEST_CASE("the minimal pack loads into the expected model") {
  const fs::path dir = packs() / "minimal";
  std::vector<Problem> problems;
  const PackModel m = load_pack(dir, problems);
  REQUIRE(problems.empty());

  CHECK(m.name == "minimal");
  CHECK(m.version == "1.0.0");
  CHECK(m.description == "A minimal pack for tests");
  CHECK(m.languages == std::vector<std::string>{"en", "fr"});
  CHECK(m.default_locale == "en");
  CHECK(m.fallback == std::map<std::string, std::vector<std::string>>{{"fr-BE", {"fr"}}});
  for (const char* l : {"ar", "fa", "prs", "ckb", "ps", "ur", "he", "yi", "ug", "sd", "dv", "syc"})
    CHECK(std::count(m.rtl_locales.begin(), m.rtl_locales.end(), l) == 1);
  CHECK(m.rtl_locales.size() == 12);

  REQUIRE(m.lexicons.size() == 2);
  const Lexicon& boat = m.lexicons[0];
  CHECK(boat.id == "boat");
  CHECK(boat.pos.file == file_of(dir, "lexicons/core.yaml"));
  CHECK(boat.pos.line == 2);
  CHECK(boat.pos.column == 5);
  REQUIRE(boat.terms.size() == 5);
  auto term = [](const TermSpec& t) { return t.lang + ":" + t.text + (t.prefix ? "*" : ""); };
  CHECK(term(boat.terms[0]) == "en:boat");
  CHECK(term(boat.terms[1]) == "en:small boat");
  CHECK(term(boat.terms[2]) == "en:inflatable*");
  CHECK(boat.terms[2].text == "inflatable");
  CHECK(term(boat.terms[3]) == "fr:bateau");
  CHECK(term(boat.terms[4]) == "fr:pneumatique*");
  CHECK(boat.terms[2].pos.file == file_of(dir, "lexicons/core.yaml"));
  CHECK(boat.terms[2].pos.line == 5);
  CHECK(boat.terms[2].pos.column == 30);
  CHECK(m.lexicons[1].id == "uk");
  CHECK(m.lexicons[1].terms.size() == 3);

  REQUIRE(m.categories.size() == 1);
  const Category& cat = m.categories[0];
  CHECK(cat.id == "crossing_offers");
  CHECK(cat.description == "offers of small-boat crossings");
  CHECK(cat.action == Action::redirect);
  CHECK(cat.threshold == 0.5);
  CHECK(cat.cards == std::vector<std::string>{"crossing-dangers"});
  CHECK(cat.holdout == 0.1);

  REQUIRE(m.rules.size() == 1);
  const Rule& r = m.rules[0];
  CHECK(r.id == "boat-to-uk");
  CHECK(r.category == 0);
  CHECK(r.weight == 0.8);
  CHECK(r.locales == std::vector<std::string>{"fr", "en"});
  CHECK(r.query_mode);
  CHECK_FALSE(r.post_mode);
  CHECK(r.cond.any == std::vector<std::size_t>{0});
  CHECK(r.cond.all == std::vector<std::size_t>{1});
  CHECK(r.cond.none.empty());
  REQUIRE(r.cond.near.size() == 1);
  CHECK(r.cond.near[0].of == std::vector<std::size_t>{0, 1});
  CHECK(r.cond.near[0].within == 4);
  CHECK_FALSE(r.cond.regex.has_value());
  REQUIRE(r.examples.size() == 3);
  // A string example takes the rule's first locale and first mode.
  CHECK(r.examples[0].text == "bateau pour angleterre");
  CHECK(r.examples[0].locale == "fr");
  CHECK(r.examples[0].mode == Mode::query);
  CHECK(r.examples[0].expect_match);
  CHECK(r.examples[0].pos.line == 14);
  CHECK(r.examples[0].pos.column == 11);
  CHECK(r.examples[1].text == "boat to the uk");
  CHECK(r.examples[1].locale == "en");
  CHECK(r.examples[1].expect_match);
  CHECK(r.examples[2].locale == "fr");
  CHECK(r.examples[2].mode == Mode::post);
  CHECK_FALSE(r.examples[2].expect_match);

  REQUIRE(m.contexts.size() == 1);
  const Context& c = m.contexts[0];
  CHECK(c.id == "ferry-travel");
  CHECK(c.factor == 0.25);
  CHECK(c.categories == std::vector<std::size_t>{0});
  CHECK(c.locales.empty());
  CHECK(c.query_mode);
  CHECK(c.post_mode);
  CHECK(c.cond.any == std::vector<std::size_t>{0});
  CHECK(c.cond.none == std::vector<std::size_t>{1});
  REQUIRE(c.cond.regex.has_value());
  CHECK(*c.cond.regex == "fer(y|ies)");
  CHECK(c.cond.regex_pos.file == file_of(dir, "contexts.yaml"));
  CHECK(c.cond.regex_pos.line == 5);
  CHECK(c.cond.regex_pos.column == 12);
  REQUIRE(c.examples.size() == 1);
  CHECK(c.examples[0].locale.empty());  // the context has no locales
  CHECK(c.examples[0].mode == Mode::query);

  REQUIRE(m.cards.size() == 2);
  const Card& en = m.cards[0].card;
  CHECK(en.id == "crossing-dangers");
  CHECK(en.locale == "en");
  CHECK(en.title == "Small boat crossings can kill");
  CHECK(en.cta == "Learn more");
  CHECK(en.url == "https://www.example.org/en/crossings");
  CHECK_FALSE(en.rtl);
  CHECK(m.cards[0].pos.file == file_of(dir, "cards/en.yaml"));
  CHECK(m.cards[1].card.locale == "fr");
  CHECK(m.cards[1].card.title == "Traverser la Manche en small boat peut tuer");
  CHECK_FALSE(m.cards[1].card.rtl);
}

TEST_CASE("the pack hash covers every file's relative path and bytes, in byte order of the paths") {
  const fs::path dir = packs() / "minimal";
  std::vector<Problem> problems;
  const PackModel m = load_pack(dir, problems);
  REQUIRE(problems.empty());
  REQUIRE(m.hash.size() == 7 + 64);
  CHECK(m.hash.starts_with("sha256:"));
  CHECK(m.hash.find_first_not_of("0123456789abcdef", 7) == std::string::npos);

  Sha256 expected;
  for (const char* rel : {"cards/en.yaml", "cards/fr.yaml", "categories.yaml", "contexts.yaml", "lexicons/core.yaml",
                          "pack.yaml", "rules/crossing.yaml"}) {
    expected.update(rel);
    expected.update(std::string_view("\0", 1));
    expected.update(read_file(dir / rel));
    expected.update(std::string_view("\0", 1));
  }
  CHECK(m.hash == "sha256:" + to_hex(expected.finish()));

  // Stable: the same files give the same hash wherever the folder is; a changed byte changes it.
  TempDir copy;
  fs::copy(dir, copy.path(), fs::copy_options::recursive);
  CHECK(load_pack(copy.path(), problems).hash == m.hash);
  copy.write("notes.txt", "not a pack file");
  copy.write(".hidden/x.yaml", "lexicons: [");
  CHECK(load_pack(copy.path(), problems).hash == m.hash);
  std::string cat = read_file(copy.path() / "categories.yaml");
  cat.replace(cat.find("0.5"), 3, "0.6");
  copy.write("categories.yaml", cat);
  CHECK(load_pack(copy.path(), problems).hash != m.hash);
  CHECK(problems.empty());
}

TEST_CASE("card direction comes from the locale, the manifest's rtl list, or the card file's dir") {
  TempDir t;
  t.write("pack.yaml", "name: rtl\nversion: '1'\nlanguages: [en, ar, syc, fa-AF]\ndefault_locale: en\nrtl: [syc]\n");
  auto card = [](std::string_view head, std::string_view id) {
    return std::string(head) + "cards:\n  - id: " + std::string(id) +
           "\n    title: t\n    body: b\n    url: https://example.org/\n";
  };
  t.write("cards/1-en.yaml", card("locale: en\n", "a"));
  t.write("cards/2-ar.yaml", card("locale: ar\n", "a"));
  t.write("cards/3-syc.yaml", card("locale: syc\n", "a"));
  t.write("cards/4-fa.yaml", card("locale: fa-AF\n", "a"));
  t.write("cards/5-en.yaml", card("locale: en\ndir: rtl\n", "b"));
  t.write("cards/6-ar.yaml", card("locale: ar\ndir: ltr\n", "b"));
  std::vector<Problem> problems;
  const PackModel m = load_pack(t.path(), problems);
  CHECK(problems.empty());
  REQUIRE(m.cards.size() == 6);
  std::vector<bool> rtl;
  for (const CardText& c : m.cards) rtl.push_back(c.card.rtl);
  CHECK(rtl == std::vector<bool>{false, true, true, true, true, false});
  CHECK(m.cards[3].card.locale == "fa-AF");
}

TEST_CASE("a byte order mark, CRLF line endings, comments and non-pack files are fine") {
  TempDir t;
  t.write("pack.yaml", "\xEF\xBB\xBFname: crlf\r\nversion: '1'  # quoted\r\nlanguages: [en]\r\ndefault_locale: en\r\n");
  t.write("README.md", "# not YAML: [");
  t.write("lexicons/old.yml", "not: [read");
  t.write(".git/x.yaml", "not: [read");
  t.write("lexicons/.draft.yaml", "not: [read");
  t.write("lexicons/a.yaml", "\xEF\xBB\xBFlexicons:\r\n  - id: boat\r\n    terms:\r\n      en: [boat]\r\n");
  t.write("empty.yaml", "# nothing yet\n");
  std::vector<Problem> problems;
  const PackModel m = load_pack(t.path(), problems);
  CHECK(problems.empty());
  CHECK(m.version == "1");
  REQUIRE(m.lexicons.size() == 1);
  CHECK(m.lexicons[0].terms[0].pos.line == 4);
  CHECK(m.lexicons[0].terms[0].pos.column == 12);
}

TEST_CASE("examples default to the owner's first locale and first mode") {
  TempDir t;
  t.write("pack.yaml", kManifest);
  t.write("a.yaml", R"(lexicons:
  - id: boat
    terms: {en: [boat]}
categories:
  - id: offers
    action: annotate
rules:
  - id: r
    category: offers
    any: [boat]
    locales: [fr-BE, en]
    modes: [post, query]
    examples:
      match: [boat, {text: boat, locale: en-GB}, {text: boat, mode: query}]
)");
  std::vector<Problem> problems;
  const PackModel m = load_pack(t.path(), problems);
  CHECK(problems.empty());
  REQUIRE(m.rules.size() == 1);
  CHECK(m.rules[0].locales == std::vector<std::string>{"fr", "en"});  // language subtags
  REQUIRE(m.rules[0].examples.size() == 3);
  CHECK(m.rules[0].examples[0].locale == "fr");
  CHECK(m.rules[0].examples[0].mode == Mode::post);
  CHECK(m.rules[0].examples[1].locale == "en-GB");
  CHECK(m.rules[0].examples[2].mode == Mode::query);
}

TEST_CASE("problems are appended to the caller's list and name files as the folder was given") {
  std::vector<Problem> problems{{"earlier", 1, 1, "kept"}};
  fs::path rel = fs::relative(broken("yaml-syntax"));
  if (rel.empty()) rel = broken("yaml-syntax");
  load_pack(rel, problems);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].message == "kept");
  CHECK(problems[1].file == (rel / "rules.yaml").generic_string());
  CHECK(problems[1].line == 3);
  CHECK(problems[1].column == 20);
}

// ---------------------------------------------------------------------------------------------

TEST_CASE("a pack with errors in several files reports all of them, in file then position order") {
  const fs::path dir = broken("many");
  CHECK(problems_of(dir) == std::vector<std::string>{
      file_of(dir, "cards/en.yaml") +
          ":7:10: unsafe URL 'https://user:secret@www.example.org/': credentials are not allowed",
      file_of(dir, "categories.yaml") + ":4:31: unknown card 'safe-routes'",
      file_of(dir, "categories.yaml") + ":7:16: threshold must be in (0, 1]",
      file_of(dir, "lexicons.yaml") + ":4:18: prefix term needs at least 2 letters before '*'",
      file_of(dir, "lexicons.yaml") + ":4:22: empty term",
      file_of(dir, "lexicons.yaml") + ":5:5: unknown field 'descripton' in lexicon",
      file_of(dir, "pack.yaml") + ":6:8: unknown language 'de'",
      file_of(dir, "rules.yaml") + ":4:17: unknown lexicon 'price'",
      file_of(dir, "rules.yaml") + ":5:13: invalid mode 'search'",
      file_of(dir, "rules.yaml") + ":6:5: rule 'Boat-Offer' has no positive condition",
      file_of(dir, "rules.yaml") + ":6:9: invalid id 'Boat-Offer'",
      file_of(dir, "rules.yaml") + ":7:15: unknown category 'offerz'",
  });
}

TEST_CASE("a file that cannot be parsed does not cause unknown-reference noise elsewhere") {
  TempDir t;
  t.write("pack.yaml", kManifest);
  t.write("a.yaml", "lexicons:\n  - id: boat\n    terms: {en: [boat]\n");
  t.write("b.yaml", "categories:\n  - id: offers\n    action: annotate\nrules:\n  - id: r\n    category: offers\n"
                    "    any: [boat]\n    weight: 2\n");
  const std::vector<std::string> problems = problems_of(t.path());
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].starts_with(file_of(t.path(), "a.yaml") + ":4:1: YAML syntax error: "));
  CHECK(problems[1] == file_of(t.path(), "b.yaml") + ":8:13: weight must be in (0, 1]");
}

TEST_CASE("check_url accepts https URLs to a host and says why it refuses the rest") {
  CHECK(check_url("https://www.example.org/en/page?x=1#top").empty());
  CHECK(check_url("https://example.org").empty());
  CHECK(check_url("HTTPS://Example.ORG:8443/a%20b").empty());
  CHECK(check_url("https://[2001:db8::1]:443/").empty());
  CHECK(check_url("https://example.org/ar/صفحة").empty());
  CHECK(check_url("") == "empty");
  CHECK(check_url("http://example.org/") == "not an https:// URL");
  CHECK(check_url("javascript:alert(1)") == "not an https:// URL");
  CHECK(check_url("//example.org/") == "not an https:// URL");
  CHECK(check_url("https:///path") == "no host");
  CHECK(check_url("https://") == "no host");
  CHECK(check_url("https://user:pw@example.org/") == "credentials are not allowed");
  CHECK(check_url("https://example.org@evil.example/") == "credentials are not allowed");
  CHECK(check_url("https://exa mple.org/") == "contains a space");
  CHECK(check_url("https://example.org/a b") == "contains a space");
  CHECK(check_url("https://example.org/\xC2\xA0") == "contains a space");
  CHECK(check_url("https://example.org\\@evil.example/") == "contains a backslash");
  CHECK(check_url("https://example.org/\t") == "control or invisible character");
  CHECK(check_url("https://example.org/\xE2\x80\xAE") == "control or invisible character");
  CHECK(check_url("https://exa_mple.org/") == "malformed host");
  CHECK(check_url("https://-example.org/") == "malformed host");
  CHECK(check_url("https://example..org/") == "malformed host");
  CHECK(check_url("https://éxample.org/") == "malformed host");
  CHECK(check_url("https://example.org:/") == "bad port");
  CHECK(check_url("https://example.org:99999/") == "bad port");
  CHECK(check_url("https://example.org:8o/") == "bad port");
  CHECK(check_url("https://example.org/%zz") == "bad percent-encoding");
  CHECK(check_url("https://example.org/" + std::string(3000, 'a')) == "longer than 2048 bytes");
}

TEST_CASE("the loader survives random damage to a valid pack") {
  const fs::path src = packs() / "minimal";
  std::vector<std::pair<std::string, std::string>> files;
  for (const char* rel : {"pack.yaml", "lexicons/core.yaml", "rules/crossing.yaml", "categories.yaml",
                          "contexts.yaml", "cards/en.yaml", "cards/fr.yaml"})
    files.emplace_back(rel, read_file(src / rel));
  std::mt19937 rng(20240601);
  const std::string alphabet = "-:[]{},&*!|>?'\"#%@`\\ \t\nabz09\xC3\xA9\xFF\x80";
  auto damage = [&](std::string s) {
    const unsigned edits = 1 + rng() % 6;
    for (unsigned k = 0; k < edits && !s.empty(); ++k) {
      const std::size_t at = rng() % s.size();
      switch (rng() % 5) {
        case 0: s[at] = alphabet[rng() % alphabet.size()]; break;
        case 1: s.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        case 2: s.erase(at, 1 + rng() % 8); break;
        case 3: s.resize(at); break;
        default: s[at] = static_cast<char>(rng()); break;
      }
    }
    return s;
  };
  // In memory, many times.
  for (int i = 0; i < 3000; ++i) {
    const auto& f = files[static_cast<std::size_t>(i) % files.size()];
    const YamlParse p = parse_yaml(damage(f.second));
    CHECK((p.complete || !p.problems.empty()));
  }
  // Whole packs, a few times.
  TempDir t;
  for (int i = 0; i < 40; ++i) {
    for (const auto& [rel, text] : files) t.write(rel, damage(text));
    std::vector<Problem> problems;
    CHECK_NOTHROW(load_pack(t.path(), problems));
  }
  // Random bytes.
  for (int i = 0; i < 200; ++i) {
    std::string s(rng() % 4000, '\0');
    for (char& c : s) c = static_cast<char>(rng() % 2 ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng()));
    CHECK_NOTHROW(parse_yaml(s));
  }
}

TEST_CASE("a pack of 20,000 terms loads quickly") {
  TempDir t;
  t.write("pack.yaml", kManifest);
  for (int f = 0; f < 5; ++f) t.write("lexicons/" + std::to_string(f) + ".yaml", lexicon_file(4, 1000, "l" + std::to_string(f) + "-"));
  const auto start = std::chrono::steady_clock::now();
  std::vector<Problem> problems;
  const PackModel m = load_pack(t.path(), problems);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  CHECK(problems.empty());
  std::size_t terms = 0;
  for (const Lexicon& l : m.lexicons) terms += l.terms.size();
  CHECK(terms == 20000);
  MESSAGE("20,000 terms loaded in " << ms << " ms");
}
