// metrics.hpp: the server's own counters (requests, latency, connections, reloads).
//
// Decision, impression and click counts come from the library's signpost::MetricsRecorder; this
// class counts what only the server sees. Every label is a route template, a status code or an id
// from the pack: never a path, a query or anything else a client sent.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <signpost/types.hpp>

#include "http.hpp"

namespace signpost::server {

class ServerMetrics {
 public:
  // Status codes counted under their own label; any other goes under "other".
  static constexpr std::array<int, 15> statuses = {200, 204, 302, 400, 401, 403, 404, 405,
                                                   411, 413, 415, 431, 500, 501, 503};
  // Upper bounds of the latency histogram, in microseconds (+Inf is implied).
  static constexpr std::array<std::uint64_t, 13> buckets_us = {
      50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 1000000};

  // One request answered: counts it under its route template and status, and its latency.
  void observe(Route route, int status, std::chrono::microseconds latency) noexcept;

  void connection_opened() noexcept { active_.fetch_add(1, std::memory_order_relaxed);
                                      accepted_.fetch_add(1, std::memory_order_relaxed); }
  void connection_closed() noexcept { active_.fetch_sub(1, std::memory_order_relaxed); }
  void connection_rejected() noexcept { rejected_.fetch_add(1, std::memory_order_relaxed); }
  // A client that did not finish sending a request in time (limits::header_timeout, body_timeout).
  void connection_timed_out() noexcept { timed_out_.fetch_add(1, std::memory_order_relaxed); }
  void reload(bool ok) noexcept { (ok ? reload_ok_ : reload_failed_).fetch_add(1, std::memory_order_relaxed); }

  // Prometheus text: signpost_server_requests_total{route,method?,status},
  // signpost_server_request_duration_seconds (histogram by route), connections, reloads, and
  // signpost_server_pack_info{pack,version,hash} 1 for the pack being served.
  std::string to_prometheus(const PackInfo& pack, std::int64_t loaded_at_unix) const;

  std::uint64_t requests(Route route, int status) const noexcept;

 private:
  static constexpr std::size_t status_slots = statuses.size() + 1;
  static std::size_t status_slot(int status) noexcept;

  std::array<std::array<std::atomic<std::uint64_t>, status_slots>, route_count> requests_{};
  std::array<std::array<std::atomic<std::uint64_t>, buckets_us.size() + 1>, route_count> histogram_{};
  std::array<std::atomic<std::uint64_t>, route_count> latency_sum_us_{};
  std::atomic<std::int64_t> active_{0};
  std::atomic<std::uint64_t> accepted_{0}, rejected_{0}, timed_out_{0}, reload_ok_{0}, reload_failed_{0};
};

}  // namespace signpost::server
