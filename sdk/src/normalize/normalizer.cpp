// normalize/normalizer.cpp: the run-time half of the normalizer. One pass over the input:
// decode UTF-8, look every code point up in the tables (tables.cpp), gather the characters of a
// word, resolve leetspeak, then write the word into the output, joining spaced-out letters and
// collapsing repeated ones as it goes. No ICU call, no allocation once the output is warm.
#include "normalize/normalizer.hpp"

#include <algorithm>
#include <cstring>

#include "normalize/tables.hpp"

#if defined(__GNUC__)
#define SIGNPOST_NORM_INLINE inline __attribute__((always_inline))
#else
#define SIGNPOST_NORM_INLINE inline
#endif

namespace signpost::detail {

void NormalizedText::clear() noexcept {
  text.clear();
  begin.clear();
  end.clear();
  bounds.clear();
  token.clear();
  tokens = 0;
  considered = 0;
}

bool is_arabic_script(char32_t c) noexcept {
  return (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) || (c >= 0x0870 && c <= 0x08FF) ||
         (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF) || (c >= 0x10E60 && c <= 0x10E7F) ||
         (c >= 0x10EC0 && c <= 0x10EFF) || (c >= 0x1EC70 && c <= 0x1ECBF) || (c >= 0x1ED00 && c <= 0x1ED4F) ||
         (c >= 0x1EE00 && c <= 0x1EEFF);
}

namespace {

using norm::Cls;
using norm::Tables;

constexpr std::uint8_t kS = NormalizedText::kStart;
constexpr std::uint8_t kE = NormalizedText::kEnd;
constexpr char32_t kBad = 0xFFFFFFFFu;  // an invalid byte sequence: one separator

// Decodes one code point; invalid input yields kBad and the length of the maximal ill-formed
// subpart (a lead byte plus the continuation bytes that were still acceptable), at least 1.
inline std::size_t decode(const unsigned char* s, std::size_t avail, char32_t& cp) noexcept {
  const unsigned b = s[0];
  if (b < 0x80) {
    cp = b;
    return 1;
  }
  // Fast paths for well-formed 2- and 3-byte sequences (Arabic, Cyrillic, symbols, CJK).
  if (b >= 0xC2 && b <= 0xDF && avail >= 2 && (s[1] & 0xC0) == 0x80) {
    cp = ((b & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    return 2;
  }
  if (b >= 0xE1 && b <= 0xEC && avail >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
    cp = ((b & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    return 3;
  }
  std::size_t need;
  unsigned lo = 0x80, hi = 0xBF;
  char32_t c;
  if (b >= 0xC2 && b <= 0xDF) {
    need = 1;
    c = b & 0x1F;
  } else if (b >= 0xE0 && b <= 0xEF) {
    need = 2;
    c = b & 0x0F;
    if (b == 0xE0) lo = 0xA0;          // overlong
    else if (b == 0xED) hi = 0x9F;     // surrogates
  } else if (b >= 0xF0 && b <= 0xF4) {
    need = 3;
    c = b & 0x07;
    if (b == 0xF0) lo = 0x90;          // overlong
    else if (b == 0xF4) hi = 0x8F;     // above U+10FFFF
  } else {
    cp = kBad;  // continuation byte, C0/C1 overlong lead, F5..FF
    return 1;
  }
  for (std::size_t k = 1; k <= need; ++k) {
    if (k >= avail) {
      cp = kBad;
      return k;
    }
    const unsigned x = s[k];
    if (x < lo || x > hi) {
      cp = kBad;
      return k;
    }
    lo = 0x80;
    hi = 0xBF;
    c = (c << 6) | (x & 0x3F);
  }
  cp = c;
  return need + 1;
}

// Equality of two short byte strings (one UTF-8 code point, or a few), without a library call.
SIGNPOST_NORM_INLINE bool same_bytes(const char* a, const char* b, std::size_t len) noexcept {
  for (std::size_t k = 0; k < len; ++k)
    if (a[k] != b[k]) return false;
  return true;
}

inline std::size_t utf8_len(unsigned char lead) noexcept {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

inline char32_t first_cp(const char* p) noexcept {
  char32_t c = 0;
  decode(reinterpret_cast<const unsigned char*>(p), 4, c);
  return c;
}

// Cuts `m` back so that it does not split a well-formed code point.
std::size_t cut_to_boundary(const unsigned char* s, std::size_t size, std::size_t m) noexcept {
  if (m >= size) return size;
  std::size_t k = m;
  for (int back = 0; back < 3 && k > 0 && (s[k] & 0xC0) == 0x80; ++back) --k;
  if (k < m) {
    char32_t c;
    const std::size_t len = decode(s + k, size - k, c);
    if (c != kBad && k + len > m) return k;
  }
  return m;
}

// Letters that leet characters stand for; 0 when the character is not a leet character.
inline char leet_letter(char c) noexcept {
  switch (c) {
    case '0': return 'o';
    case '1': return 'i';
    case '3': return 'e';
    case '4': return 'a';
    case '5': return 's';
    case '7': return 't';
    case '8': return 'b';
    case '9': return 'g';
    case '@': return 'a';
    case '$': return 's';
    case '!': return 'i';
    case '|': return 'i';
    default: return 0;
  }
}

constexpr char kAscii[] = "abcdefghijklmnopqrstuvwxyz";

// One output code point of a word in the making.
enum RecKind : std::uint8_t { kLetter, kDigit, kSym, kPlusSign };
enum RecFlag : std::uint8_t {
  kFirstOfSrc = 1,  // the first output code point of its source code point
  kMarkStart = 2,   // a word may start here (after an Arabic particle)
  kFromL = 4,       // an 'i' written for an l
  kWild = 8,        // an 'i' written for leet 1 ! |, which stand for i or l
  kEdgeBefore = 16,  // a ZWNJ stood before it: a morpheme boundary (Persian قایق‌ها)
};

// What decides whether two equal letters in a row collapse: 0 for anything that is not a letter;
// an 'i' for an l does not collapse with an 'i' for an i ("illegal" is not "legal"), and an 'i' for
// leet 1 ! | collapses with either.
enum Key : std::uint8_t { kKeyNone = 0, kKeyPlain = 1, kKeyFromL = 2, kKeyWild = 3 };

inline bool keys_fold(std::uint8_t last, std::uint8_t cur) noexcept {
  return last != kKeyNone && cur != kKeyNone && (last == cur || last == kKeyWild || cur == kKeyWild);
}

struct Rec {
  const char* p;       // mapped UTF-8 of this output code point
  std::uint32_t b;     // source bytes [b, b + srclen) of the code point it came from
  std::uint8_t len, srclen, kind, flags;
  std::uint32_t e() const noexcept { return b + srclen; }
  std::uint8_t key() const noexcept {
    return kind != kLetter ? kKeyNone : (flags & kWild) ? kKeyWild : (flags & kFromL) ? kKeyFromL : kKeyPlain;
  }
};

// ASCII without the tables: the class (high nibble: Cls; low: letter/digit/other) and the mapped
// character (lower case, 'l' as 'i'; for separators the canonical separator, 0 for controls).
enum : std::uint8_t { kAsciiLetter = 0, kAsciiDigit = 1, kAsciiOther = 2 };
struct AsciiTable {
  std::uint8_t kind[128];
  char map[128];
  std::uint8_t key[128];  // Key of the mapped letter
};
constexpr AsciiTable make_ascii() {
  AsciiTable t{};
  for (int c = 0; c < 128; ++c) {
    char m = static_cast<char>(c);
    std::uint8_t k = kAsciiOther | (norm::kSep << 4);
    if (c >= 'A' && c <= 'Z') m = static_cast<char>(c + 32);
    if ((m >= 'a' && m <= 'z')) {
      k = kAsciiLetter;
      t.key[c] = kKeyPlain;
      if (m == 'l') {
        m = 'i';
        t.key[c] = kKeyFromL;
      }
    } else if (c >= '0' && c <= '9') {
      k = kAsciiDigit;
    } else if (c == ' ' || (c >= 0x09 && c <= 0x0D)) {
      k = kAsciiOther | (norm::kSpace << 4);
      m = ' ';
    } else if (c == '@' || c == '$' || c == '!' || c == '|') {
      k = kAsciiOther | (norm::kLeet << 4);
    } else if (c == '+') {
      k = kAsciiOther | (norm::kPlus << 4);
    } else if (c < 0x20 || c == 0x7F) {
      m = 0;
    } else if (c == '`') {
      m = '\'';
    }
    t.kind[c] = k;
    t.map[c] = m;
  }
  return t;
}
constexpr AsciiTable kAsciiTab = make_ascii();

// Arabic particles that may be attached in front of a word (after the Arabic-script folding).
constexpr char32_t kWaw = 0x0648, kFeh = 0x0641, kBeh = 0x0628, kLam = 0x0644, kKaf = 0x0643, kAlef = 0x0627;
struct Particle {
  char32_t c[4];
  std::uint8_t n;
};
// Grouped by first letter: و ف ب ل ك ال and their combinations.
constexpr Particle kParticles[] = {
    {{kWaw}, 1}, {{kWaw, kAlef, kLam}, 3}, {{kWaw, kLam, kLam}, 3}, {{kWaw, kBeh}, 2}, {{kWaw, kLam}, 2},
    {{kWaw, kBeh, kAlef, kLam}, 4}, {{kWaw, kKaf, kAlef, kLam}, 4},                                 // 0..6
    {{kFeh}, 1}, {{kFeh, kAlef, kLam}, 3}, {{kFeh, kLam, kLam}, 3}, {{kFeh, kBeh}, 2}, {{kFeh, kLam}, 2},
    {{kFeh, kBeh, kAlef, kLam}, 4},                                                                   // 7..12
    {{kBeh}, 1}, {{kBeh, kAlef, kLam}, 3},                                                             // 13..14
    {{kLam}, 1}, {{kLam, kLam}, 2},                                                                    // 15..16
    {{kKaf}, 1}, {{kKaf, kAlef, kLam}, 3},                                                             // 17..18
    {{kAlef, kLam}, 2},                                                                                // 19
};

struct ParticleSpan {
  const Particle* b;
  const Particle* e;
  const Particle* begin() const noexcept { return b; }
  const Particle* end() const noexcept { return e; }
};

inline ParticleSpan particles_starting_with(char32_t c) noexcept {
  const Particle* p = kParticles;
  switch (c) {
    case kWaw: return {p, p + 7};
    case kFeh: return {p + 7, p + 13};
    case kBeh: return {p + 13, p + 15};
    case kLam: return {p + 15, p + 17};
    case kKaf: return {p + 17, p + 19};
    case kAlef: return {p + 19, p + 20};
    default: return {p, p};
  }
}

inline bool is_joiner(char32_t c) noexcept {
  return c == '.' || c == '-' || c == '_' || c == '*' || c == '/' || c == 0x00B7;
}
inline bool is_piece_joiner(char32_t c) noexcept { return c == '.' || c == '-' || c == '_' || c == 0x00B7; }
inline bool is_group_sep(char32_t c) noexcept { return c == ',' || c == '.' || c == ' ' || c == '\''; }

class Pass {
 public:
  // The output vectors are resized, not cleared: only bytes beyond their previous size get
  // zero-filled, and everything up to the final size is overwritten anyway.
  Pass(NormalizedText& o, std::size_t expect) : o_(o), tab_(norm::tables()) {
    grow(expect + 8);
    w_.bd[0] = 0;
  }

  void run(const unsigned char* s, std::size_t m) {
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
            continue;
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
  void dispatch(Cls k, const char* p, std::size_t n, char32_t canon, std::uint32_t sb, std::size_t srclen) {
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

  void finish(std::uint32_t considered) {
    const std::size_t n = w_.n;
    o_.text.resize(n);
    o_.begin.resize(n);
    o_.end.resize(n);
    o_.token.resize(n);
    o_.bounds.resize(n + 1);
    o_.tokens = tokens_;
    o_.considered = considered;
  }

 private:
  static constexpr std::size_t kRunMax = 256;  // code points per word before it is written in parts
  static constexpr std::size_t kMergeMax = 16;  // bytes of a single-letter token that may be merged

  enum Prev : std::uint8_t { kPrevNone, kPrevWord, kPrevNumber, kPrevSymbol };
  enum Join : std::uint8_t { kNew, kLetterwise, kPiecewise, kGroup, kContinue };

  NormalizedText& o_;
  const Tables& tab_;

  // Output, written through raw pointers into o_'s buffers (sized ahead, trimmed in finish()).
  // The hot loops (put_recs, ascii_word) copy what they need into locals and write it back: the
  // byte stores may alias anything, which would otherwise force reloads of every field.
  struct W {
    char* t;
    std::uint32_t* bg;
    std::uint32_t* en;
    std::uint8_t* bd;
    std::uint32_t* tk;
    std::size_t n;                    // bytes written
    std::size_t last_pos, last_len;   // the last output code point, for collapsing
    std::uint8_t last_key;            // its Key (kKeyNone: not a letter)
    std::uint32_t last_end;           // source end of the last output character
    std::uint32_t tok;                // index of the current token
  };
  W w_{nullptr, nullptr, nullptr, nullptr, nullptr, 0, 0, 0, kKeyNone, 0, 0};
  std::size_t cap_ = 0;
  std::uint32_t tokens_ = 0;
  std::size_t cur_start_ = 0;  // output offset of the current token

  // Between tokens.
  std::uint32_t sep_n_ = 0;  // separators since the last token
  char32_t sep_cp_ = 0;      // the first of them (canonical form)
  bool cont_ = false;        // the next word continues an over-long word
  bool zwj_ = false, last_emoji_ = false, ri_open_ = false;

  // The previous token, for joins.
  Prev prev_ = kPrevNone;
  std::uint32_t prev_letters_ = 0;
  bool prev_all_letters_ = false, prev_letterwise_ = false, prev_groupable_ = false;
  std::uint32_t sp_count_ = 0;      // single-letter tokens in a row, one space apart (0..2)
  std::size_t sp_start_[2] = {0, 0};
  std::uint8_t sp_key_[2] = {0, 0};  // the Key of their letter
  bool sp_joined_ = false;          // the last token is letters joined across spaces

  // The word being gathered.
  Rec run_[kRunMax];
  std::size_t run_n_ = 0;
  std::uint32_t run_other_ = 0;    // records of the run that are not letters
  std::uint32_t run_letters_ = 0;  // letters of the run counted once per source code point
  bool edge_ = false;              // a ZWNJ since the last record of the run

  void grow(std::size_t need) {
    const std::size_t cap = std::max(need + 16, cap_ * 2);
    o_.text.resize(cap);
    o_.begin.resize(cap);
    o_.end.resize(cap);
    o_.token.resize(cap);
    o_.bounds.resize(cap + 1);
    w_.t = o_.text.data();
    w_.bg = o_.begin.data();
    w_.en = o_.end.data();
    w_.tk = o_.token.data();
    w_.bd = o_.bounds.data();
    cap_ = cap;
  }

  // Makes room for `more` output bytes (plus the boundary slot after them).
  void reserve(std::size_t more) {
    if (w_.n + more + 1 > cap_) grow(w_.n + more + 1);
  }

  void add_sep(char32_t cp) {
    if (sep_n_++ == 0) sep_cp_ = cp;
    cont_ = false;
  }

  // Adds the mapped form (p, n) of one source code point [sb, sb + srclen) to the word.
  // `from_l`: its 'i's stand for an l.
  SIGNPOST_NORM_INLINE void add_word_cp(const char* p, std::size_t n, std::uint32_t sb, std::size_t srclen,
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

  SIGNPOST_NORM_INLINE void add_rec(Rec r) {
    if (edge_) {
      if (r.kind == kLetter) r.flags |= kEdgeBefore;
      edge_ = false;
    }
    if (run_n_ == kRunMax) finish_run(true);
    run_[run_n_++] = r;
    if (r.kind != kLetter) ++run_other_;
    else if (r.flags & kFirstOfSrc) ++run_letters_;
  }

  // --- writing ----------------------------------------------------------------------------------

  // Starts a token; every token but the first is preceded by one ' ' that stands for the gap
  // between the two tokens in the source. Needs 1 byte reserved.
  void open_token(W& w, std::uint32_t src_b) {
    if (tokens_ > 0) {
      w.t[w.n] = ' ';
      w.bg[w.n] = w.last_end;
      w.en[w.n] = std::max(w.last_end, src_b);
      w.tk[w.n] = tokens_;
      ++w.n;
      w.bd[w.n] = 0;
    }
    w.bd[w.n] |= kS;
    w.tok = tokens_++;
    cur_start_ = w.n;
    w.last_key = kKeyNone;
  }

  // Appends one output code point to the current token (room reserved by the caller); a letter
  // equal to the one before it is folded into it: its start mark moves there, and `extend`
  // stretches that letter's source range over it.
  static SIGNPOST_NORM_INLINE void put(W& w, const char* p, std::size_t len, std::uint8_t key, std::uint32_t b,
                                       std::uint32_t e, bool start_mark, bool extend) {
    if (keys_fold(w.last_key, key) && len == w.last_len && same_bytes(w.t + w.last_pos, p, len)) {
      if (w.last_key == kKeyWild) w.last_key = key;
      if (start_mark) w.bd[w.last_pos] |= kS;
      if (extend)
        for (std::size_t k = w.last_pos; k < w.last_pos + len; ++k) w.en[k] = std::max(w.en[k], e);
      w.last_end = std::max(w.last_end, e);
      return;
    }
    const std::size_t n = w.n;
    if (start_mark) w.bd[n] |= kS;
    w.t[n] = p[0];
    w.bg[n] = b;
    w.en[n] = e;
    w.tk[n] = w.tok;
    for (std::size_t k = 1; k < len; ++k) {
      w.t[n + k] = p[k];
      w.bg[n + k] = b;
      w.en[n + k] = e;
      w.tk[n + k] = w.tok;
      w.bd[n + k] = 0;
    }
    w.last_pos = n;
    w.last_len = len;
    w.last_key = key;
    w.n = n + len;
    w.bd[w.n] = 0;
    w.last_end = std::max(w.last_end, e);
  }

  // put() for records [from, to) of the gathered word, with the cursor held in locals (the byte
  // stores could otherwise alias it). A record marked kMarkStart starts a word.
  void put_recs(std::size_t from, std::size_t to, bool first_start, bool first_extend) {
    char* const t = w_.t;
    std::uint32_t* const bg = w_.bg;
    std::uint32_t* const en = w_.en;
    std::uint32_t* const tk = w_.tk;
    std::uint8_t* const bd = w_.bd;
    const std::uint32_t tok = w_.tok;
    std::size_t o = w_.n, lp = w_.last_pos, ll = w_.last_len;
    std::uint8_t lkey = w_.last_key;
    std::uint32_t last_end = w_.last_end;
    for (std::size_t k = from; k < to; ++k) {
      const Rec& r = run_[k];
      const bool first = k == from;
      const bool start = (r.flags & kMarkStart) != 0 || (first && first_start);
      const std::uint8_t key = r.key();
      const std::size_t len = r.len;
      const std::uint32_t b = r.b, e = r.e();
      last_end = std::max(last_end, e);
      const bool edge = (r.flags & kEdgeBefore) != 0 && !first;
      if (keys_fold(lkey, key) && len == ll && same_bytes(t + lp, r.p, len)) {
        if (lkey == kKeyWild) lkey = key;
        if (start || edge) bd[lp] |= kS;
        if (edge) bd[o] |= kE;
        if (!first || first_extend)
          for (std::size_t q = lp; q < lp + len; ++q) en[q] = std::max(en[q], e);
        continue;
      }
      if (start) bd[o] |= kS;
      if (edge) bd[o] |= kS | kE;
      t[o] = r.p[0];
      bg[o] = b;
      en[o] = e;
      tk[o] = tok;
      bd[o + 1] = 0;
      for (std::size_t q = 1; q < len; ++q) {
        t[o + q] = r.p[q];
        bg[o + q] = b;
        en[o + q] = e;
        tk[o + q] = tok;
        bd[o + q + 1] = 0;
      }
      lp = o;
      ll = len;
      lkey = key;
      o += len;
    }
    w_.n = o;
    w_.last_pos = lp;
    w_.last_len = ll;
    w_.last_key = lkey;
    w_.last_end = last_end;
  }

  void symbol(const char* p, std::size_t len, std::uint32_t b, std::uint32_t e) {
    reserve(len + 1);
    W w = w_;
    open_token(w, b);
    put(w, p, len, kKeyNone, b, e, false, false);
    w.bd[w.n] |= kE;
    w_ = w;
    prev_ = kPrevSymbol;
    sep_n_ = 0;
    cont_ = false;
    sp_count_ = 0;
    sp_joined_ = false;
  }

  void pair_flag(const char* p, std::size_t len, std::uint32_t b, std::uint32_t e) {
    reserve(len);
    W w = w_;
    w.bd[w.n] &= static_cast<std::uint8_t>(~kE);
    put(w, p, len, kKeyNone, b, e, false, false);
    w.bd[w.n] |= kE;
    w_ = w;
  }

  void absorb(std::uint32_t e) {
    for (std::size_t k = cur_start_; k < w_.n; ++k) w_.en[k] = std::max(w_.en[k], e);
    w_.last_end = std::max(w_.last_end, e);
  }

  // Rewrites the last two single-letter tokens ("x y") as the start of one joined token ("xy").
  bool merge_spaced() {
    W w = w_;
    const std::size_t s0 = sp_start_[0], s1 = sp_start_[1];
    const std::size_t lx = s1 - 1 - s0, ly = w.n - s1;
    if (lx > kMergeMax || ly > kMergeMax || s1 == 0 || w.t[s1 - 1] != ' ') return false;
    char x[kMergeMax], y[kMergeMax];
    std::memcpy(x, w.t + s0, lx);
    std::memcpy(y, w.t + s1, ly);
    const std::uint32_t xb = w.bg[s0], xe = w.en[s0], yb = w.bg[s1], ye = w.en[s1];
    const std::uint32_t tok = w.tk[s0];
    w.n = s0;
    w.bd[w.n] = kS;
    w.tok = tok;
    tokens_ = tok + 1;
    cur_start_ = s0;
    w.last_key = kKeyNone;
    letter_piece(w, x, lx, xb, xe, sp_key_[0], true);
    w.bd[w.n] &= static_cast<std::uint8_t>(~kE);  // one word: no end between x and y
    letter_piece(w, y, ly, yb, ye, sp_key_[1], false);
    w_ = w;
    return true;
  }

  static void letter_piece(W& w, const char* p, std::size_t len, std::uint32_t b, std::uint32_t e,
                           std::uint8_t key, bool starts) {
    bool first = starts;
    for (std::size_t q = 0; q < len;) {
      const std::size_t l = utf8_len(static_cast<unsigned char>(p[q]));
      put(w, p + q, l, p[q] == 'i' ? key : std::uint8_t{kKeyPlain}, b, e, first, true);
      first = false;
      q += l;
    }
    w.bd[w.n] |= kE;
  }

  // --- words ------------------------------------------------------------------------------------

  // Only called for runs that resolve_leet() found to be leet characters.
  void convert(std::size_t i, std::size_t j) {
    for (std::size_t k = i; k < j; ++k) {
      const char l = leet_letter(*run_[k].p);
      if (l < 'a' || l > 'z') continue;
      run_[k].p = kAscii + (l - 'a');
      run_[k].len = 1;
      run_[k].kind = kLetter;
      run_[k].flags = static_cast<std::uint8_t>((run_[k].flags & ~kFromL) | (l == 'i' ? kWild : 0));
    }
  }

  // Decides which digits and symbols of the gathered word are leetspeak (docs: "Leetspeak").
  // Returns whether the word has a letter (before conversion).
  bool resolve_leet(std::size_t n) {
    bool has_letter = false;
    for (std::size_t k = 0; k < n && !has_letter; ++k) has_letter = run_[k].kind == kLetter;
    if (!has_letter) return false;
    std::size_t i = 0;
    while (i < n) {
      if (run_[i].kind == kLetter) {
        ++i;
        continue;
      }
      std::size_t j = i;
      bool all_leet = true, all_digit = true, all_dollar = true;
      for (; j < n && run_[j].kind != kLetter; ++j) {
        const Rec& r = run_[j];
        all_leet = all_leet && (r.kind == kDigit || r.kind == kSym) && leet_letter(*r.p) != 0;
        all_digit = all_digit && r.kind == kDigit;
        all_dollar = all_dollar && r.kind == kSym && *r.p == '$';
      }
      const bool left = i > 0, right = j < n;
      if (left && right) {
        if (all_leet) convert(i, j);  // b0at, p@ssp0rt, b00t, sm|ggler
      } else if (right) {
        std::size_t letters = 0;
        for (std::size_t k = j; k < n && run_[k].kind == kLetter; ++k) ++letters;
        if (all_dollar) convert(i, j);  // $muggler
        else if (all_digit && j - i == 1 && all_leet && letters >= 3) convert(i, j);  // 5muggler, not 3am / 1st
      } else if (left) {
        // A single trailing digit is a letter (t0, uk1); two or more are a number (covid19).
        if (run_[i].kind == kDigit && (i + 1 == n || run_[i + 1].kind != kDigit) && leet_letter(*run_[i].p))
          convert(i, i + 1);
      }
      i = j;
    }
    return true;
  }

  // Splits the gathered word at symbols that stayed symbols, and writes the pieces.
  void finish_run(bool more) {
    if (!run_n_) return;
    const std::size_t n = run_n_;
    const std::uint32_t other = run_other_, letters = run_letters_;
    run_n_ = 0;
    edge_ = false;
    run_other_ = run_letters_ = 0;
    if (other == 0) {  // the common case: only letters, nothing to resolve or split
      word(0, n, Props{letters, static_cast<std::uint32_t>(n), 0, false});
      cont_ = more;
      return;
    }
    const bool has_letter = resolve_leet(n);
    std::size_t start = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const Rec& r = run_[i];
      if (r.kind == kSym) {
        word(start, i);
        // A '$' that is not a letter is a price sign next to a number or on its own, else noise.
        const bool price = !has_letter || (i > 0 && run_[i - 1].kind == kDigit) ||
                           (i + 1 < n && run_[i + 1].kind == kDigit);
        if (*r.p == '$' && price) symbol(r.p, 1, r.b, r.e());
        else add_sep(static_cast<unsigned char>(*r.p));
        start = i + 1;
      } else if (r.kind == kPlusSign) {
        bool keep = i + 1 < n && run_[i + 1].kind == kDigit;
        for (std::size_t k = i + 1; keep && k < n && run_[k].kind != kSym; ++k) keep = run_[k].kind == kDigit;
        if (!keep) {
          word(start, i);
          add_sep('+');
          start = i + 1;
        }
      }
    }
    word(start, n);
    cont_ = more;
  }

  // Arabic-script words: a word may also start after an attached particle (docs: "Arabic
  // particles"). Marks the first record after each particle sequence the word begins with.
  void mark_particles(std::size_t from, std::size_t to) {
    // Every particle letter is U+0627..U+0648, UTF-8 lead byte D8 or D9.
    const auto lead = static_cast<unsigned char>(*run_[from].p);
    if ((lead != 0xD8 && lead != 0xD9) || run_[from].kind != kLetter || to - from < 3) return;
    char32_t c[5];
    c[0] = first_cp(run_[from].p);
    if (particles_starting_with(c[0]).b == particles_starting_with(c[0]).e) return;
    std::size_t m = 1;
    for (std::size_t k = from + 1; k < to && m < 5 && run_[k].kind == kLetter; ++k, ++m) c[m] = first_cp(run_[k].p);
    std::size_t letters = 0;
    for (std::size_t k = from; k < to; ++k) letters += run_[k].kind == kLetter;
    for (const Particle& pt : particles_starting_with(c[0])) {
      if (pt.n > m || letters < pt.n + 2u) continue;
      bool ok = true;
      for (std::size_t q = 1; q < pt.n && ok; ++q) ok = c[q] == pt.c[q];
      if (!ok) continue;
      // The word starts after the particle and after any repetition of its last letter, which
      // collapses into it ("الللأطفال" starts again at "اطفال", not at "لاطفال").
      std::size_t k = from + pt.n;
      while (k < to && run_[k].kind == kLetter && run_[k].len == run_[k - 1].len &&
             same_bytes(run_[k].p, run_[k - 1].p, run_[k].len))
        ++k;
      if (k < to && letters >= (k - from) + 2u) run_[k].flags |= kMarkStart;
    }
  }

  struct Props {
    std::uint32_t letters;      // letters, once per source code point
    std::uint32_t letter_recs;  // letter records
    std::uint32_t digits;
    bool plus;
  };

  void word(std::size_t from, std::size_t to) {
    if (from == to) return;
    Props p{0, 0, 0, false};
    for (std::size_t k = from; k < to; ++k) {
      const Rec& r = run_[k];
      if (r.kind == kLetter) {
        ++p.letter_recs;
        p.letters += (r.flags & kFirstOfSrc) != 0;
      } else if (r.kind == kDigit) {
        ++p.digits;
      } else {
        p.plus = true;
      }
    }
    word(from, to, p);
  }

  // How a word attaches to the token before it (docs: "Spaced and punctuated letters", "Numbers").
  SIGNPOST_NORM_INLINE Join decide(const Props& pr, std::size_t nrec, bool& spaced) {
    const bool all_letters = pr.letter_recs == nrec;
    const bool single = all_letters && pr.letters == 1;
    const bool number = pr.letter_recs == 0;
    spaced = false;
    if (cont_ && (prev_ == kPrevWord || prev_ == kPrevNumber)) return kContinue;
    if (sep_n_ != 1) return kNew;
    if (prev_ == kPrevWord && all_letters) {
      if (is_joiner(sep_cp_)) {
        if (single && prev_letterwise_) return kLetterwise;
        if (pr.letters >= 2 && prev_all_letters_ && prev_letters_ >= 2 && is_piece_joiner(sep_cp_)) return kPiecewise;
      } else if (sep_cp_ == ' ' && single) {
        if (sp_joined_ || (sp_count_ >= 2 && merge_spaced())) {
          spaced = true;
          return kLetterwise;
        }
      }
    } else if (prev_ == kPrevNumber && number && !pr.plus && pr.digits == 3 && prev_groupable_ &&
               is_group_sep(sep_cp_)) {
      return kGroup;
    }
    return kNew;
  }

  // Remembers what the next word may join with.
  void remember(Join j, const Props& pr, std::size_t nrec, bool spaced) {
    const bool all_letters = pr.letter_recs == nrec;
    const bool single = all_letters && pr.letters == 1;
    const bool number = pr.letter_recs == 0;
    switch (j) {
      case kNew:
        prev_ = number ? kPrevNumber : kPrevWord;
        prev_letters_ = pr.letters;
        prev_all_letters_ = all_letters;
        prev_letterwise_ = single;
        prev_groupable_ = number && !pr.plus && pr.digits >= 1 && pr.digits <= 3;
        if (single && sep_n_ == 1 && sep_cp_ == ' ' && sp_count_ >= 1) {
          sp_start_[0] = sp_start_[1];
          sp_key_[0] = sp_key_[1];
          sp_start_[1] = cur_start_;
          sp_key_[1] = w_.last_key;
          sp_count_ = 2;
        } else if (single) {
          sp_start_[1] = cur_start_;
          sp_key_[1] = w_.last_key;
          sp_count_ = 1;
        } else {
          sp_count_ = 0;
        }
        sp_joined_ = false;
        break;
      case kLetterwise:
        prev_letters_ += pr.letters;
        sp_joined_ = spaced;
        sp_count_ = 0;
        break;
      case kPiecewise:
        prev_letters_ += pr.letters;
        prev_letterwise_ = false;
        sp_count_ = 0;
        sp_joined_ = false;
        break;
      case kGroup:
        break;
      case kContinue:
        prev_letters_ += pr.letters;
        prev_all_letters_ = prev_all_letters_ && all_letters;
        prev_letterwise_ = false;
        prev_groupable_ = false;
        if (!number) prev_ = kPrevWord;
        sp_count_ = 0;
        sp_joined_ = false;
        break;
    }
    sep_n_ = 0;
    cont_ = false;
  }

  // Writes records [from, to) of the gathered word as one word.
  void word(std::size_t from, std::size_t to, const Props& pr) {
    bool spaced;
    const Join j = decide(pr, to - from, spaced);
    if (j == kNew || j == kPiecewise) mark_particles(from, to);

    reserve(1 + 4 * (to - from));  // a code point is at most 4 bytes
    if (j == kNew) open_token(w_, run_[from].b);
    else if (j == kGroup || j == kContinue || j == kLetterwise) w_.bd[w_.n] &= static_cast<std::uint8_t>(~kE);
    // First record: a word starts there in joins by piece (folded into the letter before it if
    // equal); a piece's first letter does not stretch that letter's source range. Letters joined
    // one by one ("f a k e", "p.a.s.s") make one word with boundaries at its two ends only, so
    // that no shorter term matches inside it ("h o l i d a y" does not contain "id").
    const bool first_start = j == kPiecewise;
    const bool first_extend = j != kPiecewise;
    put_recs(from, to, first_start, first_extend);
    w_.bd[w_.n] |= kE;
    remember(j, pr, to - from, spaced);
  }

  // The fast path: input bytes [i, j) are ASCII letters only or digits only, and the word ends
  // there. Same result as gathering records and calling word().
  void ascii_word(const unsigned char* s, std::size_t i, std::size_t j, bool digits) {
    const auto n = static_cast<std::uint32_t>(j - i);
    const Props pr{digits ? 0 : n, digits ? 0 : n, digits ? n : 0, false};
    bool spaced;
    const Join jn = decide(pr, n, spaced);
    reserve(1 + n);
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
      if (cur == lastc || (lastc == kWildI && c == 'i' && letter)) {
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
};

}  // namespace

void normalize(std::string_view input, NormalizedText& out, std::size_t max_bytes) {
  const auto* s = reinterpret_cast<const unsigned char*>(input.data());
  std::size_t m = std::min({input.size(), max_bytes, std::size_t{0xFFFFFF00u}});
  m = cut_to_boundary(s, input.size(), m);
  Pass pass(out, m);
  pass.run(s, m);
  pass.finish(static_cast<std::uint32_t>(m));
}

std::string normalize_term(std::string_view term) {
  NormalizedText t;
  normalize(term, t);
  return std::move(t.text);
}

double normalizer_tables_build_ms() { return norm::tables().build_ms; }

}  // namespace signpost::detail
