// batch.cpp: evaluate_many, on a pool of threads kept between calls.
#include <pybind11/gil_safe_call_once.h>
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

}  // namespace

py::list evaluate_many(const PyEngine& self, py::handle texts, py::handle locale, py::handle mode,
                       long long threads, py::handle subjects) {
  if (threads < 0) throw py::value_error("threads must be >= 0 (0 = every available core)");
  if (PyUnicode_Check(texts.ptr()) || PyBytes_Check(texts.ptr()))
    throw py::type_error("texts must be an iterable of str or bytes, not a single text");
  PyObject* fast = PySequence_Fast(texts.ptr(), "texts must be an iterable of str or bytes");
  if (fast == nullptr) throw py::error_already_set();
  const py::object text_seq = py::reinterpret_steal<py::object>(fast);
  const auto n = static_cast<std::size_t>(PySequence_Fast_GET_SIZE(fast));
  PyObject** text_items = PySequence_Fast_ITEMS(fast);

  // Shapes are checked before any thread starts; values are converted block by block below.
  const PerItem locale_arg(locale, n, "locale", is_scalar_text(locale));
  const PerItem modes(mode, n, "mode", PyUnicode_Check(mode.ptr()) != 0);
  const PerItem subject_arg(subjects, n, "subjects", is_scalar_text(subjects));
  auto opt_text = [](py::handle h, const char* what) { return h.is_none() ? TextArg{} : text_arg(h, what); };
  const TextArg one_locale = locale_arg.scalar() ? opt_text(locale, "locale") : TextArg{};
  const TextArg one_subject = subject_arg.scalar() ? opt_text(subjects, "subject") : TextArg{};
  const signpost::Mode one_mode = modes.scalar() ? mode_arg(mode) : signpost::Mode::query;

  py::list out(n);
  if (n == 0) return out;
  std::size_t workers = threads == 0 ? available_cores() : static_cast<std::size_t>(threads);
  workers = std::max<std::size_t>(1, std::min({workers, n / min_items_per_thread, max_threads}));
  WorkerPool* pool = workers > 1 ? WorkerPool::for_this_process() : nullptr;  // with the GIL held

  std::vector<TextArg> text_args(n);
  std::vector<TextArg> locales(locale_arg.scalar() ? 0 : n), subject_args(subject_arg.scalar() ? 0 : n);
  std::vector<signpost::Query> queries(n);
  std::vector<signpost::Decision> decisions(n);
  Batch batch(*self.engine, queries, decisions, std::clamp<std::size_t>(n / (workers * 16), 16, 256));

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
    for (std::size_t b = 0; b < batch.blocks() && !batch.failed(); ++b) {
      for (std::size_t i = batch.block_begin(b), e = batch.block_end(b); i < e; ++i) {
        text_args[i] = text_arg(text_items[i], "text");
        signpost::Query& q = queries[i];
        q.text = text_args[i].view;
        if (locale_arg.scalar()) {
          q.locale = one_locale.view;
        } else {
          locales[i] = opt_text(locale_arg.items[i], "locale");
          q.locale = locales[i].view;
        }
        q.mode = modes.scalar() ? one_mode : mode_arg(modes.items[i]);
        if (subject_arg.scalar()) {
          q.subject = one_subject.view;
        } else {
          subject_args[i] = opt_text(subject_arg.items[i], "subject");
          q.subject = subject_args[i].view;
        }
      }
      batch.converted(b);
    }
  } catch (...) {
    batch.fail(std::current_exception());
  }

  {
    py::gil_scoped_release nogil;
    // This thread: wrap the blocks that are done (in order), else evaluate one, else wait.
    std::size_t wrapped = 0;
    while (wrapped < batch.blocks() && !batch.failed()) {
      if (batch.done(wrapped)) {
        try {
          py::gil_scoped_acquire gil;
          for (; wrapped < batch.blocks() && batch.done(wrapped); ++wrapped) {
            for (std::size_t i = batch.block_begin(wrapped), e = batch.block_end(wrapped); i < e; ++i) {
              py::object d = py::cast(PyDecision{std::move(decisions[i]), self.engine});
              PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(i), d.release().ptr());
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
  return out;
}

}  // namespace signpost_py
