// corpus.hpp: the demo search engine's index, a few dozen sample results.
//
// The corpus stands in for a platform's own search backend: /search filters it by simple word
// overlap with the query and passes what it found through Engine::redirect, as a host would. It
// is compiled in from corpus/results.json.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <signpost/types.hpp>

namespace signpost::server {

struct CorpusEntry {
  Result result;
  std::string lang;                 // language of title and snippet (BCP 47)
  std::vector<std::string> words;   // index words: title, snippet and keywords, lowercased
};

class Corpus {
 public:
  // Parses the JSON array of {"id","lang","title","snippet","url","keywords"?}. Throws
  // std::invalid_argument naming the entry and field when something is missing or wrong.
  static Corpus parse(std::string_view json);
  // The corpus compiled into the binary.
  static const Corpus& builtin();

  // The entries sharing at least one word with the query (a word of 4 letters or more also
  // matches words it begins or that begin with it), most shared words first, at most `limit`.
  std::vector<Result> search(std::string_view query, std::size_t limit = 12) const;

  // The language of an entry, "" when unknown.
  std::string_view lang_of(std::string_view id) const noexcept;

  const std::vector<CorpusEntry>& entries() const noexcept { return entries_; }

 private:
  std::vector<CorpusEntry> entries_;
};

// Lowercased words of a text, split at spaces and punctuation (ASCII and common Arabic-script and
// typographic marks), stop words dropped. Other UTF-8 is kept as it is.
std::vector<std::string> index_words(std::string_view text);

}  // namespace signpost::server
