// options.hpp: the command line of signpost-server, and the admin token.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <signpost/flood_guard.hpp>

#include "limits.hpp"
#include "log.hpp"

namespace signpost::server {

// An address to listen on: an IPv4 or IPv6 literal ("127.0.0.1", "::1"; written "[::1]:8080"
// on the command line) or "localhost", and a port (0 picks a free one).
struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
  std::string to_string() const;  // "127.0.0.1:8080", "[::1]:8080"
  bool is_loopback() const noexcept;
};
std::optional<Endpoint> parse_endpoint(std::string_view text);

struct Options {
  std::optional<std::filesystem::path> pack;  // a folder or an archive; none: Engine::load_default()
  std::optional<std::filesystem::path> shadow_pack;  // judged beside the live pack, never shown
  std::optional<std::filesystem::path> canary_pack;  // serves canary_rate of subjects
  double canary_rate = 0.0;                          // 0..1; given exactly when canary_pack is
  std::vector<std::filesystem::path> trusted_keys;   // NAME.pub files; every pack must be signed
  Endpoint listen{"127.0.0.1", 8080};
  unsigned threads = 0;                       // 0: one per hardware thread
  std::optional<std::filesystem::path> admin_token_file;
  Endpoint admin_listen{"127.0.0.1", 8081};
  LogFormat log_format = LogFormat::text;
  std::size_t max_connections = limits::max_connections;
  std::optional<std::filesystem::path> metrics_out;  // none: no snapshot file
  unsigned metrics_interval = 60;                     // seconds between snapshot writes
  bool flood_guard = true;                            // --flood-guard on|off (guard.hpp)
  FloodGuardOptions flood_guard_tuning;               // the --flood-guard-* flags
};

struct ParsedCommandLine {
  enum class Kind { run, help, version, error } kind = Kind::run;
  Options options;
  std::string error;  // Kind::error: what is wrong, one line
};

// Parses the arguments after the program name. Accepts "--flag value" and "--flag=value".
ParsedCommandLine parse_command_line(std::span<const std::string_view> args);

// The --help text.
std::string usage();

// Reads the admin token from a file: the first line, surrounding whitespace removed. Throws
// std::runtime_error when the file cannot be read, or the token is empty or shorter than 16 bytes.
std::string read_token_file(const std::filesystem::path& file);

// Reads a trusted publisher's public key file (NAME.pub, "ed25519:<base64>"): its first line,
// trimmed, for EngineOptions::trusted_keys. Throws std::runtime_error when the file cannot be read,
// is empty, or holds a secret key (NAME.key) or anything else that is not an ed25519 public key.
std::string read_trusted_key(const std::filesystem::path& file);

// Compares a presented token with the expected one in time that depends only on the length of the
// presented token, never on where the two differ or on the expected token. `expected` must not be
// empty.
bool constant_time_equal(std::string_view presented, std::string_view expected) noexcept;

}  // namespace signpost::server
