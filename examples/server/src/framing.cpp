#include "framing.hpp"

#include <cstdint>
#include <vector>

#include "http.hpp"

namespace signpost::server {
namespace {

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

FramingError bad(std::string message) { return {400, std::move(message)}; }

}  // namespace

std::optional<FramingError> check_header_block(std::string_view block) {
  // Line endings first: every LF must end a CRLF.
  for (std::size_t i = 0; i < block.size(); ++i)
    if (block[i] == '\n' && (i == 0 || block[i - 1] != '\r')) return bad("bare LF in the request header");

  std::size_t pos = block.find("\r\n");
  if (pos == std::string_view::npos) return bad("malformed request line");
  const std::string_view request_line = block.substr(0, pos);
  const bool http10 = request_line.ends_with(" HTTP/1.0");
  pos += 2;

  int content_lengths = 0;
  std::optional<std::uint64_t> content_length;
  bool transfer_encoding = false;
  std::string coding;
  int hosts = 0;

  while (pos < block.size()) {
    const std::size_t end = block.find("\r\n", pos);
    if (end == std::string_view::npos) return bad("malformed header");
    const std::string_view line = block.substr(pos, end - pos);
    pos = end + 2;
    if (line.empty()) break;  // the blank line that ends the header
    if (line.front() == ' ' || line.front() == '\t')
      return bad("obsolete line folding (obs-fold) in a header field");
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return bad("malformed header field");
    const std::string_view name = line.substr(0, colon);
    if (name.back() == ' ' || name.back() == '\t') return bad("whitespace before the colon of a header field");
    const std::string_view value = trim(line.substr(colon + 1));

    if (iequals(name, "content-length")) {
      ++content_lengths;
      // A list ("5, 5") is one way to send duplicates: every element must agree.
      std::string_view rest = value;
      bool any = false;
      while (true) {
        const std::size_t comma = rest.find(',');
        const std::string_view item = trim(rest.substr(0, comma));
        if (item.empty() || item.size() > 19) return bad("invalid Content-Length");
        std::uint64_t v = 0;
        for (char c : item) {
          if (c < '0' || c > '9') return bad("invalid Content-Length");
          v = v * 10 + static_cast<std::uint64_t>(c - '0');
        }
        if (content_length && *content_length != v) return bad("conflicting Content-Length values");
        content_length = v;
        any = true;
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      if (!any) return bad("invalid Content-Length");
    } else if (iequals(name, "transfer-encoding")) {
      transfer_encoding = true;
      if (!coding.empty()) coding += ",";
      coding += value;
    } else if (iequals(name, "host")) {
      ++hosts;
    }
  }

  if (content_lengths > 0 && transfer_encoding)
    return bad("both Content-Length and Transfer-Encoding in one request");
  if (transfer_encoding) {
    if (http10) return bad("Transfer-Encoding in an HTTP/1.0 request");
    if (!iequals(trim(coding), "chunked")) return FramingError{501, "only the chunked transfer coding is supported"};
  }
  if (hosts > 1) return bad("more than one Host header");
  if (hosts == 0 && !http10) return bad("missing Host header");
  return std::nullopt;
}

void serialize(const Response& res, unsigned version, bool keep_alive, std::string& wire) {
  const bool bodiless = res.status == 204 || res.status == 304 || res.status < 200;
  const bool with_body = !res.head && !bodiless;
  // One reservation for the whole response: header lines, the framing fields and the body.
  std::size_t size = 64 + res.content_type.size() + (with_body ? res.body.size() : 0);
  for (const Header& h : res.headers) size += h.name.size() + h.value.size() + 4;
  wire.clear();
  wire.reserve(size + 64);
  wire += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  wire += std::to_string(res.status);
  wire += ' ';
  wire += reason(res.status);
  wire += "\r\n";
  const auto field = [&](std::string_view name, std::string_view value) {
    wire += name;
    wire += ": ";
    if (value.find('\r') == std::string_view::npos && value.find('\n') == std::string_view::npos) {
      wire += value;
    } else {
      for (char c : value) wire += (c == '\r' || c == '\n') ? ' ' : c;
    }
    wire += "\r\n";
  };
  for (const Header& h : res.headers) field(h.name, h.value);
  if (!res.content_type.empty()) field("Content-Type", res.content_type);
  if (!bodiless) field("Content-Length", std::to_string(res.body.size()));
  if (!keep_alive && version != 10) field("Connection", "close");
  if (keep_alive && version == 10) field("Connection", "keep-alive");
  wire += "\r\n";
  if (with_body) wire += res.body;
}

std::string serialize(const Response& res, unsigned version, bool keep_alive) {
  std::string wire;
  serialize(res, version, keep_alive, wire);
  return wire;
}

}  // namespace signpost::server
