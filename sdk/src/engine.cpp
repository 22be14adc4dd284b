#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <system_error>

#include <fmt/format.h>

#include "base/locale.hpp"
#include "engine_impl.hpp"
#include "pack/loader.hpp"
#include "signpost/error.hpp"
#include "signpost/measure.hpp"

namespace signpost {
namespace detail {
namespace {

thread_local Scratch t_scratch;

// The language subtag of a locale tag, folded, into a fixed buffer (no allocation).
std::string_view lang_of(std::string_view tag, char (&buf)[12]) noexcept { return LocaleTag::language_into(tag, buf); }

double round4(double x) { return std::round(x * 1e4) / 1e4; }

bool sort_problems(const Problem& a, const Problem& b) {
  if (a.file != b.file) return a.file < b.file;
  if (a.line != b.line) return a.line < b.line;
  return a.column < b.column;
}

}  // namespace

EngineImpl::EngineImpl(const std::filesystem::path& dir, const EngineOptions& opts) : options(opts) {
  std::vector<Problem> problems;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw ConfigError({{dir.generic_string(), 0, 0, "not a pack folder (no such directory)"}});
  }
  model = load_pack(dir, problems);
  const std::size_t structural = problems.size();
  std::vector<RegexSpec> regexes;
  if (structural == 0) decider.compile(model, regexes);
  else {
    // Still check terms and regexes so that every problem is reported in one pass.
    for (const Rule& r : model.rules)
      if (r.cond.regex) regexes.push_back({*r.cond.regex, r.cond.regex_pos});
    for (const Context& c : model.contexts)
      if (c.cond.regex) regexes.push_back({*c.cond.regex, c.cond.regex_pos});
  }
  matcher.compile(model, regexes, problems);
  if (options.holdout_rate && !(*options.holdout_rate >= 0.0 && *options.holdout_rate <= 1.0))
    problems.push_back({"", 0, 0, "holdout rate must be in [0, 1]"});
  if (!problems.empty()) {
    std::stable_sort(problems.begin(), problems.end(), sort_problems);
    throw ConfigError(std::move(problems));
  }
  catalog.build(model);
  info.name = model.name;
  info.version = model.version;
  info.hash = model.hash;
}

Scratch& EngineImpl::analyze(const Query& q) const noexcept {
  Scratch& s = t_scratch;
  s.begin(model.lexicons.size(), model.rules.size(), model.contexts.size(), model.categories.size());
  normalize(q.text, s.norm, options.max_text_bytes);
  matcher.scan(s.norm, s.hits, s.rhits);
  char buf[12];
  decider.run(lang_of(q.locale, buf), q.mode, s);
  return s;
}

Decision EngineImpl::evaluate(const Query& q) const {
  Scratch& s = analyze(q);
  Decision d;
  if (s.fired.empty()) return d;

  double best = 0.0;
  for (auto cat : s.touched_cats) best = std::max(best, decider.score(s, cat));
  d.score = round4(s.winner != kNone ? s.winner_score : best);

  // Evidence: every fired rule whose category still counts after contexts, in text order.
  std::sort(s.fired.begin(), s.fired.end(), [](const FiredRule& a, const FiredRule& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.rule < b.rule;
  });
  for (const FiredRule& f : s.fired) {
    const Rule& rule = model.rules[f.rule];
    if (decider.score(s, static_cast<std::uint32_t>(rule.category)) <= 0.0) continue;
    Match m;
    m.rule = rule.id;
    m.category = model.categories[rule.category].id;
    if (f.end > f.begin && f.end <= s.norm.text.size()) {
      m.begin = s.norm.begin[f.begin];
      m.end = s.norm.end[f.end - 1];
    }
    d.matches.push_back(std::move(m));
  }
  if (s.winner == kNone) return d;

  const Category& cat = model.categories[s.winner];
  d.category = cat.id;
  d.action = cat.action;

  // Cards in the query's locale; without one, in the language of the earliest matched term.
  std::string_view locale = q.locale;
  if (locale.empty() && s.first_lang != kNoLanguage && s.first_lang < model.languages.size())
    locale = model.languages[s.first_lang];
  const std::vector<std::string> chain = catalog.chain(locale.substr(0, std::min<std::size_t>(locale.size(), 64)));
  for (const auto& id : cat.cards)
    if (const Card* c = catalog.pick(id, chain)) d.cards.push_back(*c);
  d.locale = d.cards.empty() ? (chain.empty() ? std::string() : chain.front()) : d.cards.front().locale;

  const double rate = options.holdout_rate ? *options.holdout_rate : cat.holdout;
  if (rate > 0.0 && !q.subject.empty()) {
    const std::string_view salt = options.holdout_rate || !options.holdout_salt.empty()
                                      ? std::string_view(options.holdout_salt)
                                      : std::string_view(model.name);
    if (holdout_bucket(salt, q.subject) < rate) {
      d.holdout = true;
      d.action = Action::none;
      d.cards.clear();
    }
  }
  return d;
}

RedirectedResults EngineImpl::redirect(const Query& q, std::span<const Result> results) const {
  RedirectedResults out;
  out.decision = evaluate(q);
  std::vector<std::string> shown;
  auto add_card = [&](const Card& c, const std::string& category) {
    if (std::find(shown.begin(), shown.end(), c.id) != shown.end()) return false;
    shown.push_back(c.id);
    RedirectEntry e;
    e.kind = RedirectEntry::Kind::card;
    e.card = c;
    e.category = category;
    out.entries.push_back(std::move(e));
    return true;
  };
  if (out.decision.action != Action::none)
    for (const Card& c : out.decision.cards) add_card(c, out.decision.category);

  const bool query_redirects = out.decision.action == Action::redirect;
  std::vector<RedirectEntry> demoted;
  std::string text;
  for (const Result& r : results) {
    text.assign(r.title);
    text += '\n';
    text += r.snippet;
    Decision rd = evaluate(Query{text, q.locale, Mode::post, q.subject});
    RedirectEntry e;
    e.kind = RedirectEntry::Kind::result;
    e.result = r;
    e.action = rd.action;
    e.score = rd.score;
    e.category = rd.category;
    const bool remove = rd.action == Action::redirect || (query_redirects && rd.action == Action::interstitial);
    if (remove) {
      ++out.removed;
      for (const Card& c : rd.cards)
        if (add_card(c, rd.category)) break;  // one card swapped in where the result was
      continue;
    }
    if (rd.action != Action::none) {
      e.flagged = true;
      ++out.flagged;
      demoted.push_back(std::move(e));
      continue;
    }
    out.entries.push_back(std::move(e));
  }
  for (auto& e : demoted) out.entries.push_back(std::move(e));
  return out;
}

LintReport EngineImpl::lint() const {
  LintReport rep;
  auto run = [&](const std::vector<Example>& examples, const std::string& owner, bool is_rule, std::uint32_t index) {
    for (const Example& ex : examples) {
      ++rep.examples;
      Scratch& s = analyze(Query{ex.text, ex.locale, ex.mode, {}});
      bool got = false;
      if (is_rule) {
        for (const FiredRule& f : s.fired) got = got || f.rule == index;
      } else {
        for (auto c : s.held_contexts) got = got || c == index;
      }
      if (got != ex.expect_match)
        rep.failures.push_back({ex.pos.file, ex.pos.line, ex.pos.column, owner,
                                ex.expect_match ? "match" : "no_match", ex.text});
    }
  };
  for (std::uint32_t i = 0; i < model.rules.size(); ++i)
    run(model.rules[i].examples, "rule '" + model.rules[i].id + "'", true, i);
  for (std::uint32_t i = 0; i < model.contexts.size(); ++i)
    run(model.contexts[i].examples, "context '" + model.contexts[i].id + "'", false, i);
  return rep;
}

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// Engine

Engine::Engine(std::shared_ptr<const detail::EngineImpl> impl) : impl_(std::move(impl)) {}

Engine Engine::load(const std::filesystem::path& pack_dir, const EngineOptions& options) {
  return Engine(std::make_shared<const detail::EngineImpl>(pack_dir, options));
}

namespace {
void locate_self() {}
}  // namespace

std::filesystem::path Engine::default_pack_path() {
  if (const char* env = std::getenv("SIGNPOST_PACK"); env && *env) return env;
  std::error_code ec;
  // Installed: <prefix>/<bin or lib>/<this binary> -> <prefix>/share/signpost/packs/people-smuggling.
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&locate_self), &info) && info.dli_fname) {
    std::filesystem::path self = std::filesystem::weakly_canonical(info.dli_fname, ec);
    if (!ec) {
      // bin/ or lib/ (or a multiarch lib/<triplet>/): at most two levels below the prefix.
      auto dir = self.parent_path();
      for (int up = 0; up < 2 && !dir.empty() && dir != dir.root_path(); ++up, dir = dir.parent_path()) {
        auto candidate = dir.parent_path() / SIGNPOST_INSTALL_PACK_SUBDIR;
        if (std::filesystem::is_regular_file(candidate / "pack.yaml", ec)) return candidate;
      }
    }
  }
  std::filesystem::path source = SIGNPOST_SOURCE_PACK_DIR;
  if (std::filesystem::is_regular_file(source / "pack.yaml", ec)) return source;
  return "messages/people-smuggling";
}

