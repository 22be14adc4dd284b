// normalize/pass_read.cpp: reading the input: UTF-8, one table lookup per code point, whole ASCII
// words at a time, and the dispatch of every other class (see pass.hpp).
#include "normalize/pass.hpp"

#include <bit>

namespace signpost::detail::norm {

void Pass::run(const unsigned char* s, std::size_t m) {
  in_end_ = s + m;
  std::size_t i = 0;
  while (i < m) {
    const unsigned char b0 = s[i];
    if (b0 < 0x80) {
      // ASCII: letters and digits go straight into the word being gathered.
      const std::uint8_t a = kAsciiTab.kind[b0];
      if (a <= kAsciiDigit && run_n_ == 0) {
        // A whole word of ASCII letters, or of digits, that ends at a plain separator (looked
        // for within kRunMax bytes, so that a huge word is not scanned again and again).
        const std::size_t stop = std::min(m, i + kRunMax + 1);
        std::size_t j = i + 1;
        std::uint8_t kinds = static_cast<std::uint8_t>(1u << a);
        // Eight bytes at a time while they are all letters or digits, then byte by byte.
        while (j + 8 <= stop) {
          const std::uint64_t x = load8(s + j);
          const std::uint64_t l = letters8(x), d = digits8(x);
          const std::uint64_t other = ~(l | d) & kHigh8;
          const std::uint64_t before = other ? (other & (0 - other)) - 1 : ~std::uint64_t{0};
          kinds |= static_cast<std::uint8_t>((l & before ? 1u : 0u) | (d & before ? 2u : 0u));
          if (other) {
            j += static_cast<std::size_t>(std::countr_zero(other)) / 8;
            break;
          }
          j += 8;
        }
        while (j < stop && s[j] < 0x80) {
          const std::uint8_t b = kAsciiTab.kind[s[j]];
          if (b > kAsciiDigit) break;
          kinds |= static_cast<std::uint8_t>(1u << b);
          ++j;
        }
        const bool clean_end = j == m || (s[j] < 0x80 && (kAsciiTab.kind[s[j]] >> 4 == norm::kSep ||
                                                          kAsciiTab.kind[s[j]] >> 4 == norm::kSpace));
        if (clean_end && kinds != 3 && j - i <= kRunMax) {
          zwj_ = last_emoji_ = ri_open_ = false;
          ascii_word(s, i, j, kinds == 2);
          i = j;
          if (fast_ && i < m && s[i] == ' ') i = ascii_lane(s, i, m);
          continue;
        }
        if (fast_ && j < m && s[j] >= 0x80 && kinds == 1) {  // letters, then another script
          const std::size_t e = word_lane(s, i, m);
          if (e != i) {
            i = e;
            continue;
          }
        }
      }
      if (a <= kAsciiDigit) {
        if (run_n_ == kRunMax) finish_run(true);
        std::uint8_t flags = kFirstOfSrc | (kAsciiTab.key[b0] == kKeyFromL ? kFromL : 0);
        if (edge_) {
          if (a == kAsciiLetter) flags |= kEdgeBefore;
          edge_ = false;
        }
        run_[run_n_++] = Rec{&kAsciiTab.map[b0], static_cast<std::uint32_t>(i), 1, 1,
                             a == kAsciiDigit ? kDigit : kLetter, flags};
        run_other_ += a;
        run_letters_ += 1 - a;
        zwj_ = last_emoji_ = ri_open_ = false;
        ++i;
        continue;
      }
      const char32_t canon = static_cast<unsigned char>(kAsciiTab.map[b0]);
      if (a >> 4 == norm::kSpace || a >> 4 == norm::kSep) {
        if (run_n_) finish_run(false);
        add_sep(canon);
        zwj_ = last_emoji_ = ri_open_ = false;
        ++i;
        continue;
      }
      dispatch(static_cast<Cls>(a >> 4), &kAsciiTab.map[b0], 1, canon, static_cast<std::uint32_t>(i), 1);
      ++i;
      continue;
    }
    if (fast_ && run_n_ == 0) {
      const std::size_t e = word_lane(s, i, m);
      if (e != i) {
        i = e;
        continue;
      }
    }
    char32_t c;
    const std::size_t len = decode(s + i, m - i, c);
    const auto sb = static_cast<std::uint32_t>(i);
    i += len;
    if (c == kBad) {
      dispatch(norm::kSep, nullptr, 0, 0xFFFD, sb, len);
    } else if (c < Tables::kSize) {
      const Cls k = tab_.cls_of(c);
      if (k == norm::kWord) {  // letters of other scripts: the common case after ASCII
        const std::string_view v = tab_.bytes(c);
        add_word_cp(v.data(), v.size(), sb, len, tab_.from_l(c));
        zwj_ = last_emoji_ = ri_open_ = false;
        continue;
      }
      if (k == norm::kIgnore) {
        if (c == 0x200C && run_n_ > 0) edge_ = true;  // ZWNJ: the word goes on, a word may end here
        continue;
      }
      if (k == norm::kSep || k == norm::kSpace) {
        dispatch(k, nullptr, 0, tab_.sep(c), sb, len);
      } else {
        const std::string_view v = tab_.bytes(c);
        dispatch(k, v.data(), v.size(), 0, sb, len);
      }
    } else {
      dispatch(norm::classify_high(c), reinterpret_cast<const char*>(s + sb), len, 0xFFFD, sb, len);
    }
  }
  finish_run(false);
}

// Handles one code point of class k: p/n are its mapped bytes, canon its separator form.
void Pass::dispatch(Cls k, const char* p, std::size_t n, char32_t canon, std::uint32_t sb, std::size_t srclen) {
  if (k == norm::kIgnore) return;
  if (k == norm::kZwj) {
    zwj_ = last_emoji_;
    return;
  }
  const auto se = static_cast<std::uint32_t>(sb + srclen);
  const bool glue = zwj_ && last_emoji_;
  const bool ri_open = ri_open_;
  zwj_ = false;
  last_emoji_ = false;
  ri_open_ = false;
  const auto sl = static_cast<std::uint8_t>(srclen);
  switch (k) {
    case norm::kWord:
      add_word_cp(p, n, sb, srclen, false);
      break;
    case norm::kLeet:
      add_rec(Rec{p, sb, 1, sl, kSym, kFirstOfSrc});
      break;
    case norm::kPlus:
      if (run_n_) {
        finish_run(false);
        add_sep('+');
      } else {
        add_rec(Rec{p, sb, 1, sl, kPlusSign, kFirstOfSrc});
      }
      break;
    case norm::kCurrency:
      finish_run(false);
      symbol(p, n, sb, se);
      break;
    case norm::kEmoji:
      if (glue) {
        absorb(se);  // the rest of a ZWJ sequence belongs to its base emoji
      } else {
        finish_run(false);
        symbol(p, n, sb, se);
      }
      last_emoji_ = true;
      break;
    case norm::kRegional:
      finish_run(false);
      if (ri_open) {
        pair_flag(p, n, sb, se);
      } else {
        symbol(p, n, sb, se);
        ri_open_ = true;
      }
      break;
    default:  // kSep, kSpace, invalid bytes
      finish_run(false);
      add_sep(canon);
      break;
  }
}

// Adds the mapped form (p, n) of one source code point [sb, sb + srclen) to the word.
// `from_l`: its 'i's stand for an l.
SIGNPOST_NORM_INLINE void Pass::add_word_cp(const char* p, std::size_t n, std::uint32_t sb, std::size_t srclen,
                                      bool from_l) {
  const auto sl = static_cast<std::uint8_t>(srclen);
  const std::size_t l0 = utf8_len(static_cast<unsigned char>(p[0]));
  if (l0 == n) {  // one code point
    const bool digit = n == 1 && p[0] >= '0' && p[0] <= '9';
    add_rec(Rec{p, sb, static_cast<std::uint8_t>(n), sl, digit ? kDigit : kLetter,
                static_cast<std::uint8_t>(kFirstOfSrc | (from_l && *p == 'i' ? kFromL : 0))});
    return;
  }
  std::uint8_t flags = kFirstOfSrc;
  for (std::size_t q = 0; q < n;) {
    const std::size_t l = utf8_len(static_cast<unsigned char>(p[q]));
    const bool digit = l == 1 && p[q] >= '0' && p[q] <= '9';
    add_rec(Rec{p + q, sb, static_cast<std::uint8_t>(l), sl, digit ? kDigit : kLetter,
                static_cast<std::uint8_t>(flags | (from_l && p[q] == 'i' ? kFromL : 0))});
    flags = 0;
    q += l;
  }
}

SIGNPOST_NORM_INLINE void Pass::add_rec(Rec r) {
  if (edge_) {
    if (r.kind == kLetter) r.flags |= kEdgeBefore;
    edge_ = false;
  }
  if (run_n_ == kRunMax) finish_run(true);
  run_[run_n_++] = r;
  if (r.kind != kLetter) ++run_other_;
  else if (r.flags & kFirstOfSrc) ++run_letters_;
}

// The fast path: input bytes [i, j) are ASCII letters only or digits only, and the word ends
// there. Same result as gathering records and calling word().
void Pass::ascii_word(const unsigned char* s, std::size_t i, std::size_t j, bool digits) {
  const auto n = static_cast<std::uint32_t>(j - i);
  const Props pr{digits ? 0 : n, digits ? 0 : n, digits ? n : 0, false};
  bool spaced;
  const Join jn = decide(pr, n, spaced);
  reserve(9 + n);  // ascii_word8 writes eight bytes at a time
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
  if (jn == kNew && n <= 8 && fast_ && ascii_word8(s, i, n, digits)) {
    remember(jn, pr, n, spaced);
    return;
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

// The lane for words of letters at a word start (Latin with or without accents, Cyrillic, Greek,
// Arabic, Persian, Vietnamese...): when every character is an ASCII letter, a letter of planes 0
// and 1 that maps to one character, or (after the first letter) an ignored character such as a
// ZWNJ or a soft hyphen, the word has at least 2 and at most kLaneMax letters, ends at
// punctuation, white space or the end of the input, and is a new token, it is written here with
// what word() would write (repeated letters collapsed, word starts after Arabic particles, a word
// edge at a ZWNJ) but without gathering records. Returns i when it does not apply, else where
// the word ends.
std::size_t Pass::word_lane(const unsigned char* s, std::size_t i, std::size_t m) {
  constexpr std::size_t kLaneMax = 32;
  enum : std::uint8_t { kLaneStart = 1, kLaneEdge = 2 };  // a word starts / a ZWNJ stood before
  struct Cp {
    const char* p;
    std::uint32_t b;
    std::uint8_t len, srclen, key, flags;
  };
  Cp cps[kLaneMax];
  std::size_t n = 0, k = i;
  std::uint8_t edge = 0;
  while (k < m) {
    const unsigned char b0 = s[k];
    if (b0 < 0x80) {
      const std::uint8_t a = kAsciiTab.kind[b0];
      if (a == kAsciiLetter) {
        if (n == kLaneMax) return i;
        cps[n++] = Cp{&kAsciiTab.map[b0], static_cast<std::uint32_t>(k), 1, 1, kAsciiTab.key[b0], edge};
        edge = 0;
        ++k;
        continue;
      }
      if (a > kAsciiDigit && (a >> 4 == norm::kSep || a >> 4 == norm::kSpace)) break;
      return i;  // a digit, a leet symbol, '+'
    }
    char32_t c;
    const std::size_t sl = decode(s + k, m - k, c);
    if (c == kBad || c >= Tables::kSize) return i;
    const Cls cls = tab_.cls_of(c);
    if (cls == norm::kIgnore && n > 0) {  // inside the word: skipped, a ZWNJ marks an edge
      if (c == 0x200C) edge = kLaneEdge;
      k += sl;
      continue;
    }
    if (cls != norm::kWord) return i;
    const std::string_view v = tab_.bytes(c);
    if (v.empty() || utf8_len(static_cast<unsigned char>(v[0])) != v.size() || (v[0] >= '0' && v[0] <= '9'))
      return i;  // several characters, or a digit
    if (n == kLaneMax) return i;
    const std::uint8_t key = tab_.from_l(c) && v[0] == 'i' ? kKeyFromL : kKeyPlain;
    cps[n++] = Cp{v.data(), static_cast<std::uint32_t>(k), static_cast<std::uint8_t>(v.size()),
                  static_cast<std::uint8_t>(sl), key, edge};
    edge = 0;
    k += sl;
  }
  if (n < 2) return i;
  const Props pr{static_cast<std::uint32_t>(n), static_cast<std::uint32_t>(n), 0, false};
  bool spaced;
  if (decide(pr, n, spaced) != kNew) return i;  // pure for words of two letters or more
  particle_starts(
      n, [&cps](std::size_t q) { return std::string_view(cps[q].p, cps[q].len); },
      [&cps](std::size_t q) { cps[q].flags |= kLaneStart; });

  reserve(1 + 4 * n);
  open_token(w_, cps[0].b);
  char* const t = w_.t;
  std::uint32_t* const bg = w_.bg;
  std::uint32_t* const en = w_.en;
  std::uint32_t* const tk = w_.tk;
  std::uint8_t* const bd = w_.bd;
  const std::uint32_t tok = w_.tok;
  std::size_t o = w_.n, lp = w_.last_pos, ll = w_.last_len;
  std::uint8_t lkey = w_.last_key;
  std::uint32_t last_end = w_.last_end;
  for (std::size_t q = 0; q < n; ++q) {
    const Cp& r = cps[q];
    const std::uint32_t e = r.b + r.srclen;
    last_end = std::max(last_end, e);
    if (keys_fold(lkey, r.key) && r.len == ll && same_bytes(t + lp, r.p, r.len)) {
      if (lkey == kKeyWild) lkey = r.key;
      if (r.flags) bd[lp] |= kS;
      if (r.flags & kLaneEdge) bd[o] |= kE;
      for (std::size_t x = lp; x < lp + r.len; ++x) en[x] = std::max(en[x], e);
      continue;
    }
    if (r.flags) bd[o] |= (r.flags & kLaneEdge) ? kS | kE : kS;
    for (std::size_t x = 0; x < r.len; ++x) {
      t[o + x] = r.p[x];
      bg[o + x] = r.b;
      en[o + x] = e;
      tk[o + x] = tok;
      bd[o + x + 1] = 0;
    }
    lp = o;
    ll = r.len;
    lkey = r.key;
    o += r.len;
  }
  w_.n = o;
  w_.last_pos = lp;
  w_.last_len = ll;
  w_.last_key = lkey;
  w_.last_end = last_end;
  bd[o] |= kE;
  remember(kNew, pr, n, spaced);
  zwj_ = last_emoji_ = ri_open_ = false;
  return k;
}

}  // namespace signpost::detail::norm

namespace signpost::detail::norm {

// Maps the n (at most 8) ASCII letters or digits in x (little-endian, bytes past n zero): lower
// case, 'l' written 'i'. False when a letter equals the next one (it would collapse).
inline bool map8(std::uint64_t& x, std::size_t n, bool digits) noexcept {
  if (digits) return true;
  const std::uint64_t valid = n == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * n)) - 1;
  x |= 0x20 * kOnes8 & valid;  // lower case
  if (zeros8(x ^ (x >> 8)) & (valid >> 8)) return false;  // bytes 0 .. n-2 equal to the next
  const std::uint64_t ells = zeros8(x ^ ('l' * kOnes8)) & valid;
  x -= (ells >> 7) * ('l' - 'i');
  return true;
}

// Appends the mapped word x (n bytes, from input bytes [i, i + n)) to the open token. Room for
// 9 + n bytes is reserved by the caller: eight bytes and entries are written whatever n, the ones
// past n are overwritten by what comes next or cut by finish().
SIGNPOST_NORM_INLINE void Pass::put8(std::uint64_t x, std::size_t i, std::size_t n, std::uint8_t last_key) {
  const std::size_t o = w_.n;
  std::memcpy(w_.t + o, &x, 8);
  const std::uint32_t tok = w_.tok;
  const auto b = static_cast<std::uint32_t>(i);
  std::uint32_t* const bg = w_.bg + o;
  std::uint32_t* const en = w_.en + o;
  std::uint32_t* const tk = w_.tk + o;
#if defined(__GNUC__)
  // Four lanes at a time (GCC / Clang vector extensions; plain SSE2 or NEON stores).
  using V4 = std::uint32_t __attribute__((vector_size(16)));
  const V4 lo = V4{0, 1, 2, 3} + b, hi = lo + 4, lo1 = lo + 1, hi1 = hi + 1, tk4 = V4{tok, tok, tok, tok};
  std::memcpy(bg, &lo, 16);
  std::memcpy(bg + 4, &hi, 16);
  std::memcpy(en, &lo1, 16);
  std::memcpy(en + 4, &hi1, 16);
  std::memcpy(tk, &tk4, 16);
  std::memcpy(tk + 4, &tk4, 16);
#else
  for (std::uint32_t q = 0; q < 8; ++q) {
    bg[q] = b + q;
    en[q] = b + q + 1;
    tk[q] = tok;
  }
#endif
  std::memset(w_.bd + o + 1, 0, 8);
  w_.bd[o + n] = kE;
  w_.n = o + n;
  w_.last_pos = o + n - 1;
  w_.last_len = 1;
  w_.last_key = last_key;
  w_.last_end = std::max(w_.last_end, static_cast<std::uint32_t>(i + n));
}

// A new token of at most 8 ASCII letters, or digits, in which no letter repeats the one before it
// (nothing to collapse): mapped and written eight bytes at a time. Returns false, having written
// nothing, when the word has a repeated letter. Room for 9 + n bytes is reserved by the caller.
bool Pass::ascii_word8(const unsigned char* s, std::size_t i, std::size_t n, bool digits) {
  if constexpr (std::endian::native != std::endian::little) {
    return false;
  } else {
    std::uint64_t x = 0;
    if (s + i + 8 <= in_end_) {
      x = load8(s + i) & (n == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * n)) - 1);
    } else {
      for (std::size_t k = 0; k < n; ++k) x |= std::uint64_t{s[i + k]} << (8 * k);
    }
    if (!map8(x, n, digits)) return false;
    put8(x, i, n, digits ? std::uint8_t{kKeyNone} : kAsciiTab.key[s[i + n - 1]]);
    return true;
  }
}

