// signpost-server: the demo redirect server. See docs/server.md.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <signpost/signpost.hpp>

#include "app.hpp"
#include "corpus.hpp"
#include "metrics.hpp"
#include "options.hpp"
#include "server.hpp"

namespace sp = signpost::server;

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  const sp::ParsedCommandLine cmd = sp::parse_command_line(args);
  switch (cmd.kind) {
    case sp::ParsedCommandLine::Kind::help:
      std::fputs(sp::usage().c_str(), stdout);
      return 0;
    case sp::ParsedCommandLine::Kind::version:
      std::printf("signpost-server %.*s\n", static_cast<int>(signpost::version.size()), signpost::version.data());
      return 0;
    case sp::ParsedCommandLine::Kind::error:
      std::fprintf(stderr, "signpost-server: %s\n", cmd.error.c_str());
      return 2;
    case sp::ParsedCommandLine::Kind::run:
      break;
  }
  const sp::Options& opt = cmd.options;

  std::string token;
  if (opt.admin_token_file) {
    try {
      token = sp::read_token_file(*opt.admin_token_file);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "signpost-server: %s\n", e.what());
      return 2;
    }
  }

  // Every pack, at start and at each reload, with the same paths and trusted keys (read once, here).
  sp::PackPaths paths{.live = opt.pack, .shadow = opt.shadow_pack, .canary = opt.canary_pack,
                      .canary_rate = opt.canary_rate, .trusted_keys = {}};
  try {
    for (const std::filesystem::path& key : opt.trusted_keys) paths.trusted_keys.push_back(sp::read_trusted_key(key));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "signpost-server: --trusted-key: %s\n", e.what());
    return 2;
  }
  const auto load = [paths] { return sp::load_pack_set(paths); };
  std::optional<sp::PackSet> packs;
  try {
    packs.emplace(load());
  } catch (const sp::PackSetError& e) {
    const std::string which = e.role.empty() ? "the pack" : "the " + e.role + " pack";
    if (e.problems.empty()) {
      std::fprintf(stderr, "signpost-server: %s\n", e.what());
    } else {
      std::fprintf(stderr, "signpost-server: %s cannot be used:\n", which.c_str());
      for (const signpost::Problem& p : e.problems) std::fprintf(stderr, "%s\n", p.to_string().c_str());
    }
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "signpost-server: the packs cannot be loaded: %s\n", e.what());
    return 2;
  }

  std::optional<std::filesystem::path> kept;
  if (opt.metrics_out) {
    try {
      kept = sp::keep_previous_snapshot(*opt.metrics_out);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "signpost-server: %s\n", e.what());
      return 2;
    }
  }

  sp::Logger logger(opt.log_format);
  std::optional<signpost::FloodGuardOptions> flood_guard;
  if (opt.flood_guard) flood_guard = opt.flood_guard_tuning;
  sp::App app(sp::AppConfig{.load = {}, .load_set = load, .admin_token = token, .flood_guard = flood_guard},
              std::move(*packs), sp::Corpus::builtin(), logger);

  sp::ServerConfig config;
  config.listen = opt.listen;
  if (!token.empty()) {
    config.admin = opt.admin_listen;
    if (!opt.admin_listen.is_loopback())
      logger.event("warning", {{"message", "the admin listener is not on a loopback address"}});
  } else {
    logger.event("admin", {{"message", "no --admin-token-file: admin listener not opened; SIGHUP reloads"}});
  }
  config.threads = opt.threads ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
  config.max_connections = opt.max_connections;

  const auto s = app.state();
  logger.event("start", {{"version", signpost::version}, {"pack", s->engine.pack().name},
                         {"pack_version", s->engine.pack().version}, {"hash", s->engine.pack().hash},
                         {"threads", std::to_string(config.threads)}});
  sp::log_arms(logger, *s);
  if (!paths.trusted_keys.empty())
    logger.event("trusted_keys", {{"count", std::to_string(paths.trusted_keys.size())}});
  std::optional<sp::SnapshotWriter> snapshots;
  if (opt.metrics_out) {
    try {
      sp::write_file_atomically(*opt.metrics_out, app.totals().to_json());  // fail now, not in an hour
    } catch (const std::exception& e) {
      std::fprintf(stderr, "signpost-server: --metrics-out: %s\n", e.what());
      return 2;
    }
    if (kept) logger.event("metrics_out", {{"message", "kept the earlier run's snapshot"}, {"file", kept->string()}});
    snapshots.emplace(*opt.metrics_out, std::chrono::seconds(opt.metrics_interval), [&app] { return app.totals(); },
                      [&logger](const std::string& message) { logger.event("error", {{"message", message}}); });
  }
  int status = 0;
  try {
    sp::run_server(app, config);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "signpost-server: %s\n", e.what());
    status = 1;
  }
  if (snapshots) snapshots->stop();  // the last snapshot, with every request answered
  if (status != 0) return status;
  logger.event("stopped");
  return 0;
}
