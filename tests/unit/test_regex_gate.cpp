// Tests for the regex gate of match/matcher: the decision scans a regex only when the lexicons hit
// let its own condition hold (Matcher::RegexGate::owners). Over the development texts and variants
// of them with amounts, counts and days added, the verdict must be the one found when every regex
// whose condition names a hit lexicon is scanned (RegexGate::lexicons, the gate of before), and
// the narrower gate must skip the scan on texts where the wider one found a regex.
#include <doctest/doctest.h>

#include <fstream>
#include <string>
#include <vector>

#include "base/locale.hpp"
#include "engine_impl.hpp"

using namespace signpost;
using detail::Call;
using detail::EngineImpl;
using detail::Matcher;
using detail::Verdict;

namespace {

struct Text {
  std::string locale, text;
  Mode mode;
};

std::vector<Text> eval_texts() {
  std::vector<Text> out;
  for (const auto& [file, mode] : {std::pair{"dev-queries.tsv", Mode::query}, std::pair{"dev-posts.tsv", Mode::post}}) {
    std::ifstream in(std::string(SIGNPOST_EVAL_DATA) + "/" + file);
    REQUIRE(in);
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] == '#') continue;
      const auto a = line.find('\t'), b = line.find('\t', a + 1);
      if (a == std::string::npos || b == std::string::npos) continue;
      out.push_back({line.substr(a + 1, b - a - 1), line.substr(b + 1), mode});
    }
  }
  return out;
}

// What a verdict says: fired rules with their spans, held contexts, winner, score, cap.
std::string said(const Verdict& v) {
  std::string s;
  for (const auto& f : v.fired) s += "r" + std::to_string(f.rule) + ":" + std::to_string(f.begin) + "-" + std::to_string(f.end) + " ";
  for (auto c : v.held_contexts) s += "c" + std::to_string(c) + " ";
  s += "w" + std::to_string(v.winner) + " " + std::to_string(v.winner_score) + " " + std::to_string(static_cast<int>(v.cap));
  return s;
}

}  // namespace

TEST_CASE("regex gate: a regex skipped because its own condition cannot hold never changes a verdict") {
  const EngineImpl e(std::filesystem::path(SIGNPOST_DEFAULT_PACK_DIR), EngineOptions{});
  std::vector<Text> texts;
  // Each text as it is, and with numbers the pack's regexes read (amounts, "k", days, counts).
  for (const Text& t : eval_texts())
    for (const char* extra : {"", " 1500 euro", " 2000 £ to uk", " 3k", " 5 days", " con 3 cho", " 450"})
      texts.push_back({t.locale, t.text + extra, t.mode});
  REQUIRE(texts.size() > 800);
  std::size_t skipped = 0, fired = 0;
  Verdict wide;
  for (const Text& t : texts) {
    Call& c = e.analyze(Query{t.text, t.locale, t.mode, {}});
    const std::string narrow = said(c.verdict);
    fired += !c.verdict.fired.empty();
    const bool narrow_scanned = !c.regex_hits.empty();
    c.regex_hits.clear();
    e.matcher.scan_regexes(c.norm, c.hits, c.regex_hits, Matcher::RegexGate::lexicons);
    skipped += !narrow_scanned && !c.regex_hits.empty();
    char buf[12];
    wide.begin(e.model.lexicons.size(), e.model.rules.size(), e.model.contexts.size(), e.model.categories.size());
    e.decider.run(detail::LocaleTag::language_into(t.locale, buf), t.mode, c.hits, c.regex_hits, wide);
    INFO(t.locale << " | " << t.text);
    CHECK(narrow == said(wide));
  }
  MESSAGE(texts.size() << " texts, " << fired << " with a fired rule, " << skipped
                       << " where only the wider gate found a regex");
  CHECK(fired > 200);
  CHECK(skipped > 20);
}
