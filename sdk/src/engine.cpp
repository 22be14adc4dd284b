#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <system_error>

#include <fmt/format.h>

#include "archive/archive.hpp"
#include "archive/signature.hpp"
#include "base/escape.hpp"
#include "decision_json.hpp"
#include "base/locale.hpp"
#include "decide/assemble.hpp"
#include "decide/redirect.hpp"
#include "engine_impl.hpp"
#include "pack/romanized.hpp"
#include "signpost/error.hpp"
#include "signpost/measure.hpp"

namespace signpost {
namespace detail {
namespace {

thread_local Call t_call;

// The language subtag of a locale tag, folded, into a fixed buffer (no allocation).
std::string_view lang_of(std::string_view tag, char (&buf)[12]) noexcept { return LocaleTag::language_into(tag, buf); }

bool sort_problems(const Problem& a, const Problem& b) {
  if (a.file != b.file) return a.file < b.file;
  if (a.line != b.line) return a.line < b.line;
  return a.column < b.column;
}

}  // namespace

EngineImpl::EngineImpl(const std::filesystem::path& dir, const EngineOptions& opts) : options(opts) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw ConfigError({{dir.generic_string(), 0, 0, "not a pack folder (no such directory)"}});
  }
  std::vector<Problem> problems;
  model = load_pack(dir, problems);
  // The signature file, read only when it is needed (bounded like the pack's files).
  std::optional<std::string> signature;
  const std::filesystem::path sig_path = dir / std::string(kSignatureFile);
  if (!options.trusted_keys.empty() && std::filesystem::is_regular_file(sig_path, ec)) {
    std::ifstream in(sig_path, std::ios::binary);
    std::string text(kMaxSignatureBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxSignatureBytes) problems.push_back({sig_path.generic_string(), 0, 0, "file larger than 64 KiB"});
    else signature = std::move(text);
  }
  compile(std::move(problems), signature ? &*signature : nullptr, sig_path.generic_string());
}

EngineImpl::EngineImpl(const PackFiles& files, const EngineOptions& opts) : options(opts) {
  std::vector<Problem> problems;
  model = load_pack(files, problems);
  const auto sig = files.files.find(std::string(kSignatureFile));
  compile(std::move(problems), sig == files.files.end() ? nullptr : &sig->second,
          files.origin + "/" + std::string(kSignatureFile));
}

void EngineImpl::compile(std::vector<Problem> problems, const std::string* signature, const std::string& sig_path) {
  if (!options.trusted_keys.empty())
    verify_signatures(signature, model.hash, options.trusted_keys, sig_path, problems);
  // Terms and regexes are checked even when the structure has problems, so that every problem is
  // reported in one pass; the decider is compiled only from a sound structure.
  if (problems.empty()) decider.compile(model);
  add_romanized_variants(model);
  for (std::uint32_t i = 0; i < model.lexicons.size(); ++i)
    if (const int k = model.lexicons[i].entity; k >= 0) {
      entity_kinds |= 1u << k;
      entity_lexicon[static_cast<std::size_t>(k)] = i;
    }
  // The kinds each mode scans: those its rules and contexts name (an entity that only post-mode
  // clauses name, as the default pack's @quote, costs a search nothing).
  const auto scope = [&](const ClauseSpec& c) {
    unsigned kinds = 0;
    const auto add = [&](std::size_t lex) {
      if (lex < model.lexicons.size())
        if (const int k = model.lexicons[lex].entity; k >= 0) kinds |= 1u << k;
    };
    for (const auto* list : {&c.cond.any, &c.cond.all, &c.cond.none})
      for (const std::size_t lex : *list) add(lex);
    for (const Near& n : c.cond.near)
      for (const std::size_t lex : n.of) add(lex);
    if (c.query_mode) entity_kinds_of_mode[0] |= kinds;
    if (c.post_mode) entity_kinds_of_mode[1] |= kinds;
  };
  for (const Rule& r : model.rules) scope(r);
  for (const Context& c : model.contexts) scope(c);
  // The entity scanners' word list is built here, at load, so that evaluate never allocates it
  // (nor throws from it) on a first call. The words that let money or a date be found without a
  // digit go into the term trie as signal keys: the term walk then tells the entity gate which of
  // them the text holds.
  std::vector<SignalKey> signals;
  if (entity_kinds != 0) entities::vocabulary_ready();
  if (entity_kinds & (entities::bit(entities::Kind::money) | entities::bit(entities::Kind::date)))
    for (entities::SignalWord& w : entities::signal_words())
      signals.push_back(SignalKey{std::move(w.key), static_cast<std::uint16_t>(w.bits)});
  classifiers.build(model);
  matcher.compile(model, regex_specs(model), problems, signals);
  typos.build(model);
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
  append_pack_json(pack_json, info);
}

