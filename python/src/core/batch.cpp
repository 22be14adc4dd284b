// batch.cpp: evaluate_many and evaluate_columns (DataFrames), on a pool of threads kept between calls.
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
#include <signpost/tools/eval.hpp>

#include "convert.hpp"

namespace signpost_py {
namespace {

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

// One item's locale or subject: None and NaN (a missing value in a DataFrame) are "". A value that
// signpost/validate.hpp refuses (`check`) makes the item an error, as it does in scan and the server.
bool item_opt_text(PyObject* o, const char* what, std::string (*check)(std::string_view), TextArg& out,
                   std::string& why) {
  if (o == Py_None || is_nan(o)) {
    out = {};
    return true;
  }
  if (PyUnicode_Check(o) || PyBytes_Check(o)) {
    out = text_arg(o, what);
    why = check(out.view);
    return why.empty();
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
    if (locales.scalar()) one_locale = locale_arg(locale);
    if (subjects.scalar()) one_subject = subject_arg(subject);
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
        if (ok && !args.locales.scalar())
          ok = item_opt_text(args.locales.items[i], "locale", signpost::check_locale, locales[i], why);
        if (ok && !args.subjects.scalar())
          ok = item_opt_text(args.subjects.items[i], "subject", signpost::check_subject, subject_args[i], why);
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

}  // namespace

py::list evaluate_many(const PyEngine& self, py::handle texts, py::handle locale, py::handle mode,
                       long long threads, py::handle subjects) {
  const BatchArgs args(texts, locale, mode, subjects);
  py::list out(args.n);
  const PackPtr pack = pack_of(self.engine);
  run_batch(*self.engine, args, threads, [&](std::size_t i, signpost::Decision&& d, std::string&& error) {
    py::object o = new_decision(PyDecision{std::move(d), pack, std::move(error)});
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

}  // namespace signpost_py
