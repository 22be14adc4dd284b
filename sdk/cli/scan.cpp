// cli/scan.cpp: `signpost scan`, one line at a time and in batches on a thread pool (see scan.hpp).
#include "scan.hpp"

#include <deque>
#include <future>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>

namespace signpost_cli {
namespace {

namespace json = boost::json;

std::string error_line(const std::string& id_raw, std::size_t line_no, const std::string& message) {
  std::string out = "{\"id\":";
  out += id_raw.empty() ? "null" : id_raw;
  out += ",\"action\":\"error\",\"error\":";
  signpost::append_json_string(out, fmt::format("line {}: {}", line_no, message));
  out += '}';
  return out;
}

// What one thread keeps between lines.
struct Scratch {
  json::parser parser;
  std::string decision;
};

// Judges one input line and appends its output line (with the newline) to `out`. Returns false
// when the line is an error.
bool scan_line(std::string_view line, std::size_t line_no, const signpost::Engine& engine, const ScanOptions& opt,
               signpost::MetricsRecorder* metrics, Scratch& s, std::string& out) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::string id_raw;
  std::string text_buf, locale_buf, subject_buf;
  signpost::Query q{line, opt.default_locale, opt.mode, {}};
  const std::size_t first = line.find_first_not_of(" \t");
  if (first != std::string_view::npos && line[first] == '{') {
    s.parser.reset();
    json::error_code ec;
    s.parser.write(line.data(), line.size(), ec);
    json::value v;
    if (!ec) v = s.parser.release();
    if (ec || !v.is_object()) {
      out += error_line("", line_no, "invalid JSON");
      out += '\n';
      return false;
    }
    const json::object& o = v.as_object();
    if (const auto* id = o.if_contains("id")) {
      if (id->is_string() || id->is_number()) id_raw = json::serialize(*id);
    }
    std::string problem;
    const auto* text = o.if_contains("text");
    if (!text) problem = "missing \"text\"";
    else if (!text->is_string()) problem = "\"text\" must be a string";
    auto str_field = [&](const char* key, std::string& buf) -> bool {
      const auto* f = o.if_contains(key);
      if (!f || f->is_null()) return false;
      if (!f->is_string()) {
        if (problem.empty()) problem = fmt::format("\"{}\" must be a string", key);
        return false;
      }
      buf.assign(f->as_string().data(), f->as_string().size());
      return true;
    };
    if (problem.empty()) text_buf.assign(text->as_string().data(), text->as_string().size());
    const bool has_locale = str_field("locale", locale_buf);
    const bool has_subject = str_field("subject", subject_buf);
    std::string mode_buf;
    signpost::Mode m = opt.mode;
    if (str_field("mode", mode_buf)) {
      if (auto pm = signpost::parse_mode(mode_buf)) m = *pm;
      else if (problem.empty()) problem = "\"mode\" must be \"query\" or \"post\"";
    }
    if (const auto* id = o.if_contains("id"); id && !(id->is_string() || id->is_number() || id->is_null()))
      if (problem.empty()) problem = "\"id\" must be a string or a number";
    if (!problem.empty()) {
      out += error_line(id_raw, line_no, problem);
      out += '\n';
      return false;
    }
    q = signpost::Query{text_buf, has_locale ? std::string_view(locale_buf) : std::string_view(opt.default_locale), m,
                        has_subject ? std::string_view(subject_buf) : std::string_view()};
  }
  const signpost::Decision d = engine.evaluate(q);
  if (metrics) metrics->record(d);
  s.decision.clear();
  signpost::append_json(s.decision, d, engine.pack());
  if (!id_raw.empty()) {
    out += "{\"id\":";
    out += id_raw;
    out += ',';
    out.append(s.decision, 1);
  } else {
    out += s.decision;
  }
  out += '\n';
  return true;
}

// A batch of lines and, once judged, their output.
struct Batch {
  std::vector<std::string> lines;
  std::size_t first_line_no = 0;
  std::string out;
  std::size_t errors = 0;
};

void judge(Batch& b, const signpost::Engine& engine, const ScanOptions& opt, signpost::MetricsRecorder* metrics,
           Scratch& s) {
  for (std::size_t k = 0; k < b.lines.size(); ++k)
    if (!scan_line(b.lines[k], b.first_line_no + k, engine, opt, metrics, s, b.out)) ++b.errors;
}

// Fills `b` with up to opt.batch lines; false when the input had none left.
bool read_batch(std::istream& in, Batch& b, std::size_t& line_no, std::size_t max) {
  b.lines.clear();
  b.out.clear();
  b.errors = 0;
  b.first_line_no = line_no + 1;
  std::string line;
  while (b.lines.size() < max && std::getline(in, line)) {
    ++line_no;
    b.lines.push_back(std::move(line));
  }
  return !b.lines.empty();
}

}  // namespace

ScanTotals scan_stream(std::istream& in, std::ostream& out, const signpost::Engine& engine, const ScanOptions& opt,
                       signpost::MetricsRecorder* metrics, const std::function<void(std::size_t)>& tick) {
  ScanTotals totals;
  std::size_t line_no = 0;
  const std::size_t batch = opt.batch > 0 ? opt.batch : 1;
  auto write = [&](const Batch& b) {
    out.write(b.out.data(), static_cast<std::streamsize>(b.out.size()));
    totals.lines += b.lines.size();
    totals.errors += b.errors;
    if (tick) tick(totals.lines);
  };
  if (opt.threads <= 1) {
    Batch b;
    Scratch s;
    // One line at a time, each evaluated before the next is read.
    while (read_batch(in, b, line_no, 1)) {
      judge(b, engine, opt, metrics, s);
      write(b);
    }
    out.flush();
    return totals;
  }
  // Batches go to the pool in input order; their results come back as futures in that order, and
  // the oldest is written (waiting for it if needed) before more than a few per thread are queued.
  boost::asio::thread_pool pool(opt.threads);
  std::deque<std::future<std::unique_ptr<Batch>>> pending;
  const std::size_t max_pending = 4 * static_cast<std::size_t>(opt.threads);
  auto b = std::make_unique<Batch>();
  while (read_batch(in, *b, line_no, batch)) {
    auto task = std::make_shared<std::packaged_task<std::unique_ptr<Batch>()>>(
        [bp = std::move(b), &engine, &opt, metrics]() mutable {
          thread_local Scratch s;
          judge(*bp, engine, opt, metrics, s);
          return std::move(bp);
        });
    pending.push_back(task->get_future());
    boost::asio::post(pool, [task] { (*task)(); });
    b = std::make_unique<Batch>();
    while (pending.size() >= max_pending) {
      write(*pending.front().get());
      pending.pop_front();
    }
  }
  while (!pending.empty()) {
    write(*pending.front().get());
    pending.pop_front();
  }
  pool.join();
  out.flush();
  return totals;
}

}  // namespace signpost_cli