// The lane for the commonest text, after a token: while the input goes on with one space and a
// word of 2 to 7 ASCII letters without a repeated letter that ends at punctuation or white space,
// each such word is a new token (no join rule applies to it: docs/normalization.md) and is
// written here directly, with the state remember() would leave. Returns where it stopped (at the
// space it did not take, or where the input goes on otherwise).
std::size_t Pass::ascii_lane(const unsigned char* s, std::size_t i, std::size_t m) {
  if constexpr (std::endian::native != std::endian::little) {
    return i;
  } else {
    while (i + 3 <= m && s[i] == ' ') {
      const std::size_t k = i + 1;
      std::uint64_t x = 0;
      if (k + 8 <= m) {
        x = load8(s + k);
      } else {  // the end of the input: the bytes left, then zeros (not letters)
        for (std::size_t q = 0; q < m - k; ++q) x |= std::uint64_t{s[k + q]} << (8 * q);
      }
      const std::uint64_t not_letter = ~letters8(x) & kHigh8;
      if (!not_letter) break;  // eight letters or more
      const std::size_t n = static_cast<std::size_t>(std::countr_zero(not_letter)) / 8;
      if (n < 2) break;
      if (k + n < m) {
        const std::uint8_t after = kAsciiTab.kind[s[k + n] & 0x7F];
        if (s[k + n] >= 0x80 || after <= kAsciiDigit || (after >> 4 != norm::kSep && after >> 4 != norm::kSpace))
          break;  // digits, leet symbols, '+' or other scripts follow: the general path decides
      }
      x &= (std::uint64_t{1} << (8 * n)) - 1;
      if (!map8(x, n, false)) break;
      reserve(10 + n);
      open_token(w_, static_cast<std::uint32_t>(k));  // the space: the gap [last_end, k)
      put8(x, k, n, kAsciiTab.key[s[k + n - 1]]);
      // What add_sep(' '), decide() (kNew) and remember(kNew) leave for a word of n >= 2 letters.
      prev_ = kPrevWord;
      prev_letters_ = static_cast<std::uint32_t>(n);
      prev_all_letters_ = true;
      prev_letterwise_ = prev_groupable_ = false;
      sp_count_ = 0;
      sp_joined_ = false;
      sep_n_ = 0;
      cont_ = false;
      i = k + n;
    }
    return i;
  }
}

}  // namespace signpost::detail::norm
