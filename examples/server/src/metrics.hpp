// metrics.hpp: the server's own counters (requests, latency, connections, reloads).
//
// Decision, impression and click counts come from the library's signpost::MetricsRecorder; this
// class counts what only the server sees. Every label is a route template, a status code or an id
// from the pack: never a path, a query or anything else a client sent.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include <signpost/measure.hpp>
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
  // An idle connection closed to make room for a new one at the connection limit.
  void connection_evicted() noexcept { evicted_.fetch_add(1, std::memory_order_relaxed); }
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
  std::atomic<std::uint64_t> accepted_{0}, rejected_{0}, evicted_{0}, timed_out_{0}, reload_ok_{0}, reload_failed_{0};
};

// ---- --metrics-out ---------------------------------------------------------------------------

// Writes `content` to `file` so that a reader sees the old file or the new one, never a part: a
// temporary file in the same folder, written and flushed to disk, then renamed over `file`.
// Throws std::runtime_error naming the file and the system's reason.
void write_file_atomically(const std::filesystem::path& file, std::string_view content);

// Before a run writes `file`: a snapshot left there by an earlier run is kept by renaming it to
// STEM.START-END.EXT (its period, Unix seconds) so the new run cannot overwrite its counts; the
// new name is returned. Nothing there: nullopt. Throws std::runtime_error when `file` exists but is
// not a signpost metrics snapshot (it is left alone) or cannot be renamed.
std::optional<std::filesystem::path> keep_previous_snapshot(const std::filesystem::path& file);

// Writes the server's snapshot (the counts since it started) to a file every `interval`, on its
// own thread, and once more on stop(). The file is replaced atomically each time, so
// `signpost report FILE` can read it at any moment.
class SnapshotWriter {
 public:
  using Source = std::function<MetricsSnapshot()>;
  using OnError = std::function<void(const std::string& message)>;

  SnapshotWriter(std::filesystem::path file, std::chrono::seconds interval, Source source, OnError on_error);
  ~SnapshotWriter();  // stop()
  SnapshotWriter(const SnapshotWriter&) = delete;
  SnapshotWriter& operator=(const SnapshotWriter&) = delete;

  // Writes once now; false (and on_error called) when the file cannot be written.
  bool write();
  // Ends the thread, then writes the final snapshot. Idempotent.
  void stop();

 private:
  void run();

  std::filesystem::path file_;
  std::chrono::seconds interval_;
  Source source_;
  OnError on_error_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::mutex write_mutex_;
  std::thread thread_;
};

}  // namespace signpost::server
