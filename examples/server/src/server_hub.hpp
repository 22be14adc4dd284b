// server_hub.hpp: what the listeners (server.cpp) and the sessions (server_session.cpp) share.
// Internal to signpost-server; Asio only (Beast's HTTP parser stays in server_session.cpp).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "app.hpp"
#include "http.hpp"

namespace signpost::server::detail {

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
    // Connections are dealt to the contexts in turn, and a connection's handlers run on its
    // context's one thread (no strand is needed: nothing else runs them concurrently).
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
  // for a request (one that never sent a byte, or an idle keep-alive), if that is at least
  // limits::evict_idle_after, so that silent connections cannot lock clients out. False when no
  // connection has been idle that long.
  bool evict_idle(Listener which);
  // Asks every open session to finish what it is doing and close.
  void stop_sessions();

 private:
  void check_drained();  // with mutex_ held
};

// Starts serving an accepted connection (server_session.cpp).
void start_session(tcp::socket&& socket, Hub& hub, Listener which);

}  // namespace signpost::server::detail
