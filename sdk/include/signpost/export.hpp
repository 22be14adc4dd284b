// signpost/export.hpp: SIGNPOST_API marks what a shared libsignpost (and libsignpost-tools)
// export. Everything else is built with hidden visibility, so the shared library exports the
// public API only: no internals, and none of its dependencies' symbols.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define SIGNPOST_API __attribute__((visibility("default")))
#else
#define SIGNPOST_API
#endif
