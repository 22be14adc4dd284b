// signature.cpp: ed25519 keys and signatures with libsodium (never hand-written crypto).
#include "archive/signature.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <new>

namespace signpost::detail {
namespace {

constexpr std::string_view kPublicPrefix = "ed25519:";
constexpr std::string_view kSecretPrefix = "ed25519-secret:";
constexpr std::string_view kMessagePrefix = "signpost pack v1\n";

void init() {
  // Idempotent and thread-safe; fails only when no random source can be opened.
  if (sodium_init() < 0) throw Error("libsodium could not be initialized");
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

std::string base64(const unsigned char* bytes, std::size_t n) {
  std::string out(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, n, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

// Decodes exactly `n` bytes of base64 into `out`; false when `text` is anything else.
bool unbase64(std::string_view text, unsigned char* out, std::size_t n) noexcept {
  std::size_t got = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out, n, text.data(), text.size(), nullptr, &got, &end, sodium_base64_VARIANT_ORIGINAL) != 0)
    return false;
  return got == n && end == text.data() + text.size();
}

bool parse_public(std::string_view text, unsigned char (&pk)[crypto_sign_PUBLICKEYBYTES]) noexcept {
  text = trim(text);
  return text.starts_with(kPublicPrefix) && unbase64(text.substr(kPublicPrefix.size()), pk, sizeof pk);
}

void parse_secret(std::string_view text, unsigned char (&sk)[crypto_sign_SECRETKEYBYTES]) {
  text = trim(text);
  if (!text.starts_with(kSecretPrefix) || !unbase64(text.substr(kSecretPrefix.size()), sk, sizeof sk))
    throw Error("not an ed25519 secret key (expected a line 'ed25519-secret:<base64>')");
}

std::string message_of(std::string_view digest) {
  std::string m(kMessagePrefix);
  m += digest;
  return m;
}

struct SignatureLine {
  std::string_view key, digest, signature;
};

// "ed25519:<key> <digest> <signature>"; false when malformed.
bool split_line(std::string_view line, SignatureLine& out) noexcept {
  const std::size_t a = line.find(' ');
  if (a == std::string_view::npos) return false;
  const std::size_t b = line.find(' ', a + 1);
  if (b == std::string_view::npos || line.find(' ', b + 1) != std::string_view::npos) return false;
  out = {line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1)};
  return out.key.starts_with(kPublicPrefix) && out.digest.starts_with("sha256:") && !out.signature.empty();
}

}  // namespace

KeyPair generate_keypair() {
  init();
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  KeyPair kp{std::string(kPublicPrefix) + base64(pk, sizeof pk), std::string(kSecretPrefix) + base64(sk, sizeof sk)};
  sodium_memzero(sk, sizeof sk);
  return kp;
}

std::string public_key_of(std::string_view secret) {
  init();
  unsigned char sk[crypto_sign_SECRETKEYBYTES], pk[crypto_sign_PUBLICKEYBYTES];
  parse_secret(secret, sk);
  crypto_sign_ed25519_sk_to_pk(pk, sk);
  sodium_memzero(sk, sizeof sk);
  return std::string(kPublicPrefix) + base64(pk, sizeof pk);
}

bool is_public_key(std::string_view text) noexcept {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  return parse_public(text, pk);
}

std::string add_signature(std::string_view existing, std::string_view digest, std::string_view secret) {
  init();
  unsigned char sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
  parse_secret(secret, sk);
  const std::string pub = public_key_of(secret);
  const std::string m = message_of(digest);
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(m.data()), m.size(), sk);
  sodium_memzero(sk, sizeof sk);
  std::string out;
  for (std::size_t at = 0; at < existing.size();) {
    std::size_t end = existing.find('\n', at);
    if (end == std::string_view::npos) end = existing.size();
    const std::string_view line = trim(existing.substr(at, end - at));
    at = end + 1;
    if (line.empty() || line.starts_with(pub + " ")) continue;
    out.append(line);
    out += '\n';
  }
  out += pub + " " + std::string(digest) + " " + base64(sig, sizeof sig) + "\n";
  return out;
}

bool verify_signatures(const std::string* signatures, std::string_view digest,
                       std::span<const std::string> trusted_keys, const std::string& sig_path,
                       std::vector<Problem>& problems) {
  init();
  std::vector<std::string> trusted;
  for (std::size_t i = 0; i < trusted_keys.size(); ++i) {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    if (!parse_public(trusted_keys[i], pk)) {
      problems.push_back({"", 0, 0, "trusted key " + std::to_string(i + 1) +
                                        " is not an ed25519 public key (expected a line 'ed25519:<base64>')"});
      return false;
    }
    trusted.emplace_back(trim(trusted_keys[i]));
  }
  if (signatures == nullptr) {
    problems.push_back({sig_path, 0, 0, "the pack is not signed (no pack.sig) and trusted keys are required"});
    return false;
  }
  std::vector<Problem> found;
  bool any_trusted = false;
  int line_no = 0;
  const std::string_view text = *signatures;
  const std::string m = message_of(digest);
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = trim(text.substr(at, end - at));
    at = end + 1;
    ++line_no;
    if (line.empty()) continue;
    SignatureLine s;
    if (!split_line(line, s)) {
      found.push_back({sig_path, line_no, 1, "malformed signature line (expected 'ed25519:<key> sha256:<hex> <signature>')"});
      continue;
    }
    if (std::find(trusted.begin(), trusted.end(), s.key) == trusted.end()) continue;
    any_trusted = true;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
    if (!parse_public(s.key, pk) || !unbase64(s.signature, sig, sizeof sig)) {
      found.push_back({sig_path, line_no, 1, "malformed signature line (bad key or signature encoding)"});
      continue;
    }
    if (s.digest != digest) {
      found.push_back({sig_path, line_no, 1,
                       "signed a pack with digest " + std::string(s.digest) + " but this pack's digest is " +
                           std::string(digest) + ": the pack changed after it was signed"});
      continue;
    }
    if (crypto_sign_verify_detached(sig, reinterpret_cast<const unsigned char*>(m.data()), m.size(), pk) != 0) {
      found.push_back({sig_path, line_no, 1, "signature does not verify (pack.sig was tampered with)"});
      continue;
    }
    return true;  // one valid signature by a trusted key is enough
  }
  if (!any_trusted)
    found.push_back({sig_path, 0, 0, "no signature by a trusted key (signed only by keys not in the trusted list)"});
  problems.insert(problems.end(), found.begin(), found.end());
  return false;
}

}  // namespace signpost::detail
