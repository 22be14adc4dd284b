// limits.hpp: every bound the server puts on a client, in one place.
//
// Each limit protects the process from one kind of misuse (a huge body, an endless header, a slow
// sender, a flood of connections, a client that pipelines without reading). docs/server.md has the
// same table; keep the two in step.
#pragma once

#include <chrono>
#include <cstddef>

#include <signpost/validate.hpp>

namespace signpost::server::limits {

using namespace std::chrono_literals;

// Largest request body accepted, in bytes (decoded, chunked or not). A declared Content-Length
// above it is answered 413 before any of the body is read. 64 KiB is ample for one evaluate or
// redirect call (a query and a page of results) and bounds the memory one request can pin.
inline constexpr std::size_t body_bytes = 64 * 1024;

// Largest request line plus header block, in bytes, blank line included. Beyond it: 431 and close.
// The request target (and so /search?q=) counts here.
inline constexpr std::size_t header_bytes = 8 * 1024;

// From the first byte of a request to the end of its header block. A client still sending its
// header after this is dropped without a response (slow-header attacks hold a connection open by
// sending one byte at a time; this deadline does not restart on each byte).
inline constexpr auto header_timeout = 5s;

// For the body, once the header is in.
inline constexpr auto body_timeout = 10s;

// How long a keep-alive connection may sit idle between requests before it is closed.
inline constexpr auto idle_timeout = 30s;

// For writing one response. A client that does not read its responses is dropped after this.
inline constexpr auto write_timeout = 10s;

// Connections served at once on the public listener (the admin listener has its own small bound).
// A connection beyond it is accepted, answered 503 with Connection: close, and closed. Overridden
// by --max-connections.
inline constexpr std::size_t max_connections = 1024;
// At the limit, a connection that has waited at least this long for a request (one that never sent
// a byte, or an idle keep-alive) is closed to make room for the new one, oldest first, so that
// silent connections cannot lock clients out. A connection in use is never idle this long; one with
// request bytes already waiting in the socket is never closed.
inline constexpr auto evict_idle_after = 1s;
inline constexpr std::size_t max_admin_connections = 16;

// Responses a connection may have queued but not yet written (HTTP pipelining). When the queue is
// full the server stops reading from that connection until a response has gone out, so a client
// that sends requests without reading answers cannot make the server buffer without end.
inline constexpr std::size_t pipeline_queue = 8;

// After a response that closes the connection while the client may still be sending (413, 400 on
// framing), the server half-closes and reads and discards what is still arriving for this long, at
// most linger_bytes, so the client sees the response instead of a reset.
inline constexpr auto linger_timeout = 1s;
inline constexpr std::size_t linger_bytes = 256 * 1024;

// On SIGINT or SIGTERM: stop accepting, let requests in flight finish, close idle connections, and
// give up on whatever is still open after this long.
inline constexpr auto shutdown_grace = 10s;

// Results accepted in one POST /v1/redirect call (a results page is 10 to 50).
inline constexpr std::size_t redirect_results = 100;
// Suggestions accepted in one POST /v1/suggest call (a search box shows 5 to 10), and the longest.
inline constexpr std::size_t suggestions = 100;
inline constexpr std::size_t suggestion_bytes = 1024;

// Longest accepted locale tag, subject key and id in a JSON request, in characters (code points,
// as JSON Schema counts maxLength in docs/openapi.yaml): the SDK's request-field validation
// (signpost/validate.hpp), which the CLI and the Python package apply too.
inline constexpr std::size_t locale_bytes = signpost::max_locale_chars;
inline constexpr std::size_t subject_bytes = signpost::max_subject_chars;
inline constexpr std::size_t id_bytes = signpost::max_id_chars;

// Nesting depth accepted by the JSON parser (the documents are two levels deep).
inline constexpr std::size_t json_depth = 16;

// Bytes read from the socket at a time while looking for the end of a header block.
inline constexpr std::size_t read_chunk = 4096;

// A connection keeps the buffer of the response it last wrote, and of the request body it last
// read, for the next one, up to this size each.
inline constexpr std::size_t reused_wire_bytes = 16 * 1024;

}  // namespace signpost::server::limits
