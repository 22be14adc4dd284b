// Routing, statuses and the JSON API, without sockets.
#include <doctest/doctest.h>

#include <string>

#include <signpost/json.hpp>

#include "fixture.hpp"

using namespace signpost;
using namespace signpost::server;
using namespace signpost::server::test;

TEST_CASE("POST /v1/evaluate answers exactly the library's decision JSON") {
  Fixture f;
  const Response res = f.post("/v1/evaluate", R"({"text": "boat to uk price", "locale": "en", "id": "7"})");
  CHECK(res.status == 200);
  CHECK(res.content_type == "application/json");
  const Engine& engine = f.app.state()->engine;
  const Decision d = engine.evaluate({.text = "boat to uk price", .locale = "en"});
  const std::string id = "7";
  CHECK(res.body == to_json(d, engine.pack(), &id) + "\n");
  CHECK(res.action == "redirect");
  CHECK(res.route == Route::evaluate);
}

TEST_CASE("an ordinary query gets action none") {
  Fixture f;
  const Response res = f.post("/v1/evaluate", R"({"text": "dover calais ferry booking", "locale": "en"})");
  CHECK(res.status == 200);
  CHECK(res.body.find("\"action\":\"none\"") != std::string::npos);
}

TEST_CASE("query text that is not valid UTF-8 still gets a decision") {
  Fixture f;
  std::string body = "{\"text\": \"boat to uk \xff\xfe price\"}";
  const Response res = f.post("/v1/evaluate", body);
  CHECK(res.status == 200);
  CHECK(res.body.find("\"action\":") != std::string::npos);
}

TEST_CASE("bad JSON, a missing text and wrong field types are 400 with a JSON error") {
  Fixture f;
  for (const char* body : {"{", "[]", "{}", R"({"text": 3})", R"({"text": "x", "mode": "poem"})",
                           R"({"text": "x", "locale": "<script>"})", R"({"text": "x", "subject": 5})", "null"}) {
    CAPTURE(body);
    const Response res = f.post("/v1/evaluate", body);
    CHECK(res.status == 400);
    CHECK(res.content_type == "application/json");
    CHECK(res.body.starts_with("{\"error\":"));
    CHECK(res.body.find("<script>") == std::string::npos);
  }
}

TEST_CASE("POST without a length is 411, with the wrong type 415, too large 413") {
  Fixture f;
  Request req;
  req.method = "POST";
  req.target = "/v1/evaluate";
  req.headers = {{"Host", "x"}, {"Content-Type", "application/json"}};
  CHECK(handle(req, f.app).status == 411);
  CHECK(f.post("/v1/evaluate", R"({"text":"x"})", "text/plain").status == 415);
  CHECK(f.post("/v1/evaluate", R"({"text":"x"})", "").status == 415);
  CHECK(f.post("/v1/evaluate", R"({"text":"x"})", "Application/JSON; charset=utf-8").status == 200);
  CHECK(f.post("/v1/evaluate", std::string(70000, ' ')).status == 413);
}

TEST_CASE("wrong methods are 405 with Allow") {
  Fixture f;
  const Response res = f.get("/v1/evaluate");
  CHECK(res.status == 405);
  REQUIRE(find_header(res, "Allow"));
  CHECK(*find_header(res, "Allow") == "POST");
  const Response post = f.post("/search?q=x", "{}");
  CHECK(post.status == 405);
  CHECK(*find_header(post, "Allow") == "GET, HEAD");
}

TEST_CASE("unknown paths are 404 and counted under the route 'other'") {
  Fixture f;
  const Response res = f.get("/etc/passwd");
  CHECK(res.status == 404);
  CHECK(res.route == Route::other);
  CHECK(f.get("/search/").status == 404);
  CHECK(f.get("/static/../CMakeLists.txt").status == 404);
  CHECK(f.get("http://evil.example/etc/passwd").status == 404);  // absolute form: same routes, no other host
}

TEST_CASE("admin routes exist only on the admin listener") {
  Fixture f;
  Request req;
  req.method = "POST";
  req.target = "/admin/reload";
  req.headers = {{"Host", "x"}, {"Content-Length", "0"}, {"Authorization", "Bearer " + std::string(admin_token)}};
  CHECK(handle(req, f.app).status == 404);
  CHECK(f.get("/search?q=boat", Listener::admin).status == 404);
  CHECK(f.get("/healthz", Listener::admin).status == 200);
  CHECK(f.get("/metrics", Listener::admin).status == 200);
}

TEST_CASE("GET /healthz names the pack") {
  Fixture f;
  const Response res = f.get("/healthz");
  CHECK(res.status == 200);
  CHECK(res.body.find("\"status\":\"ok\"") != std::string::npos);
  CHECK(res.body.find(f.app.state()->engine.pack().hash) != std::string::npos);
}

