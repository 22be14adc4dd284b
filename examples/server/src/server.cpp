// server.cpp: listeners and sessions, in the shape of Beast's advanced_server example.
//
// The only file that includes Beast. A session reads one request at a time on its own strand,
// hands the parsed request to handle() (router.hpp), and queues the response; a bounded queue lets
// a client pipeline without making the server buffer without end. Every limit is in limits.hpp.
//
// Responses are serialized by hand into one buffer (serialize() below); Beast parses requests and
// owns the stream and its timeouts.
//
// Reading a request is split in two so the raw header block can be checked before Beast parses it
// (framing.hpp): the session reads until the blank line that ends the header (at most
// limits::header_bytes, within limits::header_timeout), checks the bytes, feeds them to a Beast
// parser, then lets Beast read the body (at most limits::body_bytes).
#include "server.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <fmt/format.h>

#include "framing.hpp"
#include "limits.hpp"
#include "router.hpp"

namespace signpost::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

class Session;

// State shared by listeners and sessions: the io_context, the pool that runs admin requests (a
// reload compiles a pack: it must not hold an I/O thread), and the set of open sessions so a
// shutdown can reach them.
class Hub {
 public:
  Hub(App& app, unsigned threads) : app(app), ioc(1), shutdown_timer(ioc) {
    // One io_context per thread, each run by that thread alone: no lock is shared between I/O
    // threads, and a thread descheduled by a busy machine stalls only its own connections.
    // Connections are dealt to the contexts in turn; each still runs on its own strand.
    for (unsigned i = 1; i < threads; ++i) extra.push_back(std::make_unique<net::io_context>(1));
    guards.emplace_back(ioc.get_executor());
    for (auto& c : extra) guards.emplace_back(c->get_executor());
  }

  // The context for the next accepted connection.
  net::io_context& next_context() {
    const std::size_t n = next.fetch_add(1, std::memory_order_relaxed) % (extra.size() + 1);
    return n == 0 ? ioc : *extra[n - 1];
  }
  // Lets every context return once its connections are done.
  void release() { guards.clear(); }
  void stop_all() {
    ioc.stop();
    for (auto& c : extra) c->stop();
  }

 private:
  // Declared before the io_context so they outlive it: destroying the io_context destroys the
  // handlers that still own sessions, and a session's destructor unregisters itself here.
  std::mutex mutex_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
  std::atomic<std::size_t> main_open{0}, admin_open{0};

 public:
  App& app;
  std::atomic<bool> finished{false};  // the io_context has stopped running
  net::io_context ioc;  // also runs the listeners, the signals and the shutdown timer
  std::vector<std::unique_ptr<net::io_context>> extra;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards;
  std::atomic<std::size_t> next{0};
  net::thread_pool blocking{1};
  net::steady_timer shutdown_timer;
  std::atomic<bool> stopping{false};

  std::size_t open(Listener which) const noexcept {
    return (which == Listener::admin ? admin_open : main_open).load(std::memory_order_relaxed);
  }
  void add(Session* s, const std::shared_ptr<Session>& p, Listener which);
  void remove(Session* s, Listener which);
  // At the connection limit: closes the connection of that listener that has been waiting longest
  // for a request (one that never sent a byte, or an idle keep-alive), so that silent connections
  // cannot lock clients out. False when every connection is busy.
  bool evict_idle(Listener which);
  // Asks every open session to finish what it is doing and close.
  void stop_sessions();

