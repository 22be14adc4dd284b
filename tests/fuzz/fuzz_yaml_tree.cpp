// parse_yaml(): any bytes, with a small node budget as well as the real one. Invariants: never
// throws (but bad_alloc); problems come in position order, each at a position >= 1 (or 0:0)
// and printable as one clean line; an incomplete parse has a null root; every node of a tree
// has a position >= 1 and a mapping has an even number of items.
#include <cstddef>
#include <cstdint>
#include <exception>

#include "fuzz_support.hpp"
#include "pack/yaml_tree.hpp"

using signpost::detail::YamlNode;

namespace {

void check_node(const YamlNode& n, int depth) {
  SIGNPOST_FUZZ_CHECK(depth <= 64);
  SIGNPOST_FUZZ_CHECK(n.line >= 1 && n.column >= 1);
  if (n.kind == YamlNode::Kind::map) SIGNPOST_FUZZ_CHECK(n.items.size() % 2 == 0);
  if (n.kind != YamlNode::Kind::map && n.kind != YamlNode::Kind::seq) SIGNPOST_FUZZ_CHECK(n.items.empty());
  for (const YamlNode& item : n.items) check_node(item, depth + 1);
}

void check(const signpost::detail::YamlParse& p) {
  for (std::size_t i = 0; i < p.problems.size(); ++i) {
    const auto& pr = p.problems[i];
    SIGNPOST_FUZZ_CHECK(pr.line >= 0 && pr.column >= 0);
    SIGNPOST_FUZZ_CHECK(!pr.message.empty());
    SIGNPOST_FUZZ_CHECK(signpost::fuzz::one_clean_line(pr.message));
    if (i > 0) {
      const auto& before = p.problems[i - 1];
      SIGNPOST_FUZZ_CHECK(before.line < pr.line || (before.line == pr.line && before.column <= pr.column));
    }
  }
  if (!p.complete) SIGNPOST_FUZZ_CHECK(p.root.kind == YamlNode::Kind::null);
  check_node(p.root, 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in = signpost::fuzz::as_text(data, size);
  try {
    check(signpost::detail::parse_yaml(in));
    check(signpost::detail::parse_yaml(in, 64));
    (void)signpost::detail::shown(in);
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "threw: %s\n", e.what());
    std::abort();
  }
  return 0;
}
