// signpost/tools/eval.hpp: scoring a pack on labelled data (`signpost eval`, Python's eval parity).
//
// Part of signpost::tools, not of the runtime. Standard library only.
//
// Labels: R must get an intervention (any action but none); A must get none; H (help-seeking)
// must get neither interstitial nor redirect. A wrong answer on A or H counts against precision.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "signpost/export.hpp"
#include "signpost/engine.hpp"
#include "signpost/types.hpp"

namespace signpost::tools {

struct LabelledItem {
  char label = 'R';  // 'R', 'A' or 'H'
  std::string locale, text;
  std::size_t line = 0;  // 1-based line in the input
};

// Reads the TSV format of tests/data/eval/*.tsv (label TAB locale TAB text) or JSON Lines with
// "label" and "text" ("locale" optional). Blank lines and lines starting with '#' are skipped.
// Throws signpost::Error("line N: ...") at the first bad line; the message never quotes the text.
SIGNPOST_API std::vector<LabelledItem> read_labelled(std::istream& in);

// Whether `action` is the right answer for `label`.
SIGNPOST_API bool is_correct(char label, Action action) noexcept;

// The key of an item's locale in EvalReport::by_language: its language subtag, folded like every
// locale tag of the library ("fa-IR" -> "fa", "EN-gb" -> "en", "ckb" -> "ckb"); "-" when empty.
SIGNPOST_API std::string language_key(std::string_view locale);

struct SIGNPOST_API Tally {
  std::size_t risky = 0, risky_caught = 0, benign = 0, benign_flagged = 0, help = 0, help_warned = 0;
  std::size_t items() const noexcept { return risky + benign + help; }
  // An empty ratio counts as 1.0.
  double recall() const noexcept;
  double precision() const noexcept;
  void add(char label, Action action) noexcept;
};

struct WrongAnswer {
  std::size_t line = 0;
  char label = 'R';
  std::string locale, text;
  Action action = Action::none;
  std::string category;
};

struct SIGNPOST_API EvalReport {
  std::size_t items = 0;
  Tally overall;
  std::map<std::string, Tally> by_language;  // language_key(item.locale)
  std::map<std::string, Tally> by_category;  // the category acted on, for items acted on
  std::vector<WrongAnswer> wrong;            // in input order
  // Whether the gates hold (a gate not given always holds).
  bool passes(const double* min_recall, const double* min_precision) const noexcept;
};

SIGNPOST_API EvalReport evaluate_labelled(const Engine& engine, std::span<const LabelledItem> items, Mode mode);

// The report as one JSON object: {"items", "overall", "by_language", "by_category", "pass"}, each
// tally {"recall", "precision", "risky", "risky_caught", "benign", "benign_flagged", "help",
// "help_warned"}.
SIGNPOST_API std::string eval_json(const EvalReport& report, bool pass);

}  // namespace signpost::tools
