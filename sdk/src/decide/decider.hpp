// decide/decider.hpp: rules, contexts and categories over the matcher's hits.
//
// Contract: run() looks only at rules and contexts that a hit can make true (an index from
// lexicon and regex to the rules and contexts that need them: a clause with `all` or `near`
// lexicons under one of those only, otherwise under each of its `any` lexicons), so a text with no
// hit costs nothing here, and a hit of a common word that every rule naming it needs beside a
// rarer lexicon wakes none of them. A rule fires when all its conditions hold (any, all, near, none, regex) and it is
// in scope for the query's language and mode; a category's score is the noisy-or of its fired
// rules' weights, multiplied by the factor of every context that holds for it. The winner is the
// category with the highest priority whose score reaches its threshold (then the strongest action,
// then the higher score, then pack order); a category that reaches its threshold and declares a
// max_action caps the decision's action, whatever wins. What a call finds lives in a Verdict (part of the per-call context, call.hpp).
//
// Regexes: regex_specs() lists every rule's and context's regex in one order (rules, then
// contexts, in pack order); the matcher compiles that list and reports hits by index in it, and
// the decider maps the same indexes back to their owners.
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "match/matcher.hpp"
#include "pack/model.hpp"

namespace signpost::detail {

inline constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

struct FiredRule {
  std::uint32_t rule;
  std::uint32_t begin, end;  // normalized byte span of the evidence
};

// The regexes of a pack's rules and contexts, in the order the matcher numbers them.
std::vector<RegexSpec> regex_specs(const PackModel& model);

// The decide stage's part of a call: which lexicons were hit, which rules fired, which contexts
// held, each category's score and the winner. Reused across calls and engines (stamps, not
// clearing), so a call allocates nothing once the vectors have grown.
struct Verdict {
  std::uint32_t gen = 0;
  std::vector<std::uint32_t> lex_stamp, lex_first;
  std::vector<std::uint32_t> rule_stamp, ctx_stamp, cat_stamp;
  std::vector<std::uint32_t> rule_candidates, ctx_candidates, touched_cats;
  std::vector<double> cat_keep;   // product of (1 - weight) of fired rules
  std::vector<double> cat_factor; // product of context factors
  std::vector<FiredRule> fired;
  std::vector<std::uint32_t> held_contexts;
  std::uint32_t winner = kNone;
  double winner_score = 0.0;
  Action cap = Action::redirect;  // the weakest max_action of the categories that reached their threshold
  std::uint16_t first_lang = kNoLanguage;  // language of the earliest hit
  // The sizes the arrays were last grown and reserved for (begin() skips that work below them).
  std::size_t ready_lexicons = 0, ready_rules = 0, ready_contexts = 0, ready_categories = 0;

  // Starts a call: bumps the generation and sizes the stamp arrays for this pack.
  void begin(std::size_t lexicons, std::size_t rules, std::size_t contexts, std::size_t categories);
};

class Decider {
 public:
  // Takes the compiled conditions from the model; regex ids are indexes into regex_specs(model).
  void compile(const PackModel& model);

  // Judges the matcher's hits into `v` (begun for this pack). `lang` is the query's folded
  // language subtag ("" = any). Contexts scale the categories of fired rules, so with no rule fired
  // they are skipped unless `every_context` (lint checks their examples, trace shows them).
  void run(std::string_view lang, Mode mode, const std::vector<Hit>& hits, const std::vector<RegexHit>& rhits,
           Verdict& v, bool every_context = false) const noexcept;

  double score(const Verdict& v, std::uint32_t category) const noexcept;

  // Why a rule or a context holds or not, after run() filled `v` (decide/diagnose.cpp; for tools
  // such as `signpost explain`, not for the hot path).
  struct Diagnosis {
    bool in_scope = false;   // the query's language and mode are the clause's
    bool holds = false;      // its condition holds (whatever the scope)
    bool touched = false;    // some lexicon of its any / all / near, or its regex, was found
    std::vector<std::uint32_t> any_missing;  // every lexicon of `any`, when none was found
    std::vector<std::uint32_t> all_missing;  // the lexicons of `all` not found
    std::vector<std::uint32_t> none_found;   // the lexicons of `none` found
    std::vector<std::size_t> near_failed;    // the `near` groups that do not hold
    bool regex_missing = false;
  };
  Diagnosis diagnose_rule(std::uint32_t rule, std::string_view lang, Mode mode, const std::vector<Hit>& hits,
                          const std::vector<RegexHit>& rhits, const Verdict& v) const;
  Diagnosis diagnose_context(std::uint32_t context, std::string_view lang, Mode mode, const std::vector<Hit>& hits,
                             const std::vector<RegexHit>& rhits, const Verdict& v) const;
  std::size_t lexicons() const noexcept { return lex_rules_begin_.empty() ? 0 : lex_rules_begin_.size() - 1; }
  std::size_t rules() const noexcept { return rules_.size(); }
  std::size_t contexts() const noexcept { return contexts_.size(); }
  std::size_t categories() const noexcept { return categories_.size(); }

 private:
  struct Cond {
    std::vector<std::uint32_t> any, all, none;
    struct Near { std::vector<std::uint32_t> of; int within; };
    std::vector<Near> near;
    std::uint32_t regex = kNone;
  };
  // What rules and contexts share: a scope (languages, modes) and a condition.
  struct Clause {
    std::vector<std::string> locales;
    bool query, post;
    Cond cond;
  };
  struct CRule : Clause {
    std::uint32_t category;
    double weight;
  };
  struct CContext : Clause {
    double factor;
    std::vector<std::uint32_t> categories;  // empty = all
  };
  struct CCategory {
    Action action;
    double threshold;
    int priority;
    Action cap;  // max_action, else redirect
  };

  static Clause compile_clause(const ClauseSpec& c, std::uint32_t& next_regex);
  static bool holds(const Cond& c, const std::vector<Hit>& hits, const std::vector<RegexHit>& rhits, const Verdict& v,
                    std::uint32_t& begin, std::uint32_t& end) noexcept;
  static bool in_scope(const Clause& c, std::string_view lang, Mode mode) noexcept;
  static Diagnosis diagnose(const Clause& c, std::string_view lang, Mode mode, const std::vector<Hit>& hits,
                            const std::vector<RegexHit>& rhits, const Verdict& v);

  std::vector<CRule> rules_;
  std::vector<CContext> contexts_;
  std::vector<CCategory> categories_;
  // lexicon -> rules / contexts it wakes (CSR layout; see the contract above)
  std::vector<std::uint32_t> lex_rules_begin_, lex_rules_, lex_ctx_begin_, lex_ctx_;
  // regex id -> owner: rule index, or contexts offset by rules_.size()
  std::vector<std::uint32_t> regex_owner_;
};

}  // namespace signpost::detail
