// pack/loader: a pack folder (YAML) -> PackModel, with every problem as file:line:col.
//
// Fixture packs live in tests/data/packs/: `minimal/` is a complete valid pack, `broken/<name>/`
// holds one pack per error message. Big packs (limits, timing) are generated in a temporary folder.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>

#include <sys/stat.h>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "base/sha256.hpp"
#include "pack/loader.hpp"
#include "pack/yaml_tree.hpp"
#include "files.hpp"

namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& v) {
    std::string s = "{";
    for (const std::string& e : v) s += "\n  " + e;
    return (s + "\n}").c_str();
  }
};
}  // namespace doctest

namespace fs = std::filesystem;
using namespace signpost;
using namespace signpost::detail;

using signpost::test::read_file;
using signpost::test::TempDir;

namespace {

fs::path packs() { return fs::path(SIGNPOST_TEST_DATA) / "packs"; }
fs::path broken(std::string_view name) { return packs() / "broken" / name; }

std::string file_of(const fs::path& dir, std::string_view rel) { return (dir / fs::path(rel)).generic_string(); }

std::vector<std::string> problems_of(const fs::path& dir) {
  std::vector<Problem> problems;
  load_pack(dir, problems);
  std::vector<std::string> out;
  for (const Problem& p : problems) out.push_back(p.to_string());
  return out;
}

// The problems of a broken fixture pack, which must be exactly `expected`: "rel:line:col: message",
// `rel` relative to the pack folder.
void check_problems(std::string_view name, std::vector<std::string> expected) {
  for (std::string& e : expected) e = broken(name).generic_string() + "/" + e;
  CHECK(problems_of(broken(name)) == expected);
}

constexpr std::string_view kManifest = "name: generated\nversion: \"1\"\nlanguages: [en]\ndefault_locale: en\n";

// A lexicon file with `lexicons` lexicons of `per_lexicon` distinct terms each, in flow lists.
std::string lexicon_file(std::size_t lexicons, std::size_t per_lexicon, std::string_view prefix) {
  std::string s = "lexicons:\n";
  std::size_t n = 0;
  for (std::size_t l = 0; l < lexicons; ++l) {
    s += "  - id: " + std::string(prefix) + std::to_string(l) + "\n    terms:\n      en: [";
    for (std::size_t t = 0; t < per_lexicon; ++t) {
      if (t != 0) s += ", ";
      s += "term" + std::to_string(n++);
      if (t % 3 == 0) s += " boat";
    }
    s += "]\n";
  }
  return s;
}

}  // namespace

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
// One test per message of docs/pack-format.md

TEST_CASE("message: YAML syntax error") {
  check_problems("yaml-syntax", {"rules.yaml:3:20: YAML syntax error: illegal flow end"});
  check_problems("two-documents", {"content.yaml:5:1: YAML syntax error: more than one document"});
  check_problems("control-character", {"content.yaml:4:19: YAML syntax error: character U+0007 is not allowed"});
}

TEST_CASE("message: invalid UTF-8") {
  check_problems("invalid-utf8", {"content.yaml:4:19: invalid UTF-8"});
}

TEST_CASE("message: cannot read file") {
  TempDir t;
  t.write("pack.yaml", kManifest);
  t.write("secret.yaml", "lexicons: []\n");
  fs::permissions(t.path() / "secret.yaml", fs::perms::none);
  if (std::ifstream(t.path() / "secret.yaml").good()) {
    // Permissions do not stop this user (root), and a link to a file that cannot be read (such as
    // /proc/self/mem) leads outside the pack, which is refused before any read.
    MESSAGE("skipped: every file in a folder can be read by this user");
    return;
  }
  CHECK(problems_of(t.path()) == std::vector<std::string>{file_of(t.path(), "secret.yaml") + ":0:0: cannot read file"});
}

TEST_CASE("message: missing pack.yaml") {
  CHECK(problems_of(broken("missing-pack-yaml")) ==
        std::vector<std::string>{broken("missing-pack-yaml").generic_string() + ":0:0: missing pack.yaml"});
  CHECK(problems_of(broken("no-such-folder")) ==
        std::vector<std::string>{broken("no-such-folder").generic_string() + ":0:0: missing pack.yaml"});
}

TEST_CASE("message: duplicate key") {
  check_problems("duplicate-key", {"content.yaml:5:7: duplicate key 'en'"});
}

