// classify/text_classifier.hpp: a pack's linear text classifier (a `classifiers:` entry), scored on
// the normalized text.
//
// Contract: the features of a text are its byte n-grams of nmin to nmax bytes (1 <= nmin <= nmax <=
// 8) over " " + normalized text + " ". An n-gram's bucket is bucket_of(): its bytes read as a
// little-endian integer (the first byte lowest), plus n, times a 64-bit odd constant, whose top
// log2(buckets) bits are the bucket (`buckets` a power of two). A bucket's weight is the int8
// weights[bucket] times `scale`. The classifier's logit for a text of N n-grams (duplicates
// counted) is
//
//     bias[mode] + scale * (sum of the weights of its N n-grams) / sqrt(N)
//
// and it fires when the logit reaches logit(threshold) (the probability is at least `threshold`).
// The same definition is in scripts/train-classifier.py, which trains classifiers: the two must
// stay equal (tests/cli/test_classifier.py checks it against this code through `signpost explain`).
// logit() and fires() are const, thread-safe, allocate nothing and never throw; their work is
// linear in the text: per byte one load of eight bytes, then per n-gram length a mask, a
// multiplication and a table read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "signpost/types.hpp"

namespace signpost::detail {

struct TextClassifier {
  std::uint32_t buckets = 0;   // a power of two, 2^8 to 2^20
  int nmin = 3, nmax = 5;
  double scale = 1.0;          // a weight is weights[k] * scale
  double bias_query = 0.0, bias_post = 0.0;
  std::vector<std::int8_t> weights;  // `buckets` of them

  // The bucket of the n-gram of n bytes held in the low bytes of `bytes` (the others zero), for
  // `bits` = log2(buckets).
  static constexpr std::uint64_t kMix = 0x9E3779B97F4A7C15ull;
  static std::uint32_t bucket_of(std::uint64_t bytes, int n, unsigned bits) noexcept {
    return static_cast<std::uint32_t>(((bytes + static_cast<std::uint64_t>(n)) * kMix) >> (64 - bits));
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
  double threshold_ = 0.5;
  double cut_ = 0.0;  // log(threshold / (1 - threshold))
};

}  // namespace signpost::detail
