#include "signpost/types.hpp"

namespace signpost {

std::string_view to_string(Action a) noexcept {
  switch (a) {
    case Action::none: return "none";
    case Action::annotate: return "annotate";
    case Action::interstitial: return "interstitial";
    case Action::redirect: return "redirect";
  }
  return "none";
}

std::string_view to_string(Mode m) noexcept { return m == Mode::post ? "post" : "query"; }

std::optional<Action> parse_action(std::string_view s) noexcept {
  if (s == "none") return Action::none;
  if (s == "annotate") return Action::annotate;
  if (s == "interstitial") return Action::interstitial;
  if (s == "redirect") return Action::redirect;
  return std::nullopt;
}

std::optional<Mode> parse_mode(std::string_view s) noexcept {
  if (s == "query") return Mode::query;
  if (s == "post") return Mode::post;
  return std::nullopt;
}

}  // namespace signpost
