// Tests for match/regex_prefilter (the byte condition that lets the matcher skip hs_scan): for every
// regex of the default pack and for patterns written to exercise the syntax, on texts made from the
// patterns' own pieces, digits, punctuation and other scripts, a regex that matches a text always
// has its condition true there, and the matcher finds the same regex hits with the prefilter on
// and off. The verdicts of the development texts are the same either way.
#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "base/fast_paths.hpp"
#include "base/locale.hpp"
#include "engine_impl.hpp"
#include "match/regex_prefilter.hpp"

using namespace signpost;
using detail::Matcher;
using detail::NormalizedText;
using detail::PackModel;
using detail::RegexHit;
using detail::RegexPrefilter;
using detail::RegexSpec;

namespace {

struct PrefilterOff {
  PrefilterOff() { detail::set_fast_path(detail::FastPath::regex_prefilter, false); }
  ~PrefilterOff() { detail::set_fast_path(detail::FastPath::regex_prefilter, true); }
};

std::vector<RegexHit> regex_hits(const Matcher& m, const NormalizedText& t) {
  std::vector<RegexHit> rhits;
  m.scan_regexes(t, {}, rhits);
  return rhits;
}

bool same(const std::vector<RegexHit>& a, const std::vector<RegexHit>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].regex != b[i].regex || a[i].begin != b[i].begin || a[i].end != b[i].end) return false;
  return true;
}

// The pieces a text is made of: the literal runs of the patterns (words, Arabic words, currency
// signs), numbers of every length, punctuation, letters, and characters of other scripts that a
// careless reading of \d or [^...] would get wrong.
std::vector<std::string> pieces_of(const std::vector<std::string>& patterns) {
  std::vector<std::string> out = {" ",  " ",  " ",  ".",  ",",  ":",  "%",  ";",  "!",  ")",  "-",  "€",
                                  "£",  "$",  "k",  "e",  "p",  "m",  "tr", "é",  "ü",  "٣",  "۴",  "３",
                                  "\n", "\t", "_",  "A",  "Z",  "x",  "q",  "ك",  "و",  "ZZ", "\xC2\xA0"};
  for (const std::string& p : patterns) {
    std::string run;
    for (std::size_t i = 0; i <= p.size(); ++i) {
      const char c = i < p.size() ? p[i] : '(';
      const bool literal = static_cast<unsigned char>(c) >= 0x80 || (c >= 'a' && c <= 'z') || c == ' ';
      if (literal && !(i > 0 && p[i - 1] == '\\')) {
        run += c;
      } else {
        if (!run.empty() && run != " ") out.push_back(run);
        run.clear();
      }
    }
  }
  return out;
}

struct Gen {
  std::mt19937_64 rng{20240611};
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(rng() % n); }
  std::string number() {
    std::string s(1 + below(7), '0');
    for (char& c : s) c = static_cast<char>('0' + below(10));
    if (below(4) == 0 && s.size() > 1) s.insert(1 + below(s.size() - 1), below(2) ? "." : ",");
    return s;
  }
  std::string text(const std::vector<std::string>& pieces) {
    std::string t;
    const std::size_t n = below(9);
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t kind = below(8);
      if (kind < 4) t += pieces[below(pieces.size())];
      else if (kind < 6) t += number();
      else t += ' ';
      // Parts of a piece too, so that a literal is sometimes cut short.
      if (below(16) == 0 && !t.empty()) t.resize(below(t.size()));
    }
    return t;
  }
};

