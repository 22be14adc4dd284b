// match/matcher.hpp: the terms of a pack in one double-array trie walked from word starts, regexes
// in one Vectorscan database.
//
// Contract: compile() normalizes each term with the same pipeline as input text
// (normalize/normalizer.hpp), deduplicates identical normalized strings and builds one
// double-array trie of them (Darts, the Debian package `darts`; the walk over its arrays is
// ours); rule and context regexes are checked against the cost limits of docs/pack-format.md and
// compiled into a Vectorscan database. Problems go to the caller's list with the term's or regex's
// file:line:col.
//
// scan() runs over normalized text and reports, per lexicon that owns a term found there, a Hit
// whose start is a word start and whose end is a word end (or anything, for prefix terms). From
// each word start the trie is walked along the text, one transition (one unit read; a second
// where a term ends) per byte, until the text leaves the trie: the work per word start is bounded
// by the longest term and in
// practice is about the length of the word, so a scan costs about one transition per byte,
// whatever the number of terms. Hits come in the order of their end, then of their start (then
// lexicon). Regexes are scanned only when they can matter: when one of them belongs to a condition
// without lexicons, or when the lexicons hit let the condition of one of them hold (RegexSpec::need,
// any; explanations: when a lexicon named beside one of them was hit, RegexSpec::gate), and only
// when the text holds the bytes that one of those regexes needs to match (regex_prefilter.hpp: a
// digit, for most; the skipped scan could not have found anything the decision reads). It is
// const and thread-safe: the Vectorscan scratch space is per thread, grown when needed, and kept.
// It never throws, and allocates only when hits grow past the capacity of the caller's vectors (or
// when a thread first scans regexes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "match/regex_prefilter.hpp"
#include "normalize/normalizer.hpp"
#include "pack/model.hpp"

struct hs_database;

namespace signpost::detail {

inline constexpr std::uint16_t kNoLanguage = 0xffff;
// Hits kept per call; past this the scan stops (bounds the work on hostile text).
inline constexpr std::size_t kMaxHitsPerCall = 4096;

struct Hit {
  std::uint32_t lexicon = 0;
  std::uint32_t begin = 0, end = 0;          // normalized bytes, [begin, end)
  std::uint32_t tok_begin = 0, tok_end = 0;  // token indexes, inclusive
  std::uint16_t lang = kNoLanguage;          // index into the pack's languages
};

struct RegexHit {
  std::uint32_t regex = 0;  // index into the list given to compile()
  std::uint32_t begin = 0, end = 0;
};

struct RegexSpec {
  std::string pattern;
  SourcePos pos;
  // Lexicons without a hit from one of which the regex cannot change a decision (those its
  // condition names in any / all / near); empty: it always can, the regex is always scanned.
  std::vector<std::uint32_t> gate = {};
  // Closer: the lexicons its condition cannot hold without (all, near), every one of which must
  // have been hit, and its `any` lexicons, one of which must have been (when there are any).
  std::vector<std::uint32_t> need = {}, any = {};
};

// Checks a regex against the cost limits; returns "" when acceptable, else the reason.
std::string check_regex_cost(const std::string& pattern);

// A key the term walk reports as bits instead of a Hit: the words that let a built-in entity
// scanner find something without a digit (entities/vocabulary.cpp, signal_keys()). find_terms()
// then says which of them the text holds as whole words, so the entity gate needs no pass of its
// own over the text.
struct SignalKey {
  std::string key;     // normalized, as it appears in a NormalizedText
  std::uint16_t bits;  // reported when the key is found
};

class Matcher {
 public:
  Matcher() = default;
  ~Matcher();
  Matcher(Matcher&&) noexcept;
  Matcher& operator=(Matcher&&) noexcept;
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  // `signals`: keys reported by find_terms() as bits (SignalKey); they never make a Hit.
  void compile(const PackModel& model, const std::vector<RegexSpec>& regexes, std::vector<Problem>& problems,
               const std::vector<SignalKey>& signals = {});

