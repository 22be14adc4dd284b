// The JSON API keeps to what docs/openapi.yaml says of its inputs: lengths in characters, null as
// absent, locale tags as the LocaleTag schema describes them.
#include <doctest/doctest.h>

#include <string>

#include "fixture.hpp"

using namespace signpost::server;
using namespace signpost::server::test;

namespace {

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("subject and id limits count characters, as maxLength does") {
  Fixture f;
  const std::string wide = repeat("\xF0\x9F\x9A\xA4", 256);  // 256 characters, 1024 bytes
  CHECK(f.post("/v1/evaluate", R"({"text":"boat","subject":")" + wide + "\"}").status == 200);
  CHECK(f.post("/v1/evaluate", R"({"text":"boat","id":")" + wide + "\"}").status == 200);
  CHECK(f.post("/v1/evaluate", R"({"text":"boat","subject":")" + wide + "x\"}").status == 400);
  CHECK(f.post("/v1/evaluate", R"({"text":"boat","id":")" + repeat("a", 257) + "\"}").status == 400);
  CHECK(f.post("/v1/redirect", R"({"query":{"text":"boat","subject":")" + wide + R"("},"results":[]})").status == 200);
}

TEST_CASE("optional members may be null") {
  Fixture f;
  const Response res = f.post("/v1/evaluate", R"({"text":"boat","locale":null,"mode":null,"subject":null,"id":null})");
  CHECK(res.status == 200);
  CHECK(res.body.find("\"id\"") == std::string::npos);
  CHECK(res.body.find("\"locale\":null") != std::string::npos);
  CHECK(f.post("/v1/redirect", R"({"query":{"text":"boat","locale":null},"results":[{"id":null,"url":null}]})").status ==
        200);
}

TEST_CASE("locale tags are accepted and refused as the LocaleTag schema says") {
  Fixture f;
  for (const char* ok : {"", "en", "fr-BE", "en_GB", "ckb", "zh-Hant-TW", "abcdefgh-1-2-3-4"}) {
    CAPTURE(ok);
    CHECK(f.post("/v1/evaluate", std::string(R"({"text":"boat","locale":")") + ok + "\"}").status == 200);
  }
  for (const char* bad : {"e", "en_", "en-", "-en", "1en", "en-abcdefghi", "a-b", "en-1-2-3-4-5", "é"}) {
    CAPTURE(bad);
    CHECK(f.post("/v1/evaluate", std::string(R"({"text":"boat","locale":")") + bad + "\"}").status == 400);
  }
}
