// MetricsSnapshot::from_json (signpost::tools), the strict snapshot reader: any bytes.
// Invariants: only signpost::Error is thrown; a snapshot that is read writes back (to_json) to
// JSON that reads again into an equal snapshot; the message of a refusal is one line.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

#include <signpost/error.hpp>
#include <signpost/measure.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in = signpost::fuzz::as_text(data, size);
  try {
    const signpost::MetricsSnapshot s = signpost::MetricsSnapshot::from_json(in);
    const std::string out = s.to_json();
    SIGNPOST_FUZZ_CHECK(signpost::MetricsSnapshot::from_json(out) == s);
    SIGNPOST_FUZZ_CHECK(signpost::MetricsSnapshot::from_json(out).to_json() == out);
  } catch (const signpost::Error& e) {
    SIGNPOST_FUZZ_CHECK(signpost::fuzz::one_clean_line(e.what()));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "threw: %s\n", e.what());
    std::abort();
  }
  return 0;
}
