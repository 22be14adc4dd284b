// normalize/pass_ascii.cpp: the ASCII fast paths (see pass.hpp). Words of ASCII letters that are new
// tokens are read and written eight bytes at a time, whatever their length: lower case and 'l' as
// 'i' with SWAR, a letter equal to the one before it (which collapses into it) found with a bit
// test and only then written byte by byte. Same output as gathering records and calling word(),
// which tests/unit/test_normalize_equivalence.cpp checks on random text.
#include <bit>

#include "normalize/pass.hpp"

namespace signpost::detail::norm {

namespace {

// The low n (1..8) bytes of a 64-bit word.
inline std::uint64_t mask8(std::size_t n) noexcept { return ~std::uint64_t{0} >> (64 - 8 * n); }

}  // namespace

// The n (1..8) bytes at p, zero-extended, read without touching a byte outside the input: one
// load when eight bytes are left, else one load that ends at the input's end, shifted.
SIGNPOST_NORM_INLINE std::uint64_t Pass::load_upto8(const unsigned char* p, std::size_t n) const noexcept {
  if (p + 8 <= in_end_) return load8(p) & mask8(n);
  const auto left = static_cast<std::size_t>(in_end_ - p);  // 1..7, and n <= left
  if (in_end_ - in_ >= 8) return (load8(in_end_ - 8) >> (8 * (8 - left))) & mask8(n);
  std::uint64_t x = 0;
  for (std::size_t q = 0; q < n; ++q) x |= std::uint64_t{p[q]} << (8 * q);
  return x;
}

// The number of ASCII letters from p on, counted eight at a time; stops counting at `limit` or
// more (the caller then leaves the word to the general path).
SIGNPOST_NORM_INLINE std::size_t Pass::letters_at(const unsigned char* p, std::size_t limit) const noexcept {
  std::size_t n = 0;
  for (;;) {
    const std::size_t left = static_cast<std::size_t>(in_end_ - (p + n));
    if (left == 0) return n;
    const std::uint64_t x = load_upto8(p + n, left < 8 ? left : 8);  // zeros past the end: not letters
    const std::uint64_t other = ~letters8(x) & kHigh8;
    if (other) return n + static_cast<std::size_t>(std::countr_zero(other)) / 8;
    n += 8;
    if (n >= limit) return n;
  }
}

// Appends the mapped digits x (n <= 8 bytes, from input bytes [i, i + n)) to the open token. Room
// for 9 + n bytes is reserved by the caller: eight bytes and entries are written whatever n, the
// ones past n are overwritten by what comes next or cut by finish().
SIGNPOST_NORM_INLINE void Pass::put8(std::uint64_t x, std::size_t i, std::size_t n, std::uint8_t last_key) {
  const std::size_t o = w_.n;
  std::memcpy(w_.t + o, &x, 8);
  put8_offsets(w_, o, static_cast<std::uint32_t>(i));
  std::memset(w_.bd + o + 1, 0, 8);
  w_.bd[o + n] = kE;
  w_.n = o + n;
  w_.last_pos = o + n - 1;
  w_.last_len = 1;
  w_.last_key = last_key;
  w_.last_end = std::max(w_.last_end, static_cast<std::uint32_t>(i + n));
}

// Writes the ASCII letters s[k, k + n) (n >= 1) into the token just opened (its last letter
// none): lower case, 'l' written 'i', a letter equal to the one before it (the same letter, an 'i'
// for an 'i' or one for an 'l') folded into it, its source range stretched over the repeat, as
// word() does. Room for n + 9 bytes past the cursor is reserved by the caller. A word of at most
// eight letters without a repeat (most words) is mapped in one 64-bit word and written with one
// store per array; longer words and words with a repeat go to put_letters_long().
SIGNPOST_NORM_INLINE void Pass::put_letters(W& w, const unsigned char* s, std::size_t k, std::size_t n) {
  if (n <= 8) {
    const std::uint64_t valid = mask8(n);
    const std::uint64_t x = load_upto8(s + k, n) | (0x20 * kOnes8 & valid);  // letters: lower case
    if (!(zeros8(x ^ (x << 8)) & valid)) {  // no byte equal to the one before (byte 0 is not zero)
      const std::uint64_t ells = zeros8(x ^ ('l' * kOnes8)) & valid;
      const std::uint64_t y = x - (ells >> 7) * ('l' - 'i');
      const std::size_t o = w.n;
      std::memcpy(w.t + o, &y, 8);
      put8_offsets(w, o, static_cast<std::uint32_t>(k));
      std::memset(w.bd + o + 1, 0, 8);
      w.bd[o + n] = kE;
      w.n = o + n;
      w.last_pos = o + n - 1;
      w.last_len = 1;
      w.last_key = kAsciiTab.key[s[k + n - 1]];
      w.last_end = std::max(w.last_end, static_cast<std::uint32_t>(k + n));
      return;
    }
  }
  put_letters_long(w, s, k, n);
}

// put_letters() for words of more than eight letters or with a repeat: eight input bytes at a
// time, each chunk without a repeat written with one store per array, the others byte by byte.
void Pass::put_letters_long(W& w, const unsigned char* s, std::size_t k, std::size_t n) {
  std::size_t o = w.n, lp = w.last_pos;
  std::uint64_t prev = 0;  // the last byte of the previous chunk, lower case, 'l' kept
  for (std::size_t c = 0; c < n; c += 8) {
    const std::size_t cn = n - c < 8 ? n - c : 8;
    const std::uint64_t valid = mask8(cn);
    const std::uint64_t x = load_upto8(s + k + c, cn) | (0x20 * kOnes8 & valid);  // letters: lower case
    const std::uint64_t dup = zeros8(x ^ (x << 8 | prev)) & valid;  // byte q equal to byte q - 1
    prev = (x >> (8 * (cn - 1))) & 0xFF;
    const std::uint64_t ells = zeros8(x ^ ('l' * kOnes8)) & valid;
    const std::uint64_t y = x - (ells >> 7) * ('l' - 'i');
    const auto b = static_cast<std::uint32_t>(k + c);
    if (!dup) {
      std::memcpy(w.t + o, &y, 8);
      put8_offsets(w, o, b);
      std::memset(w.bd + o + 1, 0, 8);
      lp = o + cn - 1;
      o += cn;
      continue;
    }
    if (!(dup & (dup - 1))) {  // one repeat (will, see, committee): the chunk without it
      const auto q0 = static_cast<std::uint32_t>(std::countr_zero(dup)) / 8;
      const std::uint64_t keep = q0 == 0 ? 0 : mask8(q0);
      const std::uint64_t z = (y & keep) | ((y >> 8) & ~keep);
      std::memcpy(w.t + o, &z, 8);
      put8_offsets_skip(w, o, b, q0);
      std::memset(w.bd + o + 1, 0, 8);
      lp = o + cn - 2;
      o += cn - 1;
      continue;
    }
    for (std::size_t q = 0; q < cn; ++q) {
      if ((dup >> (8 * q + 7)) & 1) {
        w.en[lp] = b + static_cast<std::uint32_t>(q) + 1;  // boooat: the kept 'o' covers the run
        continue;
      }
      w.t[o] = static_cast<char>(y >> (8 * q));
      w.bg[o] = b + static_cast<std::uint32_t>(q);
      w.en[o] = b + static_cast<std::uint32_t>(q) + 1;
      w.tk[o] = w.tok;
      w.bd[o + 1] = 0;
      lp = o++;
    }
  }
  w.bd[o] = kE;
  w.n = o;
  w.last_pos = lp;
  w.last_len = 1;
  w.last_key = kAsciiTab.key[s[k + n - 1]];
  w.last_end = std::max(w.last_end, static_cast<std::uint32_t>(k + n));
}

// The fast path: input bytes [i, j) are ASCII letters only or digits only, and the word ends
// there. Same result as gathering records and calling word().
void Pass::ascii_word(const unsigned char* s, std::size_t i, std::size_t j, bool digits) {
  const auto n = static_cast<std::uint32_t>(j - i);
  const Props pr{digits ? 0 : n, digits ? 0 : n, digits ? n : 0, false};
  bool spaced;
  const Join jn = decide(pr, n, spaced);
  reserve(n + 18);  // the lanes write eight bytes at a time
  std::size_t k = i;
  if (jn == kNew) {
    open_token(w_, static_cast<std::uint32_t>(i));
  } else if (jn == kGroup || jn == kContinue) {
    w_.bd[w_.n] &= static_cast<std::uint8_t>(~kE);
  } else {  // the first letter of a joined piece starts a word there; a joined letter does not
    if (jn == kLetterwise) w_.bd[w_.n] &= static_cast<std::uint8_t>(~kE);
    put(w_, &kAsciiTab.map[s[k]], 1, kAsciiTab.key[s[k]], static_cast<std::uint32_t>(k),
        static_cast<std::uint32_t>(k + 1), jn == kPiecewise, jn != kPiecewise);
    ++k;
  }
  if (jn == kNew && fast_ && std::endian::native == std::endian::little) {
    if (!digits) {
      put_letters(w_, s, i, n);
      remember(jn, pr, n, spaced);
      return;
    }
    if (n <= 8) {  // digits never collapse: mapped to themselves, written in one store
      put8(load_upto8(s + i, n), i, n, kKeyNone);
      remember(jn, pr, n, spaced);
      return;
    }
  }
  // The loop keeps everything in locals: the byte stores could otherwise alias the cursor.
  const bool letter = !digits;
  char* const t = w_.t;
  std::uint32_t* const bg = w_.bg;
  std::uint32_t* const en = w_.en;
  std::uint32_t* const tk = w_.tk;
  std::uint8_t* const bd = w_.bd;
  const std::uint32_t tok = w_.tok;
  const std::size_t o0 = w_.n;
  std::size_t o = o0, lp = w_.last_pos;
  // The last letter as (byte | Key << 8), or -1; a digit is never equal to it.
  constexpr int kWildI = 'i' | kKeyWild << 8;
  int lastc = w_.last_key != kKeyNone && w_.last_len == 1 ? static_cast<unsigned char>(t[lp]) | w_.last_key << 8 : -1;
  for (; k < j; ++k) {
    const char c = kAsciiTab.map[s[k]];
    const auto b = static_cast<std::uint32_t>(k);
    const int cur = letter ? static_cast<unsigned char>(c) | kAsciiTab.key[s[k]] << 8 : -2;
    if (cur == lastc || (lastc == kWildI && c == 'i' && letter && kAsciiTab.key[s[k]] != kKeyFromL)) {
      en[lp] = b + 1;  // boooat: the kept 'o' covers the run
      lastc = cur;
      continue;
    }
    t[o] = c;
    bg[o] = b;
    en[o] = b + 1;
    tk[o] = tok;
    bd[o + 1] = 0;
    lp = o;
    lastc = letter ? cur : -1;
    ++o;
  }
  if (o != o0) {
    w_.last_pos = lp;
    w_.last_len = 1;
    w_.n = o;
  }
  if (lastc >= 0) w_.last_key = static_cast<std::uint8_t>(lastc >> 8);
  else if (o != o0) w_.last_key = kKeyNone;
  w_.last_end = std::max(w_.last_end, static_cast<std::uint32_t>(j));
  bd[o] |= kE;
  remember(jn, pr, n, spaced);
}

namespace {

// ASCII bytes that end a word of the lane and may stand between two of its tokens: punctuation,
// symbols, controls (kSep) and white space (kSpace); not letters, digits, leet symbols or '+'.
// NUL is one: a zero read past the input's end also ends a word.
struct GapTable {
  bool v[256];
};
constexpr GapTable make_gap() {
  GapTable g{};
  for (int c = 0; c < 128; ++c) {
    const std::uint8_t k = kAsciiTab.kind[c];
    g.v[c] = k > kAsciiDigit && (k >> 4 == norm::kSep || k >> 4 == norm::kSpace);
  }
  return g;
}
inline constexpr GapTable kGap = make_gap();

}  // namespace

// The lane for the commonest text, after a token: while the input goes on with a run of ASCII
// punctuation or white space and a word of 2 to kRunMax ASCII letters that ends at punctuation,
// white space or the end of the input, each such word is a new token and is written here
// directly, with the state remember() would leave. The one gap after which a word of two letters
// or more is not a new token is a single . - or _ after such a word (a join by pieces:
// docs/normalization.md), which the lane leaves to word(). A word of at most seven letters without
// a repeat is written with the cursor in registers (one store per array for the word, five for
// the space before it); others go through put_letters(). Returns where it stopped (at the gap it
// did not take, or where the input goes on otherwise).
std::size_t Pass::ascii_lane(const unsigned char* s, std::size_t i, std::size_t m) {
  if constexpr (std::endian::native != std::endian::little) {
    return i;
  } else {
    W w = w_;
    std::uint32_t tok = tokens_;
    std::size_t words = 0, last_n = 0, last_start = 0;
    while (i < m) {
      std::size_t k = i;
      while (k < m && kGap.v[s[k]]) ++k;
      if (k == i || k + 2 > m) break;
      if (k == i + 1 && (s[i] == '.' || s[i] == '-' || s[i] == '_')) break;  // pieces join: word() decides
      const std::uint64_t x = k + 8 <= m ? load8(s + k) : load_upto8(s + k, m - k);
      const std::uint64_t other = ~letters8(x) & kHigh8;
      std::size_t n = other ? static_cast<std::size_t>(std::countr_zero(other)) / 8 : 8;
      if (n < 2) break;
      const std::uint64_t valid = mask8(n);
      const std::uint64_t xl = (x | 0x20 * kOnes8) & valid;  // letters: lower case
      if (other && kGap.v[(x >> (8 * n)) & 0xFF] && !(zeros8(xl ^ (xl << 8)) & valid) &&
          w.n + n + 19 <= cap_) {
        // Up to seven letters, no repeat: the space, then the word, from locals.
        const std::uint64_t y = xl - ((zeros8(xl ^ ('l' * kOnes8)) & valid) >> 7) * ('l' - 'i');
        const std::size_t o = w.n;
        w.t[o] = ' ';
        w.bg[o] = w.last_end;
        w.en[o] = static_cast<std::uint32_t>(k);  // the space: the gap [last_end, k)
        w.tk[o] = tok;
        w.tok = tok++;
        std::memcpy(w.t + o + 1, &y, 8);
        put8_offsets(w, o + 1, static_cast<std::uint32_t>(k));
        const std::uint64_t starts = kS;
        std::memcpy(w.bd + o + 1, &starts, 8);
        w.bd[o + 1 + n] = kE;
        last_start = o + 1;
        w.n = o + 1 + n;
        w.last_pos = o + n;
        w.last_end = static_cast<std::uint32_t>(k + n);
      } else {
        // Eight letters or more, or a repeat: the general writer, the state handed over and back.
        if (!other) n = letters_at(s + k, kRunMax);
        if (n > kRunMax || (k + n < m && !kGap.v[s[k + n]])) break;
        if (w.n + n + 19 > cap_) {
          w_ = w;
          reserve(n + 18);
          w = w_;
        }
        tokens_ = tok;
        open_token(w, static_cast<std::uint32_t>(k));
        tok = tokens_;
        last_start = w.n;
        put_letters(w, s, k, n);
      }
      ++words;
      last_n = n;
      i = k + n;
    }
    if (words == 0) return i;
    w.last_len = 1;
    w.last_key = kAsciiTab.key[s[w.last_end - 1]];
    w_ = w;
    tokens_ = tok;
    cur_start_ = last_start;
    // What add_sep(), decide() (kNew) and remember(kNew) leave for a word of n >= 2 letters.
    prev_ = kPrevWord;
    prev_letters_ = static_cast<std::uint32_t>(last_n);
    prev_all_letters_ = true;
    prev_letterwise_ = prev_groupable_ = false;
    sp_count_ = 0;
    sp_joined_ = false;
    sep_n_ = 0;
    cont_ = false;
    return i;
  }
}

}  // namespace signpost::detail::norm
