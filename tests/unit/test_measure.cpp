// measure: holdout buckets, the metrics recorder, snapshots (merge, JSON, Prometheus). SHA-256 and
// HMAC, which the buckets use, are tested in test_sha256.cpp.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <signpost/signpost.hpp>

#include "base/sha256.hpp"
#include "files.hpp"

namespace fs = std::filesystem;
using signpost::Action;
using signpost::Decision;
using signpost::MetricsRecorder;
using signpost::MetricsSnapshot;

namespace {

std::string hex(std::string_view s) { return signpost::detail::to_hex(signpost::detail::sha256(s)); }
std::string hmac_hex(std::string_view key, std::string_view msg) {
  return signpost::detail::to_hex(signpost::detail::hmac_sha256(key, msg));
}

MetricsRecorder::Layout test_layout() {
  MetricsRecorder::Layout l;
  l.pack = {"test-pack", "2.1.0", "sha256:" + std::string(64, 'a')};
  l.categories = {"crossing", "documents"};
  l.holdout_rates = {0.1, 0.0};
  l.cards = {"dangers", "report", "documents"};
  l.languages = {"en", "fr", "pt-BR"};
  return l;
}

Decision decision(std::string category, Action action, std::string locale, bool holdout = false,
                  std::vector<std::string> cards = {}) {
  Decision d;
  d.category = std::move(category);
  d.action = action;
  d.locale = locale;
  d.holdout = holdout;
  for (auto& id : cards) d.cards.push_back(signpost::Card{id, locale, "title", "body", "https://example.org/", "cta", false});
  return d;
}

std::uint64_t count_of(const MetricsSnapshot& s, std::string_view category, std::string_view action,
                       std::string_view locale, bool holdout) {
  for (const auto& d : s.decisions)
    if (d.category == category && d.action == action && d.locale == locale && d.holdout == holdout) return d.count;
  return 0;
}

const MetricsSnapshot::CardCount* card_of(const MetricsSnapshot& s, std::string_view card, std::string_view locale) {
  for (const auto& c : s.cards)
    if (c.card == card && c.locale == locale) return &c;
  return nullptr;
}

// A small pack written for these tests: two categories (one with a 50% holdout), two languages.
fs::path write_test_pack(const signpost::test::TempDir& tmp) {
  const fs::path dir = tmp.path() / "pack";
  fs::create_directories(dir / "cards");
  const auto write = [&](const fs::path& p, const char* text) { signpost::test::write_file(dir / p, text); };
  write("pack.yaml", "name: measure-test\nversion: 0.1.0\nlanguages: [en, fr]\ndefault_locale: en\n");
  write("lexicons.yaml",
        "lexicons:\n"
        "  - id: boat\n    terms:\n      en: [boat]\n      fr: [bateau]\n"
        "  - id: uk\n    terms:\n      en: [uk]\n      fr: [angleterre]\n"
        "  - id: fake\n    terms:\n      en: [fake]\n"
        "  - id: passport\n    terms:\n      en: [passport]\n");
  write("rules.yaml",
        "rules:\n"
        "  - id: boat-uk\n    category: crossing\n    all: [boat, uk]\n"
        "  - id: fake-passport\n    category: documents\n    all: [fake, passport]\n");
  write("categories.yaml",
        "categories:\n"
        "  - id: crossing\n    action: redirect\n    threshold: 0.5\n    cards: [dangers, report]\n    holdout: 0.5\n"
        "  - id: documents\n    action: interstitial\n    threshold: 0.5\n    cards: [report]\n");
  write("cards/en.yaml",
        "locale: en\ncards:\n"
        "  - id: dangers\n    title: Small boats are deadly\n    body: People die at sea.\n    cta: Learn more\n"
        "    url: https://www.example.org/en/dangers\n"
        "  - id: report\n    title: Report a smuggler\n    body: You can report anonymously.\n    cta: Report\n"
        "    url: https://www.example.org/en/report\n");
  write("cards/fr.yaml",
        "locale: fr\ncards:\n"
        "  - id: dangers\n    title: Les small boats tuent\n    body: Des personnes meurent en mer.\n    cta: En savoir plus\n"
        "    url: https://www.example.org/fr/dangers\n"
        "  - id: report\n    title: Signaler un passeur\n    body: Vous pouvez le faire anonymement.\n    cta: Signaler\n"
        "    url: https://www.example.org/fr/report\n");
  return dir;
}

MetricsSnapshot random_snapshot(std::mt19937_64& rng) {
  const std::vector<std::string> packs = {"p1", "p2"}, cats = {"a", "b", "none"}, actions = {"none", "redirect"},
                                  locales = {"en", "fr", "other"}, cards = {"c1", "c2"};
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  MetricsSnapshot s;
  if (rng() % 5 != 0) {
    s.period_start = std::int64_t(1'700'000'000 + rng() % 100'000);
    s.period_end = s.period_start + std::int64_t(rng() % 100'000);
  }
  s.packs.push_back({pick(packs), rng() % 2 ? "1.0.0" : "1.1.0", ""});
  s.holdout_rates.push_back({s.packs[0].name, "a", rng() % 2 ? 0.1 : 0.2});
  const int rows = int(rng() % 6);
  for (int i = 0; i < rows; ++i) {
    const std::uint64_t n = 1 + rng() % 1000;
    s.decisions.push_back({pick(packs), pick(cats), pick(actions), pick(locales), rng() % 2 == 0, n});
    s.evaluations += n;
    s.cards.push_back({pick(packs), pick(cards), pick(locales), rng() % 100, rng() % 10});
  }
  // merge() with an empty snapshot puts a snapshot in canonical form.
  MetricsSnapshot canonical;
  canonical.merge(s);
  return canonical;
}

const char* kValidSnapshot = R"({
  "format": "signpost-metrics",
  "format_version": 1,
  "packs": [{"name": "p", "version": "1.0.0", "hash": ""}],
  "period": {"start": 100, "end": 200},
  "evaluations": 7,
  "holdout_rates": [{"pack": "p", "category": "c", "rate": 0.25}],
  "decisions": [{"pack": "p", "category": "c", "action": "redirect", "locale": "en", "holdout": false, "count": 7}],
  "cards": [{"pack": "p", "card": "k", "locale": "en", "impressions": 7, "clicks": 1}]
})";

