// decide/: rules, contexts, scores and the winner; the decision assembled; redirect placement.
// On a pack built in memory (mini_pack.hpp).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "decide/redirect.hpp"
#include "engine_impl.hpp"
#include "mini_pack.hpp"

using namespace signpost;
using detail::EngineImpl;

namespace {

const EngineImpl& mini_engine() {
  static const EngineImpl e(test::mini_pack_files(), EngineOptions{});
  return e;
}

Decision judge(std::string_view text, std::string_view locale = "en", Mode mode = Mode::query) {
  return mini_engine().evaluate(Query{text, locale, mode, {}});
}

std::vector<std::string> fired(std::string_view text, std::string_view locale = "en") {
  const auto& v = mini_engine().analyze(Query{text, locale, Mode::query, {}}).verdict;
  std::vector<std::string> out;
  for (const auto& f : v.fired) out.push_back(mini_engine().model.rules[f.rule].id);
  return out;
}

Card card(const std::string& id) {
  Card c;
  c.id = id;
  c.locale = "en";
  c.url = "https://www.gov.uk/" + id;
  return c;
}

Decision decided(Action a, std::string category, std::vector<std::string> cards) {
  Decision d;
  d.action = a;
  d.category = std::move(category);
  for (const auto& id : cards) d.cards.push_back(card(id));
  return d;
}

Result result(const std::string& id) { return Result{id, "title " + id, "snippet", "https://example.com/" + id}; }

}  // namespace

TEST_CASE("decide: near, none and locale scopes decide which rules fire") {
  CHECK(fired("boat to uk") == std::vector<std::string>{"boat-uk"});
  CHECK(fired("boat one two three four uk").empty());  // farther apart than `within: 2`
  CHECK(fired("boat one uk") == std::vector<std::string>{"boat-uk"});
  CHECK(fired("ferry boat to uk").empty());        // `none: [ferry]`
  CHECK(fired("fake passport") == std::vector<std::string>{"fake-passport"});
  CHECK(fired("fake passport", "fr").empty());     // `locales: [en]`
  CHECK(fired("fake passport", "EN-gb") == std::vector<std::string>{"fake-passport"});
  CHECK(fired("fake passport", "") == std::vector<std::string>{"fake-passport"});  // no locale: any
}

TEST_CASE("decide: scores are the noisy-or of fired rules, contexts multiply them") {
  Decision d = judge("boat to uk");
  CHECK(d.action == Action::redirect);
  CHECK(d.category == "crossing");
  CHECK(d.score == doctest::Approx(0.7));
  d = judge("boat to uk for 900 eur");
  CHECK(d.score == doctest::Approx(1.0 - 0.3 * 0.7));
  REQUIRE(d.matches.size() == 2);
  CHECK(d.matches[0].rule == "boat-uk");  // evidence in text order
  CHECK(d.matches[1].rule == "money");
  d = judge("900 eur");
  CHECK(d.action == Action::none);  // 0.3 is under the threshold
  CHECK(d.score == doctest::Approx(0.3));
  d = judge("boat to uk news");
  CHECK(d.action == Action::none);  // the news context zeroes crossing
  CHECK(d.matches.empty());
}

TEST_CASE("decide: contexts are looked at only when a rule fired, unless every context is asked for") {
  const EngineImpl& e = mini_engine();
  const auto held = [&](std::string_view text, bool every) {
    return e.analyze(Query{text, "en", Mode::query, {}}, every).verdict.held_contexts.size();
  };
  CHECK(held("news of the day", false) == 0);  // the news context holds, but no rule fired
  CHECK(held("news of the day", true) == 1);   // lint and trace see it
  CHECK(held("boat to uk news", false) == 1);  // a rule fired: it is looked at, and cancels it
  CHECK(judge("boat to uk news").action == Action::none);
  // The decision is the same either way.
  for (const char* t : {"news of the day", "boat to uk news", "boat to uk", "900 eur news"}) {
    CAPTURE(t);
    const std::uint32_t lean = e.analyze(Query{t, "en", Mode::query, {}}, false).verdict.winner;
    const std::uint32_t full = e.analyze(Query{t, "en", Mode::query, {}}, true).verdict.winner;
    CHECK(lean == full);
  }
}

