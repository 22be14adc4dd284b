#include "match/matcher.hpp"

#include <hs/hs.h>

#include <algorithm>
#include <new>
#include <atomic>
#include <cstring>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

namespace signpost::detail {
namespace {

constexpr std::size_t kMaxRegexBytes = 512;
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

// Polynomial hash of a byte string, modulo 2^64: h(s) = sum s[j] * kBase^(len-1-j). Over a text
// with prefix hashes H (H[0] = 0, H[i+1] = H[i] * kBase + t[i]), h(t[p, q)) = H[q] - H[p] * kBase^(q-p).
constexpr std::uint64_t kBase = 0x9e3779b97f4a7c15ull;

// Spreads the bits of a polynomial hash (its low bits depend only on the low bits of the bytes);
// callers use the high bits of the result.
inline std::uint64_t mix(std::uint64_t h) noexcept { return (h ^ (h >> 32)) * 0xd6e8feb86659fd93ull; }

// Filter bit of a mixed hash: bits below those the table slot uses.
inline std::uint64_t filter_bit(std::uint64_t m, unsigned shift) noexcept { return (m << 20) >> shift; }

inline std::uint64_t hash_bytes(std::string_view s) noexcept {
  std::uint64_t h = 0;
  for (char c : s) h = h * kBase + static_cast<unsigned char>(c);
  return h;
}

// Per-thread arrays for term lookup: prefix hashes and the word-end positions of the text.
struct RecentStart {
  std::uint32_t pos, spaces;  // a word start, and the spaces before it
  std::uint64_t hash;         // prefix hash of the text before it
};
struct TermScratch {
  std::vector<std::uint64_t> prefix_hash;  // for prefix terms only
  std::vector<RecentStart> ring;           // word starts within reach of the current position
};

thread_local TermScratch t_terms;

constexpr std::uint32_t kNone = 0xffffffffu;

}  // namespace

struct ScanContext {
  const Matcher* m;
  const NormalizedText* text;
  std::vector<Hit>* hits;
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
    table_ = std::move(o.table_);
    filter_ = std::move(o.filter_);
    first2_ = std::move(o.first2_);
    pow_ = std::move(o.pow_);
    prefix_lens_ = std::move(o.prefix_lens_);
    max_exact_len_ = o.max_exact_len_;
    max_len_ = o.max_len_;
    max_exact_spaces_ = o.max_exact_spaces_;
    table_shift_ = o.table_shift_;
    filter_shift_ = o.filter_shift_;
    ref_begin_ = std::move(o.ref_begin_);
    refs_ = std::move(o.refs_);
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

void Matcher::compile(const PackModel& model, const std::vector<RegexSpec>& regexes, std::vector<Problem>& problems) {
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
      if (norm.find(' ') != std::string::npos) {
        std::string joined;
        for (char c : norm)
          if (c != ' ') joined += c;
        add(std::move(joined));
      }
      add(std::move(norm));
    }
  }
  index = {};
  ref_begin_.assign(1, 0);
  for (auto& list : owners) {
    refs_.insert(refs_.end(), list.begin(), list.end());
    ref_begin_.push_back(static_cast<std::uint32_t>(refs_.size()));
  }
  owners = {};
  std::size_t bytes = 0;
  for (const auto& p : patterns) bytes += p.size();
  if (bytes >= kNone) {
    problems.push_back({"", 0, 0, "cannot compile terms: more than 4 GB of normalized terms"});
    patterns.clear();
    ref_begin_.assign(1, 0);
    refs_.clear();
  }
  pool_.reserve(bytes);
  pattern_off_.reserve(patterns.size() + 1);
  pattern_off_.push_back(0);
  for (const auto& p : patterns) {
    pool_ += p;
    pattern_off_.push_back(static_cast<std::uint32_t>(pool_.size()));
  }
  patterns = {};
  build_table();

