#include "pack/yaml_tree.hpp"

#include "base/escape.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>

#include "base/utf8.hpp"
#include <cstdio>
#include <istream>
#include <new>
#include <streambuf>
#include <utility>

#include "pack/loader.hpp"

namespace signpost::detail {
namespace {

constexpr std::size_t npos = std::string_view::npos;
constexpr std::string_view kAliasMessage = "aliases and anchors are not allowed";

bool is_continuation(unsigned char b) noexcept { return (b & 0xC0) == 0x80; }

// ---------------------------------------------------------------------------------------------
// Characters: valid UTF-8, and only what YAML allows (no C0/C1 controls but tab and line breaks).

struct BadChar {
  std::size_t offset = npos;
  std::string message;
};

BadChar check_characters(std::string_view t) {
  const auto* s = reinterpret_cast<const unsigned char*>(t.data());
  const std::size_t n = t.size();
  std::size_t i = 0;
  auto not_allowed = [](std::size_t at, char32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return BadChar{at, std::string("YAML syntax error: character ") + buf + " is not allowed"};
  };
  while (i < n) {
    const unsigned char b = s[i];
    if (b < 0x80) {
      if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F) return not_allowed(i, b);
      ++i;
      continue;
    }
    char32_t cp = 0;
    const std::size_t len = decode_utf8(t, i, cp);
    if (len == 0) return {i, "invalid UTF-8"};
    if ((cp >= 0x80 && cp <= 0x9F && cp != 0x85) || cp == 0xFFFE || cp == 0xFFFF) return not_allowed(i, cp);
    i += len;
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// Positions: byte offsets and yaml-cpp marks (0-based line, 0-based byte column) to 1-based lines
// and code point columns.

class LineIndex {
 public:
  explicit LineIndex(std::string_view t) : t_(t) {
    starts_.push_back(0);
    for (std::size_t i = t.find('\n'); i != npos; i = t.find('\n', i + 1)) starts_.push_back(i + 1);
  }

  std::pair<int, int> at_offset(std::size_t offset) {
    offset = std::min(offset, t_.size());
    const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
    const std::size_t line = static_cast<std::size_t>(it - starts_.begin()) - 1;
    return at(line, offset - starts_[line]);
  }

  std::pair<int, int> at_mark(const YAML::Mark& m) {
    if (m.line < 0 || m.column < 0) return {0, 0};
    std::size_t line = static_cast<std::size_t>(m.line);
    if (line >= starts_.size()) return {static_cast<int>(line) + 1, static_cast<int>(m.column) + 1};
    return at(line, static_cast<std::size_t>(m.column));
  }

 private:
  // Events arrive in text order, so the count continues from the previous answer when it can:
  // a flow list of thousands of terms on one line stays linear.
  std::pair<int, int> at(std::size_t line, std::size_t byte_col) {
    const std::size_t begin = starts_[line];
    const std::size_t limit = line + 1 < starts_.size() ? starts_[line + 1] : t_.size();
    std::size_t from = 0, cps = 0;
    if (line == cache_line_ && byte_col >= cache_byte_) from = cache_byte_, cps = cache_cps_;
    const std::size_t to = std::min(byte_col, limit - begin);
    for (std::size_t i = begin + from; i < begin + to; ++i)
      if (!is_continuation(static_cast<unsigned char>(t_[i]))) ++cps;
    if (to >= from) cache_line_ = line, cache_byte_ = to, cache_cps_ = cps;
    return {static_cast<int>(line) + 1, static_cast<int>(cps + (byte_col - to)) + 1};
  }

  std::string_view t_;
  std::vector<std::size_t> starts_;
  std::size_t cache_line_ = npos, cache_byte_ = 0, cache_cps_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Raw nesting scan. It follows block indentation (a stack of columns, compact "- - -" entries),
// flow brackets, quotes, comments and block scalars closely enough to find the first collection
// deeper than the limit, without recursion and in one pass. It only has to bound what yaml-cpp
// will recurse into; the exact depth is checked again on the events.

bool is_space(char c) noexcept { return c == ' ' || c == '\t'; }

// Whether the block line content starting at p is a mapping key ("key: ..." or "key:").
bool has_map_indicator(std::string_view t, std::size_t p, std::size_t end) {
  if (p < end && (t[p] == '[' || t[p] == '{')) return false;
  if (p < end && (t[p] == '"' || t[p] == '\'')) {
    const char q = t[p];
    for (++p; p < end; ++p) {
      if (q == '"' && t[p] == '\\') {
        ++p;
      } else if (t[p] == q) {
        if (q == '\'' && p + 1 < end && t[p + 1] == '\'') {
          ++p;
        } else {
          ++p;
          break;
        }
      }
    }
  }
  for (; p < end; ++p) {
    if (t[p] == '#' && p > 0 && is_space(t[p - 1])) return false;
    if (t[p] == ':' && (p + 1 == end || is_space(t[p + 1]))) return true;
  }
  return false;
}

std::size_t find_deep_nesting(std::string_view t, std::size_t max_depth) {
  struct Level {
    std::size_t col;
    bool seq;
  };
  std::vector<Level> block;
  std::size_t flow = 0;
  char quote = 0;
  bool block_scalar = false;
  std::ptrdiff_t block_parent = -1;  // block scalar lines are indented more than this
  auto too_deep = [&] { return block.size() + flow > max_depth; };

  const std::size_t n = t.size();
  std::size_t next = 0;
  while (next < n) {
    const std::size_t ls = next;
    std::size_t eol = t.find('\n', ls);
    if (eol == npos) eol = n;
    next = eol < n ? eol + 1 : n;
    std::size_t end = eol;
    if (end > ls && t[end - 1] == '\r') --end;
    std::size_t p = ls;
    while (p < end && t[p] == ' ') ++p;
    const std::size_t indent = p - ls;
    if (block_scalar) {
      if (p == end || static_cast<std::ptrdiff_t>(indent) > block_parent) continue;
      block_scalar = false;
    }

    if (quote == 0 && flow == 0) {
      if (p == end || t[p] == '#') continue;
      if (indent == 0 && t[p] == '%') continue;  // directive
      const std::string_view rest = t.substr(p, end - p);
      if (indent == 0 && (rest.starts_with("---") || rest.starts_with("...")) &&
          (rest.size() == 3 || is_space(rest[3]))) {
        block.clear();  // a new document
        p += 3;
      } else {
        while (!block.empty() && block.back().col > indent) block.pop_back();
        // Block sequence entries, several of them when compact ("- - a").
        while (p < end && t[p] == '-' && (p + 1 == end || is_space(t[p + 1]))) {
          const std::size_t col = p - ls;
          if (block.empty() || block.back().col < col || !block.back().seq) {
            block.push_back({col, true});
            if (too_deep()) return p;
          }
          ++p;
          while (p < end && is_space(t[p])) ++p;
        }
        if (p < end && t[p] != '#' && has_map_indicator(t, p, end)) {
          const std::size_t col = p - ls;
          if (!block.empty() && block.back().col == col && block.back().seq) block.pop_back();
          if (block.empty() || block.back().col < col) {
            block.push_back({col, false});
            if (too_deep()) return p;
          }
        }
      }
    }

    bool node_start = true;
    while (p < end) {
      const char c = t[p];
      if (quote == '\'') {
        if (c == '\'') {
          if (p + 1 < end && t[p + 1] == '\'') {
            p += 2;
            continue;
          }
          quote = 0;
          node_start = false;
        }
        ++p;
        continue;
      }
      if (quote == '"') {
        if (c == '\\') {
          p += 2;
          continue;
        }
        if (c == '"') quote = 0, node_start = false;
        ++p;
        continue;
      }
      if (is_space(c)) {
        ++p;
        if (p < end && t[p] == '#') break;  // a comment
        continue;
      }
      if (node_start) {
        if (c == '#') break;
        if (c == '"' || c == '\'') {
          quote = c;
          ++p;
          continue;
        }
        if (c == '[' || c == '{') {
          ++flow;
          if (too_deep()) return p;
          ++p;
          continue;
        }
        if (c == '&' || c == '!') {  // node properties: an anchor or a tag
          while (p < end && !is_space(t[p]) && t[p] != ',' && t[p] != '[' && t[p] != '{' &&
                 t[p] != ']' && t[p] != '}')
            ++p;
          continue;
        }
        if (flow == 0 && (c == '|' || c == '>')) {
          block_scalar = true;
          block_parent = block.empty() ? -1 : static_cast<std::ptrdiff_t>(block.back().col);
          break;
        }
        if (flow > 0 && c == ',') {
          ++p;
          continue;
        }
        node_start = false;
      }
      if (c == ':' && (p + 1 == end || is_space(t[p + 1]) ||
                       (flow > 0 && (t[p + 1] == ',' || t[p + 1] == ']' || t[p + 1] == '}' ||
                                     t[p + 1] == '[' || t[p + 1] == '{')))) {
        node_start = true;
        ++p;
        continue;
      }
      if (flow > 0) {
        if (c == ',') {
          node_start = true;
        } else if (c == ']' || c == '}') {
          --flow;
        } else if (c == '[' || c == '{') {
          ++flow;
          if (too_deep()) return p;
          node_start = true;
        }
      }
      ++p;
    }
  }
  return npos;
}

// ---------------------------------------------------------------------------------------------
// Tree from yaml-cpp events.

struct StopParse {};  // thrown by the handler to end a parse that cannot go on

class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(LineIndex& index, YamlParse& out, std::size_t max_nodes)
      : index_(index), out_(out), max_nodes_(max_nodes) {}

  void OnDocumentStart(const YAML::Mark& m) override {
    if (++documents_ > 1) {
      report(m, "YAML syntax error: more than one document");
      throw StopParse{};
    }
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& m, YAML::anchor_t) override {
    YamlNode n = make(m, YamlNode::Kind::null);
    // yaml-cpp marks a missing value ("key:" at the end of a line) at the next token; the key is
    // a better place to point at.
    if (!stack_.empty() && stack_.back().kind == YamlNode::Kind::map && stack_.back().items.size() % 2 == 1) {
      const YamlNode& key = stack_.back().items.back();
      if (key.line != n.line) n.line = key.line, n.column = key.column;
    }
    add(std::move(n));
  }

  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override {
    alias_or_anchor(m);
    add(make(m, YamlNode::Kind::alias));
  }

  void OnAnchor(const YAML::Mark& m, const std::string&) override { alias_or_anchor(m); }

  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t, const std::string& value) override {
    YamlNode n = make(m, YamlNode::Kind::scalar);
    n.text = value;
    n.plain = tag == "?" || tag.ends_with(":int") || tag.ends_with(":float");
    add(std::move(n));
  }

  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    open(m, YamlNode::Kind::seq);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    open(m, YamlNode::Kind::map);
  }
  void OnMapEnd() override { close(); }

