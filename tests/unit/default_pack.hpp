// default_pack.hpp: the default pack (messages/people-smuggling in the source tree), loaded once per
// test binary on first use and shared by every test that reads it (an Engine is immutable and safe
// to share; loading it costs about a second, several under the sanitizers).
#pragma once

#include <signpost/signpost.hpp>

namespace signpost::test {

inline const Engine& default_pack() {
  static const Engine e = Engine::load(SIGNPOST_DEFAULT_PACK_DIR);
  return e;
}

}  // namespace signpost::test
