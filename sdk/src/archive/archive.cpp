// archive.cpp: reading and writing pack archives with libarchive (see archive.hpp for why).
#include "archive/archive.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <system_error>

#include "base/utf8.hpp"

namespace signpost::detail {
namespace {

namespace fs = std::filesystem;

struct ReaderDeleter {
  void operator()(struct archive* a) const noexcept { archive_read_free(a); }
};
struct WriterDeleter {
  void operator()(struct archive* a) const noexcept { archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const noexcept { archive_entry_free(e); }
};

// A member name as shown in a problem: at most 100 bytes, controls as '?'.
std::string shown_name(std::string_view name) {
  if (!is_valid_utf8(name)) return "(a name that is not UTF-8)";
  std::string out;
  for (const char c : name.substr(0, 100)) {
    const auto b = static_cast<unsigned char>(c);
    out += (b < 0x20 || b == 0x7F) ? '?' : c;
  }
  if (name.size() > 100) out += "...";
  return out;
}

// Why a member name cannot be a file of the pack, or "" when it can. `name` has had its leading
// "./" removed.
std::string bad_name(std::string_view name) {
  if (name.empty()) return "empty name";
  if (!is_valid_utf8(name)) return "name is not valid UTF-8";
  if (name.front() == '/') return "absolute path (outside the pack)";
  if (name.find('\\') != std::string_view::npos) return "backslash in name";
  for (std::size_t at = 0; at <= name.size();) {
    std::size_t end = name.find('/', at);
    if (end == std::string_view::npos) end = name.size();
    const std::string_view part = name.substr(at, end - at);
    if (part == "..") return "path goes up ('..', outside the pack)";
    if (part.empty() && end != name.size()) return "empty path component";
    if (part == ".") return "'.' path component";
    at = end + 1;
  }
  return {};
}

}  // namespace

bool read_archive(std::string_view bytes, PackFiles& out, std::vector<Problem>& problems) {
  const std::size_t before = problems.size();
  auto problem = [&](std::string message) { problems.push_back({out.origin, 0, 0, std::move(message)}); };
  std::unique_ptr<struct archive, ReaderDeleter> ar(archive_read_new());
  if (!ar) throw std::bad_alloc();
  // Tar only (ustar, pax, GNU), plain or gzip: nothing else is a pack archive.
  archive_read_support_filter_gzip(ar.get());
  archive_read_support_format_tar(ar.get());
  if (bytes.empty()) {
    problem("empty archive");
    return false;
  }
  if (archive_read_open_memory(ar.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
    problem(std::string("not a tar archive: ") + archive_error_string(ar.get()));
    return false;
  }
  std::size_t members = 0, total = 0;
  std::string data;
  // Where the last member ended (its data and padding), in the unpacked stream: a tar cut right
  // after a member reads as a shorter archive, and only the missing end-of-archive block shows it.
  la_int64_t member_end = 0;
  for (;;) {
    if (members > 0) {
      if (archive_read_data_skip(ar.get()) < ARCHIVE_WARN) {
        const char* why = archive_error_string(ar.get());
        problem(std::string("truncated or damaged archive: ") + (why ? why : "cannot read"));
        break;
      }
      member_end = archive_filter_bytes(ar.get(), 0);
    }
    archive_entry* entry = nullptr;
    const int r = archive_read_next_header(ar.get(), &entry);
    if (r == ARCHIVE_EOF) {
      if (members > 0 && archive_filter_bytes(ar.get(), 0) <= member_end)
        problem("truncated archive: it ends without the end-of-archive blocks");
      break;
    }
    if (r < ARCHIVE_WARN) {
      const char* why = archive_error_string(ar.get());
      problem(std::string("truncated or damaged archive: ") + (why ? why : "unreadable header"));
      break;
    }
    if (++members > kMaxArchiveMembers) {
      problem("more than " + std::to_string(kMaxArchiveMembers) + " archive members");
      break;
    }
    const char* raw = archive_entry_pathname(entry);
    std::string_view name = raw ? raw : "";
    while (name.starts_with("./")) name.remove_prefix(2);
    const auto type = archive_entry_filetype(entry);
    const bool is_dir = type == AE_IFDIR;
    if (is_dir) {
      while (name.ends_with('/')) name.remove_suffix(1);
      if (name.empty() || name == ".") continue;  // the archive's root folder
    }
    const std::string shown = "archive member '" + shown_name(name) + "': ";
    if (const std::string why = bad_name(name); !why.empty()) {
      problem(shown + why);
      continue;
    }
    if (archive_entry_hardlink(entry) != nullptr) {
      problem(shown + "hard link (only regular files are allowed)");
      continue;
    }
    if (type == AE_IFLNK) {
      problem(shown + "symbolic link (only regular files are allowed)");
      continue;
    }
    if (is_dir) continue;
    if (type != AE_IFREG) {
      problem(shown + "not a regular file (device, FIFO or socket)");
      continue;
    }
    const la_int64_t declared = archive_entry_size_is_set(entry) ? archive_entry_size(entry) : 0;
    if (declared < 0 || static_cast<std::uint64_t>(declared) > kMaxFileBytes) {
      problem(shown + "larger than 4 MiB");
      continue;
    }
    data.clear();
    data.reserve(static_cast<std::size_t>(declared));
    char buf[1 << 16];
    bool failed = false;
    for (;;) {
      const la_ssize_t n = archive_read_data(ar.get(), buf, sizeof buf);
      if (n == 0) break;
      if (n < 0) {
        failed = true;
        break;
      }
      data.append(buf, static_cast<std::size_t>(n));
      if (data.size() > kMaxFileBytes) break;
    }
    if (failed) {
      const char* why = archive_error_string(ar.get());
      problem(shown + "truncated or damaged: " + (why ? why : "cannot read"));
      break;
    }
    if (data.size() > kMaxFileBytes) {
      problem(shown + "larger than 4 MiB");
      continue;
    }
    total += data.size();
    if (total > kMaxArchiveBytes) {
      problem("archive unpacks to more than " + std::to_string(kMaxArchiveBytes >> 20) + " MiB");
      break;
    }
    if (!out.files.emplace(std::string(name), data).second) problem(shown + "appears twice");
  }
  return problems.size() == before;
}

PackFiles read_pack_folder(const fs::path& dir) {
  PackFiles out;
  out.origin = dir.generic_string();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(out.origin + ": not a pack folder");
  auto read = [&](const fs::path& path, const std::string& rel, std::size_t limit) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes;
    char buf[1 << 16];
    while (in && bytes.size() <= limit) {
      in.read(buf, sizeof buf);
      bytes.append(buf, static_cast<std::size_t>(in.gcount()));
    }
    if (!in.eof() || in.bad()) throw Error(out.origin + "/" + rel + ": cannot read file");
    if (bytes.size() > limit) throw Error(out.origin + "/" + rel + ": file too large");
    out.files.emplace(rel, std::move(bytes));
  };
  // As the loader lists a folder: *.yaml below it, hidden files and folders skipped, links to
  // folders not followed. tests/unit/test_archive.cpp checks that both see the same files (the
  // pack's hash is the same loaded from the folder and from its archive).
  std::vector<std::string> dirs{""};
  while (!dirs.empty()) {
    const std::string rel_dir = std::move(dirs.back());
    dirs.pop_back();
    for (fs::directory_iterator it(dir / fs::path(rel_dir), ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      std::error_code e2;
      if (it->is_directory(e2)) {
        if (!it->is_symlink(e2)) dirs.push_back(rel_dir + name + "/");
        continue;
      }
      if (name.size() <= 5 || !name.ends_with(".yaml") || !it->is_regular_file(e2)) continue;
      read(it->path(), rel_dir + name, kMaxFileBytes);
      if (out.files.size() > kMaxPackFiles) throw Error(out.origin + ": more than " + std::to_string(kMaxPackFiles) + " files");
    }
    if (ec) throw Error(out.origin + "/" + rel_dir + ": cannot read folder");
  }
  const fs::path sig = dir / std::string(kSignatureFile);
  if (fs::is_regular_file(sig, ec) && !fs::is_symlink(sig, ec))
    read(sig, std::string(kSignatureFile), kMaxSignatureBytes);
  return out;
}

std::string write_archive(const PackFiles& files, bool gzip) {
  std::unique_ptr<struct archive, WriterDeleter> ar(archive_write_new());
  if (!ar) throw std::bad_alloc();
  auto check = [&](int r, const char* what) {
    if (r < ARCHIVE_WARN) {
      const char* why = archive_error_string(ar.get());
      throw Error(std::string("cannot write archive: ") + what + (why ? std::string(": ") + why : ""));
    }
  };
  check(archive_write_set_format_ustar(ar.get()), "ustar");
  // No padding after the end-of-archive blocks (a gzip stream would otherwise be followed by
  // zeros up to 10 KiB, and a cut archive could go unnoticed).
  check(archive_write_set_bytes_in_last_block(ar.get(), 1), "block size");
  if (gzip) {
    check(archive_write_add_filter_gzip(ar.get()), "gzip");
    check(archive_write_set_filter_option(ar.get(), "gzip", "timestamp", nullptr), "gzip without timestamp");
  }
  // Grown by libarchive's callbacks.
  std::string out;
  auto write_cb = [](struct archive*, void* ctx, const void* buf, std::size_t n) -> la_ssize_t {
    static_cast<std::string*>(ctx)->append(static_cast<const char*>(buf), n);
    return static_cast<la_ssize_t>(n);
  };
  check(archive_write_open2(ar.get(), &out, nullptr, write_cb, nullptr, nullptr), "open");
  // On any error the archive is freed while `out` is alive: freeing flushes through write_cb,
  // which must never write into a string that is already gone.
  try {
  // std::map keeps names in byte order already.
  for (const auto& [name, bytes] : files.files) {
    if (const std::string why = bad_name(name); !why.empty())
      throw Error("cannot archive '" + shown_name(name) + "': " + why);
    std::unique_ptr<archive_entry, EntryDeleter> e(archive_entry_new());
    if (!e) throw std::bad_alloc();
    archive_entry_set_pathname(e.get(), name.c_str());
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_perm(e.get(), 0644);
    archive_entry_set_size(e.get(), static_cast<la_int64_t>(bytes.size()));
    archive_entry_set_uid(e.get(), 0);
    archive_entry_set_gid(e.get(), 0);
    archive_entry_set_mtime(e.get(), 0, 0);
    check(archive_write_header(ar.get(), e.get()), ("header of '" + shown_name(name) + "'").c_str());
    if (!bytes.empty() && archive_write_data(ar.get(), bytes.data(), bytes.size()) != static_cast<la_ssize_t>(bytes.size()))
      check(ARCHIVE_FATAL, "data");
  }
  check(archive_write_close(ar.get()), "close");
  } catch (...) {
    ar.reset();  // freed (and flushed) while `out` is still alive
    throw;
  }
  return out;
}

}  // namespace signpost::detail
