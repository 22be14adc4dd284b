// signpost/tools/diff.hpp: `signpost diff`, two packs judged over an analyst's corpus.
//
// Part of signpost::tools, not of the runtime. Standard library only. The corpus is the analyst's
// own labelled file (the format of `signpost eval`); diff never reads logs or metrics.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "signpost/engine.hpp"
#include "signpost/export.hpp"
#include "signpost/tools/eval.hpp"
#include "signpost/types.hpp"

namespace signpost::tools {

// How many items an action was taken on (any action but none), out of how many, with each pack.
struct ActedCount {
  std::size_t items = 0, old_acted = 0, new_acted = 0;
};

// One item whose decision changed: its action or the category acted on.
struct ChangedItem {
  std::size_t line = 0;  // 1-based line in the corpus
  char label = 'R';
  std::string locale, text;
  Action old_action = Action::none, new_action = Action::none;
  std::string old_category, new_category;  // empty when the action is none
  // Whether the new answer is right and the old one was not (+1), the reverse (-1), or neither (0),
  // by the rules of `signpost eval` for the item's label.
  int better() const noexcept;
};

struct SIGNPOST_API PackDiff {
  PackInfo old_pack, new_pack;
  Mode mode = Mode::query;
  std::size_t items = 0;
  ActedCount overall;
  std::map<std::string, ActedCount> by_category;  // items acted on with that category (items = all)
  std::map<std::string, ActedCount> by_language;  // language_key(locale): items of that language
  Tally old_tally, new_tally;                     // recall and precision with each pack
  std::vector<ChangedItem> changed;               // in corpus order
  bool any_change() const noexcept { return !changed.empty(); }
};

// Judges every item with both engines.
SIGNPOST_API PackDiff diff_packs(const Engine& old_engine, const Engine& new_engine, std::span<const LabelledItem> items,
                                 Mode mode);

// The diff as Markdown (diff.md, also what the command prints) and as an HTML page (diff.html;
// every text escaped, a Content-Security-Policy that allows no script).
SIGNPOST_API std::string diff_markdown(const PackDiff& d);
SIGNPOST_API std::string diff_html(const PackDiff& d);

// Runs `signpost diff --old DIR|FILE.tar --new DIR|FILE.tar [--mode query|post] CORPUS [--out DIR]`;
// `args` excludes "diff". Prints the Markdown to `out`; with --out, writes DIR/diff.md and
// DIR/diff.html. Returns 0 when no decision changed, 1 when some did, 2 for usage errors, pack
// problems (file:line:col on `err`), an unreadable corpus or files that cannot be written.
SIGNPOST_API int run_diff(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

SIGNPOST_API const char* diff_usage() noexcept;

}  // namespace signpost::tools
