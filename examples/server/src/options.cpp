#include "options.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "guard.hpp"

namespace signpost::server {

std::string Endpoint::to_string() const {
  if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

bool Endpoint::is_loopback() const noexcept {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

std::optional<Endpoint> parse_endpoint(std::string_view text) {
  Endpoint ep;
  std::string_view port;
  if (text.starts_with('[')) {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') return std::nullopt;
    ep.host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
    if (ep.host.find(':') == std::string::npos) return std::nullopt;
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    ep.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
    if (ep.host.find(':') != std::string::npos) return std::nullopt;  // IPv6 needs brackets
  }
  if (ep.host.empty() || port.empty() || port.size() > 5) return std::nullopt;
  for (char c : ep.host)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == ':' ||
          c == '-'))
      return std::nullopt;
  unsigned value = 0;
  const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc{} || ptr != port.data() + port.size() || value > 65535) return std::nullopt;
  ep.port = static_cast<std::uint16_t>(value);
  return ep;
}

std::string usage() {
  return fmt::format(
      "usage: signpost-server [--pack DIR|FILE.tar] [--listen ADDR:PORT] [--threads N]\n"
      "                       [--admin-token-file FILE] [--admin-listen ADDR:PORT]\n"
      "                       [--log-format text|json|off] [--max-connections N]\n"
      "                       [--metrics-out FILE [--metrics-interval SECONDS]]\n"
      "                       [--shadow-pack DIR|FILE.tar]\n"
      "                       [--canary-pack DIR|FILE.tar --canary-rate R] [--trusted-key FILE]...\n"
      "                       [--flood-guard on|off] [--flood-guard-* ...]\n"
      "\n"
      "The signpost demo redirect server: a JSON API over an intervention pack, and a demo search\n"
      "page that shows what a platform's users would see.\n"
      "\n"
      "  --pack DIR|FILE.tar     intervention pack to serve, a folder or an archive (.tar, .tar.gz)\n"
      "                          (default: the default pack; $SIGNPOST_PACK overrides where that is)\n"
      "  --shadow-pack DIR|FILE.tar  a pack judged beside the live one on every request, never\n"
      "                          shown; /metrics compares their decisions\n"
      "  --canary-pack DIR|FILE.tar  a pack that serves a share of subjects (--canary-rate)\n"
      "  --canary-rate R         the share, 0 to 1, of subjects (JSON \"subject\" or the\n"
      "                          X-Signpost-Subject header) served by the canary pack\n"
      "  --trusted-key FILE      a publisher's public key (NAME.pub); every pack (live, shadow,\n"
      "                          canary, at start and at each reload) must carry a valid signature\n"
      "                          by one of the keys given (repeatable)\n"
      "  --listen ADDR:PORT      public listener (default 127.0.0.1:8080; port 0 picks a free one)\n"
      "  --threads N             I/O threads (default: one per hardware thread)\n"
      "  --admin-token-file FILE file holding the bearer token for POST /admin/reload; without it\n"
      "                          the admin listener is not opened (SIGHUP still reloads)\n"
      "  --admin-listen ADDR:PORT admin listener (default 127.0.0.1:8081)\n"
      "  --log-format FORMAT     one line per request on stderr: text (default), json, or off\n"
      "  --max-connections N     connections served at once (default {}); beyond it an idle one\n"
      "                          is closed to make room, or the new one is answered 503\n"
      "  --metrics-out FILE      write the metrics snapshot (the counts since start; the JSON that\n"
      "                          `signpost report` reads) to FILE, replaced atomically, every\n"
      "                          --metrics-interval and on exit; a snapshot already there from an\n"
      "                          earlier run is kept as FILE's stem.START-END.json\n"
      "  --metrics-interval SECONDS  how often to write it (default 60, 1 to 86400)\n"
      "{}"
      "  --version               print the version and exit\n"
      "  -h, --help              print this help and exit\n"
      "\n"
      "Endpoints: POST /v1/evaluate, POST /v1/redirect, GET /search?q=&hl=, GET /go/{{card_id}},\n"
      "GET /healthz, GET /metrics; on the admin listener POST /admin/reload and\n"
      "POST /admin/flood-guard/release[?rule=ID].\n"
      "SIGHUP reloads every pack (all of them or none); SIGINT and SIGTERM stop gracefully. Exit\n"
      "status: 0 after a clean stop, 1 when a listener cannot be opened, 2 for a bad flag, key or pack.\n",
      limits::max_connections, flood_guard_usage());
}