TEST_CASE("message: missing required field") {
  check_problems("missing-field", {"content.yaml:9:5: missing required field 'category'"});
}

TEST_CASE("message: unknown field") {
  check_problems("unknown-field", {"content.yaml:8:5: unknown field 'treshold' in category"});
}

TEST_CASE("message: expected T, got U") {
  check_problems("wrong-type", {"content.yaml:11:10: expected list, got string"});

  TempDir t;
  t.write("pack.yaml", kManifest);
  t.write("a.yaml", R"(lexicons:
  - id: boat
    terms: [boat]
categories:
  - id: offers
    action: annotate
    threshold: "0.5"
rules:
  - id: r
    category: offers
    weight: heavy
    locales: en
    near:
      - {of: [boat, boat], within: 2.5}
    examples:
      match: [[boat]]
cards:
  - id: c
    title:
    body: {text: b}
    url: https://example.org/
locale: en
)");
  const std::string f = file_of(t.path(), "a.yaml");
  CHECK(problems_of(t.path()) == std::vector<std::string>{
                                     f + ":3:12: expected mapping, got list",
                                     f + ":7:16: expected number, got string",
                                     f + ":11:13: expected number, got string",
                                     f + ":12:14: expected list or 'all', got string",
                                     f + ":14:36: expected integer, got number",
                                     f + ":16:15: expected string or mapping, got list",
                                     f + ":19:5: expected string, got null",
                                     f + ":20:11: expected string, got mapping",
                                 });
}

TEST_CASE("message: invalid id") {
  check_problems("invalid-id", {"content.yaml:2:9: invalid id 'Boat'"});
}

TEST_CASE("message: reserved id 'none'; 'other' is not a language tag") {
  TempDir d;
  d.write("pack.yaml", "name: p\nversion: \"1\"\nlanguages: [en, other]\ndefault_locale: en\n");
  d.write("c.yaml", "categories:\n  - id: none\n    action: redirect\n");
  const auto got = problems_of(d.path());
  REQUIRE(got.size() == 2);
  CHECK(got[0] == file_of(d.path(), "c.yaml") + ":2:9: reserved id 'none'");
  CHECK(got[1] == file_of(d.path(), "pack.yaml") + ":3:17: invalid locale 'other'");
}

TEST_CASE("message: duplicate id, with the first definition") {
  check_problems("duplicate-id", {"lexicons/b.yaml:5:9: duplicate lexicon id 'boat' (first defined at " +
                                  file_of(broken("duplicate-id"), "lexicons/a.yaml") + ":2:9)"});
}

TEST_CASE("message: unknown lexicon") {
  check_problems("unknown-lexicon", {"content.yaml:11:17: unknown lexicon 'boats'"});
}

TEST_CASE("message: unknown category") {
  check_problems("unknown-category", {"content.yaml:10:15: unknown category 'offer'"});
}

TEST_CASE("message: unknown card") {
  check_problems("unknown-card", {"content.yaml:4:13: unknown card 'crossing-dangers'"});
}

TEST_CASE("message: missing translation, once per card and language, at the first category using it") {
  check_problems("missing-translation",
                 {"categories.yaml:4:13: missing translation: card 'crossing-dangers' has no 'fr' version"});
}

TEST_CASE("message: unknown language") {
  check_problems("unknown-language", {"cards/de.yaml:1:9: unknown language 'de'"});
}

TEST_CASE("message: invalid locale") {
  check_problems("invalid-locale", {"pack.yaml:5:7: invalid locale 'Arabic'"});
}

TEST_CASE("message: rule has no positive condition") {
  check_problems("no-positive-condition", {"content.yaml:9:5: rule 'no-boat' has no positive condition"});
}

TEST_CASE("message: context has no positive condition") {
  check_problems("context-no-positive-condition",
                 {"content.yaml:9:5: context 'not-boats' has no positive condition"});
}

TEST_CASE("message: near needs at least 2 lexicons") {
  check_problems("near-needs-two", {"content.yaml:12:13: near needs at least 2 lexicons"});
}

TEST_CASE("message: invalid action") {
  check_problems("invalid-action", {"content.yaml:3:13: invalid action 'block'"});
}

TEST_CASE("message: invalid mode") {
  check_problems("invalid-mode", {"content.yaml:11:20: invalid mode 'posts'"});
}

