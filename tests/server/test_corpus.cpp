// The demo corpus and its word-overlap search.
#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>

#include "corpus.hpp"

using namespace signpost::server;

namespace {
bool has(const std::vector<signpost::Result>& results, std::string_view id) {
  return std::any_of(results.begin(), results.end(), [&](const auto& r) { return r.id == id; });
}
}  // namespace

TEST_CASE("the built-in corpus parses: ordinary pages and adverts in several languages") {
  const Corpus& c = Corpus::builtin();
  CHECK(c.entries().size() >= 28);
  for (const char* lang : {"en", "fr", "ar", "fa", "tr", "vi"}) {
    CAPTURE(lang);
    CHECK(std::any_of(c.entries().begin(), c.entries().end(), [&](const CorpusEntry& e) { return e.lang == lang; }));
  }
  for (const auto& e : c.entries()) CHECK(e.result.url.starts_with("https://"));
}

TEST_CASE("search finds entries sharing words with the query, best first") {
  const Corpus& c = Corpus::builtin();
  const auto ferry = c.search("dover calais ferry booking");
  REQUIRE_FALSE(ferry.empty());
  CHECK(ferry.front().id == "ferry-dover-calais");
  CHECK(has(c.search("قارب إلى بريطانيا السعر"), "ad-ar-boat"));
  CHECK(has(c.search("ingiltereye kaçak giriş fiyat"), "ad-tr-bot"));
  CHECK(has(c.search("İngiltere"), "ad-tr-bot"));
  CHECK(c.search("").empty());
  CHECK(c.search("zzzz qqqq").empty());
  CHECK(c.search("boat", 3).size() == 3);
}

TEST_CASE("index words split at punctuation, lowercase, and drop stop words") {
  CHECK(index_words("Boat to the UK, tonight!") == std::vector<std::string>{"boat", "uk", "tonight"});
  CHECK(index_words("رحلة، قارب") == std::vector<std::string>{"رحلة", "قارب"});
  CHECK(index_words("TRAVERSÉE") == std::vector<std::string>{"traversée"});
}

TEST_CASE("a corpus with a bad entry is refused with the entry's number") {
  CHECK_THROWS_WITH_AS(Corpus::parse(R"([{"id": "a", "lang": "en", "title": "t", "snippet": "s"}])"),
                       "corpus entry 1: missing \"url\"", std::invalid_argument);
  CHECK_THROWS_AS(Corpus::parse(R"([{"id": "a", "lang": "en", "title": "t", "snippet": "s", "url": "http://x"}])"),
                  std::invalid_argument);
  CHECK_THROWS_AS(Corpus::parse("{}"), std::invalid_argument);
}
