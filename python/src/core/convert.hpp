// convert.hpp: what the binding's files share: the wrapped values and the conversions between
// Python objects and the C++ API (convert.cpp), and the threaded evaluate_many (batch.cpp).
#pragma once

#include <pybind11/pybind11.h>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <signpost/signpost.hpp>

namespace signpost_py {

namespace py = pybind11;

using EnginePtr = std::shared_ptr<const signpost::Engine>;
// The identity of the pack a decision came from: an alias into its engine, or (for a decision
// unpickled in another process) a copy of its own.
using PackPtr = std::shared_ptr<const signpost::PackInfo>;

inline PackPtr pack_of(const EnginePtr& engine) { return PackPtr(engine, &engine->pack()); }

// A text argument: a view of UTF-8 bytes and the Python object that owns them.
struct TextArg {
  py::object owner;
  std::string_view view;
};


struct PyEngine {
  EnginePtr engine;
  std::filesystem::path path;
};

// A decision and the pack it came from (for its identity in to_json). A batch item that could not
// be judged (None, NaN, not text) is a decision with an `error` and action "error".
struct PyDecision {
  signpost::Decision d;
  PackPtr pack;
  std::string error;
};

struct PyRedirected {
  signpost::RedirectedResults r;
  PackPtr pack;
};

struct PyRecorder {
  EnginePtr engine;  // declared first: outlives the recorder built from it
  std::unique_ptr<signpost::MetricsRecorder> recorder;
};

TextArg text_arg(py::handle h, const char* what);
std::string string_arg(py::handle h, const char* what);
py::str to_py(std::string_view s);
py::object json_loads(const std::string& json);
signpost::Mode mode_arg(py::handle h);
// The locale and subject of a query, as every front end checks them (signpost/validate.hpp): a
// ValueError with the library's message when one is refused. None is "".
TextArg locale_arg(py::handle h);
TextArg subject_arg(py::handle h);
py::str action_str(signpost::Action a);
py::object to_py_or_none(std::string_view s);
unsigned available_cores();
std::size_t char_index(std::string_view s, std::size_t offset);

std::string decision_json(const PyDecision& self, py::handle id);
py::dict card_dict(const signpost::Card& c);
py::dict result_dict(const signpost::Result& r);
py::dict entry_dict(const signpost::RedirectEntry& e);
std::string repr_str(std::string_view s);

signpost::EngineOptions make_options(std::optional<double> holdout_rate, py::handle holdout_salt,
                                     long long max_text_bytes);
py::list evaluate_many(const PyEngine& self, py::handle texts, py::handle locale, py::handle mode,
                       long long threads, py::handle subjects);
// evaluate_many as columns for DataFrames: (action, category, score, rules, cards, holdout, error).
py::tuple evaluate_columns(const PyEngine& self, py::handle texts, py::handle locale, py::handle mode,
                           long long threads, py::handle subjects);
std::vector<signpost::Result> results_arg(py::handle results);
// Engine.evaluate as a vectorcall C function on the pybind11 class (fast_evaluate.cpp); call
// after Engine and Decision are registered.
void install_fast_evaluate(py::handle engine_class);
// A new Python Decision owning `value`, as py::cast would make it without its type lookups
// (fast_evaluate.cpp; valid once install_fast_evaluate has run). Call with the GIL held.
py::object new_decision(PyDecision&& value);
// evaluate() releases the GIL for texts of at least this many bytes; returns the previous value.
inline constexpr std::size_t default_release_gil_bytes = 512;
std::size_t set_release_gil_bytes(std::size_t bytes);

PyRedirected redirect(const PyEngine& self, py::handle text, py::handle locale, py::handle mode,
                      py::handle subject, py::handle results);

}  // namespace signpost_py