TEST_CASE("message: invalid dir") {
  check_problems("invalid-dir", {"cards/en.yaml:2:6: invalid dir 'right-to-left'"});
}

TEST_CASE("message: weight must be in (0, 1]") {
  check_problems("weight-range", {"content.yaml:11:13: weight must be in (0, 1]"});
}

TEST_CASE("message: threshold must be in (0, 1]") {
  check_problems("threshold-range", {"content.yaml:4:16: threshold must be in (0, 1]"});
}

TEST_CASE("message: factor must be in [0, 1)") {
  check_problems("factor-range", {"content.yaml:11:13: factor must be in [0, 1)"});
}

TEST_CASE("message: holdout must be in [0, 0.5]") {
  check_problems("holdout-range", {"content.yaml:4:14: holdout must be in [0, 0.5]"});
}

TEST_CASE("message: within must be 1 to 50") {
  check_problems("within-range", {"content.yaml:12:36: within must be 1 to 50"});
}

TEST_CASE("message: empty term") {
  check_problems("empty-term", {"content.yaml:4:18: empty term"});
}

TEST_CASE("message: term too long") {
  check_problems("term-too-long", {"content.yaml:6:11: term too long (257 bytes, limit 256)"});
}

TEST_CASE("message: prefix term needs at least 2 letters before '*'") {
  check_problems("prefix-term", {"content.yaml:4:19: prefix term needs at least 2 letters before '*'"});
}

TEST_CASE("message: unsafe URL") {
  check_problems("unsafe-url",
                 {"cards/en.yaml:7:10: unsafe URL 'http://www.example.org/en/crossings': not an https:// URL"});
}

TEST_CASE("message: title longer than 60 characters (characters, not bytes)") {
  // cards/en.yaml has a title of 60 accented letters (120 bytes): fine. en-more.yaml has 61.
  check_problems("text-too-long", {"cards/en-more.yaml:4:12: title longer than 60 characters"});

  TempDir t;
  t.write("pack.yaml", kManifest);
  t.write("cards.yaml", "locale: en\ncards:\n  - id: a\n    title: ok\n    body: " + std::string(241, 'b') +
                            "\n    cta: " + std::string(41, 'c') + "\n    url: https://example.org/\n");
  CHECK(problems_of(t.path()) ==
        std::vector<std::string>{file_of(t.path(), "cards.yaml") + ":5:11: body longer than 240 characters",
                                 file_of(t.path(), "cards.yaml") + ":6:10: cta longer than 40 characters"});
}

TEST_CASE("message: aliases and anchors are not allowed (billion laughs)") {
  // Reported once per line, without expanding anything.
  std::vector<std::string> expected;
  for (int line = 5; line <= 13; ++line)
    expected.push_back("content.yaml:" + std::to_string(line) + ":11: aliases and anchors are not allowed");
  check_problems("aliases", expected);

  TempDir t;
  t.write("pack.yaml", kManifest);
  t.write("a.yaml", "lexicons:\n  - id: boat\n    terms:\n      en: [boat, inflatable*, \"*x\", a*b, '&c']\n"
                    "  - id: uk\n    terms:\n      en: *boats\n");
  CHECK(problems_of(t.path()) ==
        std::vector<std::string>{file_of(t.path(), "a.yaml") + ":7:11: aliases and anchors are not allowed"});
}

TEST_CASE("message: nesting deeper than 32") {
  check_problems("nesting", {"content.yaml:4:39: nesting deeper than 32"});

  // Bombs of every shape stop at the 33rd level, without recursing further.
  TempDir t;
  t.write("pack.yaml", kManifest);
  t.write("flow.yaml", std::string(1 << 20, '[') + std::string(1 << 20, ']'));
  t.write("maps.yaml", [] {
    std::string s;
    for (int i = 0; i < 100000; ++i) s += "{a: ";
    return s;
  }());
  t.write("dashes.yaml", [] {
    std::string s;
    for (int i = 0; i < 100000; ++i) s += "- ";
    return s + "x\n";
  }());
  t.write("indent.yaml", [] {
    std::string s;
    for (int i = 0; i < 2000; ++i) s += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
    return s;
  }());
  CHECK(problems_of(t.path()) == std::vector<std::string>{
                                     file_of(t.path(), "dashes.yaml") + ":1:65: nesting deeper than 32",
                                     file_of(t.path(), "flow.yaml") + ":1:33: nesting deeper than 32",
                                     file_of(t.path(), "indent.yaml") + ":33:33: nesting deeper than 32",
                                     file_of(t.path(), "maps.yaml") + ":1:129: nesting deeper than 32",
                                 });
}

