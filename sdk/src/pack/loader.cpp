#include "pack/loader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <future>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "base/id.hpp"
#include "base/sha256.hpp"
#include "pack/yaml_tree.hpp"

namespace signpost::detail {
namespace {

namespace fs = std::filesystem;
using Kind = YamlNode::Kind;

// Right-to-left locales every pack knows (docs/pack-format.md); a manifest may add more.
constexpr std::string_view kBuiltinRtl[] = {"ar", "fa", "prs", "ckb", "ps", "ur", "he", "yi", "ug", "sd", "dv"};

// ---------------------------------------------------------------------------------------------
// Syntax of ids, locale tags and numbers.

bool is_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_ascii_alnum(char c) noexcept { return is_lower(c) || is_digit(c) || (c >= 'A' && c <= 'Z'); }

// [a-z0-9][a-z0-9_.-]{0,63}, as everywhere (base/id.hpp).
bool valid_id(std::string_view s) noexcept { return is_id(s); }

// A language subtag of 2 or 3 lowercase letters, then subtags of 1 to 8 letters or digits:
// "en", "ckb", "fr-BE", "zh-Hant-TW".
bool valid_locale(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size() && is_lower(s[i])) ++i;
  if (i < 2 || i > 3) return false;
  while (i < s.size()) {
    if (s[i] != '-') return false;
    const std::size_t start = ++i;
    while (i < s.size() && is_ascii_alnum(s[i])) ++i;
    if (i == start || i - start > 8) return false;
  }
  return true;
}

std::string language_of(std::string_view locale) { return std::string(locale.substr(0, locale.find('-'))); }

// YAML 1.2 core schema decimal: [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
std::optional<double> parse_number(std::string_view s) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  std::size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
  std::size_t digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// Letters (and digits) of the last word of `s`: ASCII letters and digits and every non-ASCII
// code point count; ASCII spaces and punctuation start a new word.
std::size_t letters_of_last_word(std::string_view s) noexcept {
  std::size_t n = 0;
  for (const char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x80) {
      if ((b & 0xC0) != 0x80) ++n;
    } else if (is_ascii_alnum(c)) {
      ++n;
    } else {
      n = 0;
    }
  }
  return n;
}

std::string in_quotes(std::string_view s) { return "'" + shown(s) + "'"; }

// ---------------------------------------------------------------------------------------------
// Reading the folder.

enum class ReadStatus { ok, too_large, error };

ReadStatus read_file(const fs::path& path, std::string& out) {
  out.clear();
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (!ec && size > kMaxFileBytes) return ReadStatus::too_large;
  std::ifstream in(path, std::ios::binary);
  if (!in) return ReadStatus::error;
  if (!ec) out.reserve(static_cast<std::size_t>(size));
  // Read one byte more than allowed, in case the file grew since its size was taken.
  char buf[1 << 16];
  while (out.size() <= kMaxFileBytes) {
    in.read(buf, sizeof buf);
    out.append(buf, static_cast<std::size_t>(in.gcount()));
    if (!in) break;
  }
  if (out.size() > kMaxFileBytes) return ReadStatus::too_large;
  return in.bad() || !in.eof() ? ReadStatus::error : ReadStatus::ok;
}

// ---------------------------------------------------------------------------------------------

struct LoadedFile;

struct Where {
  std::size_t file = 0;  // index into Loader::files_; 0 is the pack folder itself
  int line = 0, column = 0;
};

struct Ref {
  std::string name;
  Where at;
};

// References of a condition, resolved to indexes once every file is read.
struct PendingCondition {
  std::vector<Ref> any, all, none;
  std::vector<std::vector<Ref>> near;  // parallel to Condition::near
};

struct PendingRule {
  PendingCondition cond;
  std::optional<Ref> category;
};

struct PendingContext {
  PendingCondition cond;
  std::vector<Ref> categories;
};

struct PendingCategory {
  std::vector<Ref> cards;
};

struct PendingProblem {
  Where at;
  std::string message;
  std::string path;  // when set, names the file instead of `at.file` (a folder that cannot be listed)
};

class Loader;

// The keys of one mapping, checked against the fields an object may have.
class Fields {
 public:
  Fields(Loader& loader, const YamlNode& map, std::initializer_list<std::string_view> names, std::string_view what);
  const YamlNode* operator[](std::string_view name) const;
  // The field, or nullptr after reporting it missing (at the mapping).
  const YamlNode* required(std::string_view name) const;
  bool has(std::string_view name) const { return (*this)[name] != nullptr; }

 private:
  Loader& loader_;
  const YamlNode& map_;
  std::vector<std::string_view> names_;
  std::vector<const YamlNode*> values_;
};

class Loader {
 public:
  explicit Loader(const fs::path& dir) : dir_(dir) {}
  explicit Loader(const PackFiles& memory) : dir_(memory.origin), memory_(&memory) {}
  PackModel run(std::vector<Problem>& problems);

  // Checking primitives, used by Fields too.
  void problem(Where at, std::string message) { problems_.push_back({at, std::move(message), {}}); }
  void problem(const YamlNode& at, std::string message) { problem(where(at), std::move(message)); }
  Where where(const YamlNode& n) const { return {current_, n.line, n.column}; }
  SourcePos pos(const YamlNode& n) const { return {files_[current_].shown, n.line, n.column}; }
  std::string shown_where(Where w) const {
    return files_[w.file].shown + ':' + std::to_string(w.line) + ':' + std::to_string(w.column);
  }

