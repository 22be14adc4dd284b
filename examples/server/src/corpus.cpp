#include "corpus.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>

#include "assets.hpp"

namespace signpost::server {
namespace {

// Decodes one UTF-8 sequence (lenient: a bad byte is returned as itself, length 1).
std::uint32_t decode(std::string_view s, std::size_t i, std::size_t& len) noexcept {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  if (i + n > s.size()) n = 1;
  std::uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) { n = 1; cp = c; break; }
    cp = (cp << 6) | (b & 0x3Fu);
  }
  len = n;
  return cp;
}

void encode(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) { out += static_cast<char>(cp); return; }
  if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  }
  out += static_cast<char>(0x80 | (cp & 0x3F));
}

bool separator(std::uint32_t cp) noexcept {
  if (cp < 0x80) return !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'));
  switch (cp) {
    case 0x00A0: case 0x00AB: case 0x00BB: case 0x060C: case 0x061B: case 0x061F: case 0x06D4:
    case 0x200B: case 0x200C: case 0x2013: case 0x2014: case 0x2018: case 0x2019: case 0x201C:
    case 0x201D: case 0x2026: case 0x3000:
      return true;
    default:
      return false;
  }
}

std::uint32_t lower(std::uint32_t cp) noexcept {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
  if (cp == 0x130) return 'i';  // Turkish dotted capital I
  if (cp >= 0x100 && cp <= 0x17F && cp % 2 == 0 && cp != 0x138) return cp + 1;  // most of Latin Extended-A
  return cp;
}

std::size_t code_points(std::string_view s) noexcept {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

constexpr std::array<std::string_view, 45> stop_words = {
    "a", "an", "the", "to", "of", "in", "on", "for", "by", "and", "or", "from", "how", "what", "is", "at",
    "with", "per", "de", "la", "le", "les", "en", "pour", "l", "d", "et", "un", "une", "des", "au", "du",
    "ve", "ile", "bu", "için", "إلى", "الى", "في", "من", "به", "از", "با", "در", "ne"};

bool words_match(std::string_view q, std::string_view w) noexcept {
  if (q == w) return true;
  const std::string_view shorter = q.size() < w.size() ? q : w;
  const std::string_view longer = q.size() < w.size() ? w : q;
  return code_points(shorter) >= 4 && longer.starts_with(shorter);
}

}  // namespace

std::vector<std::string> index_words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  const auto flush = [&] {
    if (!word.empty() && std::find(stop_words.begin(), stop_words.end(), word) == stop_words.end())
      words.push_back(word);
    word.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = 1;
    const std::uint32_t cp = decode(text, i, len);
    if (separator(cp)) flush();
    else encode(word, lower(cp));
    i += len;
  }
  flush();
  return words;
}

Corpus Corpus::parse(std::string_view json) {
  namespace js = boost::json;
  Corpus corpus;
  const js::value doc = js::parse(json);
  if (!doc.is_array()) throw std::invalid_argument("the corpus must be a JSON array");
  std::size_t index = 0;
  for (const js::value& item : doc.as_array()) {
    ++index;
    if (!item.is_object()) throw std::invalid_argument(fmt::format("corpus entry {}: not an object", index));
    const js::object& o = item.as_object();
    const auto field = [&](std::string_view name, bool required) -> std::string {
      const js::value* v = o.if_contains(name);
      if (!v) {
        if (required) throw std::invalid_argument(fmt::format("corpus entry {}: missing \"{}\"", index, name));
        return {};
      }
      if (!v->is_string()) throw std::invalid_argument(fmt::format("corpus entry {}: \"{}\" must be a string", index, name));
      return std::string(v->as_string());
    };
    CorpusEntry e;
    e.result.id = field("id", true);
    e.lang = field("lang", true);
    e.result.title = field("title", true);
    e.result.snippet = field("snippet", true);
    e.result.url = field("url", true);
    if (!e.result.url.starts_with("https://"))
      throw std::invalid_argument(fmt::format("corpus entry {}: \"url\" must be https", index));
    for (const auto& existing : corpus.entries_)
      if (existing.result.id == e.result.id)
        throw std::invalid_argument(fmt::format("corpus entry {}: duplicate id \"{}\"", index, e.result.id));
    for (const std::string& text : {e.result.title, e.result.snippet, field("keywords", false)})
      for (std::string& w : index_words(text)) e.words.push_back(std::move(w));
    std::sort(e.words.begin(), e.words.end());
    e.words.erase(std::unique(e.words.begin(), e.words.end()), e.words.end());
    corpus.entries_.push_back(std::move(e));
  }
  return corpus;
}

const Corpus& Corpus::builtin() {
  static const Corpus corpus = parse(assets::corpus_json);
  return corpus;
}

std::vector<Result> Corpus::search(std::string_view query, std::size_t limit) const {
  std::vector<std::string> q = index_words(query);
  std::sort(q.begin(), q.end());
  q.erase(std::unique(q.begin(), q.end()), q.end());
  if (q.size() > 32) q.resize(32);  // bounds the work for a long query
  std::vector<std::pair<std::size_t, std::size_t>> scored;  // (shared words, entry index)
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    std::size_t shared = 0;
    for (const std::string& qw : q)
      for (const std::string& w : entries_[i].words)
        if (words_match(qw, w)) { ++shared; break; }
    if (shared > 0) scored.emplace_back(shared, i);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<Result> out;
  for (std::size_t k = 0; k < scored.size() && out.size() < limit; ++k) out.push_back(entries_[scored[k].second].result);
  return out;
}

std::string_view Corpus::lang_of(std::string_view id) const noexcept {
  for (const auto& e : entries_)
    if (e.result.id == id) return e.lang;
  return {};
}

}  // namespace signpost::server
