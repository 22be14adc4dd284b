// normalize/pass.hpp: the state of one normalization pass and the small pieces its parts share.
// The pass reads the input (pass_read.cpp: UTF-8, table lookups, the word lane of every script;
// pass_ascii.cpp: the ASCII lanes), gathers each word and settles leetspeak, joins and Arabic
// particles (pass_words.cpp), and writes the output arrays (pass_write.cpp and the inline writers
// below). Internal to normalize/.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "normalize/normalizer.hpp"
#include "normalize/tables.hpp"
#include "normalize/utf8.hpp"

#if defined(__GNUC__)
#define SIGNPOST_NORM_INLINE inline __attribute__((always_inline))
#else
#define SIGNPOST_NORM_INLINE inline
#endif

namespace signpost::detail::norm {

inline constexpr std::uint8_t kS = NormalizedText::kStart;
inline constexpr std::uint8_t kE = NormalizedText::kEnd;

// Equality of two short byte strings (one UTF-8 code point, or a few), without a library call.
SIGNPOST_NORM_INLINE bool same_bytes(const char* a, const char* b, std::size_t len) noexcept {
  for (std::size_t k = 0; k < len; ++k)
    if (a[k] != b[k]) return false;
  return true;
}

// Eight bytes at a time (SWAR) over ASCII: in each result, bit 7 of a byte is set where the byte
// of x is of the class named. Bytes of 0x80 and above are in no class.
inline constexpr std::uint64_t kOnes8 = 0x0101010101010101ull;
inline constexpr std::uint64_t kHigh8 = 0x8080808080808080ull;
inline std::uint64_t load8(const unsigned char* p) noexcept {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  return x;
}
// Bytes in [lo, hi], both below 0x80, among the ASCII bytes of x.
inline std::uint64_t in_range8(std::uint64_t x, unsigned lo, unsigned hi) noexcept {
  const std::uint64_t x7 = x & ~kHigh8;  // no carry can cross a byte below
  const std::uint64_t ge = x7 + (0x80 - lo) * kOnes8;
  const std::uint64_t gt = x7 + (0x7F - hi) * kOnes8;
  return ge & ~gt & ~x & kHigh8;
}
inline std::uint64_t letters8(std::uint64_t x) noexcept { return in_range8(x | 0x20 * kOnes8, 'a', 'z') & ~x; }
inline std::uint64_t digits8(std::uint64_t x) noexcept { return in_range8(x, '0', '9'); }
// Bytes equal to zero.
inline std::uint64_t zeros8(std::uint64_t x) noexcept {
  return ~(((x & ~kHigh8) + ~kHigh8) | x) & kHigh8;
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

inline constexpr char kAscii[] = "abcdefghijklmnopqrstuvwxyz";

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
// an 'i' for an l does not collapse with an 'i' for an i ("illegal" is not "legal"). An 'i' for leet
// 1 ! | collapses with an 'i' for an i and with another leet one ("m1ii", "sma11"), but not with an
// 'i' for an l: beside an l it is read as the i it stands for far more often ("angl1", "m1ll1on",
// "fam1ly") than as the second l of a double one ("smal1").
enum Key : std::uint8_t { kKeyNone = 0, kKeyPlain = 1, kKeyFromL = 2, kKeyWild = 3 };

inline bool keys_fold(std::uint8_t last, std::uint8_t cur) noexcept {
  if (last == kKeyNone || cur == kKeyNone) return false;
  if (last == cur) return true;
  return (last == kKeyWild || cur == kKeyWild) && last != kKeyFromL && cur != kKeyFromL;
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
inline constexpr AsciiTable kAsciiTab = make_ascii();

// Arabic particles that may be attached in front of a word (after the Arabic-script folding).
inline constexpr char32_t kWaw = 0x0648, kFeh = 0x0641, kBeh = 0x0628, kLam = 0x0644, kKaf = 0x0643, kAlef = 0x0627;
struct Particle {
  char32_t c[4];
  std::uint8_t n;
};
// Grouped by first letter: و ف ب ل ك ال and their combinations.
inline constexpr Particle kParticles[] = {
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

// Where a new word of n code points may also start after Arabic particles it begins with (docs:
// "Arabic particles"): calls mark(k) for each such code point k. `at(k)` gives the mapped bytes of
// code point k, or an empty view when it is not a letter. One rule for the general path (records)
// and the word lane (letters only).
template <class At, class Mark>
SIGNPOST_NORM_INLINE void particle_starts(std::size_t n, At at, Mark mark) {
  if (n < 3) return;
  const std::string_view f = at(0);
  // Every particle letter is U+0627..U+0648, UTF-8 lead byte D8 or D9.
  if (f.empty() || (static_cast<unsigned char>(f[0]) != 0xD8 && static_cast<unsigned char>(f[0]) != 0xD9)) return;
  char32_t c[5];
  c[0] = first_cp(f.data());
  const ParticleSpan span = particles_starting_with(c[0]);
  if (span.b == span.e) return;
  std::size_t m = 1;
  for (std::size_t k = 1; k < n && m < 5 && !at(k).empty(); ++k, ++m) c[m] = first_cp(at(k).data());
  std::size_t letters = 0;
  for (std::size_t k = 0; k < n; ++k) letters += !at(k).empty();
  for (const Particle& pt : span) {
    if (pt.n > m || letters < pt.n + 2u) continue;
    bool ok = true;
    for (std::size_t q = 1; q < pt.n && ok; ++q) ok = c[q] == pt.c[q];
    if (!ok) continue;
    // The word starts after the particle and after any repetition of its last letter, which
    // collapses into it ("الللأطفال" starts again at "اطفال", not at "لاطفال").
    std::size_t k = pt.n;
    while (k < n && !at(k).empty() && at(k) == at(k - 1)) ++k;
    if (k < n && letters >= k + 2u) mark(k);
  }
}

inline bool is_joiner(char32_t c) noexcept {
  return c == '.' || c == '-' || c == '_' || c == '*' || c == '/' || c == 0x00B7;
}
inline bool is_piece_joiner(char32_t c) noexcept { return c == '.' || c == '-' || c == '_' || c == 0x00B7; }
inline bool is_group_sep(char32_t c) noexcept { return c == ',' || c == '.' || c == ' ' || c == '\''; }

// One normalization of one input into one NormalizedText (see normalizer.hpp for the contract).
class Pass {
 public:
  // The output vectors are resized, not cleared: only bytes beyond their previous size get
  // zero-filled, and everything up to the final size is overwritten anyway.
  Pass(NormalizedText& o, std::size_t expect) : o_(o), tab_(norm::tables()) {
    grow(expect + 8);
    w_.bd[0] = 0;
  }

  void run(const unsigned char* s, std::size_t m);
  bool fast_ = true;  // take the fast paths (FastPath::normalizer)

  void dispatch(Cls k, const char* p, std::size_t n, char32_t canon, std::uint32_t sb, std::size_t srclen);

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
  const unsigned char* in_ = nullptr;      // the input (for 8-byte loads)
  const unsigned char* in_end_ = nullptr;  // one past its last byte

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

  // The offsets and token index of eight consecutive output bytes from consecutive input bytes
  // b, b + 1, ...: begin b + q, end b + q + 1, token w.tok (entries past the word's end are
  // overwritten later or cut by finish()).
  static SIGNPOST_NORM_INLINE void put8_offsets(W& w, std::size_t o, std::uint32_t b) {
    std::uint32_t* const bg = w.bg + o;
    std::uint32_t* const en = w.en + o;
    std::uint32_t* const tk = w.tk + o;
    const std::uint32_t tok = w.tok;
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
  }

  // The same with input byte b + q0 left out (it collapsed into the byte before it): output bytes
  // from q0 on come from b + q + 1, and the one before q0 (o + q0 - 1, the last byte written
  // before o when q0 is 0) ends after the byte left out.
  static SIGNPOST_NORM_INLINE void put8_offsets_skip(W& w, std::size_t o, std::uint32_t b, std::uint32_t q0) {
    std::uint32_t* const bg = w.bg + o;
    std::uint32_t* const en = w.en + o;
    std::uint32_t* const tk = w.tk + o;
    const std::uint32_t tok = w.tok;
#if defined(__GNUC__)
    using V4 = std::uint32_t __attribute__((vector_size(16)));
    const V4 i0 = V4{0, 1, 2, 3}, i1 = i0 + 4;
    const V4 lo = i0 + b - static_cast<V4>(i0 >= q0), hi = i1 + b - static_cast<V4>(i1 >= q0);
    const V4 lo1 = lo + 1, hi1 = hi + 1, tk4 = V4{tok, tok, tok, tok};
    std::memcpy(bg, &lo, 16);
    std::memcpy(bg + 4, &hi, 16);
    std::memcpy(en, &lo1, 16);
    std::memcpy(en + 4, &hi1, 16);
    std::memcpy(tk, &tk4, 16);
    std::memcpy(tk + 4, &tk4, 16);
#else
    for (std::uint32_t q = 0; q < 8; ++q) {
      bg[q] = b + q + (q >= q0);
      en[q] = bg[q] + 1;
      tk[q] = tok;
    }
#endif
    w.en[o + q0 - 1] = b + q0 + 1;
  }
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

  void grow(std::size_t need);

  // Makes room for `more` output bytes (plus the boundary slot after them).
  void reserve(std::size_t more) {
    if (w_.n + more + 1 > cap_) grow(w_.n + more + 1);
  }

  void add_sep(char32_t cp) {
    if (sep_n_++ == 0) sep_cp_ = cp;
    cont_ = false;
  }

  SIGNPOST_NORM_INLINE void add_word_cp(const char* p, std::size_t n, std::uint32_t sb, std::size_t srclen,
                                        bool from_l);

  SIGNPOST_NORM_INLINE void add_rec(Rec r);

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

  void put_recs(std::size_t from, std::size_t to, bool first_start, bool first_extend);

  void symbol(const char* p, std::size_t len, std::uint32_t b, std::uint32_t e);

  void pair_flag(const char* p, std::size_t len, std::uint32_t b, std::uint32_t e);

  void absorb(std::uint32_t e);

  bool merge_spaced();

  static void letter_piece(W& w, const char* p, std::size_t len, std::uint32_t b, std::uint32_t e,
                           std::uint8_t key, bool starts);

  // --- words ------------------------------------------------------------------------------------

  void convert(std::size_t i, std::size_t j);

  bool resolve_leet(std::size_t n);
  bool thousands_digit(std::size_t n, std::size_t i) const noexcept;
  bool resolve_runs(std::size_t n, bool leading, bool read_later = false);

  void finish_run(bool more);

  void mark_particles(std::size_t from, std::size_t to);
  void mark_joined_particles();

  struct Props {
    std::uint32_t letters;      // letters, once per source code point
    std::uint32_t letter_recs;  // letter records
    std::uint32_t digits;
    bool plus;
  };

  void word(std::size_t from, std::size_t to);

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

  void word(std::size_t from, std::size_t to, const Props& pr);

  void ascii_word(const unsigned char* s, std::size_t i, std::size_t j, bool digits);
  std::uint64_t load_upto8(const unsigned char* p, std::size_t n) const noexcept;
  std::size_t letters_at(const unsigned char* p, std::size_t limit) const noexcept;
  void put8(std::uint64_t x, std::size_t i, std::size_t n, std::uint8_t last_key);
  void put_letters(W& w, const unsigned char* s, std::size_t k, std::size_t n);
  void put_letters_long(W& w, const unsigned char* s, std::size_t k, std::size_t n);
  std::size_t ascii_lane(const unsigned char* s, std::size_t i, std::size_t m);
  std::size_t word_lane(const unsigned char* s, std::size_t i, std::size_t m);
};


}  // namespace signpost::detail::norm
