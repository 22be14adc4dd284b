// pack_problems.hpp: helpers of the pack loader tests (test_pack_loader.cpp, test_pack_messages.cpp):
// the fixture packs of tests/data/packs/, the problems a pack folder gets, generated lexicon files.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "pack/loader.hpp"

namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& v) {
    std::string s = "{";
    for (const std::string& e : v) s += "\n  " + e;
    return (s + "\n}").c_str();
  }
};
}  // namespace doctest

namespace signpost::test {

inline std::filesystem::path packs() { return std::filesystem::path(SIGNPOST_TEST_DATA) / "packs"; }
inline std::filesystem::path broken(std::string_view name) { return packs() / "broken" / name; }

inline std::string file_of(const std::filesystem::path& dir, std::string_view rel) { return (dir / std::filesystem::path(rel)).generic_string(); }

inline std::vector<std::string> problems_of(const std::filesystem::path& dir) {
  std::vector<Problem> problems;
  detail::load_pack(dir, problems);
  std::vector<std::string> out;
  for (const Problem& p : problems) out.push_back(p.to_string());
  return out;
}

// The problems of a broken fixture pack, which must be exactly `expected`: "rel:line:col: message",
// `rel` relative to the pack folder.
inline void check_problems(std::string_view name, std::vector<std::string> expected) {
  for (std::string& e : expected) e = broken(name).generic_string() + "/" + e;
  CHECK(problems_of(broken(name)) == expected);
}

inline constexpr std::string_view kManifest = "name: generated\nversion: \"1\"\nlanguages: [en]\ndefault_locale: en\n";

// A lexicon file with `lexicons` lexicons of `per_lexicon` distinct terms each, in flow lists.
inline std::string lexicon_file(std::size_t lexicons, std::size_t per_lexicon, std::string_view prefix) {
  std::string s = "lexicons:\n";
  std::size_t n = 0;
  for (std::size_t l = 0; l < lexicons; ++l) {
    s += "  - id: " + std::string(prefix) + std::to_string(l) + "\n    terms:\n      en: [";
    for (std::size_t t = 0; t < per_lexicon; ++t) {
      if (t != 0) s += ", ";
      s += "term" + std::to_string(n++);
      if (t % 3 == 0) s += " boat";
    }
    s += "]\n";
  }
  return s;
}

}  // namespace signpost::test