std::string replaced(std::string s, std::string_view from, std::string_view to) {
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  s.replace(at, from.size(), to);
  return s;
}

std::string parse_error(const std::string& json) {
  try {
    (void)MetricsSnapshot::from_json(json);
  } catch (const signpost::Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

// ---- holdout buckets ----------------------------------------------------------------------------

TEST_CASE("holdout bucket: the worked example of docs/measurement.md") {
  // Derived with Python's standard library:
  //   d = hmac.new(b"s1", b"user-42", hashlib.sha256).digest()
  //   d.hex()  == "38eaef2570466568..."   int.from_bytes(d[:8], "big") == 4101353354750748008
  //   (int.from_bytes(d[:8], "big") >> 11) / 2**53 == 0.22233481086757356
  CHECK(hmac_hex("s1", "user-42") == "38eaef257046656840543690b9e23025d8f3c20f007e360b59f80ec022319875");
  CHECK(signpost::holdout_bucket("s1", "user-42") == 0.22233481086757356);
  CHECK(signpost::holdout_bucket("s1", "user-42") < 0.25);   // held out at a 25% rate
  CHECK(signpost::holdout_bucket("s1", "user-42") >= 0.2);   // not at 20%
}

TEST_CASE("holdout bucket: stable, in [0, 1), roughly uniform, and depends on the salt") {
  int under_a_tenth = 0;
  for (int i = 0; i < 10'000; ++i) {
    const std::string subject = "subject-" + std::to_string(i);
    const double b = signpost::holdout_bucket("salt", subject);
    CHECK(b >= 0.0);
    CHECK(b < 1.0);
    CHECK(b == signpost::holdout_bucket("salt", subject));
    under_a_tenth += b < 0.1;
  }
  CHECK(under_a_tenth > 850);
  CHECK(under_a_tenth < 1150);
  CHECK(signpost::holdout_bucket("a", "x") != signpost::holdout_bucket("b", "x"));
  const double empty = signpost::holdout_bucket("", "");  // defined for any input
  CHECK(empty >= 0.0);
  CHECK(empty < 1.0);
}

// ---- the recorder -------------------------------------------------------------------------------

TEST_CASE("recorder: decisions count under category, action, reduced locale and holdout") {
  MetricsRecorder m(test_layout());
  m.record(decision("crossing", Action::redirect, "en", false, {"dangers", "report"}));
  m.record(decision("crossing", Action::redirect, "fr-BE", false, {"dangers"}));  // language subtag
  m.record(decision("crossing", Action::redirect, "FR", false));                  // case-insensitive
  m.record(decision("crossing", Action::none, "en", true));                       // held out
  m.record(decision("", Action::none, "de"));                                     // no category
  m.record(decision("", Action::none, ""));                                       // no locale
  m.record(decision("documents", Action::interstitial, "pt_br", false, {"documents"}));
  m.record(decision("documents", Action::interstitial, "pt-PT", false));          // not a pack language

  const MetricsSnapshot s = m.snapshot();
  CHECK(s.evaluations == 8);
  CHECK(s.pack_name == "test-pack");
  CHECK(s.pack_version == "2.1.0");
  CHECK(count_of(s, "crossing", "redirect", "en", false) == 1);
  CHECK(count_of(s, "crossing", "redirect", "fr", false) == 2);
  CHECK(count_of(s, "crossing", "none", "en", true) == 1);
  CHECK(count_of(s, "none", "none", "other", false) == 2);
  CHECK(count_of(s, "documents", "interstitial", "pt-BR", false) == 1);
  CHECK(count_of(s, "documents", "interstitial", "other", false) == 1);
  CHECK(s.decisions.size() == 6);  // only non-zero rows
  for (const auto& d : s.decisions) CHECK(d.pack == "test-pack");

  REQUIRE(card_of(s, "dangers", "en"));
  CHECK(card_of(s, "dangers", "en")->impressions == 1);
  REQUIRE(card_of(s, "dangers", "fr"));
  CHECK(card_of(s, "dangers", "fr")->impressions == 1);
  CHECK(card_of(s, "report", "en")->impressions == 1);
  CHECK(card_of(s, "documents", "pt-BR")->impressions == 1);
  CHECK(s.cards.size() == 4);
  CHECK(s.holdout_rates == std::vector<MetricsSnapshot::HoldoutRate>{{"test-pack", "crossing", 0.1},
                                                                      {"test-pack", "documents", 0.0}});
}

TEST_CASE("recorder: a held-out or none decision shows no cards; unknown ids count only as evaluations") {
  MetricsRecorder m(test_layout());
  m.record(decision("crossing", Action::none, "en", true, {"dangers"}));
  m.record(decision("crossing", Action::none, "en", false, {"dangers"}));
  m.record(decision("not-in-pack", Action::redirect, "en", false, {"dangers"}));
  m.record(decision("crossing", Action::redirect, "en", false, {"not-a-card"}));
  m.record_click("not-a-card", "en");
  m.record_impression("also-not", "en");
  const MetricsSnapshot s = m.snapshot();
  CHECK(s.evaluations == 4);
  CHECK(s.cards.empty());
  CHECK(count_of(s, "crossing", "redirect", "en", false) == 1);
  CHECK(s.decisions.size() == 3);
}

TEST_CASE("recorder: clicks and impressions by card and locale") {
  MetricsRecorder m(test_layout());
  m.record_impression("report", "fr-CA");
  m.record_click("report", "fr");
  m.record_click("report", "zz");
  const MetricsSnapshot s = m.snapshot();
  REQUIRE(card_of(s, "report", "fr"));
  CHECK(card_of(s, "report", "fr")->impressions == 1);
  CHECK(card_of(s, "report", "fr")->clicks == 1);
  REQUIRE(card_of(s, "report", "other"));
  CHECK(card_of(s, "report", "other")->impressions == 0);
  CHECK(card_of(s, "report", "other")->clicks == 1);
  CHECK(s.evaluations == 0);
}

TEST_CASE("recorder: the period runs from construction to the snapshot") {
  const auto before = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  MetricsRecorder m(test_layout());
  const MetricsSnapshot s = m.snapshot();
  CHECK(s.period_start >= before);
  CHECK(s.period_end >= s.period_start);
  CHECK(s.period_end <= before + 60);
}

TEST_CASE("recorder: many threads recording at once sum exactly") {
  MetricsRecorder m(test_layout());
  constexpr int kThreads = 8, kEach = 20'000;
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      const Decision hit = decision("crossing", Action::redirect, t % 2 ? "en" : "fr", false, {"dangers", "report"});
      const Decision miss = decision("", Action::none, "en");
      for (int i = 0; i < kEach; ++i) {
        m.record(i % 3 == 0 ? miss : hit);
        if (i % 10 == 0) m.record_click("dangers", "en");
      }
    });
  // Snapshots taken while recording see partial but never torn counts.
  go = true;
  std::uint64_t last = 0;
  for (int i = 0; i < 20; ++i) {
    const auto s = m.snapshot();
    CHECK(s.evaluations >= last);
    last = s.evaluations;
  }
  for (auto& t : threads) t.join();

  const MetricsSnapshot s = m.snapshot();
  const std::uint64_t misses_per_thread = (kEach + 2) / 3, hits_per_thread = kEach - misses_per_thread;
  CHECK(s.evaluations == std::uint64_t(kThreads) * kEach);
  CHECK(count_of(s, "none", "none", "en", false) == kThreads * misses_per_thread);
  CHECK(count_of(s, "crossing", "redirect", "en", false) == kThreads / 2 * hits_per_thread);
  CHECK(count_of(s, "crossing", "redirect", "fr", false) == kThreads / 2 * hits_per_thread);
  CHECK(card_of(s, "report", "fr")->impressions == kThreads / 2 * hits_per_thread);
  CHECK(card_of(s, "dangers", "en")->clicks == std::uint64_t(kThreads) * (kEach / 10));
}

