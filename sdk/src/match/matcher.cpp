// match/matcher.cpp: compile() (terms to patterns, regexes to one Vectorscan database) and scan();
// the trie of the terms is built and walked in terms.cpp.
#include "match/matcher.hpp"

#include <hs/hs.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>
#include <new>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "base/fast_paths.hpp"

namespace signpost::detail {
namespace {

// Whether a normalized multi-word term also matches its words written together: every word of at
// least two code points, and at least six code points in all.
bool joinable(std::string_view norm) {
  std::size_t word = 0, total = 0;
  for (std::size_t i = 0; i <= norm.size(); ++i) {
    if (i == norm.size() || norm[i] == ' ') {
      if (word < 2) return false;
      total += word;
      word = 0;
    } else if ((static_cast<unsigned char>(norm[i]) & 0xC0) != 0x80) {
      ++word;  // a code point starts here
    }
  }
  return total >= 6;
}

constexpr std::size_t kMaxRegexBytes = 512;
constexpr std::uint32_t kNoPos = 0xffffffffu;
constexpr long kMaxBoundedRepeat = 64;

std::atomic<std::uint64_t> g_serial{0};

// Vectorscan scratch space, one per thread, grown for each database the thread scans with and
// freed when the thread ends. `ready` remembers the last databases it was grown for.
struct ThreadScratch {
  hs_scratch_t* scratch = nullptr;
  std::uint64_t ready[8] = {};
  unsigned next = 0;
  ~ThreadScratch() {
    if (scratch) hs_free_scratch(scratch);
  }
  hs_scratch_t* get(std::uint64_t serial, const hs_database_t* a, const hs_database_t* b) noexcept {
    for (std::uint64_t r : ready)
      if (r == serial) return scratch;
    if (a && hs_alloc_scratch(a, &scratch) != HS_SUCCESS) return nullptr;
    if (b && hs_alloc_scratch(b, &scratch) != HS_SUCCESS) return nullptr;
    ready[next++ % 8] = serial;
    return scratch;
  }
};

thread_local ThreadScratch t_scratch;

}  // namespace

struct ScanContext {
  const Matcher* m;
  const NormalizedText* text;
  const std::vector<Hit>* hits;
  std::vector<RegexHit>* rhits;
  bool out_of_memory = false;  // no exception may cross Vectorscan's C frames: rethrown after
  static int on_regex(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void* ctx);
};

int ScanContext::on_regex(unsigned id, unsigned long long from, unsigned long long to, unsigned /*flags*/, void* ctx) {
  auto& c = *static_cast<ScanContext*>(ctx);
  for (const RegexHit& h : *c.rhits)
    if (h.regex == id) return 0;  // the first (leftmost-ending) match of each regex is enough
  if (c.rhits->size() >= kMaxHitsPerCall) return 1;
  try {
    c.rhits->push_back(RegexHit{id, static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(to)});
  } catch (const std::bad_alloc&) {
    c.out_of_memory = true;
    return 1;
  }
  return 0;
}

Matcher::~Matcher() {
  if (regex_db_) hs_free_database(regex_db_);
}

Matcher::Matcher(Matcher&& o) noexcept { *this = std::move(o); }

Matcher& Matcher::operator=(Matcher&& o) noexcept {
  if (this != &o) {
    if (regex_db_) hs_free_database(regex_db_);
    regex_db_ = std::exchange(o.regex_db_, nullptr);
    pool_ = std::move(o.pool_);
    pattern_off_ = std::move(o.pattern_off_);
    trie_ = std::move(o.trie_);
    nul_free_ = o.nul_free_;
    ref_begin_ = std::move(o.ref_begin_);
    refs_ = std::move(o.refs_);
    any_prefix_ = std::move(o.any_prefix_);
    regex_gate_ = std::move(o.regex_gate_);
    regex_need_ = std::move(o.regex_need_);
    regex_lexicons_ = std::move(o.regex_lexicons_);
    regex_always_ = o.regex_always_;
    prefilter_ = std::move(o.prefilter_);
    serial_ = o.serial_;
  }
  return *this;
}

std::string check_regex_cost(const std::string& p) {
  if (p.size() > kMaxRegexBytes) return fmt::format("regex longer than {} bytes", kMaxRegexBytes);
  if (p.empty()) return "empty regex";
  bool in_class = false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\') {
      if (i + 1 < p.size()) {
        const char n = p[i + 1];
        if ((n >= '1' && n <= '9') || n == 'g' || n == 'k') return "backreferences are not allowed";
        // \x{0628}, \o{...}, \p{Arabic}, \P{...}, \N{...}: the braces are the escape's, not a repeat.
        if ((n == 'x' || n == 'o' || n == 'p' || n == 'P' || n == 'N') && i + 2 < p.size() && p[i + 2] == '{') {
          const std::size_t close = p.find('}', i + 3);
          i = close == std::string::npos ? p.size() : close;
          continue;
        }
      }
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[') {
      in_class = true;
      if (i + 1 < p.size() && p[i + 1] == ']') ++i;  // "[]...]" keeps the first ']' literal
      else if (i + 2 < p.size() && p[i + 1] == '^' && p[i + 2] == ']') i += 2;
      continue;
    }
    if (c == '(' && i + 2 < p.size() && p[i + 1] == '?') {
      const char n = p[i + 2];
      if (n == '=' || n == '!') return "lookaround is not allowed";
      if (n == '<' && i + 3 < p.size() && (p[i + 3] == '=' || p[i + 3] == '!')) return "lookaround is not allowed";
    }
    if (c == '*' || c == '+')
      return fmt::format("unbounded repeat '{}' at offset {} (use {{m,n}} with n at most {})", c, i, kMaxBoundedRepeat);
    if (c == '{') {
      std::size_t j = i + 1;
      long lo = 0, hi = -1;
      bool digits = false;
      while (j < p.size() && p[j] >= '0' && p[j] <= '9') { lo = std::min(lo * 10 + (p[j] - '0'), 100000L); ++j; digits = true; }
      if (!digits) continue;  // a literal '{'
      if (j < p.size() && p[j] == ',') {
        ++j;
        bool hd = false;
        hi = 0;
        while (j < p.size() && p[j] >= '0' && p[j] <= '9') { hi = std::min(hi * 10 + (p[j] - '0'), 100000L); ++j; hd = true; }
        if (!hd) return fmt::format("unbounded repeat '{{{},}}' at offset {} (use {{m,n}} with n at most {})", lo, i, kMaxBoundedRepeat);
      } else {
        hi = lo;
      }
      if (j < p.size() && p[j] == '}' && hi > kMaxBoundedRepeat)
        return fmt::format("bounded repeat over {} at offset {}", kMaxBoundedRepeat, i);
    }
  }
  return {};
}

