// convert.cpp: Python objects to and from the C++ API's values, and the single-text engine calls.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <unistd.h>
#if defined(__linux__)
#include <sched.h>
#endif

#include <signpost/signpost.hpp>
#include <signpost/tools/eval.hpp>

#include "convert.hpp"

namespace signpost_py {

// ---------------------------------------------------------------------------------------------
// Strings in and out

// A text argument: a view of UTF-8 bytes and the Python object that owns them.


TextArg text_arg(py::handle h, const char* what) {
  PyObject* o = h.ptr();
  if (PyUnicode_Check(o)) {
    Py_ssize_t n = 0;
    // Borrowed from the str (cached in it): no copy for the common case.
    if (const char* p = PyUnicode_AsUTF8AndSize(o, &n)) {
      return {py::reinterpret_borrow<py::object>(h), {p, static_cast<std::size_t>(n)}};
    }
    PyErr_Clear();  // lone surrogates: keep one byte sequence per code point, let the engine repair
    PyObject* b = PyUnicode_AsEncodedString(o, "utf-8", "surrogatepass");
    if (b == nullptr) throw py::error_already_set();
    py::object owner = py::reinterpret_steal<py::object>(b);
    return {owner, {PyBytes_AS_STRING(b), static_cast<std::size_t>(PyBytes_GET_SIZE(b))}};
  }
  if (PyBytes_Check(o)) {
    return {py::reinterpret_borrow<py::object>(h),
            {PyBytes_AS_STRING(o), static_cast<std::size_t>(PyBytes_GET_SIZE(o))}};
  }
  if (PyByteArray_Check(o) || PyMemoryView_Check(o)) {
    // Copied: a bytearray could be resized by another thread while the GIL is released.
    PyObject* b = PyBytes_FromObject(o);
    if (b == nullptr) throw py::error_already_set();
    py::object owner = py::reinterpret_steal<py::object>(b);
    return {owner, {PyBytes_AS_STRING(b), static_cast<std::size_t>(PyBytes_GET_SIZE(b))}};
  }
  throw py::type_error(std::string(what) + " must be str or bytes, not " + Py_TYPE(o)->tp_name);
}

std::string string_arg(py::handle h, const char* what) {
  if (h.is_none()) return {};
  return std::string(text_arg(h, what).view);
}

// Library strings are UTF-8; anything else (bytes a host passed through) comes back with lone
// surrogates where it came in as such, or U+FFFD, never an exception.
py::str to_py(std::string_view s) {
  PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), nullptr);
  if (o == nullptr) {
    PyErr_Clear();
    o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "surrogatepass");
  }
  if (o == nullptr) {
    PyErr_Clear();
    o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
  }
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(o);
}

py::object json_loads(const std::string& json) {
  PYBIND11_CONSTINIT static py::gil_safe_call_once_and_store<py::object> loads;
  return loads.call_once_and_store_result([] { return py::module_::import("json").attr("loads"); })
      .get_stored()(to_py(json));
}

signpost::Mode mode_arg(py::handle h) {
  if (!PyUnicode_Check(h.ptr()))
    throw py::type_error(std::string("mode must be a str, not ") + Py_TYPE(h.ptr())->tp_name);
  // Read in place (no std::string): this runs on every evaluate() call.
  Py_ssize_t n = 0;
  if (const char* p = PyUnicode_AsUTF8AndSize(h.ptr(), &n)) {
    if (auto m = signpost::parse_mode(std::string_view(p, static_cast<std::size_t>(n)))) return *m;
  } else {
    PyErr_Clear();  // lone surrogates: no mode, the error below
  }
  throw py::value_error("mode must be 'query' or 'post', not " + py::repr(h).cast<std::string>());
}

TextArg locale_arg(py::handle h) {
  TextArg out = h.is_none() ? TextArg{} : text_arg(h, "locale");
  if (std::string problem = signpost::check_locale(out.view); !problem.empty()) throw py::value_error(problem);
  return out;
}

TextArg subject_arg(py::handle h) {
  TextArg out = h.is_none() ? TextArg{} : text_arg(h, "subject");
  if (std::string problem = signpost::check_subject(out.view); !problem.empty()) throw py::value_error(problem);
  return out;
}

py::str action_str(signpost::Action a) { return to_py(signpost::to_string(a)); }

// Empty ids are None, as they are null in the decision JSON.
py::object to_py_or_none(std::string_view s) { return s.empty() ? py::object(py::none()) : py::object(to_py(s)); }

// Number of cores this process may run on (its affinity mask), at least 1.
unsigned available_cores() {
#if defined(__linux__)
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return static_cast<unsigned>(n);
  }
#endif
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

