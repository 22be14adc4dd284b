// synth.hpp: seeded synthetic packs, queries and posts for signpost-bench.
//
// Two vocabularies are drawn from one seeded std::mt19937_64:
//   - pack words, written into the pack's lexicons: Latin (some accented), Cyrillic and Arabic;
//   - ordinary words, used for the traffic around them: Latin (some accented), Cyrillic, Arabic,
//     Greek and Han, plus numbers.
// The two never share a word, even after normalization, while sharing letters (so the literal
// scanner still sees pack terms inside ordinary words and has to reject them at word
// boundaries): every pack word has an odd number of letters and every ordinary word an even
// number, and no word has the same letter (after folding) twice in a row, so no folding step
// (case, accents, look-alikes, repeated letters) can change a word's letter count.
// The bench checks the claim at run time: ordinary queries must all come back with action none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace bench {

// Uniform in [0, n), n > 0, without modulo bias. The standard distributions are
// implementation-defined, so the draws are written out: the same seed gives the same packs and
// texts with any standard library.
std::uint64_t below(std::mt19937_64& rng, std::uint64_t n);

struct Phrase {
  std::string text;      // as written in the pack (lowercase; may carry accents)
  std::uint32_t lexicon; // index of the lexicon that lists it
};

struct SynthPack {
  std::filesystem::path dir;
  std::vector<Phrase> phrases;  // every term, in lexicon order
  std::size_t lexicons = 0, rules = 0, files = 0;
  std::uintmax_t bytes = 0;     // total size of the YAML written
};

// Writes a pack of `phrases` terms into `dir` (created; must not exist or be empty).
// `terms_per_lexicon` bounds each lexicon (the format allows 4096).
SynthPack write_pack(const std::filesystem::path& dir, std::size_t phrases, std::uint64_t seed,
                     std::size_t terms_per_lexicon = 500);

struct Sample {
  std::string text;
  std::string locale;
  bool planted = false;  // carries one or more pack phrases
};

class TextGen {
 public:
  explicit TextGen(std::uint64_t seed);

  // A ~target_bytes query of ordinary words in one language (locale set accordingly).
  Sample ordinary_query(std::size_t target_bytes);
  // An ordinary query with one pack phrase (sometimes two from neighbouring lexicons, close
  // enough for the pack's `near` rules) planted at a random word position; the phrase may be
  // capitalised or upper-cased.
  Sample planted_query(const std::vector<Phrase>& phrases, std::size_t lexicons, std::size_t target_bytes);
  // A `bytes`-long post (sentences of ordinary words); with `plant`, one pack phrase inside.
  Sample post(const std::vector<Phrase>& phrases, std::size_t bytes, bool plant);

  // The traffic mix: `n` queries of ~`target_bytes`, a `planted_share` of them planted, shuffled.
  std::vector<Sample> query_mix(const std::vector<Phrase>& phrases, std::size_t lexicons, std::size_t n,
                                double planted_share, std::size_t target_bytes);

  std::mt19937_64& rng() { return rng_; }

 private:
  enum class Lang { en, fr, ru, ar, el, zh };
  Lang pick_lang();
  std::string word(Lang l);
  std::string sentence_words(Lang l, std::size_t target_bytes, bool capitalise);
  std::string phrase_variant(const std::string& p);

  std::mt19937_64 rng_;
  std::vector<std::vector<std::string>> vocab_;  // per Lang: ordinary words
};

}  // namespace bench