  static std::string type_name(const YamlNode& n);
  bool expect(const YamlNode& n, Kind kind);
  const std::string* string_of(const YamlNode& n);
  std::optional<double> number_of(const YamlNode& n);

 private:
  void list_files();
  const YamlNode* accept(std::size_t index, LoadedFile& f);
  void manifest(const YamlNode& root);
  void content(const YamlNode& root);

  const std::string* id_of(const Fields& f, const YamlNode*& at);
  bool define(std::string_view kind, std::unordered_map<std::string, Where>& table, const std::string& key,
              std::string_view id, const YamlNode& at);
  std::optional<std::string> locale_of(const YamlNode& n);
  bool in_range(const YamlNode* n, double& out, double lo, bool lo_open, double hi, bool hi_open,
                std::string_view message);
  void scope(const Fields& f, std::vector<std::string>& locales, bool& query, bool& post, Mode& first_mode);
  void refs(const YamlNode* n, std::vector<Ref>& out);
  bool condition(const Fields& f, Condition& c, PendingCondition& pc);
  void examples(const YamlNode* n, std::vector<Example>& out, const std::string& locale, Mode mode);

  void lexicon(const YamlNode& n);
  void term(const YamlNode& n, const std::string& lang, Lexicon& lex, std::size_t& in_lexicon);
  void rule(const YamlNode& n);
  void context(const YamlNode& n);
  void category(const YamlNode& n);
  void card(const YamlNode& n, const std::optional<std::string>& locale, bool rtl);

  void resolve();

  struct File {
    std::string rel;    // relative path, '/'-separated ("" for the folder)
    std::string shown;  // as problems name it: the folder as given, joined with `rel`
  };

  // One file of the pack read and parsed, from the folder or from memory.
  LoadedFile load(const std::string& rel) const;
  std::future<LoadedFile> start(const std::string& rel) const;
  void list_memory_files(std::vector<std::string>& rels);

  fs::path dir_;
  const PackFiles* memory_ = nullptr;  // set: the files come from here, not from dir_
  std::vector<File> files_;
  std::size_t current_ = 0;
  bool incomplete_ = false;  // a file could not be read or parsed: references may be missing
  bool too_many_files_ = false;
  bool folder_missing_ = false;
  std::vector<PendingProblem> problems_;
  PackModel model_;

  bool languages_known_ = false;
  std::unordered_set<std::string> languages_;
  std::unordered_set<std::string> rtl_;

  std::unordered_map<std::string, Where> lexicon_ids_, rule_ids_, context_ids_, category_ids_, card_ids_;
  std::unordered_map<std::string, std::size_t> card_any_locale_;  // card id -> definitions
  std::vector<PendingRule> pending_rules_;
  std::vector<PendingContext> pending_contexts_;
  std::vector<PendingCategory> pending_categories_;
  std::size_t terms_ = 0;
  bool terms_limit_reported_ = false;
};

Fields::Fields(Loader& loader, const YamlNode& map, std::initializer_list<std::string_view> names,
               std::string_view what)
    : loader_(loader), map_(map), names_(names), values_(names.size(), nullptr) {
  for (std::size_t k = 0; k + 1 < map.items.size(); k += 2) {
    const YamlNode& key = map.items[k];
    if (key.kind == Kind::alias) continue;
    if (key.kind != Kind::scalar) {
      loader.problem(key, "expected string, got " + Loader::type_name(key));
      continue;
    }
    const auto it = std::find(names_.begin(), names_.end(), key.text);
    if (it == names_.end()) {
      loader.problem(key, "unknown field " + in_quotes(key.text) + " in " + std::string(what));
      continue;
    }
    values_[static_cast<std::size_t>(it - names_.begin())] = &map.items[k + 1];
  }
}

const YamlNode* Fields::operator[](std::string_view name) const {
  const auto it = std::find(names_.begin(), names_.end(), name);
  return it == names_.end() ? nullptr : values_[static_cast<std::size_t>(it - names_.begin())];
}

const YamlNode* Fields::required(std::string_view name) const {
  const YamlNode* n = (*this)[name];
  if (n == nullptr) loader_.problem(map_, "missing required field '" + std::string(name) + "'");
  return n;
}

std::string Loader::type_name(const YamlNode& n) {
  switch (n.kind) {
    case Kind::null: return "null";
    case Kind::seq: return "list";
    case Kind::map: return "mapping";
    case Kind::alias: return "alias";
    case Kind::scalar:
      if (n.plain && parse_number(n.text)) return "number";
      if (n.plain && (n.text == "true" || n.text == "false")) return "boolean";
      return "string";
  }
  return "string";
}

// Reports a wrong type; aliases were reported already and are skipped silently.
bool Loader::expect(const YamlNode& n, Kind kind) {
  if (n.kind == kind) return true;
  if (n.kind != Kind::alias)
    problem(n, std::string("expected ") + (kind == Kind::map ? "mapping" : "list") + ", got " + type_name(n));
  return false;
}

const std::string* Loader::string_of(const YamlNode& n) {
  if (n.kind == Kind::scalar) return &n.text;
  if (n.kind != Kind::alias) problem(n, "expected string, got " + type_name(n));
  return nullptr;
}

