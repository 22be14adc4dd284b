// Tests for pack/romanized: Arabic-script languages written in Latin letters with digits for letters
// (Arabizi; docs/normalization.md, "Romanised Arabic-script languages").
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "match/matcher.hpp"
#include "normalize/normalizer.hpp"
#include "pack/model.hpp"
#include "pack/romanized.hpp"

using signpost::detail::arabizi_variants;
using signpost::detail::Hit;
using signpost::detail::Lexicon;
using signpost::detail::Matcher;
using signpost::detail::normalize;
using signpost::detail::NormalizedText;
using signpost::detail::PackModel;
using signpost::Problem;
using signpost::detail::RegexHit;
using signpost::detail::TermSpec;

namespace {

bool has(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// A pack of two lexicons: 0 = romanised Arabic and Persian terms (listed under ar / fa), 1 = English.
PackModel model() {
  PackModel m;
  m.languages = {"en", "ar", "fa"};
  Lexicon ar{"crossing", {}, {}};
  for (const char* t : {"harga", "ta2meen", "tahreeb", "el daf3 3and el wosool"}) ar.terms.push_back(TermSpec{t, false, "ar", {}});
  ar.terms.push_back(TermSpec{"ghachaghbar", false, "fa", {}});
  Lexicon en{"english", {}, {}};
  for (const char* t : {"smuggler", "hotel", "boat"}) en.terms.push_back(TermSpec{t, false, "en", {}});
  m.lexicons = {ar, en};
  return m;
}

// The lexicons (by index) with a hit in `text`, as a string such as "0 1".
std::string lexicons_in(const Matcher& matcher, std::string_view text) {
  NormalizedText n;
  normalize(text, n);
  std::vector<Hit> hits;
  std::vector<RegexHit> rhits;
  matcher.scan(n, hits, rhits);
  std::vector<std::uint32_t> ids;
  for (const Hit& h : hits) ids.push_back(h.lexicon);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::string s;
  for (auto id : ids) s += (s.empty() ? "" : " ") + std::to_string(id);
  return s;
}

Matcher compiled(bool with_variants) {
  PackModel m = model();
  if (with_variants) signpost::detail::add_romanized_variants(m);
  Matcher matcher;
  std::vector<Problem> problems;
  matcher.compile(m, {}, problems);
  REQUIRE(problems.empty());
  return matcher;
}

}  // namespace

TEST_CASE("today's normalizer reads Arabizi digits as leetspeak, so digit and letter spellings differ") {
  // The state this feature starts from (docs/normalization.md): 7 is leet t, 3 is leet e, 2 is kept.
  NormalizedText n;
  normalize("7arga ta7reeb daf3 ta2meen", n);
  CHECK(n.text == "targa tatreb dafe ta2men");
  const Matcher plain = compiled(false);
  CHECK(lexicons_in(plain, "7arga men sfax") == "");    // the term "harga" misses its digit spelling
  CHECK(lexicons_in(plain, "tameen") == "");            // the term "ta2meen" misses its letter spelling
}

TEST_CASE("digits of a romanised term read as the letters they stand for") {
  CHECK(has(arabizi_variants("7arga"), "harga"));
  CHECK(has(arabizi_variants("ta7reeb"), "tahreeb"));
  CHECK(has(arabizi_variants("m7arreb"), "mharreb"));
  CHECK(has(arabizi_variants("ta2meen"), "tameen"));    // 2: hamza, not written in Latin letters
  CHECK(has(arabizi_variants("daf3"), "dafa"));         // 3: ayn, usually an a
  CHECK(has(arabizi_variants("5alas"), "khalas"));
  CHECK(has(arabizi_variants("6ayara"), "tayara"));
  CHECK(has(arabizi_variants("8orba"), "ghorba"));
  CHECK(has(arabizi_variants("9arib"), "qarib"));
  CHECK(has(arabizi_variants("el daf3 3and el wosool"), "el dafa aand el wosool"));
  CHECK(arabizi_variants("1400").empty());              // numbers are not words
  CHECK(arabizi_variants("4x4").empty());               // 4 and 1 and 0 are not Arabizi letters
}

TEST_CASE("the letters that Arabizi writes with digits get their digit spelling") {
  const auto v = arabizi_variants("harga");
  CHECK(has(v, "7arga"));
  CHECK(has(arabizi_variants("tahreeb"), "ta7reeb"));
  CHECK(has(arabizi_variants("khalas"), "5alas"));
  CHECK(has(arabizi_variants("qarib"), "9arib"));
  const auto q = arabizi_variants("qachaqbar");
  CHECK(has(q, "9acha9bar"));
  CHECK(has(q, "9achaqbar"));
  CHECK(has(q, "qacha9bar"));
  CHECK(arabizi_variants("shams").empty());             // sh, ch, th, dh, zh are not ح
  CHECK(arabizi_variants("bar").empty());               // too short to vary safely
}

TEST_CASE("romanised terms of Arabic-script languages match both spellings; other languages are untouched") {
  const Matcher m = compiled(true);
  CHECK(lexicons_in(m, "7arga men sfax l lampedusa") == "0");  // text digit, term letters
  CHECK(lexicons_in(m, "harga men sfax") == "0");
  CHECK(lexicons_in(m, "tameen") == "0");                       // text letters, term digit
  CHECK(lexicons_in(m, "ta2meen") == "0");
  CHECK(lexicons_in(m, "ta7reeb la britanya") == "0");
  CHECK(lexicons_in(m, "el daf3 3and el wosool") == "0");
  CHECK(lexicons_in(m, "el dafa and el wosool") == "0");
  // Leetspeak in Latin-script languages reads as before, and English terms get no digit spellings.
  CHECK(lexicons_in(m, "smuggl3r") == "1");
  CHECK(lexicons_in(m, "b0at") == "1");
  CHECK(lexicons_in(m, "7otel") == "");
}

TEST_CASE("variants keep the term's position and language, and are added once") {
  PackModel m = model();
  const std::size_t before = m.lexicons[0].terms.size();
  signpost::detail::add_romanized_variants(m);
  const std::size_t after = m.lexicons[0].terms.size();
  CHECK(after > before);
  for (std::size_t i = before; i < after; ++i) CHECK((m.lexicons[0].terms[i].lang == "ar" || m.lexicons[0].terms[i].lang == "fa"));
  CHECK(m.lexicons[1].terms.size() == 3);
  signpost::detail::add_romanized_variants(m);  // idempotent: no duplicate spellings
  CHECK(m.lexicons[0].terms.size() == after);
}
