// base/sha256: SHA-256 and HMAC-SHA256 against the published test vectors (FIPS 180-4, RFC 4231).
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "base/sha256.hpp"

namespace {

std::string hex(std::string_view s) { return signpost::detail::to_hex(signpost::detail::sha256(s)); }
std::string hmac_hex(std::string_view key, std::string_view msg) {
  return signpost::detail::to_hex(signpost::detail::hmac_sha256(key, msg));
}

}  // namespace

TEST_CASE("SHA-256 matches the FIPS 180-4 examples") {
  CHECK(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(hex(std::string(1'000'000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("SHA-256 fed in pieces of every size gives the one-shot digest") {
  std::string data;
  for (int i = 0; i < 300; ++i) data += char(i * 7 + 3);
  const auto whole = signpost::detail::sha256(data);
  for (std::size_t piece = 1; piece <= 130; ++piece) {
    signpost::detail::Sha256 s;
    for (std::size_t at = 0; at < data.size(); at += piece) s.update(std::string_view(data).substr(at, piece));
    CHECK(s.finish() == whole);
  }
}

TEST_CASE("HMAC-SHA256 matches RFC 4231 test cases 1, 2, 3, 4, 6 and 7") {
  CHECK(hmac_hex(std::string(20, '\x0b'), "Hi There") ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(hmac_hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(hmac_hex(std::string(20, '\xaa'), std::string(50, '\xdd')) ==
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  std::string key4;
  for (int i = 1; i <= 25; ++i) key4 += char(i);
  CHECK(hmac_hex(key4, std::string(50, '\xcd')) == "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  // Keys longer than a block are hashed first.
  CHECK(hmac_hex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First") ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  CHECK(hmac_hex(std::string(131, '\xaa'),
                 "This is a test using a larger than block-size key and a larger than block-size data. The key needs "
                 "to be hashed before being used by the HMAC algorithm.") ==
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}
