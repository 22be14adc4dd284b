// pack/yaml_tree.hpp: one pack file's bytes -> a small YAML tree with 1-based positions.
//
// Contract: parse_yaml() never throws except std::bad_alloc, whatever the bytes. Before yaml-cpp
// sees the text, it is checked for valid UTF-8 and for characters YAML does not allow, and a raw
// scan of the indentation and of the flow brackets refuses nesting deeper than kMaxYamlDepth (the
// yaml-cpp parser recurses once per level). The tree is then built from yaml-cpp's event API, never
// from YAML::Node, so that an alias is seen as an alias and never expanded: anchors and aliases
// are reported (once per line) and an alias becomes a Kind::alias node that callers skip silently.
// The same event pass checks the exact nesting depth and the number of nodes (kMaxYamlNodes of
// pack/loader.hpp). A mapping keeps every key as written: the loader reads mappings with
// base/fields.hpp, which reports a repeated key and keeps the first.
//
// Positions: lines count '\n'; columns count Unicode code points from 1. A UTF-8 byte order mark
// is skipped and does not count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace signpost::detail {

struct YamlNode {
  enum class Kind : std::uint8_t { null, scalar, seq, map, alias };
  Kind kind = Kind::null;
  bool plain = false;   // a plain scalar without an explicit tag: may be read as a number
  int line = 0, column = 0;
  std::string text;            // scalar value
  std::vector<YamlNode> items; // seq: the elements; map: key, value, key, value, ...
};

struct YamlProblem {
  int line = 0, column = 0;
  std::string message;
};

struct YamlParse {
  YamlNode root;          // kind null (at 1:1) when the file holds no document
  bool complete = true;   // false when a problem stopped the parse; root is then a null node
  std::vector<YamlProblem> problems;  // in position order
};

// Parses one file's bytes (at most a few MiB: the caller bounds the size). `max_nodes` is
// kMaxYamlNodes but for tests.
YamlParse parse_yaml(std::string_view bytes, std::size_t max_nodes = 0);

// `s` as it may appear between quotes in a message: escaped as base/escape.hpp does, and cut
// (at a code point boundary, marked "...") beyond 100 bytes.
std::string shown(std::string_view s);

}  // namespace signpost::detail