void Matcher::compile(const PackModel& model, const std::vector<RegexSpec>& regexes, std::vector<Problem>& problems,
                      const std::vector<SignalKey>& signals) {
  serial_ = ++g_serial;
  auto lang_index = [&](const std::string& lang) -> std::uint16_t {
    for (std::size_t i = 0; i < model.languages.size(); ++i)
      if (model.languages[i] == lang) return static_cast<std::uint16_t>(i);
    return kNoLanguage;
  };

  // Normalize and deduplicate: one pattern per distinct normalized string, with every
  // (lexicon, prefix, language) that owns it.
  std::unordered_map<std::string, std::uint32_t> index;
  std::vector<std::string> patterns;
  std::vector<std::vector<TermRef>> owners;
  for (std::size_t li = 0; li < model.lexicons.size(); ++li) {
    const Lexicon& lex = model.lexicons[li];
    for (const TermSpec& term : lex.terms) {
      std::string norm = normalize_term(term.text);
      if (norm.empty()) {
        if (term.typos < 0)  // a term taken through `include` is reported where it was written
          problems.push_back({term.pos.file, term.pos.line, term.pos.column,
                              fmt::format("term normalizes to nothing: '{}'", term.text)});
        continue;
      }
      const TermRef ref{static_cast<std::uint32_t>(li), lang_index(term.lang), term.prefix};
      auto add = [&](std::string form) {
        auto [it, fresh] = index.try_emplace(form, static_cast<std::uint32_t>(patterns.size()));
        if (fresh) {
          patterns.push_back(std::move(form));
          owners.emplace_back();
        }
        auto& list = owners[it->second];
        for (TermRef& r : list)
          if (r.lexicon == ref.lexicon) {
            r.prefix = r.prefix || ref.prefix;  // a prefix entry subsumes the exact one
            return;
          }
        list.push_back(ref);
      };
      // A multi-word term also matches its words written together or joined by punctuation
      // ("small boat": "smallboat", "small-boat", "s.m.a.l.l.b.o.a.t").
      // Not for short ones, whose words written together are other words ("a head": "ahead",
      // "si te": "site", "est a": "esta"): every word of at least two code points, and at least six
      // together.
      if (norm.find(' ') != std::string::npos && joinable(norm)) {
        std::string joined;
        for (char c : norm)
          if (c != ' ') joined += c;
        add(std::move(joined));
      }
      add(std::move(norm));
    }
  }
  // Signal keys: one more owner of their pattern (a new one, or a pack term's), whose bits add up.
  for (const SignalKey& s : signals) {
    if (s.key.empty()) continue;
    auto [it, fresh] = index.try_emplace(s.key, static_cast<std::uint32_t>(patterns.size()));
    if (fresh) {
      patterns.push_back(s.key);
      owners.emplace_back();
    }
    auto& list = owners[it->second];
    const auto have = std::find_if(list.begin(), list.end(), [](const TermRef& r) { return r.lexicon == kSignal; });
    if (have != list.end()) have->lang = static_cast<std::uint16_t>(have->lang | s.bits);
    else list.push_back(TermRef{kSignal, s.bits, false});
  }
  index = {};
  ref_begin_.assign(1, 0);
  any_prefix_.clear();
  for (auto& list : owners) {
    refs_.insert(refs_.end(), list.begin(), list.end());
    ref_begin_.push_back(static_cast<std::uint32_t>(refs_.size()));
    any_prefix_.push_back(std::any_of(list.begin(), list.end(), [](const TermRef& r) { return r.prefix; }));
  }
  owners = {};
  std::size_t bytes = 0;
  for (const auto& p : patterns) bytes += p.size();
  if (bytes >= kNoPos) {
    problems.push_back({"", 0, 0, "cannot compile terms: more than 4 GB of normalized terms"});
    patterns.clear();
    ref_begin_.assign(1, 0);
    refs_.clear();
    any_prefix_.clear();
  }
  pool_.reserve(bytes);
  pattern_off_.reserve(patterns.size() + 1);
  pattern_off_.push_back(0);
  for (const auto& p : patterns) {
    pool_ += p;
    pattern_off_.push_back(static_cast<std::uint32_t>(pool_.size()));
  }
  patterns = {};
  build_trie(problems);

  // Regexes worth scanning only after a hit of one of their gate lexicons (see RegexSpec::gate).
  regex_always_ = false;
  regex_gate_.assign((model.lexicons.size() + 63) / 64, 0);
  regex_need_.clear();
  regex_lexicons_.clear();
  const auto known = [&](const std::vector<std::uint32_t>& v) {
    return std::all_of(v.begin(), v.end(), [&](std::uint32_t l) { return l < model.lexicons.size(); });
  };
  for (const RegexSpec& r : regexes) {
    RegexNeed n{static_cast<std::uint32_t>(regex_lexicons_.size()), 0, 0, r.gate.empty()};
    for (std::uint32_t lex : r.gate)
      if (lex < model.lexicons.size()) regex_gate_[lex >> 6] |= std::uint64_t(1) << (lex & 63);
      else n.always = true;
    if (!known(r.need) || !known(r.any)) n.always = true;
    regex_always_ = regex_always_ || n.always;
    regex_lexicons_.insert(regex_lexicons_.end(), r.need.begin(), r.need.end());
    n.any_begin = static_cast<std::uint32_t>(regex_lexicons_.size());
    regex_lexicons_.insert(regex_lexicons_.end(), r.any.begin(), r.any.end());
    n.end = static_cast<std::uint32_t>(regex_lexicons_.size());
    regex_need_.push_back(n);
  }

  // Regexes: one database for all of them. When that fails (or a regex is too costly), each is
  // checked alone so that every bad one is reported at its position.
  if (regexes.empty()) return;
  std::vector<std::string> patterns_of;
  for (const RegexSpec& r : regexes) patterns_of.push_back(r.pattern);
  prefilter_.build(patterns_of);  // the flags below: HS_FLAG_UTF8 and leftmost start, nothing else
  std::vector<const char*> exprs;
  std::vector<unsigned> flags(regexes.size(), HS_FLAG_UTF8 | HS_FLAG_SOM_LEFTMOST), ids(regexes.size());
  bool cheap = true;
  for (std::size_t i = 0; i < regexes.size(); ++i) {
    exprs.push_back(regexes[i].pattern.c_str());
    ids[i] = static_cast<unsigned>(i);
    cheap = cheap && check_regex_cost(regexes[i].pattern).empty();
  }
  hs_compile_error_t* multi_err = nullptr;
  if (cheap && hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()),
                                HS_MODE_BLOCK, nullptr, &regex_db_, &multi_err) == HS_SUCCESS)
    return;
  bool regex_ok = true;
  for (const RegexSpec& r : regexes) {
    std::string why = check_regex_cost(r.pattern);
    if (why.empty()) {
      hs_database_t* db = nullptr;
      hs_compile_error_t* err = nullptr;
      if (hs_compile(r.pattern.c_str(), HS_FLAG_UTF8 | HS_FLAG_SOM_LEFTMOST, HS_MODE_BLOCK, nullptr, &db, &err) !=
          HS_SUCCESS) {
        why = err && err->message ? err->message : "unknown error";
        hs_free_compile_error(err);
      } else {
        hs_free_database(db);
      }
    }
    if (!why.empty()) {
      regex_ok = false;
      problems.push_back({r.pos.file, r.pos.line, r.pos.column, fmt::format("bad regex: {}", why)});
    }
  }
  if (regex_ok && multi_err) {  // each compiles alone, not all together
    const int which = multi_err->expression;
    const SourcePos pos = which >= 0 ? regexes[std::size_t(which)].pos : SourcePos{};
    problems.push_back({pos.file, pos.line, pos.column,
                        fmt::format("bad regex: {}", multi_err->message ? multi_err->message : "unknown error")});
  }
  if (multi_err) hs_free_compile_error(multi_err);
}

