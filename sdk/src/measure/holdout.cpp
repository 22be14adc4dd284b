#include "base/sha256.hpp"
#include "signpost/measure.hpp"

namespace signpost {

double holdout_bucket(std::string_view salt, std::string_view subject) noexcept {
  const auto mac = detail::hmac_sha256(salt, subject);
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | mac[static_cast<std::size_t>(i)];
  // Keep the top 53 bits, which a double holds exactly: no rounding, and never 1.0.
  return static_cast<double>(v >> 11) * 0x1p-53;
}

}  // namespace signpost