  // Regexes: each checked alone first so that every bad one is reported at its position.
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
  if (regex_ok && !regexes.empty()) {
    std::vector<const char*> exprs;
    std::vector<unsigned> flags(regexes.size(), HS_FLAG_UTF8 | HS_FLAG_SOM_LEFTMOST), ids(regexes.size());
    for (std::size_t i = 0; i < regexes.size(); ++i) {
      exprs.push_back(regexes[i].pattern.c_str());
      ids[i] = static_cast<unsigned>(i);
    }
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK,
                         nullptr, &regex_db_, &err) != HS_SUCCESS) {
      const int which = err ? err->expression : -1;
      const SourcePos pos = which >= 0 ? regexes[std::size_t(which)].pos : SourcePos{};
      problems.push_back({pos.file, pos.line, pos.column,
                          fmt::format("bad regex: {}", err && err->message ? err->message : "unknown error")});
      hs_free_compile_error(err);
    }
  }
}

void Matcher::build_table() {
  const std::size_t n = pattern_count();
  max_exact_len_ = max_len_ = 0;
  prefix_lens_.clear();
  table_.clear();
  filter_.clear();
  first2_.clear();
  pow_.clear();
  if (n == 0) return;
  max_exact_spaces_ = 0;
  for (std::size_t id = 0; id < n; ++id) {
    const std::uint32_t len = pattern_off_[id + 1] - pattern_off_[id];
    max_len_ = std::max(max_len_, len);
    bool exact = false, prefix = false;
    for (std::uint32_t i = ref_begin_[id]; i < ref_begin_[id + 1]; ++i) (refs_[i].prefix ? prefix : exact) = true;
    if (exact) {
      max_exact_len_ = std::max(max_exact_len_, len);
      const auto spaces = static_cast<std::uint32_t>(
          std::count(pool_.begin() + pattern_off_[id], pool_.begin() + pattern_off_[id + 1], ' '));
      max_exact_spaces_ = std::max(max_exact_spaces_, spaces);
    }
    if (prefix) prefix_lens_.push_back(len);
  }
  std::sort(prefix_lens_.begin(), prefix_lens_.end());
  prefix_lens_.erase(std::unique(prefix_lens_.begin(), prefix_lens_.end()), prefix_lens_.end());
  prefix_lens_.shrink_to_fit();
  pow_.resize(std::size_t(max_len_) + 1);
  pow_[0] = 1;
  for (std::size_t k = 1; k < pow_.size(); ++k) pow_[k] = pow_[k - 1] * kBase;

  unsigned table_bits = 4, filter_bits = 9;
  while ((std::size_t(1) << table_bits) < 2 * n) ++table_bits;      // load at most 1/2
  while ((std::size_t(1) << filter_bits) < 8 * n) ++filter_bits;    // 8 filter bits per term
  table_shift_ = 64 - table_bits;
  filter_shift_ = 64 - filter_bits;
  table_.assign(std::size_t(1) << table_bits, Slot{0, kEmpty});
  first2_.assign(65536 / 64, 0);
  filter_.assign((std::size_t(1) << filter_bits) / 64, 0);
  const std::size_t mask = table_.size() - 1;
  for (std::size_t id = 0; id < n; ++id) {
    const std::string_view s(pool_.data() + pattern_off_[id], pattern_off_[id + 1] - pattern_off_[id]);
    const std::uint64_t m = mix(hash_bytes(s));
    const unsigned c0 = static_cast<unsigned char>(s[0]) << 8;
    if (s.size() == 1) {
      for (unsigned x = 0; x < 256; ++x) first2_[(c0 | x) >> 6] |= std::uint64_t(1) << ((c0 | x) & 63);
    } else {
      const unsigned key = c0 | static_cast<unsigned char>(s[1]);
      first2_[key >> 6] |= std::uint64_t(1) << (key & 63);
    }
    const std::uint64_t f = filter_bit(m, filter_shift_);
    filter_[f >> 6] |= std::uint64_t(1) << (f & 63);
    std::size_t slot = static_cast<std::size_t>(m >> table_shift_);
    while (table_[slot].id != kEmpty) slot = (slot + 1) & mask;
    table_[slot] = Slot{static_cast<std::uint32_t>(m >> 8), static_cast<std::uint32_t>(id)};
  }
}

