// normalize/tables.cpp: the only place the normalizer calls ICU. Every decision about a single
// code point is made here, once; docs/normalization.md describes the result in prose.
#include "normalize/tables.hpp"
#include "normalize/utf8.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/uset.h>
#include <unicode/uspoof.h>
#include <unicode/utf16.h>

#include <chrono>
#include <string>

namespace signpost::detail::norm {
namespace {

// --- single code point rules ------------------------------------------------------------------

// Dropped without breaking a word, beyond what Default_Ignorable_Code_Point, Mn, Me and Cf cover.
bool extra_ignorable(UChar32 c) {
  return c == 0x0640                       // Arabic tatweel (kashida)
         || c == 0x07FA                    // NKo lajanyalan (the NKo tatweel)
         || (c >= 0x1F3FB && c <= 0x1F3FF);  // emoji skin-tone modifiers
}

// Letters folded after NFKC_Casefold + NFD + mark removal. Returns the replacement (possibly two
// code points, packed as first | second << 21), or 0 when the code point stays.
std::uint64_t custom_map(UChar32 c) {
  switch (c) {
    // Latin letters that neither case folding nor decomposition reduce to ASCII.
    case 0x0131: return U'i';                          // ı dotless i (Turkish)
    case 0x0111: return U'd';                          // đ (Vietnamese, South Slavic)
    case 0x00F0: return U'd';                          // ð
    case 0x00F8: return U'o';                          // ø
    case 0x0142: return U'l';                          // ł
    case 0x00E6: return U'a' | std::uint64_t(U'e') << 21;  // æ
    case 0x0153: return U'o' | std::uint64_t(U'e') << 21;  // œ
    // Arabic script: one letter for each group of variants.
    case 0x0649:                                       // ى alef maksura
    case 0x06CC:                                       // ی Farsi yeh
    case 0x06D0:                                       // ې Pashto / Uyghur e
    case 0x06CD:                                       // ۍ Pashto yeh with tail
    case 0x06CE:                                       // ێ Sorani yeh with small v
      return 0x064A;                                   // -> ي
    case 0x06A9:                                       // ک keheh (Persian kaf)
    case 0x06AA:                                       // ڪ swash kaf
      return 0x0643;                                   // -> ك
    case 0x06AB: return 0x06AF;                        // ګ Pashto kaf with ring -> گ
    case 0x0629:                                       // ة teh marbuta
    case 0x06D5:                                       // ە Sorani ae
    case 0x06C1:                                       // ہ heh goal
    case 0x06BE:                                       // ھ heh doachashmee
      return 0x0647;                                   // -> ه
    case 0x0671:                                       // ٱ alef wasla
    case 0x0672:                                       // ٲ alef with wavy hamza above
    case 0x0673:                                       // ٳ alef with wavy hamza below
      return 0x0627;                                   // -> ا
    case 0x06C6: return 0x0648;                        // ۆ Sorani o -> و
    case 0x06B5: return 0x0644;                        // ڵ Sorani heavy l -> ل
    case 0x0695: return 0x0631;                        // ڕ Sorani heavy r -> ر
    default: return 0;
  }
}

// Separators that share one canonical form, so that the tokenizer's join and grouping rules
// see them as one character.
UChar32 canonical_separator(UChar32 c) {
  switch (c) {
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2212: case 0xFE63: case 0x058A:
      return U'-';
    case 0x0387: case 0x2022: case 0x2027: case 0x2219: case 0x22C5: case 0x30FB: case 0xFF65:
      return 0x00B7;  // middle dot
    case 0x2018: case 0x2019: case 0x201B: case 0x2032: case 0x0060: case 0x00B4:
    case 0x02B9: case 0x02BB: case 0x02BC: case 0x02BD: case 0x02C8:
      return U'\'';
    case 0x060C: case 0x066C: case 0xFF0C: return U',';  // Arabic comma, Arabic thousands sep
    case 0x066B: case 0x3002: return U'.';               // Arabic decimal sep, ideographic stop
    default: return c;
  }
}

// Modifier letters that behave as apostrophes or accents, not as letters of a word.
bool apostrophe_like(UChar32 c) { return c >= 0x02B9 && c <= 0x02FF && c != 0x02E0 && c != 0x02E1 && c != 0x02E2 && c != 0x02E3 && c != 0x02E4; }

bool is_alnum_out(UChar32 c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  if (apostrophe_like(c)) return false;
  const std::uint32_t m = U_MASK(u_charType(c));
  return (m & (U_GC_L_MASK | U_GC_MC_MASK)) != 0;
}

// Scripts whose letters may stand in for Latin ones: every script in which the UTS #39 data of
// ICU 72 has a letter whose skeleton is one ASCII letter, except Arabic and Ethiopic, whose letters
// are words of their own languages. Limiting the (slow) skeleton call to these keeps the build fast.
bool skeleton_script(UChar32 c) {
  UErrorCode e = U_ZERO_ERROR;
  switch (uscript_getScript(c, &e)) {
    case USCRIPT_LATIN: case USCRIPT_GREEK: case USCRIPT_CYRILLIC: case USCRIPT_ARMENIAN:
    case USCRIPT_HEBREW: case USCRIPT_CHEROKEE: case USCRIPT_COPTIC: case USCRIPT_GEORGIAN:
    case USCRIPT_DESERET: case USCRIPT_OLD_ITALIC: case USCRIPT_RUNIC: case USCRIPT_TIFINAGH:
    case USCRIPT_NKO: case USCRIPT_MIAO: case USCRIPT_CARIAN: case USCRIPT_LYCIAN: case USCRIPT_LISU:
    case USCRIPT_ELBASAN: case USCRIPT_WARANG_CITI: case USCRIPT_AHOM: case USCRIPT_OSAGE:
    case USCRIPT_CANADIAN_ABORIGINAL: case USCRIPT_MYANMAR: case USCRIPT_MALAYALAM: case USCRIPT_ORIYA:
    case USCRIPT_BAMUM: case USCRIPT_COMMON:
      return true;
    default:
      return false;
  }
}

// Binary properties, read once per range instead of once per code point.
enum Prop : std::uint8_t { kPropExtPict = 1, kPropEmojiPres = 2, kPropIgnorable = 4, kPropRegional = 8, kPropSpace = 16 };

void mark_property(std::uint8_t* flags, UProperty p, std::uint8_t bit) {
  UErrorCode e = U_ZERO_ERROR;
  const USet* set = u_getBinaryPropertySet(p, &e);
  if (U_FAILURE(e) || !set) return;
  const int32_t n = uset_getRangeCount(set);
  for (int32_t i = 0; i < n; ++i) {
    UChar32 a = 0, b = 0;
    e = U_ZERO_ERROR;
    uset_getItem(set, i, &a, &b, nullptr, 0, &e);
    for (UChar32 c = a; c <= b && c < static_cast<UChar32>(Tables::kSize); ++c) flags[c] |= bit;
  }
}

class Builder {
 public:
  Builder() {
    UErrorCode e = U_ZERO_ERROR;
    nfkc_cf_ = icu::Normalizer2::getNFKCCasefoldInstance(e);
    if (U_FAILURE(e)) nfkc_cf_ = nullptr;
    e = U_ZERO_ERROR;
    nfd_ = icu::Normalizer2::getNFDInstance(e);
    if (U_FAILURE(e)) nfd_ = nullptr;
    e = U_ZERO_ERROR;
    nfc_ = icu::Normalizer2::getNFCInstance(e);
    if (U_FAILURE(e)) nfc_ = nullptr;
    e = U_ZERO_ERROR;
    spoof_ = uspoof_open(&e);
    if (U_FAILURE(e)) spoof_ = nullptr;
  }
  ~Builder() {
    if (spoof_) uspoof_close(spoof_);
  }
  Builder(const Builder&) = delete;
  Builder& operator=(const Builder&) = delete;

