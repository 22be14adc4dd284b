#include "classify/text_classifier.hpp"

#include <cmath>
#include <cstddef>

namespace signpost::detail {

double TextClassifier::logit(std::string_view normalized, Mode mode) const noexcept {
  const double bias = mode == Mode::post ? bias_post : bias_query;
  if (buckets == 0 || weights.size() != buckets) return bias;
  // The n-grams of " " + normalized + " ": one hash per start, fed a byte at a time, read at each
  // length from nmin to nmax.
  const std::size_t len = normalized.size() + 2;
  const auto byte_at = [&](std::size_t i) -> unsigned char {
    return i == 0 || i == len - 1 ? ' ' : static_cast<unsigned char>(normalized[i - 1]);
  };
  const std::int8_t* w = weights.data();
  std::int64_t sum = 0;
  std::uint64_t count = 0;
  for (std::size_t i = 0; i + static_cast<std::size_t>(nmin) <= len; ++i) {
    std::uint32_t h = kSeed;
    for (int n = 1; n <= nmax && i + static_cast<std::size_t>(n) <= len; ++n) {
      h = ngram_hash(h, byte_at(i + static_cast<std::size_t>(n) - 1));
      if (n >= nmin) {
        sum += w[bucket_of(h, n, buckets)];
        ++count;
      }
    }
  }
  if (count == 0) return bias;
  return bias + scale * static_cast<double>(sum) / std::sqrt(static_cast<double>(count));
}

bool TextClassifier::fires(std::string_view normalized, Mode mode) const noexcept {
  return logit(normalized, mode) >= std::log(threshold / (1.0 - threshold));
}

std::string TextClassifier::read_weights(std::string_view hex) {
  weights.clear();
  weights.reserve(buckets);
  int hi = -1;
  for (const char c : hex) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    int v;
    if (c >= '0' && c <= '9')
      v = c - '0';
    else if (c >= 'a' && c <= 'f')
      v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      v = c - 'A' + 10;
    else
      return "weights must be hexadecimal digits";
    if (hi < 0) {
      hi = v;
      continue;
    }
    if (weights.size() == buckets) return "weights hold more than " + std::to_string(buckets) + " values";
    weights.push_back(static_cast<std::int8_t>(static_cast<std::uint8_t>(hi << 4 | v)));
    hi = -1;
  }
  if (hi >= 0) return "weights end with half a byte";
  if (weights.size() != buckets)
    return "weights hold " + std::to_string(weights.size()) + " values, buckets says " + std::to_string(buckets);
  return "";
}

}  // namespace signpost::detail
