#include "pack/loader_impl.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <charconv>
#include <cmath>
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
namespace loading {

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


// Opens without waiting (a FIFO has no writer) and reads only a regular file, checked on the open
// descriptor so that what was listed cannot be swapped for something else in between.
ReadStatus read_file(const fs::path& path, std::string& out) {
  out.clear();
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return ReadStatus::error;
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return ReadStatus::error;
  if (!S_ISREG(st.st_mode)) return ReadStatus::not_regular;
  if (static_cast<std::uintmax_t>(st.st_size) > kMaxFileBytes) return ReadStatus::too_large;
  out.reserve(static_cast<std::size_t>(st.st_size));
  // Read one byte more than allowed, in case the file grew since its size was taken.
  char buf[1 << 16];
  while (out.size() <= kMaxFileBytes) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ReadStatus::error;
    if (n == 0) return ReadStatus::ok;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return ReadStatus::too_large;
}

// Where a symbolic link leads, against the pack folder's real path `root`.
enum class LinkTarget { inside, outside, nowhere };

LinkTarget link_target(const fs::path& root, const fs::path& link) {
  std::error_code ec;
  const fs::path target = fs::canonical(link, ec);
  if (ec) return LinkTarget::nowhere;
  const bool within = std::mismatch(root.begin(), root.end(), target.begin(), target.end()).first == root.end();
  return within ? LinkTarget::inside : LinkTarget::outside;
}


std::string Loader::kind_name(Kind k) {
  switch (k) {
    case Kind::null: return "null";
    case Kind::seq: return "list";
    case Kind::map: return "mapping";
    case Kind::alias: return "alias";
    case Kind::scalar: return "string";
  }
  return "string";
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

bool Loader::expect(const YamlNode& n, Kind kind) { return detail::expect(*this, n, kind); }

const std::string* Loader::string_of(const YamlNode& n) { return detail::string_of(*this, n); }

std::optional<double> Loader::number_of(const YamlNode& n) {
  if (n.kind == Kind::alias) return std::nullopt;
  if (n.kind == Kind::scalar && n.plain)
    if (auto v = parse_number(n.text)) return v;
  wrong_type(*this, n, "number");
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
    budget([&](const std::string& rel) { return memory_->files.at(rel).size(); });
    return;
  }
  // A folder without a manifest is not a pack: one problem, and its other files (which could be
  // anything, e.g. --pack /tmp) are neither listed nor read.
  if (!fs::is_directory(dir_, ec) || !fs::exists(fs::symlink_status(dir_ / "pack.yaml", ec))) {
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
  const fs::path root = fs::canonical(dir_, ec);
  if (ec) {
    unreadable("");
    return;
  }
  // A path that is there but may not be read: reported at 0:0 of that path.
  auto refuse = [&](const std::string& rel, std::string message) {
    problems_.push_back({Where{0, 0, 0}, std::move(message), (dir_ / fs::path(rel)).generic_string()});
    incomplete_ = true;
    if (rel == "pack.yaml") manifest_refused_ = true;
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
      const bool yaml = name.size() > 5 && name.ends_with(".yaml");
      const bool folder = it->is_directory(e2);
      const std::string rel = rel_dir + name;
      if (it->is_symlink(e2)) {
        if (!yaml && !folder) continue;  // files that are not *.yaml are never read
        const LinkTarget to = link_target(root, it->path());
        if (to == LinkTarget::outside) {
          refuse(rel, "symbolic link leading outside the pack folder");
          continue;
        }
        if (to == LinkTarget::nowhere) {
          refuse(rel, "symbolic link leading nowhere");
          continue;
        }
        if (folder) continue;  // never follow links to folders
      } else if (folder) {
        dirs.push_back(rel + "/");
        continue;
      }
      if (!yaml) continue;
      if (!it->is_regular_file(e2)) {
        refuse(rel, "not a regular file (a FIFO, a device or a socket)");
        continue;
      }
      rels.push_back(rel);
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
  budget([&](const std::string& rel) {
    std::error_code size_ec;
    const auto size = fs::file_size(dir_ / fs::path(rel), size_ec);
    return size_ec ? std::size_t(0) : static_cast<std::size_t>(size);
  });
}

// The pack as a whole is bounded too (kMaxPackBytes): files are read, in order, only up to the
// one that would cross it. run() counts again what it reads, in case files grew since.
template <class SizeOf>
void Loader::budget(SizeOf size_of) {
  std::size_t total = 0;
  for (std::size_t i = 1; i < files_.size(); ++i) {
    total += std::min(size_of(files_[i].rel), kMaxFileBytes + 1);
    if (total > kMaxPackBytes) {
      budget_stop_ = i;
      return;
    }
  }
}


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
    problem(Where{index, 0, 0}, f.status == ReadStatus::too_large     ? "file larger than 4 MiB"
                                : f.status == ReadStatus::not_regular ? "not a regular file (a FIFO, a device or a socket)"
                                                                      : "cannot read file");
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
    if (!folder_missing_ && !manifest_refused_) problem(Where{0, 0, 0}, "missing pack.yaml");
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
  bool over_budget = false;
  for (std::size_t first = 1; first < files_.size() && !over_budget; first += batch) {
    const std::size_t last = std::min(files_.size(), first + batch);
    std::vector<std::future<LoadedFile>> jobs;
    for (std::size_t i = first; i < last; ++i) {
      if (i == manifest_index || i >= budget_stop_) {
        jobs.emplace_back();
      } else {
        jobs.push_back(start(files_[i].rel));
      }
    }
    for (std::size_t i = first; i < last; ++i) {
      LoadedFile loaded;
      if (i != manifest_index && i < budget_stop_) loaded = jobs[i - first].get();
      const LoadedFile& f = i == manifest_index ? manifest_file : loaded;
      if (over_budget) continue;
      if (f.status == ReadStatus::ok) bytes_ += f.bytes.size();
      if (i >= budget_stop_ || bytes_ > kMaxPackBytes) {
        // Files are bounded one by one, and the pack as a whole: the rest is not read.
        problem(Where{i, 0, 0}, "the pack is larger than " + std::to_string(kMaxPackBytes >> 20) +
                                    " MiB in total (with this file); the files after it are not read");
        incomplete_ = over_budget = true;
        continue;
      }
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
    if (a.at.column != b.at.column) return a.at.column < b.at.column;
    return a.path < b.path;  // paths refused while listing the folder, in byte order
  });
  out.reserve(out.size() + problems_.size());
  for (PendingProblem& p : problems_)
    out.push_back(Problem{p.path.empty() ? files_[p.at.file].shown : std::move(p.path), p.at.line, p.at.column,
                          std::move(p.message)});
  return std::move(model_);
}

}  // namespace loading


PackModel load_pack(const std::filesystem::path& dir, std::vector<Problem>& problems) {
  loading::Loader loader(dir);
  return loader.run(problems);
}

PackModel load_pack(const PackFiles& files, std::vector<Problem>& problems) {
  loading::Loader loader(files);
  return loader.run(problems);
}

}  // namespace signpost::detail