TEST_CASE("recorder: drain resets, and drains taken while recording lose and double nothing") {
  MetricsRecorder m(test_layout());
  constexpr int kThreads = 4, kEach = 25'000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      const Decision hit = decision("documents", Action::interstitial, "en", false, {"documents"});
      for (int i = 0; i < kEach; ++i) m.record(hit);
    });
  MetricsSnapshot sum;
  for (int i = 0; i < 50; ++i) sum.merge(m.drain());
  for (auto& t : threads) t.join();
  sum.merge(m.drain());
  CHECK(sum.evaluations == std::uint64_t(kThreads) * kEach);
  CHECK(count_of(sum, "documents", "interstitial", "en", false) == std::uint64_t(kThreads) * kEach);
  CHECK(card_of(sum, "documents", "en")->impressions == std::uint64_t(kThreads) * kEach);
  const MetricsSnapshot after = m.snapshot();
  CHECK(after.evaluations == 0);
  CHECK(after.decisions.empty());
}

TEST_CASE("recorder: a layout that would put non-ids into snapshots is refused") {
  auto l = test_layout();
  l.categories.push_back("none");
  CHECK_THROWS_AS(MetricsRecorder{l}, signpost::Error);
  l = test_layout();
  l.languages.push_back("other");
  CHECK_THROWS_AS(MetricsRecorder{l}, signpost::Error);
  l = test_layout();
  l.cards.push_back("Not An Id");
  CHECK_THROWS_AS(MetricsRecorder{l}, signpost::Error);
  l = test_layout();
  l.categories.push_back("crossing");
  CHECK_THROWS_AS(MetricsRecorder{l}, signpost::Error);
  l = test_layout();
  l.holdout_rates = {0.1};
  CHECK_THROWS_AS(MetricsRecorder{l}, signpost::Error);
}

