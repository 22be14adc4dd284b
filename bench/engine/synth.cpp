// synth.cpp: see synth.hpp.
#include "synth.hpp"

#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <unordered_set>

namespace bench {
namespace {

// Letters as UTF-8. Within each set below, no two letters fold to the same letter, so a word
// without a letter twice in a row keeps its letter count through normalization.
using Letters = std::vector<std::string_view>;

// Latin: no 'l' (folded to 'i'), no 'c'/'q'/'x'/'y'/'w'/'h'/'j' (kept simple and one-to-one).
const Letters kLatinC = {"b", "d", "f", "g", "k", "m", "n", "p", "r", "s", "t", "v", "z"};
const Letters kLatinV = {"a", "e", "i", "o", "u"};
// Accented forms of each vowel of kLatinV, same order: they fold to the plain vowel.
const std::array<Letters, 5> kAccented = {{
    {"á", "à", "â", "ä"}, {"é", "è", "ê", "ë"}, {"í", "î", "ï"}, {"ó", "ô", "ö"}, {"ú", "û", "ü"}}};

// Cyrillic: the pack and the ordinary text use different consonants (the vowels are shared).
const Letters kCyrPackC = {"б", "г", "д", "ж", "з", "к", "п", "т"};
const Letters kCyrTextC = {"в", "м", "н", "р", "с", "ф", "х", "ч", "ш"};
const Letters kCyrV = {"а", "е", "о", "у"};

// Arabic script, without the attached particles و ف ب ل ك and without ا (part of ال), so no
// word starts with something the engine would strip. The ordinary text uses the Persian yeh ی
// (folded to ي) and the Persian letters پ چ ژ گ; the pack uses ي.
const Letters kArPack = {"ت", "ث", "ج", "ح", "خ", "د", "ذ", "ر", "ز", "ش", "ص", "ط", "ع", "ق", "م", "ن", "ه", "ي"};
const Letters kArText = {"ت", "ج", "ح", "د", "ر", "ز", "س", "ش", "ص", "ض", "ط", "ظ", "ع", "غ", "ق", "م", "ن", "ه",
                         "ی", "پ", "چ", "ژ", "گ"};

// Greek (ordinary text only): letters without an ASCII look-alike among the consonants.
const Letters kGreekC = {"λ", "μ", "π", "σ", "τ", "φ", "ψ", "δ", "θ"};
const Letters kGreekV = {"α", "ε", "ο", "ω"};

// Han (ordinary text only).
const Letters kHan = {"的", "一", "是", "不", "了", "人", "我", "在", "有", "他", "这", "中", "大", "来", "上",
                      "国", "个", "到", "说", "们", "为", "子", "和", "你", "地", "出", "道", "也", "时", "年",
                      "天", "气", "新", "闻", "火", "车", "票", "价", "格", "学", "校", "电", "影", "音", "乐"};

// Draws from the generator (below() is in synth.hpp).

// Uniform in [0, 1).
double unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

bool chance(std::mt19937_64& rng, double p) { return unit(rng) < p; }

// Uniform in [lo, hi].
std::size_t uniform(std::mt19937_64& rng, std::size_t lo, std::size_t hi) {
  return lo + static_cast<std::size_t>(below(rng, static_cast<std::uint64_t>(hi - lo) + 1));
}

// An index drawn with the given weights (which need not sum to 1).
std::size_t weighted(std::mt19937_64& rng, std::initializer_list<double> weights) {
  double total = 0;
  for (double w : weights) total += w;
  double r = unit(rng) * total;
  std::size_t i = 0;
  for (double w : weights) {
    if (r < w) return i;
    r -= w;
    ++i;
  }
  return weights.size() - 1;
}

template <class T>
const T& pick(std::mt19937_64& rng, const std::vector<T>& v) {
  return v[below(rng, v.size())];
}

template <class T>
void shuffle(std::vector<T>& v, std::mt19937_64& rng) {  // Fisher-Yates
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(rng, i)]);
}