void Matcher::scan_terms(const NormalizedText& t, std::vector<Hit>& hits) const {
  const std::size_t n = t.text.size();
  if (n >= kNone || t.bounds.size() < n + 1 || t.token.size() < n) return;
  TermScratch& ts = t_terms;
  const std::size_t nprefix = prefix_lens_.size();
  std::size_t ring_size = 16;
  while (ring_size < std::size_t(max_exact_len_) + 1) ring_size *= 2;
  try {
    if (ts.ring.size() < ring_size) ts.ring.resize(ring_size);
    if (nprefix && ts.prefix_hash.size() < n + 1) ts.prefix_hash.resize(n + 1);
  } catch (...) {
    return;
  }
  const char* text = t.text.data();
  const std::uint8_t* bounds = t.bounds.data();
  const std::size_t mask = table_.size() - 1;
  const std::uint64_t* filter = filter_.data();
  const std::uint64_t* first2 = first2_.data();
  const std::uint64_t* pw = pow_.data();
  const unsigned fshift = filter_shift_, tshift = table_shift_;
  const std::uint32_t max_exact = max_exact_len_, max_spaces = max_exact_spaces_;
  const std::size_t first = hits.size();

  // Whether the exact pass below looks t[p, q) up.
  const auto exact_probed = [&](std::uint32_t p, std::uint32_t q) {
    return (bounds[q] & NormalizedText::kEnd) && q - p <= max_exact &&
           static_cast<std::uint32_t>(std::count(text + p, text + q, ' ')) <= max_spaces;
  };
  // Looks t[p, q) (hash h) up; false when the hit list is full. `from_prefix`: a prefix-length
  // candidate, which reports nothing the exact pass reports.
  const auto probe = [&](std::uint32_t p, std::uint32_t q, std::uint64_t hash, bool from_prefix) -> bool {
    const std::uint32_t len = q - p;
    const std::uint64_t m = mix(hash);
    const std::uint64_t f = filter_bit(m, fshift);
    if (!(filter[f >> 6] >> (f & 63) & 1)) return true;
    const auto tag = static_cast<std::uint32_t>(m >> 8);
    for (std::size_t slot = static_cast<std::size_t>(m >> tshift);; slot = (slot + 1) & mask) {
      const Slot& sl = table_[slot];
      if (sl.id == kEmpty) return true;
      if (sl.tag != tag) continue;
      const std::uint32_t off = pattern_off_[sl.id];
      if (pattern_off_[sl.id + 1] - off != len || std::memcmp(pool_.data() + off, text + p, len) != 0) continue;
      if (from_prefix && exact_probed(p, q)) return true;
      const bool word_end = (bounds[q] & NormalizedText::kEnd) != 0;
      for (std::uint32_t i = ref_begin_[sl.id]; i < ref_begin_[sl.id + 1]; ++i) {
        const TermRef& ref = refs_[i];
        if (!ref.prefix && !word_end) continue;
        if (hits.size() >= kMaxHitsPerCall) return false;  // stop: enough evidence, bounded work
        hits.push_back(Hit{ref.lexicon, p, q, t.token[p], t.token[q - 1], ref.lang});
      }
      return true;  // patterns are distinct: at most one matches
    }
  };
  const auto may_start = [&](std::size_t p) {
    const unsigned key = static_cast<unsigned char>(text[p]) << 8 |
                         (p + 1 < n ? static_cast<unsigned char>(text[p + 1]) : 0u);
    return (first2[key >> 6] >> (key & 63) & 1) != 0;  // some term starts with these bytes
  };

  // Exact pass, in one sweep: at each word end, the word starts within reach (oldest first), so
  // hits come in order of end, then start. Candidate starts are kept with their prefix hash.
  bool full = false;
  if (max_exact) {
    RecentStart* ring = ts.ring.data();
    const std::size_t rmask = ring_size - 1;
    std::size_t head = 0, tail = 0;
    std::uint64_t h = 0;
    std::uint32_t sp = 0;
    for (std::uint32_t i = 0;; ++i) {
      const std::uint8_t b = bounds[i];
      if ((b & NormalizedText::kEnd) && head != tail) {
        while (tail != head && (ring[tail & rmask].pos + max_exact < i || ring[tail & rmask].spaces + max_spaces < sp))
          ++tail;
        for (std::size_t k = tail; k != head; ++k) {
          const RecentStart& r = ring[k & rmask];
          if (!probe(r.pos, i, h - r.hash * pw[i - r.pos], false)) {
            full = true;
            break;
          }
        }
        if (full) break;
      }
      if (i == n) break;
      if ((b & NormalizedText::kStart) && may_start(i)) {
        if (head - tail == ring_size) ++tail;  // the oldest is out of reach of any later end
        ring[head++ & rmask] = RecentStart{i, sp, h};
      }
      const auto c = static_cast<unsigned char>(text[i]);
      h = h * kBase + c;
      sp += c == ' ';
    }
  }

  // Prefix pass: at each word start, the lengths of prefix terms, word end or not.
  if (nprefix && !full) {
    std::uint64_t* H = ts.prefix_hash.data();
    std::uint64_t h = 0;
    H[0] = 0;
    for (std::size_t i = 0; i < n; ++i) {
      h = h * kBase + static_cast<unsigned char>(text[i]);
      H[i + 1] = h;
    }
    for (std::uint32_t p = 0; p < n && !full; ++p) {
      if (!(bounds[p] & NormalizedText::kStart) || !may_start(p)) continue;
      for (std::size_t k = 0; k < nprefix && std::size_t(p) + prefix_lens_[k] <= n; ++k) {
        const std::uint32_t q = p + prefix_lens_[k];
        if (!probe(p, q, H[q] - H[p] * pw[q - p], true)) {
          full = true;
          break;
        }
      }
    }
  }
  // With prefix terms, the two passes are merged in order of end, then start (stable insertion
  // sort: hits out of place are those of prefix terms, each within the longest term of its place).
  for (std::size_t i = first + 1; nprefix && i < hits.size(); ++i) {
    if (hits[i - 1].end < hits[i].end ||
        (hits[i - 1].end == hits[i].end && hits[i - 1].begin <= hits[i].begin))
      continue;
    const Hit h = hits[i];
    std::size_t j = i;
    while (j > first && (hits[j - 1].end > h.end || (hits[j - 1].end == h.end && hits[j - 1].begin > h.begin))) {
      hits[j] = hits[j - 1];
      --j;
    }
    hits[j] = h;
  }
}

void Matcher::scan(const NormalizedText& text, std::vector<Hit>& hits, std::vector<RegexHit>& rhits) const {
  hits.clear();
  rhits.clear();
  if (text.text.empty()) return;
  if (!table_.empty()) scan_terms(text, hits);
  if (!regex_db_) return;
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
  for (std::size_t id = 0; id < pattern_count(); ++id)
    out.emplace_back(pool_.data() + pattern_off_[id], pattern_off_[id + 1] - pattern_off_[id]);
  return out;
}

std::size_t Matcher::memory_bytes() const noexcept {
  std::size_t n = 0, s = 0;
  if (regex_db_ && hs_database_size(regex_db_, &s) == HS_SUCCESS) n += s;
  n += pool_.capacity() + pattern_off_.capacity() * sizeof(std::uint32_t) + table_.capacity() * sizeof(Slot) +
       (filter_.capacity() + first2_.capacity()) * sizeof(std::uint64_t) + pow_.capacity() * sizeof(std::uint64_t) +
       prefix_lens_.capacity() * sizeof(std::uint32_t) + ref_begin_.capacity() * sizeof(std::uint32_t) +
       refs_.capacity() * sizeof(TermRef);
  return n;
}

}  // namespace signpost::detail
