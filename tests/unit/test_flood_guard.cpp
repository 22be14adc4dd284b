// FloodGuard: a rule whose share of decisions jumps far above its baseline is quarantined, and the
// decisions it fires in are capped. Traffic is replayed on a simulated clock: no test sleeps.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <signpost/engine.hpp>
#include <signpost/flood_guard.hpp>

#include "default_pack.hpp"

using signpost::test::default_pack;

using signpost::Action;
using signpost::Decision;
using signpost::Engine;
using signpost::FloodGuard;
using signpost::FloodGuardOptions;
using Clock = FloodGuard::Clock;
using namespace std::chrono_literals;

namespace {

// Real decisions of the default pack: two risky phrases of different categories, firing disjoint
// sets of rules, and an ordinary search.
struct Traffic {
  Decision crossing = default_pack().evaluate({.text = "boat to uk price", .locale = "en"});
  // (A phrase the advert classifier leaves to the lexicons: its rule adds to crossing offers.)
  Decision documents = default_pack().evaluate({.text = "forged documents for sale", .locale = "en"});
  Decision ordinary = default_pack().evaluate({.text = "cheap flights to london", .locale = "en"});
};

std::set<std::string> rules_of(const Decision& d) {
  std::set<std::string> out;
  for (const auto& m : d.matches) out.insert(m.rule);
  return out;
}

std::string joined(const std::set<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += id + " ";
  return out;
}

std::set<std::string> quarantined_rules(const FloodGuard& g) {
  std::set<std::string> out;
  for (const auto& q : g.quarantined()) out.insert(q.rule);
  return out;
}

// Small windows for the tests: 10 buckets of baseline, 3 of warm-up.
FloodGuardOptions test_options() {
  FloodGuardOptions o;
  o.window = 60s;
  o.baseline_windows = 10;
  o.warmup_windows = 3;
  o.jump_factor = 10;
  o.min_hits = 20;
  o.min_baseline_rate = 0.001;
  return o;
}

const Clock::time_point t0 = Clock::time_point{} + 1000h;

// One window of traffic starting at `start`: `total` decisions, of which `crossing` and
// `documents` risky ones, spread evenly over the window and over the decisions.
void window(FloodGuard& g, const Traffic& t, Clock::time_point start, int total, int crossing, int documents) {
  const auto every = [total](int n, int i) { return static_cast<long long>(i + 1) * n / total != static_cast<long long>(i) * n / total; };
  for (int i = 0; i < total; ++i) {
    const auto at = start + std::chrono::milliseconds(60'000LL * i / total);
    // Documents shifted by 37 places, so that they do not fall on the crossing ones.
    Decision d = every(crossing, i) ? t.crossing : every(documents, (i + 37) % total) ? t.documents : t.ordinary;
    g.guard(d, at);
  }
}

// Steady traffic for `n` windows from `start`: `scale` x 1000 decisions a window, 1% crossing,
// 0.5% documents.
Clock::time_point steady(FloodGuard& g, const Traffic& t, Clock::time_point start, int n, int scale = 1) {
  for (int w = 0; w < n; ++w) window(g, t, start + w * 60s, 1000 * scale, 10 * scale, 5 * scale);
  return start + n * 60s;
}

}  // namespace

TEST_CASE("the test traffic fires disjoint rules of two categories") {
  const Traffic t;
  REQUIRE(t.crossing.action == Action::redirect);
  REQUIRE(t.documents.action >= Action::interstitial);
  REQUIRE(t.crossing.category != t.documents.category);
  REQUIRE(t.ordinary.matches.empty());
  std::vector<std::string> both;
  const auto a = rules_of(t.crossing), b = rules_of(t.documents);
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both));
  CHECK(both.empty());
}