ParsedCommandLine parse_command_line(std::span<const std::string_view> args) {
  ParsedCommandLine out;
  const auto fail = [&](std::string message) {
    out.kind = ParsedCommandLine::Kind::error;
    out.error = std::move(message);
    return out;
  };
  bool interval_given = false, rate_given = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "-h" || arg == "--help") {
      out.kind = ParsedCommandLine::Kind::help;
      return out;
    }
    if (arg == "--version") {
      out.kind = ParsedCommandLine::Kind::version;
      return out;
    }
    if (!arg.starts_with("--")) return fail(fmt::format("unexpected argument '{}'", arg));
    std::string_view name = arg, value;
    bool has_value = false;
    if (const std::size_t eq = arg.find('='); eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    static constexpr std::string_view known[] = {"--pack", "--listen", "--threads", "--admin-token-file",
                                                 "--admin-listen", "--log-format", "--max-connections",
                                                 "--metrics-out", "--metrics-interval", "--shadow-pack",
                                                 "--canary-pack", "--canary-rate", "--trusted-key"};
    bool is_known = is_flood_guard_flag(name);
    for (std::string_view k : known) is_known = is_known || k == name;
    if (!is_known) return fail(fmt::format("unknown option '{}' (see --help)", name));
    if (!has_value) {
      if (i + 1 >= args.size()) return fail(fmt::format("option '{}' needs a value", name));
      value = args[++i];
    }
    const auto parse_count = [&](unsigned long long max, unsigned long long& v) {
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      return ec == std::errc{} && ptr == value.data() + value.size() && v >= 1 && v <= max;
    };
    if (is_flood_guard_flag(name)) {
      if (auto error = apply_flood_guard_flag(name, value, out.options.flood_guard, out.options.flood_guard_tuning);
          !error.empty())
        return fail(std::move(error));
    } else if (name == "--pack") {
      if (value.empty()) return fail("--pack needs a folder or an archive");
      out.options.pack = std::filesystem::path(std::string(value));
    } else if (name == "--shadow-pack" || name == "--canary-pack") {
      if (value.empty()) return fail(fmt::format("{} needs a folder or an archive", name));
      (name == "--shadow-pack" ? out.options.shadow_pack : out.options.canary_pack) =
          std::filesystem::path(std::string(value));
    } else if (name == "--canary-rate") {
      double v = -1.0;
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec != std::errc{} || ptr != value.data() + value.size() || !(v >= 0.0 && v <= 1.0))
        return fail("--canary-rate expects a share from 0 to 1, such as 0.05");
      out.options.canary_rate = v;
      rate_given = true;
    } else if (name == "--trusted-key") {
      if (value.empty()) return fail("--trusted-key needs a public key file");
      out.options.trusted_keys.emplace_back(std::string(value));
    } else if (name == "--listen" || name == "--admin-listen") {
      auto ep = parse_endpoint(value);
      if (!ep) return fail(fmt::format("{} expects ADDR:PORT such as 127.0.0.1:8080 or [::1]:8080", name));
      (name == "--listen" ? out.options.listen : out.options.admin_listen) = *ep;
    } else if (name == "--threads") {
      unsigned long long v = 0;
      if (!parse_count(1024, v)) return fail("--threads expects a number from 1 to 1024");
      out.options.threads = static_cast<unsigned>(v);
    } else if (name == "--admin-token-file") {
      if (value.empty()) return fail("--admin-token-file needs a file");
      out.options.admin_token_file = std::filesystem::path(std::string(value));
    } else if (name == "--log-format") {
      if (value == "text") out.options.log_format = LogFormat::text;
      else if (value == "json") out.options.log_format = LogFormat::json;
      else if (value == "off") out.options.log_format = LogFormat::off;
      else return fail("--log-format expects text, json or off");
    } else if (name == "--max-connections") {
      unsigned long long v = 0;
      if (!parse_count(1'000'000, v)) return fail("--max-connections expects a number from 1 to 1000000");
      out.options.max_connections = static_cast<std::size_t>(v);
    } else if (name == "--metrics-out") {
      if (value.empty()) return fail("--metrics-out needs a file");
      out.options.metrics_out = std::filesystem::path(std::string(value));
    } else if (name == "--metrics-interval") {
      unsigned long long v = 0;
      if (!parse_count(86'400, v)) return fail("--metrics-interval expects seconds from 1 to 86400");
      out.options.metrics_interval = static_cast<unsigned>(v);
      interval_given = true;
    }
  }
  if (interval_given && !out.options.metrics_out) return fail("--metrics-interval needs --metrics-out");
  if (rate_given && !out.options.canary_pack) return fail("--canary-rate needs --canary-pack");
  if (out.options.canary_pack && !rate_given) return fail("--canary-pack needs --canary-rate");
  if (auto error = check_flood_guard(out.options.flood_guard_tuning); !error.empty()) return fail(std::move(error));
  return out;
}

