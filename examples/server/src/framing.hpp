// framing.hpp: checks on a raw request header block, before Beast parses it.
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

namespace signpost::server {

struct FramingError {
  int status = 400;
  std::string message;  // for the {"error": ...} body; fixed text, never an echo of the request
};

// `block` is the request line and header fields up to and including the blank line.
std::optional<FramingError> check_header_block(std::string_view block);

}  // namespace signpost::server
