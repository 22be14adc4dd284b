#include "match/typo_index.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "base/bytes16.hpp"

// The helpers of the per-word path (a count, two end hashes, the byte bits) are inlined into it:
// called apart they cost as much again in calls and spills.
#define SIGNPOST_TYPO_INLINE inline __attribute__((always_inline))

namespace signpost::detail {
namespace {

constexpr std::size_t kMaxWordBytes = kMaxTypoWord * 4 + 4;

// The hash of a whole word, for the pack's own words (`known`).
std::uint64_t hash_of(std::string_view s) noexcept {
  std::uint64_t h = 0;
  for (const char c : s) h = h * 0x100000001b3ull + static_cast<unsigned char>(c) + 1;
  return h ^ (h >> 29);
}

SIGNPOST_TYPO_INLINE bool continuation(char c) noexcept { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

SIGNPOST_TYPO_INLINE std::uint64_t load8(const char* p) noexcept {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  return x;
}

// Whether p is the start of a code point of s, or its end.
bool boundary(std::string_view s, std::size_t p) noexcept { return p == s.size() || !continuation(s[p]); }

// The UTF-8 continuation bytes of x (bit 7 set, bit 6 clear): one bit per byte, summed into the top
// byte by one multiplication (std::popcount is a library call in a build for baseline x86-64).
SIGNPOST_TYPO_INLINE std::size_t cont8(std::uint64_t x) noexcept {
  return static_cast<std::size_t>((((x & ~(x << 1) & 0x8080808080808080ull) >> 7) * 0x0101010101010101ull) >> 56);
}

// Bit k: byte k of x starts a code point (is no UTF-8 continuation byte), for the eight bytes.
SIGNPOST_TYPO_INLINE std::uint32_t lead_bits(std::uint64_t x) noexcept {
  const std::uint64_t leads = ~(x & ~(x << 1)) & 0x8080808080808080ull;
  return static_cast<std::uint32_t>(((leads >> 7) * 0x0102040810204080ull) >> 56);
}

// Whether x has more than `most` bits set (most >= 2): two bits cleared, then, when some are left
// and `most` is more than two, a count by halves (no library call, as above).
SIGNPOST_TYPO_INLINE bool more_bits(std::uint64_t x, int most) noexcept {
  x &= x - 1;
  x &= x - 1;
  if (x == 0 || most == 2) return x != 0;
  x -= (x >> 1) & 0x5555555555555555ull;
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
  return static_cast<int>((x * 0x0101010101010101ull) >> 56) > most - 2;
}

// Bytes [i, i + r) of base[0, n) (1 <= r <= 8, i + r <= n), little-endian, the rest zero: one load
// when the buffer has eight bytes, wherever the piece lies in it.
SIGNPOST_TYPO_INLINE std::uint64_t piece(const char* base, std::size_t n, std::size_t i, std::size_t r) noexcept {
  if (std::endian::native == std::endian::little && n >= 8) {
    const std::uint64_t mask = ~std::uint64_t{0} >> (8 * (8 - r));
    if (i + 8 <= n) return load8(base + i) & mask;
    return (load8(base + n - 8) >> (8 * (i + 8 - n))) & mask;
  }
  std::uint64_t x = 0;
  for (std::size_t k = 0; k < r; ++k) x |= std::uint64_t{static_cast<unsigned char>(base[i + k])} << (8 * k);
  return x;
}

// The number of code points of base[b, e) (the bytes that are not UTF-8 continuation bytes: a
// malformed sequence counts as a code point from each byte that is not one), eight bytes at a time.
SIGNPOST_TYPO_INLINE std::size_t count_points(const char* base, std::size_t n, std::size_t b, std::size_t e) noexcept {
  std::size_t cont = 0, i = b;
  if constexpr (std::endian::native == std::endian::little) {
    for (; i + 8 <= e; i += 8) cont += cont8(load8(base + i));
    if (i < e) cont += cont8(piece(base, n, i, e - i));
    return e - b - cont;
  }
  for (; i < e; ++i) cont += continuation(base[i]);
  return e - b - cont;
}
std::size_t count_points(std::string_view s) noexcept { return count_points(s.data(), s.size(), 0, s.size()); }

// The first k code points of s, and the last k (all of s when it has fewer); `plain`: s has one
// byte per code point.
SIGNPOST_TYPO_INLINE std::string_view head(std::string_view s, std::size_t k, bool plain) noexcept {
  if (plain) return s.substr(0, k);
  std::size_t i = 0;
  for (std::size_t seen = 0; i < s.size(); ++i)
    if (!continuation(s[i]) && seen++ == k) break;
  return s.substr(0, i);
}
SIGNPOST_TYPO_INLINE std::string_view tail(std::string_view s, std::size_t k, bool plain) noexcept {
  if (plain) return s.substr(s.size() - std::min(k, s.size()));
  std::size_t i = s.size();
  for (std::size_t seen = 0; i > 0 && seen < k;)
    if (!continuation(s[--i])) ++seen;
  return s.substr(i);
}

// The ends of a word of m code points that a term at one edit shares with it, one or the other
// (see the header): the first head_points(m) code points or the last tail_points(m).
SIGNPOST_TYPO_INLINE std::size_t head_points(std::size_t m) noexcept { return (m - 1) / 2; }
SIGNPOST_TYPO_INLINE std::size_t tail_points(std::size_t m) noexcept { return m - 1 - head_points(m); }

// The mix of an end's hash: one multiplication (its high bits, which the filter reads, depend on
// every bit below them), then the high half folded into the low one (which the table's slot
// reads). A bijection, like the two rounds of multiplications it replaced at a third of their
// cost: two ends collide only when their inputs do, and a collision only adds a term to compare
// (within_one_edit() decides).
SIGNPOST_TYPO_INLINE std::uint64_t fmix(std::uint64_t h) noexcept {
  h *= 0x9e3779b97f4a7c15ull;
  return h ^ (h >> 32);
}

// The hash of an end of a word, its bytes [b, e) of base[0, n): the word's length m in code points,
// which end, and the bytes, eight at a time (little-endian; the last piece in one load when the
// buffer has eight bytes). The same for a word read in a text and a term read alone.
SIGNPOST_TYPO_INLINE std::uint64_t end_seed(std::size_t m, bool at_tail, std::size_t bytes) noexcept {
  return (static_cast<std::uint64_t>(m) << 1 | static_cast<std::uint64_t>(at_tail)) << 48 | bytes;
}
SIGNPOST_TYPO_INLINE std::uint64_t end_hash(const char* base, std::size_t n, std::size_t b, std::size_t e,
                                            std::size_t m, bool at_tail) noexcept {
  std::uint64_t h = end_seed(m, at_tail, e - b);
  std::size_t i = b;
  for (; i + 8 <= e; i += 8) h = fmix(h ^ load8(base + i)) + 0x9e3779b97f4a7c15ull;
  return fmix(h ^ (i < e ? piece(base, n, i, e - i) : 0));
}

// The hashes of the two ends (see the header) of a word of m code points, base[b, e); `plain`: one
// byte per code point.
SIGNPOST_TYPO_INLINE std::uint64_t head_hash(const char* base, std::size_t n, std::size_t b, std::size_t e,
                                             std::size_t m, bool plain) noexcept {
  const std::string_view w(base + b, e - b);
  return end_hash(base, n, b, b + head(w, head_points(m), plain).size(), m, false);
}
SIGNPOST_TYPO_INLINE std::uint64_t tail_hash(const char* base, std::size_t n, std::size_t b, std::size_t e,
                                             std::size_t m, bool plain) noexcept {
  const std::string_view w(base + b, e - b);
  return end_hash(base, n, e - tail(w, tail_points(m), plain).size(), e, m, true);
}
std::uint64_t head_hash(std::string_view w, std::size_t m) noexcept {
  return head_hash(w.data(), w.size(), 0, w.size(), m, false);
}
std::uint64_t tail_hash(std::string_view w, std::size_t m) noexcept {
  return tail_hash(w.data(), w.size(), 0, w.size(), m, false);
}

// The bytes of s, one bit each for their low six bits. One edit (in code points) changes the bytes
// a word holds by those of the code point it removes and of the one it adds: two bits of difference
// at most between two words of one byte per code point, eight in general.
SIGNPOST_TYPO_INLINE std::uint64_t byte_bits(const char* s, std::size_t n) noexcept {
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < n; ++i) bits |= std::uint64_t{1} << (static_cast<unsigned char>(s[i]) & 63);
  return bits;
}

}  // namespace

bool TypoIndex::within_one_edit(std::string_view a, std::string_view b) noexcept {
  const std::size_t na = a.size(), nb = b.size(), lim = std::min(na, nb);
  if (std::max(na, nb) > kMaxTypoWord && (count_points(a) > kMaxTypoWord || count_points(b) > kMaxTypoWord)) return false;
  // The common prefix, in bytes, eight at a time, then back to a code point boundary of both.
  std::size_t pre = 0;
  if constexpr (std::endian::native == std::endian::little)
    for (; pre + 8 <= lim; pre += 8)
      if (const std::uint64_t d = load8(a.data() + pre) ^ load8(b.data() + pre)) {
        pre += static_cast<std::size_t>(std::countr_zero(d)) / 8;
        goto prefix_done;
      }
  while (pre < lim && a[pre] == b[pre]) ++pre;
prefix_done:
  while (pre > 0 && !(boundary(a, pre) && boundary(b, pre))) --pre;
  // The common suffix within what is left of both, back to a boundary of both.
  std::size_t suf = 0;
  while (suf < lim - pre && a[na - 1 - suf] == b[nb - 1 - suf]) ++suf;
  while (suf > 0 && !(boundary(a, na - suf) && boundary(b, nb - suf))) --suf;
  // What is left must be one edit: at most one code point on each side (four bytes at most), or
  // the same two code points swapped (as many bytes on each side).
  const std::string_view ra = a.substr(pre, na - suf - pre), rb = b.substr(pre, nb - suf - pre);
  // Where the second code point of r starts: 0 when r has none, r.size() + 1 when it has a third.
  const auto second = [](std::string_view r) -> std::size_t {
    if (r.empty()) return 0;
    std::size_t i = 1;
    while (i < r.size() && continuation(r[i])) ++i;
    if (i == r.size()) return 0;
    std::size_t j = i + 1;
    while (j < r.size() && continuation(r[j])) ++j;
    return j == r.size() ? i : r.size() + 1;
  };
  if (ra.size() > 8 || rb.size() > 8) return false;
  const std::size_t sa = second(ra), sb = second(rb);
  if (sa == 0 && sb == 0) return true;  // equal, one substitution, one insertion or deletion
  if (sa == 0 || sb == 0 || sa > ra.size() || sb > rb.size() || ra.size() != rb.size()) return false;
  return ra.substr(0, sa) == rb.substr(sb) && ra.substr(sa) == rb.substr(0, sb);
}

void TypoIndex::build(std::vector<TypoTerm> terms, const std::vector<std::string>& known) {
  terms_.clear();
  for (TypoTerm& t : terms) {
    const std::size_t n = count_points(t.normalized);
    if (t.normalized.empty() || t.normalized.find(' ') != std::string::npos || n > kMaxTypoWord ||
        n < std::max<std::uint32_t>(t.min_length, 2))
      continue;
    terms_.push_back(std::move(t));
  }
  term_bits_.clear();
  term_plain_.clear();
  for (const TypoTerm& t : terms_) {
    term_bits_.push_back(byte_bits(t.normalized.data(), t.normalized.size()));
    term_plain_.push_back(count_points(t.normalized) == t.normalized.size());
  }
  min_bytes_ = min_points_ = SIZE_MAX;
  max_bytes_ = max_points_ = 0;
  // Every end of every term, for the three lengths of a word at one edit from it.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> ends;
  for (std::uint32_t id = 0; id < terms_.size(); ++id) {
    const TypoTerm& t = terms_[id];
    const std::string_view w = t.normalized;
    const std::size_t n = count_points(w);
    min_bytes_ = std::min(min_bytes_, w.size());
    max_bytes_ = std::max(max_bytes_, w.size());
    // A term tolerates a typo only from its min_length: shorter words are never read as it.
    min_points_ = std::min<std::size_t>(min_points_, std::max<std::size_t>(n, t.min_length));
    max_points_ = std::max(max_points_, n);
    for (std::size_t m = n - 1; m <= n + 1; ++m) {  // n >= 2
      ends.emplace_back(head_hash(w, m), id);
      ends.emplace_back(tail_hash(w, m), id);
    }
  }
  // A word at one edit is at most one code point (4 bytes) shorter or longer.
  min_bytes_ = min_bytes_ > 4 ? min_bytes_ - 4 : 1;
  max_bytes_ += 4;
  min_points_ = min_points_ > 1 ? min_points_ - 1 : 1;
  max_points_ += 1;
  min_bytes_ = std::max(min_bytes_, min_points_);  // a code point takes a byte at least
  std::sort(ends.begin(), ends.end());
  ends.erase(std::unique(ends.begin(), ends.end()), ends.end());
  std::size_t keys = 0;
  for (std::size_t i = 0; i < ends.size(); ++i) keys += i == 0 || ends[i].first != ends[i - 1].first;
  std::size_t size = 16;
  while (size < keys * 2) size <<= 1;
  ends_.assign(terms_.empty() ? 0 : size, EndKey{});
  ends_mask_ = size - 1;
  // The filter: about 16 bits per end, at least 4 KiB, at most 64 KiB.
  std::size_t bits = 1u << 15;
  while (bits < keys * 16 && bits < (std::size_t{1} << 19)) bits <<= 1;
  end_filter_.assign(terms_.empty() ? 0 : bits / 64, 0);
  filter_shift_ = static_cast<unsigned>(64 - std::countr_zero(bits));
  end_terms_.clear();
  for (std::size_t i = 0; i < ends.size();) {
    const std::uint64_t h = ends[i].first;
    const auto begin = static_cast<std::uint32_t>(end_terms_.size());
    for (; i < ends.size() && ends[i].first == h; ++i) end_terms_.push_back(ends[i].second);  // ascending ids
    std::uint64_t slot = h & ends_mask_;
    while (ends_[slot].end != 0) slot = (slot + 1) & ends_mask_;
    ends_[slot] = {h, begin, static_cast<std::uint32_t>(end_terms_.size())};
    const std::uint64_t bit = h >> filter_shift_;
    end_filter_[bit >> 6] |= std::uint64_t{1} << (bit & 63);
  }
  known_.clear();
  for (const std::string& k : known)
    if (!k.empty() && k.find(' ') == std::string::npos) known_.push_back(hash_of(k));
  std::sort(known_.begin(), known_.end());
  known_.erase(std::unique(known_.begin(), known_.end()), known_.end());
}

void TypoIndex::build(const PackModel& model) {
  std::vector<TypoTerm> terms;
  std::vector<std::string> known;
  bool any = false;
  // A term taken through `include` with typos comes from a lexicon that has them: that one counts.
  for (const Lexicon& lex : model.lexicons) any = any || lex.typos > 0;
  if (any) {
    for (std::uint32_t li = 0; li < model.lexicons.size(); ++li) {
      const Lexicon& lex = model.lexicons[li];
      for (const TermSpec& t : lex.terms) {
        if (t.prefix) continue;
        std::string norm = normalize_term(t.text);
        if (norm.empty()) continue;
        const bool own = t.typos < 0;  // else taken through `include`, with its own lexicon's setting
        if ((own ? lex.typos : t.typos) > 0) {
          std::uint16_t lang = kNoLanguage;
          for (std::size_t i = 0; i < model.languages.size(); ++i)
            if (model.languages[i] == t.lang) lang = static_cast<std::uint16_t>(i);
          terms.push_back({norm, li, lang, static_cast<std::uint32_t>(own ? lex.min_length : t.min_length)});
        }
        known.push_back(std::move(norm));
      }
    }
  }
  build(std::move(terms), known);
}

SIGNPOST_TYPO_INLINE std::pair<const std::uint32_t*, const std::uint32_t*> TypoIndex::filed(
    std::uint64_t hash) const noexcept {
  const std::uint64_t bit = hash >> filter_shift_;
  if (!((end_filter_[bit >> 6] >> (bit & 63)) & 1u)) return {nullptr, nullptr};
  for (std::uint64_t slot = hash & ends_mask_;; slot = (slot + 1) & ends_mask_) {
    const EndKey& k = ends_[slot];
    if (k.end == 0) return {nullptr, nullptr};
    if (k.hash == hash) return {end_terms_.data() + k.begin, end_terms_.data() + k.end};
  }
}

bool TypoIndex::known(std::string_view word) const noexcept {
  return std::binary_search(known_.begin(), known_.end(), hash_of(word));
}

template <bool kIndexed>
void TypoIndex::check_word(const NormalizedText& text, std::uint32_t b, std::uint32_t e, std::vector<Hit>& hits) const noexcept {
  const std::string_view w = std::string_view(text.text).substr(b, e - b);
  if (w.size() < min_bytes_ || w.size() > max_bytes_ || w.size() > kMaxWordBytes) return;
  const char* base = text.text.data();
  const std::size_t n = text.text.size();
  // A word of eight bytes or fewer in a text of eight or more is read in one load, and its count
  // and ends taken from it.
  const bool short_word = kIndexed && std::endian::native == std::endian::little && w.size() <= 8 && n >= 8;
  const std::uint64_t whole = short_word ? piece(base, n, b, w.size()) : 0;
  const std::size_t m = short_word ? w.size() - cont8(whole) : count_points(base, n, b, e);
  if (m > kMaxTypoWord || m < 2 || m < min_points_ || m > max_points_) return;
  if constexpr (!kIndexed) {
    compare_filed<false>(text, b, e, nullptr, nullptr, nullptr, nullptr, false, hits);
  } else {
    const bool plain = m == w.size();
    std::uint64_t head_key, tail_key;
    if (short_word && plain) {  // both ends shorter than eight bytes: end_hash() without its loop
      const std::size_t hp = head_points(m), tp = tail_points(m);
      head_key = fmix(end_seed(m, false, hp) ^ (hp ? whole & (~std::uint64_t{0} >> (8 * (8 - hp))) : 0));
      tail_key = fmix(end_seed(m, true, tp) ^ (tp ? whole >> (8 * (w.size() - tp)) : 0));
    } else if (!plain && w.size() <= 16 && n >= 8) {
      // Both ends' boundaries from one mask of the word's lead bytes (two loads) instead of a loop
      // over its bytes: the head ends at lead number head_points(m), the tail starts at the next.
      const std::size_t r0 = std::min<std::size_t>(8, w.size());
      const std::uint64_t lo = short_word ? whole : piece(base, n, b, r0);
      const std::uint64_t hi = w.size() > 8 ? piece(base, n, b + 8, w.size() - 8) : 0;
      std::uint32_t leads = (lead_bits(lo) | lead_bits(hi) << 8) & ((1u << w.size()) - 1);
      for (std::size_t k = head_points(m); k > 0; --k) leads &= leads - 1;
      const auto head_end = static_cast<std::size_t>(std::countr_zero(leads));
      leads &= leads - 1;  // tail_points(m) >= 1 code points: a lead is left
      head_key = end_hash(base, n, b, b + head_end, m, false);
      tail_key = end_hash(base, n, b + static_cast<std::size_t>(std::countr_zero(leads)), e, m, true);
    } else {
      head_key = head_hash(base, n, b, e, m, plain);
      tail_key = tail_hash(base, n, b, e, m, plain);
    }
    const auto [h0, h1] = filed(head_key);
    const auto [t0, t1] = filed(tail_key);
    // Most words end here; the comparisons are out of line, so that this part stays small.
    if (h0 != h1 || t0 != t1) compare_filed<true>(text, b, e, h0, h1, t0, t1, plain, hits);
  }
}

template <bool kIndexed>
void TypoIndex::compare_filed(const NormalizedText& text, std::uint32_t b, std::uint32_t e, const std::uint32_t* h0,
                              const std::uint32_t* h1, const std::uint32_t* t0, const std::uint32_t* t1, bool plain,
                              std::vector<Hit>& hits) const noexcept {
  const std::string_view w = std::string_view(text.text).substr(b, e - b);
  const std::size_t first_new = hits.size();
  // Whether the word is itself a term (never a typo) is asked at its first candidate only: most
  // words have none, and the binary search would cost more than the rest.
  enum : std::uint8_t { kUnasked, kNotKnown, kKnown } is_known = kUnasked;
  // False once the word is known to be a term.
  const auto consider = [&](std::uint32_t id) {
    const TypoTerm& t = terms_[id];
    if (t.normalized == w || !within_one_edit(w, t.normalized)) return true;
    if (is_known == kUnasked) is_known = known(w) ? kKnown : kNotKnown;
    if (is_known == kKnown) return false;
    bool dup = false;
    for (std::size_t k = first_new; k < hits.size() && !dup; ++k) dup = hits[k].lexicon == t.lexicon;
    if (dup || hits.size() >= kMaxHitsPerCall) return true;
    Hit hit;
    hit.lexicon = t.lexicon;
    hit.begin = b;
    hit.end = e;
    hit.tok_begin = hit.tok_end = text.token[b];
    hit.lang = t.lang;
    try {
      hits.push_back(hit);
    } catch (...) {  // out of memory: the hit is dropped
      return false;
    }
    return true;
  };
  if constexpr (!kIndexed) {
    for (std::uint32_t id = 0; id < terms_.size(); ++id)
      if (!consider(id)) return;
  } else {
    // A term whose bytes differ from the word's by more than one edit allows is not compared.
    const std::uint64_t bits = byte_bits(w.data(), w.size());
    const int most = plain ? 2 : 8;
    // The terms filed under either end, in ascending order, each once.
    while (h0 != h1 || t0 != t1) {
      std::uint32_t id;
      if (t0 == t1 || (h0 != h1 && *h0 < *t0)) {
        id = *h0++;
      } else if (h0 == h1 || *t0 < *h0) {
        id = *t0++;
      } else {  // filed under both
        id = *h0++;
        ++t0;
      }
      if (more_bits(bits ^ term_bits_[id], term_plain_[id] ? most : 8)) continue;
      if (!consider(id)) return;
    }
  }
}

template <bool kIndexed>
void TypoIndex::scan_words(const NormalizedText& text, std::vector<Hit>& hits) const {
  if (terms_.empty() || text.text.empty()) return;
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  constexpr bool kSwar = std::endian::native == std::endian::little;
  const std::string_view s = text.text;
  const std::size_t n = s.size();
  // One token [b, e): the whole token, the parts after an attached particle, and the part before a
  // suffix boundary (each shorter than the token).
  const auto token = [&](std::uint32_t b, std::uint32_t e) __attribute__((always_inline)) {
    if (e - b < min_bytes_) return;  // neither the token nor a part of it is long enough
    check_word<kIndexed>(text, b, e, hits);
    if (e - b == min_bytes_) return;
    if constexpr (kIndexed && kSwar) {
      // The word edges inside the token, eight bounds at a time in one load each (the last ones
      // from the bounds' last eight, shifted), the bytes past the token masked off: most tokens
      // have none, and a short one is read in one load instead of a loop of one bound at a time.
      constexpr std::uint64_t kEdges = kOnes * (NormalizedText::kStart | NormalizedText::kEnd);
      const char* bd = reinterpret_cast<const char*>(text.bounds.data());
      const std::size_t nbd = text.bounds.size();
      for (std::uint32_t p = b + 1; p < e; p += 8) {
        for (std::uint64_t x = piece(bd, nbd, p, std::min<std::size_t>(8, e - p)) & kEdges; x;) {
          const unsigned k = static_cast<unsigned>(std::countr_zero(x)) / 8;
          const auto flags = static_cast<std::uint8_t>(x >> (8 * k));
          x &= ~(std::uint64_t{0xFF} << (8 * k));
          if (flags & NormalizedText::kStart) check_word<kIndexed>(text, p + k, e, hits);
          if (flags & NormalizedText::kEnd) check_word<kIndexed>(text, b, p + k, hits);
        }
      }
      return;
    }
    for (std::uint32_t p = b + 1; p < e; ++p) {
      if (text.bounds[p] & NormalizedText::kStart) check_word<kIndexed>(text, p, e, hits);
      if (text.bounds[p] & NormalizedText::kEnd) check_word<kIndexed>(text, b, p, hits);
    }
  };
  if constexpr (kIndexed) {
    // The spaces, sixteen bytes at a time (base/bytes16.hpp): one mask per block, then one step
    // per token.
    // Most tokens are too short to be read at all, and which ones are is no pattern a branch
    // predictor learns: the tokens long enough are listed without a branch (the slot is written
    // whatever the length, and the count moves only for a long one), then read.
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(s.data());
    constexpr std::size_t kList = 32;
    std::uint32_t list_b[kList + 1], list_e[kList + 1];
    std::size_t listed = 0;
    const auto read_listed = [&]() __attribute__((always_inline)) {
      for (std::size_t k = 0; k < listed; ++k) token(list_b[k], list_e[k]);
      listed = 0;
    };
    std::uint32_t tb = 0;
    for (std::size_t p = 0; p < n; p += 16) {
      for (std::uint32_t sp = byte_mask16(bytes, n, p, ' '); sp; sp &= sp - 1) {
        const auto q = static_cast<std::uint32_t>(p) + static_cast<std::uint32_t>(std::countr_zero(sp));
        list_b[listed] = tb;
        list_e[listed] = q;
        listed += q - tb >= min_bytes_;
        tb = q + 1;
      }
      if (listed > kList - 16) read_listed();  // room for the next block's sixteen
    }
    read_listed();
    if (tb < n) token(tb, static_cast<std::uint32_t>(n));
    return;
  }
  std::size_t tb = 0;
  while (tb < n) {
    // The token's end: the next space, eight bytes at a time; the last bytes in one load of the
    // text's last eight, shifted (the zeros shifted in are no space).
    std::size_t te = tb;
    if constexpr (kSwar) {
      const auto spaces = [](std::uint64_t x) {  // the bytes of x that are spaces
        x ^= kOnes * ' ';
        return ~(((x & ~kHigh) + ~kHigh) | x) & kHigh;
      };
      for (; te + 8 <= n; te += 8)
        if (const std::uint64_t sp = spaces(load8(s.data() + te))) {
          te += static_cast<std::size_t>(std::countr_zero(sp)) / 8;
          goto found;
        }
      if (te < n && n >= 8) {
        const std::uint64_t sp = spaces(load8(s.data() + n - 8) >> (8 * (te + 8 - n)));
        te = sp ? te + static_cast<std::size_t>(std::countr_zero(sp)) / 8 : n;
      }
    }
    while (te < n && s[te] != ' ') ++te;
  found:
    token(static_cast<std::uint32_t>(tb), static_cast<std::uint32_t>(te));
    tb = te + 1;
  }
}

void TypoIndex::scan(const NormalizedText& text, std::vector<Hit>& hits) const { scan_words<true>(text, hits); }

void TypoIndex::scan_exhaustive(const NormalizedText& text, std::vector<Hit>& hits) const {
  scan_words<false>(text, hits);
}

}  // namespace signpost::detail