TEST_CASE("message: file larger than 4 MiB") {
  TempDir t;
  t.write("pack.yaml", kManifest);
  t.write("huge.yaml", "lexicons: []\n" + std::string(kMaxFileBytes, '#'));
  CHECK(problems_of(t.path()) ==
        std::vector<std::string>{file_of(t.path(), "huge.yaml") + ":0:0: file larger than 4 MiB"});
}

TEST_CASE("message: more than 1000 files") {
  TempDir t;
  t.write("pack.yaml", kManifest);
  for (std::size_t i = 0; i < kMaxPackFiles; ++i) t.write("f/" + std::to_string(i) + ".yaml", "");
  CHECK(problems_of(t.path()) == std::vector<std::string>{t.path().generic_string() + ":0:0: more than 1000 files"});
  fs::remove(t.path() / "f/0.yaml");
  CHECK(problems_of(t.path()).empty());
}

TEST_CASE("message: more than 4096 terms in lexicon") {
  TempDir t;
  t.write("pack.yaml", kManifest);
  t.write("a.yaml", lexicon_file(1, kMaxLexiconTerms + 2, "big"));
  std::vector<std::string> problems = problems_of(t.path());
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].starts_with(file_of(t.path(), "a.yaml") + ":4:"));
  CHECK(problems[0].ends_with(": more than 4096 terms in lexicon 'big0'"));
}

TEST_CASE("message: more than 200000 terms") {
  TempDir t;
  t.write("pack.yaml", kManifest);
  const std::size_t files = 5, per_file = kMaxPackTerms / files / kMaxLexiconTerms + 1;
  for (std::size_t f = 0; f < files; ++f)
    t.write("lexicons/" + std::to_string(f) + ".yaml",
            lexicon_file(per_file, kMaxLexiconTerms, "l" + std::to_string(f) + "-"));
  std::vector<Problem> problems;
  const PackModel m = load_pack(t.path(), problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].file == file_of(t.path(), "lexicons/4.yaml"));
  CHECK(problems[0].message == "more than 200000 terms");
  std::size_t terms = 0;
  for (const Lexicon& l : m.lexicons) terms += l.terms.size();
  CHECK(terms == kMaxPackTerms);
}

