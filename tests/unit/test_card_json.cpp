// CardCatalog::json (cards/catalog.hpp) and the decision JSON writers: Engine::append_json (the pack's cards and
// identity rendered once, at load) against signpost::append_json (everything escaped on every
// call) and against a copy of the writer as it was before either shortcut existed. All three must
// give the same bytes for every card of the default pack in every locale, for cards a host built
// or changed, and for any score and offsets.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "engine_impl.hpp"
#include "signpost/engine.hpp"
#include "signpost/json.hpp"
#include "default_pack.hpp"

using signpost::test::default_pack;

using signpost::Card;
using signpost::Decision;
using signpost::Engine;
using signpost::Match;
using signpost::PackInfo;

namespace {

// The decision JSON exactly as the library wrote it before cards were rendered at load: keys one
// by one, every string escaped, numbers through fmt.
void key(std::string& out, std::string_view k) {
  out += '"';
  out += k;
  out += "\":";
}

void reference_card(std::string& out, const Card& c) {
  out += '{';
  key(out, "id"); signpost::append_json_string(out, c.id); out += ',';
  key(out, "locale"); signpost::append_json_string(out, c.locale); out += ',';
  key(out, "title"); signpost::append_json_string(out, c.title); out += ',';
  key(out, "body"); signpost::append_json_string(out, c.body); out += ',';
  key(out, "url"); signpost::append_json_string(out, c.url); out += ',';
  key(out, "cta"); signpost::append_json_string(out, c.cta); out += ',';
  key(out, "dir"); out += c.rtl ? "\"rtl\"" : "\"ltr\"";
  out += '}';
}

std::string reference(const Decision& d, const PackInfo& pack, const std::string* id = nullptr) {
  std::string out = "{";
  if (id) {
    key(out, "id");
    signpost::append_json_string(out, *id);
    out += ',';
  }
  key(out, "action"); signpost::append_json_string(out, signpost::to_string(d.action)); out += ',';
  key(out, "category");
  if (d.category.empty()) out += "null";
  else signpost::append_json_string(out, d.category);
  out += ',';
  key(out, "score");
  fmt::format_to(std::back_inserter(out), "{}", d.score);
  out += ',';
  key(out, "matches");
  out += '[';
  for (std::size_t i = 0; i < d.matches.size(); ++i) {
    const Match& m = d.matches[i];
    if (i) out += ',';
    out += '{';
    key(out, "rule"); signpost::append_json_string(out, m.rule); out += ',';
    key(out, "category"); signpost::append_json_string(out, m.category); out += ',';
    fmt::format_to(std::back_inserter(out), "\"start\":{},\"end\":{}", m.begin, m.end);
    out += '}';
  }
  out += "],";
  key(out, "cards");
  out += '[';
  for (std::size_t i = 0; i < d.cards.size(); ++i) {
    if (i) out += ',';
    reference_card(out, d.cards[i]);
  }
  out += "],";
  key(out, "holdout"); out += d.holdout ? "true" : "false"; out += ',';
  key(out, "locale");
  if (d.locale.empty()) out += "null";
  else signpost::append_json_string(out, d.locale);
  out += ',';
  key(out, "pack");
  out += '{';
  key(out, "name"); signpost::append_json_string(out, pack.name); out += ',';
  key(out, "version"); signpost::append_json_string(out, pack.version); out += ',';
  key(out, "hash"); signpost::append_json_string(out, pack.hash);
  out += "}}";
  return out;
}

std::string with_engine(const Decision& d, const std::string* id = nullptr) {
  std::string out;
  default_pack().append_json(out, d, id);
  return out;
}

// The three writers agree on `d`; returns its JSON.
std::string same_three_ways(const Decision& d, const std::string* id = nullptr) {
  const std::string expected = reference(d, default_pack().pack(), id);
  CHECK(signpost::to_json(d, default_pack().pack(), id) == expected);
  CHECK(with_engine(d, id) == expected);
  return expected;
}

// Every card of the pack in every locale it is written in, as evaluate() would copy it.
std::vector<Card> every_pack_card() {
  std::vector<Card> cards;
  const signpost::detail::EngineImpl impl(std::filesystem::path(SIGNPOST_DEFAULT_PACK_DIR), signpost::EngineOptions{});
  impl.catalog.for_each([&](const Card& c) { cards.push_back(c); });
  return cards;
}

}  // namespace

TEST_CASE("card JSON: every card of the default pack, in every locale, rendered at load as the writer escapes it") {
  const signpost::detail::EngineImpl impl(std::filesystem::path(SIGNPOST_DEFAULT_PACK_DIR), signpost::EngineOptions{});
  std::size_t cards = 0, rtl = 0;
  impl.catalog.for_each([&](const Card& c) {
    ++cards;
    rtl += c.rtl;
    std::string escaped;
    reference_card(escaped, c);
    CHECK(impl.catalog.json(c) == escaped);
  });
  CHECK(cards >= 10 * default_pack().card_ids().size());  // ten languages, each with every card
  CHECK(rtl > 0);
}

