// pickle.cpp: pickling. Every value is a tuple of plain Python values, strings as their UTF-8 bytes
// (so any byte a host passed through comes back unchanged), with a format version first. A
// decision carries its pack's identity, not the engine: it unpickles in a process that never
// loaded the pack.
#include "pickle.hpp"

#include <pybind11/stl.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace signpost_py {
namespace {

py::bytes b(std::string_view s) { return py::bytes(s.data(), s.size()); }
std::string s_of(py::handle h) { return h.cast<std::string>(); }  // bytes -> std::string

constexpr int kPickleVersion = 1;

py::tuple checked_state(py::handle state, std::size_t size, const char* what) {
  if (!py::isinstance<py::tuple>(state)) throw py::type_error(std::string("bad pickled ") + what);
  py::tuple t = py::reinterpret_borrow<py::tuple>(state);
  if (t.size() != size || t[0].cast<int>() != kPickleVersion)
    throw py::value_error(std::string("pickled ") + what + " of another signpost version");
  return t;
}

signpost::Action action_of(py::handle h) {
  const int a = h.cast<int>();
  if (a < 0 || a > static_cast<int>(signpost::Action::redirect)) throw py::value_error("bad pickled action");
  return static_cast<signpost::Action>(a);
}

}  // namespace

py::tuple match_state(const signpost::Match& x) { return py::make_tuple(kPickleVersion, b(x.rule), b(x.category), x.begin, x.end); }
signpost::Match match_from(py::handle state) {
  py::tuple t = checked_state(state, 5, "Match");
  return {s_of(t[1]), s_of(t[2]), t[3].cast<std::size_t>(), t[4].cast<std::size_t>()};
}

py::tuple card_state(const signpost::Card& c) {
  return py::make_tuple(kPickleVersion, b(c.id), b(c.locale), b(c.title), b(c.body), b(c.url), b(c.cta), c.rtl);
}
signpost::Card card_from(py::handle state) {
  py::tuple t = checked_state(state, 8, "Card");
  return {s_of(t[1]), s_of(t[2]), s_of(t[3]), s_of(t[4]), s_of(t[5]), s_of(t[6]), t[7].cast<bool>()};
}

py::tuple pack_state(const signpost::PackInfo& p) { return py::make_tuple(kPickleVersion, b(p.name), b(p.version), b(p.hash)); }
signpost::PackInfo pack_from(py::handle state) {
  py::tuple t = checked_state(state, 4, "PackInfo");
  return {s_of(t[1]), s_of(t[2]), s_of(t[3])};
}

py::tuple result_state(const signpost::Result& r) { return py::make_tuple(kPickleVersion, b(r.id), b(r.title), b(r.snippet), b(r.url)); }
signpost::Result result_from(py::handle state) {
  py::tuple t = checked_state(state, 5, "Result");
  return {s_of(t[1]), s_of(t[2]), s_of(t[3]), s_of(t[4])};
}

namespace {

py::tuple plain_decision_state(const signpost::Decision& d) {
  py::list matches, cards;
  for (const signpost::Match& x : d.matches) matches.append(match_state(x));
  for (const signpost::Card& c : d.cards) cards.append(card_state(c));
  return py::make_tuple(kPickleVersion, static_cast<int>(d.action), b(d.category), d.score, matches, cards, d.holdout,
                        b(d.locale));
}
signpost::Decision plain_decision_from(py::handle state) {
  py::tuple t = checked_state(state, 8, "Decision");
  signpost::Decision d;
  d.action = action_of(t[1]);
  d.category = s_of(t[2]);
  d.score = t[3].cast<double>();
  for (py::handle x : t[4]) d.matches.push_back(match_from(x));
  for (py::handle c : t[5]) d.cards.push_back(card_from(c));
  d.holdout = t[6].cast<bool>();
  d.locale = s_of(t[7]);
  return d;
}

}  // namespace

py::tuple decision_state(const PyDecision& x) {
  return py::make_tuple(kPickleVersion, plain_decision_state(x.d), pack_state(*x.pack), b(x.error));
}
PyDecision decision_from(py::handle state) {
  py::tuple t = checked_state(state, 4, "Decision");
  return {plain_decision_from(t[1]), std::make_shared<const signpost::PackInfo>(pack_from(t[2])), s_of(t[3])};
}

py::tuple entry_state(const signpost::RedirectEntry& e) {
  return py::make_tuple(kPickleVersion, e.kind == signpost::RedirectEntry::Kind::card, card_state(e.card),
                        result_state(e.result), static_cast<int>(e.action), b(e.category), e.score, e.flagged);
}
signpost::RedirectEntry entry_from(py::handle state) {
  py::tuple t = checked_state(state, 8, "RedirectEntry");
  signpost::RedirectEntry e;
  e.kind = t[1].cast<bool>() ? signpost::RedirectEntry::Kind::card : signpost::RedirectEntry::Kind::result;
  e.card = card_from(t[2]);
  e.result = result_from(t[3]);
  e.action = action_of(t[4]);
  e.category = s_of(t[5]);
  e.score = t[6].cast<double>();
  e.flagged = t[7].cast<bool>();
  return e;
}

py::tuple redirected_state(const PyRedirected& x) {
  py::list entries;
  for (const signpost::RedirectEntry& e : x.r.entries) entries.append(entry_state(e));
  return py::make_tuple(kPickleVersion, plain_decision_state(x.r.decision), entries, x.r.removed, x.r.flagged,
                        pack_state(*x.pack));
}
PyRedirected redirected_from(py::handle state) {
  py::tuple t = checked_state(state, 6, "RedirectedResults");
  PyRedirected x{{}, std::make_shared<const signpost::PackInfo>(pack_from(t[5]))};
  x.r.decision = plain_decision_from(t[1]);
  for (py::handle e : t[2]) x.r.entries.push_back(entry_from(e));
  x.r.removed = t[3].cast<std::size_t>();
  x.r.flagged = t[4].cast<std::size_t>();
  return x;
}

}  // namespace signpost_py
