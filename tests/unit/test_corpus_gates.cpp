// Gates on the default pack's development corpus (messages/people-smuggling/corpus/dev/*.jsonl):
// no help-seeking or distress item is ever warned or redirected, and the obfuscation classes of
// docs/obfuscations.md keep the pack's detections. Compiled when the corpus is in the tree
// (tests/CMakeLists.txt defines SIGNPOST_CORPUS_DIR); ctest runs each gate under its own name.
#ifdef SIGNPOST_CORPUS_DIR
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <signpost/signpost.hpp>
#include <signpost/tools/eval.hpp>

#include "obfuscations.hpp"
#include "default_pack.hpp"

using signpost::test::default_pack;

using signpost::Action;
using signpost::Mode;
namespace fs = std::filesystem;

namespace {

struct CorpusItem {
  signpost::tools::LabelledItem item;
  Mode mode = Mode::query;
  std::string file;
};

// Every item of the dev corpus; files named posts-* are judged in post mode.
const std::vector<CorpusItem>& corpus() {
  static const std::vector<CorpusItem> items = [] {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(SIGNPOST_CORPUS_DIR))
      if (e.path().extension() == ".jsonl") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<CorpusItem> out;
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      const Mode mode = f.filename().string().rfind("posts", 0) == 0 ? Mode::post : Mode::query;
      for (auto& it : signpost::tools::read_labelled(in)) out.push_back({std::move(it), mode, f.filename().string()});
    }
    return out;
  }();
  return items;
}

Action judge(const std::string& text, const CorpusItem& c) {
  return default_pack().evaluate({text, c.item.locale, c.mode, {}}).action;
}

bool has_arabic_script(const std::string& s) {
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0xD8 && b <= 0xDB) return true;  // lead bytes of U+0600..U+06FF
  }
  return false;
}

struct Disguise {
  const char* name;
  std::function<std::string(const std::string&)> apply;
  bool arabic_script;     // applies to Arabic-script items (else to the others)
  double keep = 0.98;     // share of detections that must survive the disguise
};

const std::vector<Disguise>& disguises() {
  using namespace signpost::test;
  static const std::vector<Disguise> d = {
      {"upper case", upper, false},
      {"full width", fullwidth, false},
      // Leetspeak keeps less: two different digits at a word's end are a number ("engl15", "b40",
      // like "covid19"), and Arabizi's own digits read as letters cannot also be leet
      // (docs/normalization.md). Measured 2,087 of 2,137 (0.977) on the dev corpus of pack 2.7.0 and
      // 1,673 of 1,714 (0.976) with pack 2.5.0;
      // 0.954 before "th1$", "d3$", "4nh", "@nd" and "4$ylum" were read as letters; 0.855 before a
      // leet 1 beside an l was read as an i ("angl1") and "fr33", "k1d$" as letters.
      {"leetspeak inside words", leet_inside, false, 0.97},
      // The longest word with a letter spelled out, one code point at a time. Measured on the dev
      // corpus of pack 2.7.0: spaces 2,114 of 2,137 (0.989), dots 2,129 (0.996), Arabic-script
      // items with spaces 1,051 of 1,063 (0.989). What is lost: a word spelled right after a single
      // letter that belongs to a longer term ("a s m a l l boat" joins "asmall": "small boat"
      // matches, "a small boat" does not).
      {"letters spaced apart", [](const std::string& s) { return spelled(s, " "); }, false},
      {"letters dotted apart", [](const std::string& s) { return spelled(s, "."); }, false},
      {"Arabic-script letters spaced apart", [](const std::string& s) { return spelled(s, " "); }, true},
      {"Cyrillic look-alikes", cyrillic, false},
      {"invisible characters", invisible, false},
      {"repeated letters", repeated, false},
      {"accents added", accented, false},
      {"tatweel", tatweel, true},
      {"harakat", harakat, true},
      {"yeh, kaf and teh marbuta variants", arabic_variants, true},
      {"Arabic-Indic and ASCII digits swapped", swap_digits, true},
      {"invisible joiners", invisible_arabic, true},
  };
  return d;
}

}  // namespace

TEST_CASE("corpus gate: no help-seeking or distress item gets an interstitial or a redirect") {
  std::size_t help = 0;
  for (const CorpusItem& c : corpus()) {
    if (c.item.label != 'H') continue;
    ++help;
    const Action a = judge(c.item.text, c);
    INFO(c.file, ":", c.item.line, " (", c.item.locale, ")");
    CHECK(a != Action::interstitial);
    CHECK(a != Action::redirect);
  }
  CHECK(help > 0);
}

// Every disguise applies to the risky items the pack catches undisguised; at least 98% of them must
// still be caught (85% for leetspeak, see below). Benign items the pack leaves alone must stay alone
// (at most 2% may change).
TEST_CASE("corpus gate: obfuscated risky items keep their detections") {
  for (const Disguise& d : disguises()) {
    std::size_t caught = 0, kept = 0, benign = 0, flagged = 0;
    for (const CorpusItem& c : corpus()) {
      if (has_arabic_script(c.item.text) != d.arabic_script || c.item.label == 'H') continue;
      const bool acts = judge(c.item.text, c) != Action::none;
      const bool disguised_acts = judge(d.apply(c.item.text), c) != Action::none;
      if (c.item.label == 'R' && acts) {
        ++caught;
        kept += disguised_acts;
      } else if (c.item.label == 'A' && !acts) {
        ++benign;
        flagged += disguised_acts;
      }
    }
    const std::string line = std::string(d.name) + ": kept " + std::to_string(kept) + " of " + std::to_string(caught) +
                             " detections; " + std::to_string(flagged) + " of " + std::to_string(benign) +
                             " benign items flagged";
    MESSAGE(line);
    REQUIRE(caught > 0);
    CHECK(kept >= d.keep * static_cast<double>(caught));
    CHECK(flagged <= 0.02 * static_cast<double>(benign));
  }
}
#endif
