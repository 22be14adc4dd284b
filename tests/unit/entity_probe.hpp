// entity_probe.hpp: the entity scanner as the entity tests read it (test_entities, test_money,
// test_entity_gate): the text normalized, then scanned for some kinds, and what was found written
// out as text, so a CHECK shows the finding itself.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "entities/entities.hpp"
#include "match/matcher.hpp"
#include "normalize/normalizer.hpp"
#include "pack/model.hpp"

namespace signpost::test {

// A Matcher holding only the entity signal words, as the engine adds them to its pack's terms.
inline const detail::Matcher& signal_matcher() {
  static const detail::Matcher m = [] {
    detail::Matcher out;
    std::vector<detail::SignalKey> keys;
    for (detail::entities::SignalWord& w : detail::entities::signal_words())
      keys.push_back({std::move(w.key), static_cast<std::uint16_t>(w.bits)});
    std::vector<Problem> problems;
    out.compile(detail::PackModel{}, {}, problems, keys);
    return out;
  }();
  return m;
}

// How the entity stage decides which scanners may find something: as the engine does (the signal
// words from the term walk, then the digits), by its own pass over the words (scan() without
// signals), or not at all (scan_ungated: every scanner runs).
enum class Gate { signals, words, none };

// The entities of `kinds` (a mask of entities::bit) in `text`, gated as `gate` says.
inline std::vector<detail::entities::Entity> entities_gated(std::string_view text, unsigned kinds, Gate gate) {
  detail::NormalizedText n;
  detail::normalize(text, n);
  std::vector<detail::entities::Entity> out;
  if (gate == Gate::none) {
    detail::entities::scan_ungated(text, n, kinds, out);
  } else if (gate == Gate::words) {
    detail::entities::scan(text, n, kinds, out);
  } else {
    std::vector<detail::Hit> hits;
    std::vector<detail::RegexHit> rhits;
    unsigned signals = 0;
    signal_matcher().find_terms(n, hits, rhits, &signals);
    const bool complete = (signals & detail::Matcher::kSignalsComplete) != 0;
    detail::entities::scan(text, n, kinds, out, complete ? &signals : nullptr);
  }
  return out;
}

// The entities of `kinds` in `text` as the engine finds them; `gated` false skips the gates that
// let the scanner pass over text that cannot hold an entity (scan_ungated).
inline std::vector<detail::entities::Entity> entities_in(std::string_view text, unsigned kinds, bool gated = true) {
  return entities_gated(text, kinds, gated ? Gate::signals : Gate::none);
}

// The original text of every entity of `kind` (by default, amounts of money), joined by " | ".
inline std::string found(std::string_view text, detail::entities::Kind kind = detail::entities::Kind::money) {
  std::string s;
  for (const detail::entities::Entity& e : entities_in(text, detail::entities::bit(kind))) {
    if (!s.empty()) s += " | ";
    s += std::string(text.substr(e.begin, e.end - e.begin));
  }
  return s;
}

// The single amount of money in `text` as "<amount> <currency>" ("<amount>" without a currency),
// or "<n> amounts" when there is not exactly one.
inline std::string money(std::string_view text) {
  const auto v = entities_in(text, detail::entities::bit(detail::entities::Kind::money));
  if (v.size() != 1) return std::to_string(v.size()) + " amounts";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v[0].amount);
  return std::string(buf) + (v[0].what.empty() ? "" : " " + std::string(v[0].what));
}

}  // namespace signpost::test
