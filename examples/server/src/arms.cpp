#include "arms.hpp"

#include <algorithm>
#include <exception>
#include <iterator>
#include <new>

#include <fmt/format.h>

#include "app.hpp"

namespace signpost::server {
namespace {

constexpr std::size_t npos = static_cast<std::size_t>(-1);

// Category ids are pack ids ([a-z0-9_.-]); escaped anyway as the text format requires.
std::string label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

int strength(Action a) noexcept { return static_cast<int>(a); }  // none < annotate < interstitial < redirect

}  // namespace

std::string_view to_string(Arm arm) noexcept { return arm == Arm::canary ? "canary" : "live"; }

std::string_view to_string(ShadowOutcome outcome) noexcept {
  switch (outcome) {
    case ShadowOutcome::agree: return "agree";
    case ShadowOutcome::stronger: return "stronger";
    case ShadowOutcome::weaker: return "weaker";
    case ShadowOutcome::other_category: return "other_category";
  }
  return "agree";
}

ShadowOutcome compare(const Decision& served, const Decision& shadow) noexcept {
  if (strength(shadow.action) > strength(served.action)) return ShadowOutcome::stronger;
  if (strength(shadow.action) < strength(served.action)) return ShadowOutcome::weaker;
  if (served.action != Action::none && served.category != shadow.category) return ShadowOutcome::other_category;
  return ShadowOutcome::agree;
}

void merge(SeriesCounts& into, const SeriesCounts& from) {
  for (const auto& [series, n] : from) into[series] += n;
}

// ---- ArmCounters ---------------------------------------------------------------------------

ArmCounters::ArmCounters(std::vector<std::string> categories) {
  categories_.push_back("none");
  for (std::string& c : categories)
    if (std::find(categories_.begin(), categories_.end(), c) == categories_.end()) categories_.push_back(std::move(c));
  const std::size_t n = categories_.size();
  decisions_ = std::make_unique<std::atomic<std::uint64_t>[]>(arm_count * n * action_count);
  shadow_ = std::make_unique<std::atomic<std::uint64_t>[]>(arm_count * shadow_outcome_count * n * n);
}

std::size_t ArmCounters::slot(const Decision& d) const noexcept {
  if (d.action == Action::none) return 0;
  for (std::size_t i = 1; i < categories_.size(); ++i)
    if (categories_[i] == d.category) return i;
  return npos;
}

void ArmCounters::decision(Arm arm, const Decision& d) noexcept {
  const std::size_t c = slot(d);
  if (c == npos) return;
  const std::size_t i = (static_cast<std::size_t>(arm) * categories_.size() + c) * action_count +
                        static_cast<std::size_t>(d.action);
  decisions_[i].fetch_add(1, std::memory_order_relaxed);
}

void ArmCounters::shadow(Arm arm, const Decision& served, const Decision& shadow) noexcept {
  const std::size_t a = slot(served), b = slot(shadow);
  if (a == npos || b == npos) return;
  const std::size_t n = categories_.size();
  const auto o = static_cast<std::size_t>(compare(served, shadow));
  shadow_[((static_cast<std::size_t>(arm) * shadow_outcome_count + o) * n + a) * n + b].fetch_add(
      1, std::memory_order_relaxed);
}

SeriesCounts ArmCounters::series() const {
  SeriesCounts out;
  const std::size_t n = categories_.size();
  for (std::size_t arm = 0; arm < arm_count; ++arm)
    for (std::size_t c = 0; c < n; ++c)
      for (std::size_t a = 0; a < action_count; ++a) {
        const std::uint64_t v = decisions_[(arm * n + c) * action_count + a].load(std::memory_order_relaxed);
        if (v == 0) continue;
        out[fmt::format("signpost_server_arm_decisions_total{{arm=\"{}\",category=\"{}\",action=\"{}\"}}",
                        to_string(static_cast<Arm>(arm)), label(categories_[c]), to_string(static_cast<Action>(a)))] += v;
      }
  for (std::size_t arm = 0; arm < arm_count; ++arm)
    for (std::size_t o = 0; o < shadow_outcome_count; ++o)
      for (std::size_t a = 0; a < n; ++a)
        for (std::size_t b = 0; b < n; ++b) {
          const std::uint64_t v = shadow_[((arm * shadow_outcome_count + o) * n + a) * n + b].load(std::memory_order_relaxed);
          if (v == 0) continue;
          out[fmt::format("signpost_server_shadow_decisions_total{{arm=\"{}\",outcome=\"{}\",category=\"{}\","
                          "shadow_category=\"{}\"}}",
                          to_string(static_cast<Arm>(arm)), to_string(static_cast<ShadowOutcome>(o)),
                          label(categories_[a]), label(categories_[b]))] += v;
        }
  return out;
}

// ---- the request path ----------------------------------------------------------------------

Arm choose_arm(const PackState& live, std::string_view subject) noexcept {
  const Arms* arms = live.arms.get();
  if (!arms || !arms->canary || subject.empty() || arms->canary_rate <= 0.0) return Arm::live;
  return holdout_bucket(canary_salt, subject) < arms->canary_rate ? Arm::canary : Arm::live;
}

const PackState& served_state(const PackState& live, Arm arm) noexcept {
  if (arm == Arm::canary && live.arms && live.arms->canary) return *live.arms->canary;
  return live;
}

void observe(const PackState& live, Arm arm, const Query& q, const Decision& served) noexcept {
  const Arms* arms = live.arms.get();
  if (!arms || !arms->counters) return;
  arms->counters->decision(arm, served);
  if (!arms->shadow) return;
  try {
    const Decision shadow = arms->shadow->evaluate(q);
    arms->counters->shadow(arm, served, shadow);
  } catch (const std::exception&) {
    // Out of memory on the shadow's side: the request was served already; this one goes uncounted.
  }
}

std::string arms_to_prometheus(const PackState& live, const SeriesCounts& counts) {
  std::string out;
  auto it = std::back_inserter(out);
  const auto family = [&](std::string_view name, std::string_view help) {
    fmt::format_to(it, "# HELP {} {}\n# TYPE {} counter\n", name, help, name);
    for (const auto& [series, n] : counts)
      if (series.starts_with(name) && series.size() > name.size() && series[name.size()] == '{')
        fmt::format_to(it, "{} {}\n", series, n);
  };
  family("signpost_server_arm_decisions_total",
         "Decisions served, by arm (live or canary pack), category (none when the action is none) and action.");
  family("signpost_server_shadow_decisions_total",
         "Queries also judged by the shadow pack, by the arm that served them, how the shadow's decision "
         "compares (agree, stronger, weaker, other_category), the served category and the shadow's category.");
  const Arms* arms = live.arms.get();
  const auto info = [&](std::string_view name, std::string_view help, const PackInfo& p) {
    fmt::format_to(it, "# HELP {} {}\n# TYPE {} gauge\n{}{{pack=\"{}\",version=\"{}\",hash=\"{}\"}} 1\n", name, help, name,
                   name, label(p.name), label(p.version), label(p.hash));
  };
  if (arms && arms->shadow)
    info("signpost_server_shadow_pack_info", "The shadow pack (judged beside the live pack, never shown).",
         arms->shadow->pack());
  if (arms && arms->canary) {
    info("signpost_server_canary_pack_info", "The canary pack (serves a share of subjects).",
         arms->canary->engine.pack());
    fmt::format_to(it,
                   "# HELP signpost_server_canary_rate The share of subjects the canary pack serves.\n"
                   "# TYPE signpost_server_canary_rate gauge\nsignpost_server_canary_rate {}\n",
                   arms->canary_rate);
  }
  return out;
}

void log_arms(const Logger& logger, const PackState& live) {
  const Arms* arms = live.arms.get();
  if (arms && arms->shadow) {
    const PackInfo& p = arms->shadow->pack();
    logger.event("shadow", {{"pack", p.name}, {"version", p.version}, {"hash", p.hash}});
  }
  if (arms && arms->canary) {
    const PackInfo& p = arms->canary->engine.pack();
    const std::string rate = fmt::format("{}", arms->canary_rate);
    logger.event("canary", {{"pack", p.name}, {"version", p.version}, {"hash", p.hash}, {"rate", rate}});
  }
}

// ---- loading -------------------------------------------------------------------------------

PackSetError::PackSetError(std::string r, std::string message, std::vector<Problem> p)
    : std::runtime_error(std::move(message)), role(std::move(r)), problems(std::move(p)) {}

PackSet load_pack_set(const PackPaths& paths) {
  EngineOptions options;
  options.trusted_keys = paths.trusted_keys;
  // A pack alone is "the pack", as before shadow and canary existed.
  const bool alone = !paths.shadow && !paths.canary;
  const auto load = [&](std::string_view role, const std::optional<std::filesystem::path>& where) {
    const std::string name = alone ? "the pack" : fmt::format("the {} pack", role);
    try {
      return where ? Engine::load(*where, options) : Engine::load_default(options);
    } catch (const ConfigError& e) {
      std::vector<Problem> problems = e.problems;
      if (problems.empty()) problems.push_back(Problem{e.file, e.line, e.column, e.what()});
      std::string message = fmt::format("{} has {} problem{}", name, problems.size(), problems.size() == 1 ? "" : "s");
      throw PackSetError(alone ? std::string() : std::string(role), std::move(message), std::move(problems));
    } catch (const std::bad_alloc&) {
      throw;
    } catch (const std::exception& e) {
      throw PackSetError(alone ? std::string() : std::string(role), fmt::format("{} could not be loaded ({})", name, e.what()),
                         {});
    }
  };
  PackSet set{load("live", paths.live), std::nullopt, std::nullopt, paths.canary_rate};
  if (paths.shadow) set.shadow.emplace(load("shadow", paths.shadow));
  if (paths.canary) set.canary.emplace(load("canary", paths.canary));
  return set;
}

}  // namespace signpost::server