TEST_CASE("decide: the stronger action wins; offsets are bytes of the text as given") {
  const Decision d = judge("FAKE passport, boat to UK");
  CHECK(d.action == Action::redirect);  // redirect beats interstitial
  CHECK(d.category == "crossing");
  REQUIRE(d.matches.size() == 2);
  CHECK(d.matches[0].rule == "fake-passport");
  CHECK(d.matches[0].begin == 0);
  CHECK(d.matches[0].end == 13);
  CHECK(d.cards.size() == 2);
}

TEST_CASE("decide: cards follow the query's locale, else the earliest term's language") {
  CHECK(judge("bateau angleterre", "fr-BE").cards.at(0).locale == "fr");
  CHECK(judge("bateau angleterre", "").cards.at(0).locale == "fr");
  const Decision d = judge("قایق uk", "");
  CHECK(d.cards.at(0).locale == "fa");
  CHECK(d.cards.at(0).rtl);
}

TEST_CASE("redirect placement: query cards first, removed results replaced, flagged ones demoted") {
  const std::vector<Result> results{result("a"), result("b"), result("c"), result("d")};
  const std::vector<Decision> decisions{decided(Action::none, "", {}),
                                        decided(Action::redirect, "crossing", {"dangers", "report"}),
                                        decided(Action::annotate, "help", {"help"}), decided(Action::none, "", {})};
  const auto out = detail::place_results(decided(Action::redirect, "crossing", {"dangers"}), results, decisions);
  CHECK(out.removed == 1);
  CHECK(out.flagged == 1);
  REQUIRE(out.entries.size() == 5);
  CHECK(out.entries[0].kind == RedirectEntry::Kind::card);
  CHECK(out.entries[0].card.id == "dangers");
  CHECK(out.entries[1].result.id == "a");
  CHECK(out.entries[2].kind == RedirectEntry::Kind::card);  // b's place: its first card not shown yet
  CHECK(out.entries[2].card.id == "report");
  CHECK(out.entries[3].result.id == "d");
  CHECK(out.entries[4].result.id == "c");  // flagged, after the clean results
  CHECK(out.entries[4].flagged);
}

TEST_CASE("redirect placement: interstitial results go only when the query redirects") {
  const std::vector<Result> results{result("a")};
  const std::vector<Decision> decisions{decided(Action::interstitial, "documents", {"report"})};
  auto out = detail::place_results(decided(Action::none, "", {}), results, decisions);
  CHECK(out.removed == 0);
  CHECK(out.flagged == 1);
  REQUIRE(out.entries.size() == 1);
  CHECK(out.entries[0].flagged);
  out = detail::place_results(decided(Action::redirect, "crossing", {"dangers"}), results, decisions);
  CHECK(out.removed == 1);
  REQUIRE(out.entries.size() == 2);
  CHECK(out.entries[1].card.id == "report");
  // A held-out query (action none) shows no cards of its own.
  Decision held = decided(Action::none, "crossing", {});
  held.holdout = true;
  out = detail::place_results(held, {}, {});
  CHECK(out.entries.empty());
}

TEST_CASE("pack in memory: same hash as the same files, problems named after the origin") {
  auto files = test::mini_pack_files();
  const std::string hash = mini_engine().info.hash;
  CHECK(EngineImpl(files, {}).info.hash == hash);
  files.files[".hidden/x.yaml"] = "not: [a pack file";
  files.files["notes.txt"] = "ignored";
  CHECK(EngineImpl(files, {}).info.hash == hash);  // hidden and non-YAML files are not read
  files.files["rules.yaml"] += "  - id: broken\n    category: nowhere\n    any: [boat]\n";
  try {
    EngineImpl bad(files, {});
    FAIL("loaded");
  } catch (const ConfigError& e) {
    CHECK(e.file == "mini/rules.yaml");
    CHECK(e.line == 17);
  }
}