bool Matcher::regex_needed(const NormalizedText& text, const std::vector<Hit>& hits, RegexGate gate) const noexcept {
  bool named = regex_always_;
  for (std::size_t i = 0; i < hits.size() && !named; ++i) {
    const std::uint32_t l = hits[i].lexicon;
    named = l < regex_gate_.size() * 64 && (regex_gate_[l >> 6] >> (l & 63) & 1);
  }
  if (!named) return false;
  // The lexicons hit, one bit each (owners), to tell whether some regex's condition can still
  // hold (its `none` lexicons aside: a superset).
  constexpr std::size_t kMaxWords = 32;
  const std::size_t words = regex_gate_.size();
  const bool every = gate == RegexGate::lexicons || words > kMaxWords;  // every condition may hold
  std::uint64_t hit[kMaxWords];
  bool listed = false;  // hit[] is filled when a regex first asks
  const auto was_hit = [&](std::uint32_t l) { return (hit[l >> 6] >> (l & 63)) & 1u; };
  const auto can_hold = [&](std::size_t r) {
    const RegexNeed& n = regex_need_[r];
    if (every || n.always) return true;
    if (!listed) {
      std::fill_n(hit, words, 0);
      for (const Hit& h : hits)
        if (h.lexicon < words * 64) hit[h.lexicon >> 6] |= std::uint64_t(1) << (h.lexicon & 63);
      listed = true;
    }
    for (std::uint32_t k = n.need_begin; k < n.any_begin; ++k)
      if (!was_hit(regex_lexicons_[k])) return false;
    if (n.any_begin == n.end) return true;
    for (std::uint32_t k = n.any_begin; k < n.end; ++k)
      if (was_hit(regex_lexicons_[k])) return true;
    return false;
  };
  // With the prefilter, only a regex that can match the text at all (the bytes it holds) counts.
  // In `lexicons`, every regex that can match is then scanned, as without the prefilter: a skip
  // changes nothing.
  constexpr std::size_t kMaxRegexWords = 16;
  const bool filter =
      fast_path(FastPath::regex_prefilter) && prefilter_.size() == regex_need_.size() && prefilter_.words() <= kMaxRegexWords;
  if (!filter && every) return true;
  if (filter) {
    const std::uint64_t atoms = prefilter_.atoms(text.text);
    std::uint64_t cand[kMaxRegexWords];
    prefilter_.candidates(atoms, cand);
    for (std::size_t k = 0; k < prefilter_.words(); ++k)
      for (std::uint64_t c = cand[k]; c != 0; c &= c - 1) {
        const std::size_t r = k * 64 + static_cast<std::size_t>(std::countr_zero(c));
        if (prefilter_.may_match(r, atoms) && can_hold(r)) return true;
      }
    return false;
  }
  for (std::size_t r = 0; r < regex_need_.size(); ++r)
    if (can_hold(r)) return true;
  return false;
}