// For each pattern alone and for all of them together: the same hits with the prefilter on and off,
// and the prefilter's condition true wherever the pattern matched. Returns the texts where some
// pattern matched, and the (pattern, text) pairs where the pattern's condition was false (the scans
// skipped when that pattern is the only one).
std::pair<std::size_t, std::size_t> check_patterns(const std::vector<std::string>& patterns,
                                                   const std::vector<std::string>& extra_texts, std::size_t random_texts) {
  const PackModel model;
  std::vector<Problem> problems;
  std::vector<RegexSpec> all;
  std::vector<Matcher> alone(patterns.size());
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    all.push_back(RegexSpec{patterns[i], {}});
    alone[i].compile(model, {RegexSpec{patterns[i], {}}}, problems);
  }
  Matcher together;
  together.compile(model, all, problems);
  for (const Problem& pr : problems) MESSAGE(pr.message);
  REQUIRE(problems.empty());
  RegexPrefilter filter;
  filter.build(patterns);

  std::vector<std::string> texts = extra_texts;
  Gen g;
  const auto pieces = pieces_of(patterns);
  for (std::size_t k = 0; k < random_texts; ++k) texts.push_back(g.text(pieces));

  std::size_t matched = 0, skipped = 0, none = 0;
  NormalizedText t;
  for (const std::string& s : texts) {
    t.text = s;
    const std::uint64_t atoms = filter.atoms(s);
    bool any_match = false, any_may = false;
    for (std::size_t i = 0; i < patterns.size(); ++i) {
      std::vector<RegexHit> off;
      {
        PrefilterOff o;
        off = regex_hits(alone[i], t);
      }
      const std::vector<RegexHit> on = regex_hits(alone[i], t);
      INFO("pattern " << i << ": " << patterns[i] << " | text: " << s);
      CHECK(same(on, off));
      if (!off.empty()) CHECK(filter.may_match(i, atoms));
      any_match = any_match || !off.empty();
      any_may = any_may || filter.may_match(i, atoms);
      skipped += !filter.may_match(i, atoms);
    }
    std::vector<RegexHit> off;
    {
      PrefilterOff o;
      off = regex_hits(together, t);
    }
    INFO("all patterns | text: " << s);
    CHECK(same(regex_hits(together, t), off));
    matched += any_match;
    none += !any_may;
  }
  MESSAGE(patterns.size() << " patterns, " << texts.size() << " texts: " << matched << " matched by some pattern, "
                          << skipped << " (pattern, text) pairs skipped, " << none << " texts where every condition was false");
  return {matched, skipped};
}

std::vector<std::string> dev_texts() {
  std::vector<std::string> out;
  for (const char* file : {"dev-queries.tsv", "dev-posts.tsv"}) {
    std::ifstream in(std::string(SIGNPOST_EVAL_DATA) + "/" + file);
    REQUIRE(in);
    for (std::string line; std::getline(in, line);) {
      const auto a = line.find('\t'), b = line.find('\t', a + 1);
      if (line.empty() || line[0] == '#' || a == std::string::npos || b == std::string::npos) continue;
      out.push_back(line.substr(b + 1));
    }
  }
  return out;
}

}  // namespace

TEST_CASE("regex prefilter: every regex of the default pack finds the same hits with the scan skipped where it cannot match") {
  const detail::EngineImpl e(std::filesystem::path(SIGNPOST_DEFAULT_PACK_DIR), EngineOptions{});
  std::vector<std::string> patterns;
  for (const RegexSpec& r : detail::regex_specs(e.model)) patterns.push_back(r.pattern);
  REQUIRE(patterns.size() > 20);
  // The development texts normalized as the engine reads them, with and without amounts added.
  std::vector<std::string> texts;
  NormalizedText n;
  for (const std::string& s : dev_texts())
    for (const char* extra : {"", " 1500 euro", " 2.000 £", " 3k", " 5 days", " con 3 cho", " 450", " 12 nights"}) {
      detail::normalize(s + extra, n);
      texts.push_back(n.text);
    }
  const auto [matched, skipped] = check_patterns(patterns, texts, 6000);
  CHECK(matched > 2000);
  CHECK(skipped > 50000);
  // Most of the pack's regexes need a digit or a word of their own: their condition says so.
  RegexPrefilter f;
  f.build(patterns);
  std::size_t always = 0;
  for (std::size_t i = 0; i < patterns.size(); ++i) always += f.always(i);
  CHECK(always == 0);
}