Call& EngineImpl::analyze(const Query& q, bool every_context) const {
  Call& c = t_call;
  c.verdict.begin(model.lexicons.size(), model.rules.size(), model.contexts.size(), model.categories.size());
  normalize(q.text, c.norm, options.max_text_bytes);
  unsigned signals = 0;
  matcher.find_terms(c.norm, c.hits, c.regex_hits, &signals);
  c.term_hits = static_cast<std::uint32_t>(c.hits.size());
  if (!typos.empty()) typos.scan(c.norm, c.hits);
  c.typo_hits = static_cast<std::uint32_t>(c.hits.size()) - c.term_hits;
  // The signal words are known when the term walk read the whole text.
  if (const unsigned kinds = entity_kinds_of_mode[q.mode == Mode::post ? 1 : 0]; kinds != 0)
    entities::append_hits(q.text, c.norm, kinds, entity_lexicon, c.entities, c.hits,
                          (signals & Matcher::kSignalsComplete) ? &signals : nullptr);
  if (!classifiers.empty()) classifiers.scan(c.norm, q.mode, c.hits);
  matcher.scan_regexes(c.norm, c.hits, c.regex_hits);  // gated by every hit above
  char buf[12];
  decider.run(lang_of(q.locale, buf), q.mode, c.hits, c.regex_hits, c.verdict, every_context);
  return c;
}

Decision EngineImpl::evaluate(const Query& q) const {
  return assemble_decision(DecisionContext{model, decider, catalog, options}, q, analyze(q));
}

RedirectedResults EngineImpl::redirect(const Query& q, std::span<const Result> results) const {
  std::vector<Decision> decisions;
  decisions.reserve(results.size());
  std::string text;
  for (const Result& r : results) {
    text.assign(r.title);
    text += '\n';
    text += r.snippet;
    decisions.push_back(evaluate(Query{text, q.locale, Mode::post, q.subject}));
  }
  return place_results(evaluate(q), results, decisions);
}

LintReport EngineImpl::lint() const {
  LintReport rep;
  auto run = [&](const std::vector<Example>& examples, const std::string& owner, bool is_rule, std::uint32_t index) {
    for (const Example& ex : examples) {
      ++rep.examples;
      const Verdict& s = analyze(Query{ex.text, ex.locale, ex.mode, {}}, true).verdict;
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

namespace {

std::shared_ptr<const detail::EngineImpl> from_archive(std::string_view bytes, std::string origin,
                                                       const EngineOptions& options) {
  detail::PackFiles files;
  files.origin = std::move(origin);
  std::vector<Problem> problems;
  if (!detail::read_archive(bytes, files, problems)) throw ConfigError(std::move(problems));
  return std::make_shared<const detail::EngineImpl>(files, options);
}

}  // namespace

Engine Engine::load(const std::filesystem::path& pack_dir, const EngineOptions& options) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(pack_dir, ec)) {
    const std::string name = pack_dir.generic_string();
    std::ifstream in(pack_dir, std::ios::binary);
    std::string bytes;
    char buf[1 << 16];
    while (in && bytes.size() <= detail::kMaxArchiveFileBytes) {
      in.read(buf, sizeof buf);
      bytes.append(buf, static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad() || (!in.eof() && bytes.size() <= detail::kMaxArchiveFileBytes))
      throw ConfigError({{name, 0, 0, "cannot read file"}});
    if (bytes.size() > detail::kMaxArchiveFileBytes) throw ConfigError({{name, 0, 0, "archive larger than 128 MiB"}});
    return Engine(from_archive(bytes, name, options));
  }
  return Engine(std::make_shared<const detail::EngineImpl>(pack_dir, options));
}

Engine Engine::load_archive(std::string_view archive_bytes, const EngineOptions& options) {
  return Engine(from_archive(archive_bytes, "<archive>", options));
}

namespace {
void locate_self() {}
}  // namespace

std::filesystem::path Engine::default_pack_path() {
  if (const char* env = std::getenv("SIGNPOST_PACK"); env && *env) return env;
  std::error_code ec;
  // Installed: <prefix>/<bin or lib>/<this binary> -> <prefix>/share/signpost/packs/people-smuggling.
  // A build tree has a link to the source pack at the same place (<build>/share/...), one or two
  // levels above its programs.
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
  // A checkout's own pack, from its root folder.
  return "messages/people-smuggling";
}

Engine Engine::load_default(const EngineOptions& options) { return load(default_pack_path(), options); }

Decision Engine::evaluate(const Query& q) const { return impl_->evaluate(q); }

RedirectedResults Engine::redirect(const Query& q, std::span<const Result> results) const {
  return impl_->redirect(q, results);
}

LintReport Engine::lint() const { return impl_->lint(); }
void Engine::append_json(std::string& out, const Decision& d, const std::string* id) const {
  detail::append_decision_json(out, d, id, impl_->info, &impl_->catalog, impl_->pack_json);
}

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
  // Example texts and file names are pack text: escaped, so that one failure is one line.
  return fmt::format("{}:{}:{}: {}: expected {}: \"{}\"", detail::escaped(file), line, column, detail::escaped(owner),
                     expected, detail::escaped(text));
}

}  // namespace signpost