TEST_CASE("recorder: what a user typed, their locale junk and subject never reach the snapshot") {
  const std::string canary = "qvxkcanarytoken";
  MetricsRecorder m(test_layout());
  Decision d = decision("crossing", Action::redirect, "en-" + canary, false, {"dangers"});
  d.matches.push_back({"rule", "crossing", 0, 5});
  d.cards[0].title = canary;
  m.record(d);
  m.record(decision("", Action::none, canary));
  m.record_click("dangers", canary);
  const MetricsSnapshot s = m.snapshot();
  for (const std::string& out : {s.to_json(), s.to_prometheus()}) {
    CHECK(out.find(canary) == std::string::npos);
    CHECK(out.find(hex(canary)) == std::string::npos);
  }
  CHECK(count_of(s, "crossing", "redirect", "en", false) == 1);  // "en-<junk>" reduces to en
}

TEST_CASE("recorder: laid out from an engine; a host holdout shows up as held-out rows without cards") {
  const signpost::test::TempDir tmp;
  const fs::path pack = write_test_pack(tmp);
  signpost::EngineOptions options;
  options.holdout_rate = 0.5;
  options.holdout_salt = "measure-salt";
  const signpost::Engine engine = signpost::Engine::load(pack, options);
  MetricsRecorder m(engine);
  CHECK(m.layout().pack.name == "measure-test");
  CHECK(m.layout().languages == engine.languages());
  CHECK(m.layout().categories == engine.categories());
  CHECK(m.layout().cards == engine.card_ids());
  for (const double r : m.layout().holdout_rates) CHECK(r == 0.5);

  int held = 0;
  constexpr int kSubjects = 200;
  for (int i = 0; i < kSubjects; ++i) {
    const std::string subject = "user-" + std::to_string(i);
    const Decision d = engine.evaluate({"boat to uk", "en", signpost::Mode::query, subject});
    CHECK(d.category == "crossing");
    CHECK(d.holdout == (signpost::holdout_bucket("measure-salt", subject) < 0.5));
    held += d.holdout;
    m.record(d);
  }
  const MetricsSnapshot s = m.snapshot();
  CHECK(s.pack_hash == engine.pack().hash);
  CHECK(count_of(s, "crossing", "none", "en", true) == std::uint64_t(held));
  CHECK(count_of(s, "crossing", "redirect", "en", false) == std::uint64_t(kSubjects - held));
  REQUIRE(card_of(s, "dangers", "en"));
  CHECK(card_of(s, "dangers", "en")->impressions == std::uint64_t(kSubjects - held));
}