TEST_CASE("HEAD is answered like GET, without a body on the wire") {
  Fixture f;
  Request req;
  req.method = "HEAD";
  req.target = "/healthz";
  req.headers = {{"Host", "x"}};
  const Response res = handle(req, f.app);
  CHECK(res.status == 200);
  CHECK(res.head);
}

TEST_CASE("POST /v1/redirect swaps cards in and marks risky results") {
  Fixture f;
  const Response res = f.post("/v1/redirect", R"({
    "query": {"text": "boat to uk", "locale": "en"},
    "results": [
      {"id": "1", "title": "Dover to Calais ferry", "snippet": "Book your ferry crossing", "url": "https://ferries.example/"},
      {"id": "2", "title": "Crossing to England this Friday", "snippet": "Good boat, strong engine, safe and fast trip to UK. 1400 euro each, children free. Message me on WhatsApp", "url": "https://ads.example/1"}
    ]})");
  CHECK(res.status == 200);
  CHECK(res.body.starts_with("{\"decision\":{"));
  CHECK(res.body.find("\"kind\":\"card\"") != std::string::npos);
  CHECK(res.body.find("\"id\":\"1\"") != std::string::npos);
  CHECK(res.body.find("\"removed\":") != std::string::npos);
  CHECK(res.action == "redirect");
}

TEST_CASE("POST /v1/redirect validates its results") {
  Fixture f;
  CHECK(f.post("/v1/redirect", R"({"query": {"text": "x"}})").status == 400);
  CHECK(f.post("/v1/redirect", R"({"query": "x", "results": []})").status == 400);
  CHECK(f.post("/v1/redirect", R"({"query": {"text": "x"}, "results": [3]})").status == 400);
  CHECK(f.post("/v1/redirect", R"({"query": {"text": "x"}, "results": [{"id": 3}]})").status == 400);
  std::string many = R"({"query": {"text": "x"}, "results": [)";
  for (int i = 0; i < 101; ++i) many += (i ? "," : "") + std::string(R"({"id":"a"})");
  many += "]}";
  CHECK(f.post("/v1/redirect", many).status == 400);
}

TEST_CASE("echoed strings in JSON are escaped so they are inert in HTML") {
  Fixture f;
  const Response res = f.post("/v1/redirect", R"json({"query": {"text": "ferry"},
    "results": [{"id": "<img src=x onerror=alert(1)>", "title": "</script><script>alert(1)</script>", "snippet": "", "url": "javascript:alert(1)"}]})json");
  CHECK(res.status == 200);
  CHECK(res.body.find("<img") == std::string::npos);
  CHECK(res.body.find("</script>") == std::string::npos);
}

TEST_CASE("every response carries the security headers") {
  Fixture f;
  for (const Response& res : {f.get("/"), f.get("/search?q=boat"), f.get("/nope"), f.get("/healthz"),
                              f.post("/v1/evaluate", "{")}) {
    REQUIRE(find_header(res, "Content-Security-Policy"));
    CHECK(*find_header(res, "Content-Security-Policy") ==
          "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; "
          "form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
    CHECK(*find_header(res, "X-Content-Type-Options") == "nosniff");
    CHECK(*find_header(res, "Referrer-Policy") == "no-referrer");
  }
}

TEST_CASE("malformed percent-encoding in a query string is 400") {
  Fixture f;
  CHECK(f.get("/search?q=%zz").status == 400);
  CHECK(f.get("/search?q=%4").status == 400);
}

TEST_CASE("query-string helpers") {
  const auto p = parse_query_string("q=boat+to+uk&hl=en&empty=&q=second&flag");
  REQUIRE(p);
  REQUIRE(p->size() == 5);
  CHECK((*p)[0].second == "boat to uk");
  CHECK((*p)[1].second == "en");
  CHECK((*p)[4].first == "flag");
  CHECK(is_pack_id("crossing-dangers"));
  CHECK_FALSE(is_pack_id("https://evil"));
  CHECK_FALSE(is_pack_id("Upper"));
  CHECK_FALSE(is_pack_id(""));
  CHECK_FALSE(is_pack_id("-lead"));
}

TEST_CASE("absolute-form request targets are served like their origin form (RFC 9112, 3.2.2)") {
  Fixture f;
  CHECK(f.get("http://localhost/healthz").status == 200);
  CHECK(f.get("HTTP://example.org:8080/healthz").status == 200);
  CHECK(f.get("https://example.org/healthz?x=1").status == 200);
  const Response home = f.get("http://example.org");
  CHECK(home.status == 200);
  CHECK(home.route == Route::home);
  const Response search = f.get("http://example.org/search?q=boat+to+uk+price&hl=en");
  CHECK(search.status == 200);
  CHECK(search.route == Route::search);
  CHECK(search.action == "redirect");
  // Still refused: other schemes, no authority, and anything that is neither form.
  for (const char* target : {"ftp://example.org/healthz", "http:///healthz", "http:/healthz", "healthz", "*",
                             "http://example.org#x", "http://user@example.org/healthz"}) {
    CAPTURE(target);
    CHECK(f.get(target).status == 400);
  }
}