  void build(Tables& t) {
    t.cls = std::make_unique<std::uint8_t[]>(Tables::kSize);
    t.data = std::make_unique<std::uint32_t[]>(Tables::kSize);
    t.pool.reserve(4096);
    props_ = std::make_unique<std::uint8_t[]>(Tables::kSize);
    mark_property(props_.get(), UCHAR_EXTENDED_PICTOGRAPHIC, kPropExtPict);
    mark_property(props_.get(), UCHAR_EMOJI_PRESENTATION, kPropEmojiPres);
    mark_property(props_.get(), UCHAR_DEFAULT_IGNORABLE_CODE_POINT, kPropIgnorable);
    mark_property(props_.get(), UCHAR_REGIONAL_INDICATOR, kPropRegional);
    mark_property(props_.get(), UCHAR_WHITE_SPACE, kPropSpace);
    for (UChar32 c = 0; c < static_cast<UChar32>(Tables::kSize); ++c) one(t, c);
    constexpr std::size_t kViet = Tables::kLaneVietEnd - Tables::kLaneVietBase;
    t.lane = std::make_unique<Tables::LaneEntry[]>(Tables::kLaneLow + kViet);
    for (char32_t c = 0x80; c < Tables::kLaneLow; ++c) t.lane[c] = lane_entry(t, c);
    for (std::size_t k = 0; k < kViet; ++k) t.lane[Tables::kLaneLow + k] = lane_entry(t, Tables::kLaneVietBase + k);
  }

