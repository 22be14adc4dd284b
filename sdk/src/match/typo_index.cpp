#include "match/typo_index.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

namespace signpost::detail {
namespace {

// A polynomial hash, so that the hash of a word without one of its code points comes from the
// word's prefix hashes in O(1): h(s) = sum of (s[i] + 1) * P^(n - 1 - i), modulo 2^64.
constexpr std::uint64_t kPrime = 0x100000001b3ull;
constexpr std::size_t kMaxWordBytes = kMaxTypoWord * 4 + 4;

std::uint64_t finish(std::uint64_t h) noexcept { return h ^ (h >> 29); }

// Prefix hashes of s (pre[i] = h(s[0, i))) and powers of P, for s.size() <= kMaxWordBytes.
// Powers of P, computed once.
const std::array<std::uint64_t, kMaxWordBytes + 1>& powers() noexcept {
  static const std::array<std::uint64_t, kMaxWordBytes + 1> table = [] {
    std::array<std::uint64_t, kMaxWordBytes + 1> t{};
    t[0] = 1;
    for (std::size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * kPrime;
    return t;
  }();
  return table;
}

struct Prefixes {
  std::array<std::uint64_t, kMaxWordBytes + 1> pre;  // only [0, n] is written and read
  const std::array<std::uint64_t, kMaxWordBytes + 1>& pow = powers();
  std::size_t n = 0;
  explicit Prefixes(std::string_view s) noexcept : n(s.size()) {
    pre[0] = 0;
    for (std::size_t i = 0; i < n; ++i) pre[i + 1] = pre[i] * kPrime + static_cast<unsigned char>(s[i]) + 1;
  }
  // The hash of s without its bytes [b, e).
  std::uint64_t without(std::size_t b, std::size_t e) const noexcept {
    return finish(pre[n] + (pre[b] - pre[e]) * pow[n - e]);
  }
};

std::uint64_t hash_without(std::string_view s, std::size_t skip_b, std::size_t skip_e) noexcept {
  std::uint64_t h = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i >= skip_b && i < skip_e) continue;
    h = h * kPrime + static_cast<unsigned char>(s[i]) + 1;
  }
  return finish(h);
}

std::uint64_t hash_of(std::string_view s) noexcept { return hash_without(s, 0, 0); }

// Byte offsets of the code points of s (at most kMaxTypoWord + 1 of them), plus s.size().
// Returns the number of code points, or kMaxTypoWord + 1 when there are more.
std::size_t code_points(std::string_view s, std::array<std::uint16_t, kMaxTypoWord + 2>& at) noexcept {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size() && n <= kMaxTypoWord; ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) at[n++] = static_cast<std::uint16_t>(i);
  }
  if (n > kMaxTypoWord) return kMaxTypoWord + 1;
  at[n] = static_cast<std::uint16_t>(s.size());
  return n;
}

std::uint64_t mix(std::uint64_t h) noexcept { return (h ^ (h >> 31)) * 0x9e3779b97f4a7c15ull; }

