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
// GIL: every call into the engine runs with the GIL released. The text stays alive because the
// binding holds a reference to the Python object (or to the bytes it was encoded to).

#include <pybind11/gil_safe_call_once.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <algorithm>
#include <atomic>
#include <cmath>
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
#include <unordered_map>
#include <utility>
#include <vector>

#include <unistd.h>
#if defined(__linux__)
#include <sched.h>
#endif

#include <signpost/signpost.hpp>

namespace py = pybind11;

namespace {

using EnginePtr = std::shared_ptr<const signpost::Engine>;
// The identity of the pack a decision came from: an alias into its engine, or (for a decision
// unpickled in another process) a copy of its own.
using PackPtr = std::shared_ptr<const signpost::PackInfo>;

PackPtr pack_of(const EnginePtr& engine) { return PackPtr(engine, &engine->pack()); }

// ---------------------------------------------------------------------------------------------
// Strings in and out

// A text argument: a view of UTF-8 bytes and the Python object that owns them.
struct TextArg {
  py::object owner;
  std::string_view view;
};

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
  const std::string s = h.cast<std::string>();
  if (auto m = signpost::parse_mode(s)) return *m;
  throw py::value_error("mode must be 'query' or 'post', not " + py::repr(h).cast<std::string>());
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

// ---------------------------------------------------------------------------------------------
// Wrapped values

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

PyDecision evaluate(const PyEngine& self, py::handle text, py::handle locale, py::handle mode,
                    py::handle subject) {
  const TextArg t = text_arg(text, "text");
  const TextArg l = locale.is_none() ? TextArg{} : text_arg(locale, "locale");
  const TextArg s = subject.is_none() ? TextArg{} : text_arg(subject, "subject");
  const signpost::Query q{t.view, l.view, mode_arg(mode), s.view};
  PyDecision out{{}, pack_of(self.engine), {}};
  {
    py::gil_scoped_release nogil;
    out.d = self.engine->evaluate(q);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// evaluate_many's threads

// A batch cut into blocks of texts. Threads claim blocks from a shared counter (texts differ in
// cost, so fixed halves would leave a core idle), evaluate them and mark them done. The calling
// thread first converts the arguments, block by block, while the helpers start on the converted
// ones; then it evaluates blocks too, and between two blocks takes the GIL to turn the finished
// ones into Python objects, in order. The work only one thread can do (with the GIL) thus
// overlaps with the evaluation instead of coming before and after it.
class Batch {
 public:
  Batch(const signpost::Engine& engine, const std::vector<signpost::Query>& queries,
        std::vector<signpost::Decision>& decisions, std::size_t block)
      : engine_(engine),
        queries_(queries),
        decisions_(decisions),
        block_(block),
        blocks_((queries.size() + block - 1) / block),
        done_(new std::atomic<bool>[blocks_]) {
    for (std::size_t b = 0; b < blocks_; ++b) done_[b].store(false, std::memory_order_relaxed);
  }

  std::size_t blocks() const { return blocks_; }
  std::size_t block_begin(std::size_t b) const { return b * block_; }
  std::size_t block_end(std::size_t b) const { return std::min(queries_.size(), (b + 1) * block_); }
  bool done(std::size_t b) const { return done_[b].load(std::memory_order_acquire); }
  bool failed() const { return failed_.load(std::memory_order_acquire); }

  // The caller converts the Python arguments block by block, with the GIL, while the helpers
  // already evaluate the blocks converted so far.
  void converted(std::size_t b) {
    {
      std::lock_guard<std::mutex> lock(m_);
      converted_.store(b + 1, std::memory_order_release);
    }
    block_done_.notify_all();
  }

  // Claims and evaluates one block; false when none is left (or the batch failed).
  bool run_one() noexcept {
    const std::size_t b = next_.fetch_add(1, std::memory_order_relaxed);
    if (b >= blocks_ || failed()) return false;
    if (b >= converted_.load(std::memory_order_acquire)) {
      std::unique_lock<std::mutex> lock(m_);
      block_done_.wait(lock, [&] { return b < converted_.load(std::memory_order_acquire) || failed(); });
      if (failed()) return false;
    }
    try {
      for (std::size_t i = block_begin(b), e = block_end(b); i < e; ++i) decisions_[i] = engine_.evaluate(queries_[i]);
    } catch (...) {
      fail(std::current_exception());
      return false;
    }
    done_[b].store(true, std::memory_order_release);
    { std::lock_guard<std::mutex> lock(m_); }  // pairs with the waiter's check under m_
    block_done_.notify_all();
    return true;
  }

  // For the helper threads: evaluate blocks until none is left.
  static void run(void* self) noexcept {
    while (static_cast<Batch*>(self)->run_one()) {
    }
  }

  // Blocks until block b is done or the batch failed.
  void wait_for(std::size_t b) {
    std::unique_lock<std::mutex> lock(m_);
    block_done_.wait(lock, [&] { return done(b) || failed(); });
  }

  // Records the first exception and stops everyone (std::bad_alloc is all evaluate may throw; the
  // caller may also fail while building Python objects).
  void fail(std::exception_ptr e) noexcept {
    {
      std::lock_guard<std::mutex> lock(m_);
      if (!error_) error_ = std::move(e);
      failed_.store(true, std::memory_order_release);
    }
    block_done_.notify_all();
  }
  std::exception_ptr error() const { return error_; }

 private:
  const signpost::Engine& engine_;
  const std::vector<signpost::Query>& queries_;
  std::vector<signpost::Decision>& decisions_;
  const std::size_t block_, blocks_;
  std::unique_ptr<std::atomic<bool>[]> done_;
  std::atomic<std::size_t> next_{0};
  std::atomic<std::size_t> converted_{0};  // blocks whose queries are ready
  std::atomic<bool> failed_{false};
  std::mutex m_;
  std::condition_variable block_done_;  // a block converted or done, or the batch failed
  std::exception_ptr error_;
};

// Threads kept between evaluate_many calls. Starting a thread costs tens of microseconds, and a new
// thread also builds its own engine scratch on its first call; kept threads pay that once. One
// batch uses the pool at a time (a concurrent batch starts threads of its own). The pool is never
// destroyed: its threads sleep until the process ends.
class WorkerPool {
 public:
  // The pool of this process, created on first use; after fork() the child (which has none of the
  // parent's threads) gets a new one. Call with the GIL held, which orders callers.
  static WorkerPool* for_this_process() {
    static WorkerPool* pool = nullptr;
    static pid_t owner = 0;
    if (pool == nullptr || owner != getpid()) {
      pool = new WorkerPool();  // the parent's pool (if any) is left alone: it is not ours to touch
      owner = getpid();
    }
    return pool;
  }

  // Starts fn(ctx) on `count` pool threads and returns at once; wait() must follow, on the same
  // thread. Returns false, having started nothing, when another batch has the pool.
  bool try_start(std::size_t count, void (*fn)(void*) noexcept, void* ctx) {
    if (!busy_.try_lock()) return false;
    try {
      std::lock_guard<std::mutex> lock(m_);
      for (; started_ < count; ++started_) std::thread([this] { worker(); }).detach();
      fn_ = fn;
      ctx_ = ctx;
      to_claim_ = count;
      running_ = count;
      ++generation_;
    } catch (...) {
      busy_.unlock();
      throw;
    }
    wake_.notify_all();
    return true;
  }

  void wait() {
    {
      std::unique_lock<std::mutex> lock(m_);
      done_.wait(lock, [this] { return running_ == 0; });
      fn_ = nullptr;
      ctx_ = nullptr;
    }
    busy_.unlock();
  }

 private:
  void worker() {
    std::uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(m_);
    for (;;) {
      wake_.wait(lock, [&] { return generation_ != seen && to_claim_ > 0; });
      seen = generation_;
      --to_claim_;
      void (*fn)(void*) noexcept = fn_;
      void* ctx = ctx_;
      lock.unlock();
      fn(ctx);
      lock.lock();
      if (--running_ == 0) done_.notify_all();
    }
  }

  std::mutex busy_;  // held from try_start to wait: one batch at a time
  std::mutex m_;     // guards everything below
  std::condition_variable wake_, done_;
  std::size_t started_ = 0;  // threads started (detached; they never exit)
  std::uint64_t generation_ = 0;
  std::size_t to_claim_ = 0, running_ = 0;
  void (*fn_)(void*) noexcept = nullptr;
  void* ctx_ = nullptr;
};

// Starting a thread, or waking one, has a cost: give each at least this many texts.
constexpr std::size_t min_items_per_thread = 16;
// More threads than this is never useful, and bounds what a typo in `threads` can start.
constexpr std::size_t max_threads = 256;

bool is_scalar_text(py::handle h) {
  return h.is_none() || PyUnicode_Check(h.ptr()) || PyBytes_Check(h.ptr());
}

bool is_nan(PyObject* o) { return PyFloat_Check(o) && std::isnan(PyFloat_AS_DOUBLE(o)); }

// A per-item argument of evaluate_many: one value for every text (`scalar`) or a sequence of n.
struct PerItem {
  py::object seq;  // the sequence, when not scalar
  PyObject** items = nullptr;
  PerItem(py::handle arg, std::size_t n, const char* what, bool scalar) {
    if (scalar) return;
    PyObject* fast = PySequence_Fast(arg.ptr(), "expected a str or a sequence with one value per text");
    if (fast == nullptr) throw py::error_already_set();
    seq = py::reinterpret_steal<py::object>(fast);
    const auto len = static_cast<std::size_t>(PySequence_Fast_GET_SIZE(fast));
    if (len != n)
      throw py::value_error(std::string(what) + " has " + std::to_string(len) + " items for " + std::to_string(n) +
                            " texts");
    items = PySequence_Fast_ITEMS(fast);
  }
  bool scalar() const { return items == nullptr; }
};

// One item's text: its bytes, or why it cannot be judged (None, NaN, a number, ...).
bool item_text(PyObject* o, TextArg& out, std::string& why) {
  if (PyUnicode_Check(o) || PyBytes_Check(o) || PyByteArray_Check(o) || PyMemoryView_Check(o)) {
    out = text_arg(o, "text");
    return true;
  }
  if (o == Py_None) {
    why = "text is missing (None)";
  } else if (is_nan(o)) {
    why = "text is missing (NaN)";
  } else {
    why = std::string("text must be str or bytes, not ") + Py_TYPE(o)->tp_name;
  }
  return false;
}

// One item's locale or subject: None and NaN (a missing value in a DataFrame) are "".
bool item_opt_text(PyObject* o, const char* what, TextArg& out, std::string& why) {
  if (o == Py_None || is_nan(o)) {
    out = {};
    return true;
  }
  if (PyUnicode_Check(o) || PyBytes_Check(o)) {
    out = text_arg(o, what);
    return true;
  }
  why = std::string(what) + " must be str, not " + Py_TYPE(o)->tp_name;
  return false;
}

bool item_mode(PyObject* o, signpost::Mode& out, std::string& why) {
  if (PyUnicode_Check(o)) {
    Py_ssize_t n = 0;
    if (const char* p = PyUnicode_AsUTF8AndSize(o, &n)) {
      if (auto m = signpost::parse_mode(std::string_view(p, static_cast<std::size_t>(n)))) {
        out = *m;
        return true;
      }
    } else {
      PyErr_Clear();
    }
  }
  why = "mode must be 'query' or 'post'";
  return false;
}

// The arguments of a batch (evaluate_many, evaluate_columns), checked and ready to convert.
struct BatchArgs {
  py::object text_seq;
  PyObject** text_items = nullptr;
  std::size_t n = 0;
  PerItem locales, modes, subjects;
  TextArg one_locale, one_subject;
  signpost::Mode one_mode = signpost::Mode::query;

  BatchArgs(py::handle texts, py::handle locale, py::handle mode, py::handle subject)
      : text_seq(fast_texts(texts)),
        text_items(PySequence_Fast_ITEMS(text_seq.ptr())),
        n(static_cast<std::size_t>(PySequence_Fast_GET_SIZE(text_seq.ptr()))),
        locales(locale, n, "locale", is_scalar_text(locale)),
        modes(mode, n, "mode", PyUnicode_Check(mode.ptr()) != 0),
        subjects(subject, n, "subjects", is_scalar_text(subject)) {
    if (locales.scalar() && !locale.is_none()) one_locale = text_arg(locale, "locale");
    if (subjects.scalar() && !subject.is_none()) one_subject = text_arg(subject, "subject");
    if (modes.scalar()) one_mode = mode_arg(mode);
  }

  static py::object fast_texts(py::handle texts) {
    if (PyUnicode_Check(texts.ptr()) || PyBytes_Check(texts.ptr()))
      throw py::type_error("texts must be an iterable of str or bytes, not a single text");
    PyObject* fast = PySequence_Fast(texts.ptr(), "texts must be an iterable of str or bytes");
    if (fast == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(fast);
  }
};

// Runs a batch on `threads` threads (0 = every available core) and calls emit(i, decision, error)
// for every item, in order, with the GIL held; `error` is empty unless item i could not be judged
// ("item i: text is None", ...), and then the decision is empty.
template <class Emit>
void run_batch(const signpost::Engine& engine, const BatchArgs& args, long long threads, Emit&& emit) {
  if (threads < 0) throw py::value_error("threads must be >= 0 (0 = every available core)");
  const std::size_t n = args.n;
  if (n == 0) return;
  std::size_t workers = threads == 0 ? available_cores() : static_cast<std::size_t>(threads);
  workers = std::max<std::size_t>(1, std::min({workers, n / min_items_per_thread, max_threads}));
  WorkerPool* pool = workers > 1 ? WorkerPool::for_this_process() : nullptr;  // with the GIL held

  std::vector<TextArg> text_args(n);
  std::vector<TextArg> locales(args.locales.scalar() ? 0 : n), subject_args(args.subjects.scalar() ? 0 : n);
  std::vector<signpost::Query> queries(n);
  std::vector<signpost::Decision> decisions(n);
  std::vector<std::string> errors;  // sized n at the first bad item
  Batch batch(engine, queries, decisions, std::clamp<std::size_t>(n / (workers * 16), 16, 256));

  // Helpers first (they never touch Python objects), so they work while this thread converts.
  std::vector<std::thread> own;  // when another Python thread's batch has the pool
  const bool pooled = workers > 1 && pool->try_start(workers - 1, &Batch::run, &batch);
  if (workers > 1 && !pooled) {
    try {
      own.reserve(workers - 1);
      for (std::size_t t = 1; t < workers; ++t) own.emplace_back(&Batch::run, &batch);
    } catch (...) {  // no more threads to be had: stop, join those started, report
      batch.fail(std::current_exception());
    }
  }
  try {
    std::string why;
    for (std::size_t b = 0; b < batch.blocks() && !batch.failed(); ++b) {
      for (std::size_t i = batch.block_begin(b), e = batch.block_end(b); i < e; ++i) {
        signpost::Query& q = queries[i];
        bool ok = item_text(args.text_items[i], text_args[i], why);
        if (ok && !args.locales.scalar()) ok = item_opt_text(args.locales.items[i], "locale", locales[i], why);
        if (ok && !args.subjects.scalar()) ok = item_opt_text(args.subjects.items[i], "subject", subject_args[i], why);
        q.mode = args.one_mode;
        if (ok && !args.modes.scalar()) ok = item_mode(args.modes.items[i], q.mode, why);
        if (!ok) {  // judged as an empty text (no work), answered with the error
          if (errors.empty()) errors.resize(n);
          errors[i] = "item " + std::to_string(i) + ": " + why;
          text_args[i] = {};
          continue;
        }
        q.text = text_args[i].view;
        q.locale = args.locales.scalar() ? args.one_locale.view : locales[i].view;
        q.subject = args.subjects.scalar() ? args.one_subject.view : subject_args[i].view;
      }
      batch.converted(b);
    }
  } catch (...) {
    batch.fail(std::current_exception());
  }

  {
    py::gil_scoped_release nogil;
    // This thread: hand the blocks that are done to emit (in order), else evaluate one, else wait.
    std::size_t wrapped = 0;
    const std::string no_error;
    while (wrapped < batch.blocks() && !batch.failed()) {
      if (batch.done(wrapped)) {
        try {
          py::gil_scoped_acquire gil;
          for (; wrapped < batch.blocks() && batch.done(wrapped); ++wrapped) {
            for (std::size_t i = batch.block_begin(wrapped), e = batch.block_end(wrapped); i < e; ++i) {
              if (!errors.empty() && !errors[i].empty()) {
                emit(i, signpost::Decision{}, std::move(errors[i]));
              } else {
                emit(i, std::move(decisions[i]), std::string());
              }
            }
          }
        } catch (...) {
          batch.fail(std::current_exception());
        }
      } else if (!batch.run_one()) {
        batch.wait_for(wrapped);
      }
    }
    if (pooled) pool->wait();
    for (std::thread& t : own) t.join();
  }
  if (batch.error()) std::rethrow_exception(batch.error());
}

py::list evaluate_many(const PyEngine& self, py::handle texts, py::handle locale, py::handle mode,
                       long long threads, py::handle subjects) {
  const BatchArgs args(texts, locale, mode, subjects);
  py::list out(args.n);
  const PackPtr pack = pack_of(self.engine);
  run_batch(*self.engine, args, threads, [&](std::size_t i, signpost::Decision&& d, std::string&& error) {
    py::object o = py::cast(PyDecision{std::move(d), pack, std::move(error)});
    PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(i), o.release().ptr());
  });
  return out;
}

// evaluate_many as columns, for DataFrames: (action, category, score, rules, cards, holdout,
// error), each a list with one value per text. No Python object per decision: strings that repeat
// (actions, categories, rule and card ids) are made once per batch.
py::tuple evaluate_columns(const PyEngine& self, py::handle texts, py::handle locale, py::handle mode,
                           long long threads, py::handle subjects) {
  const BatchArgs args(texts, locale, mode, subjects);
  const auto n = static_cast<Py_ssize_t>(args.n);
  py::list action(n), category(n), score(n), rules(n), cards(n), holdout(n), error(n);
  std::unordered_map<std::string, py::object> interned;
  auto intern = [&](const std::string& s) -> py::object {
    auto it = interned.find(s);
    if (it == interned.end()) it = interned.emplace(s, to_py(s)).first;
    return it->second;
  };
  const py::object error_action = py::str("error");
  run_batch(*self.engine, args, threads, [&](std::size_t i, signpost::Decision&& d, std::string&& why) {
    const auto k = static_cast<Py_ssize_t>(i);
    auto set = [k](py::list& column, py::object value) { PyList_SET_ITEM(column.ptr(), k, value.release().ptr()); };
    py::list rule_ids, card_ids;
    if (!why.empty()) {
      set(action, error_action);
      set(category, py::none());
      set(score, py::float_(0.0));
      set(holdout, py::bool_(false));
      set(error, to_py(why));
    } else {
      set(action, intern(std::string(signpost::to_string(d.action))));
      set(category, d.category.empty() ? py::object(py::none()) : intern(d.category));
      set(score, py::float_(d.score));
      set(holdout, py::bool_(d.holdout));
      set(error, py::none());
      // Each rule once, in the order it first fired.
      std::vector<const std::string*> seen;
      for (const signpost::Match& m : d.matches) {
        if (std::none_of(seen.begin(), seen.end(), [&](const std::string* r) { return *r == m.rule; })) {
          seen.push_back(&m.rule);
          rule_ids.append(intern(m.rule));
        }
      }
      for (const signpost::Card& c : d.cards) card_ids.append(intern(c.id));
    }
    set(rules, std::move(rule_ids));
    set(cards, std::move(card_ids));
  });
  return py::make_tuple(action, category, score, rules, cards, holdout, error);
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
  const TextArg l = locale.is_none() ? TextArg{} : text_arg(locale, "locale");
  const TextArg s = subject.is_none() ? TextArg{} : text_arg(subject, "subject");
  const signpost::Query q{t.view, l.view, mode_arg(mode), s.view};
  const std::vector<signpost::Result> rs = results_arg(results);
  PyRedirected out{{}, pack_of(self.engine)};
  {
    py::gil_scoped_release nogil;
    out.r = self.engine->redirect(q, rs);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pickling: every value as a tuple of plain Python values (strings as their UTF-8 bytes, so any
// byte a host passed through comes back unchanged). A decision carries its pack's identity, not
// the engine: it unpickles in a process that never loaded the pack.

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
                             "Why a batch item could not be judged ('item 3: text is None'), else None.")
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
  py::class_<PyEngine>(m, "Engine")
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
      .def("evaluate", &evaluate, py::arg("text"), py::arg("locale") = "", py::arg("mode") = "query",
           py::arg("subject") = "")
      .def("evaluate_many", &evaluate_many, py::arg("texts"), py::arg("locale") = "",
           py::arg("mode") = "query", py::arg("threads") = 0, py::kw_only(), py::arg("subjects") = py::none())
      .def("_evaluate_columns", &evaluate_columns, py::arg("texts"), py::arg("locale") = "",
           py::arg("mode") = "query", py::arg("threads") = 0, py::kw_only(), py::arg("subjects") = py::none())
      .def("_redirect", &redirect, py::arg("text"), py::arg("locale"), py::arg("mode"), py::arg("subject"),
           py::arg("results"))
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
