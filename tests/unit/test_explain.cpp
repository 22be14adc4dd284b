// Engine::trace and signpost::tools::explain (`signpost explain`): concepts with spans, rules fired
// and nearly fired with what they lacked, contexts, scores, decision. On the mini pack written to a
// folder, through the public API only.
#include <doctest/doctest.h>


#include <filesystem>
#include <fstream>
#include <string>

#include <signpost/signpost.hpp>
#include <signpost/tools/explain.hpp>

#include "files.hpp"
#include "mini_pack.hpp"

using namespace signpost;
namespace fs = std::filesystem;

namespace {

// The mini pack with one more rule (money in a near group) and a typo lexicon, as a folder.
fs::path pack_dir() {
  static const fs::path dir = [] {
    detail::PackFiles p = test::mini_pack_files();
    p.files["lexicons.yaml"] += "  - id: smuggler\n    typos: 1\n    terms:\n      en: [smuggler]\n";
    p.files["rules.yaml"] +=
        "  - id: boat-price\n    category: crossing\n    weight: 0.4\n    near: [{of: [boat, \"@money\"], within: 3}]\n"
        "  - id: smuggler-uk\n    category: crossing\n    all: [smuggler, uk]\n";
    static const test::TempDir tmp;  // removed when the test binary exits
    for (const auto& [rel, bytes] : p.files) tmp.write(rel, bytes);
    return tmp.path();
  }();
  return dir;
}

const Engine& explain_engine() {
  static const Engine e = Engine::load(pack_dir());
  return e;
}

tools::Explanation explain(std::string_view text, std::string_view locale = "en") {
  return tools::explain(explain_engine(), Query{text, locale, Mode::query, {}});
}

}  // namespace

TEST_CASE("explain: concepts with their spans and where they came from") {
  const std::string text = "smuglr boat 1400\u20ac to uk";
  const auto x = explain(text);
  std::string seen;
  for (const auto& k : x.concepts) seen += k.concept_id + "/" + k.via + "=" + k.text + (k.detail.empty() ? "" : "(" + k.detail + ")") + " ";
  CHECK(seen == "smuggler/typo=smuglr boat/term=boat @money/entity=1400\u20ac(1400 eur) uk/term=uk ");
  CHECK(x.normalized == "smugir boat 1400 \u20ac to uk");
}

TEST_CASE("explain: rules fired, rules that nearly fired and what they lacked") {
  const auto x = explain("boat to uk news");
  REQUIRE(x.fired.size() == 1);
  CHECK(x.fired[0].id == "boat-uk");
  CHECK(x.fired[0].begin == 0);
  CHECK(x.fired[0].end == 10);
  std::string misses;
  for (const auto& r : x.near_misses) {
    misses += r.id + ":";
    for (const auto& why : r.lacked) misses += " " + why + ";";
    misses += "\n";
  }
  CHECK(misses ==
        "boat-price: near: [boat, @money] not all found within 3 words;\n"
        "smuggler-uk: all: [smuggler] not found;\n");
  // The news context applied to crossing and cancelled it.
  REQUIRE(x.contexts.size() == 1);
  CHECK(x.contexts[0].id == "news");
  REQUIRE(x.categories.size() == 1);
  CHECK(x.categories[0].id == "crossing");
  CHECK(x.categories[0].raw == doctest::Approx(0.7));
  CHECK(x.categories[0].score == 0.0);
  CHECK_FALSE(x.categories[0].reached);
  CHECK(x.decision.action == Action::none);
}

TEST_CASE("explain: out of scope rules say why, and none-blocked rules name what blocked them") {
  auto x = explain("fake passport", "fr");
  REQUIRE(x.near_misses.size() == 1);
  CHECK(x.near_misses[0].lacked == std::vector<std::string>{"not for language 'fr' (only en)"});
  x = explain("ferry boat to uk");
  REQUIRE(!x.near_misses.empty());
  CHECK(x.near_misses[0].id == "boat-uk");
  CHECK(x.near_misses[0].lacked == std::vector<std::string>{"none: [ferry] found"});
}

TEST_CASE("explain: JSON and text carry the same decision as evaluate") {
  const auto x = explain("boat to uk");
  const std::string json = tools::explanation_json(x);
  CHECK(json.find("\"fired\":[{\"id\":\"boat-uk\",\"category\":\"crossing\",\"weight\":0.7,\"begin\":0,\"end\":10}]") !=
        std::string::npos);
  CHECK(json.find("\"decision\":{\"action\":\"redirect\"") != std::string::npos);
  const std::string text = tools::explanation_text(x);
  CHECK(text.find("rules fired:\n  boat-uk -> crossing (weight 0.7) [0, 10)") != std::string::npos);
  CHECK(text.find("decision: redirect (crossing)") != std::string::npos);
}

TEST_CASE("explain: a text that matches nothing explains nothing, and never throws on bad text") {
  const auto x = explain("\xff\xfe hello");
  CHECK(x.concepts.empty());
  CHECK(x.fired.empty());
  CHECK(x.near_misses.empty());
  CHECK(x.decision.action == Action::none);
}

TEST_CASE("trace: every rule and context of the pack, in pack order, with the same decision as evaluate") {
  const Query q{"ferry boat to uk 1400 eur", "en", Mode::query, {}};
  const Trace t = explain_engine().trace(q);
  std::string rules;
  for (const auto& r : t.rules) rules += r.id + (r.fired ? "+" : r.holds ? "(held)" : "") + " ";
  CHECK(rules == "boat-uk money+ fake-passport boat-price+ smuggler-uk ");
  REQUIRE(t.rules[0].none_found == std::vector<std::string>{"ferry"});
  CHECK(t.rules[0].in_scope);
  REQUIRE(t.contexts.size() == 1);
  CHECK_FALSE(t.contexts[0].fired);
  CHECK(t.decision == explain_engine().evaluate(q));
}