 private:
  void check_drained();  // with mutex_ held
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

    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(limits::header_bytes));
    parser_->body_limit(limits::body_bytes);
    beast::error_code ec;
    const std::size_t used = parser_->put(net::buffer(block.data(), block.size()), ec);
    if (ec == http::error::body_limit)
      return reject(413, fmt::format("the body is larger than {} bytes", limits::body_bytes));
    if (ec == http::error::header_limit) return reject(431, "the request header is too large");
    if (ec || !parser_->is_header_done() || used != length) return reject(400, "malformed request");
    buffer_.consume(used);
    version_ = parser_->get().version();
    keep_alive_ = parser_->get().keep_alive();
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
    const auto expect = parser_->get()[http::field::expect];
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
    auto msg = parser_->release();
    parser_.reset();
    Request req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    req.version = msg.version();
    req.listener = listener_;
    req.headers.reserve(8);
    for (const auto& f : msg) req.headers.push_back({std::string(f.name_string()), std::string(f.value())});
    req.body = std::move(msg.body());

    if (listener_ == Listener::admin) {
      // Admin requests may reload the pack: run them on the blocking pool, answer on the strand.
      handling_ = true;
      net::post(hub_.blocking, [self = shared_from_this(), req = std::move(req)]() mutable {
        Response res = handle(req, self->hub_.app);
        net::post(self->stream_.get_executor(), [self, res = std::move(res)]() mutable {
          self->handling_ = false;
          self->enqueue(std::move(res));
        });
      });
      return;
    }
    enqueue(handle(req, hub_.app));
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
    out.wire = serialize(res, version_, keep);
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
  std::optional<http::request_parser<http::string_body>> parser_;
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
    Clock::rep since = 0;
    for (auto& [raw, weak] : sessions_) {
      const Clock::rep t = raw->idle_since.load(std::memory_order_relaxed);
      if (t != 0 && raw->listener() == which && (!oldest || t < since)) {
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

// Answers a connection over the limit with 503 and closes it.
class Refusal : public std::enable_shared_from_this<Refusal> {
 public:
  explicit Refusal(tcp::socket&& socket) : stream_(std::move(socket)) {}
  void start() {
    static constexpr std::string_view body = "{\"error\":\"too many connections\"}\n";
    static const std::string response = fmt::format(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: {}\r\n"
        "Retry-After: 1\r\nConnection: close\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
        "\r\n{}",
        body.size(), body);
    stream_.expires_after(limits::write_timeout);
    net::async_write(stream_, net::buffer(response.data(), response.size()),
                     [self = shared_from_this()](beast::error_code, std::size_t) {
                       beast::error_code ec;
                       self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
                       self->stream_.socket().close(ec);
                     });
  }

 private:
  beast::tcp_stream stream_;
};

class Acceptor : public std::enable_shared_from_this<Acceptor> {
 public:
  Acceptor(Hub& hub, const Endpoint& where, Listener which, std::size_t max_connections)
      : hub_(hub), acceptor_(net::make_strand(hub.ioc)), retry_(acceptor_.get_executor()), which_(which),
        max_(max_connections) {
    beast::error_code ec;
    const auto address = net::ip::make_address(where.host == "localhost" ? "127.0.0.1" : where.host, ec);
    if (ec) throw std::runtime_error(fmt::format("'{}' is not an IP address", where.host));
    const tcp::endpoint endpoint(address, where.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error(fmt::format("cannot listen on {}: {}", where.to_string(), ec.message()));
    bound_ = Endpoint{where.host, acceptor_.local_endpoint().port()};
  }

  const Endpoint& bound() const noexcept { return bound_; }

  void start() { do_accept(); }

  void stop() {
    net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->stopped_ = true;
      self->retry_.cancel();
      self->acceptor_.close(ec);
    });
  }

 private:
  void do_accept() {
    if (stopped_) return;
    acceptor_.async_accept(net::make_strand(hub_.next_context()),
                           beast::bind_front_handler(&Acceptor::on_accept, shared_from_this()));
  }

  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (stopped_ || ec == net::error::operation_aborted) return;
    if (ec) {
      // Out of file descriptors or similar: back off a little instead of spinning.
      retry_.expires_after(std::chrono::milliseconds(100));
      retry_.async_wait([self = shared_from_this()](beast::error_code) { self->do_accept(); });
      return;
    }
    socket.set_option(tcp::no_delay(true), ec);
    if (hub_.open(which_) >= max_ && !hub_.evict_idle(which_)) {
      hub_.app.server_metrics().connection_rejected();
      std::make_shared<Refusal>(std::move(socket))->start();
    } else {
      std::make_shared<Session>(std::move(socket), hub_, which_)->start();
    }
    do_accept();
  }

  Hub& hub_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;
  Listener which_;
  std::size_t max_;
  Endpoint bound_;
  bool stopped_ = false;
};

}  // namespace

void run_server(App& app, const ServerConfig& config) {
  Hub hub(app, config.threads);
  std::vector<std::shared_ptr<Acceptor>> acceptors;
  acceptors.push_back(std::make_shared<Acceptor>(hub, config.listen, Listener::main, config.max_connections));
  if (config.admin)
    acceptors.push_back(std::make_shared<Acceptor>(hub, *config.admin, Listener::admin, limits::max_admin_connections));
  for (auto& a : acceptors) {
    a->start();
    const bool admin = a.get() != acceptors.front().get();
    app.logger().event("listening", {{"listener", admin ? "admin" : "main"}, {"address", a->bound().to_string()}});
  }

  net::signal_set signals(hub.ioc, SIGINT, SIGTERM);
  net::signal_set hangup(hub.ioc, SIGHUP);

  const std::function<void()> wait_hangup = [&] {
    hangup.async_wait([&](beast::error_code ec, int) {
      if (ec) return;
      // Same as POST /admin/reload: built off the I/O threads, swapped in on success.
      net::post(hub.blocking, [&app] { app.reload(); });
      wait_hangup();
    });
  };
  wait_hangup();

  signals.async_wait([&](beast::error_code ec, int signo) {
    if (ec) return;
    app.logger().event("shutdown", {{"signal", signo == SIGINT ? "SIGINT" : "SIGTERM"}});
    hub.stopping = true;
    beast::error_code ignored;
    signals.clear(ignored);  // a second signal now takes its default action
    hangup.cancel(ignored);
    hangup.clear(ignored);
    for (auto& a : acceptors) a->stop();
    hub.shutdown_timer.expires_after(limits::shutdown_grace);
    hub.shutdown_timer.async_wait([&](beast::error_code wec) {
      if (wec) return;  // cancelled: every connection finished in time
      app.logger().event("shutdown", {{"message", "grace period over; closing the remaining connections"}});
      hub.stop_all();
    });
    hub.release();
    hub.stop_sessions();
  });

  // A handler that throws (std::bad_alloc, say) costs its connection, not the thread.
  const auto run = [&app](net::io_context& context) {
    for (;;) {
      try {
        context.run();
        return;
      } catch (const std::exception& e) {
        app.logger().event("error", {{"message", e.what()}});
      }
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(hub.extra.size());
  for (auto& context : hub.extra) threads.emplace_back([&run, c = context.get()] { run(*c); });
  run(hub.ioc);
  for (auto& t : threads) t.join();
  hub.finished = true;
  hub.blocking.join();
}

}  // namespace signpost::server
