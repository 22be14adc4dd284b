// GET /go/{card_id}: counted redirects to the pack's own URLs, never to one a request supplied.
#include <doctest/doctest.h>

#include "fixture.hpp"

using namespace signpost;
using namespace signpost::server;
using namespace signpost::server::test;

TEST_CASE("/go/{card_id} redirects to the card's catalogued URL and counts the click") {
  Fixture f;
  const auto ids = f.app.state()->engine.card_ids();
  REQUIRE_FALSE(ids.empty());
  const std::optional<Card> card = f.app.state()->engine.card(ids.front(), "fr");
  REQUIRE(card);
  const Response res = f.get("/go/" + ids.front() + "?hl=fr");
  CHECK(res.status == 302);
  REQUIRE(find_header(res, "Location"));
  CHECK(*find_header(res, "Location") == card->url);
  CHECK(res.card == ids.front());
  const std::string metrics = f.app.metrics_text();
  CHECK(metrics.find("signpost_card_clicks_total{pack=\"people-smuggling\",card=\"" + ids.front() + "\",locale=\"" +
                     card->locale + "\"} 1") != std::string::npos);
}

TEST_CASE("/go never redirects to an address from the request") {
  Fixture f;
  for (const char* target : {"/go/https:%2F%2Fevil.example", "/go/https://evil.example", "/go//evil.example",
                             "/go/", "/go/no-such-card", "/go/%2e%2e", "/go/crossing-dangers/extra",
                             "/go/CROSSING-DANGERS", "/go/crossing-dangers%00"}) {
    CAPTURE(target);
    const Response res = f.get(target);
    CHECK(res.status == 404);
    CHECK(find_header(res, "Location") == nullptr);
    CHECK(res.card.empty());
  }
}

TEST_CASE("/go ignores an hl that is not a language tag") {
  Fixture f;
  const auto ids = f.app.state()->engine.card_ids();
  REQUIRE_FALSE(ids.empty());
  const Response res = f.get("/go/" + ids.front() + "?hl=%3Cscript%3E");
  CHECK(res.status == 302);
  CHECK(find_header(res, "Location")->starts_with("https://"));
}

TEST_CASE("a click counts once per GET and never for HEAD") {
  Fixture f;
  const auto ids = f.app.state()->engine.card_ids();
  REQUIRE_FALSE(ids.empty());
  const std::optional<Card> card = f.app.state()->engine.card(ids.front(), "en");
  REQUIRE(card);
  const std::string row = "signpost_card_clicks_total{pack=\"people-smuggling\",card=\"" + ids.front() +
                          "\",locale=\"" + card->locale + "\"} ";
  const Response head = f.get("/go/" + ids.front() + "?hl=en", Listener::main, "HEAD");
  CHECK(head.status == 302);
  CHECK(head.head);
  CHECK(f.app.metrics_text().find(row) == std::string::npos);
  CHECK(f.get("/go/" + ids.front() + "?hl=en").status == 302);
  CHECK(f.get("/go/" + ids.front() + "?hl=en", Listener::main, "HEAD").status == 302);
  CHECK(f.app.metrics_text().find(row + "1\n") != std::string::npos);
}

TEST_CASE("/go works for a card URL whose scheme the pack wrote in capitals") {
  Fixture f;
  TempPack pack;
  for (const auto& entry : std::filesystem::directory_iterator(pack.dir / "cards")) {
    std::string text = pack.read(std::filesystem::path("cards") / entry.path().filename());
    for (std::size_t at = 0; (at = text.find("url: https://", at)) != std::string::npos; at += 13)
      text.replace(at, 13, "url: HTTPS://");
    pack.write(std::filesystem::path("cards") / entry.path().filename(), text);
  }
  *f.pack_dir = pack.dir;
  REQUIRE(f.reload("Bearer " + std::string(admin_token)).status == 204);
  const auto ids = f.app.state()->engine.card_ids();
  REQUIRE_FALSE(ids.empty());
  const std::optional<Card> card = f.app.state()->engine.card(ids.front(), "en");
  REQUIRE(card);
  REQUIRE(card->url.starts_with("HTTPS://"));
  const Response res = f.get("/go/" + ids.front() + "?hl=en");
  CHECK(res.status == 302);
  REQUIRE(find_header(res, "Location"));
  CHECK(*find_header(res, "Location") == "https://" + card->url.substr(8));
}