// A pronounceable-looking word of `n` letters: consonants from `cons`, vowels from `vowels`, at
// most two consonants in a row, and never the same letter twice in a row (so folding repeated
// letters cannot shorten it). With `accent` > 0, Latin vowels take an accent at that rate.
std::string pseudo_word(std::mt19937_64& rng, std::size_t n, const Letters& cons, const Letters& vowels,
                        double accent = 0) {
  std::string w;
  std::size_t consonants_in_row = 0, prev = static_cast<std::size_t>(-1);
  bool prev_vowel = false;
  for (std::size_t i = 0; i < n; ++i) {
    bool vowel;
    if (i == 0) vowel = chance(rng, 0.3);
    else if (consonants_in_row >= 2) vowel = true;
    else if (prev_vowel) vowel = chance(rng, 0.15);
    else vowel = chance(rng, 0.65);
    const Letters& cls = vowel ? vowels : cons;
    std::size_t k;
    do k = uniform(rng, 0, cls.size() - 1);
    while (i > 0 && vowel == prev_vowel && k == prev);
    if (vowel && accent > 0 && &vowels == &kLatinV && chance(rng, accent)) w += pick(rng, kAccented[k]);
    else w += cls[k];
    consonants_in_row = vowel ? 0 : consonants_in_row + 1;
    prev_vowel = vowel;
    prev = k;
  }
  return w;
}

// `n` letters of one set, no letter twice in a row.
std::string distinct_run(std::mt19937_64& rng, std::size_t n, const Letters& set) {
  std::string w;
  std::size_t prev = set.size();
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t k;
    do k = uniform(rng, 0, set.size() - 1);
    while (k == prev);
    w += set[k];
    prev = k;
  }
  return w;
}

// Letters in a pack word: odd. Three-letter words are kept rare, as short terms are in real packs
// (a pack where most three-letter strings are terms would make every text a field of partial hits).
std::size_t odd_length(std::mt19937_64& rng) {
  const std::size_t lengths[] = {3, 5, 7, 9};
  return lengths[weighted(rng, {0.02, 0.43, 0.40, 0.15})];
}

// Letters in an ordinary word: even.
std::size_t even_length(std::mt19937_64& rng) {
  const std::size_t lengths[] = {2, 4, 6, 8, 10};
  return lengths[weighted(rng, {0.12, 0.33, 0.33, 0.17, 0.05})];
}

// The key under which two pack phrases count as one: accents folded to the plain vowel.
std::string fold_key(const std::string& s) {
  std::string out = s;
  for (std::size_t v = 0; v < kAccented.size(); ++v)
    for (std::string_view a : kAccented[v]) {
      for (std::size_t pos; (pos = out.find(a)) != std::string::npos;) out.replace(pos, a.size(), kLatinV[v]);
    }
  return out;
}

enum class Script { latin, accented, cyrillic, arabic };

const char* lang_tag(Script s) {
  switch (s) {
    case Script::latin: return "en";
    case Script::accented: return "tr";
    case Script::cyrillic: return "ru";
    case Script::arabic: return "ar";
  }
  return "en";
}

std::string pack_word(std::mt19937_64& rng, Script s) {
  switch (s) {
    case Script::latin: return pseudo_word(rng, odd_length(rng), kLatinC, kLatinV);
    case Script::accented: {
      std::string w;
      do w = pseudo_word(rng, odd_length(rng), kLatinC, kLatinV, 0.6);
      while (fold_key(w) == w);  // at least one accent
      return w;
    }
    case Script::cyrillic: return pseudo_word(rng, odd_length(rng), kCyrPackC, kCyrV);
    case Script::arabic: {
      const std::size_t lengths[] = {3, 5, 7};
      return distinct_run(rng, lengths[weighted(rng, {0.03, 0.72, 0.25})], kArPack);
    }
  }
  return {};
}

std::string id_of(const char* prefix, std::size_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s-%05zu", prefix, i);
  return buf;
}

