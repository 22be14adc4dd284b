// signpost._core: the pybind11 binding of libsignpost.
//
// This file only converts between Python and the C++ API of <signpost/signpost.hpp>; every
// decision is the library's. The pure-Python package (src/signpost/) is the public face: it adds
// the default-pack lookup, flexible argument shapes and the analysis helpers.
//
// Text: a str is passed to the engine as its UTF-8 bytes (lone surrogates as 'surrogatepass'
// bytes, which the engine treats as invalid UTF-8: separators, never a crash); bytes are passed
// unchanged. Match offsets are byte offsets into that UTF-8 text; Match.span_chars() maps them
// back to str indexes.
//
// GIL: every call into the engine runs with the GIL released, except evaluate() on a text shorter
// than 512 bytes (fast_evaluate.cpp). The text stays alive because the binding holds a reference
// to the Python object (or to the bytes it was encoded to).

#include <pybind11/gil_safe_call_once.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <algorithm>
#include <concepts>
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
#include <tuple>
#include <utility>
#include <vector>

#include <unistd.h>
#if defined(__linux__)
#include <sched.h>
#endif

#include <signpost/signpost.hpp>
#include <signpost/tools/diff.hpp>
#include <signpost/tools/eval.hpp>
#include <signpost/tools/explain.hpp>
#include <signpost/tools/pack.hpp>
#include <signpost/tools/report.hpp>

#include <sstream>

#include "convert.hpp"
#include "pickle.hpp"

namespace py = pybind11;
using namespace signpost_py;

