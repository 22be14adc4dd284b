// pack/loader: one test per message of docs/pack-format.md (the fixture packs of
// tests/data/packs/broken/), and what a pack folder may hold. The model the loader builds is tested
// in test_pack_loader.cpp.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "pack/loader.hpp"
#include "pack/yaml_tree.hpp"
#include "files.hpp"
#include "pack_problems.hpp"

namespace fs = std::filesystem;
using namespace signpost;
using namespace signpost::detail;
using namespace signpost::test;

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
