// base/: the one UTF-8 decoder, id grammar, SHA-256 and sixteen-byte masks the library shares.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes16.hpp"
#include "base/id.hpp"
#include "base/utf8.hpp"
#include "pack/loader.hpp"

using namespace signpost::detail;

TEST_CASE("utf8: strict decoding refuses overlong forms, surrogates, truncation and stray bytes") {
  char32_t cp = 0;
  CHECK(decode_utf8("a", 0, cp) == 1);
  CHECK(cp == U'a');
  CHECK(decode_utf8("\xD9\x82", 0, cp) == 2);
  CHECK(cp == 0x642);
  CHECK(decode_utf8("\xF0\x9F\x9A\xA4", 0, cp) == 4);
  CHECK(cp == 0x1F6A4);
  CHECK(decode_utf8("\xC0\xAF", 0, cp) == 0);          // overlong '/'
  CHECK(decode_utf8("\xE0\x80\xAF", 0, cp) == 0);      // overlong, three bytes
  CHECK(decode_utf8("\xED\xA0\x80", 0, cp) == 0);      // U+D800, a surrogate
  CHECK(decode_utf8("\xF4\x90\x80\x80", 0, cp) == 0);  // above U+10FFFF
  CHECK(decode_utf8("\xE2\x82", 0, cp) == 0);          // truncated
  CHECK(decode_utf8("\x80", 0, cp) == 0);              // stray continuation
  CHECK(find_invalid_utf8("ok \xC3\xA9 then \xFF") == 11);
  CHECK(is_valid_utf8("\xD9\x82\xD8\xA7\xD8\xB1\xD8\xA8"));
  CHECK(count_code_points("b\xC3\xA9") == 2);
}

TEST_CASE("utf8: the card URL check is strict too (it was lenient before)") {
  CHECK(check_url("https://www.gov.uk/\xC3\xA9").empty());
  CHECK(check_url("https://www.gov.uk/\xC0\xAF") == "invalid UTF-8");
  CHECK(check_url("https://www.gov.uk/\xE2\x80\xAE") == "control or invisible character");
}

TEST_CASE("id grammar: one for packs and metrics") {
  CHECK(is_id("fake-passport"));
  CHECK(is_id("a.b_c-1"));
  CHECK(is_id(std::string(64, 'a')));
  CHECK_FALSE(is_id(std::string(65, 'a')));
  CHECK_FALSE(is_id(""));
  CHECK_FALSE(is_id("-lead"));
  CHECK_FALSE(is_id("Upper"));
  CHECK_FALSE(is_id("with space"));
}

TEST_CASE("bytes16: the masks of one value and of several values, at every position and length") {
  // Against a byte loop, in buffers of 0 to 40 bytes (so that the last block is read shifted, and
  // a buffer shorter than sixteen from a padded copy), at every start position.
  std::uint32_t seed = 7;
  const auto next = [&seed]() {
    seed = seed * 1103515245u + 12345u;
    return static_cast<std::uint8_t>(seed >> 16);
  };
  const std::uint8_t pool[] = {'"', 0xC2, 0xE2, 0xE3, 0xAB, ' ', 'a', 0x80, 0xE0};
  for (std::size_t n = 1; n <= 40; ++n) {
    for (int round = 0; round < 20; ++round) {
      std::vector<std::uint8_t> buf(n);
      for (auto& b : buf) b = pool[next() % sizeof pool];
      for (std::size_t pos = 0; pos < n; ++pos) {
        std::uint32_t one = 0, masked = 0, several = 0;
        for (std::size_t i = pos; i < std::min(n, pos + 16); ++i) {
          const std::uint8_t b = buf[i];
          one |= static_cast<std::uint32_t>(b == ' ') << (i - pos);
          masked |= static_cast<std::uint32_t>((b & 0xFE) == 0xE2) << (i - pos);
          several |= static_cast<std::uint32_t>(b == '"' || b == 0xC2 || b == 0xE2 || b == 0xE3) << (i - pos);
        }
        CAPTURE(n);
        CAPTURE(pos);
        CHECK(signpost::detail::byte_mask16(buf.data(), n, pos, ' ') == one);
        CHECK(signpost::detail::byte_mask16(buf.data(), n, pos, 0xE2, 0xFE) == masked);
        CHECK(signpost::detail::any_byte_mask16(buf.data(), n, pos, '"', 0xC2, 0xE2, 0xE3) == several);
      }
    }
  }
}