TEST_CASE("recorder: a pack's own holdout rate is recorded in the snapshot") {
  const signpost::test::TempDir tmp;
  const fs::path pack = write_test_pack(tmp);
  const signpost::Engine engine = signpost::Engine::load(pack);
  MetricsRecorder m(engine);
  const MetricsSnapshot s = m.snapshot();
  CHECK(s.holdout_rates == std::vector<MetricsSnapshot::HoldoutRate>{{"measure-test", "crossing", 0.5},
                                                                      {"measure-test", "documents", 0.0}});
}

// ---- merge ----------------------------------------------------------------------------------------

TEST_CASE("merge sums rows with equal keys and widens the period") {
  MetricsSnapshot a, b;
  a.packs = {{"p", "1.0.0", ""}};
  a.period_start = 100;
  a.period_end = 200;
  a.evaluations = 5;
  a.decisions = {{"p", "c", "redirect", "en", false, 3}, {"p", "none", "none", "en", false, 2}};
  a.cards = {{"p", "k", "en", 3, 1}};
  b.packs = {{"p", "1.1.0", ""}};
  b.period_start = 150;
  b.period_end = 300;
  b.evaluations = 4;
  b.decisions = {{"p", "c", "redirect", "en", false, 4}};
  b.cards = {{"p", "k", "en", 4, 2}, {"p", "k", "fr", 1, 0}};
  a.merge(b);
  CHECK(a.period_start == 100);
  CHECK(a.period_end == 300);
  CHECK(a.evaluations == 9);
  CHECK(count_of(a, "c", "redirect", "en", false) == 7);
  CHECK(count_of(a, "none", "none", "en", false) == 2);
  CHECK(card_of(a, "k", "en")->impressions == 7);
  CHECK(card_of(a, "k", "en")->clicks == 3);
  // Across versions: one pack name, both versions listed, no single version.
  CHECK(a.pack_name == "p");
  CHECK(a.pack_version.empty());
  CHECK(a.packs.size() == 2);
}

