// pack/loader_impl.hpp: the pack loader's inside, shared by its files: loader.cpp (syntax helpers,
// reading a folder or memory, the run), loader_checks.cpp (pack.yaml and content files, references),
// includes.cpp (a lexicon's `include`), classifiers.cpp (a `classifiers:` entry).
#pragma once

#include <cstddef>
#include <filesystem>
#include <future>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/fields.hpp"
#include "pack/loader.hpp"
#include "pack/yaml_tree.hpp"

namespace signpost::detail::loading {

using detail::shown;  // pack/yaml_tree.hpp


namespace fs = std::filesystem;
using Kind = YamlNode::Kind;

// Right-to-left locales every pack knows (docs/pack-format.md); a manifest may add more.
inline constexpr std::string_view kBuiltinRtl[] = {"ar", "fa", "prs", "ckb", "ps", "ur", "he", "yi", "ug", "sd", "dv"};

// Syntax of ids, locale tags and numbers (loader.cpp).
bool valid_id(std::string_view s) noexcept;
bool valid_locale(std::string_view s) noexcept;
std::string language_of(std::string_view locale);
std::optional<double> parse_number(std::string_view s);
std::size_t letters_of_last_word(std::string_view s) noexcept;
std::string in_quotes(std::string_view s);

enum class ReadStatus { ok, too_large, error, not_regular };

// One file read and parsed, away from the loader's state (so that several can be done at once).
struct LoadedFile {
  ReadStatus status = ReadStatus::error;
  std::string bytes;
  YamlParse parsed;
};

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

// The fields of one mapping (base/fields.hpp); the Loader is the Tree that reads YAML nodes.
using Fields = FieldReader<Loader>;

class Loader {
 public:
  explicit Loader(const fs::path& dir) : dir_(dir) {}
  explicit Loader(const PackFiles& memory) : dir_(memory.origin), memory_(&memory) {}
  PackModel run(std::vector<Problem>& problems);

  // The Tree of base/fields.hpp: YAML nodes, problems recorded at their positions.
  using Node = YamlNode;
  using Kind = YamlNode::Kind;
  static constexpr Kind kString = Kind::scalar;
  std::size_t field_count(const YamlNode& map) const { return map.items.size() / 2; }
  const std::string* field_name(const YamlNode& map, std::size_t i) const {
    const YamlNode& key = map.items[2 * i];
    return key.kind == Kind::scalar ? &key.text : nullptr;
  }
  const YamlNode& field_key(const YamlNode& map, std::size_t i) const { return map.items[2 * i]; }
  const YamlNode& field_value(const YamlNode& map, std::size_t i) const { return map.items[2 * i + 1]; }
  Kind kind(const YamlNode& n) const { return n.kind; }
  static std::string kind_name(Kind k);
  static std::string type_name(const YamlNode& n);
  const std::string* text(const YamlNode& n) const { return n.kind == Kind::scalar ? &n.text : nullptr; }
  bool skipped(const YamlNode& n) const { return n.kind == Kind::alias; }  // reported by the parser
  std::string quoted(std::string_view name) const { return in_quotes(name); }
  void problem(Where at, std::string message) { problems_.push_back({at, std::move(message), {}}); }
  void problem(const YamlNode& at, std::string message) { problem(where(at), std::move(message)); }
  Where where(const YamlNode& n) const { return {current_, n.line, n.column}; }
  SourcePos pos(const YamlNode& n) const { return {files_[current_].shown, n.line, n.column}; }
  std::string shown_where(Where w) const {
    return files_[w.file].shown + ':' + std::to_string(w.line) + ':' + std::to_string(w.column);
  }

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
  bool integer(const YamlNode* n, int& out, int lo, int hi, std::string_view message);
  void scope(const Fields& f, std::vector<std::string>& locales, bool& query, bool& post, Mode& first_mode);
  void refs(const YamlNode* n, std::vector<Ref>& out);
  bool condition(const Fields& f, Condition& c, PendingCondition& pc);
  void examples(const YamlNode* n, std::vector<Example>& out, const std::string& locale, Mode mode);
  void clause(const YamlNode& n, const Fields& f, std::string_view kind, ClauseSpec& c, PendingCondition& pc);

  void lexicon(const YamlNode& n);
  void classifier(const YamlNode& n);  // classifiers.cpp
  void classifier_level(const YamlNode& n);  // classifiers.cpp: an entry with `of:`
  // classifiers.cpp: each level's classifier, by id (from resolve(), before any reference is read)
  void resolve_levels(const std::unordered_map<std::string_view, std::size_t>& ids);
  void term(const YamlNode& n, const std::string& lang, Lexicon& lex, std::size_t& in_lexicon);
  void rule(const YamlNode& n);
  void context(const YamlNode& n);
  void category(const YamlNode& n);
  void card(const YamlNode& n, const std::optional<std::string>& locale, bool rtl);

  void resolve();
  void include_terms(const std::unordered_map<std::string_view, std::size_t>& ids);

  struct File {
    std::string rel;    // relative path, '/'-separated ("" for the folder)
    std::string shown;  // as problems name it: the folder as given, joined with `rel`
  };

  // One file of the pack read and parsed, from the folder or from memory.
  LoadedFile load(const std::string& rel) const;
  std::future<LoadedFile> start(const std::string& rel) const;
  void list_memory_files(std::vector<std::string>& rels);
  template <class SizeOf>
  void budget(SizeOf size_of);

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
  std::vector<std::vector<Ref>> pending_includes_;  // parallel to the lexicons read from files
  std::vector<std::pair<std::size_t, Ref>> pending_levels_;  // a level's lexicon, the classifier it names
  std::size_t terms_ = 0;
  bool terms_limit_reported_ = false;
  std::size_t examples_ = 0;
  std::size_t bytes_ = 0;        // of the files read so far
  std::size_t budget_stop_ = std::size_t(-1);  // files_ from here on would cross kMaxPackBytes
  bool manifest_refused_ = false;  // pack.yaml is there but is not a file that may be read
};

}  // namespace signpost::detail::loading