TEST_CASE("regex prefilter: patterns written for the syntax find the same hits with the prefilter on and off") {
  const std::vector<std::string> patterns = {
      "[0-9]",          "\\d\\d",          "a?b",              "(ab|cd){1,3}e",    "x{0,4}y",
      "(?:foo|bar){2}", "\\.\\$",          "[]]x",             "[^]a]b",           "\\s\\w",
      "[-a]z",          "[a\\-z]q",        "é|ü",              "\\bword\\b",       "a.b",
      "\\x41\\x{42}",   "\\x{e9}t",        "[\\x{600}-\\x{6ff}]", "[^a-z]",         "k{0,2}m",
      "(a|b|c|d|e|f|g|h|i|j)(k|l|m|n|o|p|q|r|s|t)", "(?i)abc",   "\\Qa.b\\E",        "(?<n>ab)c",
      "\\p{Arabic}x",    "[\\d.]{3}",        "[\\p{L}]z",        "هزار|k",
      "(^|[^0-9])[1-9] ?[^0-9.,:%]",       "\\t\\n|\\e",       "[\\s]p",           "a{2,3}?b",
      "(x|)y",          "[\\w-]{2}!",      "z\\b|\\Bq",        "€[0-9]{2}|[0-9]{2}€", "a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p",
  };
  std::vector<std::string> texts = {"", "ab", "cde", "AB", "é", "ü", "x", "]x", "ab.$", "1", "٣", "３3", "\t\n"};
  const auto [matched, skipped] = check_patterns(patterns, texts, 4000);
  CHECK(matched > 1000);
  CHECK(skipped > 10000);
  RegexPrefilter f;
  f.build(patterns);
  const auto index = [&](std::string_view p) {
    return static_cast<std::size_t>(std::find(patterns.begin(), patterns.end(), p) - patterns.begin());
  };
  // What the reader does not know gives "always"; what it knows gives a condition.
  for (const char* p : {"(?i)abc", "\\Qa.b\\E", "(?<n>ab)c"}) CHECK(f.always(index(p)));
  for (const char* p : {"[0-9]", "\\d\\d", "a?b", "(ab|cd){1,3}e", "\\.\\$", "é|ü", "\\x41\\x{42}"}) CHECK(!f.always(index(p)));
  CHECK(!f.may_match(index("[0-9]"), f.atoms("no digits here")));
  CHECK(f.may_match(index("[0-9]"), f.atoms("a 3 here")));
}

TEST_CASE("regex prefilter: the development texts get the same verdicts with the prefilter on and off") {
  const detail::EngineImpl e(std::filesystem::path(SIGNPOST_DEFAULT_PACK_DIR), EngineOptions{});
  std::size_t fired = 0, n = 0;
  for (const std::string& s : dev_texts())
    for (const char* extra : {"", " 1500 euro", " 3k", " 5 days", " 450"})
      for (const Mode mode : {Mode::query, Mode::post}) {
        const std::string text = s + extra;
        std::string on, off;
        const auto said = [](const detail::Verdict& v) {
          std::string r;
          for (const auto& f : v.fired) r += std::to_string(f.rule) + ":" + std::to_string(f.begin) + "-" + std::to_string(f.end) + " ";
          for (auto c : v.held_contexts) r += "c" + std::to_string(c) + " ";
          return r + "w" + std::to_string(v.winner) + " " + std::to_string(v.winner_score);
        };
        on = said(e.analyze(Query{text, {}, mode, {}}).verdict);
        {
          PrefilterOff o;
          off = said(e.analyze(Query{text, {}, mode, {}}).verdict);
        }
        INFO(text);
        CHECK(on == off);
        fired += on.find(':') != std::string::npos;
        ++n;
      }
  MESSAGE(n << " texts, " << fired << " with a fired rule");
  CHECK(fired > 200);
}
