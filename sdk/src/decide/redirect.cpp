#include "decide/redirect.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace signpost::detail {

RedirectedResults place_results(Decision query_decision, std::span<const Result> results,
                                std::span<const Decision> result_decisions) {
  RedirectedResults out;
  out.decision = std::move(query_decision);
  std::vector<std::string> shown;
  auto add_card = [&](const Card& c, const std::string& category) {
    if (std::find(shown.begin(), shown.end(), c.id) != shown.end()) return false;
    shown.push_back(c.id);
    RedirectEntry e;
    e.kind = RedirectEntry::Kind::card;
    e.card = c;
    e.category = category;
    out.entries.push_back(std::move(e));
    return true;
  };
  if (out.decision.action != Action::none)
    for (const Card& c : out.decision.cards) add_card(c, out.decision.category);

  const bool query_redirects = out.decision.action == Action::redirect;
  std::vector<RedirectEntry> demoted;
  const std::size_t n = std::min(results.size(), result_decisions.size());
  for (std::size_t i = 0; i < n; ++i) {
    const Result& r = results[i];
    const Decision& rd = result_decisions[i];
    RedirectEntry e;
    e.kind = RedirectEntry::Kind::result;
    e.result = r;
    e.action = rd.action;
    e.score = rd.score;
    e.category = rd.category;
    const bool remove = rd.action == Action::redirect || (query_redirects && rd.action == Action::interstitial);
    if (remove) {
      ++out.removed;
      for (const Card& c : rd.cards)
        if (add_card(c, rd.category)) break;  // one card swapped in where the result was
      continue;
    }
    if (rd.action != Action::none) {
      e.flagged = true;
      ++out.flagged;
      demoted.push_back(std::move(e));
      continue;
    }
    out.entries.push_back(std::move(e));
  }
  for (auto& e : demoted) out.entries.push_back(std::move(e));
  return out;
}

}  // namespace signpost::detail