TEST_CASE("merge is commutative and associative, and the empty snapshot is its identity") {
  std::mt19937_64 rng(12345);
  for (int round = 0; round < 200; ++round) {
    const MetricsSnapshot a = random_snapshot(rng), b = random_snapshot(rng), c = random_snapshot(rng);
    MetricsSnapshot ab = a;
    ab.merge(b);
    MetricsSnapshot ba = b;
    ba.merge(a);
    CHECK(ab == ba);
    MetricsSnapshot ab_c = ab;
    ab_c.merge(c);
    MetricsSnapshot bc = b;
    bc.merge(c);
    MetricsSnapshot a_bc = a;
    a_bc.merge(bc);
    CHECK(ab_c == a_bc);
    MetricsSnapshot a_empty = a;
    a_empty.merge(MetricsSnapshot{});
    CHECK(a_empty == a);
    MetricsSnapshot empty_a;
    empty_a.merge(a);
    CHECK(empty_a == a);
  }
}

TEST_CASE("merge refuses to overflow and leaves the snapshot as it was") {
  MetricsSnapshot a, b;
  a.decisions = {{"p", "c", "redirect", "en", false, UINT64_MAX - 1}};
  b.decisions = {{"p", "c", "redirect", "en", false, 2}};
  const MetricsSnapshot before = a;
  CHECK_THROWS_AS(a.merge(b), signpost::Error);
  CHECK(a == before);
}

// ---- JSON -----------------------------------------------------------------------------------------

TEST_CASE("JSON: a recorder's snapshot reads back equal") {
  MetricsRecorder m(test_layout());
  m.record(decision("crossing", Action::redirect, "en", false, {"dangers", "report"}));
  m.record(decision("crossing", Action::none, "fr", true));
  m.record(decision("", Action::none, "xx"));
  m.record_click("report", "en");
  const MetricsSnapshot s = m.snapshot();
  const std::string json = s.to_json();
  CHECK(MetricsSnapshot::from_json(json) == s);
  CHECK(MetricsSnapshot::from_json(json).to_json() == json);
  CHECK(json.find("\"format\": \"signpost-metrics\"") != std::string::npos);
}

TEST_CASE("JSON: random merged snapshots round-trip") {
  std::mt19937_64 rng(99);
  for (int i = 0; i < 100; ++i) {
    MetricsSnapshot s = random_snapshot(rng);
    s.merge(random_snapshot(rng));
    CHECK(MetricsSnapshot::from_json(s.to_json()) == s);
  }
}