  void report(const YAML::Mark& m, std::string message) {
    const auto [line, column] = index_.at_mark(m);
    out_.problems.push_back({line, column, std::move(message)});
  }

  // An alias or anchor problem was already reported on the line of `m`.
  bool alias_reported_at(const YAML::Mark& m) const { return m.line >= 0 && m.line == last_alias_line_; }

  void alias_or_anchor(const YAML::Mark& m) {
    if (alias_reported_at(m)) return;
    last_alias_line_ = m.line;
    report(m, std::string(kAliasMessage));
  }

  bool has_root() const { return has_root_; }
  YamlNode take_root() { return std::move(root_); }

 private:
  YamlNode make(const YAML::Mark& m, YamlNode::Kind kind) {
    if (++nodes_ > max_nodes_) {
      report(m, "more than " + std::to_string(max_nodes_) + " YAML nodes");
      throw StopParse{};
    }
    YamlNode n;
    n.kind = kind;
    std::tie(n.line, n.column) = index_.at_mark(m);
    return n;
  }

  void add(YamlNode&& n) {
    if (stack_.empty()) {
      root_ = std::move(n);
      has_root_ = true;
    } else {
      stack_.back().items.push_back(std::move(n));
    }
  }

  void open(const YAML::Mark& m, YamlNode::Kind kind) {
    if (stack_.size() + 1 > static_cast<std::size_t>(kMaxYamlDepth)) {
      report(m, "nesting deeper than " + std::to_string(kMaxYamlDepth));
      throw StopParse{};
    }
    stack_.push_back(make(m, kind));
  }