  // Appends to hits / rhits (cleared first): find_terms() then scan_regexes(). For packs whose
  // regex conditions name no typo or entity lexicon (the engine runs the steps apart, with the
  // typo and entity hits added between them).
  // May throw std::bad_alloc (the hit lists grow).
  void scan(const NormalizedText& text, std::vector<Hit>& hits, std::vector<RegexHit>& rhits) const;
  // The term hits (hits and rhits cleared first). With `signals`, also the bits of every signal
  // key found as a whole word (a key of several words across them), or-ed together, and
  // kSignalsComplete when the walk read the whole text (it stops at kMaxHitsPerCall hits: then
  // the bits may be short of the text's, and a caller must not rely on them).
  void find_terms(const NormalizedText& text, std::vector<Hit>& hits, std::vector<RegexHit>& rhits,
                  unsigned* signals = nullptr) const;
  static constexpr unsigned kSignalsComplete = 1u << 16;
  // Which regexes' conditions must be able to hold for scan_regexes() to scan: `owners` (the
  // decision's): some regex's `need` lexicons all hit and one of its `any` (RegexSpec); `lexicons`
  // (for explanations, which also say why a regex did not match): a lexicon of some regex's
  // condition hit (RegexSpec::gate).
  enum class RegexGate : std::uint8_t { owners, lexicons };
  // The regex hits (appended), scanned only when `hits` (every hit found so far: terms, typos,
  // entities) passes the gate.
  void scan_regexes(const NormalizedText& text, const std::vector<Hit>& hits, std::vector<RegexHit>& rhits,
                    RegexGate gate = RegexGate::owners) const;

  std::size_t pattern_count() const noexcept { return pattern_off_.empty() ? 0 : pattern_off_.size() - 1; }
  std::size_t memory_bytes() const noexcept;
  // The normalized form of every distinct term, for tools and benchmarks (built on each call);
  // signal keys that are no pack term are left out.
  std::vector<std::string> patterns() const;

 private:
  struct TermRef {
    std::uint32_t lexicon;  // kSignal: a signal key, whose bits are in `lang`
    std::uint16_t lang;
    bool prefix;
  };
  static constexpr std::uint32_t kSignal = 0xFFFFFFFFu;
  // One unit of the double-array trie, as Darts lays it out: a child of node b on byte c is the
  // unit b + c + 1 whose check is b; unit b itself, when its check is b and its base negative, says
  // that a term ends at the node (its pattern id is -base - 1).
  struct Unit {
    std::int32_t base;
    std::uint32_t check;  // the parent's base; kTerminal set when a term ends at this node
  };
  static constexpr std::uint32_t kTerminal = 0x80000000u;

  bool build_trie(std::vector<Problem>& problems);
  // Returns the signal bits found, with kSignalsComplete when the whole text was read.
  unsigned scan_terms(const NormalizedText& text, std::vector<Hit>& hits) const;
  bool regex_needed(const NormalizedText& text, const std::vector<Hit>& hits, RegexGate gate) const noexcept;

  hs_database* regex_db_ = nullptr;
  std::string pool_;                        // every distinct normalized term, back to back
  std::vector<std::uint32_t> pattern_off_;  // pattern id -> offset in pool_; size patterns+1
  std::vector<Unit> trie_;                  // the double-array trie of the patterns
  bool nul_free_ = false;                   // no pattern holds a byte 0: the walk may stop at the text's NUL
  std::vector<std::uint32_t> ref_begin_;    // pattern id -> first index in refs_; size patterns+1
  std::vector<TermRef> refs_;
  std::vector<std::uint8_t> any_prefix_;    // pattern id -> 1 when some owner is a prefix entry
  std::vector<std::uint64_t> regex_gate_;   // one bit per lexicon whose hit makes regexes worth scanning
  struct RegexNeed {
    std::uint32_t need_begin, any_begin, end;  // regex_lexicons_[need_begin, any_begin) all, [any_begin, end) one
    bool always;                               // scanned whatever the hits (no gate, or an unknown lexicon)
  };
  std::vector<RegexNeed> regex_need_;       // per regex
  std::vector<std::uint32_t> regex_lexicons_;
  bool regex_always_ = false;               // some regex is scanned whatever the hits
  RegexPrefilter prefilter_;                // per regex, the bytes a text needs for it to match
  std::uint64_t serial_ = 0;  // unique per compiled matcher, for per-thread scratch bookkeeping

  friend struct ScanContext;
};

}  // namespace signpost::detail