TEST_CASE("JSON: the documented example parses") {
  const MetricsSnapshot s = MetricsSnapshot::from_json(kValidSnapshot);
  CHECK(s.pack_name == "p");
  CHECK(s.period_start == 100);
  CHECK(s.evaluations == 7);
  CHECK(s.holdout_rates.at(0).rate == 0.25);
  CHECK(s.decisions.at(0).count == 7);
  CHECK(s.cards.at(0).clicks == 1);
}

TEST_CASE("JSON: strict about fields, types and values, with messages naming the field") {
  const std::string ok = kValidSnapshot;
  CHECK(parse_error(replaced(ok, "\"evaluations\": 7", "\"evaluations\": 7, \"count\": 1")) ==
        "snapshot: unknown field 'count'");
  CHECK(parse_error(replaced(ok, "\"evaluations\": 7", "\"evaluations\": 7, \"extra\": 1")) ==
        "snapshot: unknown field (a name that is not part of the format)");
  CHECK(parse_error(replaced(ok, "\"evaluations\": 7,", "")) == "snapshot: missing required field 'evaluations'");
  CHECK(parse_error(replaced(ok, "\"count\": 7", "\"count\": \"7\"")) ==
        "decisions[0].count: expected a non-negative integer, got a string");
  CHECK(parse_error(replaced(ok, "\"count\": 7", "\"count\": -7")) == "decisions[0].count: expected a non-negative integer");
  CHECK(parse_error(replaced(ok, "\"count\": 7", "\"count\": 7.0")) == "decisions[0].count: expected a non-negative integer");
  CHECK(parse_error(replaced(ok, "\"count\": 7", "\"count\": 1e3")) == "decisions[0].count: expected a non-negative integer");
  CHECK(parse_error(replaced(ok, "\"count\": 7", "\"count\": 18446744073709551616")) ==
        "decisions[0].count: integer out of range");
  CHECK(parse_error(replaced(ok, "\"holdout\": false", "\"holdout\": 0")) ==
        "decisions[0].holdout: expected a boolean, got a number");
  CHECK(parse_error(replaced(ok, "\"action\": \"redirect\"", "\"action\": \"block\"")) ==
        "decisions[0].action: expected one of none, annotate, interstitial, redirect");
  CHECK(parse_error(replaced(ok, "\"clicks\": 1}", "\"clicks\": 1, \"count\": 1}")) ==
        "cards[0]: unknown field 'count'");
  CHECK(parse_error(replaced(ok, "\"rate\": 0.25", "\"rate\": 1.5")) == "holdout_rates[0].rate: expected a rate between 0 and 1");
  CHECK(parse_error(replaced(ok, "\"end\": 200", "\"end\": 50")) == "period: end is before start");
  CHECK(parse_error(replaced(ok, "\"format_version\": 1", "\"format_version\": 2")) ==
        "format_version: unsupported version (this build reads version 1)");
  CHECK(parse_error(replaced(ok, "\"signpost-metrics\"", "\"other\"")) == "format: expected \"signpost-metrics\"");
  CHECK(parse_error(replaced(ok, "\"packs\": [", "\"packs\": {")).find("invalid JSON") == 0);
  CHECK(parse_error(ok + "x") == "invalid JSON at byte " + std::to_string(ok.size()) + ": unexpected data after the snapshot object");
  CHECK(parse_error("") == "invalid JSON at byte 0: unexpected end of input");
  CHECK(parse_error("[]") == "snapshot: expected an object, got an array");
  CHECK(parse_error(replaced(ok, "\"evaluations\": 7", "\"evaluations\": 7, \"evaluations\": 8")) ==
        "snapshot: duplicate key 'evaluations'");
  const std::string row = R"({"pack": "p", "category": "c", "action": "redirect", "locale": "en", "holdout": false, "count": 7})";
  CHECK(parse_error(replaced(ok, row, row + ", " + row)) == "decisions[1]: repeats the key of decisions[0]");
  CHECK(parse_error(replaced(ok, "\"hash\": \"\"", "\"hash\": \"md5:abc\"")) ==
        "packs[0].hash: expected \"sha256:\" and 64 hex digits, or \"\"");
  CHECK(parse_error(std::string(100, '[') + std::string(100, ']')) .find("nesting too deep") != std::string::npos);
}