std::optional<double> Loader::number_of(const YamlNode& n) {
  if (n.kind == Kind::alias) return std::nullopt;
  if (n.kind == Kind::scalar && n.plain)
    if (auto v = parse_number(n.text)) return v;
  problem(n, "expected number, got " + type_name(n));
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------

void Loader::list_memory_files(std::vector<std::string>& rels) {
  for (const auto& [rel, bytes] : memory_->files) {
    (void)bytes;
    // As in a folder: *.yaml files only, no hidden file or folder, no absolute or upward path.
    bool hidden = rel.empty();
    for (std::size_t at = 0; !hidden;) {
      if (at >= rel.size() || rel[at] == '.' || rel[at] == '/') hidden = true;  // also "..", "//", "/x"
      const std::size_t slash = rel.find('/', at);
      if (slash == std::string::npos) break;
      at = slash + 1;
    }
    const std::string_view name = std::string_view(rel).substr(rel.rfind('/') + 1);
    if (hidden || name.size() <= 5 || !name.ends_with(".yaml")) continue;
    rels.push_back(rel);
    if (rels.size() > kMaxPackFiles) {
      too_many_files_ = true;
      break;
    }
  }
}

void Loader::list_files() {
  std::error_code ec;
  if (memory_) {
    std::vector<std::string> rels;
    list_memory_files(rels);
    if (too_many_files_) {
      problem(Where{0, 0, 0}, "more than " + std::to_string(kMaxPackFiles) + " files");
      incomplete_ = true;
      const bool has_manifest = memory_->files.count("pack.yaml") != 0;
      rels.clear();
      if (has_manifest) rels.push_back("pack.yaml");
    }
    std::sort(rels.begin(), rels.end());
    for (std::string& rel : rels) files_.push_back({rel, (dir_ / fs::path(rel)).generic_string()});
    return;
  }
  if (!fs::is_directory(dir_, ec)) {
    problem(Where{0, 0, 0}, "missing pack.yaml");
    folder_missing_ = true;
    return;
  }
  std::vector<std::string> rels;
  std::vector<std::string> dirs{""};
  std::size_t yaml_files = 0;
  auto unreadable = [&](const std::string& rel_dir) {
    problems_.push_back({Where{0, 0, 0}, "cannot read file", (dir_ / fs::path(rel_dir)).generic_string()});
    incomplete_ = true;
  };
  while (!dirs.empty() && !too_many_files_) {
    const std::string rel_dir = std::move(dirs.back());
    dirs.pop_back();
    fs::directory_iterator it(rel_dir.empty() ? dir_ : dir_ / fs::path(rel_dir), ec);
    if (ec) {
      unreadable(rel_dir);
      continue;
    }
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.empty() || name[0] == '.') continue;  // hidden files and folders
      std::error_code e2;
      if (it->is_directory(e2)) {
        if (!it->is_symlink(e2)) dirs.push_back(rel_dir + name + "/");  // never follow links to folders
        continue;
      }
      if (name.size() <= 5 || !name.ends_with(".yaml") || !it->is_regular_file(e2)) continue;
      rels.push_back(rel_dir + name);
      if (++yaml_files > kMaxPackFiles) {
        too_many_files_ = true;
        break;
      }
    }
    if (ec) {
      unreadable(rel_dir);
      ec.clear();
    }
  }
  if (too_many_files_) {
    problem(Where{0, 0, 0}, "more than " + std::to_string(kMaxPackFiles) + " files");
    incomplete_ = true;
    // Only the manifest is read: a partial pack would only add misleading problems.
    const bool has_manifest = fs::is_regular_file(dir_ / "pack.yaml", ec);
    rels.clear();
    if (has_manifest) rels.push_back("pack.yaml");
  }
  std::sort(rels.begin(), rels.end());  // byte order (char_traits<char> compares as unsigned char)
  for (std::string& rel : rels) files_.push_back({rel, (dir_ / fs::path(rel)).generic_string()});
}

// One file read and parsed, away from the loader's state (so that several can be done at once).
struct LoadedFile {
  ReadStatus status = ReadStatus::error;
  std::string bytes;
  YamlParse parsed;
};

LoadedFile load_file(const fs::path& path) {
  LoadedFile f;
  f.status = read_file(path, f.bytes);
  if (f.status == ReadStatus::ok) f.parsed = parse_yaml(f.bytes);
  return f;
}

// Reads and parses on another thread when one can be started, else when asked for the result.
std::future<LoadedFile> start_loading(fs::path path) {
  try {
    return std::async(std::launch::async, [path] { return load_file(path); });
  } catch (const std::system_error&) {
    return std::async(std::launch::deferred, [path = std::move(path)] { return load_file(path); });
  }
}

LoadedFile Loader::load(const std::string& rel) const {
  if (!memory_) return load_file(dir_ / fs::path(rel));
  LoadedFile f;
  const auto it = memory_->files.find(rel);
  if (it == memory_->files.end()) return f;
  if (it->second.size() > kMaxFileBytes) {
    f.status = ReadStatus::too_large;
    return f;
  }
  f.status = ReadStatus::ok;
  f.bytes = it->second;
  f.parsed = parse_yaml(f.bytes);
  return f;
}

std::future<LoadedFile> Loader::start(const std::string& rel) const {
  if (!memory_) return start_loading(dir_ / fs::path(rel));
  try {
    return std::async(std::launch::async, [this, rel] { return load(rel); });
  } catch (const std::system_error&) {
    return std::async(std::launch::deferred, [this, rel] { return load(rel); });
  }
}

