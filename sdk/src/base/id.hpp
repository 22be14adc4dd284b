// base/id.hpp: the one id grammar of packs, metrics and reports.
//
// Pack, category, card, lexicon, rule and context ids are [a-z0-9][a-z0-9_.-]{0,63}
// (docs/pack-format.md). The pack loader refuses other ids, the metrics recorder refuses to lay
// out a table with them, and the snapshot reader refuses to read them back.
#pragma once

#include <cstddef>
#include <string_view>

namespace signpost::detail {

inline constexpr std::size_t kMaxIdBytes = 64;

constexpr bool is_id(std::string_view s) noexcept {
  if (s.empty() || s.size() > kMaxIdBytes) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '_' && c != '.' && c != '-'))) return false;
  }
  return true;
}

}  // namespace signpost::detail
