#include "metrics.hpp"

#include <iterator>

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
                 "# HELP signpost_server_connections_timed_out_total Connections dropped because a request "
                 "did not arrive in full in time.\n"
                 "# TYPE signpost_server_connections_timed_out_total counter\n"
                 "signpost_server_connections_timed_out_total {}\n",
                 active_.load(std::memory_order_relaxed), accepted_.load(std::memory_order_relaxed),
                 rejected_.load(std::memory_order_relaxed), timed_out_.load(std::memory_order_relaxed));

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

}  // namespace signpost::server