TEST_CASE("steady traffic never trips, through busy and quiet hours and a 3x swing") {
  const Traffic t;
  FloodGuard g(default_pack(), test_options(), t0);
  auto at = steady(g, t, t0, 12, 4);  // 40 crossing hits a window: over min_hits
  at = steady(g, t, at, 6, 12);       // a busy hour: three times the traffic, the same shares
  at = steady(g, t, at, 6, 3);        // back to quiet
  window(g, t, at, 3000, 90, 15);     // crossing 3x its share: under the factor 10
  CHECK(g.quarantined().empty());
  Decision d = t.crossing;
  CHECK_FALSE(g.apply(d));
  CHECK(d == t.crossing);
}

TEST_CASE("a 20x jump over the minimum count trips exactly the flooded rules") {
  const Traffic t;
  int calls = 0;
  FloodGuardOptions o = test_options();
  o.on_quarantine = [&](const signpost::Quarantine& q) {
    ++calls;
    CHECK(q.category == t.crossing.category);
  };
  FloodGuard g(default_pack(), o, t0);
  const auto flood_at = steady(g, t, t0, 12);
  REQUIRE(g.quarantined().empty());
  window(g, t, flood_at, 1190, 200, 5);  // crossing: 10 -> 200 a window; documents unchanged
  CHECK(quarantined_rules(g) == rules_of(t.crossing));
  CHECK(calls == static_cast<int>(rules_of(t.crossing).size()));
  for (const auto& q : g.quarantined()) {
    CHECK(q.baseline == doctest::Approx(0.01).epsilon(0.2));
    CHECK(q.rate > 10 * q.baseline);
    CHECK(q.hits >= 20);
    CHECK(q.since >= flood_at);
  }
  for (const auto& r : rules_of(t.documents)) CHECK_FALSE(g.is_quarantined(r));
}

TEST_CASE("below the minimum count nothing trips, however steep the jump") {
  const Traffic t;
  FloodGuard g(default_pack(), test_options(), t0);
  auto at = t0;
  for (int w = 0; w < 12; ++w) window(g, t, at + w * 60s, 100, 0, 0);  // no risky search at all
  at += 12 * 60s;
  window(g, t, at, 100, 15, 0);  // 15% of the window, but 15 hits < min_hits 20
  CHECK(g.quarantined().empty());
}

TEST_CASE("a rule with no baseline is compared with the floor, after the warm-up") {
  const Traffic t;
  SUBCASE("nothing trips during the warm-up") {
    FloodGuard g(default_pack(), test_options(), t0);
    window(g, t, t0, 1000, 900, 0);
    window(g, t, t0 + 60s, 1000, 900, 0);
    CHECK(g.quarantined().empty());
  }
  SUBCASE("silent during the baseline: 3% of decisions is over 10 x the 0.1% floor") {
    FloodGuard g(default_pack(), test_options(), t0);
    auto at = steady(g, t, t0, 5);
    window(g, t, at, 1000, 10, 30);  // documents, 0.5% before: 6x, under the factor
    INFO("quarantined: ", joined(quarantined_rules(g)), "documents: ", joined(rules_of(t.documents)));
    CHECK(g.quarantined().empty());
    FloodGuard fresh(default_pack(), test_options(), t0);
    for (int w = 0; w < 5; ++w) window(fresh, t, t0 + w * 60s, 1000, 0, 0);
    window(fresh, t, t0 + 5 * 60s, 1000, 0, 30);  // documents never fired before: 3% > 1%
    CHECK(quarantined_rules(fresh) == rules_of(t.documents));
  }
}

