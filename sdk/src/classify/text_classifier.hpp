// classify/text_classifier.hpp: a pack's linear text classifier (a `classifiers:` entry), scored on
// the normalized text.
//
// Contract: a classifier reads one of two kinds of features of the normalized text (`features`):
//
// - bytes: the byte n-grams of nmin to nmax bytes (1 <= nmin <= nmax <= 8) over " " + normalized
//   text + " ". An n-gram's bucket is bucket_of(): its bytes read as a little-endian integer (the
//   first byte lowest), plus n, times a 64-bit odd constant kMix, whose top log2(buckets) bits are
//   the bucket (`buckets` a power of two).
// - words: the words of the normalized text (its runs of bytes between ASCII spaces) and each pair
//   of neighbouring words. A word's hash is word_hash(): h = its length in bytes, then for each of
//   its eight-byte chunks c (little-endian, the last one padded with zero bytes) h = (h ^ c) * kMix
//   and h ^= h >> 32. A word's bucket is the top log2(buckets) bits of h * kMix; the pair of words
//   with hashes a then b is in the bucket of ((rotl(a, 31) ^ b) + 1) * kMix (pair_bucket()).
//
// A bucket's weight is the int8 weights[bucket] times `scale`. The classifier's logit for a text
// of N features (duplicates counted) is
//
//     bias[mode] + scale * (sum of the weights of its N features) / sqrt(N)
//
// and it fires when the logit reaches logit(threshold) (the probability is at least `threshold`).
// The same definitions are in scripts/train-classifier.py, which trains classifiers: the two must
// stay equal (tests/cli/test_classifier.py checks it against this code through `signpost explain`).
// logit() and fires() are const, thread-safe, allocate nothing and never throw; their work is
// linear in the text: for bytes, per byte one load of eight bytes, then per n-gram length a mask,
// a multiplication and a table read; for words, one sixteen-byte compare per sixteen bytes for
// the spaces, then per word one multiplication per eight bytes of it and one per bucket, and two
// table reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "signpost/types.hpp"

namespace signpost::detail {

struct TextClassifier {
  enum class Features : std::uint8_t { bytes, words };
  Features features = Features::bytes;
  std::uint32_t buckets = 0;   // a power of two, 2^8 to 2^20
  int nmin = 3, nmax = 5;      // Features::bytes only
  double scale = 1.0;          // a weight is weights[k] * scale
  double bias_query = 0.0, bias_post = 0.0;
  std::vector<std::int8_t> weights;  // `buckets` of them

  // The bucket of the n-gram of n bytes held in the low bytes of `bytes` (the others zero), for
  // `bits` = log2(buckets).
  static constexpr std::uint64_t kMix = 0x9E3779B97F4A7C15ull;
  static std::uint32_t bucket_of(std::uint64_t bytes, int n, unsigned bits) noexcept {
    return static_cast<std::uint32_t>(((bytes + static_cast<std::uint64_t>(n)) * kMix) >> (64 - bits));
  }

  // The hash of a word of `n` bytes at `p` (Features::words), and the bucket of a pair of words.
  static std::uint64_t word_hash(const char* p, std::size_t n) noexcept;
  static std::uint32_t pair_bucket(std::uint64_t a, std::uint64_t b, unsigned bits) noexcept {
    return static_cast<std::uint32_t>((((a << 31 | a >> 33) ^ b) + 1) * kMix >> (64 - bits));
  }

  // The logit of a normalized text in a mode (bias alone for an empty text).
  double logit(std::string_view normalized, Mode mode) const noexcept;
  // Whether the probability reaches the threshold (the logit its logit, computed once).
  bool fires(std::string_view normalized, Mode mode) const noexcept { return logit(normalized, mode) >= cut_; }

  // The logit of a probability in (0, 1): the cut a probability threshold is compared as.
  static double logit_of(double p) noexcept;

  // The probability at which it fires, in (0, 1).
  void set_threshold(double p) noexcept;
  double threshold() const noexcept { return threshold_; }

  // Reads `hex` (two hex digits per weight, two's complement, whitespace ignored) into weights.
  // Returns "" when it holds exactly `buckets` weights, else what is wrong.
  std::string read_weights(std::string_view hex);

 private:
  double logit_bytes(std::string_view normalized, double bias) const noexcept;
  double logit_words(std::string_view normalized, double bias) const noexcept;

  double threshold_ = 0.5;
  double cut_ = 0.0;  // log(threshold / (1 - threshold))
};

}  // namespace signpost::detail
