// measure.hpp: clocks, percentiles, process memory and a description of the machine.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <thread>

#include <time.h>
#include <vector>

#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

inline double ns_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::nano>(b - a).count();
}

// CPU time of the whole process (every thread), in seconds.
inline double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The q-quantile (0..1) of `v` by nearest rank; sorts a copy.
inline double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// Resident set size in bytes, from /proc/self/statm (0 if unavailable).
inline std::uint64_t rss_bytes() {
  std::ifstream f("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  if (!(f >> size >> resident)) return 0;
  return resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

// Returns freed heap memory to the system, so that RSS reflects what is live.
inline void trim_heap() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

// User-space CPU cycles and instructions retired by the calling thread, from perf_event_open.
// Unlike wall time, these do not grow when other processes take the CPU, so they stay comparable
// on a shared machine. Unavailable (ok() false) where the kernel or a container forbids them.
class ThreadCounters {
 public:
  struct Values {
    std::uint64_t cycles = 0, instructions = 0;
  };
  ThreadCounters() {
    cycles_ = open(PERF_COUNT_HW_CPU_CYCLES);
    instructions_ = open(PERF_COUNT_HW_INSTRUCTIONS);
    if (cycles_ < 0 || instructions_ < 0) close_all();
  }
  ~ThreadCounters() { close_all(); }
  ThreadCounters(const ThreadCounters&) = delete;
  ThreadCounters& operator=(const ThreadCounters&) = delete;

  bool ok() const { return cycles_ >= 0; }
  Values read() const {
    Values v;
    if (!ok()) return v;
    if (::read(cycles_, &v.cycles, sizeof v.cycles) != sizeof v.cycles) v.cycles = 0;
    if (::read(instructions_, &v.instructions, sizeof v.instructions) != sizeof v.instructions) v.instructions = 0;
    return v;
  }

 private:
  static int open(std::uint64_t config) {
    perf_event_attr a{};
    a.size = sizeof a;
    a.type = PERF_TYPE_HARDWARE;
    a.config = config;
    a.exclude_kernel = 1;
    a.exclude_hv = 1;
    return static_cast<int>(syscall(SYS_perf_event_open, &a, 0, -1, -1, 0));
  }
  void close_all() {
    if (cycles_ >= 0) ::close(cycles_);
    if (instructions_ >= 0) ::close(instructions_);
    cycles_ = instructions_ = -1;
  }
  int cycles_ = -1, instructions_ = -1;
};

// Running totals of counter deltas over timed regions.
struct CounterTotals {
  std::uint64_t cycles = 0, instructions = 0, units = 0;
  void add(const ThreadCounters::Values& a, const ThreadCounters::Values& b, std::uint64_t n) {
    cycles += b.cycles - a.cycles;
    instructions += b.instructions - a.instructions;
    units += n;
  }
  double cycles_per() const { return units ? static_cast<double>(cycles) / static_cast<double>(units) : 0; }
  double instructions_per() const { return units ? static_cast<double>(instructions) / static_cast<double>(units) : 0; }
};

inline std::string cpu_model() {
  std::ifstream f("/proc/cpuinfo");
  for (std::string line; std::getline(f, line);) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) {
        std::string m = line.substr(colon + 1);
        m.erase(0, m.find_first_not_of(" \t"));
        return m;
      }
    }
  }
  return "unknown";
}

inline std::string cpu_mhz() {
  std::ifstream f("/proc/cpuinfo");
  for (std::string line; std::getline(f, line);) {
    if (line.rfind("cpu MHz", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) {
        std::string m = line.substr(colon + 1);
        m.erase(0, m.find_first_not_of(" \t"));
        return m;
      }
    }
  }
  return "unknown";
}

inline std::string load_average() {
  std::ifstream f("/proc/loadavg");
  std::string a, b, c;
  if (!(f >> a >> b >> c)) return "unknown";
  return a + " " + b + " " + c;
}

inline unsigned online_cpus() {
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<unsigned>(n) : std::thread::hardware_concurrency();
}

inline std::string compiler() {
#if defined(__clang__)
  return std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  return std::string("GCC ") + __VERSION__;
#else
  return "unknown compiler";
#endif
}

}  // namespace bench
