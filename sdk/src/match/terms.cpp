// match/terms.cpp: the double-array trie of a pack's normalized terms, and the scan that walks it
// from every word start of a normalized text (see matcher.hpp).
#if !__has_include(<darts.h>)
#error "darts.h not found: install the Debian package darts (scripts/setup-debian.sh)"
#endif
#include <darts.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <memory>
#include <numeric>
#include <string_view>

#include <fmt/format.h>

#include "base/bytes16.hpp"
#include "base/fast_paths.hpp"
#include "match/matcher.hpp"

namespace signpost::detail {

bool Matcher::build_trie(std::vector<Problem>& problems) {
  trie_.clear();
  nul_free_ = pool_.find('\0') == std::string::npos;
  const std::size_t n = pattern_count();
  if (n == 0) return true;
  // Darts takes the keys sorted bytewise (as unsigned char), each with its value: the pattern id.
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  const auto view = [&](std::uint32_t id) {
    return std::string_view(pool_.data() + pattern_off_[id], pattern_off_[id + 1] - pattern_off_[id]);
  };
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return view(a) < view(b); });
  std::vector<const char*> keys(n);
  std::vector<std::size_t> lengths(n);
  std::vector<int> values(n);
  for (std::size_t i = 0; i < n; ++i) {
    keys[i] = pool_.data() + pattern_off_[order[i]];
    lengths[i] = pattern_off_[order[i] + 1] - pattern_off_[order[i]];
    values[i] = static_cast<int>(order[i]);
  }
  const auto trie = std::make_unique<Darts::DoubleArray>();
  const int err = trie->build(n, keys.data(), lengths.data(), values.data());
  if (err != 0 || trie->size() == 0) {
    problems.push_back({"", 0, 0, fmt::format("cannot build the term trie (Darts error {})", err)});
    return false;
  }
  static_assert(sizeof(Unit) == 8, "Darts::DoubleArray units are an int and an unsigned int");
  // Darts leaves 257 spare units after the last one in use, so that base + byte + 1 stays inside;
  // another 257 zero units make that hold whatever Darts does (a zero check never matches a
  // base, which is at least 1).
  trie_.resize(trie->size() + 257, Unit{0, 0});
  std::memcpy(trie_.data(), trie->array(), trie->size() * sizeof(Unit));
  trie_.shrink_to_fit();
  // A node whose path is a whole term has a terminal unit at its base. Marked in the high bit of
  // the node's own check (bases stay below 2^31), the walk reads the terminal unit, another cache
  // line, only at the nodes that have one instead of at every byte.
  for (std::size_t i = 0; i < trie->size(); ++i) {
    const std::int32_t b = trie_[i].base;
    if (b <= 0 || static_cast<std::size_t>(b) >= trie->size() || i == static_cast<std::size_t>(b)) continue;
    const Unit& leaf = trie_[static_cast<std::size_t>(b)];
    if (leaf.check == static_cast<std::uint32_t>(b) && leaf.base < 0) trie_[i].check |= kTerminal;
  }
  return true;
}

