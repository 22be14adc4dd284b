// Typeahead: Engine::filter_suggestions.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <signpost/signpost.hpp>

#include "archive/archive.hpp"
#include "mini_pack.hpp"

namespace fs = std::filesystem;
using signpost::Engine;
using signpost::Query;

namespace {

const Engine& fixture() {
  static const Engine e = Engine::load(fs::path(SIGNPOST_TEST_DATA) / "packs" / "engine");
  return e;
}

std::vector<std::string> kept(const Engine& e, const Query& typed, const std::vector<std::string>& suggestions) {
  std::vector<std::string> out;
  for (std::size_t i : e.filter_suggestions(typed, suggestions)) out.push_back(suggestions[i]);
  return out;
}

}  // namespace

TEST_CASE("a suggestion that would redirect or warn on its own is dropped") {
  const std::vector<std::string> s{"boat to uk", "boat tours", "fake passport", "passport renewal", "news about small boats"};
  CHECK(kept(fixture(), {"", "en"}, s) == std::vector<std::string>{"boat tours", "passport renewal", "news about small boats"});
}

TEST_CASE("a suggestion completing the typed text is judged as the completed query") {
  // "uk" and "price" are harmless alone, but complete "boat to" / "boat" into crossing searches.
  const std::vector<std::string> s{"uk", "Boat To UK", "boat tours", "ferry to uk", "price"};
  CHECK(kept(fixture(), {"boat to", "en"}, s) == std::vector<std::string>{"boat tours", "ferry to uk"});
  CHECK(kept(fixture(), {"boat ", "en"}, {"price", "trip"}) == std::vector<std::string>{"trip"});
  // A partial word: the suggestion starts with the typed text, so it is the completed query.
  CHECK(kept(fixture(), {"boat to u", "en"}, {"boat to uk", "boat to ulm"}) == std::vector<std::string>{"boat to ulm"});
}

TEST_CASE("indices come back in order, and nothing is dropped when nothing matches") {
  const std::vector<std::string> s{"weather", "news", "", "recipes"};
  const auto idx = fixture().filter_suggestions({"the", "en"}, s);
  CHECK(idx == std::vector<std::size_t>{0, 1, 2, 3});
  CHECK(fixture().filter_suggestions({"boat", "en"}, {}).empty());
}

TEST_CASE("the typed locale and mode apply; holdout does not") {
  // The French-only rule (weight 0.3) alone stays under the threshold; "bateau angleterre" does not.
  CHECK(kept(fixture(), {"bateau", "fr"}, {"angleterre", "rouge"}) == std::vector<std::string>{"rouge"});
  signpost::EngineOptions o;
  o.holdout_rate = 1.0;  // every subject held out
  o.holdout_salt = "s";
  const Engine held = Engine::load(fs::path(SIGNPOST_TEST_DATA) / "packs" / "engine", o);
  CHECK(kept(held, {"", "en", signpost::Mode::query, "subject-1"}, {"boat to uk", "boat tours"}) ==
        std::vector<std::string>{"boat tours"});
}

TEST_CASE("help-seeking suggestions (annotate) are kept") {
  auto files = signpost::test::mini_pack_files();
  files.files["lexicons.yaml"] += "  - id: asylum\n    terms:\n      en: [asylum]\n";
  files.files["rules.yaml"] += "  - id: asylum-uk\n    category: help\n    weight: 1.0\n    all: [asylum, uk]\n";
  std::string& cats = files.files["categories.yaml"];
  cats.insert(cats.find("categories:\n") + 12, "  - id: help\n    action: annotate\n    threshold: 0.5\n    cards: [report]\n");
  const Engine e = Engine::load_archive(signpost::detail::write_archive(files, false));
  REQUIRE(e.evaluate({"asylum uk", "en"}).action == signpost::Action::annotate);
  CHECK(kept(e, {"asylum", "en"}, {"uk", "asylum in uk", "small boat to uk"}) ==
        std::vector<std::string>{"uk", "asylum in uk"});
}

TEST_CASE("a category's max_action caps the action judged, as in evaluate") {
  // "asylum" with a crossing search: help_seeking caps the decision at annotate, so the
  // suggestion leads to help and is kept.
  auto files = signpost::test::mini_pack_files();
  files.files["lexicons.yaml"] += "  - id: asylum\n    terms:\n      en: [asylum]\n";
  files.files["rules.yaml"] += "  - id: asylum-any\n    category: help\n    weight: 1.0\n    any: [asylum]\n";
  std::string& cats = files.files["categories.yaml"];
  cats.insert(cats.find("categories:\n") + 12,
              "  - id: help\n    action: annotate\n    max_action: annotate\n    threshold: 0.5\n    cards: [report]\n");
  const Engine e = Engine::load_archive(signpost::detail::write_archive(files, false));
  REQUIRE(e.evaluate({"asylum small boat to uk", "en"}).action == signpost::Action::annotate);
  CHECK(kept(e, {"", "en"}, {"asylum small boat to uk", "small boat to uk"}) ==
        std::vector<std::string>{"asylum small boat to uk"});
}

TEST_CASE("hostile suggestions never throw") {
  std::vector<std::string> s{std::string("\xff\xfe\x00boat", 6), std::string(1 << 16, 'a'), "\xe2\x80\xae uk"};
  CHECK_NOTHROW((void)fixture().filter_suggestions({std::string_view("\xc3", 1), "en"}, s));
}
