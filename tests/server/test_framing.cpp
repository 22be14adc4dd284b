// Raw header checks: ambiguous framing is refused before Beast sees it.
#include <doctest/doctest.h>

#include "framing.hpp"

using namespace signpost::server;

namespace {
std::optional<FramingError> check(std::string_view block) { return check_header_block(block); }
}  // namespace

TEST_CASE("an ordinary request passes") {
  CHECK_FALSE(check("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK_FALSE(check("POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n"));
  CHECK_FALSE(check("POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
  CHECK_FALSE(check("GET / HTTP/1.0\r\n\r\n"));  // HTTP/1.0 needs no Host
}

TEST_CASE("Content-Length together with Transfer-Encoding is 400") {
  auto e = check("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n");
  REQUIRE(e);
  CHECK(e->status == 400);
  e = check("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n");
  REQUIRE(e);
  CHECK(e->status == 400);
}

TEST_CASE("conflicting Content-Length values are 400; identical duplicates pass") {
  CHECK(check("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"));
  CHECK(check("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 6\r\n\r\n"));
  CHECK(check("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"));
  CHECK(check("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x10\r\n\r\n"));
  CHECK(check("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \r\n\r\n"));
  CHECK_FALSE(check("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n"));
}

TEST_CASE("obs-fold is 400") {
  const auto e = check("GET / HTTP/1.1\r\nHost: x\r\nX-Long: a\r\n  continued\r\n\r\n");
  REQUIRE(e);
  CHECK(e->status == 400);
  CHECK(e->message.find("obs-fold") != std::string::npos);
  CHECK(check("GET / HTTP/1.1\r\nHost: x\r\nX-Long: a\r\n\tcontinued\r\n\r\n"));
}

TEST_CASE("bare LF, space before the colon, and Host problems are 400") {
  CHECK(check("GET / HTTP/1.1\nHost: x\n\n"));
  CHECK(check("GET / HTTP/1.1\r\nHost : x\r\n\r\n"));
  CHECK(check("GET / HTTP/1.1\r\n\r\n"));
  CHECK(check("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"));
}

TEST_CASE("a transfer coding other than chunked is 501") {
  const auto e = check("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
  REQUIRE(e);
  CHECK(e->status == 501);
  CHECK(check("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n")->status == 400);
}
