// Engine::evaluate and Engine::redirect on the default pack, through the public API only.
//
// Input: the first byte picks the locale and the mode; the rest, split at NUL bytes, is the query,
// then (title, snippet) pairs of results. Invariants: nothing throws; every match lies inside
// its text, in text order; an intervention has cards; the same call twice gives the same answer;
// redirect keeps every result once (shown or removed), in order among the clean ones, with the
// flagged ones after them, and its decision is the query's own.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <span>
#include <string>
#include <vector>

#include <signpost/signpost.hpp>

#include "fuzz_support.hpp"

namespace {

const signpost::Engine& engine() {
  static const signpost::Engine e = signpost::Engine::load(SIGNPOST_DEFAULT_PACK_DIR);
  return e;
}

constexpr std::string_view kLocales[] = {"", "en", "fr", "ar", "fa", "ckb", "ps", "tr", "sq", "vi", "kmr", "fr-BE",
                                         "xx", "EN", "ar-SA", "zh-Hant-TW"};

void check_decision(const signpost::Decision& d, std::string_view text) {
  std::size_t last = 0;
  for (const signpost::Match& m : d.matches) {
    SIGNPOST_FUZZ_CHECK(m.begin < m.end && m.end <= text.size());
    SIGNPOST_FUZZ_CHECK(m.begin >= last);
    last = m.begin;
    SIGNPOST_FUZZ_CHECK(!m.rule.empty() && !m.category.empty());
  }
  SIGNPOST_FUZZ_CHECK(d.score >= 0.0 && d.score <= 1.0);
  if (d.action != signpost::Action::none) SIGNPOST_FUZZ_CHECK(!d.cards.empty() && !d.category.empty());
  for (const signpost::Card& c : d.cards) SIGNPOST_FUZZ_CHECK(c.url.starts_with("https://"));
}

void run(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return;
  const std::string_view locale = kLocales[data[0] & 15];
  const signpost::Mode mode = (data[0] & 16) ? signpost::Mode::post : signpost::Mode::query;
  const auto parts = signpost::fuzz::split(signpost::fuzz::as_text(data + 1, size - 1), '\0');
  const std::string text(parts[0]);
  const signpost::Query q{text, locale, mode, "subject"};
  const signpost::Decision d = engine().evaluate(q);
  check_decision(d, text);
  SIGNPOST_FUZZ_CHECK(engine().evaluate(q) == d);

  std::vector<signpost::Result> results;
  for (std::size_t i = 1; i + 1 < parts.size() && results.size() < 16; i += 2)
    results.push_back({std::to_string(results.size()), std::string(parts[i]), std::string(parts[i + 1]), "https://r/"});
  const signpost::Query query{text, locale, signpost::Mode::query, "subject"};
  const signpost::RedirectedResults r = engine().redirect(query, results);
  SIGNPOST_FUZZ_CHECK(r.decision == engine().evaluate(query));
  std::vector<int> seen(results.size(), 0);
  std::size_t shown = 0;
  int last_clean = -1, last_flagged = -1;
  bool flagged_started = false;
  std::size_t flagged = 0;
  std::vector<std::string> cards;
  for (const signpost::RedirectEntry& e : r.entries) {
    if (e.kind == signpost::RedirectEntry::Kind::card) {
      SIGNPOST_FUZZ_CHECK(e.card.url.starts_with("https://"));
      for (const std::string& id : cards) SIGNPOST_FUZZ_CHECK(id != e.card.id);  // never twice
      cards.push_back(e.card.id);
      continue;
    }
    flagged += e.flagged ? 1 : 0;
    const int index = std::stoi(e.result.id);
    SIGNPOST_FUZZ_CHECK(index >= 0 && static_cast<std::size_t>(index) < results.size());
    SIGNPOST_FUZZ_CHECK(e.result == results[static_cast<std::size_t>(index)]);
    ++seen[static_cast<std::size_t>(index)];
    ++shown;
    if (e.flagged) {
      flagged_started = true;
      SIGNPOST_FUZZ_CHECK(index > last_flagged);
      last_flagged = index;
    } else {
      SIGNPOST_FUZZ_CHECK(!flagged_started);
      SIGNPOST_FUZZ_CHECK(index > last_clean);
      last_clean = index;
    }
  }
  for (const int n : seen) SIGNPOST_FUZZ_CHECK(n <= 1);
  SIGNPOST_FUZZ_CHECK(shown + r.removed == results.size());
  SIGNPOST_FUZZ_CHECK(r.flagged == flagged);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    run(data, size);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "threw: %s\n", e.what());
    std::abort();
  }
  return 0;
}
