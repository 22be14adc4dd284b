// obfuscations.hpp: the disguises of docs/obfuscations.md as functions from text to text, for the
// default-pack tests and the corpus gates.
#pragma once

#include <cctype>
#include <cstddef>
#include <functional>
#include <string>

namespace signpost::test {

// Applies `f` to every ASCII letter position it chooses; the functions below are the disguises.
inline std::string map_ascii(const std::string& s, const std::function<std::string(char, std::size_t)>& f) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) out += f(s[i], i);
  return out;
}

inline std::string fullwidth(const std::string& s) {
  return map_ascii(s, [](char c, std::size_t) -> std::string {
    if (c < '!' || c > '~') return std::string(1, c);
    const char32_t cp = 0xFF01 + (c - '!');
    return {char(0xE0 | (cp >> 12)), char(0x80 | ((cp >> 6) & 0x3F)), char(0x80 | (cp & 0x3F))};
  });
}

// Replaces up to two letters of each word with digits or symbols, as in "f4ke p@ssp0rt".
inline std::string leet(const std::string& s) {
  std::string out;
  int in_word = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ' ') {
      in_word = 0;
      out += c;
      continue;
    }
    const char* sub = nullptr;
    switch (c) {
      case 'a': sub = i % 2 ? "4" : "@"; break;
      case 'e': sub = "3"; break;
      case 'o': sub = "0"; break;
      case 's': sub = i % 2 ? "5" : "$"; break;
      case 'i': sub = "1"; break;
      default: break;
    }
    if (sub && in_word < 2) {
      out += sub;
      ++in_word;
    } else {
      out += c;
    }
  }
  return out;
}

// Leetspeak as adverts write it: up to two letters inside each word become digits or symbols
// ("f4ke", "p@ssp0rt", "cr0$sing"); a word keeps its first letter.
// (The leet() above also replaces first letters, "@gent", "41rport": see docs/normalization.md for
// what the normalizer reads at a word start.)
inline std::string leet_inside(const std::string& s) {
  std::string out;
  int changed = 0;
  bool word_start = true;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!letter && static_cast<unsigned char>(c) < 0x80) {
      word_start = true;
      changed = 0;
      out += c;
      continue;
    }
    const char* sub = nullptr;
    switch (c) {
      case 'a': sub = i % 2 ? "4" : "@"; break;
      case 'e': sub = "3"; break;
      case 'o': sub = "0"; break;
      case 's': sub = i % 2 ? "5" : "$"; break;
      case 'i': sub = "1"; break;
      default: break;
    }
    if (word_start) sub = nullptr;
    if (sub && changed < 2) {
      out += sub;
      ++changed;
    } else {
      out += c;
    }
    word_start = false;
  }
  return out;
}

inline std::string cyrillic(const std::string& s) {
  return map_ascii(s, [](char c, std::size_t) -> std::string {
    switch (c) {
      case 'a': return "\xd0\xb0";  // а
      case 'o': return "\xd0\xbe";  // о
      case 'e': return "\xd0\xb5";  // е
      case 'p': return "\xd1\x80";  // р
      case 'c': return "\xd1\x81";  // с
      default: return std::string(1, c);
    }
  });
}

inline std::string invisible(const std::string& s) {
  const char* marks[] = {"\xe2\x80\x8b", "\xe2\x80\x8d", "\xc2\xad", "\xe2\x81\xa0"};  // ZWSP ZWJ SHY WJ
  return map_ascii(s, [&](char c, std::size_t i) -> std::string {
    std::string out(1, c);
    // After an ASCII character only: never inside the bytes of a multi-byte character.
    if (c != ' ' && static_cast<unsigned char>(c) < 0x80 && i % 3 == 1) out += marks[i % 4];
    return out;
  });
}

// Spells the longest word of the text that has a letter (in code points) with `sep` between its
// code points, for texts in any script. Emoji strings are not words.
inline std::string spelled(const std::string& s, const std::string& sep) {
  const auto cp_len = [](unsigned char b) -> std::size_t { return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4; };
  // An ASCII letter, or a lead byte of Latin-1 to Arabic (U+00C0..U+06FF) or of Latin Extended
  // Additional (Vietnamese, U+1E00..U+1EFF).
  const auto letter = [&](std::size_t k) {
    const auto b = static_cast<unsigned char>(s[k]);
    return std::isalpha(b) || (b >= 0xC3 && b <= 0xDB) ||
           (b == 0xE1 && k + 1 < s.size() && (static_cast<unsigned char>(s[k + 1]) & 0xFE) == 0xBA);
  };
  std::size_t best = 0, best_len = 0, best_bytes = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t j = s.find(' ', i);
    if (j == std::string::npos) j = s.size();
    std::size_t n = 0;
    bool has_letter = false;
    for (std::size_t k = i; k < j; k += cp_len(static_cast<unsigned char>(s[k]))) ++n, has_letter = has_letter || letter(k);
    if (has_letter && n > best_len) best = i, best_len = n, best_bytes = j - i;
    i = j + 1;
  }
  std::string word;
  for (std::size_t k = best; k < best + best_bytes;) {
    const std::size_t l = cp_len(static_cast<unsigned char>(s[k]));
    if (k != best) word += sep;
    word += s.substr(k, l);
    k += l;
  }
  return s.substr(0, best) + word + s.substr(best + best_bytes);
}

