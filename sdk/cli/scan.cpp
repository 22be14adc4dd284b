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
#include <fmt/format.h>

#include <signpost/tools/scan.hpp>

namespace signpost_cli {
namespace {

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
  signpost::tools::ScanItem item;
  std::string decision;
};

// Judges one input line and appends its output line (with the newline) to `out`. Returns false
// when the line is an error. The line is read by signpost::tools::read_scan_line.
bool scan_line(std::string_view line, std::size_t line_no, const signpost::Engine& engine, const ScanOptions& opt,
               signpost::MetricsRecorder* metrics, Scratch& s, std::string& out) {
  signpost::tools::ScanItem& item = s.item;
  signpost::tools::read_scan_line(line, item);
  signpost::tools::check_scan_item(item);
  if (!item.error.empty()) {
    out += error_line(item.id, line_no, item.error);
    out += '\n';
    return false;
  }
  const signpost::Query q{item.text, item.locale ? std::string_view(*item.locale) : std::string_view(opt.default_locale),
                          item.mode ? *item.mode : opt.mode,
                          item.subject ? std::string_view(*item.subject) : std::string_view()};
  const signpost::Decision d = engine.evaluate(q);
  if (metrics) metrics->record(d);
  s.decision.clear();
  signpost::append_json(s.decision, d, engine.pack());
  if (!item.id.empty()) {
    out += "{\"id\":";
    out += item.id;
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
  std::uintmax_t bytes = 0;  // of the lines, newlines included
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
  b.bytes = 0;
  b.first_line_no = line_no + 1;
  std::string line;
  while (b.lines.size() < max && std::getline(in, line)) {
    ++line_no;
    b.bytes += line.size() + 1;
    b.lines.push_back(std::move(line));
  }
  return !b.lines.empty();
}

}  // namespace

ScanTotals scan_stream(std::istream& in, std::ostream& out, const signpost::Engine& engine, const ScanOptions& opt,
                       signpost::MetricsRecorder* metrics, const std::function<void(const ScanTotals&)>& tick) {
  ScanTotals totals;
  std::size_t line_no = 0;
  const std::size_t batch = opt.batch > 0 ? opt.batch : 1;
  auto write = [&](const Batch& b) {
    out.write(b.out.data(), static_cast<std::streamsize>(b.out.size()));
    totals.lines += b.lines.size();
    totals.errors += b.errors;
    totals.bytes += b.bytes;
    if (tick) tick(totals);
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
