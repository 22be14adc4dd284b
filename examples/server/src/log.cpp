#include "log.hpp"

#include <cstdio>
#include <ctime>

#include <fmt/format.h>

#include <signpost/json.hpp>

namespace signpost::server {

std::string utc_timestamp(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
}

Logger::Logger(LogFormat format, Sink sink) : format_(format), sink_(std::move(sink)) {}

void Logger::write(std::string_view line) const {
  if (sink_) {
    std::lock_guard lock(*sink_mutex_);
    sink_(line);
    return;
  }
  // One fwrite per line: stdio locks the stream, so lines from different threads never interleave.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

std::string Logger::format_request(std::string_view method, const Response& res, std::chrono::microseconds latency,
                                   std::chrono::system_clock::time_point now) const {
  std::string line;
  const std::string_view m = method_label(method);
  const std::string_view route = route_template(res.route);
  if (format_ == LogFormat::json) {
    line = fmt::format(R"({{"time":"{}","method":"{}","route":"{}","status":{},"latency_us":{})", utc_timestamp(now),
                       m, route, res.status, latency.count());
    if (!res.action.empty()) { line += ",\"action\":"; append_json_string(line, res.action); }
    if (!res.category.empty()) { line += ",\"category\":"; append_json_string(line, res.category); }
    if (!res.card.empty()) { line += ",\"card\":"; append_json_string(line, res.card); }
    line += "}\n";
  } else {
    line = fmt::format("{} method={} route={} status={} latency_us={}", utc_timestamp(now), m, route, res.status,
                       latency.count());
    if (!res.action.empty()) line += fmt::format(" action={}", res.action);
    if (!res.category.empty()) line += fmt::format(" category={}", res.category);
    if (!res.card.empty()) line += fmt::format(" card={}", res.card);
    line += '\n';
  }
  return line;
}

void Logger::request(std::string_view method, const Response& res, std::chrono::microseconds latency) const {
  if (format_ == LogFormat::off) return;
  write(format_request(method, res, latency, std::chrono::system_clock::now()));
}

std::string Logger::format_event(std::string_view name, Fields fields,
                                 std::chrono::system_clock::time_point now) const {
  std::string line;
  if (format_ == LogFormat::json) {
    line = fmt::format(R"({{"time":"{}","event":)", utc_timestamp(now));
    append_json_string(line, name);
    for (const auto& [k, v] : fields) {
      line += ',';
      append_json_string(line, k);
      line += ':';
      append_json_string(line, v);
    }
    line += "}\n";
  } else {
    line = fmt::format("{} event={}", utc_timestamp(now), name);
    for (const auto& [k, v] : fields) {
      const bool quote = v.empty() || v.find_first_of(" \"=") != std::string_view::npos;
      if (!quote) {
        line += fmt::format(" {}={}", k, v);
        continue;
      }
      line += fmt::format(" {}=\"", k);
      for (char c : v) {
        if (c == '"' || c == '\\') line += '\\';
        line += c == '\n' ? ' ' : c;
      }
      line += '"';
    }
    line += '\n';
  }
  return line;
}

void Logger::event(std::string_view name, Fields fields) const {
  // Lifecycle events are written even with --log-format off (there are few, and they say where
  // the server listens and whether a reload worked); off then means text.
  if (format_ == LogFormat::off) {
    Logger text(LogFormat::text, sink_);
    text.sink_mutex_ = sink_mutex_;  // the same sink, so the same order
    text.write(text.format_event(name, fields, std::chrono::system_clock::now()));
    return;
  }
  write(format_event(name, fields, std::chrono::system_clock::now()));
}

}  // namespace signpost::server
