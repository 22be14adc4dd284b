// assets.hpp: files compiled into the binary (see assets.cpp.in and CMakeLists.txt).
#pragma once

#include <string_view>

namespace signpost::server::assets {

extern const std::string_view site_css;     // static/site.css, served at /static/site.css
extern const std::string_view suggest_js;   // static/suggest.js, served at /static/suggest.js
extern const std::string_view corpus_json;  // corpus/results.json, the demo search index

// A file served under /static/.
struct StaticFile {
  std::string_view name, content_type, body;
};

// The file /static/NAME, or nullptr when there is none of that name (exact match: no paths).
const StaticFile* static_file(std::string_view name) noexcept;

}  // namespace signpost::server::assets
