// Tests for the word-length bounds of match/typo_index: the shortest word worth probing is one code
// point shorter than the shortest indexed term (so a deletion from it is still found), whatever
// the script, and shorter words are turned away before any hashing.
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

std::size_t hits_in(const TypoIndex& index, std::string_view text) {
  NormalizedText n;
  normalize(text, n);
  std::vector<Hit> hits;
  index.scan(n, hits);
  return hits.size();
}

TypoTerm term(std::string_view text, std::uint32_t min_length) {
  return TypoTerm{normalize_term(text), 0, signpost::detail::kNoLanguage, min_length};
}

}  // namespace

TEST_CASE("typo bounds: a deletion from the shortest term is found, in ASCII and in Arabic script") {
  // Terms of exactly min_length code points: the shortest words at one edit have one fewer.
  TypoIndex ascii;
  ascii.build({term("document", 8)}, {});     // no repeated letter, no l: 8 code points
  REQUIRE(ascii.size() == 1);
  CHECK(hits_in(ascii, "documnt uk") == 1);   // 7 letters: deletion
  CHECK(hits_in(ascii, "docmnt uk") == 0);    // two edits
  CHECK(hits_in(ascii, "docuemnt uk") == 1);  // swap
  CHECK(hits_in(ascii, "docum uk") == 0);
  TypoIndex arabic;
  arabic.build({term("قاچاقچیان", 9)}, {});   // 9 letters, 18 bytes
  REQUIRE(arabic.size() == 1);
  CHECK(hits_in(arabic, "قاچقچیان") == 1);     // 8 letters, 16 bytes: deletion
  CHECK(hits_in(arabic, "قاچاقچیانن") == 0);  // a doubled letter collapses: the exact term
  // A long Arabic-script term and a short Latin one together: the bound is the Latin one's.
  TypoIndex mixed;
  mixed.build({term("قاچاقچیان", 9), term("smuggler", 7)}, {});
  CHECK(hits_in(mixed, "smugler") == 0);       // normalized, this is the term itself (l as i, gg as g)
  CHECK(hits_in(mixed, "smugger") == 1);
  CHECK(hits_in(mixed, "قاچقچیان") == 1);
}
