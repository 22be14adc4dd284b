#include "pack/romanized.hpp"

#include <algorithm>
#include <set>

namespace signpost::detail {
namespace {

bool letter(char c) noexcept { return c >= 'a' && c <= 'z'; }

// The letters an Arabizi digit stands for, in the spelling most common without digits.
const char* digit_reading(char d) noexcept {
  switch (d) {
    case '2': return "";    // hamza: usually not written
    case '3': return "a";   // ayn
    case '5': return "kh";  // kha
    case '6': return "t";   // emphatic ta
    case '7': return "h";   // ha
    case '8': return "gh";  // ghayn
    case '9': return "q";   // qaf (Gulf writers also use it for sad)
    default: return nullptr;
  }
}

// A letter sequence that Arabizi writes with a digit, at s[i]: its length and digit, or 0.
std::size_t digit_spelling(const std::string& s, std::size_t i, char& digit) noexcept {
  const char c = s[i];
  const char next = i + 1 < s.size() ? s[i + 1] : ' ';
  const char prev = i > 0 ? s[i - 1] : ' ';
  if (c == 'k' && next == 'h') return digit = '5', 2;
  if (c == 'g' && next == 'h') return digit = '8', 2;
  if (c == 'q') return digit = '9', 1;
  // h alone (not the second letter of sh, ch, th, dh, zh, kh, gh)
  if (c == 'h' && prev != 's' && prev != 'c' && prev != 't' && prev != 'd' && prev != 'z' && prev != 'k' && prev != 'g')
    return digit = '7', 1;
  return 0;
}

}  // namespace

bool arabic_script_language(std::string_view tag) noexcept {
  const std::string_view lang = tag.substr(0, tag.find('-'));
  static constexpr std::string_view kLangs[] = {
      "ar",  "arz", "apc", "ajp", "acm", "afb", "ary", "arq", "aeb", "ayl", "fa",  "prs",
      "pes", "ckb", "sdh", "ps",  "pbt", "pbu", "pus", "ur",
  };
  return std::find(std::begin(kLangs), std::end(kLangs), lang) != std::end(kLangs);
}

std::vector<std::string> arabizi_variants(std::string_view term) {
  std::vector<std::string> out;
  std::string s;
  for (char c : term) {
    if (static_cast<unsigned char>(c) >= 0x80) return out;  // not a romanised term
    s += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  std::size_t letters = 0;
  bool digits = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    letters += letter(s[i]);
    const bool beside_letter = (i > 0 && letter(s[i - 1])) || (i + 1 < s.size() && letter(s[i + 1]));
    digits |= digit_reading(s[i]) != nullptr && beside_letter;
  }
  auto add = [&](std::string v) {
    if (v != s && std::find(out.begin(), out.end(), v) == out.end()) out.push_back(std::move(v));
  };
  if (digits) {
    // Digits beside a letter read as letters; other digits (a number in the term) stay.
    std::string v;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char* r = digit_reading(s[i]);
      const bool beside_letter = (i > 0 && letter(s[i - 1])) || (i + 1 < s.size() && letter(s[i + 1]));
      if (r && beside_letter) v += r;
      else v += s[i];
    }
    add(std::move(v));
    return out;
  }
  if (letters < 4) return out;
  struct Spot {
    std::size_t at, len;
    char digit;
  };
  std::vector<Spot> spots;
  for (std::size_t i = 0; i < s.size();) {
    char d = 0;
    if (const std::size_t len = digit_spelling(s, i, d)) {
      spots.push_back({i, len, d});
      i += len;
    } else {
      ++i;
    }
  }
  if (spots.empty()) return out;
  // Every combination for up to 3 places; with more, each place alone and all of them.
  std::vector<unsigned> masks;
  if (spots.size() <= 3) {
    for (unsigned m = 1; m < (1u << spots.size()); ++m) masks.push_back(m);
  } else {
    for (unsigned k = 0; k < spots.size() && k < 31; ++k) masks.push_back(1u << k);
    masks.push_back(spots.size() >= 32 ? ~0u : (1u << spots.size()) - 1);
  }
  for (unsigned m : masks) {
    std::string v;
    std::size_t i = 0;
    for (std::size_t k = 0; k < spots.size(); ++k) {
      v.append(s, i, spots[k].at - i);
      if (k < 32 && (m >> k) & 1u) v += spots[k].digit;
      else v.append(s, spots[k].at, spots[k].len);
      i = spots[k].at + spots[k].len;
    }
    v.append(s, i, std::string::npos);
    add(std::move(v));
  }
  return out;
}

void add_romanized_variants(PackModel& model) {
  for (Lexicon& lex : model.lexicons) {
    std::set<std::string> seen;
    for (const TermSpec& t : lex.terms) seen.insert(t.text);
    const std::size_t original = lex.terms.size();
    for (std::size_t i = 0; i < original; ++i) {
      if (!arabic_script_language(lex.terms[i].lang)) continue;
      for (std::string& v : arabizi_variants(lex.terms[i].text)) {
        if (!seen.insert(v).second) continue;
        TermSpec spec = lex.terms[i];  // a copy: push_back may move the vector
        spec.text = std::move(v);
        lex.terms.push_back(std::move(spec));
      }
    }
  }
}

}  // namespace signpost::detail
