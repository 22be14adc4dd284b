// The one strict field reader (base/fields.hpp), through both formats that use it: the pack
// loader's YAML mappings and the metrics snapshot's JSON objects. The same rule gives the same
// message in both; only the place (file:line:col, or the field's path) differs.
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "pack/loader.hpp"
#include "signpost/error.hpp"
#include "signpost/measure.hpp"

using namespace signpost;

namespace {

constexpr const char* kManifest = "name: p\nversion: \"1\"\nlanguages: [en, fr]\ndefault_locale: en\n";

constexpr const char* kContent = R"(lexicons:
  - id: boat
    terms: {en: [boat], fr: [bateau]}
categories:
  - id: offers
    action: annotate
rules:
  - id: r
    category: offers
    any: [boat]
)";

// The problems of a pack in memory, "file:line:col: message".
std::vector<std::string> problems_of(std::string manifest, std::string content) {
  detail::PackFiles files;
  files.origin = "p";
  files.files["pack.yaml"] = std::move(manifest);
  files.files["a.yaml"] = std::move(content);
  std::vector<Problem> problems;
  detail::load_pack(files, problems);
  std::vector<std::string> out;
  for (const Problem& p : problems) out.push_back(p.to_string());
  return out;
}

std::string with(std::string s, std::string_view after, std::string_view added) {
  const auto at = s.find(after);
  REQUIRE(at != std::string::npos);
  s.insert(at + after.size(), added);
  return s;
}

constexpr const char* kSnapshot = R"({"format": "signpost-metrics", "format_version": 1,
 "packs": [{"name": "p", "version": "1", "hash": ""}], "period": {"start": 1, "end": 2}, "evaluations": 3,
 "holdout_rates": [], "decisions": [{"pack": "p", "category": "c", "action": "redirect", "locale": "en",
 "holdout": false, "count": 3}], "cards": []})";

std::string snapshot_error(const std::string& json) {
  try {
    (void)MetricsSnapshot::from_json(json);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("fields: the test pack and snapshot are clean") {
  CHECK(problems_of(kManifest, kContent).empty());
  CHECK(snapshot_error(kSnapshot) == "(no error)");
}

TEST_CASE("fields: a repeated key is reported at the second; the first value is the one read") {
  // The second weight would be out of range: it is not read.
  CHECK(problems_of(kManifest, with(kContent, "    category: offers\n", "    weight: 0.5\n    weight: 7\n")) ==
        std::vector<std::string>{"p/a.yaml:11:5: duplicate key 'weight'"});
  CHECK(problems_of(with(kManifest, "version: \"1\"\n", "version: \"2\"\n"), kContent) ==
        std::vector<std::string>{"p/pack.yaml:3:1: duplicate key 'version'"});
  // Mappings whose keys are data (a lexicon's languages, the manifest's fallback) follow the same rule.
  CHECK(problems_of(with(kManifest, "default_locale: en\n", "fallback: {fr: [en], fr: [en]}\n"), kContent) ==
        std::vector<std::string>{"p/pack.yaml:5:22: duplicate key 'fr'"});
  CHECK(problems_of(kManifest, with(kContent, "fr: [bateau]", ", en: [dinghy]")) ==
        std::vector<std::string>{"p/a.yaml:3:39: duplicate key 'en'"});

  // A large mapping (checked with a hash set rather than name by name): the same rule.
  std::string many = "lexicons:\n  - id: boat\n    terms:\n";
  for (char c = 'a'; c <= 't'; ++c) many += std::string("      a") + c + ": [boat]\n";
  many += "      ak: [dinghy]\n";
  CHECK(problems_of(kManifest, many) == std::vector<std::string>{"p/a.yaml:24:7: duplicate key 'ak'"});

  CHECK(snapshot_error(with(kSnapshot, "\"count\": 3", ", \"count\": 4")) == "decisions[0]: duplicate key 'count'");
  CHECK(snapshot_error(with(kSnapshot, "\"end\": 2", ", \"start\": 0")) == "period: duplicate key 'start'");
}

TEST_CASE("fields: unknown and missing fields, the same words in both formats") {
  CHECK(problems_of(kManifest, with(kContent, "    category: offers\n", "    count: 1\n")) ==
        std::vector<std::string>{"p/a.yaml:10:5: unknown field 'count' in rule"});
  CHECK(snapshot_error(with(kSnapshot, "\"end\": 2", ", \"count\": 1")) == "period: unknown field 'count'");

  std::string no_category = kContent;
  no_category.erase(no_category.find("    category: offers\n"), 21);
  CHECK(problems_of(kManifest, no_category) ==
        std::vector<std::string>{"p/a.yaml:8:5: missing required field 'category'"});
  std::string no_end = kSnapshot;
  no_end.erase(no_end.find(", \"end\": 2"), 10);
  CHECK(snapshot_error(no_end) == "period: missing required field 'end'");
}

TEST_CASE("fields: a key must be a name; a value must be of its type") {
  CHECK(problems_of(kManifest, with(kContent, "    category: offers\n", "    [a, b]: 1\n")) ==
        std::vector<std::string>{"p/a.yaml:10:5: expected string, got list"});
  CHECK(problems_of(kManifest, with(kContent, "    any: [boat]\n", "    regex: [x]\n")) ==
        std::vector<std::string>{"p/a.yaml:11:12: expected string, got list"});
  // JSON names its kinds with an article, as its messages always have.
  CHECK(snapshot_error(with(kSnapshot, "\"category\": \"c\"", ", \"card\": 1")) ==
        "decisions[0]: unknown field 'card'");
  CHECK(snapshot_error(std::string(kSnapshot).replace(std::string(kSnapshot).find("\"version\": \"1\""), 14,
                                                      "\"version\": 1")) ==
        "packs[0].version: expected a string, got a number");
  CHECK(snapshot_error(std::string(kSnapshot).replace(std::string(kSnapshot).find("{\"start\": 1, \"end\": 2}"), 22,
                                                      "[]")) == "period: expected an object, got an array");
}