void write_file(const std::filesystem::path& p, const std::string& text, SynthPack& pack) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream f(p, std::ios::binary);
  f << text;
  if (!f) throw std::runtime_error("cannot write " + p.string());
  pack.bytes += text.size();
  ++pack.files;
}

}  // namespace

std::uint64_t below(std::mt19937_64& rng, std::uint64_t n) {
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
  std::uint64_t x;
  do x = rng();
  while (x >= limit);
  return x % n;
}

SynthPack write_pack(const std::filesystem::path& dir, std::size_t phrases, std::uint64_t seed,
                     std::size_t terms_per_lexicon) {
  std::mt19937_64 rng(seed);
  SynthPack pack;
  pack.dir = dir;
  terms_per_lexicon = std::clamp<std::size_t>(terms_per_lexicon, 1, 4096);
  pack.lexicons = std::max<std::size_t>(2, (phrases + terms_per_lexicon - 1) / terms_per_lexicon);

  // Word pools per script, then phrases of 1 to 3 words from one pool (words recur across phrases
  // as they do in real lexicons: "boat", "small boat", "boat trip").
  const Script scripts[] = {Script::latin, Script::accented, Script::cyrillic, Script::arabic};
  const double script_share[] = {0.65, 0.15, 0.10, 0.10};
  std::array<std::vector<std::string>, 4> pools;
  std::unordered_set<std::string> seen_words;
  for (std::size_t s = 0; s < 4; ++s) {
    const std::size_t want = std::max<std::size_t>(200, static_cast<std::size_t>(phrases * script_share[s] * 0.7));
    for (std::size_t tries = 0; pools[s].size() < want && tries < want * 20; ++tries) {
      std::string w = pack_word(rng, scripts[s]);
      if (seen_words.insert(fold_key(w)).second) pools[s].push_back(std::move(w));
    }
  }
  std::unordered_set<std::string> seen;
  std::vector<std::pair<Script, std::string>> made;
  made.reserve(phrases);
  while (made.size() < phrases) {
    const std::size_t s = weighted(rng, {script_share[0], script_share[1], script_share[2], script_share[3]});
    const std::size_t n = weighted(rng, {0.4, 0.4, 0.2}) + 1;  // words in the phrase
    std::string p;
    for (std::size_t i = 0; i < n; ++i) {
      if (i) p += ' ';
      p += pick(rng, pools[s]);
    }
    if (seen.insert(fold_key(p)).second) made.emplace_back(scripts[s], std::move(p));
  }

  // Lexicons, `per_file` to a file.
  constexpr std::size_t per_file = 20;
  std::size_t next = 0;
  std::string y;
  for (std::size_t li = 0; li < pack.lexicons; ++li) {
    if (li % per_file == 0) y = "lexicons:\n";
    const std::size_t end = std::min(made.size(), next + terms_per_lexicon);
    y += "  - id: " + id_of("lex", li) + "\n    description: synthetic lexicon\n    terms:\n";
    for (Script s : scripts) {
      bool open = false;
      for (std::size_t i = next; i < end; ++i) {
        if (made[i].first != s) continue;
        if (!open) {
          y += std::string("      ") + lang_tag(s) + ":\n";
          open = true;
        }
        y += "        - \"" + made[i].second + "\"\n";
        pack.phrases.push_back({made[i].second, static_cast<std::uint32_t>(li)});
      }
    }
    if (end == next) y += "      en: [\"" + pick(rng, pools[0]) + "\"]\n";  // a lexicon is never empty
    next = end;
    if (li % per_file == per_file - 1 || li + 1 == pack.lexicons)
      write_file(dir / "lexicons" / (id_of("lexicons", li / per_file) + ".yaml"), y, pack);
  }

  // Rules: for each lexicon i and its neighbour j = i + 1 (mod n),
  //   single-i  any: [i]                        weight 0.55 (alone reaches the threshold)
  //   near-i    all: [i], near: {of: [i, j], within: 4}    weight 0.8
  //   pair-i    all: [i, j]                     weight 0.3
  y = "rules:\n";
  for (std::size_t i = 0; i < pack.lexicons; ++i) {
    const std::string a = id_of("lex", i), b = id_of("lex", (i + 1) % pack.lexicons);
    y += "  - id: " + id_of("single", i) + "\n    category: synthetic\n    weight: 0.55\n    any: [" + a + "]\n";
    y += "  - id: " + id_of("near", i) + "\n    category: synthetic\n    weight: 0.8\n    all: [" + a +
         "]\n    near:\n      - of: [" + a + ", " + b + "]\n        within: 4\n";
    y += "  - id: " + id_of("pair", i) + "\n    category: synthetic\n    weight: 0.3\n    all: [" + a + ", " + b +
         "]\n";
    pack.rules += 3;
  }
  write_file(dir / "rules" / "rules.yaml", y, pack);

  write_file(dir / "pack.yaml",
             "name: synthetic-" + std::to_string(phrases) +
                 "\nversion: 1.0.0\ndescription: Synthetic pack for the engine benchmark\nlanguages: [en]\n"
                 "default_locale: en\n",
             pack);
  write_file(dir / "categories.yaml",
             "categories:\n  - id: synthetic\n    description: synthetic category\n    action: redirect\n"
             "    threshold: 0.5\n    cards: [synthetic-help]\n",
             pack);
  write_file(dir / "cards" / "en.yaml",
             "locale: en\ncards:\n  - id: synthetic-help\n    title: Help is available\n"
             "    body: A synthetic card used by the benchmark.\n    cta: Learn more\n"
             "    url: https://www.example.org/help\n",
             pack);
  return pack;
}

