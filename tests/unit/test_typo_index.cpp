// Tests for match/typo_index: one-edit typo tolerance (docs/pack-format.md, "Typo tolerance").
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "match/typo_index.hpp"
#include "normalize/normalizer.hpp"

using signpost::detail::Hit;
using signpost::detail::normalize;
using signpost::detail::normalize_term;
using signpost::detail::NormalizedText;
using signpost::detail::TypoIndex;
using signpost::detail::TypoTerm;

namespace {

TypoTerm term(std::string_view text, std::uint32_t lexicon, std::uint32_t min_length = 5) {
  return TypoTerm{normalize_term(text), lexicon, signpost::detail::kNoLanguage, min_length};
}

// "lexicon:word" for every hit, where word is the original text the hit covers.
std::string hits_of(const TypoIndex& index, std::string_view text) {
  NormalizedText n;
  normalize(text, n);
  std::vector<Hit> hits;
  index.scan(n, hits);
  std::string s;
  for (const Hit& h : hits) {
    if (!s.empty()) s += " ";
    s += std::to_string(h.lexicon) + ":" + std::string(text.substr(n.begin[h.begin], n.end[h.end - 1] - n.begin[h.begin]));
  }
  return s;
}

}  // namespace

TEST_CASE("one edit: substitution, insertion, deletion and a swap of adjacent letters, in code points") {
  CHECK(TypoIndex::within_one_edit("smuggler", "smuggler"));
  CHECK(TypoIndex::within_one_edit("smuggler", "smaggler"));   // substitution
  CHECK(TypoIndex::within_one_edit("smuggler", "smugglers"));  // insertion
  CHECK(TypoIndex::within_one_edit("smuggler", "smugler"));    // deletion
  CHECK(TypoIndex::within_one_edit("smuggler", "smugglre"));   // swap
  CHECK_FALSE(TypoIndex::within_one_edit("smuggler", "smaglers"));
  CHECK_FALSE(TypoIndex::within_one_edit("smuggler", "smuglre"));
  CHECK_FALSE(TypoIndex::within_one_edit("abc", "cba"));
  CHECK(TypoIndex::within_one_edit("قاچاقچی", "قاچاغچی"));      // one Arabic-script letter (2 bytes) for another
  CHECK(TypoIndex::within_one_edit("قاچاقچی", "قاچقچی"));
  CHECK_FALSE(TypoIndex::within_one_edit("قاچاقچی", "قاجاغچی"));
  CHECK(TypoIndex::within_one_edit("giả", "giá"));              // one precomposed Vietnamese letter
}

TEST_CASE("a lexicon with typos: 1 finds its terms at one edit, and only words long enough") {
  TypoIndex index;
  index.build({term("smuggler", 0, 6), term("passeur", 1, 6), term("boat", 2, 5)}, {});
  CHECK(index.size() == 2);                                        // "boat" is shorter than its min_length
  CHECK(hits_of(index, "cheap smuggeler uk") == "0:smuggeler");    // normalized "smugeier" vs "smugier"
  CHECK(hits_of(index, "smugglre to uk") == "0:smugglre");
  CHECK(hits_of(index, "un passeur") == "");                       // exact: the exact matcher's business
  CHECK(hits_of(index, "un paseurr") == "");                       // repeated letters already collapse: exact
  CHECK(hits_of(index, "un passeor") == "1:passeor");
  CHECK(hits_of(index, "boot to uk") == "");
  CHECK(hits_of(index, "smooth sailing") == "");
}

TEST_CASE("typos in Arabic-script terms, after attached particles, and inside joined words") {
  TypoIndex index;
  index.build({term("قاچاقچی", 0, 5), term("مهربين", 1, 5), term("calais", 2, 5)}, {});
  CHECK(hits_of(index, "قاچاغچی انگلیس") == "0:قاچاغچی");          // fa: q written as gh
  CHECK(hits_of(index, "والمهربن") == "1:مهربن");                  // after the attached particles وال
  CHECK(hits_of(index, "calias-dover") == "2:calias");             // a piece of a joined word
}

TEST_CASE("a word that is itself a term of the pack is never a typo of another term") {
  TypoIndex index;
  index.build({term("passeur", 0, 6)}, {normalize_term("passer"), normalize_term("pasteur")});
  CHECK(hits_of(index, "pasteur") == "");
  CHECK(hits_of(index, "passeor") == "0:passeor");
}

TEST_CASE("typo hits carry the token index and the normalized span of the word") {
  TypoIndex index;
  index.build({term("smuggler", 4, 6)}, {});
  NormalizedText n;
  normalize("find a smuglr now", n);
  std::vector<Hit> hits;
  index.scan(n, hits);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].lexicon == 4);
  CHECK(hits[0].tok_begin == 2);
  CHECK(hits[0].tok_end == 2);
  CHECK(n.text.substr(hits[0].begin, hits[0].end - hits[0].begin) == "smugir");
}

TEST_CASE("an empty index costs nothing and finds nothing") {
  TypoIndex index;
  index.build({}, {});
  CHECK(index.empty());
  CHECK(hits_of(index, "smuggler") == "");
}