TEST_CASE("a quarantined rule's decisions are capped at the safe action") {
  const Traffic t;
  SUBCASE("annotate (the default) keeps the cards") {
    FloodGuard g(default_pack(), test_options(), t0);
    window(g, t, steady(g, t, t0, 12), 1190, 200, 5);
    Decision d = t.crossing;
    CHECK(g.apply(d));
    CHECK(d.action == Action::annotate);
    CHECK(d.category == t.crossing.category);
    CHECK(d.cards == t.crossing.cards);
    CHECK(d.matches == t.crossing.matches);
    Decision other = t.documents;  // another category: untouched
    CHECK_FALSE(g.apply(other));
    CHECK(other == t.documents);
  }
  SUBCASE("none clears the cards, and a redirected list loses the query's cards") {
    FloodGuardOptions o = test_options();
    o.safe_action = Action::none;
    FloodGuard g(default_pack(), o, t0);
    const auto at = steady(g, t, t0, 12);
    window(g, t, at, 1190, 200, 5);
    Decision d = t.crossing;
    CHECK(g.apply(d));
    CHECK(d.action == Action::none);
    CHECK(d.cards.empty());
    const std::vector<signpost::Result> results = {{"1", "Ferry times", "Calais to Dover ferries", "https://example.org/1"}};
    auto rr = default_pack().redirect({.text = "boat to uk price", .locale = "en"}, results);
    REQUIRE(rr.entries.front().kind == signpost::RedirectEntry::Kind::card);
    CHECK(g.guard(rr, at + 90s));
    CHECK(rr.decision.action == Action::none);
    REQUIRE(rr.entries.size() == 1);
    CHECK(rr.entries.front().kind == signpost::RedirectEntry::Kind::result);
  }
}

TEST_CASE("release lifts a quarantine, and the same surge does not trip the rule again") {
  const Traffic t;
  FloodGuard g(default_pack(), test_options(), t0);
  const auto flood_at = steady(g, t, t0, 12);
  window(g, t, flood_at, 1190, 200, 5);
  const auto flooded = rules_of(t.crossing);
  REQUIRE(quarantined_rules(g) == flooded);
  const std::string first = *flooded.begin();
  CHECK(g.release(first, flood_at + 60s));
  CHECK_FALSE(g.is_quarantined(first));
  CHECK_FALSE(g.release(first, flood_at + 60s));
  CHECK_FALSE(g.release("no-such-rule", flood_at + 60s));
  const auto rest = g.release_all(flood_at + 60s);
  CHECK(rest.size() + 1 == flooded.size());
  CHECK(g.quarantined().empty());
  Decision d = t.crossing;
  CHECK_FALSE(g.apply(d));
  window(g, t, flood_at + 60s, 1190, 200, 5);  // the surge goes on
  CHECK(g.quarantined().empty());
}

TEST_CASE("decisions of another pack and bad options") {
  const Traffic t;
  FloodGuard g(default_pack(), test_options(), t0);
  Decision foreign = t.crossing;
  for (auto& m : foreign.matches) m.rule = "not-in-this-pack";
  for (int w = 0; w < 12; ++w) window(g, t, t0 + w * 60s, 100, 0, 0);
  for (int i = 0; i < 500; ++i) g.observe(foreign, t0 + 12 * 60s);
  CHECK(g.quarantined().empty());

  FloodGuardOptions o = test_options();
  o.window = 0s;
  CHECK_THROWS_AS(FloodGuard(default_pack(), o), std::invalid_argument);
  o = test_options();
  o.jump_factor = 0.5;
  CHECK_THROWS_AS(FloodGuard(default_pack(), o), std::invalid_argument);
  o = test_options();
  o.warmup_windows = 11;
  CHECK_THROWS_AS(FloodGuard(default_pack(), o), std::invalid_argument);
}

TEST_CASE("threads observing a flood at once quarantine each rule exactly once") {
  const Traffic t;
  std::atomic<int> calls{0};
  FloodGuardOptions o = test_options();
  o.on_quarantine = [&](const signpost::Quarantine&) { calls.fetch_add(1); };
  FloodGuard g(default_pack(), o, t0);
  const auto at = steady(g, t, t0, 12);
  std::atomic<int> capped{0};
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&, k] {
      for (int i = 0; i < 300; ++i) {
        Decision d = i % 3 == 0 ? t.ordinary : t.crossing;
        if (g.guard(d, at + std::chrono::milliseconds(i * 100 + k))) capped.fetch_add(1);
        if (k == 0 && i == 150) (void)g.quarantined();
      }
    });
  for (auto& th : threads) th.join();
  CHECK(calls.load() == static_cast<int>(rules_of(t.crossing).size()));
  CHECK(quarantined_rules(g) == rules_of(t.crossing));
  CHECK(capped.load() > 0);
  CHECK(g.release_all(at + 60s).size() == rules_of(t.crossing).size());
}
