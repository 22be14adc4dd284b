// server.cpp: the listeners, signals and I/O threads of signpost-server (connections are served
// by server_session.cpp).
#include "server.hpp"

#include <chrono>
#include <csignal>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <fmt/format.h>

#include "limits.hpp"
#include "server_hub.hpp"

namespace signpost::server {
namespace {

namespace beast = boost::beast;
using detail::Hub;
using detail::net::ip::tcp;
namespace net = detail::net;

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
    // A connection's socket runs on the executor of one io_context, which one thread alone runs:
    // its handlers never run concurrently, so they need no strand (whose queue would cost every
    // completion a lock and a second dispatch).
    acceptor_.async_accept(hub_.next_context(),
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
      start_session(std::move(socket), hub_, which_);
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
