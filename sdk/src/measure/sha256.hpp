// measure/sha256.hpp: SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), for pack hashes and
// holdout buckets. Small and dependency-free so that every binding computes the same bytes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace signpost::detail {

class Sha256 {
 public:
  Sha256() noexcept;
  void update(std::string_view data) noexcept;
  std::array<std::uint8_t, 32> finish() noexcept;

 private:
  void block(const std::uint8_t* p) noexcept;
  std::uint32_t h_[8];
  std::uint8_t buf_[64];
  std::size_t buf_len_ = 0;
  std::uint64_t total_ = 0;
};

std::array<std::uint8_t, 32> sha256(std::string_view data) noexcept;
std::array<std::uint8_t, 32> hmac_sha256(std::string_view key, std::string_view message) noexcept;
std::string to_hex(const std::array<std::uint8_t, 32>& digest);

}  // namespace signpost::detail