TEST_CASE("JSON: strings that are not ids are refused, and never echoed in the message") {
  const std::string ok = kValidSnapshot;
  const std::string canary = "zqxjcanary";
  for (const std::string bad : {"\"category\": \"Zqxjcanary buy now\"", "\"category\": \"<script>zqxjcanary\"",
                                 "\"category\": \"zqxjcanary\\u0000\""}) {
    const std::string msg = parse_error(replaced(ok, "\"category\": \"c\", \"action\"", bad + ", \"action\""));
    CHECK(msg == "decisions[0].category: expected an id ([a-z0-9][a-z0-9_.-]{0,63})");
    CHECK(msg.find(canary) == std::string::npos);
  }
  CHECK(parse_error(replaced(ok, "\"locale\": \"en\", \"holdout\"", "\"locale\": \"en zqxjcanary\", \"holdout\"")) ==
        "decisions[0].locale: expected a locale tag or \"other\"");
  const std::string msg = parse_error(replaced(ok, "\"evaluations\": 7", "\"evaluations\": 7, \"zqxjcanary typed\": 1"));
  CHECK(msg == "snapshot: unknown field (a name that is not part of the format)");
  CHECK(parse_error(replaced(ok, "\"evaluations\": 7", "\"evaluations\": 7, \"zqxjcanary\": 1")) ==
        "snapshot: unknown field (a name that is not part of the format)");
  CHECK(parse_error(replaced(ok, "\"version\": \"1.0.0\"", "\"version\": \"\xff\"")).find("invalid UTF-8") != std::string::npos);
}

// ---- Prometheus -----------------------------------------------------------------------------------

TEST_CASE("Prometheus: counters with HELP and TYPE, labels only ids") {
  MetricsRecorder m(test_layout());
  m.record(decision("crossing", Action::redirect, "en", false, {"dangers"}));
  m.record_click("dangers", "en");
  const std::string text = m.snapshot().to_prometheus();
  CHECK(text.find("# TYPE signpost_decisions_total counter\n") != std::string::npos);
  CHECK(text.find("# HELP signpost_decisions_total ") != std::string::npos);
  CHECK(text.find("signpost_evaluations_total 1\n") != std::string::npos);
  CHECK(text.find("signpost_decisions_total{pack=\"test-pack\",category=\"crossing\",action=\"redirect\",locale=\"en\","
                  "holdout=\"false\"} 1\n") != std::string::npos);
  CHECK(text.find("signpost_card_impressions_total{pack=\"test-pack\",card=\"dangers\",locale=\"en\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("signpost_card_clicks_total{pack=\"test-pack\",card=\"dangers\",locale=\"en\"} 1\n") != std::string::npos);
  CHECK(text.find("signpost_pack_info{pack=\"test-pack\",version=\"2.1.0\",hash=\"sha256:") != std::string::npos);
  CHECK(text.back() == '\n');
}

TEST_CASE("Prometheus: label values are escaped, the prefix must be a metric name") {
  MetricsSnapshot s;
  s.decisions = {{"p", "a\"b\\c\nd", "redirect", "en", false, 1}};
  const std::string text = s.to_prometheus("custom");
  CHECK(text.find("category=\"a\\\"b\\\\c\\nd\"") != std::string::npos);
  CHECK(text.find("custom_decisions_total{") != std::string::npos);
  CHECK_THROWS_AS((void)s.to_prometheus("bad prefix"), signpost::Error);
  CHECK_THROWS_AS((void)s.to_prometheus("9lives"), signpost::Error);
}
