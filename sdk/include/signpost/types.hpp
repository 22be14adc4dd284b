// signpost/types.hpp: the values that cross the API (queries, matches, cards, decisions).
//
// Standard library only. Every type here is a plain value: copyable, comparable by field,
// safe to move between threads.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "signpost/export.hpp"

namespace signpost {

// What the host should do. Ordered by strength: a stronger action wins when several categories fire.
//   none         - show results as usual.
//   annotate     - show results, with the decision's cards alongside (help, context).
//   interstitial - show the cards first; risky results stay reachable behind a warning.
//   redirect     - show the cards in place of the risky results.
enum class Action { none, annotate, interstitial, redirect };

// Whether the text is a search query (short, typed by a searcher) or a post / search result
// (longer text written by someone else). Packs may scope rules to one mode.
enum class Mode { query, post };

// "none", "annotate", "interstitial", "redirect".
SIGNPOST_API std::string_view to_string(Action) noexcept;
// "query", "post".
SIGNPOST_API std::string_view to_string(Mode) noexcept;
// The inverse of to_string; nullopt for anything else (case-sensitive).
SIGNPOST_API std::optional<Action> parse_action(std::string_view) noexcept;
SIGNPOST_API std::optional<Mode> parse_mode(std::string_view) noexcept;

// One text to judge. The views must stay valid for the duration of the call only.
struct Query {
  std::string_view text;           // UTF-8; invalid sequences are tolerated (see Engine::evaluate)
  std::string_view locale = {};    // BCP 47 tag such as "en", "fr-BE", "ckb"; empty = unknown
  Mode mode = Mode::query;
  std::string_view subject = {};   // opaque key from the host for holdout bucketing; never stored
};

// A rule that fired, and where: byte offsets into Query::text as it arrived, [begin, end).
struct Match {
  std::string rule, category;
  std::size_t begin = 0, end = 0;
  friend bool operator==(const Match&, const Match&) = default;
};

// A counter-messaging card in one locale. `url` is always https and comes from the pack.
struct Card {
  std::string id, locale, title, body, url, cta;
  bool rtl = false;  // right-to-left script (Arabic, Persian, Sorani, Pashto, ...)
  friend bool operator==(const Card&, const Card&) = default;
};

// The verdict on one Query.
struct Decision {
  Action action = Action::none;
  std::string category;          // the winning category; may be set with action none (holdout)
  double score = 0.0;            // in [0, 1], after contexts
  std::vector<Match> matches;    // every rule that fired, in text order
  std::vector<Card> cards;       // the winning category's cards, in the query's locale
  bool holdout = false;          // true when a holdout bucket turned the action to none
  std::string locale;            // the locale the cards were chosen for
  friend bool operator==(const Decision&, const Decision&) = default;
};

// One search result as the host sees it.
struct Result {
  std::string id, title, snippet, url;
  friend bool operator==(const Result&, const Result&) = default;
};

// One slot of a redirected result list: either a card swapped in, or one of the host's results.
struct RedirectEntry {
  enum class Kind { card, result };
  Kind kind = Kind::result;
  Card card;                      // kind == card
  Result result;                  // kind == result
  Action action = Action::none;   // kind == result: the result's own decision (post mode)
  std::string category;           // kind == result: its category when flagged;
                                  // kind == card: the category the card answers
  double score = 0.0;
  bool flagged = false;           // kind == result: the host should mark it as risky
};

// What Engine::redirect returns. See docs/redirect.md for the placement policy.
struct RedirectedResults {
  Decision decision;                   // the query's own decision
  std::vector<RedirectEntry> entries;  // what to show, in order
  std::size_t removed = 0;             // risky results taken out of the list
  std::size_t flagged = 0;             // risky results kept, marked and demoted
};

// Identity of the loaded pack.
struct PackInfo {
  std::string name, version;
  std::string hash;  // "sha256:" + hex digest over the pack's files (names and bytes)
};

}  // namespace signpost
