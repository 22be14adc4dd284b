#include "metrics.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include <fmt/format.h>

namespace signpost::server {
namespace {

// Label values come from the pack (name, version, hash): escape them as the text format requires.
std::string label_value(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') { out += "\\n"; continue; }
    out += c;
  }
  return out;
}

}  // namespace

std::size_t ServerMetrics::status_slot(int status) noexcept {
  for (std::size_t i = 0; i < statuses.size(); ++i)
    if (statuses[i] == status) return i;
  return statuses.size();
}

void ServerMetrics::observe(Route route, int status, std::chrono::microseconds latency) noexcept {
  const auto r = static_cast<std::size_t>(route);
  requests_[r][status_slot(status)].fetch_add(1, std::memory_order_relaxed);
  const auto us = static_cast<std::uint64_t>(latency.count() < 0 ? 0 : latency.count());
  std::size_t b = 0;
  while (b < buckets_us.size() && us > buckets_us[b]) ++b;
  histogram_[r][b].fetch_add(1, std::memory_order_relaxed);
  latency_sum_us_[r].fetch_add(us, std::memory_order_relaxed);
}

std::uint64_t ServerMetrics::requests(Route route, int status) const noexcept {
  return requests_[static_cast<std::size_t>(route)][status_slot(status)].load(std::memory_order_relaxed);
}

std::string ServerMetrics::to_prometheus(const PackInfo& pack, std::int64_t loaded_at_unix) const {
  std::string out;
  auto it = std::back_inserter(out);

  fmt::format_to(it, "# HELP signpost_server_requests_total HTTP requests answered, by route template and status.\n"
                     "# TYPE signpost_server_requests_total counter\n");
  for (std::size_t r = 0; r < route_count; ++r)
    for (std::size_t s = 0; s < status_slots; ++s) {
      const std::uint64_t n = requests_[r][s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      const std::string status = s < statuses.size() ? std::to_string(statuses[s]) : "other";
      fmt::format_to(it, "signpost_server_requests_total{{route=\"{}\",status=\"{}\"}} {}\n",
                     route_template(static_cast<Route>(r)), status, n);
    }

  fmt::format_to(it, "# HELP signpost_server_request_duration_seconds Time from the end of a request's header to "
                     "its response being ready, by route template.\n"
                     "# TYPE signpost_server_request_duration_seconds histogram\n");
  for (std::size_t r = 0; r < route_count; ++r) {
    std::uint64_t cumulative = 0;
    std::array<std::uint64_t, buckets_us.size() + 1> counts{};
    for (std::size_t b = 0; b <= buckets_us.size(); ++b) counts[b] = histogram_[r][b].load(std::memory_order_relaxed);
    std::uint64_t total = 0;
    for (auto c : counts) total += c;
    if (total == 0) continue;
    const std::string_view route = route_template(static_cast<Route>(r));
    for (std::size_t b = 0; b < buckets_us.size(); ++b) {
      cumulative += counts[b];
      fmt::format_to(it, "signpost_server_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", route,
                     static_cast<double>(buckets_us[b]) / 1e6, cumulative);
    }
    cumulative += counts[buckets_us.size()];
    fmt::format_to(it, "signpost_server_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", route,
                   cumulative);
    fmt::format_to(it, "signpost_server_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route,
                   static_cast<double>(latency_sum_us_[r].load(std::memory_order_relaxed)) / 1e6);
    fmt::format_to(it, "signpost_server_request_duration_seconds_count{{route=\"{}\"}} {}\n", route, cumulative);
  }

  fmt::format_to(it,
                 "# HELP signpost_server_connections_active Connections open now.\n"
                 "# TYPE signpost_server_connections_active gauge\n"
                 "signpost_server_connections_active {}\n"
                 "# HELP signpost_server_connections_accepted_total Connections accepted and served.\n"
                 "# TYPE signpost_server_connections_accepted_total counter\n"
                 "signpost_server_connections_accepted_total {}\n"
                 "# HELP signpost_server_connections_rejected_total Connections answered 503 because the "
                 "server was at its connection limit.\n"
                 "# TYPE signpost_server_connections_rejected_total counter\n"
                 "signpost_server_connections_rejected_total {}\n"
                 "# HELP signpost_server_connections_evicted_total Idle connections closed to make room for "
                 "a new one at the connection limit.\n"
                 "# TYPE signpost_server_connections_evicted_total counter\n"
                 "signpost_server_connections_evicted_total {}\n"
                 "# HELP signpost_server_connections_timed_out_total Connections dropped because a request "
                 "did not arrive in full in time.\n"
                 "# TYPE signpost_server_connections_timed_out_total counter\n"
                 "signpost_server_connections_timed_out_total {}\n",
                 active_.load(std::memory_order_relaxed), accepted_.load(std::memory_order_relaxed),
                 rejected_.load(std::memory_order_relaxed), evicted_.load(std::memory_order_relaxed),
                 timed_out_.load(std::memory_order_relaxed));

  fmt::format_to(it,
                 "# HELP signpost_server_reloads_total Pack reloads (admin or SIGHUP), by outcome.\n"
                 "# TYPE signpost_server_reloads_total counter\n"
                 "signpost_server_reloads_total{{outcome=\"success\"}} {}\n"
                 "signpost_server_reloads_total{{outcome=\"failure\"}} {}\n",
                 reload_ok_.load(std::memory_order_relaxed), reload_failed_.load(std::memory_order_relaxed));

  fmt::format_to(it,
                 "# HELP signpost_server_pack_info The pack being served (always 1).\n"
                 "# TYPE signpost_server_pack_info gauge\n"
                 "signpost_server_pack_info{{pack=\"{}\",version=\"{}\",hash=\"{}\"}} 1\n"
                 "# HELP signpost_server_pack_loaded_timestamp_seconds When the pack being served was loaded.\n"
                 "# TYPE signpost_server_pack_loaded_timestamp_seconds gauge\n"
                 "signpost_server_pack_loaded_timestamp_seconds {}\n",
                 label_value(pack.name), label_value(pack.version), label_value(pack.hash), loaded_at_unix);
  return out;
}

// ---- --metrics-out ---------------------------------------------------------------------------

void write_file_atomically(const std::filesystem::path& file, std::string_view content) {
  const auto fail = [&](std::string_view what) {
    throw std::runtime_error(fmt::format("cannot {} {}: {}", what, file.string(), std::strerror(errno)));
  };
  std::filesystem::path temp = file;
  temp.replace_filename(fmt::format(".{}.tmp-{}", file.filename().string(), ::getpid()));
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("write");
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int saved = errno;
      ::close(fd);
      ::unlink(temp.c_str());
      errno = saved;
      fail("write");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int saved = errno;
    ::unlink(temp.c_str());
    errno = saved;
    fail("write");
  }
  if (::rename(temp.c_str(), file.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temp.c_str());
    errno = saved;
    fail("replace");
  }
}

