// pack/includes.cpp: a lexicon's `include`, resolved once every file is read. An including lexicon
// takes the terms of the lexicons it names, and of those they include in turn, so that a concept
// made of others ("the UK by any name": uk, london, to-uk, uk-flag) is written once and named in
// any condition like any lexicon. The terms are copied with their language and position, and each
// keeps the typo tolerance (`typos`, `min_length`) of the lexicon it was written in.
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
      } else if (it->second == i) {
        problem(r.at, "lexicon " + in_quotes(model_.lexicons[i].id) + " includes itself");
      } else {
        edges[i].push_back({it->second, &r});
      }
    }

  // Depth first, without recursion (a chain of includes may be as long as the pack is): a lexicon
  // takes its includes' terms once each of them has taken theirs. An include that closes a cycle
  // is reported where it is written and skipped.
  enum class State : unsigned char { unseen, open, done };
  std::vector<State> state(n, State::unseen);
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
        const auto [to, ref] = edges[f.lexicon][f.next++];
        if (state[to] == State::open) {
          problem(ref->at, "include cycle: lexicon " + in_quotes(model_.lexicons[f.lexicon].id) + " includes " +
                               in_quotes(model_.lexicons[to].id) + ", which includes it");
          edges[f.lexicon][f.next - 1].second = nullptr;  // not taken
        } else if (state[to] == State::unseen) {
          state[to] = State::open;
          stack.push_back({to});
        }
        continue;
      }
      Lexicon& lex = model_.lexicons[f.lexicon];
      for (const auto& [to, ref] : edges[f.lexicon]) {
        if (ref == nullptr) continue;
        const std::vector<TermSpec>& from = model_.lexicons[to].terms;
        if (lex.terms.size() + from.size() > kMaxLexiconTerms) {
          problem(ref->at, "more than " + std::to_string(kMaxLexiconTerms) + " terms in lexicon " +
                               in_quotes(lex.id) + " with its includes");
          continue;
        }
        terms_ += from.size();
        if (terms_ > kMaxPackTerms) {
          if (!terms_limit_reported_) problem(ref->at, "more than " + std::to_string(kMaxPackTerms) + " terms");
          terms_limit_reported_ = true;
          continue;
        }
        const Lexicon& src = model_.lexicons[to];
        for (TermSpec t : from) {
          if (t.typos < 0) {  // written in `src` itself (else taken by it, with its setting already)
            t.typos = src.typos;
            t.min_length = src.min_length;
          }
          lex.terms.push_back(std::move(t));
        }
      }
      state[f.lexicon] = State::done;
      stack.pop_back();
    }
  }
}

}  // namespace signpost::detail::loading