// --- text --------------------------------------------------------------------------------------

TextGen::TextGen(std::uint64_t seed) : rng_(seed), vocab_(6) {
  const std::size_t sizes[6] = {3000, 2000, 2000, 2000, 1000, 600};
  for (std::size_t l = 0; l < 6; ++l) {
    std::unordered_set<std::string> seen;
    auto& v = vocab_[l];
    for (std::size_t tries = 0; v.size() < sizes[l] && tries < sizes[l] * 20; ++tries) {
      std::string w;
      switch (static_cast<Lang>(l)) {
        case Lang::en: w = pseudo_word(rng_, even_length(rng_), kLatinC, kLatinV); break;
        case Lang::fr: w = pseudo_word(rng_, even_length(rng_), kLatinC, kLatinV, 0.25); break;
        case Lang::ru: w = pseudo_word(rng_, even_length(rng_), kCyrTextC, kCyrV); break;
        case Lang::ar: w = distinct_run(rng_, 2 * uniform(rng_, 1, 3), kArText); break;
        case Lang::el: w = pseudo_word(rng_, even_length(rng_), kGreekC, kGreekV); break;
        case Lang::zh: w = distinct_run(rng_, chance(rng_, 0.7) ? 2 : 4, kHan); break;
      }
      if (seen.insert(w).second) v.push_back(std::move(w));
    }
  }
}

TextGen::Lang TextGen::pick_lang() {
  return static_cast<Lang>(weighted(rng_, {0.42, 0.16, 0.14, 0.16, 0.06, 0.06}));
}

std::string TextGen::word(Lang l) {
  if (l != Lang::zh && chance(rng_, 0.04)) {  // a number: 2 or 4 digits
    const std::size_t n = chance(rng_, 0.5) ? 2 : 4;
    std::string d;
    for (std::size_t i = 0; i < n; ++i) d += static_cast<char>('0' + uniform(rng_, 0, 9));
    return d;
  }
  return pick(rng_, vocab_[static_cast<std::size_t>(l)]);
}

static std::string capitalise(const std::string& s, bool all) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);
  if (all) u.toUpper();
  else u.replace(0, 1, icu::UnicodeString(u, 0, 1).toUpper());
  std::string out;
  u.toUTF8String(out);
  return out;
}

std::string TextGen::sentence_words(Lang l, std::size_t target_bytes, bool cap) {
  std::string s;
  while (s.size() < target_bytes) {
    std::string w = word(l);
    if (l != Lang::zh && l != Lang::ar) {
      if (s.empty() && cap) w = capitalise(w, false);
      else if (chance(rng_, 0.03)) w = capitalise(w, true);
    }
    if (!s.empty()) s += ' ';
    s += w;
  }
  return s;
}

