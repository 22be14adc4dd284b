// framing.hpp: the wire format around requests and responses: checks on a raw request header
// block before Beast parses it, and the serialization of responses.
//
// Boost 1.81's parser accepts some framing that other HTTP implementations read differently
// (request smuggling: a proxy and this server disagreeing on where a request ends). The server
// refuses them outright, with 400 and a closed connection:
//   - Content-Length together with Transfer-Encoding,
//   - several Content-Length values that differ,
//   - obs-fold (a header line continued on the next line starting with a space or tab),
//   - bare LF line endings, whitespace between a field name and its colon,
//   - a missing (HTTP/1.1) or repeated Host.
// A Transfer-Encoding other than "chunked" is answered 501.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http.hpp"

namespace signpost::server {

struct FramingError {
  int status = 400;
  std::string message;  // for the {"error": ...} body; fixed text, never an echo of the request
};

// `block` is the request line and header fields up to and including the blank line.
std::optional<FramingError> check_header_block(std::string_view block);

// The status line, header and body of a response in one buffer: one allocation and one write per
// response, instead of Beast's serializer walking a field list. Adds Content-Length (except for
// 1xx, 204 and 304) and Connection as `keep_alive` and the HTTP version require; no body for HEAD.
// Header values come from this program and the pack; CR and LF are still replaced so no value can
// end a header line.
std::string serialize(const Response& res, unsigned version, bool keep_alive);
// The same into `wire` (cleared first), whose capacity a connection reuses from one response to
// the next.
void serialize(const Response& res, unsigned version, bool keep_alive, std::string& wire);

}  // namespace signpost::server
