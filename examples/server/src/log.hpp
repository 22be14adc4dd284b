// log.hpp: one structured line per request, and a few lifecycle events, on stderr.
//
// A request line holds: time, method (a standard method or OTHER), route template, status,
// latency in microseconds, the decision's action and category, and for /go the card id when the
// pack has it. Never the query, the path, the body, the client's address or any header.
#pragma once

#include <chrono>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "http.hpp"

namespace signpost::server {

enum class LogFormat { text, json, off };

class Logger {
 public:
  // Receives whole lines, '\n' included, one call at a time: calls from different threads are
  // serialized (copies of a Logger share its sink and that order).
  using Sink = std::function<void(std::string_view line)>;

  explicit Logger(LogFormat format = LogFormat::text, Sink sink = {});

  LogFormat format() const noexcept { return format_; }

  void request(std::string_view method, const Response& res, std::chrono::microseconds latency) const;

  // A lifecycle event ("listening", "reload", "shutdown", ...). Field values are written as given:
  // callers pass only configuration and pack data, never client text.
  using Fields = std::initializer_list<std::pair<std::string_view, std::string_view>>;
  void event(std::string_view name, Fields fields = {}) const;

  // The lines request() and event() write, for tests.
  std::string format_request(std::string_view method, const Response& res,
                             std::chrono::microseconds latency,
                             std::chrono::system_clock::time_point now) const;
  std::string format_event(std::string_view name, Fields fields,
                           std::chrono::system_clock::time_point now) const;

 private:
  void write(std::string_view line) const;
  LogFormat format_;
  Sink sink_;
  std::shared_ptr<std::mutex> sink_mutex_ = std::make_shared<std::mutex>();
};

// "2025-01-31T12:34:56.789Z"
std::string utc_timestamp(std::chrono::system_clock::time_point t);

}  // namespace signpost::server
