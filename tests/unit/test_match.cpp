// match/: terms and regexes of a pack built in memory, found in normalized text.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "decide/decider.hpp"
#include "match/matcher.hpp"
#include "mini_pack.hpp"
#include "normalize/normalizer.hpp"
#include "pack/loader.hpp"

using namespace signpost::detail;

namespace {

struct Compiled {
  PackModel model;
  Matcher matcher;
};

Compiled compile(const PackFiles& files) {
  Compiled c;
  std::vector<signpost::Problem> problems;
  c.model = load_pack(files, problems);
  REQUIRE(problems.empty());
  c.matcher.compile(c.model, regex_specs(c.model), problems);
  REQUIRE(problems.empty());
  return c;
}

std::size_t lexicon(const PackModel& m, const std::string& id) {
  for (std::size_t i = 0; i < m.lexicons.size(); ++i)
    if (m.lexicons[i].id == id) return i;
  FAIL("no lexicon " << id);
  return 0;
}

std::vector<std::string> lexicons_hit(const Compiled& c, std::string_view text, std::vector<RegexHit>* rhits = nullptr) {
  NormalizedText norm;
  normalize(text, norm);
  std::vector<Hit> hits;
  std::vector<RegexHit> r;
  c.matcher.scan(norm, hits, r);
  if (rhits) *rhits = r;
  std::vector<std::string> out;
  for (const Hit& h : hits) out.push_back(c.model.lexicons[h.lexicon].id);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

TEST_CASE("match: terms are found at word boundaries, case and accents folded") {
  const Compiled c = compile(signpost::test::mini_pack_files());
  CHECK(lexicons_hit(c, "BOAT to the UK") == std::vector<std::string>{"boat", "uk"});
  CHECK(lexicons_hit(c, "Bateau pour l'Angleterre") == std::vector<std::string>{"boat", "uk"});
  CHECK(lexicons_hit(c, "boats") == std::vector<std::string>{});          // an exact term is a whole word
  CHECK(lexicons_hit(c, "englandwards") == std::vector<std::string>{"uk"});  // england* is a prefix term
  CHECK(lexicons_hit(c, "a small boat") == std::vector<std::string>{"boat"});
  CHECK(lexicons_hit(c, "قایق") == std::vector<std::string>{"boat"});
}

TEST_CASE("match: a multi-word term matches its words written together only when they are long enough") {
  signpost::detail::PackFiles files = signpost::test::mini_pack_files();
  std::string& lex = files.files["lexicons.yaml"];
  const std::string from = "en: [price]";
  REQUIRE(lex.find(from) != std::string::npos);
  lex.replace(lex.find(from), from.size(), "en: [price, a head, si te, per seat]");
  const Compiled c = compile(files);
  CHECK(lexicons_hit(c, "smallboat") == std::vector<std::string>{"boat"});  // small boat: 5 + 4 letters
  CHECK(lexicons_hit(c, "perseat") == std::vector<std::string>{"price"});   // per seat: 3 + 4
  CHECK(lexicons_hit(c, "2000 a head") == std::vector<std::string>{"price"});
  // A one-letter word, or fewer than six letters in all: the words written together are other words.
  CHECK(lexicons_hit(c, "go ahead") == std::vector<std::string>{});
  CHECK(lexicons_hit(c, "our site") == std::vector<std::string>{});
}

TEST_CASE("match: a hit carries its term's language and token span") {
  const Compiled c = compile(signpost::test::mini_pack_files());
  NormalizedText norm;
  normalize("cheap bateau now", norm);
  std::vector<Hit> hits;
  std::vector<RegexHit> rhits;
  c.matcher.scan(norm, hits, rhits);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].lexicon == lexicon(c.model, "boat"));
  REQUIRE(hits[0].lang < c.model.languages.size());
  CHECK(c.model.languages[hits[0].lang] == "fr");
  CHECK(hits[0].tok_begin == 1);
  CHECK(hits[0].tok_end == 1);
}

TEST_CASE("match: regexes are numbered in the order of regex_specs") {
  const Compiled c = compile(signpost::test::mini_pack_files());
  const auto specs = regex_specs(c.model);
  REQUIRE(specs.size() == 1);
  std::vector<RegexHit> rhits;
  (void)lexicons_hit(c, "only 900 eur", &rhits);
  REQUIRE(rhits.size() == 1);
  CHECK(rhits[0].regex == 0);
  (void)lexicons_hit(c, "only 90 eur", &rhits);
  CHECK(rhits.empty());
}

TEST_CASE("match: a bad regex in memory is reported at its file:line:col") {
  auto files = signpost::test::mini_pack_files();
  files.files["rules.yaml"] += "  - id: bad\n    category: crossing\n    regex: '(a'\n";
  std::vector<signpost::Problem> problems;
  const PackModel model = load_pack(files, problems);
  REQUIRE(problems.empty());
  Matcher m;
  m.compile(model, regex_specs(model), problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].file == "mini/rules.yaml");
  CHECK(problems[0].line == 18);
  CHECK(problems[0].message.find("bad regex") == 0);
}
