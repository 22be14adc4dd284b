#include "classify/text_classifier.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstring>

#include "base/bytes16.hpp"

namespace signpost::detail {

namespace {

constexpr std::uint64_t mask_of(std::size_t n) noexcept { return n >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * n)) - 1; }

// The weights of the n-grams of lengths lo to hi that start at the eight bytes x.
template <std::size_t kLo, std::size_t kHi>
inline std::int64_t sum_fixed(std::uint64_t x, const std::int8_t* w, unsigned shift) noexcept {
  std::int64_t s = 0;
  for (std::size_t n = kLo; n <= kHi; ++n)  // constant bounds: unrolled, constant masks
    s += w[((x & mask_of(n)) + n) * TextClassifier::kMix >> shift];
  return s;
}

inline std::int64_t sum_any(std::uint64_t x, std::size_t lo, std::size_t hi, const std::int8_t* w,
                            unsigned shift) noexcept {
  std::int64_t s = 0;
  for (std::size_t n = lo; n <= hi; ++n) s += w[((x & mask_of(n)) + n) * TextClassifier::kMix >> shift];
  return s;
}

// TextClassifier::word_hash() of the n bytes at p, of which `readable` (>= n) may be read: a
// chunk with eight readable bytes is one load, masked to the word; the others byte by byte.
inline __attribute__((always_inline)) std::uint64_t hash_word(const std::uint8_t* p, std::size_t n,
                                                              std::size_t readable) noexcept {
  // The `len` (1 to 8) bytes from i, little-endian, zero-padded (eight readable from i when
  // `loadable`).
  const auto chunk = [&](std::size_t i, std::size_t len, bool loadable) __attribute__((always_inline)) {
    std::uint64_t c = 0;
    if (std::endian::native == std::endian::little && loadable) {
      std::memcpy(&c, p + i, 8);
      return len < 8 ? c & mask_of(len) : c;
    }
    for (std::size_t k = 0; k < len; ++k) c |= std::uint64_t{p[i + k]} << (8 * k);
    return c;
  };
  std::uint64_t h = n;
  const auto mix = [&h](std::uint64_t c) __attribute__((always_inline)) {
    h = (h ^ c) * TextClassifier::kMix;
    h ^= h >> 32;
  };
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) mix(chunk(i, 8, true));
  if (i < n) mix(chunk(i, n - i, i + 8 <= readable));
  return h;
}

}  // namespace

double TextClassifier::logit(std::string_view normalized, Mode mode) const noexcept {
  const double bias = mode == Mode::post ? bias_post : bias_query;
  if (buckets == 0 || weights.size() != buckets) return bias;
  return features == Features::words ? logit_words(normalized, bias) : logit_bytes(normalized, bias);
}

std::uint64_t TextClassifier::word_hash(const char* p, std::size_t n) noexcept {
  return hash_word(reinterpret_cast<const std::uint8_t*>(p), n, n);
}

double TextClassifier::logit_words(std::string_view normalized, double bias) const noexcept {
  const auto* s = reinterpret_cast<const std::uint8_t*>(normalized.data());
  const std::size_t n = normalized.size();
  const unsigned bits = static_cast<unsigned>(std::countr_zero(buckets));
  const std::int8_t* w = weights.data();
  std::int64_t sum = 0;
  std::uint64_t count = 0, prev = 0;
  // Each word [a, b) found at a space or the end: its bucket, and its pair's with the word before.
  const auto word = [&](std::size_t a, std::size_t b) __attribute__((always_inline)) {
    if (a >= b) return;
    const std::uint64_t h = hash_word(s + a, b - a, n - a);
    sum += w[h * kMix >> (64 - bits)];
    if (count != 0) {
      sum += w[pair_bucket(prev, h, bits)];
      ++count;
    }
    ++count;
    prev = h;
  };
  std::size_t start = 0;
  for (std::size_t pos = 0; pos < n; pos += 16)
    for (std::uint32_t m = byte_mask16(s, n, pos, ' '); m != 0; m &= m - 1) {
      const std::size_t sp = pos + static_cast<std::size_t>(std::countr_zero(m));
      word(start, sp);
      start = sp + 1;
    }
  word(start, n);
  if (count == 0) return bias;
  return bias + scale * static_cast<double>(sum) / std::sqrt(static_cast<double>(count));
}

double TextClassifier::logit_bytes(std::string_view normalized, double bias) const noexcept {
  const unsigned shift = 64 - static_cast<unsigned>(std::countr_zero(buckets));
  // The padded text P = " " + normalized + " " is never built: P[i] for 1 <= i <= L is
  // normalized[i - 1]. Eight bytes of P from i, little-endian, zero past its end: one load inside
  // the text (i from 1 to len - 9), a byte at a time at its two ends.
  const std::size_t len = normalized.size() + 2;
  const char* s = normalized.data();
  const auto edge = [&](std::size_t i) -> std::uint64_t {
    std::uint64_t x = 0;
    for (std::size_t k = 0; k < 8 && i + k < len; ++k) {
      const std::size_t j = i + k;
      const auto b = j == 0 || j == len - 1 ? std::uint64_t{' '} : std::uint64_t{static_cast<unsigned char>(s[j - 1])};
      x |= b << (8 * k);
    }
    return x;
  };
  const auto load = [&](std::size_t i) -> std::uint64_t {
    std::uint64_t x;
    std::memcpy(&x, s + i - 1, 8);
    if constexpr (std::endian::native == std::endian::big) x = __builtin_bswap64(x);
    return x;
  };
  const std::int8_t* w = weights.data();
  const auto lo = static_cast<std::size_t>(nmin), hi = static_cast<std::size_t>(nmax);
  if (len < lo) return bias;
  std::int64_t sum = 0;
  std::uint64_t count = 0;
  const std::size_t last = len - lo;                   // the last start
  const std::size_t inner_end = len >= 9 ? len - 8 : 1;  // starts [1, inner_end) read one load, all lengths fit
  std::size_t i = 0;
  // Starts whose eight bytes are not all inside the text: assembled, lengths cut at the end.
  const auto at_edge = [&](std::size_t k) {
    const std::size_t top = std::min(hi, len - k);
    sum += sum_any(edge(k), lo, top, w, shift);
    count += top - lo + 1;
  };
  at_edge(i++);
  if (lo == 3 && hi == 5) {
    for (; i < inner_end; ++i) sum += sum_fixed<3, 5>(load(i), w, shift);
  } else {
    for (; i < inner_end; ++i) sum += sum_any(load(i), lo, hi, w, shift);
  }
  count += (i - 1) * (hi - lo + 1);
  for (; i <= last; ++i) at_edge(i);
  if (count == 0) return bias;
  return bias + scale * static_cast<double>(sum) / std::sqrt(static_cast<double>(count));
}

double TextClassifier::logit_of(double p) noexcept { return std::log(p / (1.0 - p)); }

void TextClassifier::set_threshold(double p) noexcept {
  threshold_ = p;
  cut_ = logit_of(p);
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