void Matcher::scan(const NormalizedText& text, std::vector<Hit>& hits, std::vector<RegexHit>& rhits) const {
  find_terms(text, hits, rhits);
  scan_regexes(text, hits, rhits);
}

void Matcher::find_terms(const NormalizedText& text, std::vector<Hit>& hits, std::vector<RegexHit>& rhits,
                         unsigned* signals) const {
  hits.clear();
  rhits.clear();
  const unsigned found = !text.text.empty() && !trie_.empty() ? scan_terms(text, hits) : kSignalsComplete;
  if (signals) *signals = found;
}

void Matcher::scan_regexes(const NormalizedText& text, const std::vector<Hit>& hits, std::vector<RegexHit>& rhits,
                           RegexGate gate) const {
  if (text.text.empty() || !regex_db_ || !regex_needed(text, hits, gate)) return;
  hs_scratch_t* scratch = t_scratch.get(serial_, nullptr, regex_db_);
  if (!scratch) return;
  ScanContext ctx{this, &text, &hits, &rhits, false};
  const auto len = static_cast<unsigned>(std::min<std::size_t>(text.text.size(), 0xffffffffu));
  hs_scan(regex_db_, text.text.data(), len, 0, scratch, ScanContext::on_regex, &ctx);
  if (ctx.out_of_memory) throw std::bad_alloc();
}