// Index of the code point that starts at or contains byte `offset` of UTF-8 `s`: the number of
// lead bytes before it. Exact for the bytes of a Python str (also with 'surrogatepass').
std::size_t char_index(std::string_view s, std::size_t offset) {
  offset = std::min(offset, s.size());
  std::size_t n = 0;
  for (std::size_t i = 0; i < offset; ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  return n;
}

std::string decision_json(const PyDecision& self, py::handle id) {
  std::string s;
  if (!id.is_none())
    s = PyUnicode_Check(id.ptr()) || PyBytes_Check(id.ptr()) ? std::string(text_arg(id, "id").view)
                                                              : py::str(id).cast<std::string>();
  if (!self.error.empty()) {  // the shape of an error line of `signpost scan`
    std::string out = "{";
    if (!id.is_none()) {
      out += "\"id\":";
      signpost::append_json_string(out, s);
      out += ",";
    }
    out += "\"action\":\"error\",\"error\":";
    signpost::append_json_string(out, self.error);
    return out + "}";
  }
  return signpost::to_json(self.d, *self.pack, id.is_none() ? nullptr : &s);
}

py::dict card_dict(const signpost::Card& c) {
  std::string out;
  signpost::append_json(out, c);
  return json_loads(out);
}

py::dict result_dict(const signpost::Result& r) {
  py::dict d;
  d["id"] = to_py(r.id);
  d["title"] = to_py(r.title);
  d["snippet"] = to_py(r.snippet);
  d["url"] = to_py(r.url);
  return d;
}

// One entry of a redirected list, in the shape of signpost-server's POST /v1/redirect.
py::dict entry_dict(const signpost::RedirectEntry& e) {
  py::dict d;
  if (e.kind == signpost::RedirectEntry::Kind::card) {
    d["kind"] = "card";
    d["category"] = to_py(e.category);
    d["card"] = card_dict(e.card);
  } else {
    d["kind"] = "result";
    d["id"] = to_py(e.result.id);
    d["title"] = to_py(e.result.title);
    d["snippet"] = to_py(e.result.snippet);
    d["url"] = to_py(e.result.url);
    d["flagged"] = e.flagged;
    d["action"] = action_str(e.action);
    d["category"] = to_py(e.category);
    d["score"] = e.score;
  }
  return d;
}

std::string repr_str(std::string_view s) { return py::repr(to_py(s)).cast<std::string>(); }

// ---------------------------------------------------------------------------------------------
// Engine calls

signpost::EngineOptions make_options(std::optional<double> holdout_rate, py::handle holdout_salt,
                                     long long max_text_bytes) {
  if (max_text_bytes <= 0) throw py::value_error("max_text_bytes must be positive");
  if (holdout_rate && !(*holdout_rate >= 0.0 && *holdout_rate <= 1.0))
    throw py::value_error("holdout_rate must be in [0, 1]");
  signpost::EngineOptions o;
  o.max_text_bytes = static_cast<std::size_t>(max_text_bytes);
  o.holdout_rate = holdout_rate;
  o.holdout_salt = string_arg(holdout_salt, "holdout_salt");
  return o;
}

std::vector<signpost::Result> results_arg(py::handle results) {
  std::vector<signpost::Result> out;
  for (py::handle item : py::iter(results)) {
    if (py::isinstance<signpost::Result>(item)) {
      out.push_back(item.cast<signpost::Result>());
      continue;
    }
    if (!PyDict_Check(item.ptr()))
      throw py::type_error(std::string("each result must be a dict or a signpost.Result, not ") +
                           Py_TYPE(item.ptr())->tp_name);
    py::dict d = py::reinterpret_borrow<py::dict>(item);
    auto field = [&](const char* key) -> std::string {
      if (!d.contains(key)) return {};
      py::handle v = d[key];
      if (v.is_none()) return {};
      if (PyUnicode_Check(v.ptr()) || PyBytes_Check(v.ptr())) return std::string(text_arg(v, key).view);
      return py::str(v).cast<std::string>();  // ids are often numbers
    };
    out.push_back(signpost::Result{field("id"), field("title"), field("snippet"), field("url")});
  }
  return out;
}

PyRedirected redirect(const PyEngine& self, py::handle text, py::handle locale, py::handle mode,
                      py::handle subject, py::handle results) {
  const TextArg t = text_arg(text, "query text");
  const TextArg l = locale_arg(locale);
  const TextArg s = subject_arg(subject);
  const signpost::Query q{t.view, l.view, mode_arg(mode), s.view};
  const std::vector<signpost::Result> rs = results_arg(results);
  PyRedirected out{{}, pack_of(self.engine)};
  {
    py::gil_scoped_release nogil;
    out.r = self.engine->redirect(q, rs);
  }
  return out;
}

}  // namespace signpost_py
