// fixture.hpp: an App over the default pack, and helpers to build requests.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <signpost/signpost.hpp>

#include "../unit/files.hpp"  // TempDir, read_file, write_file
#include "app.hpp"
#include "router.hpp"

namespace signpost::server::test {

inline std::filesystem::path default_pack() { return SIGNPOST_DEFAULT_PACK_DIR; }

// Loaded once: engines are immutable and copies share the compiled pack.
inline const Engine& shared_engine() {
  static const Engine engine = Engine::load(default_pack());
  return engine;
}

// One step of a worker thread in a load test (test_threads, test_arms): runs `step`, then rests
// `workers` times as long as it took, so `workers` such threads keep about one core busy together
// and the thread that reloads packs has the rest of the machine. On two cores, eight workers that
// never rested left the loads a ninth of it (under ThreadSanitizer, a reload then took twenty
// seconds). A rest adds no happens-before edge, so a race between the threads is still reported.
template <class Step>
void paced(int workers, Step&& step) {
  const auto start = std::chrono::steady_clock::now();
  step();
  std::this_thread::sleep_for((std::chrono::steady_clock::now() - start) * workers);
}

// Whether `text` (a body, a log line) holds `what`.
inline bool contains(std::string_view text, std::string_view what) { return text.find(what) != std::string_view::npos; }

inline constexpr std::string_view admin_token = "test-token-0123456789abcdef";

// An App whose reloads load `*pack_dir` (change it to reload another pack), logging into `lines`.
struct Fixture {
  std::shared_ptr<std::filesystem::path> pack_dir = std::make_shared<std::filesystem::path>(default_pack());
  std::shared_ptr<std::vector<std::string>> lines = std::make_shared<std::vector<std::string>>();
  App app;

  explicit Fixture(LogFormat format = LogFormat::json)
      : app(AppConfig{.load = [dir = pack_dir] { return Engine::load(*dir); }, .admin_token = std::string(admin_token)},
            shared_engine(), Corpus::builtin(),
            Logger(format, [l = lines](std::string_view line) { l->emplace_back(line); })) {}

  Response get(std::string target, Listener listener = Listener::main, std::string method = "GET") {
    Request req;
    req.method = std::move(method);
    req.target = std::move(target);
    req.headers.push_back({"Host", "localhost"});
    req.listener = listener;
    return handle(req, app);
  }

  Response post(std::string target, std::string body, std::string content_type = "application/json",
                Listener listener = Listener::main) {
    Request req;
    req.method = "POST";
    req.target = std::move(target);
    req.headers.push_back({"Host", "localhost"});
    if (!content_type.empty()) req.headers.push_back({"Content-Type", content_type});
    req.headers.push_back({"Content-Length", std::to_string(body.size())});
    req.body = std::move(body);
    req.listener = listener;
    return handle(req, app);
  }

  Response reload(std::string authorization) {
    Request req;
    req.method = "POST";
    req.target = "/admin/reload";
    req.headers.push_back({"Host", "localhost"});
    req.headers.push_back({"Content-Length", "0"});
    if (!authorization.empty()) req.headers.push_back({"Authorization", std::move(authorization)});
    req.listener = Listener::admin;
    return handle(req, app);
  }
};

// A copy of the default pack in a temporary folder, removed at the end of the test.
struct TempPack {
  signpost::test::TempDir tmp;  // removed with the pack at the end of the test
  std::filesystem::path dir = tmp.path() / "pack";
  TempPack() { std::filesystem::copy(default_pack(), dir, std::filesystem::copy_options::recursive); }
  void write(const std::filesystem::path& rel, std::string_view text) const { signpost::test::write_file(dir / rel, text); }
  std::string read(const std::filesystem::path& rel) const { return signpost::test::read_file(dir / rel); }
};

inline const std::string* find_header(const Response& res, std::string_view name) {
  for (const Header& h : res.headers)
    if (iequals(h.name, name)) return &h.value;
  return nullptr;
}

}  // namespace signpost::server::test
