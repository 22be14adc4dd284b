// assets.hpp: files compiled into the binary (see assets.cpp.in and CMakeLists.txt).
#pragma once

#include <string_view>

namespace signpost::server::assets {

extern const std::string_view site_css;     // static/site.css, served at /static/site.css
extern const std::string_view corpus_json;  // corpus/results.json, the demo search index

}  // namespace signpost::server::assets
