// base/fast_paths.hpp: one process-wide switch per fast path of the engine, for tests that compare
// a fast path with the plain one it must equal.
//
// Each stage that has a fast path (the normalizer's word lanes, the entity gate and span filters,
// the regex prefilter, the term walk) reads its bit here on every call; all are on by default. Turned off, the
// stage runs its reference path, whose result the fast path must equal to the byte: the
// equivalence tests (test_normalize_*, test_entity_gate, test_regex_prefilter, test_match_trie) run both. Reading
// a bit is one relaxed load; hosts never turn them off.
#pragma once

#include <atomic>

namespace signpost::detail {

enum class FastPath : unsigned {
  normalizer = 1u << 0,       // ASCII words eight bytes at a time, word lanes of other scripts
  entities = 1u << 1,         // the entity gate, and lookup()'s span and key filters
  regex_prefilter = 1u << 2,  // hs_scan skipped when no regex that matters can match the bytes
  term_walk = 1u << 3,        // the trie walk stopped by the text's terminating NUL, not a bound test
};

inline std::atomic<unsigned> g_fast_paths{~0u};

inline void set_fast_path(FastPath p, bool on) noexcept {
  if (on) g_fast_paths.fetch_or(static_cast<unsigned>(p), std::memory_order_relaxed);
  else g_fast_paths.fetch_and(~static_cast<unsigned>(p), std::memory_order_relaxed);
}

inline bool fast_path(FastPath p) noexcept {
  return (g_fast_paths.load(std::memory_order_relaxed) & static_cast<unsigned>(p)) != 0;
}

}  // namespace signpost::detail