unsigned Matcher::scan_terms(const NormalizedText& t, std::vector<Hit>& hits) const {
  const std::size_t n = t.text.size();
  if (n >= 0xffffffffu || t.bounds.size() < n + 1 || t.token.size() < n) return 0;
  const auto* text = reinterpret_cast<const unsigned char*>(t.text.data());
  const std::uint8_t* bounds = t.bounds.data();
  const Unit* units = trie_.data();
  const std::int32_t root = units[0].base;
  const std::size_t first = hits.size();
  constexpr std::uint64_t kStarts8 = 0x0101010101010101ull * NormalizedText::kStart;
  bool full = false;
  unsigned signals = 0;  // the bits of the signal keys found
  const bool walk_to_nul = nul_free_ && fast_path(FastPath::term_walk);

  // The node b reached by text[p, q] ends a term: report its lexicons (false once full). Built
  // once per call, outside the loop over word starts.
  const auto report = [&](std::uint32_t p, std::uint32_t q, std::int32_t b) {
    const Unit& leaf = units[static_cast<std::uint32_t>(b)];
    const auto id = static_cast<std::uint32_t>(-leaf.base - 1);
    const bool word_end = (bounds[q + 1] & NormalizedText::kEnd) != 0;
    // Inside a word only a prefix entry can end: most terms that end there have none.
    if (!word_end && !any_prefix_[id]) return true;
    for (std::uint32_t i = ref_begin_[id]; i < ref_begin_[id + 1]; ++i) {
      const TermRef& ref = refs_[i];
      if (!ref.prefix && !word_end) continue;
      if (ref.lexicon == kSignal) {  // a signal key: its bits, no hit
        signals |= ref.lang;
        continue;
      }
      if (hits.size() >= kMaxHitsPerCall) return false;  // stop: enough evidence, bounded work
      hits.push_back(Hit{ref.lexicon, p, q + 1, t.token[p], t.token[q], ref.lang});
    }
    return true;
  };

  // From each word start, walk the trie along the text; at each node where a term ends, report its
  // lexicons (an exact entry needs a word end there, a prefix entry does not).
  if (walk_to_nul) {
    // text[n] is the string's NUL, on which no node has a child: the walk ends there without a
    // bound test, and a step is one compare of the child's check with the node (a node where a
    // term ends, its check marked, is the rare second compare). False once full.
    const auto walk = [&](std::uint32_t p) __attribute__((always_inline)) {
      std::int32_t b = root;
      for (std::uint32_t q = p;; ++q) {
        const Unit& next = units[static_cast<std::uint32_t>(b) + text[q] + 1];
        if (next.check != static_cast<std::uint32_t>(b)) {
          if (next.check != (static_cast<std::uint32_t>(b) | kTerminal)) return true;
          b = next.base;
          if (!report(p, q, b)) return false;
          continue;
        }
        b = next.base;
      }
    };
    // The word starts, sixteen flags at a time (base/bytes16.hpp): one mask per block, then one
    // step per start.
    for (std::uint32_t blk = 0; blk < n; blk += 16)
      for (std::uint32_t m = byte_mask16(bounds, n, blk, NormalizedText::kStart, NormalizedText::kStart); m; m &= m - 1)
        if (!walk(blk + static_cast<std::uint32_t>(std::countr_zero(m)))) {
          full = true;
          goto sort;
        }
    goto sort;
  }
  for (std::uint32_t p = 0; p < n && !full; ++p) {
    // The next word start, found eight flags at a time (little-endian: byte k of the load is
    // bounds[p + k]); byte by byte near the end.
    if (p + 8 <= n && std::endian::native == std::endian::little) {
      std::uint64_t b8;
      std::memcpy(&b8, bounds + p, 8);
      b8 &= kStarts8;
      if (!b8) {
        p += 7;  // and ++p
        continue;
      }
      p += static_cast<std::uint32_t>(std::countr_zero(b8)) / 8;
    } else if (!(bounds[p] & NormalizedText::kStart)) {
      continue;
    }
    std::int32_t b = root;
    for (std::uint32_t q = p; q < n; ++q) {
      const Unit& next = units[static_cast<std::uint32_t>(b) + text[q] + 1];
      if ((next.check & ~kTerminal) != static_cast<std::uint32_t>(b)) break;
      b = next.base;
      if (!(next.check & kTerminal)) continue;
      if (!report(p, q, b)) {
        full = true;
        break;
      }
    }
  }
sort:
  // The walk finds hits in order of start; callers get them in order of end, then start (then
  // lexicon, the order of a pattern's owners). Hits are few: sorting them costs next to nothing.
  if (hits.size() - first > 1)
    std::sort(hits.begin() + static_cast<std::ptrdiff_t>(first), hits.end(), [](const Hit& a, const Hit& b) {
      if (a.end != b.end) return a.end < b.end;
      if (a.begin != b.begin) return a.begin < b.begin;
      return a.lexicon < b.lexicon;
    });
  return full ? signals : signals | kSignalsComplete;
}

}  // namespace signpost::detail
