#include "match/typo_index.hpp"

#include <algorithm>
#include <array>

namespace signpost::detail {
namespace {

// Hashes are polynomial (Horner over the bytes, modulo 2^64), so that the hash of a word without
// one code point is put together from the hashes of the bytes before and after it in constant
// time: scan() probes every such variant of every word. A collision costs an edit-distance check
// (the candidates are verified), never a wrong answer, except that a word whose hash equals a
// known term's is not read as a typo.
constexpr std::uint64_t kMul = 0x100000001b3ull;
constexpr std::uint64_t kSeed = 0xcbf29ce484222325ull;
constexpr std::size_t kMaxTypoBytes = 4 * (kMaxTypoWord + 1);

struct Powers {
  std::array<std::uint64_t, kMaxTypoBytes + 1> p{};
  constexpr Powers() {
    p[0] = 1;
    for (std::size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * kMul;
  }
};
constexpr Powers kPow{};

// Horner from state h over s[from, to).
std::uint64_t horner(std::uint64_t h, std::string_view s, std::size_t from, std::size_t to) noexcept {
  for (std::size_t i = from; i < to; ++i) h = h * kMul + static_cast<unsigned char>(s[i]);
  return h;
}

std::uint64_t finish(std::uint64_t h) noexcept { return h ^ (h >> 29); }

// The hash of s without the bytes [skip_b, skip_e).
std::uint64_t hash_without(std::string_view s, std::size_t skip_b, std::size_t skip_e) noexcept {
  return finish(horner(horner(kSeed, s, 0, std::min(skip_b, s.size())), s, std::max(skip_b, skip_e), s.size()));
}

std::uint64_t hash_of(std::string_view s) noexcept { return hash_without(s, 0, 0); }

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
  std::size_t variants = 0, min_cps = SIZE_MAX;
  min_bytes_ = SIZE_MAX;
  max_bytes_ = 0;
  for (const TypoTerm& t : terms_) {
    variants += t.normalized.size() + 1;
    min_bytes_ = std::min(min_bytes_, t.normalized.size());
    max_bytes_ = std::max(max_bytes_, t.normalized.size());
    std::array<std::uint16_t, kMaxTypoWord + 2> at;
    min_cps = std::min(min_cps, code_points(t.normalized, at));
  }
  // A word at one edit is at most one code point (4 bytes) shorter or longer, and has at least
  // one code point (one byte) fewer than the term: both bound the words worth probing (the
  // second turns away the short words when every term is long, as with `min_length: 8`).
  min_bytes_ = std::max(min_bytes_ > 4 ? min_bytes_ - 4 : 1, min_cps > 1 ? min_cps - 1 : 1);
  max_bytes_ += 4;
  std::size_t size = 16;
  while (size < variants * 2) size <<= 1;
  table_.assign(terms_.empty() ? 0 : size, Slot{0, kEmptySlot});
  mask_ = size - 1;
  for (std::uint32_t id = 0; id < terms_.size(); ++id) {
    const std::string_view w = terms_[id].normalized;
    std::array<std::uint16_t, kMaxTypoWord + 2> at{};
    const std::size_t n = code_points(w, at);
    insert(hash_of(w), id);
    for (std::size_t i = 0; i < n; ++i) insert(hash_without(w, at[i], at[i + 1]), id);
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

bool TypoIndex::known(std::string_view word) const noexcept {
  return std::binary_search(known_.begin(), known_.end(), hash_of(word));
}

void TypoIndex::check_word(const NormalizedText& text, std::uint32_t b, std::uint32_t e, std::vector<Hit>& hits) const noexcept {
  const std::string_view w = std::string_view(text.text).substr(b, e - b);
  if (w.size() < min_bytes_ || w.size() > max_bytes_) return;
  std::array<std::uint16_t, kMaxTypoWord + 2> at;  // filled up to at[n] by code_points()
  const std::size_t n = code_points(w, at);
  if (n > kMaxTypoWord || n < 2) return;
  const std::size_t first_new = hits.size();
  // Whether the word is itself a term (never a typo) is asked at its first candidate only: most
  // words have none.
  enum : std::uint8_t { kUnasked, kNotKnown, kKnown } is_known = kUnasked;
  auto probe = [&](std::uint64_t h) {
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
  // The word, then the word without each code point in turn: with before = the state over the
  // bytes before the code point and after[k] = the hash of the bytes from k to the end (a seed of
  // 0), the variant is before * mul^(bytes after) + after.
  const std::size_t len = w.size();
  if (len > kMaxTypoBytes) return;
  std::array<std::uint64_t, kMaxTypoBytes + 1> after;
  after[len] = 0;
  for (std::size_t k = len; k-- > 0;) after[k] = static_cast<unsigned char>(w[k]) * kPow.p[len - 1 - k] + after[k + 1];
  probe(finish(kSeed * kPow.p[len] + after[0]));
  std::uint64_t before = kSeed;
  for (std::size_t i = 0; i < n && is_known != kKnown; ++i) {
    const std::size_t e = at[i + 1];
    probe(finish(before * kPow.p[len - e] + after[e]));
    before = horner(before, w, at[i], e);
  }
}

void TypoIndex::scan(const NormalizedText& text, std::vector<Hit>& hits) const {
  if (terms_.empty() || text.text.empty()) return;
  const std::string_view s = text.text;
  std::size_t tb = 0;
  while (tb < s.size()) {
    std::size_t te = s.find(' ', tb);
    if (te == std::string_view::npos) te = s.size();
    const auto b = static_cast<std::uint32_t>(tb), e = static_cast<std::uint32_t>(te);
    // The whole token, the parts after an attached particle, and the part before a suffix boundary.
    check_word(text, b, e, hits);
    for (std::uint32_t p = b + 1; p < e; ++p) {
      if (text.bounds[p] & NormalizedText::kStart) check_word(text, p, e, hits);
      if (text.bounds[p] & NormalizedText::kEnd) check_word(text, b, p, hits);
    }
    tb = te + 1;
  }
}

}  // namespace signpost::detail
