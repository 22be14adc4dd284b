// A pack from memory (PackFiles), loaded and compiled as Engine::load does: the loader, its
// checks, term normalization, regex compilation. Input: files separated by "=== PATH" lines
// (fuzz_support.hpp). Invariants: only ConfigError is thrown; every problem names a file of the
// pack (or the pack), has a position >= 0 and prints as one clean line; a pack that loads lints
// and evaluates its own examples without throwing.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <new>

#include <signpost/signpost.hpp>

#include "engine_impl.hpp"
#include "fuzz_support.hpp"
#include "pack/loader.hpp"

namespace {

void check_problems(const signpost::ConfigError& e) {
  SIGNPOST_FUZZ_CHECK(!e.problems.empty());
  for (const signpost::Problem& p : e.problems) {
    SIGNPOST_FUZZ_CHECK(p.line >= 0 && p.column >= 0);
    SIGNPOST_FUZZ_CHECK(p.file.empty() || p.file.starts_with("fuzz"));
    SIGNPOST_FUZZ_CHECK(signpost::fuzz::one_clean_line(p.to_string()));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  signpost::detail::PackFiles files;
  files.origin = "fuzz";
  for (auto& part : signpost::fuzz::pack_parts(signpost::fuzz::as_text(data, size)))
    files.files[part.path] = std::move(part.bytes);
  try {
    const signpost::detail::EngineImpl engine(files, signpost::EngineOptions{});
    const signpost::LintReport lint = engine.lint();
    for (const auto& f : lint.failures) SIGNPOST_FUZZ_CHECK(signpost::fuzz::one_clean_line(f.to_string()));
    for (const auto& rule : engine.model.rules)
      for (const auto& ex : rule.examples) (void)engine.evaluate(signpost::Query{ex.text, ex.locale, ex.mode});
  } catch (const signpost::ConfigError& e) {
    check_problems(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "threw: %s\n", e.what());
    std::abort();
  }
  return 0;
}
