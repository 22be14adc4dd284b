// Regressions found by testing from outside (fuzzing, hostile packs) that belong to no one stage's
// test file: the regex cost check, YAML messages.
#include <doctest/doctest.h>

#include <string>

#include "match/matcher.hpp"
#include "pack/yaml_tree.hpp"

using signpost::detail::check_regex_cost;

TEST_CASE("regex cost: braces of \\x{...}, \\p{...} and the like are not repeats") {
  CHECK(check_regex_cost("\\x{0628}") == "");
  CHECK(check_regex_cost("[\\x{0600}-\\x{06FF}]{2,8}") == "");
  CHECK(check_regex_cost("\\p{Arabic}{1,3}") == "");
  CHECK(check_regex_cost("\\o{777}\\N{U+0628}") == "");
  // Real repeats are still checked, before and after such an escape.
  CHECK(check_regex_cost("\\x{0628}{1,65}") == "bounded repeat over 64 at offset 8");
  CHECK(check_regex_cost("a{100}\\x{0628}") == "bounded repeat over 64 at offset 1");
  CHECK(check_regex_cost("\\x{0628}+").find("unbounded repeat '+'") == 0);
  CHECK(check_regex_cost("\\x{0628") == "");  // unterminated: Vectorscan reports it when compiling
}

TEST_CASE("yaml: a syntax error quoting a control character is one clean line (found by fuzz_yaml_tree)") {
  const auto parsed = signpost::detail::parse_yaml("a: 1\n'q': \"\\\r,\n");
  REQUIRE(parsed.problems.size() == 1);
  CHECK(parsed.problems[0].message == "YAML syntax error: unknown escape character: \\x0D");
}
