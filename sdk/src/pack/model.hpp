// pack/model.hpp: a pack as read from YAML, before compilation.
//
// The loader (pack/loader.hpp) fills this from a folder and resolves every reference: lexicon,
// category and card ids become indexes. Positions are kept so that later stages (term
// normalization, regex compilation) can report their own problems as file:line:col.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "classify/text_classifier.hpp"
#include "signpost/error.hpp"
#include "signpost/types.hpp"

namespace signpost::detail {

struct SourcePos {
  std::string file;  // as the user gave the pack folder, joined with the file's relative path
  int line = 0, column = 0;  // 1-based
};

struct TermSpec {
  std::string text;      // without the trailing '*'
  bool prefix = false;   // a trailing '*' was given
  std::string lang;      // the key it was listed under ("en", "emoji", "any", ...)
  SourcePos pos;
  // A term taken through `include` keeps the typo tolerance of the lexicon it was written in:
  // typos >= 0 and min_length then override the holding lexicon's. -1: the holding lexicon's.
  int typos = -1;
  int min_length = 0;
};

struct Lexicon {
  std::string id;
  std::vector<TermSpec> terms;
  SourcePos pos;
  int typos = 0;        // 1: single-word terms of at least min_length letters also match at one edit
  int min_length = 5;
  int entity = -1;      // a built-in entity ("@money"...): its entities::Kind; the lexicon has no terms
  int classifier = -1;  // a `classifiers:` entry: its index in PackModel::classifiers; no terms
  // A level of another classifier (an entry with `of:`): the probability at which it is found,
  // in (0, 1); `classifier` is then the other's index. -1: the classifier's own threshold.
  double level = -1.0;
  bool below = false;   // a level found when the probability is under `level` (`below:`)
  bool is_classifier() const noexcept { return classifier >= 0 || level >= 0.0; }
};

struct Example {
  std::string text;
  std::string locale;   // resolved default: first of the owner's locales, else ""
  Mode mode = Mode::query;
  bool expect_match = true;
  SourcePos pos;
};

struct Near {
  std::vector<std::size_t> of;  // lexicon indexes, at least 2
  int within = 5;
  SourcePos pos;
};

// The condition language shared by rules and contexts. Lexicon references are indexes into
// PackModel::lexicons.
struct Condition {
  std::vector<std::size_t> any, all, none;
  std::vector<Near> near;
  std::optional<std::string> regex;
  SourcePos regex_pos;
};

// What rules and contexts share: an id, a scope (languages and modes), one condition, and the
// examples lint runs.
struct ClauseSpec {
  std::string id;
  std::vector<std::string> locales;  // language subtags; empty = all
  bool query_mode = true, post_mode = true;
  Condition cond;
  std::vector<Example> examples;
  SourcePos pos;
};

// A rule adds weight to its category when its condition holds.
struct Rule : ClauseSpec {
  std::size_t category = 0;  // index into PackModel::categories
  double weight = 1.0;
};

// A context multiplies the score of its categories (all when empty) when its condition holds.
struct Context : ClauseSpec {
  double factor = 0.0;
  std::vector<std::size_t> categories;  // empty = all
};

struct Category {
  std::string id, description;
  Action action = Action::redirect;
  double threshold = 0.5;
  std::vector<std::string> cards;  // card ids, each defined in every pack language
  double holdout = 0.0;
  int priority = 0;                   // a category that reaches its threshold with a higher priority wins
  std::optional<Action> max_action;   // no decision is stronger while this category reaches its threshold
  SourcePos pos;
};

struct CardText {
  Card card;  // id, locale, title, body, url, cta, rtl
  SourcePos pos;
};

struct PackModel {
  std::string name, version, description;
  std::vector<std::string> languages;
  std::string default_locale;
  std::map<std::string, std::vector<std::string>> fallback;
  std::vector<std::string> rtl_locales;  // built-in list plus the manifest's

  std::vector<Lexicon> lexicons;
  std::vector<TextClassifier> classifiers;  // each named by a lexicon (Lexicon::classifier)
  std::vector<Rule> rules;
  std::vector<Context> contexts;
  std::vector<Category> categories;
  std::vector<CardText> cards;  // every (id, locale) pair

  std::string hash;  // "sha256:<hex>" over sorted (relative path, NUL, bytes, NUL) of every file read
};

}  // namespace signpost::detail
