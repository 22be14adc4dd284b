// base/fields.hpp: the one strict reader of an object's fields, for every format signpost reads
// field by field: the pack loader's YAML mappings (pack/loader_impl.hpp) and the metrics
// snapshot's JSON objects (tools/src/snapshot_reader.cpp).
//
// The rules are written here once, each with its message:
//   - a key that is not a name (YAML allows a list as a key): "expected string, got list";
//   - a name given twice: "duplicate key 'K'" at the second, whose value is not read;
//   - a name the object does not define: "unknown field 'K' in WHAT" (or "unknown field 'K'");
//   - a required name that is absent: "missing required field 'K'", at the object;
//   - a value of the wrong type: "expected T, got U", in the format's own words for T and U.
//
// A format plugs in with a Tree (the FieldTree concept below): how to walk an object's fields, what
// a node's kind is called, how a name from the input may be quoted (the snapshot quotes only names
// of its format, as anything else could be text a user typed), and what a problem does: the
// loader records it (at the node's line and column) and goes on, the snapshot reader throws.
// Nodes the format has already reported (YAML aliases) are `skipped`: nothing more is said of them.
#pragma once

#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace signpost::detail {

template <class T>
concept FieldTree = requires(T& tree, const typename T::Node& n, typename T::Kind k, std::size_t i, std::string m,
                             std::string_view name) {
  { tree.field_count(n) } -> std::convertible_to<std::size_t>;      // n is an object
  { tree.field_name(n, i) } -> std::same_as<const std::string*>;    // nullptr: the key is no name
  { tree.field_key(n, i) } -> std::same_as<const typename T::Node&>;  // where key problems go
  { tree.field_value(n, i) } -> std::same_as<const typename T::Node&>;
  { tree.kind(n) } -> std::same_as<typename T::Kind>;
  { tree.kind_name(k) } -> std::convertible_to<std::string>;  // "mapping", "an object"
  { tree.type_name(n) } -> std::convertible_to<std::string>;  // what n is, in the same words
  { tree.text(n) } -> std::same_as<const std::string*>;       // n's string, or nullptr
  { tree.skipped(n) } -> std::convertible_to<bool>;
  { tree.quoted(name) } -> std::convertible_to<std::string>;
  tree.problem(n, std::move(m));
  { T::kString } -> std::convertible_to<typename T::Kind>;  // the kind text() reads
};

// Reports that `n` is not `expected` (a name in the format's words: "number", "a boolean").
template <FieldTree Tree>
void wrong_type(Tree& tree, const typename Tree::Node& n, std::string_view expected) {
  if (!tree.skipped(n)) tree.problem(n, "expected " + std::string(expected) + ", got " + std::string(tree.type_name(n)));
}

// Whether `n` is of `kind`; reports it when not.
template <FieldTree Tree>
bool expect(Tree& tree, const typename Tree::Node& n, typename Tree::Kind kind) {
  if (tree.kind(n) == kind) return true;
  wrong_type(tree, n, tree.kind_name(kind));
  return false;
}

// `n`'s string, or nullptr after reporting it.
template <FieldTree Tree>
const std::string* string_of(Tree& tree, const typename Tree::Node& n) {
  if (const std::string* s = tree.text(n)) return s;
  wrong_type(tree, n, tree.kind_name(Tree::kString));
  return nullptr;
}

// Calls fn(name, value, key) for each field of `object` in order, but for keys that are not names
// and names given before, which it reports. For objects whose names are data (a lexicon's languages).
template <FieldTree Tree, class Fn>
void each_field(Tree& tree, const typename Tree::Node& object, Fn&& fn) {
  const std::size_t n = tree.field_count(object);
  constexpr std::size_t kFew = 16;  // up to this many fields, earlier names are compared one by one
  std::unordered_set<std::string_view> seen;
  if (n > kFew) seen.reserve(n);
  auto repeated = [&](std::size_t i, const std::string& name) {
    if (n > kFew) return !seen.insert(name).second;
    for (std::size_t j = 0; j < i; ++j)
      if (const std::string* earlier = tree.field_name(object, j); earlier != nullptr && *earlier == name) return true;
    return false;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const std::string* name = tree.field_name(object, i);
    if (name == nullptr) {
      wrong_type(tree, tree.field_key(object, i), tree.kind_name(Tree::kString));
      continue;
    }
    if (repeated(i, *name)) {
      tree.problem(tree.field_key(object, i), "duplicate key " + std::string(tree.quoted(*name)));
      continue;
    }
    fn(*name, tree.field_value(object, i), tree.field_key(object, i));
  }
}

// The fields of one object whose names the format defines. Unknown and repeated names are
// reported when it is made; a missing required one when it is asked for.
// (Unconstrained, so that a Tree can name its FieldReader before it is complete; the constructor
// checks the concept.)
template <class Tree>
class FieldReader {
 public:
  using Node = typename Tree::Node;

  // `what` names the object in "unknown field 'K' in WHAT" ("rule"); "" leaves that part out.
  FieldReader(Tree& tree, const Node& object, std::initializer_list<std::string_view> names, std::string_view what)
      : tree_(tree), object_(object), names_(names), values_(names.size(), nullptr) {
    static_assert(FieldTree<Tree>);
    each_field(tree, object, [&](const std::string& name, const Node& value, const Node& key) {
      for (std::size_t k = 0; k < names_.size(); ++k)
        if (names_[k] == name) {
          values_[k] = &value;
          return;
        }
      tree_.problem(key, "unknown field " + std::string(tree_.quoted(name)) +
                                          (what.empty() ? std::string() : " in " + std::string(what)));
    });
  }

  // The field, or nullptr when it is absent.
  const Node* operator[](std::string_view name) const {
    for (std::size_t k = 0; k < names_.size(); ++k)
      if (names_[k] == name) return values_[k];
    return nullptr;
  }
  // The field, or nullptr after reporting it missing (at the object).
  const Node* required(std::string_view name) const {
    const Node* n = (*this)[name];
    if (n == nullptr) tree_.problem(object_, "missing required field '" + std::string(name) + "'");
    return n;
  }
  bool has(std::string_view name) const { return (*this)[name] != nullptr; }
  const Node& object() const { return object_; }

 private:
  Tree& tree_;
  const Node& object_;
  std::vector<std::string_view> names_;
  std::vector<const Node*> values_;
};

}  // namespace signpost::detail