// Records what reading and parsing found; returns the tree when it can be checked.
const YamlNode* Loader::accept(std::size_t index, LoadedFile& f) {
  current_ = index;
  if (f.status != ReadStatus::ok) {
    problem(Where{index, 0, 0}, f.status == ReadStatus::too_large ? "file larger than 4 MiB" : "cannot read file");
    incomplete_ = true;
    return nullptr;
  }
  for (YamlProblem& p : f.parsed.problems) problem(Where{index, p.line, p.column}, std::move(p.message));
  // A file that could not be parsed whole may define what other files refer to.
  if (!f.parsed.complete || !f.parsed.problems.empty()) incomplete_ = true;
  return f.parsed.complete ? &f.parsed.root : nullptr;
}

PackModel Loader::run(std::vector<Problem>& out) {
  files_.push_back({"", dir_.generic_string()});
  for (std::string_view l : kBuiltinRtl) rtl_.emplace(l);
  list_files();

  std::size_t manifest_index = 0;
  for (std::size_t i = 1; i < files_.size(); ++i)
    if (files_[i].rel == "pack.yaml") manifest_index = i;

  // The manifest first (languages, default locale, right-to-left locales), then every file in
  // byte order of its relative path, which is also the order of the hash.
  LoadedFile manifest_file;
  if (manifest_index == 0) {
    if (!folder_missing_) problem(Where{0, 0, 0}, "missing pack.yaml");
  } else {
    manifest_file = load("pack.yaml");
    if (const YamlNode* root = accept(manifest_index, manifest_file)) manifest(*root);
  }
  // The built-in right-to-left locales, then the manifest's others in byte order.
  model_.rtl_locales.assign(std::begin(kBuiltinRtl), std::end(kBuiltinRtl));
  std::vector<std::string> extra_rtl;
  for (const std::string& l : rtl_)
    if (std::find(std::begin(kBuiltinRtl), std::end(kBuiltinRtl), l) == std::end(kBuiltinRtl)) extra_rtl.push_back(l);
  std::sort(extra_rtl.begin(), extra_rtl.end());
  model_.rtl_locales.insert(model_.rtl_locales.end(), extra_rtl.begin(), extra_rtl.end());

  // yaml-cpp parses only a few megabytes per CPU-second, so files are read and parsed a few at a
  // time on worker threads, then checked here, in order.
  const std::size_t batch = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
  Sha256 hash;
  for (std::size_t first = 1; first < files_.size(); first += batch) {
    const std::size_t last = std::min(files_.size(), first + batch);
    std::vector<std::future<LoadedFile>> jobs;
    for (std::size_t i = first; i < last; ++i) {
      if (i == manifest_index) {
        jobs.emplace_back();
      } else {
        jobs.push_back(start(files_[i].rel));
      }
    }
    for (std::size_t i = first; i < last; ++i) {
      LoadedFile loaded;
      if (i != manifest_index) loaded = jobs[i - first].get();
      const LoadedFile& f = i == manifest_index ? manifest_file : loaded;
      if (f.status == ReadStatus::ok) {
        hash.update(files_[i].rel);
        hash.update(std::string_view("\0", 1));
        hash.update(f.bytes);
        hash.update(std::string_view("\0", 1));
      }
      if (i == manifest_index) continue;
      if (const YamlNode* root = accept(i, loaded)) content(*root);
    }
  }
  model_.hash = "sha256:" + to_hex(hash.finish());

  resolve();

  std::stable_sort(problems_.begin(), problems_.end(), [](const PendingProblem& a, const PendingProblem& b) {
    if (a.at.file != b.at.file) return a.at.file < b.at.file;
    if (a.at.line != b.at.line) return a.at.line < b.at.line;
    return a.at.column < b.at.column;
  });
  out.reserve(out.size() + problems_.size());
  for (PendingProblem& p : problems_)
    out.push_back(Problem{p.path.empty() ? files_[p.at.file].shown : std::move(p.path), p.at.line, p.at.column,
                          std::move(p.message)});
  return std::move(model_);
}

// ---------------------------------------------------------------------------------------------
// pack.yaml

std::optional<std::string> Loader::locale_of(const YamlNode& n) {
  const std::string* s = string_of(n);
  if (s == nullptr) return std::nullopt;
  if (!valid_locale(*s)) {
    problem(n, "invalid locale " + in_quotes(*s));
    return std::nullopt;
  }
  return *s;
}

