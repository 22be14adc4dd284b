// Engine::evaluate and Engine::redirect under allocation failure: each call either returns or
// throws std::bad_alloc (as engine.hpp documents), never terminates, and the engine then answers
// as before. Every allocation of the calling thread is made to fail in turn, the 1st, the 2nd...
//
// Its own program: it replaces operator new (not under AddressSanitizer, which owns it).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include <signpost/json.hpp>
#include <signpost/signpost.hpp>

#if defined(__SANITIZE_ADDRESS__)
#define SIGNPOST_NO_NEW_REPLACEMENT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIGNPOST_NO_NEW_REPLACEMENT 1
#endif
#endif

#ifndef SIGNPOST_NO_NEW_REPLACEMENT
namespace {
thread_local long t_fail_in = -1;  // the allocation, counted from 0, that fails; -1: none
thread_local bool t_failed = false;
}  // namespace
void* operator new(std::size_t n) {
  if (t_fail_in >= 0 && t_fail_in-- == 0) {
    t_failed = true;
    throw std::bad_alloc();
  }
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

// Runs `call` with its k-th allocation failing, for k = 0, 1, ... until a call makes it through
// without a failure; returns how many failures were survived.
template <class Call>
int fail_each_allocation(Call call) {
  for (long k = 0; k < 100000; ++k) {
    t_failed = false;
    t_fail_in = k;
    try {
      call();
    } catch (const std::bad_alloc&) {
      t_fail_in = -1;
      continue;
    }
    t_fail_in = -1;
    if (!t_failed) return static_cast<int>(k);
  }
  return -1;
}

}  // namespace

TEST_CASE("evaluate and redirect survive every allocation failing in turn") {
  const signpost::Engine engine = signpost::Engine::load(SIGNPOST_DEFAULT_PACK_DIR);
  // Long enough texts that the per-thread scratch grows on the first call.
  std::string risky = "small boat to uk tonight, price per person, whatsapp";
  for (int i = 0; i < 6; ++i) risky += " " + risky;
  const signpost::Query q{risky, "en"};
  const std::vector<signpost::Result> results{{"r1", "Boat to UK", "crossing tonight, price"},
                                              {"r2", "Weather", "sunny"}};
  int survived = fail_each_allocation([&] { (void)engine.evaluate(q); });
  CHECK(survived > 0);
  survived = fail_each_allocation([&] { (void)engine.redirect(q, results); });
  CHECK(survived > 0);
  // Afterwards the engine answers exactly as a fresh one.
  const signpost::Engine fresh = signpost::Engine::load(SIGNPOST_DEFAULT_PACK_DIR);
  CHECK(signpost::to_json(engine.evaluate(q), engine.pack()) == signpost::to_json(fresh.evaluate(q), fresh.pack()));
}
#endif
