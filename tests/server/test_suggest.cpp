// POST /v1/suggest: typeahead suggestions filtered by the engine.
#include <doctest/doctest.h>

#include <string>

#include "fixture.hpp"

using namespace signpost;
using namespace signpost::server;
using namespace signpost::server::test;

TEST_CASE("POST /v1/suggest keeps the safe suggestions in order and counts the rest") {
  Fixture f;
  const Response res = f.post(
      "/v1/suggest",
      R"({"query": {"text": "boat to", "locale": "en"}, "suggestions": ["boat tours", "boat to uk price", "uk price", "recipes"]})");
  CHECK(res.status == 200);
  CHECK(res.content_type == "application/json");
  CHECK(res.route == Route::suggest);
  CHECK(res.body == "{\"suggestions\":[\"boat tours\",\"recipes\"],\"removed\":2}\n");
}

TEST_CASE("POST /v1/suggest with nothing to remove, and escaping of what comes back") {
  Fixture f;
  const Response res = f.post("/v1/suggest", R"({"query": {"text": ""}, "suggestions": ["a \"quoted\" <b>", ""]})");
  CHECK(res.status == 200);
  // As everywhere in the API, <, > and & come back as \u escapes.
  CHECK(res.body == "{\"suggestions\":[\"a \\\"quoted\\\" \\u003cb\\u003e\",\"\"],\"removed\":0}\n");
}

TEST_CASE("POST /v1/suggest refuses bad bodies with 400, and other methods with 405") {
  Fixture f;
  const std::string many = "{\"query\": {\"text\": \"x\"}, \"suggestions\": [" + [] {
    std::string s;
    for (int i = 0; i < 101; ++i) s += (i ? ",\"s\"" : "\"s\"");
    return s;
  }() + "]}";
  const std::string long_one = "{\"query\": {\"text\": \"x\"}, \"suggestions\": [\"" + std::string(1025, 'a') + "\"]}";
  for (const std::string& body : {std::string("{"), std::string(R"({"suggestions": []})"),
                                  std::string(R"({"query": {"text": "x"}})"), std::string(R"({"query": {"text": "x"}, "suggestions": [3]})"),
                                  std::string(R"({"query": {"text": 1}, "suggestions": []})"), many, long_one}) {
    CAPTURE(body.substr(0, 80));
    const Response res = f.post("/v1/suggest", body);
    CHECK(res.status == 400);
    CHECK(res.body.starts_with("{\"error\":"));
  }
  CHECK(f.get("/v1/suggest").status == 405);
}