void Loader::manifest(const YamlNode& root) {
  if (root.kind == Kind::null) {
    // An empty manifest: report what it lacks at its start.
    YamlNode empty;
    empty.kind = Kind::map;
    empty.line = root.line, empty.column = root.column;
    manifest(empty);
    return;
  }
  if (!expect(root, Kind::map)) return;
  const Fields f(*this, root,
                 {"name", "version", "description", "languages", "default_locale", "fallback", "rtl"}, "pack.yaml");
  if (const YamlNode* n = f.required("name")) {
    if (const std::string* s = string_of(*n)) {
      if (!valid_id(*s)) problem(*n, "invalid id " + in_quotes(*s));
      model_.name = *s;
    }
  }
  if (const YamlNode* n = f.required("version"))
    if (const std::string* s = string_of(*n)) model_.version = *s;
  if (const YamlNode* n = f["description"])
    if (const std::string* s = string_of(*n)) model_.description = *s;

  if (const YamlNode* n = f.required("languages"); n != nullptr && expect(*n, Kind::seq)) {
    languages_known_ = true;
    for (const YamlNode& item : n->items) {
      // ("other", which metrics use for locales outside the pack, is not a valid tag.)
      if (auto l = locale_of(item); l && languages_.insert(*l).second) model_.languages.push_back(*l);
    }
  }
  if (const YamlNode* n = f.required("default_locale")) {
    if (auto l = locale_of(*n)) {
      if (languages_known_ && !languages_.contains(*l)) problem(*n, "unknown language " + in_quotes(*l));
      model_.default_locale = *l;
    }
  }
  if (const YamlNode* n = f["fallback"]; n != nullptr && expect(*n, Kind::map)) {
    for (std::size_t k = 0; k + 1 < n->items.size(); k += 2) {
      const auto from = locale_of(n->items[k]);
      const YamlNode& to = n->items[k + 1];
      if (!expect(to, Kind::seq)) continue;
      std::vector<std::string> chain;
      for (const YamlNode& item : to.items) {
        if (auto l = locale_of(item)) {
          if (languages_known_ && !languages_.contains(*l)) problem(item, "unknown language " + in_quotes(*l));
          chain.push_back(*l);
        }
      }
      if (from) model_.fallback[*from] = std::move(chain);
    }
  }
  if (const YamlNode* n = f["rtl"]; n != nullptr && expect(*n, Kind::seq)) {
    for (const YamlNode& item : n->items)
      if (auto l = locale_of(item)) rtl_.insert(*l);
  }
}

// ---------------------------------------------------------------------------------------------
// Content files

void Loader::content(const YamlNode& root) {
  if (root.kind == Kind::null) return;  // an empty file
  if (!expect(root, Kind::map)) return;
  const Fields f(*this, root, {"lexicons", "rules", "categories", "contexts", "cards", "locale", "dir"}, "pack file");

  std::optional<std::string> locale;
  bool rtl = false;
  if (f.has("cards") || f.has("locale") || f.has("dir")) {
    if (const YamlNode* n = f.required("locale")) {
      locale = locale_of(*n);
      if (locale && languages_known_ && !languages_.contains(*locale)) {
        problem(*n, "unknown language " + in_quotes(*locale));
        locale.reset();
      }
      if (locale) rtl = rtl_.contains(*locale) || rtl_.contains(language_of(*locale));
    }
    if (const YamlNode* n = f["dir"]) {
      if (const std::string* s = string_of(*n)) {
        if (*s == "rtl" || *s == "ltr")
          rtl = *s == "rtl";
        else
          problem(*n, "invalid dir " + in_quotes(*s));
      }
    }
  }

  auto each = [&](std::string_view key, auto&& fn) {
    if (const YamlNode* n = f[key]; n != nullptr && n->kind != Kind::null && expect(*n, Kind::seq))
      for (const YamlNode& item : n->items) fn(item);
  };
  each("lexicons", [&](const YamlNode& n) { lexicon(n); });
  each("rules", [&](const YamlNode& n) { rule(n); });
  each("categories", [&](const YamlNode& n) { category(n); });
  each("contexts", [&](const YamlNode& n) { context(n); });
  each("cards", [&](const YamlNode& n) { card(n, locale, rtl); });
}

const std::string* Loader::id_of(const Fields& f, const YamlNode*& at) {
  at = f.required("id");
  if (at == nullptr) return nullptr;
  const std::string* s = string_of(*at);
  if (s != nullptr && !valid_id(*s)) problem(*at, "invalid id " + in_quotes(*s));
  return s;
}

bool Loader::define(std::string_view kind, std::unordered_map<std::string, Where>& table, const std::string& key,
                    std::string_view id, const YamlNode& at) {
  const auto [it, inserted] = table.try_emplace(key, where(at));
  if (!inserted)
    problem(at, "duplicate " + std::string(kind) + " id " + in_quotes(id) + " (first defined at " +
                    shown_where(it->second) + ")");
  return inserted;
}

bool Loader::in_range(const YamlNode* n, double& out, double lo, bool lo_open, double hi, bool hi_open,
                      std::string_view message) {
  if (n == nullptr) return false;
  const auto v = number_of(*n);
  if (!v) return false;
  if ((lo_open ? *v <= lo : *v < lo) || (hi_open ? *v >= hi : *v > hi)) {
    problem(*n, std::string(message));
    return false;
  }
  out = *v;
  return true;
}

void Loader::scope(const Fields& f, std::vector<std::string>& locales, bool& query, bool& post, Mode& first_mode) {
  if (const YamlNode* n = f["locales"]) {
    if (n->kind == Kind::scalar && n->text == "all") {
      // every locale
    } else if (n->kind == Kind::seq) {
      for (const YamlNode& item : n->items)
        if (auto l = locale_of(item)) locales.push_back(language_of(*l));
    } else if (n->kind != Kind::alias) {
      problem(*n, "expected list or 'all', got " + type_name(*n));
    }
  }
  if (const YamlNode* n = f["modes"]; n != nullptr && expect(*n, Kind::seq)) {
    bool q = false, p = false, first = true;
    for (const YamlNode& item : n->items) {
      const std::string* s = string_of(item);
      if (s == nullptr) continue;
      const auto mode = parse_mode(*s);
      if (!mode) {
        problem(item, "invalid mode " + in_quotes(*s));
        continue;
      }
      (*mode == Mode::query ? q : p) = true;
      if (first) first_mode = *mode, first = false;
    }
    if (q || p) query = q, post = p;
  }
}

