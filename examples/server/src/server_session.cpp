// server_session.cpp: one HTTP/1.1 connection, in the shape of Beast's advanced_server example.
//
// The only file that includes Beast's HTTP parser. A session reads one request at a time on the
// thread of its io_context (server_hub.hpp), hands the parsed request to handle() (router.hpp),
// and queues the response; a bounded queue lets a client pipeline without making the server buffer
// without end. Every limit is in limits.hpp.
//
// Responses are serialized by hand into one buffer (serialize(), framing.hpp); Beast parses
// requests and owns the stream and its timeouts.
//
// Reading a request is split in two so the raw header block can be checked before Beast parses it
// (framing.hpp): the session reads until the blank line that ends the header (at most
// limits::header_bytes, within limits::header_timeout), checks the bytes, feeds them to a Beast
// parser, then lets Beast read the body (at most limits::body_bytes).
#include <algorithm>
#include <array>
#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <fmt/format.h>

#include "framing.hpp"
#include "limits.hpp"
#include "router.hpp"
#include "server_hub.hpp"

namespace signpost::server::detail {

namespace beast = boost::beast;
namespace http = beast::http;

// Beast's HTTP/1 request parser, writing what it parses straight into a Request the session keeps
// from one request to the next: no field list, and no allocation per request once that Request's
// strings have grown (a new parser per request is cheap: the header block is fed in one piece, so
// the parser never buffers). Semantics are those of http::request_parser<http::string_body>.
class RequestParser : public http::basic_parser<true> {
 public:
  explicit RequestParser(Request& into) : req_(into) {
    req_.method.clear();
    req_.target.clear();
    req_.body.clear();
  }

  // The first Expect field's value ("" when none).
  std::string_view expect() const noexcept {
    return expect_ < req_.headers.size() ? std::string_view(req_.headers[expect_].value) : std::string_view{};
  }

