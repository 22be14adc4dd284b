// normalize/normalizer.hpp: one pipeline for pack terms and input text.
//
// Contract: normalize() maps UTF-8 (valid or not) to a canonical form in which every obfuscation
// class of docs/normalization.md disappears, and keeps, for every byte of the output, the byte
// range of the input it came from. Terms from packs go through the same function (normalize_term),
// so a term matches a text whenever both normalize to the same words.
//
// Output form: tokens (words, numbers, single emoji or flag, currency signs) separated by exactly
// one ASCII space; no leading or trailing space. Letters are lowercase, accents and marks removed,
// look-alikes from other scripts mapped to Latin, digits ASCII, runs of one repeated letter
// collapsed to one letter, ASCII 'l' written as 'i' (so leet '1' / '!' / '|' match both; an 'i'
// written for an 'l' does not collapse with an 'i', so "illegal" is not "legal"). Letters spelled
// out ("f a k e", "p.a.s.s") and words split by one . - _ or middle dot ("pass.port") are joined
// into one token whose piece edges keep kStart/kEnd; Arabic words get extra kStart positions after
// attached particles. The space between two tokens maps back to the input gap between them.
//
// Cost: linear in the input, one table lookup per code point, no ICU call at run time. The output
// buffers are sized from the input length and keep their capacity between calls, so a warm `out`
// (one that has already normalized a text at least as long) is not reallocated.
//
// Thread-safety: every function is safe to call concurrently (on different NormalizedText
// objects); the tables behind them are built once, on first use, from ICU data. Never throws
// except std::bad_alloc.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace signpost::detail {

// One output array of the normalizer: the part of a vector that a call wrote, [0, size()). Its
// resize() only moves the end when the storage is large enough (what lies past the end is stale),
// so that the normalizer sizes its arrays without filling them first; the storage only grows.
template <class T>
class OutputArray {
 public:
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::size_t capacity() const noexcept { return buf_.size(); }
  T* data() noexcept { return buf_.data(); }
  const T* data() const noexcept { return buf_.data(); }
  T& operator[](std::size_t i) noexcept { return buf_[i]; }
  const T& operator[](std::size_t i) const noexcept { return buf_[i]; }
  const T* begin() const noexcept { return buf_.data(); }
  const T* end() const noexcept { return buf_.data() + size_; }
  void resize(std::size_t n) {
    if (n > buf_.size()) buf_.resize(std::max(n, 2 * buf_.size()));
    size_ = n;
  }
  void clear() noexcept { size_ = 0; }
  friend bool operator==(const OutputArray& a, const OutputArray& b) noexcept {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  std::vector<T> buf_;
  std::size_t size_ = 0;
};

struct NormalizedText {
  // Flags per position p in [0, text.size()]: a boundary *before* byte p.
  static constexpr std::uint8_t kStart = 1;  // a word may start at p
  static constexpr std::uint8_t kEnd = 2;    // a word may end at p (exclusive end)

  std::string text;                   // normalized UTF-8
  OutputArray<std::uint32_t> begin;   // per output byte: first input byte it came from
  OutputArray<std::uint32_t> end;     // per output byte: one past the last input byte
  OutputArray<std::uint8_t> bounds;   // text.size() + 1 entries of kStart | kEnd
  OutputArray<std::uint32_t> token;   // per output byte: index of its token (0-based)
  std::uint32_t tokens = 0;           // number of tokens
  std::uint32_t considered = 0;       // input bytes read (min(input size, max_bytes), cut at a
                                      // code point boundary)

  // Empties every field, keeping capacity (so a reused object allocates nothing once warm).
  void clear() noexcept;
};

// Normalizes at most `max_bytes` of `input` into `out` (cleared first).
void normalize(std::string_view input, NormalizedText& out, std::size_t max_bytes = std::size_t(-1));

// The normalized form of a pack term: the `text` of normalize(term). Empty when the term has no
// letters, digits or emoji.
std::string normalize_term(std::string_view term);

// The script class of a code point as the normalizer sees it, for tests and diagnostics.
bool is_arabic_script(char32_t c) noexcept;

// The fast paths for plain words (ASCII words written eight bytes at a time, the lanes of words
// after a space or punctuation, the word lane of other scripts) follow FastPath::normalizer
// (base/fast_paths.hpp). Off, every word is gathered one record per code point and written by the
// general path. The result is the same either way: tests compare the two.

// Builds the normalizer's lookup tables if they are not built yet (a host may call this at start-up
// to keep the one-time cost off its first request) and returns how long the build took, in
// milliseconds. Thread-safe.
double normalizer_tables_build_ms();

}  // namespace signpost::detail