  void close() {
    YamlNode n = std::move(stack_.back());
    stack_.pop_back();
    add(std::move(n));
  }

  LineIndex& index_;
  YamlParse& out_;
  std::vector<YamlNode> stack_;
  YamlNode root_;
  bool has_root_ = false;
  int documents_ = 0;
  std::size_t max_nodes_;
  std::size_t nodes_ = 0;
  int last_alias_line_ = -1;
};

// A read-only stream over bytes already in memory.
class ViewBuf final : public std::streambuf {
 public:
  explicit ViewBuf(std::string_view s) {
    char* b = const_cast<char*>(s.data());  // never written: only read and put back
    setg(b, b, b + s.size());
  }
};

bool is_alias_error(const std::string& msg) {
  for (const char* m : {YAML::ErrorMsg::UNKNOWN_ANCHOR, YAML::ErrorMsg::ALIAS_NOT_FOUND, YAML::ErrorMsg::ANCHOR_NOT_FOUND,
                        YAML::ErrorMsg::CHAR_IN_ALIAS, YAML::ErrorMsg::CHAR_IN_ANCHOR, YAML::ErrorMsg::MULTIPLE_ANCHORS,
                        YAML::ErrorMsg::MULTIPLE_ALIASES, YAML::ErrorMsg::ALIAS_CONTENT, YAML::ErrorMsg::AMBIGUOUS_ANCHOR})
    if (msg.starts_with(m)) return true;
  return false;
}

}  // namespace