 private:
  const icu::Normalizer2* nfkc_cf_ = nullptr;
  const icu::Normalizer2* nfd_ = nullptr;
  const icu::Normalizer2* nfc_ = nullptr;
  USpoofChecker* spoof_ = nullptr;
  std::unique_ptr<std::uint8_t[]> props_;
  std::u32string m_;  // the mapping under construction

  bool prop(UChar32 c, std::uint8_t bits) const {
    return c >= 0 && c < static_cast<UChar32>(Tables::kSize) && (props_[c] & bits) != 0;
  }

  // What the word lane needs of c, from its class and mapping: the lane takes c as a letter when
  // it is kWord and maps to one character of `len` bytes, stored inline, that is not a digit (the
  // tests Pass::word_lane makes for the code points outside the table).
  static Tables::LaneEntry lane_entry(const Tables& t, char32_t c) {
    Tables::LaneEntry e{};
    e.srclen = c < 0x800 ? 2 : 3;
    const Cls k = t.cls_of(c);
    if (k == kIgnore) e.what = Tables::kLaneIgnore;
    if (k != kWord) return e;
    const unsigned len = (t.cls[c] >> 4) & 7;
    const std::uint32_t v = t.data[c];
    const auto v0 = *reinterpret_cast<const unsigned char*>(&t.data[c]);
    if (len == 0 || utf8_len(v0) != len || (v0 >= '0' && v0 <= '9')) return e;
    e.v = v;
    e.len = static_cast<std::uint8_t>(len);
    e.key = t.from_l(c) && v0 == 'i' ? 2 : 1;  // kKeyFromL : kKeyPlain (pass.hpp)
    e.what = Tables::kLaneLetter;
    return e;
  }

  static void set_sep(Tables& t, UChar32 c, Cls k, UChar32 canon) {
    t.cls[c] = k;
    t.data[c] = static_cast<std::uint32_t>(canon);
  }

  static void set_bytes(Tables& t, UChar32 c, Cls k, const std::u32string& s) {
    char buf[64];
    std::size_t n = 0;
    std::string big;
    for (char32_t x : s) {
      if (n + 4 > sizeof buf) {
        big.append(buf, n);
        n = 0;
      }
      n += encode_utf8(buf + n, x);
    }
    if (big.empty() && n <= 4) {
      std::uint32_t d = 0;
      std::memcpy(&d, buf, n);
      t.data[c] = d;
      t.cls[c] = static_cast<std::uint8_t>(k | (n << 4));
      return;
    }
    big.append(buf, n);
    t.data[c] = static_cast<std::uint32_t>(t.pool.size() << 8 | (big.size() & 0xff));
    t.cls[c] = k;
    t.pool += big;
  }

  static void set_self(Tables& t, UChar32 c, Cls k) {
    char buf[4];
    const std::size_t n = encode_utf8(buf, static_cast<char32_t>(c));
    std::uint32_t d = 0;
    std::memcpy(&d, buf, n);
    t.data[c] = d;
    t.cls[c] = static_cast<std::uint8_t>(k | (n << 4));
  }