 private:
  void on_request_impl(http::verb, beast::string_view method, beast::string_view target, int version,
                       beast::error_code&) override {
    req_.method.assign(method.data(), method.size());
    req_.target.assign(target.data(), target.size());
    req_.version = static_cast<unsigned>(version);
  }
  void on_response_impl(int, beast::string_view, int, beast::error_code&) override {}  // never called: a request parser
  void on_field_impl(http::field name, beast::string_view name_string, beast::string_view value,
                     beast::error_code&) override {
    // Reuse the strings of the previous request's headers (their capacity) where there are some.
    if (fields_ < req_.headers.size()) {
      req_.headers[fields_].name.assign(name_string.data(), name_string.size());
      req_.headers[fields_].value.assign(value.data(), value.size());
    } else {
      req_.headers.push_back(
          {std::string(name_string.data(), name_string.size()), std::string(value.data(), value.size())});
    }
    ++fields_;
    if (name == http::field::expect && expect_ == none) expect_ = fields_ - 1;
  }
  void on_header_impl(beast::error_code&) override { req_.headers.resize(fields_); }
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, beast::error_code&) override {
    if (length) req_.body.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(*length, limits::body_bytes)));
  }
  std::size_t on_body_impl(beast::string_view body, beast::error_code&) override {
    req_.body.append(body.data(), body.size());
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view body, beast::error_code&) override {
    req_.body.append(body.data(), body.size());
    return body.size();
  }
  void on_finish_impl(beast::error_code&) override {}

  Request& req_;
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  std::size_t fields_ = 0;
  std::size_t expect_ = none;  // index into req_.headers
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Hub& hub, Listener which)
      : stream_(std::move(socket)), buffer_(limits::header_bytes + limits::body_bytes + 2 * limits::read_chunk),
        hub_(hub), listener_(which) {}

  ~Session() {
    hub_.app.server_metrics().connection_closed();
    hub_.remove(this, listener_);
  }

  Listener listener() const noexcept { return listener_; }

  // When this connection started waiting for a request with nothing queued, in steady-clock ticks;
  // 0 while it is busy. Read by Hub::evict_idle from another thread; claimed (set to 0) there.
  std::atomic<Clock::rep> idle_since{0};

  // Closes the connection if it is still waiting for a request with nothing to write.
  void evict() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->reading_ || !self->idle_ || self->writing_ || !self->queue_.empty() || self->closed_) return;
      beast::error_code ec;
      if (self->stream_.socket().available(ec) > 0 || ec) return;  // a request is arriving after all
      self->hub_.app.server_metrics().connection_evicted();
      self->drop();
    });
  }

  void start() {
    hub_.app.server_metrics().connection_opened();
    hub_.add(this, shared_from_this(), listener_);
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::maybe_read, shared_from_this()));
  }

  // Graceful stop: requests in flight finish and are answered (with Connection: close); a
  // connection idle between requests is closed now.
  void stop() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->stopping_ = true;
      if (self->reading_ && self->idle_ && !self->writing_ && self->queue_.empty()) self->stream_.cancel();
      else if (!self->reading_ && !self->handling_ && !self->writing_ && self->queue_.empty()) self->close();
    });
  }

 private:
  struct Outgoing {
    std::string wire;  // status line, header and body, serialized once
    bool close = false;
  };

  // Starts reading the next request, unless the connection is closing, a request is being
  // handled, or the response queue is full (then on_write resumes reading).
  void maybe_read() {
    if (reading_ || handling_ || close_after_ || closed_ || peer_done_) return;
    if (queue_.size() >= limits::pipeline_queue) return;
    if (stopping_ && buffer_.size() == 0) {
      if (!writing_ && queue_.empty()) close();
      return;
    }
    reading_ = true;
    scanned_ = 0;
    method_.clear();
    idle_ = buffer_.size() == 0;
    // A new connection has until the header timeout to send its first request; only a connection
    // that has been answered may then sit idle for the (longer) keep-alive timeout.
    stream_.expires_after(idle_ && answered_ ? limits::idle_timeout : limits::header_timeout);
    mark_idle(idle_ && !writing_ && queue_.empty());
    scan_header();
  }

  std::string_view buffered() const {
    return {static_cast<const char*>(buffer_.data().data()), buffer_.size()};
  }

  void scan_header() {
    // Empty lines before a request line are ignored (RFC 9112, section 2.2).
    std::string_view data = buffered();
    std::size_t skip = 0;
    while (skip + 1 < data.size() && data[skip] == '\r' && data[skip + 1] == '\n') skip += 2;
    if (skip) {
      buffer_.consume(skip);
      data = buffered();
      scanned_ = 0;
    }
    if (!data.empty() && idle_) {
      // The first byte of a request starts its header deadline, which does not restart per read.
      idle_ = false;
      mark_idle(false);
      stream_.expires_after(limits::header_timeout);
    }
    const std::size_t from = scanned_ > 3 ? scanned_ - 3 : 0;
    const std::size_t end = data.find("\r\n\r\n", from);
    if (end != std::string_view::npos) {
      if (end + 4 > limits::header_bytes) return reject(431, "the request header is too large");
      return on_header_block(end + 4);
    }
    if (data.size() > limits::header_bytes) return reject(431, "the request header is too large");
    scanned_ = data.size();
    stream_.async_read_some(buffer_.prepare(limits::read_chunk),
                            beast::bind_front_handler(&Session::on_read_some, shared_from_this()));
  }

  void on_read_some(beast::error_code ec, std::size_t n) {
    if (ec) {
      reading_ = false;
      mark_idle(false);
      if (ec == net::error::eof) return finish();
      if (ec == beast::error::timeout && !idle_) hub_.app.server_metrics().connection_timed_out();
      return drop();
    }
    buffer_.commit(n);
    scan_header();
  }

  void on_header_block(std::size_t length) {
    started_ = Clock::now();
    const std::string_view block = buffered().substr(0, length);
    method_ = block.substr(0, std::min<std::size_t>(block.find(' '), 16));
    if (auto bad = check_header_block(block)) return reject(bad->status, bad->message);

    parser_.emplace(req_);
    parser_->header_limit(static_cast<std::uint32_t>(limits::header_bytes));
    parser_->body_limit(limits::body_bytes);
    beast::error_code ec;
    const std::size_t used = parser_->put(net::buffer(block.data(), block.size()), ec);
    if (ec == http::error::body_limit)
      return reject(413, fmt::format("the body is larger than {} bytes", limits::body_bytes));
    if (ec == http::error::header_limit) return reject(431, "the request header is too large");
    if (ec || !parser_->is_header_done() || used != length) return reject(400, "malformed request");
    buffer_.consume(used);
    version_ = req_.version;
    keep_alive_ = parser_->keep_alive();
    if (parser_->is_done()) return on_request();

    // Usually the body came in with the header: parse it from the buffer without another read.
    parser_->eager(true);
    while (!parser_->is_done() && buffer_.size() > 0) {
      const std::size_t n = parser_->put(buffer_.data(), ec);
      if (ec == http::error::need_more) {
        ec = {};
        break;
      }
      if (ec) return on_read_body(ec, 0);
      buffer_.consume(n);
      if (n == 0) break;
    }
    if (parser_->is_done()) return on_request();

    stream_.expires_after(limits::body_timeout);
    const std::string_view expect = parser_->expect();
    if (!expect.empty() && buffer_.size() == 0 && !writing_ && queue_.empty() && beast::iequals(expect, "100-continue")) {
      // The client waits for this before sending its body.
      static constexpr std::string_view interim = "HTTP/1.1 100 Continue\r\n\r\n";
      writing_ = true;
      net::async_write(stream_, net::buffer(interim.data(), interim.size()),
                       [self = shared_from_this()](beast::error_code wec, std::size_t) {
                         self->writing_ = false;
                         if (wec) { self->reading_ = false; return self->drop(); }
                         self->read_body();
                       });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read_body, shared_from_this()));
  }

  void on_read_body(beast::error_code ec, std::size_t) {
    if (ec == http::error::body_limit)
      return reject(413, fmt::format("the body is larger than {} bytes", limits::body_bytes));
    if (ec == beast::error::timeout) hub_.app.server_metrics().connection_timed_out();
    if (ec == http::error::end_of_stream || ec == net::error::eof) {
      reading_ = false;
      parser_.reset();
      return finish();  // no request after all: answer those before it, then close
    }
    if (ec == beast::error::timeout || ec == net::error::operation_aborted || ec == net::error::connection_reset) {
      reading_ = false;
      return drop();
    }
    if (ec) return reject(400, "malformed request body");
    on_request();
  }

  void on_request() {
    reading_ = false;
    parser_.reset();
    req_.listener = listener_;

    if (listener_ == Listener::admin) {
      // Admin requests may reload the pack: run them on the blocking pool (on a copy of the
      // request), answer on the connection's io_context.
      handling_ = true;
      net::post(hub_.blocking, [self = shared_from_this(), req = req_]() mutable {
        Response res = handle(req, self->hub_.app);
        net::post(self->stream_.get_executor(), [self, res = std::move(res)]() mutable {
          self->handling_ = false;
          self->enqueue(std::move(res));
        });
      });
      release_large_body();
      return;
    }
    Response res = handle(req_, hub_.app);
    release_large_body();
    enqueue(std::move(res));
  }

  // A large body is not kept for the next request: an idle connection holds little memory.
  void release_large_body() {
    if (req_.body.capacity() > limits::reused_wire_bytes) std::string().swap(req_.body);
  }

  // An answer to a request that could not be read in full: the connection closes after it.
  void reject(int status, std::string_view message) {
    reading_ = false;
    if (method_.empty()) {
      const std::string_view data = buffered();
      method_ = data.substr(0, std::min<std::size_t>(data.find(' '), 16));
    }
    parser_.reset();
    if (started_ == Clock::time_point{}) started_ = Clock::now();
    Response res = error_response(status, message);
    res.close = true;
    enqueue(std::move(res));
  }

  void enqueue(Response res) {
    const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_);
    started_ = {};
    hub_.app.record_request(method_, res, latency);

    const bool keep = keep_alive_ && !res.close && !stopping_ && !hub_.stopping.load(std::memory_order_relaxed);
    Outgoing out;
    out.wire = std::move(spare_);  // the buffer of the last response written, when there is one
    serialize(res, version_, keep, out.wire);
    out.close = !keep;
    if (out.close) close_after_ = true;
    queue_.push_back(std::move(out));
    answered_ = true;
    version_ = 11;
    keep_alive_ = true;
    if (!writing_) do_write();
    maybe_read();
  }

  void do_write() {
    writing_ = true;
    stream_.expires_after(limits::write_timeout);
    const std::string& wire = queue_.front().wire;
    net::async_write(stream_, net::buffer(wire.data(), wire.size()),
                     beast::bind_front_handler(&Session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    writing_ = false;
    if (ec) return drop();
    const bool close_now = queue_.front().close;
    // Keep the written buffer for the next response (not a large one: a connection that once
    // fetched /metrics or a page should not hold that much memory while idle).
    if (queue_.front().wire.capacity() <= limits::reused_wire_bytes) spare_ = std::move(queue_.front().wire);
    queue_.pop_front();
    if (close_now) return close();
    if (!queue_.empty()) return do_write();
    if (peer_done_ && !handling_) return close();
    if (stopping_ && reading_ && idle_) {
      stream_.cancel();  // shutting down: no new request on this connection
      return;
    }
    if (reading_ && idle_) mark_idle(true);
    maybe_read();
  }

  // The client half-closed its side (it has sent everything it will): the requests already read
  // are still answered, in order, and the connection closes after the last response.
  void finish() {
    peer_done_ = true;
    if (!writing_ && queue_.empty() && !handling_) close();
  }

  void mark_idle(bool idle) noexcept {
    idle_since.store(idle ? std::max<Clock::rep>(1, Clock::now().time_since_epoch().count()) : 0,
                     std::memory_order_relaxed);
  }

  // Closes after the last response: half-close, then read and discard what the client still sends
  // (briefly) so it gets the response rather than a reset.
  void close() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return;
    stream_.expires_after(limits::linger_timeout);
    linger();
  }

  void linger() {
    stream_.async_read_some(net::buffer(linger_buf_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->lingered_ += n;
                              if (ec || self->lingered_ > limits::linger_bytes) return self->drop();
                              self->linger();
                            });
  }

  // Ends the connection at once (timeouts, errors, the client went away).
  void drop() {
    closed_ = true;
    mark_idle(false);
    beast::error_code ec;
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  Hub& hub_;
  Listener listener_;
  Request req_;  // the request being read (RequestParser writes it), reused by the next one
  std::optional<RequestParser> parser_;
  std::string spare_;  // a written response's buffer, reused by the next response
  std::deque<Outgoing> queue_;
  std::string method_;
  Clock::time_point started_{};
  unsigned version_ = 11;
  bool keep_alive_ = true;
  std::size_t scanned_ = 0;
  bool reading_ = false, idle_ = true, handling_ = false, writing_ = false;
  bool close_after_ = false, stopping_ = false, closed_ = false;
  bool answered_ = false;   // at least one response queued on this connection
  bool peer_done_ = false;  // the client half-closed; close once the queue is written
  std::size_t lingered_ = 0;
  std::array<char, 4096> linger_buf_{};
};

void Hub::add(Session* s, const std::shared_ptr<Session>& p, Listener which) {
  std::lock_guard lock(mutex_);
  sessions_.emplace(s, p);
  (which == Listener::admin ? admin_open : main_open).fetch_add(1, std::memory_order_relaxed);
  if (stopping.load()) p->stop();
}

void Hub::remove(Session* s, Listener which) {
  std::lock_guard lock(mutex_);
  if (sessions_.erase(s)) (which == Listener::admin ? admin_open : main_open).fetch_sub(1, std::memory_order_relaxed);
  if (stopping.load()) check_drained();
}

bool Hub::evict_idle(Listener which) {
  std::shared_ptr<Session> victim;
  {
    std::lock_guard lock(mutex_);
    Session* oldest = nullptr;
    const Clock::rep latest = (Clock::now() - limits::evict_idle_after).time_since_epoch().count();
    Clock::rep since = 0;
    for (auto& [raw, weak] : sessions_) {
      const Clock::rep t = raw->idle_since.load(std::memory_order_relaxed);
      if (t != 0 && t <= latest && raw->listener() == which && (!oldest || t < since)) {
        oldest = raw;
        since = t;
      }
    }
    // Claim it so that two accepts never pick the same connection.
    if (oldest && oldest->idle_since.exchange(0, std::memory_order_relaxed) != 0) victim = sessions_[oldest].lock();
  }
  if (!victim) return false;
  victim->evict();
  return true;
}

void Hub::stop_sessions() {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(mutex_);
    for (auto& [raw, weak] : sessions_)
      if (auto p = weak.lock()) live.push_back(std::move(p));
    check_drained();
  }
  for (auto& p : live) p->stop();
}

void Hub::check_drained() {
  if (sessions_.empty() && !finished.load()) net::post(ioc, [this] { shutdown_timer.cancel(); });
}

void start_session(tcp::socket&& socket, Hub& hub, Listener which) {
  std::make_shared<Session>(std::move(socket), hub, which)->start();
}

}  // namespace signpost::server::detail