std::string shown(std::string_view s) {
  constexpr std::size_t kMax = 100;
  std::string out;
  bool cut = false;
  if (s.size() > kMax) {
    std::size_t end = kMax;
    while (end > 0 && is_continuation(static_cast<unsigned char>(s[end]))) --end;
    s = s.substr(0, end);
    cut = true;
  }
  append_escaped(out, s);
  if (cut) out += "...";
  return out;
}

YamlParse parse_yaml(std::string_view bytes, std::size_t max_nodes) {
  YamlParse out;
  out.root.line = out.root.column = 1;
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  LineIndex index(bytes);

  auto stop = [&](std::size_t offset, std::string message) {
    const auto [line, column] = index.at_offset(offset);
    out.problems.push_back({line, column, std::move(message)});
    out.complete = false;
  };
  if (BadChar bad = check_characters(bytes); bad.offset != npos) {
    stop(bad.offset, std::move(bad.message));
    return out;
  }
  if (const std::size_t deep = find_deep_nesting(bytes, static_cast<std::size_t>(kMaxYamlDepth)); deep != npos) {
    stop(deep, "nesting deeper than " + std::to_string(kMaxYamlDepth));
    return out;
  }

  TreeBuilder builder(index, out, max_nodes != 0 ? max_nodes : kMaxYamlNodes);
  try {
    ViewBuf buf(bytes);
    std::istream in(&buf);
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const StopParse&) {
    out.complete = false;
  } catch (const YAML::Exception& e) {
    out.complete = false;
    if (is_alias_error(e.msg)) {
      if (!builder.alias_reported_at(e.mark)) builder.report(e.mark, std::string(kAliasMessage));
    } else {
      builder.report(e.mark, "YAML syntax error: " + escaped(e.msg));  // yaml-cpp quotes raw characters
    }
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    out.complete = false;
    out.problems.push_back({0, 0, "YAML syntax error: " + escaped(e.what())});
  }
  if (out.complete && builder.has_root()) out.root = builder.take_root();
  std::stable_sort(out.problems.begin(), out.problems.end(), [](const YamlProblem& a, const YamlProblem& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  return out;
}

}  // namespace signpost::detail
