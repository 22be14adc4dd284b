// pickle.hpp: every value of the binding as a tuple of plain Python values and back (pickle.cpp).
#pragma once

#include <pybind11/pybind11.h>

#include <signpost/signpost.hpp>

#include "convert.hpp"

namespace signpost_py {

py::tuple match_state(const signpost::Match& x);
signpost::Match match_from(py::handle state);
py::tuple card_state(const signpost::Card& c);
signpost::Card card_from(py::handle state);
py::tuple pack_state(const signpost::PackInfo& p);
signpost::PackInfo pack_from(py::handle state);
py::tuple result_state(const signpost::Result& r);
signpost::Result result_from(py::handle state);
py::tuple decision_state(const PyDecision& x);
PyDecision decision_from(py::handle state);
py::tuple entry_state(const signpost::RedirectEntry& e);
signpost::RedirectEntry entry_from(py::handle state);
py::tuple redirected_state(const PyRedirected& x);
PyRedirected redirected_from(py::handle state);

}  // namespace signpost_py