void Loader::refs(const YamlNode* n, std::vector<Ref>& out) {
  if (n == nullptr || !expect(*n, Kind::seq)) return;
  for (const YamlNode& item : n->items)
    if (const std::string* s = string_of(item)) out.push_back({*s, where(item)});
}

// Reads the condition keys shared by rules and contexts; returns whether a positive condition
// (any, all, near or regex) is given. A field with a wrong type or an alias counts as given, so
// that one mistake is reported once.
bool Loader::condition(const Fields& f, Condition& c, PendingCondition& pc) {
  bool positive = false;
  auto given = [&](const YamlNode* n) { return n != nullptr && (n->kind != Kind::seq || !n->items.empty()); };
  refs(f["any"], pc.any);
  refs(f["all"], pc.all);
  refs(f["none"], pc.none);
  positive = given(f["any"]) || given(f["all"]);
  if (const YamlNode* n = f["near"]; n != nullptr) {
    positive = positive || given(n);
    if (expect(*n, Kind::seq)) {
      for (const YamlNode& group : n->items) {
        if (!expect(group, Kind::map)) continue;
        const Fields g(*this, group, {"of", "within"}, "near");
        Near near;
        near.pos = pos(group);
        std::vector<Ref> of;
        if (const YamlNode* o = g.required("of")) {
          refs(o, of);
          if (o->kind == Kind::seq && o->items.size() < 2) problem(*o, "near needs at least 2 lexicons");
        }
        if (const YamlNode* w = g["within"]) {
          if (const auto v = number_of(*w)) {
            if (*v < 1 || *v > 50)
              problem(*w, "within must be 1 to 50");
            else if (*v != std::floor(*v))
              problem(*w, "expected integer, got number");
            else
              near.within = static_cast<int>(*v);
          }
        }
        c.near.push_back(std::move(near));
        pc.near.push_back(std::move(of));
      }
    }
  }
  if (const YamlNode* n = f["regex"]; n != nullptr) {
    positive = positive || n->kind != Kind::null;
    if (n->kind != Kind::null) {
      if (const std::string* s = string_of(*n)) {
        c.regex = *s;
        c.regex_pos = pos(*n);
      }
    }
  }
  return positive;
}

void Loader::examples(const YamlNode* n, std::vector<Example>& out, const std::string& locale, Mode mode) {
  if (n == nullptr || !expect(*n, Kind::map)) return;
  const Fields f(*this, *n, {"match", "no_match"}, "examples");
  for (const bool expect_match : {true, false}) {
    const YamlNode* list = f[expect_match ? "match" : "no_match"];
    if (list == nullptr || !expect(*list, Kind::seq)) continue;
    for (const YamlNode& item : list->items) {
      Example ex;
      ex.locale = locale;
      ex.mode = mode;
      ex.expect_match = expect_match;
      ex.pos = pos(item);
      if (item.kind == Kind::scalar) {
        ex.text = item.text;
      } else if (item.kind == Kind::map) {
        const Fields e(*this, item, {"text", "locale", "mode"}, "example");
        const YamlNode* text = e.required("text");
        const std::string* s = text != nullptr ? string_of(*text) : nullptr;
        if (s != nullptr) ex.text = *s;
        if (const YamlNode* l = e["locale"]) {
          if (auto v = locale_of(*l)) ex.locale = *v;
        }
        if (const YamlNode* m = e["mode"]) {
          if (const std::string* ms = string_of(*m)) {
            if (auto v = parse_mode(*ms))
              ex.mode = *v;
            else
              problem(*m, "invalid mode " + in_quotes(*ms));
          }
        }
        if (s == nullptr) continue;
      } else {
        if (item.kind != Kind::alias) problem(item, "expected string or mapping, got " + type_name(item));
        continue;
      }
      out.push_back(std::move(ex));
    }
  }
}

void Loader::lexicon(const YamlNode& n) {
  if (!expect(n, Kind::map)) return;
  const Fields f(*this, n, {"id", "description", "terms"}, "lexicon");
  Lexicon lex;
  lex.pos = pos(n);
  const YamlNode* id_at = nullptr;
  const std::string* id = id_of(f, id_at);
  if (id != nullptr) lex.id = *id;
  if (const YamlNode* d = f["description"]) string_of(*d);
  std::size_t in_lexicon = 0;
  if (const YamlNode* t = f.required("terms"); t != nullptr && expect(*t, Kind::map)) {
    for (std::size_t k = 0; k + 1 < t->items.size(); k += 2) {
      const YamlNode& key = t->items[k];
      const std::string* lang = string_of(key);
      if (lang == nullptr) continue;
      if (*lang != "emoji" && *lang != "any" && !valid_locale(*lang)) problem(key, "invalid locale " + in_quotes(*lang));
      const YamlNode& list = t->items[k + 1];
      if (!expect(list, Kind::seq)) continue;
      for (const YamlNode& item : list.items) term(item, *lang, lex, in_lexicon);
    }
  }
  if (id != nullptr && define("lexicon", lexicon_ids_, *id, *id, *id_at)) model_.lexicons.push_back(std::move(lex));
}

