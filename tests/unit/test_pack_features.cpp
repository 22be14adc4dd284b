// The engine features packs use to generalize (docs/pack-format.md): built-in entities in rules,
// typo tolerance per lexicon, romanised terms, category priority and max_action. On packs built in
// memory (mini_pack.hpp), through the whole pipeline.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine_impl.hpp"
#include "mini_pack.hpp"

using namespace signpost;
using detail::EngineImpl;
using detail::PackFiles;

namespace {

// The mini pack with its rules and categories replaced.
PackFiles with(const std::string& lexicons_extra, const std::string& rules, const std::string& categories) {
  PackFiles p = test::mini_pack_files();
  p.files["lexicons.yaml"] += lexicons_extra;
  p.files["rules.yaml"] = rules;
  p.files["categories.yaml"] = categories;
  return p;
}

const std::string kCategories = R"(categories:
  - id: crossing
    action: redirect
    threshold: 0.5
    cards: [dangers, report]
  - id: documents
    action: interstitial
    threshold: 0.5
    cards: [report]
)";

// The problems of a pack that does not load, one per line.
std::string problems_of(const PackFiles& p) {
  try {
    EngineImpl e(p, EngineOptions{});
  } catch (const ConfigError& e) {
    std::string s;
    for (const auto& pr : e.problems) s += pr.to_string() + "\n";
    return s;
  }
  return "";
}

std::vector<std::string> fired(const EngineImpl& e, std::string_view text, std::string_view locale = "en",
                               Mode mode = Mode::query) {
  const auto& v = e.analyze(Query{text, locale, mode, {}}).verdict;
  std::vector<std::string> out;
  for (const auto& f : v.fired) out.push_back(e.model.rules[f.rule].id);
  return out;
}

}  // namespace