namespace {

// Engine::load_archive (packs as one file, from memory) comes with the pack-archive work. While the
// library has no such function the extension says so (_core._archive_loader is False) and the
// Python layer loads archives itself (signpost/_archive.py); once it has, archives go to it.
template <class E>
concept ArchiveLoading = requires(std::string_view bytes, const signpost::EngineOptions& options) {
  { E::load_archive(bytes, options) } -> std::same_as<E>;
};

template <class E = signpost::Engine>
PyEngine engine_from_archive(const py::bytes& archive, std::optional<double> holdout_rate, py::handle holdout_salt,
                             long long max_text_bytes) {
  if constexpr (ArchiveLoading<E>) {
    const signpost::EngineOptions options = make_options(holdout_rate, holdout_salt, max_text_bytes);
    const std::string_view bytes = archive;  // alive: the caller holds the bytes object
    E engine = [&] {
      py::gil_scoped_release nogil;
      return E::load_archive(bytes, options);
    }();
    return PyEngine{std::make_shared<const E>(std::move(engine)), {}};
  } else {
    throw py::type_error("this build of the library has no Engine::load_archive");
  }
}

// ---------------------------------------------------------------------------------------------
// ConfigError -> signpost.ConfigError (a ValueError defined in signpost/_errors.py)

void translate_config_error(const signpost::ConfigError& e) {
  py::module_ errors = py::module_::import("signpost._errors");
  py::object problem_type = errors.attr("Problem");
  py::list problems;
  for (const signpost::Problem& p : e.problems)
    problems.append(problem_type(to_py(p.file), p.line, p.column, to_py(p.message)));
  if (e.problems.empty())
    problems.append(problem_type(to_py(e.file), e.line, e.column, to_py(e.what())));
  py::object type = errors.attr("ConfigError");
  py::object value = type(to_py(e.what()), problems);
  PyErr_SetObject(type.ptr(), value.ptr());
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "Binding of libsignpost; use the signpost package, not this module.";
  m.attr("version") = std::string(signpost::version);

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const signpost::ConfigError& e) {
      translate_config_error(e);
    } catch (const signpost::Error& e) {  // bad layout, snapshot, overflow: a ValueError as before
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });

  m.def("holdout_bucket",
        [](py::handle salt, py::handle subject) {
          const TextArg s = text_arg(salt, "salt");
          const TextArg k = text_arg(subject, "subject");
          return signpost::holdout_bucket(s.view, k.view);
        },
        py::arg("salt"), py::arg("subject"),
        "The holdout bucket in [0, 1) of a subject: the first 8 bytes of HMAC-SHA256(salt, subject)\n"
        "as a big-endian integer over 2**64. Same value as the C++ library and the server.");
  m.attr("_archive_loader") = py::bool_(ArchiveLoading<signpost::Engine>);
  // The C++ tool's own commands (signpost::tools), for the console script: (exit code, stdout, stderr).
  using Command = int (*)(const std::vector<std::string>&, std::ostream&, std::ostream&);
  for (auto [name, run, what] : {std::tuple{"run_report", Command{signpost::tools::run_report}, "report"},
                                 std::tuple{"run_diff", Command{signpost::tools::run_diff}, "diff"},
                                 std::tuple{"run_pack", Command{signpost::tools::run_pack}, "pack"},
                                 std::tuple{"run_explain", Command{signpost::tools::run_explain}, "explain"}}) {
    m.def(name,
          [run](const std::vector<std::string>& args) {
            std::ostringstream out, err;
            int code = 0;
            {
              py::gil_scoped_release nogil;  // loading packs, reading and writing files
              code = run(args, out, err);
            }
            return py::make_tuple(code, to_py(out.str()), to_py(err.str()));
          },
          py::arg("args"),
          (std::string("The `signpost ") + what + "` command (the C++ tool's own code): (exit code, stdout, stderr).")
              .c_str());
  }
  // The request-field validation every front end shares (signpost/validate.hpp).
  for (auto [name, check] : {std::pair{"check_locale", &signpost::check_locale},
                             std::pair{"check_mode", &signpost::check_mode},
                             std::pair{"check_subject", &signpost::check_subject},
                             std::pair{"check_id", &signpost::check_id}}) {
    m.def(name, [check](py::handle value) { return to_py(check(text_arg(value, "value").view)); }, py::arg("value"),
          "'' when the value is accepted, else why not (the same check as the CLI and the server).");
  }
  m.def("language_key", [](const std::string& locale) { return signpost::tools::language_key(locale); },
        py::arg("locale"),
        "The by_language key of an eval table: the folded language subtag ('fa' for 'fa-IR'), '-' when empty.");
  m.def("available_cores", &available_cores, "Cores this process may run on (threads=0 uses them all).");
  m.def("default_pack_path", [] { return signpost::Engine::default_pack_path(); },
        "The pack the C++ library loads by default ($SIGNPOST_PACK, installed, or source tree).");

  // --- values -------------------------------------------------------------------------------
  py::class_<signpost::PackInfo>(m, "PackInfo")
      .def_property_readonly("name", [](const signpost::PackInfo& p) { return to_py(p.name); })
      .def_property_readonly("version", [](const signpost::PackInfo& p) { return to_py(p.version); })
      .def_property_readonly("hash", [](const signpost::PackInfo& p) { return to_py(p.hash); })
      .def("to_dict", [](const signpost::PackInfo& p) {
        py::dict d;
        d["name"] = to_py(p.name);
        d["version"] = to_py(p.version);
        d["hash"] = to_py(p.hash);
        return d;
      })
      .def("__eq__", [](const signpost::PackInfo& a, const signpost::PackInfo& b) {
        return a.name == b.name && a.version == b.version && a.hash == b.hash;
      })
      .def(py::pickle(&pack_state, &pack_from))
      .def("__repr__", [](const signpost::PackInfo& p) {
        return "PackInfo(name=" + repr_str(p.name) + ", version=" + repr_str(p.version) +
               ", hash=" + repr_str(p.hash) + ")";
      });

  py::class_<signpost::Match>(m, "Match")
      .def_property_readonly("rule", [](const signpost::Match& x) { return to_py(x.rule); })
      .def_property_readonly("category", [](const signpost::Match& x) { return to_py(x.category); })
      .def_property_readonly("start", [](const signpost::Match& x) { return x.begin; },
                             "Byte offset of the match in the UTF-8 text.")
      .def_property_readonly("end", [](const signpost::Match& x) { return x.end; },
                             "Byte offset just past the match in the UTF-8 text.")
      .def("span_chars",
           [](const signpost::Match& x, py::handle text) -> py::tuple {
             if (!PyUnicode_Check(text.ptr())) return py::make_tuple(x.begin, x.end);
             const TextArg t = text_arg(text, "text");
             return py::make_tuple(char_index(t.view, x.begin), char_index(t.view, x.end));
           },
           py::arg("text"),
           "(start, end) as indexes into the str that was evaluated, so text[start:end] is the\n"
           "matched span. For bytes, the byte offsets unchanged.")
      .def("to_dict", [](const signpost::Match& x) {
        py::dict d;
        d["rule"] = to_py(x.rule);
        d["category"] = to_py(x.category);
        d["start"] = x.begin;
        d["end"] = x.end;
        return d;
      })
      .def("__eq__", [](const signpost::Match& a, const signpost::Match& b) { return a == b; })
      .def(py::pickle(&match_state, &match_from))
      .def("__hash__", [](const signpost::Match& x) {
        return py::hash(py::make_tuple(to_py(x.rule), to_py(x.category), x.begin, x.end));
      })
      .def("__repr__", [](const signpost::Match& x) {
        return "Match(rule=" + repr_str(x.rule) + ", category=" + repr_str(x.category) +
               ", start=" + std::to_string(x.begin) + ", end=" + std::to_string(x.end) + ")";
      });

  py::class_<signpost::Card>(m, "Card")
      .def_property_readonly("id", [](const signpost::Card& c) { return to_py(c.id); })
      .def_property_readonly("locale", [](const signpost::Card& c) { return to_py(c.locale); })
      .def_property_readonly("title", [](const signpost::Card& c) { return to_py(c.title); })
      .def_property_readonly("body", [](const signpost::Card& c) { return to_py(c.body); })
      .def_property_readonly("url", [](const signpost::Card& c) { return to_py(c.url); })
      .def_property_readonly("cta", [](const signpost::Card& c) { return to_py(c.cta); })
      .def_property_readonly("rtl", [](const signpost::Card& c) { return c.rtl; })
      .def_property_readonly("dir", [](const signpost::Card& c) { return c.rtl ? "rtl" : "ltr"; })
      .def("to_dict", &card_dict)
      .def("__eq__", [](const signpost::Card& a, const signpost::Card& b) { return a == b; })
      .def(py::pickle(&card_state, &card_from))
      .def("__hash__", [](const signpost::Card& c) { return py::hash(py::make_tuple(to_py(c.id), to_py(c.locale))); })
      .def("__repr__", [](const signpost::Card& c) {
        return "Card(id=" + repr_str(c.id) + ", locale=" + repr_str(c.locale) + ", title=" +
               repr_str(c.title) + ")";
      });

  py::class_<signpost::Result>(m, "Result")
      .def(py::init([](py::handle id, py::handle title, py::handle snippet, py::handle url) {
             auto field = [](py::handle v, const char* what) -> std::string {
               if (v.is_none()) return {};
               if (PyUnicode_Check(v.ptr()) || PyBytes_Check(v.ptr())) return std::string(text_arg(v, what).view);
               return py::str(v).cast<std::string>();
             };
             return signpost::Result{field(id, "id"), field(title, "title"), field(snippet, "snippet"),
                                     field(url, "url")};
           }),
           py::arg("id") = "", py::arg("title") = "", py::arg("snippet") = "", py::arg("url") = "")
      .def_property_readonly("id", [](const signpost::Result& r) { return to_py(r.id); })
      .def_property_readonly("title", [](const signpost::Result& r) { return to_py(r.title); })
      .def_property_readonly("snippet", [](const signpost::Result& r) { return to_py(r.snippet); })
      .def_property_readonly("url", [](const signpost::Result& r) { return to_py(r.url); })
      .def("to_dict", &result_dict)
      .def("__eq__", [](const signpost::Result& a, const signpost::Result& b) { return a == b; })
      .def(py::pickle(&result_state, &result_from))
      .def("__repr__", [](const signpost::Result& r) {
        return "Result(id=" + repr_str(r.id) + ", title=" + repr_str(r.title) + ", url=" + repr_str(r.url) + ")";
      });

  py::class_<PyDecision>(m, "Decision")
      .def_property_readonly("action",
                             [](const PyDecision& x) -> py::str {
                               return x.error.empty() ? action_str(x.d.action) : py::str("error");
                             },
                             "'none', 'annotate', 'interstitial' or 'redirect'; 'error' for a batch item\n"
                             "that could not be judged (see error).")
      .def_property_readonly("error", [](const PyDecision& x) { return to_py_or_none(x.error); },
                             "Why a batch item could not be judged ('item 3: text is missing (None)'), else None.")
      .def_property_readonly("category", [](const PyDecision& x) { return to_py_or_none(x.d.category); },
                             "The winning category, or None (as null in the JSON).")
      .def_property_readonly("score", [](const PyDecision& x) { return x.d.score; })
      .def_property_readonly("matches", [](const PyDecision& x) { return x.d.matches; })
      .def_property_readonly("cards", [](const PyDecision& x) { return x.d.cards; })
      .def_property_readonly("holdout", [](const PyDecision& x) { return x.d.holdout; })
      .def_property_readonly("locale", [](const PyDecision& x) { return to_py_or_none(x.d.locale); },
                             "The locale the cards were chosen for, or None.")
      .def_property_readonly("pack", [](const PyDecision& x) { return *x.pack; })
      .def_property_readonly("intervenes", [](const PyDecision& x) { return x.d.action != signpost::Action::none; },
                             "True when the action is not 'none'.")
      .def("to_json",
           [](const PyDecision& x, py::handle id) { return to_py(decision_json(x, id)); },
           py::arg("id") = py::none(),
           "The decision as one line of JSON, byte for byte what the command-line tool prints.")
      .def("to_dict",
           [](const PyDecision& x, py::handle id) { return json_loads(decision_json(x, id)); },
           py::arg("id") = py::none(), "json.loads(self.to_json(id)).")
      .def("__eq__", [](const PyDecision& a, const PyDecision& b) { return a.d == b.d && a.error == b.error; })
      .def(py::pickle(&decision_state, &decision_from))
      .def("__repr__", [](const PyDecision& x) {
        if (!x.error.empty()) return "Decision(action='error', error=" + repr_str(x.error) + ")";
        std::string s = "Decision(action=" + repr_str(signpost::to_string(x.d.action)) +
                        ", category=" + repr_str(x.d.category) +
                        ", score=" + py::repr(py::float_(x.d.score)).cast<std::string>() +
                        ", matches=" + std::to_string(x.d.matches.size()) +
                        ", cards=" + std::to_string(x.d.cards.size());
        if (x.d.holdout) s += ", holdout=True";
        return s + ")";
      });

  py::class_<signpost::RedirectEntry>(m, "RedirectEntry")
      .def_property_readonly("kind", [](const signpost::RedirectEntry& e) {
        return e.kind == signpost::RedirectEntry::Kind::card ? "card" : "result";
      })
      .def_property_readonly("card", [](const signpost::RedirectEntry& e) -> py::object {
        if (e.kind != signpost::RedirectEntry::Kind::card) return py::none();
        return py::cast(e.card);
      })
      .def_property_readonly("result", [](const signpost::RedirectEntry& e) -> py::object {
        if (e.kind != signpost::RedirectEntry::Kind::result) return py::none();
        return py::cast(e.result);
      })
      .def_property_readonly("action", [](const signpost::RedirectEntry& e) { return action_str(e.action); })
      .def_property_readonly("category", [](const signpost::RedirectEntry& e) { return to_py(e.category); },
                             "For a card, the category it answers; for a result, its category when\n"
                             "flagged; else ''.")
      .def_property_readonly("score", [](const signpost::RedirectEntry& e) { return e.score; })
      .def_property_readonly("flagged", [](const signpost::RedirectEntry& e) { return e.flagged; })
      .def("to_dict", &entry_dict)
      .def("__eq__", [](const signpost::RedirectEntry& a, const signpost::RedirectEntry& b) {
        return entry_state(a).equal(entry_state(b));
      })
      .def(py::pickle(&entry_state, &entry_from))
      .def("__repr__", [](const signpost::RedirectEntry& e) {
        if (e.kind == signpost::RedirectEntry::Kind::card)
          return "RedirectEntry(kind='card', card=" + repr_str(e.card.id) + ", category=" + repr_str(e.category) + ")";
        return "RedirectEntry(kind='result', id=" + repr_str(e.result.id) + ", action=" +
               repr_str(signpost::to_string(e.action)) + ", flagged=" + (e.flagged ? "True" : "False") + ")";
      });

  py::class_<PyRedirected>(m, "RedirectedResults")
      .def_property_readonly("decision", [](const PyRedirected& x) { return PyDecision{x.r.decision, x.pack, {}}; })
      .def_property_readonly("entries", [](const PyRedirected& x) { return x.r.entries; })
      .def_property_readonly("removed", [](const PyRedirected& x) { return x.r.removed; })
      .def_property_readonly("flagged", [](const PyRedirected& x) { return x.r.flagged; })
      .def("to_dict", [](const PyRedirected& x) {
        py::dict d;
        d["decision"] = json_loads(signpost::to_json(x.r.decision, *x.pack));
        py::list entries;
        for (const signpost::RedirectEntry& e : x.r.entries) entries.append(entry_dict(e));
        d["results"] = entries;
        d["removed"] = x.r.removed;
        d["flagged"] = x.r.flagged;
        return d;
      })
      .def("__len__", [](const PyRedirected& x) { return x.r.entries.size(); })
      .def("__eq__", [](const PyRedirected& a, const PyRedirected& b) {
        return redirected_state(a).equal(redirected_state(b));
      })
      .def(py::pickle(&redirected_state, &redirected_from))
      .def("__repr__", [](const PyRedirected& x) {
        return "RedirectedResults(action=" + repr_str(signpost::to_string(x.r.decision.action)) +
               ", entries=" + std::to_string(x.r.entries.size()) + ", removed=" + std::to_string(x.r.removed) +
               ", flagged=" + std::to_string(x.r.flagged) + ")";
      });

  py::class_<signpost::ExampleFailure>(m, "ExampleFailure")
      .def_property_readonly("file", [](const signpost::ExampleFailure& f) { return to_py(f.file); })
      .def_readonly("line", &signpost::ExampleFailure::line)
      .def_readonly("column", &signpost::ExampleFailure::column)
      .def_property_readonly("owner", [](const signpost::ExampleFailure& f) { return to_py(f.owner); })
      .def_property_readonly("expected", [](const signpost::ExampleFailure& f) { return to_py(f.expected); })
      .def_property_readonly("text", [](const signpost::ExampleFailure& f) { return to_py(f.text); })
      .def("__str__", [](const signpost::ExampleFailure& f) { return to_py(f.to_string()); })
      .def("__repr__", [](const signpost::ExampleFailure& f) {
        return "ExampleFailure(" + py::repr(to_py(f.to_string())).cast<std::string>() + ")";
      });

  py::class_<signpost::LintReport>(m, "LintReport")
      .def_readonly("examples", &signpost::LintReport::examples, "Embedded examples run.")
      .def_readonly("failures", &signpost::LintReport::failures)
      .def_property_readonly("ok", &signpost::LintReport::ok)
      .def("__bool__", &signpost::LintReport::ok)
      .def("__repr__", [](const signpost::LintReport& r) {
        return "LintReport(examples=" + std::to_string(r.examples) +
               ", failures=" + std::to_string(r.failures.size()) + ")";
      });

  // --- the engine ---------------------------------------------------------------------------
  py::class_<PyEngine> engine_class(m, "Engine");
  engine_class
      .def(py::init([](const std::filesystem::path& path, std::optional<double> holdout_rate,
                       py::handle holdout_salt, long long max_text_bytes) {
             const signpost::EngineOptions options = make_options(holdout_rate, holdout_salt, max_text_bytes);
             signpost::Engine engine = [&] {
               py::gil_scoped_release nogil;  // compiling a large pack takes a while
               return signpost::Engine::load(path, options);
             }();
             return PyEngine{std::make_shared<const signpost::Engine>(std::move(engine)), path};
           }),
           py::arg("path"), py::kw_only(), py::arg("holdout_rate") = py::none(),
           py::arg("holdout_salt") = "", py::arg("max_text_bytes") = signpost::EngineOptions{}.max_text_bytes)
      .def(py::init(&engine_from_archive<>), py::kw_only(), py::arg("archive"), py::arg("holdout_rate") = py::none(),
           py::arg("holdout_salt") = "", py::arg("max_text_bytes") = signpost::EngineOptions{}.max_text_bytes)
      .def("evaluate_many", &evaluate_many, py::arg("texts"), py::arg("locale") = "",
           py::arg("mode") = "query", py::arg("threads") = 0, py::kw_only(), py::arg("subjects") = py::none())
      .def("_evaluate_columns", &evaluate_columns, py::arg("texts"), py::arg("locale") = "",
           py::arg("mode") = "query", py::arg("threads") = 0, py::kw_only(), py::arg("subjects") = py::none())
      .def("_redirect", &redirect, py::arg("text"), py::arg("locale"), py::arg("mode"), py::arg("subject"),
           py::arg("results"))
      .def("filter_suggestions",
           [](const PyEngine& self, py::handle typed, py::iterable suggestions, py::handle locale) {
             // The suggestions that are safe to show, as the same objects, in order.
             const TextArg t = text_arg(typed, "typed");
             const TextArg l = locale_arg(locale);
             const py::list given(suggestions);
             std::vector<std::string> texts;
             texts.reserve(given.size());
             for (py::handle s : given) texts.push_back(std::string(text_arg(s, "suggestion").view));
             std::vector<std::size_t> kept;
             {
               py::gil_scoped_release nogil;
               kept = self.engine->filter_suggestions(signpost::Query{t.view, l.view}, texts);
             }
             py::list out;
             for (std::size_t i : kept) out.append(given[i]);
             return out;
           },
           py::arg("typed"), py::arg("suggestions"), py::arg("locale") = py::none())
      .def("lint", [](const PyEngine& self) {
        py::gil_scoped_release nogil;
        return self.engine->lint();
      })
      .def_property_readonly("pack", [](const PyEngine& self) { return self.engine->pack(); })
      .def_property_readonly("path", [](const PyEngine& self) { return self.path; })
      .def_property_readonly("options", [](const PyEngine& self) {
        const signpost::EngineOptions& o = self.engine->options();
        py::dict d;
        d["max_text_bytes"] = o.max_text_bytes;
        d["holdout_rate"] = o.holdout_rate ? py::object(py::float_(*o.holdout_rate)) : py::object(py::none());
        d["holdout_salt"] = to_py(o.holdout_salt);
        return d;
      })
      .def_property_readonly("languages", [](const PyEngine& self) { return self.engine->languages(); })
      .def_property_readonly("default_locale", [](const PyEngine& self) { return self.engine->default_locale(); })
      .def("categories", [](const PyEngine& self) { return self.engine->categories(); })
      .def("card_ids", [](const PyEngine& self) { return self.engine->card_ids(); })
      .def("card",
           [](const PyEngine& self, py::handle id, py::handle locale) -> py::object {
             const TextArg i = text_arg(id, "id");
             const TextArg l = locale.is_none() ? TextArg{} : text_arg(locale, "locale");
             std::optional<signpost::Card> c = self.engine->card(i.view, l.view);
             if (!c) return py::none();
             return py::cast(std::move(*c));
           },
           py::arg("id"), py::arg("locale") = "")
      .def("locale_chain",
           [](const PyEngine& self, py::handle locale) {
             const TextArg l = text_arg(locale, "locale");
             return self.engine->locale_chain(l.view);
           },
           py::arg("locale"))
      .def("holdout_rate",
           [](const PyEngine& self, py::handle category) {
             const TextArg c = text_arg(category, "category");
             return self.engine->holdout_rate(c.view);
           },
           py::arg("category"));
  install_fast_evaluate(engine_class);  // Engine.evaluate(text, locale="", mode="query", subject="")
  m.def("_set_release_gil_bytes", &set_release_gil_bytes, py::arg("bytes"),
        "evaluate() releases the GIL for texts of at least this many bytes; returns the previous value\n"
        "(for the benchmark and the tests).");

  // --- measurement --------------------------------------------------------------------------
  py::class_<PyRecorder>(m, "MetricsRecorder")
      .def(py::init([](const PyEngine& engine) {
             return PyRecorder{engine.engine, std::make_unique<signpost::MetricsRecorder>(*engine.engine)};
           }),
           py::arg("engine"))
      .def("record", [](PyRecorder& self, const PyDecision& d) { self.recorder->record(d.d); }, py::arg("decision"))
      .def("record_impression",
           [](PyRecorder& self, py::handle card, py::handle locale) {
             const TextArg c = text_arg(card, "card_id");
             const TextArg l = text_arg(locale, "locale");
             self.recorder->record_impression(c.view, l.view);
           },
           py::arg("card_id"), py::arg("locale"))
      .def("record_click",
           [](PyRecorder& self, py::handle card, py::handle locale) {
             const TextArg c = text_arg(card, "card_id");
             const TextArg l = text_arg(locale, "locale");
             self.recorder->record_click(c.view, l.view);
           },
           py::arg("card_id"), py::arg("locale"))
      .def("snapshot_json", [](const PyRecorder& self) { return to_py(self.recorder->snapshot().to_json()); })
      .def("snapshot", [](const PyRecorder& self) { return json_loads(self.recorder->snapshot().to_json()); })
      .def("prometheus",
           [](const PyRecorder& self, const std::string& prefix) {
             return to_py(self.recorder->snapshot().to_prometheus(prefix));
           },
           py::arg("prefix") = "signpost");
}
