// pack/includes.cpp: a lexicon's `include`, resolved once every file is read. An including lexicon
// takes the terms of the lexicons it names, and of those they include in turn, so that a concept
// made of others ("the UK by any name": uk, london, to-uk, uk-flag) is written once and named in
// any condition like any lexicon. The terms are copied with their language and position, and each
// keeps the typo tolerance (`typos`, `min_length`) of the lexicon it was written in.
#include <algorithm>
#include <string>
#include <utility>

#include "pack/loader_impl.hpp"

namespace signpost::detail::loading {

void Loader::include_terms(const std::unordered_map<std::string_view, std::size_t>& ids) {
  const std::size_t n = pending_includes_.size();  // the lexicons read from files, in order
  // Each lexicon's includes as indexes, with the reference that named each (for problems).
  std::vector<std::vector<std::pair<std::size_t, const Ref*>>> edges(n);
  for (std::size_t i = 0; i < n; ++i)
    for (const Ref& r : pending_includes_[i]) {
      if (!r.name.empty() && r.name[0] == '@') {
        problem(r.at, "include names lexicons, not built-in entities (" + in_quotes(r.name) + ")");
      } else if (const auto it = ids.find(r.name); it == ids.end()) {
        if (!incomplete_) problem(r.at, "unknown lexicon " + in_quotes(r.name));
      } else if (model_.lexicons[it->second].is_classifier()) {
        problem(r.at, "include names lexicons, not classifiers (" + in_quotes(r.name) + ")");
      } else {  // a lexicon that names itself is the shortest cycle, reported by the walk below
        edges[i].push_back({it->second, &r});
      }
    }

  // Depth first, without recursion (a chain of includes may be as long as the pack is). Each
  // lexicon gathers the set of lexicons it reaches once those it includes have gathered theirs,
  // then takes the own terms of each reached lexicon once (a lexicon reached twice, through two
  // includes or a name listed twice, gives its terms once). An include that closes a cycle is
  // reported where it is written, with the cycle, and skipped.
  enum class State : unsigned char { unseen, open, done };
  std::vector<State> state(n, State::unseen);
  std::vector<std::vector<std::size_t>> reach(n);  // sorted, without the lexicon itself
  std::vector<std::size_t> own(n);                  // its own terms: the first own[i] of its terms
  for (std::size_t i = 0; i < n; ++i) own[i] = model_.lexicons[i].terms.size();
  struct Frame {
    std::size_t lexicon;
    std::size_t next = 0;  // the next of its edges to visit
  };
  std::vector<Frame> stack;
  for (std::size_t root = 0; root < n; ++root) {
    if (state[root] != State::unseen) continue;
    stack.push_back({root});
    state[root] = State::open;
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.next < edges[f.lexicon].size()) {
        auto& edge = edges[f.lexicon][f.next++];
        if (state[edge.first] == State::open) {
          std::string cycle;
          bool in = false;
          for (const Frame& g : stack) {
            in = in || g.lexicon == edge.first;
            if (in) cycle += model_.lexicons[g.lexicon].id + " -> ";
          }
          problem(edge.second->at, "include cycle: " + cycle + model_.lexicons[edge.first].id);
          edge.second = nullptr;  // not taken
        } else if (state[edge.first] == State::unseen) {
          state[edge.first] = State::open;
          stack.push_back({edge.first});  // `f` is not used after this
        }
        continue;
      }
      const std::size_t i = f.lexicon;
      std::vector<std::size_t>& r = reach[i];
      for (const auto& [to, ref] : edges[i]) {
        if (ref == nullptr) continue;
        r.push_back(to);
        r.insert(r.end(), reach[to].begin(), reach[to].end());
      }
      std::sort(r.begin(), r.end());
      r.erase(std::unique(r.begin(), r.end()), r.end());
      r.erase(std::remove(r.begin(), r.end(), i), r.end());  // through a reported cycle
      Lexicon& lex = model_.lexicons[i];
      Where at{};  // problems of the limits: at the lexicon's first include
      for (const auto& e : edges[i])
        if (e.second != nullptr) {
          at = e.second->at;
          break;
        }
      for (std::size_t to : r) {
        const Lexicon& src = model_.lexicons[to];
        if (lex.terms.size() + own[to] > kMaxLexiconTerms) {
          problem(at, "more than " + std::to_string(kMaxLexiconTerms) + " terms in lexicon " + in_quotes(lex.id) +
                          " with its includes");
          break;
        }
        terms_ += own[to];
        if (terms_ > kMaxPackTerms) {
          if (!terms_limit_reported_) problem(at, "more than " + std::to_string(kMaxPackTerms) + " terms");
          terms_limit_reported_ = true;
          break;
        }
        for (std::size_t k = 0; k < own[to]; ++k) {
          TermSpec t = src.terms[k];
          t.typos = src.typos;  // it keeps the tolerance of the lexicon it was written in
          t.min_length = src.min_length;
          lex.terms.push_back(std::move(t));
        }
      }
      state[i] = State::done;
      stack.pop_back();
    }
  }
}

}  // namespace signpost::detail::loading