void Loader::term(const YamlNode& n, const std::string& lang, Lexicon& lex, std::size_t& in_lexicon) {
  const std::string* s = string_of(n);
  if (s == nullptr) return;
  if (s->empty()) {
    problem(n, "empty term");
    return;
  }
  if (s->size() > kMaxTermBytes) {
    problem(n, "term too long (" + std::to_string(s->size()) + " bytes, limit " + std::to_string(kMaxTermBytes) + ")");
    return;
  }
  std::string_view text = *s;
  const bool prefix = text.back() == '*';
  if (prefix) {
    text.remove_suffix(1);
    if (letters_of_last_word(text) < 2) {
      problem(n, "prefix term needs at least 2 letters before '*'");
      return;
    }
  }
  if (++in_lexicon == kMaxLexiconTerms + 1)
    problem(n, "more than " + std::to_string(kMaxLexiconTerms) + " terms in lexicon " + in_quotes(lex.id));
  if (++terms_ > kMaxPackTerms && !terms_limit_reported_) {
    problem(n, "more than " + std::to_string(kMaxPackTerms) + " terms");
    terms_limit_reported_ = true;
  }
  if (in_lexicon > kMaxLexiconTerms || terms_ > kMaxPackTerms) return;
  TermSpec spec;
  spec.text = std::string(text);
  spec.prefix = prefix;
  spec.lang = lang;
  spec.pos = pos(n);
  lex.terms.push_back(std::move(spec));
}

void Loader::rule(const YamlNode& n) {
  if (!expect(n, Kind::map)) return;
  const Fields f(*this, n,
                 {"id", "category", "weight", "locales", "modes", "any", "all", "near", "none", "regex", "examples"},
                 "rule");
  Rule r;
  PendingRule pr;
  r.pos = pos(n);
  const YamlNode* id_at = nullptr;
  const std::string* id = id_of(f, id_at);
  if (id != nullptr) r.id = *id;
  if (const YamlNode* c = f.required("category"))
    if (const std::string* s = string_of(*c)) pr.category = Ref{*s, where(*c)};
  in_range(f["weight"], r.weight, 0, true, 1, false, "weight must be in (0, 1]");
  Mode first_mode = Mode::query;
  scope(f, r.locales, r.query_mode, r.post_mode, first_mode);
  if (!condition(f, r.cond, pr.cond)) problem(n, "rule " + in_quotes(r.id) + " has no positive condition");
  examples(f["examples"], r.examples, r.locales.empty() ? std::string() : r.locales.front(), first_mode);
  if (id != nullptr && define("rule", rule_ids_, *id, *id, *id_at)) {
    model_.rules.push_back(std::move(r));
    pending_rules_.push_back(std::move(pr));
  }
}

void Loader::context(const YamlNode& n) {
  if (!expect(n, Kind::map)) return;
  const Fields f(*this, n,
                 {"id", "any", "all", "near", "none", "regex", "factor", "categories", "locales", "modes", "examples"},
                 "context");
  Context c;
  PendingContext pc;
  c.pos = pos(n);
  const YamlNode* id_at = nullptr;
  const std::string* id = id_of(f, id_at);
  if (id != nullptr) c.id = *id;
  in_range(f["factor"], c.factor, 0, false, 1, true, "factor must be in [0, 1)");
  if (const YamlNode* cats = f["categories"]) {
    if (!(cats->kind == Kind::scalar && cats->text == "all")) {
      if (cats->kind == Kind::seq)
        refs(cats, pc.categories);
      else if (cats->kind != Kind::alias)
        problem(*cats, "expected list or 'all', got " + type_name(*cats));
    }
  }
  Mode first_mode = Mode::query;
  scope(f, c.locales, c.query_mode, c.post_mode, first_mode);
  if (!condition(f, c.cond, pc.cond)) problem(n, "context " + in_quotes(c.id) + " has no positive condition");
  examples(f["examples"], c.examples, c.locales.empty() ? std::string() : c.locales.front(), first_mode);
  if (id != nullptr && define("context", context_ids_, *id, *id, *id_at)) {
    model_.contexts.push_back(std::move(c));
    pending_contexts_.push_back(std::move(pc));
  }
}

void Loader::category(const YamlNode& n) {
  if (!expect(n, Kind::map)) return;
  const Fields f(*this, n, {"id", "description", "action", "threshold", "cards", "holdout"}, "category");
  Category c;
  PendingCategory pc;
  c.pos = pos(n);
  const YamlNode* id_at = nullptr;
  const std::string* id = id_of(f, id_at);
  if (id != nullptr) c.id = *id;
  if (const YamlNode* d = f["description"])
    if (const std::string* s = string_of(*d)) c.description = *s;
  if (const YamlNode* a = f.required("action")) {
    if (const std::string* s = string_of(*a)) {
      const auto action = parse_action(*s);
      if (action && *action != Action::none)
        c.action = *action;
      else
        problem(*a, "invalid action " + in_quotes(*s));
    }
  }
  in_range(f["threshold"], c.threshold, 0, true, 1, false, "threshold must be in (0, 1]");
  in_range(f["holdout"], c.holdout, 0, false, 0.5, false, "holdout must be in [0, 0.5]");
  refs(f["cards"], pc.cards);
  for (const Ref& r : pc.cards) c.cards.push_back(r.name);
  // "none" labels decisions without a category in metrics; a category of that name would merge with them.
  if (id != nullptr && *id == "none") problem(*id_at, "reserved id 'none'");
  if (id != nullptr && define("category", category_ids_, *id, *id, *id_at)) {
    model_.categories.push_back(std::move(c));
    pending_categories_.push_back(std::move(pc));
  }
}

