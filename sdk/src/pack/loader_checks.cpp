// pack/loader_checks.cpp: the checks of pack.yaml and of the content files (lexicons, rules,
// contexts, categories, cards), and the references resolved once every file is read.
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "base/utf8.hpp"
#include "entities/entities.hpp"
#include "pack/loader_impl.hpp"

namespace signpost::detail::loading {

// ---------------------------------------------------------------------------------------------
// pack.yaml

std::optional<std::string> Loader::locale_of(const YamlNode& n) {
  const std::string* s = string_of(n);
  if (s == nullptr) return std::nullopt;
  if (!valid_locale(*s)) {
    problem(n, "invalid locale " + in_quotes(*s));
    return std::nullopt;
  }
  return *s;
}

void Loader::manifest(const YamlNode& root) {
  if (root.kind == Kind::null) {
    // An empty manifest: report what it lacks at its start.
    YamlNode empty;
    empty.kind = Kind::map;
    empty.line = root.line, empty.column = root.column;
    manifest(empty);
    return;
  }
  if (!expect(root, Kind::map)) return;
  const Fields f(*this, root,
                 {"name", "version", "description", "languages", "default_locale", "fallback", "rtl"}, "pack.yaml");
  if (const YamlNode* n = f.required("name")) {
    if (const std::string* s = string_of(*n)) {
      if (!valid_id(*s)) problem(*n, "invalid id " + in_quotes(*s));
      model_.name = *s;
    }
  }
  if (const YamlNode* n = f.required("version"))
    if (const std::string* s = string_of(*n)) model_.version = *s;
  if (const YamlNode* n = f["description"])
    if (const std::string* s = string_of(*n)) model_.description = *s;

  if (const YamlNode* n = f.required("languages"); n != nullptr && expect(*n, Kind::seq)) {
    languages_known_ = true;
    for (const YamlNode& item : n->items) {
      // ("other", which metrics use for locales outside the pack, is not a valid tag.)
      if (auto l = locale_of(item); l && languages_.insert(*l).second) model_.languages.push_back(*l);
    }
  }
  if (const YamlNode* n = f.required("default_locale")) {
    if (auto l = locale_of(*n)) {
      if (languages_known_ && !languages_.contains(*l)) problem(*n, "unknown language " + in_quotes(*l));
      model_.default_locale = *l;
    }
  }
  if (const YamlNode* n = f["fallback"]; n != nullptr && expect(*n, Kind::map)) {
    each_field(*this, *n, [&](const std::string&, const YamlNode& to, const YamlNode& key) {
      const auto from = locale_of(key);
      if (!expect(to, Kind::seq)) return;
      std::vector<std::string> chain;
      for (const YamlNode& item : to.items) {
        if (auto l = locale_of(item)) {
          if (languages_known_ && !languages_.contains(*l)) problem(item, "unknown language " + in_quotes(*l));
          chain.push_back(*l);
        }
      }
      if (from) model_.fallback[*from] = std::move(chain);
    });
  }
  if (const YamlNode* n = f["rtl"]; n != nullptr && expect(*n, Kind::seq)) {
    for (const YamlNode& item : n->items)
      if (auto l = locale_of(item)) rtl_.insert(*l);
  }
}

// ---------------------------------------------------------------------------------------------
// Content files

void Loader::content(const YamlNode& root) {
  if (root.kind == Kind::null) return;  // an empty file
  if (!expect(root, Kind::map)) return;
  const Fields f(*this, root, {"lexicons", "classifiers", "rules", "categories", "contexts", "cards", "locale", "dir"},
                 "pack file");

  std::optional<std::string> locale;
  bool rtl = false;
  if (f.has("cards") || f.has("locale") || f.has("dir")) {
    if (const YamlNode* n = f.required("locale")) {
      locale = locale_of(*n);
      if (locale && languages_known_ && !languages_.contains(*locale)) {
        problem(*n, "unknown language " + in_quotes(*locale));
        locale.reset();
      }
      if (locale) rtl = rtl_.contains(*locale) || rtl_.contains(language_of(*locale));
    }
    if (const YamlNode* n = f["dir"]) {
      if (const std::string* s = string_of(*n)) {
        if (*s == "rtl" || *s == "ltr")
          rtl = *s == "rtl";
        else
          problem(*n, "invalid dir " + in_quotes(*s));
      }
    }
  }

  auto each = [&](std::string_view key, auto&& fn) {
    if (const YamlNode* n = f[key]; n != nullptr && n->kind != Kind::null && expect(*n, Kind::seq))
      for (const YamlNode& item : n->items) fn(item);
  };
  each("lexicons", [&](const YamlNode& n) { lexicon(n); });
  each("classifiers", [&](const YamlNode& n) { classifier(n); });
  each("rules", [&](const YamlNode& n) { rule(n); });
  each("categories", [&](const YamlNode& n) { category(n); });
  each("contexts", [&](const YamlNode& n) { context(n); });
  each("cards", [&](const YamlNode& n) { card(n, locale, rtl); });
}

const std::string* Loader::id_of(const Fields& f, const YamlNode*& at) {
  at = f.required("id");
  if (at == nullptr) return nullptr;
  const std::string* s = string_of(*at);
  if (s != nullptr && !valid_id(*s)) problem(*at, "invalid id " + in_quotes(*s));
  return s;
}

bool Loader::define(std::string_view kind, std::unordered_map<std::string, Where>& table, const std::string& key,
                    std::string_view id, const YamlNode& at) {
  const auto [it, inserted] = table.try_emplace(key, where(at));
  if (!inserted)
    problem(at, "duplicate " + std::string(kind) + " id " + in_quotes(id) + " (first defined at " +
                    shown_where(it->second) + ")");
  return inserted;
}

bool Loader::in_range(const YamlNode* n, double& out, double lo, bool lo_open, double hi, bool hi_open,
                      std::string_view message) {
  if (n == nullptr) return false;
  const auto v = number_of(*n);
  if (!v) return false;
  if ((lo_open ? *v <= lo : *v < lo) || (hi_open ? *v >= hi : *v > hi)) {
    problem(*n, std::string(message));
    return false;
  }
  out = *v;
  return true;
}

bool Loader::integer(const YamlNode* n, int& out, int lo, int hi, std::string_view message) {
  if (n == nullptr) return false;
  const auto v = number_of(*n);
  if (!v) return false;
  if (*v < lo || *v > hi || *v != std::floor(*v)) {
    problem(*n, std::string(message));
    return false;
  }
  out = static_cast<int>(*v);
  return true;
}

void Loader::scope(const Fields& f, std::vector<std::string>& locales, bool& query, bool& post, Mode& first_mode) {
  if (const YamlNode* n = f["locales"]) {
    if (n->kind == Kind::scalar && n->text == "all") {
      // every locale
    } else if (n->kind == Kind::seq) {
      for (const YamlNode& item : n->items)
        if (auto l = locale_of(item)) locales.push_back(language_of(*l));
    } else if (n->kind != Kind::alias) {
      problem(*n, "expected list or 'all', got " + type_name(*n));
    }
  }
  if (const YamlNode* n = f["modes"]; n != nullptr && expect(*n, Kind::seq)) {
    bool q = false, p = false, first = true;
    for (const YamlNode& item : n->items) {
      const std::string* s = string_of(item);
      if (s == nullptr) continue;
      const auto mode = parse_mode(*s);
      if (!mode) {
        problem(item, "invalid mode " + in_quotes(*s));
        continue;
      }
      (*mode == Mode::query ? q : p) = true;
      if (first) first_mode = *mode, first = false;
    }
    if (q || p) query = q, post = p;
  }
}

void Loader::refs(const YamlNode* n, std::vector<Ref>& out) {
  if (n == nullptr || !expect(*n, Kind::seq)) return;
  for (const YamlNode& item : n->items)
    if (const std::string* s = string_of(item)) out.push_back({*s, where(item)});
}

// Reads the condition keys shared by rules and contexts; returns whether a positive condition
// (any, all, near or regex) is given. A field with a wrong type or an alias counts as given, so
// that one mistake is reported once.
bool Loader::condition(const Fields& f, Condition& c, PendingCondition& pc) {
  bool positive = false;
  auto given = [&](const YamlNode* n) { return n != nullptr && (n->kind != Kind::seq || !n->items.empty()); };
  refs(f["any"], pc.any);
  refs(f["all"], pc.all);
  refs(f["none"], pc.none);
  positive = given(f["any"]) || given(f["all"]);
  if (const YamlNode* n = f["near"]; n != nullptr) {
    positive = positive || given(n);
    if (expect(*n, Kind::seq)) {
      for (const YamlNode& group : n->items) {
        if (!expect(group, Kind::map)) continue;
        const Fields g(*this, group, {"of", "within"}, "near");
        Near near;
        near.pos = pos(group);
        std::vector<Ref> of;
        if (const YamlNode* o = g.required("of")) {
          refs(o, of);
          if (o->kind == Kind::seq && o->items.size() < 2) problem(*o, "near needs at least 2 lexicons");
        }
        if (const YamlNode* w = g["within"]) {
          if (const auto v = number_of(*w)) {
            if (*v < 1 || *v > 50)
              problem(*w, "within must be 1 to 50");
            else if (*v != std::floor(*v))
              problem(*w, "expected integer, got number");
            else
              near.within = static_cast<int>(*v);
          }
        }
        c.near.push_back(std::move(near));
        pc.near.push_back(std::move(of));
      }
    }
  }
  if (const YamlNode* n = f["regex"]; n != nullptr) {
    positive = positive || n->kind != Kind::null;
    if (n->kind != Kind::null) {
      if (const std::string* s = string_of(*n)) {
        c.regex = *s;
        c.regex_pos = pos(*n);
      }
    }
  }
  return positive;
}

void Loader::examples(const YamlNode* n, std::vector<Example>& out, const std::string& locale, Mode mode) {
  if (n == nullptr || !expect(*n, Kind::map)) return;
  const Fields f(*this, *n, {"match", "no_match"}, "examples");
  for (const bool expect_match : {true, false}) {
    const YamlNode* list = f[expect_match ? "match" : "no_match"];
    if (list == nullptr || !expect(*list, Kind::seq)) continue;
    for (const YamlNode& item : list->items) {
      Example ex;
      ex.locale = locale;
      ex.mode = mode;
      ex.expect_match = expect_match;
      ex.pos = pos(item);
      if (item.kind == Kind::scalar) {
        ex.text = item.text;
      } else if (item.kind == Kind::map) {
        const Fields e(*this, item, {"text", "locale", "mode"}, "example");
        const YamlNode* text = e.required("text");
        const std::string* s = text != nullptr ? string_of(*text) : nullptr;
        if (s != nullptr) ex.text = *s;
        if (const YamlNode* l = e["locale"]) {
          if (auto v = locale_of(*l)) ex.locale = *v;
        }
        if (const YamlNode* m = e["mode"]) {
          if (const std::string* ms = string_of(*m)) {
            if (auto v = parse_mode(*ms))
              ex.mode = *v;
            else
              problem(*m, "invalid mode " + in_quotes(*ms));
          }
        }
        if (s == nullptr) continue;
      } else {
        if (item.kind != Kind::alias) problem(item, "expected string or mapping, got " + type_name(item));
        continue;
      }
      if (++examples_ == kMaxPackExamples + 1)
        problem(item, "more than " + std::to_string(kMaxPackExamples) + " examples in the pack");
      if (examples_ > kMaxPackExamples) continue;
      out.push_back(std::move(ex));
    }
  }
}

void Loader::lexicon(const YamlNode& n) {
  if (!expect(n, Kind::map)) return;
  const Fields f(*this, n, {"id", "description", "terms", "include", "typos", "min_length"}, "lexicon");
  Lexicon lex;
  lex.pos = pos(n);
  const YamlNode* id_at = nullptr;
  const std::string* id = id_of(f, id_at);
  if (id != nullptr) lex.id = *id;
  if (const YamlNode* d = f["description"]) string_of(*d);
  integer(f["typos"], lex.typos, 0, 1, "typos must be 0 or 1");
  integer(f["min_length"], lex.min_length, 3, 48, "min_length must be an integer from 3 to 48");
  std::size_t in_lexicon = 0;
  std::vector<Ref> include;
  refs(f["include"], include);
  if (const YamlNode* i = f["include"]; i != nullptr && i->kind == Kind::seq && i->items.empty())
    problem(*i, "include needs at least 1 lexicon");
  // `terms` may be left out when `include` names the lexicons whose terms it takes.
  const YamlNode* t = f["terms"];
  if (t == nullptr && f["include"] == nullptr) problem(n, "lexicon needs terms or include");
  if (t == nullptr && f["include"] != nullptr && lex.typos > 0)
    problem(*f["typos"], "typos applies to a lexicon's own terms, and this one has none (taken terms keep their own)");
  if (t != nullptr && expect(*t, Kind::map)) {
    each_field(*this, *t, [&](const std::string& lang, const YamlNode& list, const YamlNode& key) {
      if (lang != "emoji" && lang != "any" && !valid_locale(lang)) problem(key, "invalid locale " + in_quotes(lang));
      if (!expect(list, Kind::seq)) return;
      for (const YamlNode& item : list.items) term(item, lang, lex, in_lexicon);
    });
  }
  if (id != nullptr && define("lexicon", lexicon_ids_, *id, *id, *id_at)) {
    model_.lexicons.push_back(std::move(lex));
    pending_includes_.push_back(std::move(include));
  }
}

void Loader::term(const YamlNode& n, const std::string& lang, Lexicon& lex, std::size_t& in_lexicon) {
  const std::string* s = string_of(n);
  if (s == nullptr) return;
  if (s->empty()) {
    problem(n, "empty term");
    return;
  }
  if (s->size() > kMaxTermBytes) {
    problem(n, "term too long (" + std::to_string(s->size()) + " bytes, limit " + std::to_string(kMaxTermBytes) + ")");
    return;
  }
  std::string_view text = *s;
  const bool prefix = text.back() == '*';
  if (prefix) {
    text.remove_suffix(1);
    if (letters_of_last_word(text) < 2) {
      problem(n, "prefix term needs at least 2 letters before '*'");
      return;
    }
  }
  if (++in_lexicon == kMaxLexiconTerms + 1)
    problem(n, "more than " + std::to_string(kMaxLexiconTerms) + " terms in lexicon " + in_quotes(lex.id));
  if (++terms_ > kMaxPackTerms && !terms_limit_reported_) {
    problem(n, "more than " + std::to_string(kMaxPackTerms) + " terms");
    terms_limit_reported_ = true;
  }
  if (in_lexicon > kMaxLexiconTerms || terms_ > kMaxPackTerms) return;
  TermSpec spec;
  spec.text = std::string(text);
  spec.prefix = prefix;
  spec.lang = lang;
  spec.pos = pos(n);
  lex.terms.push_back(std::move(spec));
}

void Loader::rule(const YamlNode& n) {
  if (!expect(n, Kind::map)) return;
  const Fields f(*this, n,
                 {"id", "category", "weight", "locales", "modes", "any", "all", "near", "none", "regex", "examples"},
                 "rule");
  Rule r;
  PendingRule pr;
  r.pos = pos(n);
  const YamlNode* id_at = nullptr;
  const std::string* id = id_of(f, id_at);
  if (id != nullptr) r.id = *id;
  if (const YamlNode* c = f.required("category"))
    if (const std::string* s = string_of(*c)) pr.category = Ref{*s, where(*c)};
  in_range(f["weight"], r.weight, 0, true, 1, false, "weight must be in (0, 1]");
  clause(n, f, "rule", r, pr.cond);
  if (id != nullptr && define("rule", rule_ids_, *id, *id, *id_at)) {
    model_.rules.push_back(std::move(r));
    pending_rules_.push_back(std::move(pr));
  }
}

// What rules and contexts share, read the same way: scope (locales, modes), the condition, the
// examples (whose default locale and mode come from the scope).
void Loader::clause(const YamlNode& n, const Fields& f, std::string_view kind, ClauseSpec& c, PendingCondition& pc) {
  Mode first_mode = Mode::query;
  scope(f, c.locales, c.query_mode, c.post_mode, first_mode);
  if (!condition(f, c.cond, pc)) problem(n, std::string(kind) + " " + in_quotes(c.id) + " has no positive condition");
  examples(f["examples"], c.examples, c.locales.empty() ? std::string() : c.locales.front(), first_mode);
}

void Loader::context(const YamlNode& n) {
  if (!expect(n, Kind::map)) return;
  const Fields f(*this, n,
                 {"id", "any", "all", "near", "none", "regex", "factor", "categories", "locales", "modes", "examples"},
                 "context");
  Context c;
  PendingContext pc;
  c.pos = pos(n);
  const YamlNode* id_at = nullptr;
  const std::string* id = id_of(f, id_at);
  if (id != nullptr) c.id = *id;
  in_range(f["factor"], c.factor, 0, false, 1, true, "factor must be in [0, 1)");
  if (const YamlNode* cats = f["categories"]) {
    if (!(cats->kind == Kind::scalar && cats->text == "all")) {
      if (cats->kind == Kind::seq)
        refs(cats, pc.categories);
      else if (cats->kind != Kind::alias)
        problem(*cats, "expected list or 'all', got " + type_name(*cats));
    }
  }
  clause(n, f, "context", c, pc.cond);
  if (id != nullptr && define("context", context_ids_, *id, *id, *id_at)) {
    model_.contexts.push_back(std::move(c));
    pending_contexts_.push_back(std::move(pc));
  }
}

void Loader::category(const YamlNode& n) {
  if (!expect(n, Kind::map)) return;
  const Fields f(*this, n, {"id", "description", "action", "threshold", "cards", "holdout", "priority", "max_action"},
                 "category");
  Category c;
  PendingCategory pc;
  c.pos = pos(n);
  const YamlNode* id_at = nullptr;
  const std::string* id = id_of(f, id_at);
  if (id != nullptr) c.id = *id;
  if (const YamlNode* d = f["description"])
    if (const std::string* s = string_of(*d)) c.description = *s;
  if (const YamlNode* a = f.required("action")) {
    if (const std::string* s = string_of(*a)) {
      const auto action = parse_action(*s);
      if (action && *action != Action::none)
        c.action = *action;
      else
        problem(*a, "invalid action " + in_quotes(*s));
    }
  }
  in_range(f["threshold"], c.threshold, 0, true, 1, false, "threshold must be in (0, 1]");
  in_range(f["holdout"], c.holdout, 0, false, 0.5, false, "holdout must be in [0, 0.5]");
  integer(f["priority"], c.priority, 0, 100, "priority must be an integer from 0 to 100");
  if (const YamlNode* m = f["max_action"]) {
    if (const std::string* s = string_of(*m)) {
      const auto cap = parse_action(*s);
      if (cap && *cap != Action::none)
        c.max_action = *cap;
      else
        problem(*m, "invalid action " + in_quotes(*s));
    }
  }
  // A category that must never warn or redirect (help, distress) says so, and its own action is held to it.
  if (c.max_action && c.action > *c.max_action)
    if (const YamlNode* a = f["action"])
      problem(*a, "action " + in_quotes(to_string(c.action)) + " is stronger than max_action " +
                      in_quotes(to_string(*c.max_action)));
  refs(f["cards"], pc.cards);
  for (const Ref& r : pc.cards) c.cards.push_back(r.name);
  // "none" labels decisions without a category in metrics; a category of that name would merge with them.
  if (id != nullptr && *id == "none") problem(*id_at, "reserved id 'none'");
  if (id != nullptr && define("category", category_ids_, *id, *id, *id_at)) {
    model_.categories.push_back(std::move(c));
    pending_categories_.push_back(std::move(pc));
  }
}

void Loader::card(const YamlNode& n, const std::optional<std::string>& locale, bool rtl) {
  if (!expect(n, Kind::map)) return;
  const Fields f(*this, n, {"id", "title", "body", "cta", "url"}, "card");
  CardText c;
  c.pos = pos(n);
  c.card.locale = locale.value_or("");
  c.card.rtl = rtl;
  const YamlNode* id_at = nullptr;
  const std::string* id = id_of(f, id_at);
  if (id != nullptr) c.card.id = *id;
  auto text = [&](std::string_view field, bool required, std::size_t limit, std::string& out) {
    const YamlNode* t = required ? f.required(field) : f[field];
    if (t == nullptr) return;
    const std::string* s = string_of(*t);
    if (s == nullptr) return;
    if (limit != 0 && count_code_points(*s) > limit)
      problem(*t, std::string(field) + " longer than " + std::to_string(limit) + " characters");
    out = *s;
  };
  text("title", true, kMaxTitleChars, c.card.title);
  text("body", true, kMaxBodyChars, c.card.body);
  text("cta", false, kMaxCtaChars, c.card.cta);
  if (const YamlNode* u = f.required("url")) {
    if (const std::string* s = string_of(*u)) {
      if (std::string reason = check_url(*s); !reason.empty())
        problem(*u, "unsafe URL " + in_quotes(*s) + ": " + reason);
      c.card.url = *s;
    }
  }
  if (id == nullptr) return;
  ++card_any_locale_[*id];
  if (!locale) return;
  if (define("card", card_ids_, *locale + '\0' + *id, *id, *id_at)) model_.cards.push_back(std::move(c));
}

// ---------------------------------------------------------------------------------------------
// References, once every file is read. When a file could not be read or parsed, what it defined
// is unknown, so unresolved references are not reported (they would mostly be noise).

void Loader::resolve() {
  std::unordered_map<std::string_view, std::size_t> lexicons, categories;
  for (std::size_t i = 0; i < model_.lexicons.size(); ++i) lexicons.emplace(model_.lexicons[i].id, i);
  for (std::size_t i = 0; i < model_.categories.size(); ++i) categories.emplace(model_.categories[i].id, i);
  resolve_levels(lexicons);
  include_terms(lexicons);

  // A built-in entity ("@money") becomes a lexicon without terms the first time a condition names it.
  // They are appended after the references are resolved (the map above views the lexicons' ids).
  std::vector<Lexicon> entity_lexicons;
  auto entity = [&](const Ref& r) -> std::optional<std::size_t> {
    entities::Kind kind;
    if (!entities::kind_of(r.name, kind)) {
      problem(r.at, "unknown entity " + in_quotes(r.name) + " (built in: @money, @phone, @handle, @date, @quote)");
      return std::nullopt;
    }
    for (std::size_t i = 0; i < entity_lexicons.size(); ++i)
      if (entity_lexicons[i].entity == static_cast<int>(kind)) return model_.lexicons.size() + i;
    Lexicon lex;
    lex.id = r.name;
    lex.entity = static_cast<int>(kind);
    entity_lexicons.push_back(std::move(lex));
    return model_.lexicons.size() + entity_lexicons.size() - 1;
  };
  auto lexicon_list = [&](const std::vector<Ref>& from, std::vector<std::size_t>& to) {
    for (const Ref& r : from) {
      if (!r.name.empty() && r.name[0] == '@') {
        if (const auto i = entity(r)) to.push_back(*i);
      } else if (const auto it = lexicons.find(r.name); it != lexicons.end()) {
        to.push_back(it->second);
      } else if (!incomplete_) {
        problem(r.at, "unknown lexicon " + in_quotes(r.name));
      }
    }
  };
  auto cond = [&](Condition& c, const PendingCondition& pc) {
    lexicon_list(pc.any, c.any);
    lexicon_list(pc.all, c.all);
    lexicon_list(pc.none, c.none);
    for (std::size_t g = 0; g < pc.near.size(); ++g) {
      lexicon_list(pc.near[g], c.near[g].of);
      for (const Ref& r : pc.near[g])  // a classifier judges the whole text: it has no place
        if (const auto it = lexicons.find(r.name); it != lexicons.end() && model_.lexicons[it->second].is_classifier())
          problem(r.at, "near names lexicons, not classifiers (" + in_quotes(r.name) + ")");
    }
  };
  auto category_of = [&](const Ref& r) -> std::optional<std::size_t> {
    if (const auto it = categories.find(r.name); it != categories.end()) return it->second;
    if (!incomplete_) problem(r.at, "unknown category " + in_quotes(r.name));
    return std::nullopt;
  };

  for (std::size_t i = 0; i < model_.rules.size(); ++i) {
    Rule& r = model_.rules[i];
    const PendingRule& pr = pending_rules_[i];
    cond(r.cond, pr.cond);
    if (pr.category)
      if (auto c = category_of(*pr.category)) r.category = *c;
  }
  for (std::size_t i = 0; i < model_.contexts.size(); ++i) {
    Context& c = model_.contexts[i];
    const PendingContext& pc = pending_contexts_[i];
    cond(c.cond, pc.cond);
    for (const Ref& r : pc.categories)
      if (auto k = category_of(r)) c.categories.push_back(*k);
  }
  for (Lexicon& lex : entity_lexicons) model_.lexicons.push_back(std::move(lex));

  // Cards: each card a category uses must exist in every language of the manifest. A missing
  // version is reported once, at the first reference to the card (in file order).
  if (incomplete_) return;
  std::vector<const Ref*> uses;
  for (const PendingCategory& pc : pending_categories_)
    for (const Ref& r : pc.cards) uses.push_back(&r);
  std::stable_sort(uses.begin(), uses.end(), [](const Ref* a, const Ref* b) {
    if (a->at.file != b->at.file) return a->at.file < b->at.file;
    if (a->at.line != b->at.line) return a->at.line < b->at.line;
    return a->at.column < b->at.column;
  });
  std::unordered_set<std::string_view> checked;
  for (const Ref* r : uses) {
    if (!card_any_locale_.contains(r->name)) {
      problem(r->at, "unknown card " + in_quotes(r->name));
      continue;
    }
    if (!checked.insert(r->name).second) continue;
    for (const std::string& lang : model_.languages)
      if (!card_ids_.contains(lang + '\0' + r->name))
        problem(r->at, "missing translation: card " + in_quotes(r->name) + " has no " + in_quotes(lang) + " version");
  }
}

}  // namespace signpost::detail::loading
