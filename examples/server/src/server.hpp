// server.hpp: the connection layer (Boost.Beast), kept out of every other file.
#pragma once

#include <cstddef>
#include <optional>

#include "app.hpp"
#include "options.hpp"

namespace signpost::server {

struct ServerConfig {
  Endpoint listen;
  std::optional<Endpoint> admin;  // none: no admin listener
  unsigned threads = 1;
  std::size_t max_connections = limits::max_connections;
};

// Opens the listeners, serves until SIGINT or SIGTERM, and returns once every connection has
// finished (or the shutdown grace period ran out). SIGHUP reloads the pack. Throws
// std::runtime_error when a listener cannot be opened.
void run_server(App& app, const ServerConfig& config);

}  // namespace signpost::server