TEST_CASE("message: more than N YAML nodes") {
  // The limit is a million nodes per file; the same check with a smaller limit.
  std::string s = "[";
  for (int i = 0; i < 2000; ++i) s += "a,";
  const YamlParse p = parse_yaml(s + "a]", 1000);
  CHECK_FALSE(p.complete);
  REQUIRE(p.problems.size() == 1);
  CHECK(p.problems[0].line == 1);
  CHECK(p.problems[0].column == 2000);  // the 1001st node: the list, then "a" every 2 columns
  CHECK(p.problems[0].message == "more than 1000 YAML nodes");
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

// ---------------------------------------------------------------------------------------------
// What a folder may hold: regular files inside it, and a bounded pack as a whole.

TEST_CASE("message: symbolic link leading outside the pack folder (never read)") {
  TempDir t, outside;
  t.write("pack.yaml", kManifest);
  outside.write("secret.yaml", "root: x:0:0:root:/root:/bin/bash\n");
  fs::create_symlink(outside.path() / "secret.yaml", t.path() / "lexicons.yaml");
  fs::create_directory_symlink(outside.path(), t.path() / "more");
  const auto problems = problems_of(t.path());
  CHECK(problems == std::vector<std::string>{
                        file_of(t.path(), "lexicons.yaml") + ":0:0: symbolic link leading outside the pack folder",
                        file_of(t.path(), "more") + ":0:0: symbolic link leading outside the pack folder"});
  // A link that stays inside the folder is read as the file it leads to.
  fs::remove(t.path() / "lexicons.yaml");
  fs::remove(t.path() / "more");
  t.write("real/lexicons.yaml", "lexicons: []\n");
  fs::create_symlink(t.path() / "real" / "lexicons.yaml", t.path() / "lexicons.yaml");
  fs::create_symlink("nowhere.yaml", t.path() / "dangling.yaml");
  CHECK(problems_of(t.path()) ==
        std::vector<std::string>{file_of(t.path(), "dangling.yaml") + ":0:0: symbolic link leading nowhere"});
}

TEST_CASE("message: not a regular file (a FIFO is reported, never opened)") {
  TempDir t;
  t.write("pack.yaml", kManifest);
  REQUIRE(::mkfifo((t.path() / "lexicons.yaml").c_str(), 0600) == 0);
  CHECK(problems_of(t.path()) ==
        std::vector<std::string>{file_of(t.path(), "lexicons.yaml") +
                                 ":0:0: not a regular file (a FIFO, a device or a socket)"});
  // A FIFO pack.yaml is that, not "missing pack.yaml".
  fs::remove(t.path() / "pack.yaml");
  REQUIRE(::mkfifo((t.path() / "pack.yaml").c_str(), 0600) == 0);
  fs::remove(t.path() / "lexicons.yaml");
  CHECK(problems_of(t.path()) ==
        std::vector<std::string>{file_of(t.path(), "pack.yaml") +
                                 ":0:0: not a regular file (a FIFO, a device or a socket)"});
}

TEST_CASE("message: the pack is larger than 16 MiB in total") {
  // Each file is under the per-file limit; together they cross the pack's budget, and the file
  // that crosses it and every later one are not read.
  const std::string filler = "lexicons: []\n" + std::string(kMaxFileBytes - 64, '#');
  const std::size_t files = kMaxPackBytes / filler.size() + 1;
  const std::string expected = ":0:0: the pack is larger than 16 MiB in total (with this file); the files after it are not read";
  TempDir t;
  t.write("pack.yaml", kManifest);
  PackFiles memory;
  memory.files["pack.yaml"] = std::string(kManifest);
  for (std::size_t i = 0; i < files; ++i) {
    t.write("f" + std::to_string(i) + ".yaml", filler);
    memory.files["f" + std::to_string(i) + ".yaml"] = filler;
  }
  const std::string last = "f" + std::to_string(files - 1) + ".yaml";
  CHECK(problems_of(t.path()) == std::vector<std::string>{file_of(t.path(), last) + expected});
  std::vector<Problem> problems;
  load_pack(memory, problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].to_string() == "<memory>/" + last + expected);
}

TEST_CASE("message: more than 20000 examples in the pack") {
  TempDir t;
  for (const auto& e : fs::recursive_directory_iterator(packs() / "minimal"))
    if (e.is_regular_file())
      t.write(fs::relative(e.path(), packs() / "minimal").generic_string(), read_file(e.path()));
  std::string rules = "rules:\n  - id: many-examples\n    category: crossing_offers\n    any: [boat]\n"
                      "    examples:\n      no_match:\n";
  for (std::size_t i = 0; i < kMaxPackExamples; ++i) rules += "        - example " + std::to_string(i) + "\n";
  t.write("rules/many.yaml", rules);
  // The minimal pack's own examples come first (contexts.yaml, rules/crossing.yaml sort before).
  std::vector<Problem> none;
  const PackModel minimal = load_pack(packs() / "minimal", none);
  std::size_t before = 0;
  for (const auto& r : minimal.rules) before += r.examples.size();
  for (const auto& c : minimal.contexts) before += c.examples.size();
  REQUIRE(before > 0);
  const int line = 6 + static_cast<int>(kMaxPackExamples - before + 1);
  CHECK(problems_of(t.path()) == std::vector<std::string>{file_of(t.path(), "rules/many.yaml") + ":" +
                                                          std::to_string(line) +
                                                          ":11: more than 20000 examples in the pack"});
}

TEST_CASE("problem lines escape control characters from pack text and file names") {
  TempDir t;
  t.write("pack.yaml", kManifest);
  t.write("evil\n/x:1:1: forged.yaml", "lexicons: [\n");
  for (const std::string& line : problems_of(t.path())) {
    CHECK(line.find('\n') == std::string::npos);
    CHECK(line.find("evil\\x0A/x:1:1: forged.yaml") != std::string::npos);
  }
  const Problem p{"a\x1b[2Jb.yaml", 1, 2, "unknown field 'x\r\n\xC2\x9B\xE2\x80\xAEy'"};
  CHECK(p.to_string() == "a\\x1B[2Jb.yaml:1:2: unknown field 'x\\x0D\\x0A\\u{009B}\\u{202E}y'");
}