bool continuation(char c) noexcept { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The number of code points of s, as code_points() counts them (the bytes that are not UTF-8
// continuation bytes), eight bytes at a time.
std::size_t count_points(std::string_view s) noexcept {
  constexpr std::uint64_t kHigh = 0x8080808080808080ull;
  std::size_t cont = 0, i = 0;
  if constexpr (std::endian::native == std::endian::little)
    for (; i + 8 <= s.size(); i += 8) {
      std::uint64_t x;
      std::memcpy(&x, s.data() + i, 8);
      cont += static_cast<std::size_t>(std::popcount(x & ~(x << 1) & kHigh));  // bit 7 set, bit 6 clear
    }
  for (; i < s.size(); ++i) cont += continuation(s[i]);
  return s.size() - cont;
}

// The first k code points of s, and the last k (all of s when it has fewer).
std::string_view head(std::string_view s, std::size_t k) noexcept {
  std::size_t i = 0;
  for (std::size_t seen = 0; i < s.size(); ++i)
    if (!continuation(s[i]) && seen++ == k) break;
  return s.substr(0, i);
}
std::string_view tail(std::string_view s, std::size_t k) noexcept {
  std::size_t i = s.size();
  for (std::size_t seen = 0; i > 0 && seen < k;)
    if (!continuation(s[--i])) ++seen;
  return s.substr(i);
}

// The ends tested for a word of m code points: the first (m - 1) / 2 and the last m - 1 - (m - 1) / 2.
// One edit leaves a common prefix P and suffix S with P + S >= m - 2 (a substitution, deletion or
// insertion at p keeps p code points before it and m - 1 - p or more after it; a swap at p, p + 1
// keeps p and m - 2 - p), so P and S cannot both fall short of two lengths that add up to m - 1.
std::size_t head_points(std::size_t m) noexcept { return (m - 1) / 2; }
std::size_t tail_points(std::size_t m) noexcept { return m - 1 - head_points(m); }

std::uint64_t end_hash(std::string_view bytes, std::size_t m, bool at_tail) noexcept {
  std::uint64_t h = (m << 1 | static_cast<std::uint64_t>(at_tail)) * 0x9e3779b97f4a7c15ull;
  for (const char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * kPrime;
  return mix(h);
}

}  // namespace

bool TypoIndex::within_one_edit(std::string_view a, std::string_view b) noexcept {
  std::array<std::uint16_t, kMaxTypoWord + 2> pa{}, pb{};
  const std::size_t na = code_points(a, pa), nb = code_points(b, pb);
  if (na > kMaxTypoWord || nb > kMaxTypoWord) return false;
  if (na > nb + 1 || nb > na + 1) return false;
  auto cp = [](std::string_view s, const std::array<std::uint16_t, kMaxTypoWord + 2>& p, std::size_t i) {
    return s.substr(p[i], p[i + 1] - p[i]);
  };
  // Common prefix and suffix, then what is left must be one edit.
  std::size_t pre = 0;
  while (pre < na && pre < nb && cp(a, pa, pre) == cp(b, pb, pre)) ++pre;
  std::size_t suf = 0;
  while (suf < na - pre && suf < nb - pre && cp(a, pa, na - 1 - suf) == cp(b, pb, nb - 1 - suf)) ++suf;
  const std::size_t ra = na - pre - suf, rb = nb - pre - suf;
  if (ra <= 1 && rb <= 1) return true;  // equal, one substitution, one insertion or deletion
  // Two adjacent code points swapped.
  return ra == 2 && rb == 2 && cp(a, pa, pre) == cp(b, pb, pre + 1) && cp(a, pa, pre + 1) == cp(b, pb, pre);
}

void TypoIndex::insert(std::uint64_t hash, std::uint32_t term) {
  for (std::uint64_t i = mix(hash) & mask_;; i = (i + 1) & mask_) {
    Slot& s = table_[i];
    if (s.term == kEmptySlot) {
      s = {hash, term};
      return;
    }
    if (s.hash == hash && s.term == term) return;  // the same variant twice ("aab" minus either a)
  }
}

void TypoIndex::build(std::vector<TypoTerm> terms, const std::vector<std::string>& known) {
  terms_.clear();
  for (TypoTerm& t : terms) {
    std::array<std::uint16_t, kMaxTypoWord + 2> at{};
    const std::size_t n = code_points(t.normalized, at);
    if (t.normalized.empty() || t.normalized.find(' ') != std::string::npos || n > kMaxTypoWord ||
        n < std::max<std::uint32_t>(t.min_length, 2))
      continue;
    terms_.push_back(std::move(t));
  }
  std::size_t variants = 0;
  min_bytes_ = min_points_ = SIZE_MAX;
  max_bytes_ = max_points_ = 0;
  for (const TypoTerm& t : terms_) {
    std::array<std::uint16_t, kMaxTypoWord + 2> at{};
    const std::size_t n = code_points(t.normalized, at);
    variants += t.normalized.size() + 1;
    min_bytes_ = std::min(min_bytes_, t.normalized.size());
    max_bytes_ = std::max(max_bytes_, t.normalized.size());
    // A term tolerates a typo only from its min_length: shorter words are never read as it.
    min_points_ = std::min<std::size_t>(min_points_, std::max<std::size_t>(n, t.min_length));
    max_points_ = std::max(max_points_, n);
  }
  // A word at one edit is at most one code point (4 bytes) shorter or longer.
  min_bytes_ = min_bytes_ > 4 ? min_bytes_ - 4 : 1;
  max_bytes_ += 4;
  min_points_ = min_points_ > 1 ? min_points_ - 1 : 1;
  max_points_ += 1;
  min_bytes_ = std::max(min_bytes_, min_points_);  // a code point takes a byte at least
  std::size_t size = 16;
  while (size < variants * 2) size <<= 1;
  table_.assign(terms_.empty() ? 0 : size, Slot{0, kEmptySlot});
  mask_ = size - 1;
  // The filter: about 16 bits per variant, at least 4 KiB, at most 64 KiB (one bit per class).
  std::size_t bits = 1u << 15;
  while (bits < variants * 16 && bits < (std::size_t{1} << 19)) bits <<= 1;
  filter_.assign(terms_.empty() ? 0 : bits / 64, 0);
  filter_mask_ = bits - 1;
  auto remember = [&](std::uint64_t h, std::uint32_t id) {
    insert(h, id);
    const std::uint64_t bit = (h >> 7) & filter_mask_;
    filter_[bit >> 6] |= std::uint64_t{1} << (bit & 63);
  };
  // The ends: for each length m a word at one edit may have, the first and last code points it
  // must share with the term when it shares one of them (about 16 bits per entry, as above).
  bits = 1u << 15;
  while (bits < terms_.size() * 6 * 16 && bits < (std::size_t{1} << 19)) bits <<= 1;
  ends_.assign(terms_.empty() ? 0 : bits / 64, 0);
  ends_mask_ = bits - 1;
  for (std::uint32_t id = 0; id < terms_.size(); ++id) {
    const std::string_view w = terms_[id].normalized;
    std::array<std::uint16_t, kMaxTypoWord + 2> at{};
    const std::size_t n = code_points(w, at);
    remember(hash_of(w), id);
    for (std::size_t i = 0; i < n; ++i) remember(hash_without(w, at[i], at[i + 1]), id);
    for (std::size_t m = n - 1; m <= n + 1; ++m) {  // n >= 2
      add_end(end_hash(head(w, head_points(m)), m, false));
      add_end(end_hash(tail(w, tail_points(m)), m, true));
    }
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
  for (const Lexicon& lex : model.lexicons) any = any || lex.typos > 0;
  if (any) {
    for (std::uint32_t li = 0; li < model.lexicons.size(); ++li) {
      const Lexicon& lex = model.lexicons[li];
      for (const TermSpec& t : lex.terms) {
        if (t.prefix) continue;
        std::string norm = normalize_term(t.text);
        if (norm.empty()) continue;
        if (lex.typos > 0) {
          std::uint16_t lang = kNoLanguage;
          for (std::size_t i = 0; i < model.languages.size(); ++i)
            if (model.languages[i] == t.lang) lang = static_cast<std::uint16_t>(i);
          terms.push_back({norm, li, lang, static_cast<std::uint32_t>(lex.min_length)});
        }
        known.push_back(std::move(norm));
      }
    }
  }
  build(std::move(terms), known);
}

void TypoIndex::add_end(std::uint64_t hash) noexcept {
  const std::uint64_t bit = (hash >> 11) & ends_mask_;
  ends_[bit >> 6] |= std::uint64_t{1} << (bit & 63);
}

bool TypoIndex::ends_may_match(std::string_view w, std::size_t m) const noexcept {
  const auto has = [&](std::uint64_t hash) {
    const std::uint64_t bit = (hash >> 11) & ends_mask_;
    return (ends_[bit >> 6] >> (bit & 63)) & 1u;
  };
  return has(end_hash(head(w, head_points(m)), m, false)) || has(end_hash(tail(w, tail_points(m)), m, true));
}

bool TypoIndex::known(std::string_view word) const noexcept {
  return std::binary_search(known_.begin(), known_.end(), hash_of(word));
}

template <bool kFiltered>
void TypoIndex::check_word(const NormalizedText& text, std::uint32_t b, std::uint32_t e, std::vector<Hit>& hits) const noexcept {
  const std::string_view w = std::string_view(text.text).substr(b, e - b);
  if (w.size() < min_bytes_ || w.size() > max_bytes_ || w.size() > kMaxWordBytes) return;
  const std::size_t m = count_points(w);
  if (m > kMaxTypoWord || m < 2 || m < min_points_ || m > max_points_) return;
  if constexpr (kFiltered)
    if (!ends_may_match(w, m)) return;
  std::array<std::uint16_t, kMaxTypoWord + 2> at;  // code_points() writes what is read
  const std::size_t n = code_points(w, at);
  const std::size_t first_new = hits.size();
  // Whether the word is itself a term (never a typo) is asked at its first candidate only: most
  // words have none, and the binary search would cost more than their probes.
  enum : std::uint8_t { kUnasked, kNotKnown, kKnown } is_known = kUnasked;
  auto probe = [&](std::uint64_t h) {
    if (is_known == kKnown || !maybe(h)) return;
    for (std::uint64_t i = mix(h) & mask_;; i = (i + 1) & mask_) {
      const Slot& s = table_[i];
      if (s.term == kEmptySlot) return;
      if (s.hash != h) continue;
      const TypoTerm& t = terms_[s.term];
      if (t.normalized == w || !within_one_edit(w, t.normalized)) continue;
      if (is_known == kUnasked) is_known = known(w) ? kKnown : kNotKnown;
      if (is_known == kKnown) return;
      bool dup = false;
      for (std::size_t k = first_new; k < hits.size() && !dup; ++k) dup = hits[k].lexicon == t.lexicon;
      if (dup || hits.size() >= kMaxHitsPerCall) continue;
      Hit hit;
      hit.lexicon = t.lexicon;
      hit.begin = b;
      hit.end = e;
      hit.tok_begin = hit.tok_end = text.token[b];
      hit.lang = t.lang;
      try {
        hits.push_back(hit);
      } catch (...) {  // out of memory: the hit is dropped
        return;
      }
    }
  };
  const Prefixes px(w);
  probe(px.without(0, 0));
  for (std::size_t i = 0; i < n; ++i) probe(px.without(at[i], at[i + 1]));
}

template <bool kFiltered>
void TypoIndex::scan_words(const NormalizedText& text, std::vector<Hit>& hits) const {
  if (terms_.empty() || text.text.empty()) return;
  const std::string_view s = text.text;
  std::size_t tb = 0;
  while (tb < s.size()) {
    std::size_t te = s.find(' ', tb);
    if (te == std::string_view::npos) te = s.size();
    const auto b = static_cast<std::uint32_t>(tb), e = static_cast<std::uint32_t>(te);
    tb = te + 1;
    if (e - b < min_bytes_) continue;  // neither the token nor a part of it is long enough
    // The whole token, the parts after an attached particle, and the part before a suffix boundary
    // (each shorter than the token).
    check_word<kFiltered>(text, b, e, hits);
    if (e - b == min_bytes_) continue;
    for (std::uint32_t p = b + 1; p < e; ++p) {
      if (text.bounds[p] & NormalizedText::kStart) check_word<kFiltered>(text, p, e, hits);
      if (text.bounds[p] & NormalizedText::kEnd) check_word<kFiltered>(text, b, p, hits);
    }
  }
}

void TypoIndex::scan(const NormalizedText& text, std::vector<Hit>& hits) const { scan_words<true>(text, hits); }

void TypoIndex::scan_unfiltered(const NormalizedText& text, std::vector<Hit>& hits) const {
  scan_words<false>(text, hits);
}

}  // namespace signpost::detail
