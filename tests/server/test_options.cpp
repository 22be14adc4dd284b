// The command line and the admin token.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "options.hpp"

using namespace signpost::server;

namespace {
ParsedCommandLine parse(std::vector<std::string_view> args) { return parse_command_line(args); }
}  // namespace

TEST_CASE("defaults") {
  const auto p = parse({});
  REQUIRE(p.kind == ParsedCommandLine::Kind::run);
  CHECK(p.options.listen.to_string() == "127.0.0.1:8080");
  CHECK(p.options.admin_listen.to_string() == "127.0.0.1:8081");
  CHECK_FALSE(p.options.pack);
  CHECK(p.options.threads == 0);
  CHECK(p.options.log_format == LogFormat::text);
}

TEST_CASE("every flag, in both spellings") {
  const auto p = parse({"--pack", "packs/x", "--listen=[::1]:9000", "--threads", "3", "--admin-token-file", "t",
                        "--admin-listen", "127.0.0.2:0", "--log-format=json", "--max-connections", "10"});
  REQUIRE(p.kind == ParsedCommandLine::Kind::run);
  CHECK(*p.options.pack == "packs/x");
  CHECK(p.options.listen.host == "::1");
  CHECK(p.options.listen.port == 9000);
  CHECK(p.options.listen.to_string() == "[::1]:9000");
  CHECK(p.options.threads == 3);
  CHECK(*p.options.admin_token_file == "t");
  CHECK(p.options.admin_listen.port == 0);
  CHECK(p.options.log_format == LogFormat::json);
  CHECK(p.options.max_connections == 10);
}

TEST_CASE("bad flags are errors with a message") {
  for (std::vector<std::string_view> args : std::vector<std::vector<std::string_view>>{
           {"--nope"}, {"--listen"}, {"--listen", "8080"}, {"--listen", "1.2.3.4:99999"}, {"--listen", "::1:80"},
           {"--threads", "0"}, {"--threads", "x"}, {"--log-format", "xml"}, {"stray"}, {"--max-connections", "-1"}}) {
    const auto p = parse(args);
    CHECK(p.kind == ParsedCommandLine::Kind::error);
    CHECK_FALSE(p.error.empty());
  }
  CHECK(parse({"--help"}).kind == ParsedCommandLine::Kind::help);
  CHECK(parse({"-h"}).kind == ParsedCommandLine::Kind::help);
  CHECK(usage().find("--admin-token-file") != std::string::npos);
}

TEST_CASE("loopback detection") {
  CHECK(parse_endpoint("127.0.0.1:1")->is_loopback());
  CHECK(parse_endpoint("[::1]:1")->is_loopback());
  CHECK(parse_endpoint("localhost:1")->is_loopback());
  CHECK_FALSE(parse_endpoint("0.0.0.0:1")->is_loopback());
}

TEST_CASE("the admin token file: first line, trimmed, at least 16 printable characters") {
  const auto file = std::filesystem::temp_directory_path() / "signpost-server-token-test";
  std::ofstream(file) << "  abcdefghijklmnop-123 \n second line\n";
  CHECK(read_token_file(file) == "abcdefghijklmnop-123");
  std::ofstream(file, std::ios::trunc) << "short\n";
  CHECK_THROWS_AS(read_token_file(file), std::runtime_error);
  std::ofstream(file, std::ios::trunc) << "";
  CHECK_THROWS_AS(read_token_file(file), std::runtime_error);
  std::filesystem::remove(file);
  CHECK_THROWS_AS(read_token_file(file), std::runtime_error);
}

TEST_CASE("token comparison") {
  CHECK(constant_time_equal("abcdefghijklmnop", "abcdefghijklmnop"));
  CHECK_FALSE(constant_time_equal("abcdefghijklmnoq", "abcdefghijklmnop"));
  CHECK_FALSE(constant_time_equal("abcdefghijklmnop1", "abcdefghijklmnop"));
  CHECK_FALSE(constant_time_equal("abcdefghijklmno", "abcdefghijklmnop"));
  CHECK_FALSE(constant_time_equal("abcdefghabcdefgh", "abcdefgh"));  // a repeat of the token
  CHECK_FALSE(constant_time_equal("", "abcdefghijklmnop"));
  CHECK_FALSE(constant_time_equal("x", ""));
}

TEST_CASE("--metrics-out and --metrics-interval") {
  auto p = parse({"--metrics-out", "m.json"});
  REQUIRE(p.kind == ParsedCommandLine::Kind::run);
  CHECK(*p.options.metrics_out == "m.json");
  CHECK(p.options.metrics_interval == 60);
  p = parse({"--metrics-out=m.json", "--metrics-interval", "5"});
  REQUIRE(p.kind == ParsedCommandLine::Kind::run);
  CHECK(p.options.metrics_interval == 5);
  for (std::vector<std::string_view> bad : {std::vector<std::string_view>{"--metrics-interval", "5"},
                                            {"--metrics-out", "m.json", "--metrics-interval", "0"},
                                            {"--metrics-out", "m.json", "--metrics-interval", "86401"},
                                            {"--metrics-out", "m.json", "--metrics-interval", "1m"},
                                            {"--metrics-out="}}) {
    CAPTURE(bad.front());
    CHECK(parse(bad).kind == ParsedCommandLine::Kind::error);
  }
  CHECK(usage().find("--metrics-out FILE") != std::string::npos);
}