  static std::size_t encode_utf8(char* s, char32_t c) {
    if (c < 0x80) {
      s[0] = static_cast<char>(c);
      return 1;
    }
    if (c < 0x800) {
      s[0] = static_cast<char>(0xC0 | (c >> 6));
      s[1] = static_cast<char>(0x80 | (c & 0x3F));
      return 2;
    }
    if (c < 0x10000) {
      s[0] = static_cast<char>(0xE0 | (c >> 12));
      s[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      s[2] = static_cast<char>(0x80 | (c & 0x3F));
      return 3;
    }
    s[0] = static_cast<char>(0xF0 | (c >> 18));
    s[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    s[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s[3] = static_cast<char>(0x80 | (c & 0x3F));
    return 4;
  }

  static std::u32string to32(const icu::UnicodeString& s) {
    std::u32string r;
    for (int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) r += static_cast<char32_t>(s.char32At(i));
    return r;
  }

  static icu::UnicodeString from32(const std::u32string& s) {
    icu::UnicodeString r;
    for (char32_t c : s) r.append(static_cast<UChar32>(c));
    return r;
  }

  // The single ASCII letter a look-alike stands for (UTS #39 skeleton), or 0.
  char32_t skeleton_letter(UChar32 c) {
    if (!spoof_) return 0;
    UChar in[2];
    int32_t n = 0;
    U16_APPEND_UNSAFE(in, n, c);
    UChar out[8];
    UErrorCode e = U_ZERO_ERROR;
    const int32_t len = uspoof_getSkeleton(spoof_, 0, in, n, out, 8, &e);
    if (U_FAILURE(e) || len != 1) return 0;
    const UChar s = out[0];
    if (s >= 'A' && s <= 'Z') return s + 32;
    if (s >= 'a' && s <= 'z') return s;
    return 0;
  }

  void one(Tables& t, UChar32 c) {
    const int8_t gc = u_charType(c);
    const std::uint32_t gm = U_MASK(gc);
    if (gc == U_UNASSIGNED) {
      if (prop(c, kPropExtPict)) return set_self(t, c, kEmoji);
      return set_sep(t, c, kSep, 0xFFFD);
    }
    if (c == 0x200D) return set_sep(t, c, kZwj, 0);
    if (prop(c, kPropRegional)) return set_self(t, c, kRegional);
    if (extra_ignorable(c) || prop(c, kPropIgnorable) ||
        (gm & (U_GC_MN_MASK | U_GC_ME_MASK | U_GC_CF_MASK)))
      return set_sep(t, c, kIgnore, 0);
    if (prop(c, kPropExtPict | kPropEmojiPres))
      return set_self(t, c, kEmoji);
    if (prop(c, kPropSpace)) return set_sep(t, c, kSpace, U' ');
    if (gm & (U_GC_CC_MASK | U_GC_CO_MASK | U_GC_CS_MASK | U_GC_ZL_MASK | U_GC_ZP_MASK))
      return set_sep(t, c, kSep, c < 0x20 || c == 0x7F ? 0 : c);

    // NFKC_Casefold -> NFD -> drop Mn/Me -> custom letters -> ASCII digits -> look-alikes -> NFC.
    // Hangul syllables would only be decomposed and recomposed: they map to themselves.
    const bool hangul = c >= 0xAC00 && c <= 0xD7A3;
    const bool complex = !hangul && ((nfkc_cf_ && !nfkc_cf_->isInert(c)) || (nfd_ && !nfd_->isInert(c)));
    // Fast path: most letters (ideographs, syllables, most alphabets) stay as they are.
    if (!complex && c >= 0x80 && (gm & U_GC_L_MASK) && !apostrophe_like(c) && !custom_map(c) &&
        (hangul || !skeleton_script(c)))
      return set_self(t, c, kWord);
    m_.assign(1, static_cast<char32_t>(c));
    if (complex && nfkc_cf_ && nfd_) {
      UErrorCode e = U_ZERO_ERROR;
      icu::UnicodeString s = nfkc_cf_->normalize(icu::UnicodeString(c), e);
      if (U_SUCCESS(e)) s = nfd_->normalize(s, e);
      if (U_SUCCESS(e)) m_ = to32(s);
    }
    std::u32string r;
    for (char32_t x : m_) {
      const std::uint32_t xm = U_MASK(u_charType(static_cast<UChar32>(x)));
      if (xm & (U_GC_MN_MASK | U_GC_ME_MASK)) continue;
      if (x == 0x0640 || x == 0x200D || prop(static_cast<UChar32>(x), kPropIgnorable))
        continue;
      if (const std::uint64_t cm = custom_map(static_cast<UChar32>(x))) {
        r += static_cast<char32_t>(cm & 0x1FFFFF);
        if (cm >> 21) r += static_cast<char32_t>(cm >> 21);
        continue;
      }
      if (xm & U_GC_ND_MASK) {
        const int32_t v = u_charDigitValue(static_cast<UChar32>(x));
        if (v >= 0 && v <= 9) {
          r += static_cast<char32_t>(U'0' + v);
          continue;
        }
      }
      if ((xm & (U_GC_NO_MASK | U_GC_NL_MASK)) && m_.size() == 1) {
        const double v = u_getNumericValue(static_cast<UChar32>(x));
        if (v >= 0 && v <= 9 && v == static_cast<int>(v)) {
          r += static_cast<char32_t>(U'0' + static_cast<int>(v));
          continue;
        }
      }
      if (x >= 0x80 && (xm & U_GC_L_MASK) && skeleton_script(static_cast<UChar32>(x))) {
        if (char32_t a = skeleton_letter(static_cast<UChar32>(x))) {
          r += a;
          continue;
        }
        // A letter whose upper case is a look-alike though it is not one itself (Cyrillic в н к м т,
        // from В Н К М Т): both cases map to the same letter, so that case never changes a word.
        const UChar32 up = u_toupper(static_cast<UChar32>(x));
        if (up != static_cast<UChar32>(x) && skeleton_script(up)) {
          if (char32_t a = skeleton_letter(up)) {
            r += a;
            continue;
          }
        }
      }
      r += x;
    }
    // Recompose what decomposition split without marks (Hangul syllables, two-part Indic vowels).
    if (complex && nfc_ && r.size() > 1) {
      UErrorCode e = U_ZERO_ERROR;
      icu::UnicodeString s = nfc_->normalize(from32(r), e);
      if (U_SUCCESS(e)) r = to32(s);
    }
    bool has_l = false, has_i = false;
    for (char32_t& x : r) {
      has_i = has_i || x == U'i';
      if (x == U'l') {
        x = U'i';  // one letter for i and l, so leet 1 ! | stands for both
        has_l = true;
      }
    }
    const bool from_l = has_l && !has_i;

    if (gm & U_GC_SC_MASK) {
      bool letters = !r.empty();
      for (char32_t x : r) letters = letters && is_alnum_out(static_cast<UChar32>(x)) && !(x >= '0' && x <= '9');
      if (letters) return set_bytes(t, c, kWord, r);  // ₨ -> rs
      if (r == U"$") return set_bytes(t, c, kLeet, r);
      if (r.size() == 1) return set_bytes(t, c, kCurrency, r);
      return set_self(t, c, kCurrency);
    }
    if (r.size() == 1 && r[0] < 0x80) {
      switch (r[0]) {
        case U'@': case U'$': case U'!': case U'|': return set_bytes(t, c, kLeet, r);
        case U'+': return set_bytes(t, c, kPlus, r);
        default: break;
      }
    }
    if (r.empty()) return set_sep(t, c, kIgnore, 0);
    std::u32string alnum;
    bool fraction = false;
    for (char32_t x : r) {
      if (is_alnum_out(static_cast<UChar32>(x))) alnum += x;
      if (x == 0x2044) fraction = true;
    }
    if (!alnum.empty() && !fraction) {
      set_bytes(t, c, kWord, alnum);
      if (from_l) t.cls[c] |= 0x80;
      return;
    }
    if (const UChar32 canon = canonical_separator(c); canon != c) return set_sep(t, c, kSep, canon);
    const char32_t first = r[0];
    if (prop(static_cast<UChar32>(first), kPropSpace)) return set_sep(t, c, kSpace, U' ');
    return set_sep(t, c, kSep, canonical_separator(static_cast<UChar32>(first)));
  }
};

}  // namespace

const Tables& tables() {
  static const Tables t = [] {
    Tables r;
    const auto t0 = std::chrono::steady_clock::now();
    Builder b;
    b.build(r);
    r.build_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return r;
  }();
  return t;
}

}  // namespace signpost::detail::norm
