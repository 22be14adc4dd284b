// entity_probe.hpp: the entity scanner as the entity tests read it (test_entities, test_money,
// test_entity_gate): the text normalized, then scanned for some kinds, and what was found written
// out as text, so a CHECK shows the finding itself.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "entities/entities.hpp"
#include "normalize/normalizer.hpp"

namespace signpost::test {

// The entities of `kinds` (a mask of entities::bit) in `text`; `gated` false skips the byte gates
// that let the scanner pass over text that cannot hold an entity (scan_ungated).
inline std::vector<detail::entities::Entity> entities_in(std::string_view text, unsigned kinds, bool gated = true) {
  detail::NormalizedText n;
  detail::normalize(text, n);
  std::vector<detail::entities::Entity> out;
  (gated ? detail::entities::scan : detail::entities::scan_ungated)(text, n, kinds, out);
  return out;
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