void Loader::card(const YamlNode& n, const std::optional<std::string>& locale, bool rtl) {
  if (!expect(n, Kind::map)) return;
  const Fields f(*this, n, {"id", "title", "body", "cta", "url"}, "card");
  CardText c;
  c.pos = pos(n);
  c.card.locale = locale.value_or("");
  c.card.rtl = rtl;
  const YamlNode* id_at = nullptr;
  const std::string* id = id_of(f, id_at);
  if (id != nullptr) c.card.id = *id;
  auto text = [&](std::string_view field, bool required, std::size_t limit, std::string& out) {
    const YamlNode* t = required ? f.required(field) : f[field];
    if (t == nullptr) return;
    const std::string* s = string_of(*t);
    if (s == nullptr) return;
    if (limit != 0 && count_code_points(*s) > limit)
      problem(*t, std::string(field) + " longer than " + std::to_string(limit) + " characters");
    out = *s;
  };
  text("title", true, kMaxTitleChars, c.card.title);
  text("body", true, kMaxBodyChars, c.card.body);
  text("cta", false, kMaxCtaChars, c.card.cta);
  if (const YamlNode* u = f.required("url")) {
    if (const std::string* s = string_of(*u)) {
      if (std::string reason = check_url(*s); !reason.empty())
        problem(*u, "unsafe URL " + in_quotes(*s) + ": " + reason);
      c.card.url = *s;
    }
  }
  if (id == nullptr) return;
  ++card_any_locale_[*id];
  if (!locale) return;
  if (define("card", card_ids_, *locale + '\0' + *id, *id, *id_at)) model_.cards.push_back(std::move(c));
}

// ---------------------------------------------------------------------------------------------
// References, once every file is read. When a file could not be read or parsed, what it defined
// is unknown, so unresolved references are not reported (they would mostly be noise).

void Loader::resolve() {
  std::unordered_map<std::string_view, std::size_t> lexicons, categories;
  for (std::size_t i = 0; i < model_.lexicons.size(); ++i) lexicons.emplace(model_.lexicons[i].id, i);
  for (std::size_t i = 0; i < model_.categories.size(); ++i) categories.emplace(model_.categories[i].id, i);

  auto lexicon_list = [&](const std::vector<Ref>& from, std::vector<std::size_t>& to) {
    for (const Ref& r : from) {
      if (const auto it = lexicons.find(r.name); it != lexicons.end())
        to.push_back(it->second);
      else if (!incomplete_)
        problem(r.at, "unknown lexicon " + in_quotes(r.name));
    }
  };
  auto cond = [&](Condition& c, const PendingCondition& pc) {
    lexicon_list(pc.any, c.any);
    lexicon_list(pc.all, c.all);
    lexicon_list(pc.none, c.none);
    for (std::size_t g = 0; g < pc.near.size(); ++g) lexicon_list(pc.near[g], c.near[g].of);
  };
  auto category_of = [&](const Ref& r) -> std::optional<std::size_t> {
    if (const auto it = categories.find(r.name); it != categories.end()) return it->second;
    if (!incomplete_) problem(r.at, "unknown category " + in_quotes(r.name));
    return std::nullopt;
  };

  for (std::size_t i = 0; i < model_.rules.size(); ++i) {
    Rule& r = model_.rules[i];
    const PendingRule& pr = pending_rules_[i];
    cond(r.cond, pr.cond);
    if (pr.category)
      if (auto c = category_of(*pr.category)) r.category = *c;
  }
  for (std::size_t i = 0; i < model_.contexts.size(); ++i) {
    Context& c = model_.contexts[i];
    const PendingContext& pc = pending_contexts_[i];
    cond(c.cond, pc.cond);
    for (const Ref& r : pc.categories)
      if (auto k = category_of(r)) c.categories.push_back(*k);
  }

  // Cards: each card a category uses must exist in every language of the manifest. A missing
  // version is reported once, at the first reference to the card (in file order).
  if (incomplete_) return;
  std::vector<const Ref*> uses;
  for (const PendingCategory& pc : pending_categories_)
    for (const Ref& r : pc.cards) uses.push_back(&r);
  std::stable_sort(uses.begin(), uses.end(), [](const Ref* a, const Ref* b) {
    if (a->at.file != b->at.file) return a->at.file < b->at.file;
    if (a->at.line != b->at.line) return a->at.line < b->at.line;
    return a->at.column < b->at.column;
  });
  std::unordered_set<std::string_view> checked;
  for (const Ref* r : uses) {
    if (!card_any_locale_.contains(r->name)) {
      problem(r->at, "unknown card " + in_quotes(r->name));
      continue;
    }
    if (!checked.insert(r->name).second) continue;
    for (const std::string& lang : model_.languages)
      if (!card_ids_.contains(lang + '\0' + r->name))
        problem(r->at, "missing translation: card " + in_quotes(r->name) + " has no " + in_quotes(lang) + " version");
  }
}

}  // namespace

PackModel load_pack(const std::filesystem::path& dir, std::vector<Problem>& problems) {
  Loader loader(dir);
  return loader.run(problems);
}

PackModel load_pack(const PackFiles& files, std::vector<Problem>& problems) {
  Loader loader(files);
  return loader.run(problems);
}

}  // namespace signpost::detail