TEST_CASE("entities: @money, @phone, @handle and @date work in any, all, near and none") {
  const EngineImpl e(with("", R"(rules:
  - id: boat-price
    category: crossing
    all: [boat, "@money"]
  - id: contact
    category: crossing
    any: ["@phone", "@handle"]
    none: [news]
  - id: dated
    category: crossing
    near: [{of: [boat, "@date"], within: 2}]
)", kCategories), EngineOptions{});
  CHECK(fired(e, "boat 1400€") == std::vector<std::string>{"boat-price"});
  CHECK(fired(e, "قایق ۲٬۵۰۰ یورو", "fa") == std::vector<std::string>{"boat-price"});
  CHECK(fired(e, "boat 1400 people").empty());
  CHECK(fired(e, "call +44 7700 900123") == std::vector<std::string>{"contact"});
  CHECK(fired(e, "join t.me/crossing_uk") == std::vector<std::string>{"contact"});
  CHECK(fired(e, "news: call +44 7700 900123").empty());
  CHECK(fired(e, "boat tonight") == std::vector<std::string>{"dated"});
  CHECK(fired(e, "boat leaves from the beach tonight").empty());
  // The evidence of an entity is reported in bytes of the text as given.
  const Decision d = e.evaluate(Query{"\u0642\u0627\u06cc\u0642 \u06f1\u06f2\u06f0\u06f0\u20ac", "fa", Mode::query, {}});
  REQUIRE(d.matches.size() == 1);
  CHECK(d.matches[0].begin == 0);
  CHECK(d.matches[0].end == std::string("\u0642\u0627\u06cc\u0642 \u06f1\u06f2\u06f0\u06f0\u20ac").size());
}

TEST_CASE("entities: an unknown @name is a pack error at its position") {
  const std::string p = problems_of(with("", R"(rules:
  - id: r
    category: crossing
    all: [boat, "@price"]
)", kCategories));
  CHECK(p == "mini/rules.yaml:4:17: unknown entity '@price' (built in: @money, @phone, @handle, @date, @quote)\n");
}

TEST_CASE("entities: a pack that names none pays for none") {
  const EngineImpl e(test::mini_pack_files(), EngineOptions{});
  CHECK(e.entity_kinds == 0);
  const EngineImpl f(with("", "rules:\n  - id: r\n    category: crossing\n    all: [\"@phone\"]\n", kCategories), EngineOptions{});
  CHECK(f.entity_kinds == (1u << static_cast<unsigned>(detail::entities::Kind::phone)));
}

TEST_CASE("typos: one edit on the lexicons that ask for it, from min_length letters") {
  const std::string lex = R"(  - id: smuggler
    typos: 1
    min_length: 6
    terms:
      en: [smuggler, agent]
  - id: exact
    terms:
      en: [trafficker]
)";
  const EngineImpl e(with(lex, R"(rules:
  - id: smuggler
    category: crossing
    any: [smuggler]
  - id: exact
    category: crossing
    any: [exact]
)", kCategories), EngineOptions{});
  CHECK(fired(e, "smugler uk") == std::vector<std::string>{"smuggler"});
  CHECK(fired(e, "smuggelr uk") == std::vector<std::string>{"smuggler"});
  CHECK(fired(e, "agnet uk").empty());           // "agent" is shorter than min_length
  CHECK(fired(e, "traficker uk") == std::vector<std::string>{"exact"});  // repeated letters collapse: exact
  CHECK(fired(e, "trafficer uk").empty());      // no typos: 1 on this lexicon
  CHECK(fired(e, "trafficker uk") == std::vector<std::string>{"exact"});
}

TEST_CASE("typos and min_length are checked") {
  const std::string p = problems_of(with(R"(  - id: bad
    typos: 2
    min_length: 2
    terms:
      en: [whatever]
)", "rules:\n  - id: r\n    category: crossing\n    any: [bad]\n", kCategories));
  CAPTURE(p);
  CHECK(p.find("mini/lexicons.yaml:27:12: typos must be 0 or 1\n") != std::string::npos);
  CHECK(p.find("mini/lexicons.yaml:28:17: min_length must be an integer from 3 to 48\n") != std::string::npos);
}

TEST_CASE("romanised terms of Arabic-script languages match their Arabizi spellings") {
  const EngineImpl e(with(R"(  - id: harga
    terms:
      ar: [harga, ta2meen]
)", "rules:\n  - id: r\n    category: crossing\n    any: [harga]\n", kCategories), EngineOptions{});
  CHECK(fired(e, "7arga men sfax") == std::vector<std::string>{"r"});
  CHECK(fired(e, "tameen") == std::vector<std::string>{"r"});
  CHECK(fired(e, "harga") == std::vector<std::string>{"r"});
}

const std::string kDistress = R"(categories:
  - id: crossing
    action: redirect
    threshold: 0.5
    cards: [dangers, report]
  - id: distress
    action: annotate
    threshold: 0.5
    priority: 10
    max_action: annotate
    cards: [report]
)";

TEST_CASE("priority: a distress category wins over every risk category that also fires") {
  const EngineImpl e(with(R"(  - id: help
    terms:
      en: [help, sinking]
)", R"(rules:
  - id: boat-uk
    category: crossing
    all: [boat, uk]
  - id: sos
    category: distress
    any: [help]
)", kDistress), EngineOptions{});
  Decision d = e.evaluate(Query{"boat to uk", "en", Mode::query, {}});
  CHECK(d.action == Action::redirect);
  d = e.evaluate(Query{"help our boat to uk is sinking", "en", Mode::query, {}});
  CHECK(d.category == "distress");
  CHECK(d.action == Action::annotate);
}

TEST_CASE("max_action caps the decision while its category reaches its threshold, whatever wins") {
  // Here the help category has no priority: the risk category wins, but at most as annotate.
  std::string cats = kDistress;
  cats.replace(cats.find("    priority: 10\n"), std::string("    priority: 10\n").size(), "");
  const EngineImpl e(with("  - id: help\n    terms:\n      en: [help]\n", R"(rules:
  - id: boat-uk
    category: crossing
    all: [boat, uk]
  - id: sos
    category: distress
    any: [help]
)", cats), EngineOptions{});
  const Decision d = e.evaluate(Query{"help boat to uk", "en", Mode::query, {}});
  CHECK(d.category == "crossing");
  CHECK(d.action == Action::annotate);
}

TEST_CASE("max_action: a category whose own action is stronger is refused at load time") {
  std::string cats = kDistress;
  cats.replace(cats.find("action: annotate\n    threshold: 0.5\n    priority"), std::string("action: annotate").size(),
               "action: redirect");
  const std::string p = problems_of(with("", "rules:\n  - id: r\n    category: distress\n    any: [boat]\n", cats));
  CHECK(p == "mini/categories.yaml:7:13: action 'redirect' is stronger than max_action 'annotate'\n");
  std::string bad = kDistress;
  bad.replace(bad.find("priority: 10"), std::string("priority: 10").size(), "priority: 1.5");
  CHECK(problems_of(with("", "rules:\n  - id: r\n    category: distress\n    any: [boat]\n", bad)) ==
        "mini/categories.yaml:9:15: priority must be an integer from 0 to 100\n");
}

TEST_CASE("a regex beside an entity or a typo lexicon is scanned when only those were found") {
  // The matcher skips regexes whose condition lexicons have no term hit; entity and typo hits come
  // after the term scan, so their conditions must not be gated on it.
  const EngineImpl e(with(R"(  - id: smuggler
    typos: 1
    min_length: 6
    terms:
      en: [smuggler]
)", R"(rules:
  - id: money-and-code
    category: crossing
    all: ["@money"]
    regex: 'code [0-9]{1,4}'
  - id: smuggler-and-code
    category: crossing
    any: [smuggler]
    regex: 'code [0-9]{1,4}'
)", kCategories), EngineOptions{});
  CHECK(fired(e, "1400\u20ac code 7") == std::vector<std::string>{"money-and-code"});
  CHECK(fired(e, "smuglr code 7") == std::vector<std::string>{"smuggler-and-code"});
}

TEST_CASE("include: a lexicon takes the terms of the lexicons it names, and of their includes") {
  const EngineImpl e(with(R"(  - id: london
    terms:
      en: [london]
  - id: uk-any
    include: [uk, london]
  - id: crossing-words
    include: [uk-any]
    terms:
      en: [crossing]
  - id: london-typo
    typos: 1
    min_length: 5
    terms:
      en: [londonderry]
  - id: typo-holder
    include: [london, london-typo]
    typos: 1
    min_length: 5
    terms:
      en: [manchester]
)", R"(rules:
  - id: boat-uk-any
    category: crossing
    near: [{of: [boat, uk-any], within: 2}]
  - id: crossing-words
    category: documents
    all: [crossing-words, fake]
  - id: typo-london
    category: documents
    all: [typo-holder, passport]
  - id: london-alone
    category: documents
    all: [london, news]
)", kCategories), EngineOptions{});
  CHECK(fired(e, "boat to london") == std::vector<std::string>{"boat-uk-any"});
  CHECK(fired(e, "boat to england") == std::vector<std::string>{"boat-uk-any"});
  CHECK(fired(e, "bateau vers angleterre", "fr") == std::vector<std::string>{"boat-uk-any"});
  CHECK(fired(e, "boat to paris").empty());
  // Two levels of include, and the including lexicon's own terms.
  CHECK(fired(e, "fake london") == std::vector<std::string>{"crossing-words"});
  CHECK(fired(e, "fake crossing") == std::vector<std::string>{"crossing-words"});
  // Each taken term keeps the typo tolerance of the lexicon it was written in: "london" none,
  // "londonderry" one edit; the holder's own terms have the holder's.
  CHECK(fired(e, "passport londonderri") == std::vector<std::string>{"typo-london"});
  CHECK(fired(e, "passport manchestr") == std::vector<std::string>{"typo-london"});
  CHECK(fired(e, "passport londn").empty());
  CHECK(fired(e, "passport london") == std::vector<std::string>{"typo-london"});
  // The included lexicons keep working on their own.
  const auto& m = e.model;
  std::size_t uk_any = 0;
  for (std::size_t i = 0; i < m.lexicons.size(); ++i)
    if (m.lexicons[i].id == "uk-any") uk_any = i;
  CHECK(m.lexicons[uk_any].terms.size() == 4);
  CHECK(fired(e, "london news") == std::vector<std::string>{"london-alone"});
  CHECK(fired(e, "england news").empty());
}

TEST_CASE("include: a lexicon reached twice gives its terms once; min_length comes with the term") {
  const EngineImpl e(with(R"(  - id: long-words
    typos: 1
    min_length: 9
    terms:
      en: [manchester, dover, calais]
  - id: left
    include: [long-words]
  - id: right
    include: [long-words, long-words]
  - id: both
    include: [left, right, long-words]
)", R"(rules:
  - id: both-fake
    category: documents
    all: [both, fake]
)", kCategories), EngineOptions{});
  std::size_t both = 0;
  for (std::size_t i = 0; i < e.model.lexicons.size(); ++i)
    if (e.model.lexicons[i].id == "both") both = i;
  CHECK(e.model.lexicons[both].terms.size() == 3);
  // min_length 9 of long-words: "manchestr" (9 letters) is one edit from a term; "calaas" (6) would
  // be with the default min_length of 5, and is not read.
  CHECK(fired(e, "fake manchestr") == std::vector<std::string>{"both-fake"});
  CHECK(fired(e, "fake calaas").empty());
  CHECK(fired(e, "fake dovr").empty());
  CHECK(fired(e, "fake dover") == std::vector<std::string>{"both-fake"});
}

TEST_CASE("include: unknown lexicons, entities, itself, cycles and an empty list are pack errors") {
  const std::string p = problems_of(with(R"(  - id: a
    include: [b, nowhere, "@money", a]
  - id: b
    include: [c]
  - id: c
    include: [a]
  - id: d
    include: []
  - id: e
    description: neither terms nor include
  - id: f
    include: [boat]
    typos: 1
)", "rules:\n  - id: r\n    category: crossing\n    any: [a]\n", kCategories));
  CHECK(p ==
        "mini/lexicons.yaml:27:18: unknown lexicon 'nowhere'\n"
        "mini/lexicons.yaml:27:27: include names lexicons, not built-in entities ('@money')\n"
        "mini/lexicons.yaml:27:37: include cycle: a -> a\n"
        "mini/lexicons.yaml:31:15: include cycle: a -> b -> c -> a\n"
        "mini/lexicons.yaml:33:14: include needs at least 1 lexicon\n"
        "mini/lexicons.yaml:34:5: lexicon needs terms or include\n"
        "mini/lexicons.yaml:38:12: typos applies to a lexicon's own terms, and this one has none (taken terms "
        "keep their own)\n");
}