static const char* locale_of(int l) {
  static const char* tags[6] = {"en", "fr", "ru", "ar", "el", "zh"};
  return tags[l];
}

Sample TextGen::ordinary_query(std::size_t target_bytes) {
  const Lang l = pick_lang();
  const std::size_t t = uniform(rng_, target_bytes * 7 / 10, target_bytes * 11 / 10);
  Sample q{sentence_words(l, t, chance(rng_, 0.3)), locale_of(static_cast<int>(l)), false};
  if (chance(rng_, 0.1)) q.text += '?';
  return q;
}

std::string TextGen::phrase_variant(const std::string& p) {
  const double r = unit(rng_);
  if (r < 0.2) return capitalise(p, false);
  if (r < 0.3) return capitalise(p, true);
  return p;
}

Sample TextGen::planted_query(const std::vector<Phrase>& phrases, std::size_t lexicons, std::size_t target_bytes) {
  const Phrase& p = pick(rng_, phrases);
  std::string planted = phrase_variant(p.text);
  if (chance(rng_, 0.3)) {  // a second phrase from the neighbouring lexicon, for near / all rules
    const std::uint32_t want = static_cast<std::uint32_t>((p.lexicon + 1) % lexicons);
    for (int tries = 0; tries < 64; ++tries) {
      const Phrase& q = pick(rng_, phrases);
      if (q.lexicon == want) {
        planted += ' ' + (chance(rng_, 0.5) ? word(Lang::en) + ' ' : std::string()) + phrase_variant(q.text);
        break;
      }
    }
  }
  const Lang l = pick_lang();
  const std::size_t t = uniform(rng_, target_bytes * 7 / 10, target_bytes * 11 / 10);
  std::vector<std::string> words;
  std::size_t len = planted.size();
  while (len < t) {
    words.push_back(word(l));
    len += words.back().size() + 1;
  }
  words.insert(words.begin() + static_cast<std::ptrdiff_t>(uniform(rng_, 0, words.size())), planted);
  Sample q{{}, locale_of(static_cast<int>(l)), true};
  for (const auto& w : words) {
    if (!q.text.empty()) q.text += ' ';
    q.text += w;
  }
  return q;
}

Sample TextGen::post(const std::vector<Phrase>& phrases, std::size_t bytes, bool plant) {
  const Lang l = pick_lang();
  Sample s{{}, locale_of(static_cast<int>(l)), plant};
  const std::size_t at = plant ? uniform(rng_, 0, bytes * 3 / 4) : bytes;
  bool planted = false;
  while (s.text.size() < bytes) {
    if (!s.text.empty()) s.text += ' ';
    std::string sent = sentence_words(l, uniform(rng_, 30, 120), true);
    if (plant && !planted && s.text.size() >= at) {
      sent += ' ' + pick(rng_, phrases).text;
      planted = true;
    }
    s.text += sent;
    s.text += chance(rng_, 0.15) ? (l == Lang::ar ? "؟" : "?") : (l == Lang::zh ? "。" : ".");
  }
  // Cut at `bytes`, on a character boundary.
  std::size_t cut = std::min(bytes, s.text.size());
  while (cut > 0 && (static_cast<unsigned char>(s.text[cut]) & 0xC0) == 0x80) --cut;
  s.text.resize(cut);
  return s;
}

std::vector<Sample> TextGen::query_mix(const std::vector<Phrase>& phrases, std::size_t lexicons, std::size_t n,
                                       double planted_share, std::size_t target_bytes) {
  std::vector<Sample> out;
  out.reserve(n);
  const auto planted = static_cast<std::size_t>(static_cast<double>(n) * planted_share + 0.5);
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(i < planted ? planted_query(phrases, lexicons, target_bytes) : ordinary_query(target_bytes));
  shuffle(out, rng_);
  return out;
}

}  // namespace bench
