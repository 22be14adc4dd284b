// fast_evaluate.cpp: Engine.evaluate as a C function with CPython's vectorcall convention.
//
// evaluate() is the call a host makes once per query, so what the binding adds to the engine's
// own time matters. pybind11's generic dispatcher (overload resolution, an argument vector, type
// lookups for `self` and for the result) costs more than the engine does on a short text, so this
// one method is a METH_FASTCALL | METH_KEYWORDS function installed on the pybind11 class:
// arguments are read straight from the vector CPython passes, `self` and the Decision type are
// resolved once at import, and the result is built in place. Same signature, keyword names,
// defaults, conversions and error messages for bad values as the other methods (convert.cpp);
// the Decision it returns is the pybind11 class's own instance.
//
// GIL: released around the engine only for texts of at least `release_gil_bytes`: a short query
// takes a few microseconds, and releasing and taking the GIL again costs more than another thread
// gains in that time (docs/performance.md, "Hosts' paths"). Long texts (posts) release it.

#include <pybind11/pybind11.h>

#include <cstddef>
#include <exception>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include <signpost/signpost.hpp>

#include "convert.hpp"

namespace signpost_py {
namespace {

namespace detail = py::detail;

// Texts of at least this many bytes are evaluated with the GIL released (see above).
std::size_t release_gil_bytes = default_release_gil_bytes;

const detail::type_info* engine_info = nullptr;
const detail::type_info* decision_info = nullptr;
PyObject* keyword_names[4] = {nullptr, nullptr, nullptr, nullptr};  // interned: text, locale, mode, subject

using DecisionHolder = py::class_<PyDecision>::holder_type;
static_assert(std::is_same_v<DecisionHolder, std::unique_ptr<PyDecision>>,
              "the Decision class is expected to use pybind11's default holder");

// The PyEngine inside a Python Engine (or subclass) instance; CPython has already checked that
// `self` is an instance of the class the method was installed on.
const PyEngine* engine_of(PyObject* self) {
  auto* inst = reinterpret_cast<detail::instance*>(self);
  if (inst->simple_layout) {
    if (!inst->simple_holder_constructed) return nullptr;
    return static_cast<const PyEngine*>(inst->simple_value_holder[0]);
  }
  detail::value_and_holder vh = inst->get_value_and_holder(engine_info, /*throw_if_missing=*/false);
  if (!vh || !vh.holder_constructed()) return nullptr;
  return vh.value_ptr<PyEngine>();
}

// A new Python Decision owning `value`: what pybind11's cast of a returned PyDecision does,
// without its type lookups and its registry.
PyObject* wrap_decision(PyDecision&& value) {
  PyObject* obj = detail::make_new_instance(decision_info->type);
  if (obj == nullptr) return nullptr;
  auto* inst = reinterpret_cast<detail::instance*>(obj);
  try {
    detail::value_and_holder vh = inst->get_value_and_holder(decision_info);
    auto* p = new PyDecision(std::move(value));
    vh.value_ptr() = p;
    inst->owned = true;
    // Not entered in pybind11's registry of instances (the map from C++ pointers to their Python
    // objects, kept so that returning a pointer already wrapped gives the same object): a
    // Decision is only ever returned by value, so its pointer is never looked up, and pybind11
    // only deregisters instances flagged as registered.
    new (std::addressof(vh.holder<DecisionHolder>())) DecisionHolder(p);
    vh.set_holder_constructed();
  } catch (...) {
    Py_DECREF(obj);
    throw;
  }
  return obj;
}

int keyword_index(PyObject* name) {
  for (int i = 0; i < 4; ++i)
    if (name == keyword_names[i]) return i;  // the usual case: the caller's names are interned
  for (int i = 0; i < 4; ++i)
    if (PyUnicode_Check(name) && PyUnicode_Compare(name, keyword_names[i]) == 0) return i;
  return -1;
}

const char* const arg_names[4] = {"text", "locale", "mode", "subject"};

PyObject* evaluate_impl(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  const Py_ssize_t npos = PyVectorcall_NARGS(nargs);
  if (npos > 4)
    return PyErr_Format(PyExc_TypeError, "evaluate() takes at most 4 arguments (%zd given)", npos);
  PyObject* a[4] = {nullptr, nullptr, nullptr, nullptr};
  for (Py_ssize_t i = 0; i < npos; ++i) a[i] = args[i];
  if (kwnames != nullptr) {
    const Py_ssize_t nkw = PyTuple_GET_SIZE(kwnames);
    for (Py_ssize_t k = 0; k < nkw; ++k) {
      PyObject* name = PyTuple_GET_ITEM(kwnames, k);
      const int i = keyword_index(name);
      if (i < 0) return PyErr_Format(PyExc_TypeError, "evaluate() got an unexpected keyword argument '%S'", name);
      if (a[i] != nullptr)
        return PyErr_Format(PyExc_TypeError, "evaluate() got multiple values for argument '%s'", arg_names[i]);
      a[i] = args[npos + k];
    }
  }
  if (a[0] == nullptr) return PyErr_Format(PyExc_TypeError, "evaluate() missing required argument 'text' (pos 1)");
  const PyEngine* self_engine = engine_of(self);
  if (self_engine == nullptr)
    return PyErr_Format(PyExc_TypeError, "evaluate(): the Engine was not initialised (its __init__ was not called)");

  const TextArg text = text_arg(a[0], "text");
  const TextArg locale = a[1] == nullptr ? TextArg{} : locale_arg(a[1]);
  const signpost::Mode mode = a[2] == nullptr ? signpost::Mode::query : mode_arg(a[2]);
  const TextArg subject = a[3] == nullptr ? TextArg{} : subject_arg(a[3]);
  const signpost::Query q{text.view, locale.view, mode, subject.view};
  const signpost::Engine& engine = *self_engine->engine;
  PyDecision out{{}, pack_of(self_engine->engine), {}};
  if (text.view.size() >= release_gil_bytes) {
    PyThreadState* state = PyEval_SaveThread();
    try {
      out.d = engine.evaluate(q);
    } catch (...) {
      PyEval_RestoreThread(state);
      throw;
    }
    PyEval_RestoreThread(state);
  } else {
    out.d = engine.evaluate(q);
  }
  return wrap_decision(std::move(out));
}

}  // namespace

py::object new_decision(PyDecision&& value) {
  PyObject* o = wrap_decision(std::move(value));
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(o);
}

namespace {

extern "C" PyObject* fast_evaluate(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  try {
    return evaluate_impl(self, args, nargs, kwnames);
  } catch (py::error_already_set& e) {
    e.restore();
  } catch (const py::builtin_exception& e) {
    e.set_error();
  } catch (const std::bad_alloc&) {
    PyErr_NoMemory();
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  } catch (...) {
    PyErr_SetString(PyExc_RuntimeError, "unknown C++ exception in evaluate()");
  }
  return nullptr;
}

// The signature line (before "--") is what inspect.signature() and help() show.
constexpr const char* evaluate_doc =
    "evaluate($self, /, text, locale='', mode='query', subject='')\n--\n\n"
    "Judge one text: a Decision.\n\n"
    "text is str or bytes (bytearray and memoryview are copied); locale a BCP 47 tag or '' (None\n"
    "is ''); mode 'query' or 'post'; subject the host's opaque key for holdout bucketing.\n"
    "Never raises on any text; a bad locale, mode or subject raises ValueError, a value of the\n"
    "wrong type TypeError.";

PyMethodDef evaluate_def = {"evaluate", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&fast_evaluate)),
                            METH_FASTCALL | METH_KEYWORDS, evaluate_doc};

}  // namespace

std::size_t set_release_gil_bytes(std::size_t bytes) { return std::exchange(release_gil_bytes, bytes); }

void install_fast_evaluate(py::handle engine_class) {
  engine_info = detail::get_type_info(typeid(PyEngine));
  decision_info = detail::get_type_info(typeid(PyDecision));
  if (engine_info == nullptr || decision_info == nullptr)
    throw std::logic_error("install_fast_evaluate: Engine and Decision must be registered first");
  for (int i = 0; i < 4; ++i) {
    keyword_names[i] = PyUnicode_InternFromString(arg_names[i]);
    if (keyword_names[i] == nullptr) throw py::error_already_set();
  }
  auto* type = reinterpret_cast<PyTypeObject*>(engine_class.ptr());
  py::object descr = py::reinterpret_steal<py::object>(PyDescr_NewMethod(type, &evaluate_def));
  if (!descr) throw py::error_already_set();
  if (PyObject_SetAttrString(engine_class.ptr(), "evaluate", descr.ptr()) != 0) throw py::error_already_set();
}

}  // namespace signpost_py
