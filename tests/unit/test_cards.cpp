// cards/: locale chains and card choice, on a pack built in memory.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cards/catalog.hpp"
#include "mini_pack.hpp"
#include "pack/loader.hpp"

using namespace signpost::detail;
using Chain = std::vector<std::string>;

namespace {

CardCatalog catalog() {
  std::vector<signpost::Problem> problems;
  const PackModel model = load_pack(signpost::test::mini_pack_files(), problems);
  REQUIRE(problems.empty());
  CardCatalog c;
  c.build(model);
  return c;
}

}  // namespace

TEST_CASE("cards: the chain is the tag, its fallbacks, its language, then the default") {
  const CardCatalog c = catalog();
  CHECK(c.chain("fr-BE") == Chain{"fr-be", "fr", "en"});
  CHECK(c.chain("prs") == Chain{"prs", "fa", "en"});
  CHECK(c.chain("prs-AF") == Chain{"prs-af", "prs", "fa", "en"});
  CHECK(c.chain("en") == Chain{"en"});
  CHECK(c.chain("") == Chain{"en"});
}

TEST_CASE("cards: tags compare folded, whatever their case or separator") {
  const CardCatalog c = catalog();
  CHECK(c.chain("FR_be") == c.chain("fr-BE"));
  const signpost::Card* card = c.pick("dangers", c.chain("FA-ir"));
  REQUIRE(card != nullptr);
  CHECK(card->locale == "fa");
  CHECK(card->rtl);
  CHECK(card->url == "https://www.gov.uk/fa/dangers");
}

TEST_CASE("cards: a locale without cards falls back to the default; unknown ids give nothing") {
  const CardCatalog c = catalog();
  const signpost::Card* card = c.pick("report", c.chain("tr"));
  REQUIRE(card != nullptr);
  CHECK(card->locale == "en");
  CHECK_FALSE(card->rtl);
  CHECK(c.pick("nope", c.chain("en")) == nullptr);
  CHECK(c.ids() == std::vector<std::string>{"dangers", "report"});
}

TEST_CASE("cards: the chains kept from load are the chains built on demand") {
  const CardCatalog c = catalog();
  for (const char* tag : {"", "en", "fr", "fr-be", "fr-BE", "FR_be", "fa", "prs", "prs-af", "prs-AF", "tr", "xx", "xx-yy",
                          "EN", "e", "en-"}) {
    Chain scratch;
    CHECK(c.chain(tag, scratch) == c.chain(tag));
  }
  // A folded tag the pack knows is served without building its chain.
  Chain scratch;
  const Chain& kept = c.chain("fr", scratch);
  CHECK(scratch.empty());
  CHECK(&c.chain("fr", scratch) == &kept);
}