TEST_CASE("card JSON: a decision with each pack card, in each locale, is the same bytes from every writer") {
  const std::vector<Card> cards = every_pack_card();
  REQUIRE(!cards.empty());
  for (const Card& c : cards) {
    Decision d;
    d.action = signpost::Action::redirect;
    d.category = "false_documents";
    d.score = 0.91;
    d.matches = {Match{"fake-passport", "false_documents", 4, 17}};
    d.cards = {c};
    d.locale = c.locale;
    const std::string json = same_three_ways(d);
    CHECK(json.find("\"id\":\"" + c.id + "\"") != std::string::npos);
  }
  // All of a locale's cards in one decision, as a category with many cards gives them.
  Decision all;
  all.action = signpost::Action::interstitial;
  all.cards = cards;
  const std::string id = "7";
  same_three_ways(all, &id);
}

TEST_CASE("card JSON: cards a host built or changed are escaped, not taken from the pack") {
  const std::vector<Card> cards = every_pack_card();
  REQUIRE(!cards.empty());
  const Card& base = cards.front();
  const signpost::detail::EngineImpl impl(std::filesystem::path(SIGNPOST_DEFAULT_PACK_DIR), signpost::EngineOptions{});

  // The same id and locale as a pack card, one field changed at a time.
  std::vector<Card> changed;
  for (int field = 0; field < 5; ++field) {
    Card c = base;
    switch (field) {
      case 0: c.title += " <b>&</b>"; break;
      case 1: c.body = "line one\nline \"two\" \xe2\x80\xa8 \xff"; break;
      case 2: c.url = "https://example.org/?a=1&b=<2>"; break;
      case 3: c.cta.clear(); break;
      case 4: c.rtl = !c.rtl; break;
    }
    changed.push_back(c);
  }
  // Built from nothing, with an id the pack does not have, and with an unknown locale.
  changed.push_back(Card{"host-card", "en", "Title \"quoted\"", "Body\t<script>", "https://example.org/x", "Go", false});
  Card other_locale = base;
  other_locale.locale = "xx-YY";
  changed.push_back(other_locale);
  changed.push_back(Card{});

  for (const Card& c : changed) {
    CHECK(impl.catalog.json(c).empty());
    Decision d;
    d.action = signpost::Action::annotate;
    d.category = "help";
    d.score = 0.5;
    d.cards = {base, c, base};  // a pack card on either side of the changed one
    same_three_ways(d);
  }
}

TEST_CASE("card JSON: decisions from evaluate are the same bytes from every writer") {
  const char* texts[] = {"boat to uk tonight price per person", "fake passport for sale", "hello",
                         "", "\xff\xfe <script>", "how do I claim asylum in the uk"};
  const char* locales[] = {"", "en", "fr", "FR_be", "ar", "ckb", "fa-IR", "ps", "sq", "tr", "vi", "kmr", "xx"};
  for (const char* t : texts)
    for (const char* l : locales) {
      const Decision d = default_pack().evaluate({.text = t, .locale = l});
      const std::string id = "id<&>\"";
      same_three_ways(d);
      same_three_ways(d, &id);
    }
}

TEST_CASE("card JSON: scores and offsets are written as fmt writes them") {
  std::vector<double> scores = {0.0, -0.0, 1.0, 0.5, 0.91, 0.1, 0.3, 0.9999, 0.0001, 0.00011, 0.001, 0.0012,
                                0.00009999, 1e-5, 1e-300, 5e-324, 1e15, 9.99e14, 1e16, 1e17, 1e300, 123.456,
                                std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                                std::numeric_limits<double>::quiet_NaN(), -0.25, -1e-7};
  for (int i = 0; i <= 10000; ++i) scores.push_back(i / 1e4);  // every score that rounding to four places gives
  std::mt19937_64 rng(20261205);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_int_distribution<std::uint64_t> bits;
  for (int i = 0; i < 20000; ++i) {
    scores.push_back(unit(rng));
    double any;
    const std::uint64_t b = bits(rng);
    std::memcpy(&any, &b, sizeof any);
    scores.push_back(any);
  }
  Decision d;
  d.matches = {Match{"r", "c", 0, 0}, Match{"r", "c", 9, 10}, Match{"r", "c", 123456789, std::size_t(-1)}};
  for (double s : scores) {
    d.score = s;
    const std::string expected = reference(d, default_pack().pack());
    if (signpost::to_json(d, default_pack().pack()) != expected || with_engine(d) != expected) {
      FAIL_CHECK("score " << fmt::format("{}", s) << " written differently");
    }
  }
}