Engine Engine::load_default(const EngineOptions& options) { return load(default_pack_path(), options); }

Decision Engine::evaluate(const Query& q) const { return impl_->evaluate(q); }

RedirectedResults Engine::redirect(const Query& q, std::span<const Result> results) const {
  return impl_->redirect(q, results);
}

LintReport Engine::lint() const { return impl_->lint(); }
const PackInfo& Engine::pack() const noexcept { return impl_->info; }
const EngineOptions& Engine::options() const noexcept { return impl_->options; }
const std::vector<std::string>& Engine::languages() const noexcept { return impl_->model.languages; }
const std::string& Engine::default_locale() const noexcept { return impl_->model.default_locale; }

std::vector<std::string> Engine::categories() const {
  std::vector<std::string> v;
  for (const auto& c : impl_->model.categories) v.push_back(c.id);
  return v;
}

std::vector<std::string> Engine::card_ids() const { return impl_->catalog.ids(); }

std::optional<Card> Engine::card(std::string_view id, std::string_view locale) const {
  if (const Card* c = impl_->catalog.pick(id, impl_->catalog.chain(locale))) return *c;
  return std::nullopt;
}

std::vector<std::string> Engine::locale_chain(std::string_view locale) const { return impl_->catalog.chain(locale); }

double Engine::holdout_rate(std::string_view category) const noexcept {
  for (const auto& c : impl_->model.categories)
    if (c.id == category) return impl_->options.holdout_rate ? *impl_->options.holdout_rate : c.holdout;
  return 0.0;
}

std::string ExampleFailure::to_string() const {
  return fmt::format("{}:{}:{}: {}: expected {}: \"{}\"", file, line, column, owner, expected, text);
}

}  // namespace signpost
