// normalize/pass_read.cpp: reading the input: UTF-8, one table lookup per code point, the word lane
// for words of letters of every script, and the dispatch of every other class (see pass.hpp; the
// ASCII lanes are in pass_ascii.cpp).
#include "normalize/pass.hpp"

#include <bit>
#include <cstddef>

namespace signpost::detail::norm {

static_assert(kKeyPlain == 1 && kKeyFromL == 2, "tables.cpp's lane_entry() writes these keys");

void Pass::run(const unsigned char* s, std::size_t m) {
  in_ = s;
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
        if (fast_ && clean_end && kinds != 3 && j - i <= kRunMax) {
          zwj_ = last_emoji_ = ri_open_ = false;
          ascii_word(s, i, j, kinds == 2);
          i = j;
          if (fast_ && i < m) i = ascii_lane(s, i, m);
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
  struct Cp {  // its first eight bytes are laid out as a Tables::LaneEntry, `flags` for `what`
    std::uint32_t v;  // the mapped character's UTF-8 bytes in memory order, zero-padded
    std::uint8_t len, srclen, key, flags;
    std::uint32_t b;
  };
  static_assert(offsetof(Cp, len) == offsetof(Tables::LaneEntry, len) &&
                offsetof(Cp, srclen) == offsetof(Tables::LaneEntry, srclen) &&
                offsetof(Cp, key) == offsetof(Tables::LaneEntry, key) &&
                offsetof(Cp, flags) == offsetof(Tables::LaneEntry, what) && sizeof(Tables::LaneEntry) == 8);
  Cp cps[kLaneMax];
  std::size_t n = 0, k = i;
  std::uint8_t edge = 0;
  const Tables::LaneEntry* const lane = tab_.lane.get();
  while (k < m) {
    const unsigned char b0 = s[k];
    if (b0 < 0x80) {
      const std::uint8_t a = kAsciiTab.kind[b0];
      if (a == kAsciiLetter) {
        if (n == kLaneMax) return i;
        std::uint32_t v = 0;
        std::memcpy(&v, &kAsciiTab.map[b0], 1);
        cps[n++] = Cp{v, 1, 1, kAsciiTab.key[b0], edge, static_cast<std::uint32_t>(k)};
        edge = 0;
        ++k;
        continue;
      }
      if (a > kAsciiDigit && (a >> 4 == norm::kSep || a >> 4 == norm::kSpace)) break;
      return i;  // a digit, a leet symbol, '+'
    }
    // Two-byte characters and the Vietnamese block: one entry of the lane table (tables.hpp)
    // instead of the decoder and the class and mapping tests below, which decide the same.
    const Tables::LaneEntry* le = nullptr;
    std::size_t sl = 0;
    if (b0 <= 0xDF) {
      if (b0 >= 0xC2 && k + 1 < m && (s[k + 1] & 0xC0) == 0x80) {
        le = lane + ((b0 & 0x1F) << 6 | (s[k + 1] & 0x3F));
        sl = 2;
      }
    } else if (b0 == 0xE1 && k + 2 < m && (s[k + 1] & 0xF8) == 0xB8 && (s[k + 2] & 0xC0) == 0x80) {
      le = lane + Tables::kLaneLow + ((s[k + 1] & 0x07) << 6 | (s[k + 2] & 0x3F));  // U+1E00 + ...
      sl = 3;
    }
    if (le) {
      if (le->what == Tables::kLaneLetter) {
        if (n == kLaneMax) return i;
        Cp& d = cps[n++];
        std::memcpy(&d, le, 8);
        d.flags = edge;
        d.b = static_cast<std::uint32_t>(k);
        edge = 0;
        k += sl;
        continue;
      }
      if (le->what == Tables::kLaneIgnore && n > 0) {  // no ZWNJ among these: no word edge
        k += sl;
        continue;
      }
      return i;
    }
    char32_t c;
    sl = decode(s + k, m - k, c);
    if (c == kBad || c >= Tables::kSize) return i;
    const std::uint8_t cb = tab_.cls[c];  // class, inline length, from_l (tables.hpp)
    const auto cls = static_cast<Cls>(cb & 0x0f);
    if (cls == norm::kIgnore && n > 0) {  // inside the word: skipped, a ZWNJ marks an edge
      if (c == 0x200C) edge = kLaneEdge;
      k += sl;
      continue;
    }
    if (cls != norm::kWord) return i;
    // One mapped code point is at most four bytes, stored inline in data[c] (bytes()); a pooled
    // or empty mapping is several characters or none.
    const std::size_t len = (cb >> 4) & 7;
    const std::uint32_t bytes = tab_.data[c];
    const auto v0 = *reinterpret_cast<const unsigned char*>(&tab_.data[c]);
    if (len == 0 || utf8_len(v0) != len || (v0 >= '0' && v0 <= '9')) return i;  // several characters, or a digit
    if (n == kLaneMax) return i;
    const std::uint8_t key = (cb & 0x80) && v0 == 'i' ? kKeyFromL : kKeyPlain;
    cps[n++] = Cp{bytes, static_cast<std::uint8_t>(len), static_cast<std::uint8_t>(sl), key, edge,
                  static_cast<std::uint32_t>(k)};
    edge = 0;
    k += sl;
  }
  if (n < 2) return i;
  const Props pr{static_cast<std::uint32_t>(n), static_cast<std::uint32_t>(n), 0, false};
  bool spaced;
  if (decide(pr, n, spaced) != kNew) return i;  // pure for words of two letters or more
  particle_starts(
      n, [&cps](std::size_t q) { return std::string_view(reinterpret_cast<const char*>(&cps[q].v), cps[q].len); },
      [&cps](std::size_t q) { cps[q].flags |= kLaneStart; });

  reserve(8 + 4 * n);  // each character is written as four bytes, the next one overwriting the rest
  open_token(w_, cps[0].b);
  char* const t = w_.t;
  std::uint32_t* const bg = w_.bg;
  std::uint32_t* const en = w_.en;
  std::uint32_t* const tk = w_.tk;
  std::uint8_t* const bd = w_.bd;
  const std::uint32_t tok = w_.tok;
  std::size_t o = w_.n, lp = w_.last_pos, ll = w_.last_len;
  // The token is new, so its last letter is none and no key is kKeyWild: a character collapses
  // into the one before it when both have the same bytes and the same key (keys_fold()).
  std::uint8_t lkey = w_.last_key;
  std::uint32_t lastv = 0;
  std::uint32_t last_end = w_.last_end;
  for (std::size_t q = 0; q < n; ++q) {
    const Cp& r = cps[q];
    const std::uint32_t e = r.b + r.srclen;
    last_end = std::max(last_end, e);
    if (r.v == lastv && r.key == lkey) {
      if (r.flags) bd[lp] |= kS;
      if (r.flags & kLaneEdge) bd[o] |= kE;
      for (std::size_t x = lp; x < lp + ll; ++x) en[x] = e;  // e grows: the max of word()
      continue;
    }
    if (r.flags) bd[o] |= (r.flags & kLaneEdge) ? kS | kE : kS;
    std::memcpy(t + o, &r.v, 4);
    const std::uint32_t zero = 0;
    std::memcpy(bd + o + 1, &zero, 4);
#if defined(__GNUC__)
    using V4 = std::uint32_t __attribute__((vector_size(16)));
    const V4 b4 = V4{r.b, r.b, r.b, r.b}, e4 = V4{e, e, e, e}, t4 = V4{tok, tok, tok, tok};
    std::memcpy(bg + o, &b4, 16);
    std::memcpy(en + o, &e4, 16);
    std::memcpy(tk + o, &t4, 16);
#else
    for (std::size_t x = 0; x < 4; ++x) {
      bg[o + x] = r.b;
      en[o + x] = e;
      tk[o + x] = tok;
    }
#endif
    lp = o;
    ll = r.len;
    lkey = r.key;
    lastv = r.v;
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