namespace {

// The first line of a small file, surrounding white space removed; `what` names the file in the
// error ("admin token file").
std::string read_first_line(const std::filesystem::path& file, std::string_view what) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot read the {} '{}'", what, file.string()));
  std::string line;
  std::getline(in, line);
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!line.empty() && space(line.back())) line.pop_back();
  std::size_t start = 0;
  while (start < line.size() && space(line[start])) ++start;
  line.erase(0, start);
  return line;
}

}  // namespace

std::string read_token_file(const std::filesystem::path& file) {
  std::string line = read_first_line(file, "admin token file");
  if (line.size() < 16)
    throw std::runtime_error(
        fmt::format("the admin token in '{}' is {}; use at least 16 characters", file.string(),
                    line.empty() ? "empty" : "too short"));
  for (char c : line)
    if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7E)
      throw std::runtime_error(fmt::format(
          "the admin token in '{}' must be printable ASCII without spaces", file.string()));
  return line;
}

std::string read_trusted_key(const std::filesystem::path& file) {
  std::string line = read_first_line(file, "trusted key file");
  if (line.starts_with("ed25519-secret:"))
    throw std::runtime_error(fmt::format(
        "'{}' holds a secret key; --trusted-key takes the public key (NAME.pub, not NAME.key)", file.string()));
  if (!line.starts_with("ed25519:") || line.size() == 8)
    throw std::runtime_error(fmt::format(
        "'{}' is not a public key file (its first line must be ed25519:<base64>, as `signpost pack keygen` writes)",
        file.string()));
  return line;
}

bool constant_time_equal(std::string_view presented, std::string_view expected) noexcept {
  if (expected.empty()) return false;
  // Walk the presented token only, reading the expected one cyclically: the time taken depends on
  // neither the expected token's content nor its length.
  unsigned diff = presented.size() == expected.size() ? 0u : 1u;
  for (std::size_t i = 0; i < presented.size(); ++i)
    diff |= static_cast<unsigned char>(presented[i]) ^ static_cast<unsigned char>(expected[i % expected.size()]);
  // Keep the compiler from turning the loop into an early exit.
  volatile unsigned sink = diff;
  return sink == 0;
}

}  // namespace signpost::server
