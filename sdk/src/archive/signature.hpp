// archive/signature.hpp: ed25519 signatures over a pack's canonical digest (libsodium).
//
// The canonical digest is the pack's hash (PackInfo::hash, "sha256:<hex>"): SHA-256 over every
// *.yaml file of the pack, in byte order of their paths, each as path NUL bytes NUL. It is the
// same for a folder and for its archive, and covers exactly what the loader reads, so a signature
// vouches for everything that decides what searchers see (and for nothing else).
//
// Text forms (one line each, ASCII):
//   public key   "ed25519:<base64 of 32 bytes>"            (NAME.pub, EngineOptions::trusted_keys)
//   secret key   "ed25519-secret:<base64 of 64 bytes>"     (NAME.key, mode 0600)
//   signature    "ed25519:<public key base64> sha256:<hex> <base64 of 64 bytes>"   (a line of pack.sig)
// The signed message is "signpost pack v1\n" followed by the digest text. pack.sig holds one line
// per signer; blank lines are allowed.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "signpost/error.hpp"

namespace signpost::detail {

struct KeyPair {
  std::string public_key;  // text form
  std::string secret_key;  // text form
};

KeyPair generate_keypair();

// The public key of a secret key, both in text form. Throws signpost::Error when `secret` is not
// a secret key.
std::string public_key_of(std::string_view secret);

// Whether `text` (surrounding whitespace ignored) is a public key in text form.
bool is_public_key(std::string_view text) noexcept;

// `existing` (a pack.sig, possibly empty) with a line signing `digest` by `secret` added; a line by
// the same key is replaced. Throws signpost::Error when `secret` is not a secret key.
std::string add_signature(std::string_view existing, std::string_view digest, std::string_view secret);

// Checks that `signatures` (the pack.sig text, nullptr when the pack has none) holds a valid
// signature of `digest` by one of `trusted_keys` (text forms). When it does not, appends the
// reasons to `problems` (file `sig_path`, with the line of each signature concerned) and returns
// false: no pack.sig, a malformed line, a trusted key that is malformed, a signature of another
// digest (the pack changed after it was signed), a signature that does not verify, or only
// signers that are not trusted.
bool verify_signatures(const std::string* signatures, std::string_view digest,
                       std::span<const std::string> trusted_keys, const std::string& sig_path,
                       std::vector<Problem>& problems);

}  // namespace signpost::detail