std::vector<std::string> Matcher::patterns() const {
  std::vector<std::string> out;
  out.reserve(pattern_count());
  for (std::size_t id = 0; id < pattern_count(); ++id) {
    const bool term = std::any_of(refs_.begin() + ref_begin_[id], refs_.begin() + ref_begin_[id + 1],
                                  [](const TermRef& r) { return r.lexicon != kSignal; });
    if (term) out.emplace_back(pool_.data() + pattern_off_[id], pattern_off_[id + 1] - pattern_off_[id]);
  }
  return out;
}

std::size_t Matcher::memory_bytes() const noexcept {
  std::size_t n = 0, s = 0;
  if (regex_db_ && hs_database_size(regex_db_, &s) == HS_SUCCESS) n += s;
  n += pool_.capacity() + pattern_off_.capacity() * sizeof(std::uint32_t) + trie_.capacity() * sizeof(Unit) +
       ref_begin_.capacity() * sizeof(std::uint32_t) + refs_.capacity() * sizeof(TermRef) + any_prefix_.capacity() +
       regex_gate_.capacity() * sizeof(std::uint64_t) + regex_need_.capacity() * sizeof(RegexNeed) +
       regex_lexicons_.capacity() * sizeof(std::uint32_t) + prefilter_.memory_bytes();
  return n;
}

}  // namespace signpost::detail
