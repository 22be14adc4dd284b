// suggest.cpp: Engine::filter_suggestions, typeahead suggestions judged before they are shown.
#include <algorithm>
#include <string>

#include "engine_impl.hpp"

namespace signpost {
namespace {

char fold(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_folded(std::string_view s, std::string_view prefix) noexcept {
  if (prefix.size() > s.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (fold(s[i]) != fold(prefix[i])) return false;
  return true;
}

// Whether the text would warn or redirect: the winning category's action, holdout aside.
bool warns(const detail::EngineImpl& impl, std::string_view text, const Query& typed) noexcept {
  const detail::Verdict& v = impl.analyze(Query{text, typed.locale, typed.mode, {}}).verdict;
  if (v.winner == detail::kNone) return false;
  // As assemble_decision: the winner's action, capped by the max_action of the categories reached.
  const Action a = std::min(impl.model.categories[v.winner].action, v.cap);
  return a == Action::interstitial || a == Action::redirect;
}

}  // namespace

std::vector<std::size_t> Engine::filter_suggestions(const Query& typed, std::span<const std::string> suggestions) const {
  std::vector<std::size_t> kept;
  kept.reserve(suggestions.size());
  std::string completed;
  for (std::size_t i = 0; i < suggestions.size(); ++i) {
    const std::string& s = suggestions[i];
    bool drop = warns(*impl_, s, typed);
    if (!drop && !typed.text.empty() && !starts_with_folded(s, typed.text)) {
      completed.assign(typed.text);
      if (completed.back() != ' ') completed += ' ';
      completed += s;
      drop = warns(*impl_, completed, typed);
    }
    if (!drop) kept.push_back(i);
  }
  return kept;
}

}  // namespace signpost
