// signpost::tools eval: labelled data, scoring, and the by_language key Python shares.
#include <doctest/doctest.h>

#include <sstream>

#include "base/locale.hpp"
#include "signpost/error.hpp"
#include "signpost/tools/eval.hpp"

using signpost::Action;
using signpost::tools::language_key;

TEST_CASE("eval: by_language keys every pack locale by its folded language subtag") {
  // Every language of the default pack, plain, with a region, and in odd case.
  for (const char* lang : {"en", "fr", "ar", "fa", "ckb", "kmr", "ps", "sq", "vi", "tr"}) {
    const std::string l = lang;
    CHECK(language_key(l) == l);
    CHECK(language_key(l + "-GB") == l);
    CHECK(language_key(l + "_gb") == l);
    std::string upper = l;
    for (char& c : upper) c = static_cast<char>(c - 'a' + 'A');
    CHECK(language_key(upper) == l);
    CHECK(language_key(upper + "-Latn-IR") == l);
  }
  CHECK(language_key("fa-IR") == "fa");
  CHECK(language_key("EN-gb") == "en");
  CHECK(language_key("") == "-");
}

TEST_CASE("locale tag: one folding for comparing, keying and reducing") {
  using signpost::detail::LocaleTag;
  CHECK(LocaleTag("EN_gb").str() == "en-gb");
  CHECK(LocaleTag("ckb").language() == "ckb");
  CHECK(LocaleTag::same("fa-IR", "FA_ir"));
  CHECK_FALSE(LocaleTag::same("fa", "fa-ir"));
  char buf[4];
  CHECK(LocaleTag::language_into("KMR-Latn", buf) == "kmr");
  CHECK(LocaleTag::language_into("abcdef", buf) == "abcd");  // cut at the buffer's size
  // language_of() is everything before the first '-' or '_', as find_first_of() reads it.
  for (const std::string_view tag : {"", "-", "_", "en", "en-GB", "en_GB", "zh-Hant-TW", "x_y-z", "ckb-", "-en", "EN", "Fa_IR", "KMR-Latn"}) {
    CAPTURE(tag);
    CHECK(LocaleTag::language_of(tag) == tag.substr(0, tag.find_first_of("-_")));
    char b2[2], b12[12];
    std::string folded;
    for (const char c : tag.substr(0, tag.find_first_of("-_"))) folded += signpost::detail::fold_tag_char(c);
    CHECK(LocaleTag::language_into(tag, b2) == std::string_view(folded).substr(0, 2));
    CHECK(LocaleTag::language_into(tag, b12) == folded);
  }
}

TEST_CASE("eval: reading TSV and JSON Lines, errors by line") {
  std::istringstream in("# comment\nR\ten\tboat to uk\n\n{\"label\": \"H\", \"text\": \"help\", \"locale\": \"fa-IR\"}\n");
  const auto items = signpost::tools::read_labelled(in);
  REQUIRE(items.size() == 2);
  CHECK(items[0].label == 'R');
  CHECK(items[0].line == 2);
  CHECK(items[1].locale == "fa-IR");
  std::istringstream bad("R\ten\tok\nX\ten\tsecret words\n");
  try {
    (void)signpost::tools::read_labelled(bad);
    FAIL("no error");
  } catch (const signpost::Error& e) {
    CHECK(std::string(e.what()) == "line 2: label must be R, A or H");
  }
}

TEST_CASE("eval: tallies count help-seekers warned and benign flagged against precision") {
  signpost::tools::Tally t;
  t.add('R', Action::redirect);
  t.add('R', Action::none);
  t.add('A', Action::annotate);
  t.add('H', Action::annotate);
  t.add('H', Action::interstitial);
  CHECK(t.items() == 5);
  CHECK(t.recall() == doctest::Approx(0.5));
  CHECK(t.precision() == doctest::Approx(1.0 / 3.0));
  CHECK(signpost::tools::Tally{}.recall() == 1.0);
}
