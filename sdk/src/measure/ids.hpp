// measure/ids.hpp: what may appear as a string in a metrics snapshot.
//
// Snapshots, Prometheus text and reports carry only pack-defined ids. These checks are applied
// when a recorder is laid out and when a snapshot is parsed, so that no other text can get in.
#pragma once

#include <cstddef>
#include <string_view>

#include "base/id.hpp"

namespace signpost::detail {

// Pack, category and card ids: the pack's id grammar (base/id.hpp).
constexpr bool is_metric_id(std::string_view s) noexcept { return is_id(s); }

// Locale labels: "other", or a BCP 47-shaped tag (subtags of 1 to 8 ASCII letters or digits,
// separated by '-' or '_'), at most 35 bytes.
inline bool is_metric_locale(std::string_view s) noexcept {
  if (s.empty() || s.size() > 35) return false;
  std::size_t run = 0;
  for (const char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      if (++run > 8) return false;
    } else if (c == '-' || c == '_') {
      if (run == 0) return false;
      run = 0;
    } else {
      return false;
    }
  }
  return run > 0;
}

// A pack version: free text from the pack manifest, at most 128 bytes of printable ASCII.
inline bool is_metric_version(std::string_view s) noexcept {
  if (s.size() > 128) return false;
  for (const char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

// A pack hash: "" or "sha256:" followed by 64 lowercase hex digits.
inline bool is_metric_pack_hash(std::string_view s) noexcept {
  if (s.empty()) return true;
  if (s.size() != 71 || s.substr(0, 7) != "sha256:") return false;
  for (const char c : s.substr(7))
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

inline constexpr std::string_view kNoCategory = "none";  // category of decisions that matched nothing
inline constexpr std::string_view kOtherLocale = "other";  // locales outside the pack's languages

}  // namespace signpost::detail