inline std::string repeated(const std::string& s) {
  return map_ascii(s, [](char c, std::size_t) -> std::string {
    return (c == 'a' || c == 'o' || c == 's') ? std::string(3, c) : std::string(1, c);
  });
}

inline std::string accented(const std::string& s) {
  return map_ascii(s, [](char c, std::size_t) -> std::string {
    switch (c) {
      case 'a': return "\xc3\xa0";  // à
      case 'e': return "\xc3\xa9";  // é
      case 'o': return "\xc3\xb4";  // ô
      default: return std::string(1, c);
    }
  });
}

inline std::string upper(const std::string& s) {
  return map_ascii(s, [](char c, std::size_t) { return std::string(1, (c >= 'a' && c <= 'z') ? char(c - 32) : c); });
}


// ---- Arabic-script disguises (UTF-8 aware) --------------------------------------------------------

// Calls f(code point, its UTF-8) for each code point of s and joins what f returns.
inline std::string map_code_points(const std::string& s, const std::function<std::string(char32_t, const std::string&)>& f) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 1;
    const std::string bytes = s.substr(i, n);
    char32_t c = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    for (std::size_t k = 1; k < n && i + k < s.size(); ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out += f(c, bytes);
    i += n;
  }
  return out;
}

inline std::string utf8(char32_t c) {
  std::string o;
  if (c < 0x80) o += static_cast<char>(c);
  else if (c < 0x800) o += {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
  else o += {static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)), static_cast<char>(0x80 | (c & 0x3F))};
  return o;
}

inline bool arabic_letter(char32_t c) { return c >= 0x0620 && c <= 0x06D3 && !(c >= 0x064B && c <= 0x0669); }

// Tatweel after every other Arabic letter: "تهـريـب".
inline std::string tatweel(const std::string& s) {
  int n = 0;
  return map_code_points(s, [&](char32_t c, const std::string& b) { return arabic_letter(c) && (++n % 2 == 0) ? b + utf8(0x0640) : b; });
}

// Vowel marks (fatha, kasra, shadda) after Arabic letters.
inline std::string harakat(const std::string& s) {
  int n = 0;
  return map_code_points(s, [&](char32_t c, const std::string& b) {
    if (!arabic_letter(c)) return b;
    static constexpr char32_t kMarks[] = {0x064E, 0x0650, 0x0651};
    return b + utf8(kMarks[n++ % 3]);
  });
}

// Arabic and Persian yeh and kaf written for each other, teh marbuta as heh.
inline std::string arabic_variants(const std::string& s) {
  return map_code_points(s, [](char32_t c, const std::string& b) {
    switch (c) {
      case 0x064A: return utf8(0x06CC);  // ي -> ی
      case 0x06CC: return utf8(0x064A);  // ی -> ي
      case 0x0643: return utf8(0x06A9);  // ك -> ک
      case 0x06A9: return utf8(0x0643);  // ک -> ك
      case 0x0629: return utf8(0x0647);  // ة -> ه
      default: return b;
    }
  });
}

// ASCII digits as Arabic-Indic digits, and Arabic-Indic or Persian digits as ASCII.
inline std::string swap_digits(const std::string& s) {
  return map_code_points(s, [](char32_t c, const std::string& b) {
    if (c >= '0' && c <= '9') return utf8(0x0660 + (c - '0'));
    if (c >= 0x0660 && c <= 0x0669) return std::string(1, static_cast<char>('0' + (c - 0x0660)));
    if (c >= 0x06F0 && c <= 0x06F9) return std::string(1, static_cast<char>('0' + (c - 0x06F0)));
    return b;
  });
}

// Zero-width joiners and spaces inside Arabic-script words.
inline std::string invisible_arabic(const std::string& s) {
  int n = 0;
  return map_code_points(s, [&](char32_t c, const std::string& b) {
    return arabic_letter(c) && (++n % 3 == 0) ? b + utf8(n % 2 ? 0x200B : 0x200D) : b;
  });
}

}  // namespace signpost::test