std::optional<std::filesystem::path> keep_previous_snapshot(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  MetricsSnapshot previous;
  try {
    if (in.bad()) throw std::runtime_error("unreadable");
    previous = MetricsSnapshot::from_json(text);
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("--metrics-out {} exists and is not a signpost metrics snapshot ({}); "
                                         "move it away or choose another file",
                                         file.string(), e.what()));
  }
  const std::string stem = file.stem().string(), ext = file.extension().string();
  std::filesystem::path kept;
  for (int n = 1;; ++n) {
    kept = file;
    kept.replace_filename(n == 1 ? fmt::format("{}.{}-{}{}", stem, previous.period_start, previous.period_end, ext)
                                 : fmt::format("{}.{}-{}.{}{}", stem, previous.period_start, previous.period_end, n, ext));
    if (!std::filesystem::exists(kept, ec)) break;
  }
  std::filesystem::rename(file, kept, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot keep the earlier snapshot {}: {}", file.string(), ec.message()));
  return kept;
}

SnapshotWriter::SnapshotWriter(std::filesystem::path file, std::chrono::seconds interval, Source source,
                               OnError on_error)
    : file_(std::move(file)), interval_(interval), source_(std::move(source)), on_error_(std::move(on_error)) {
  thread_ = std::thread([this] { run(); });
}

SnapshotWriter::~SnapshotWriter() { stop(); }

bool SnapshotWriter::write() {
  std::lock_guard lock(write_mutex_);
  try {
    write_file_atomically(file_, source_().to_json());
    return true;
  } catch (const std::exception& e) {
    on_error_(e.what());
    return false;
  }
}

void SnapshotWriter::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) break;
    lock.unlock();
    write();
    lock.lock();
  }
}

void SnapshotWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  write();
}

}  // namespace signpost::server
