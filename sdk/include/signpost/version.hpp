// signpost/version.hpp
#pragma once

#include <string_view>

#define SIGNPOST_VERSION_MAJOR 0
#define SIGNPOST_VERSION_MINOR 4
#define SIGNPOST_VERSION_PATCH 0

namespace signpost {
// The library version, "MAJOR.MINOR.PATCH"; the Python package reports the same.
inline constexpr std::string_view version = "0.4.0";
}  // namespace signpost
