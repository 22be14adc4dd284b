// A pack from a folder: the same input form as fuzz_pack_memory ("=== PATH" lines), written into
// a fresh folder (never writing through a link), where a part named "=== @link PATH -> TARGET" makes a symbolic link and
// "=== @fifo PATH" a FIFO. Paths are kept inside the folder ('..' and absolute paths are
// rewritten); link targets are not (the loader must refuse those that leave). Invariants: only
// ConfigError is thrown, problems print as one clean line and name the folder, nothing hangs
// (a FIFO is never opened for reading: libFuzzer's -timeout catches a hang).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <iterator>
#include <string>
#include <system_error>

#include <signpost/signpost.hpp>

#include "fuzz_support.hpp"

namespace fs = std::filesystem;

namespace {

// Keeps a path relative and inside: no leading '/', no ".." part, no NUL.
std::string tame(std::string_view path) {
  std::string out;
  for (const std::string_view part : signpost::fuzz::split(path, '/')) {
    if (part.empty() || part == "." || part == "..") continue;
    if (!out.empty()) out += '/';
    for (const char c : part) out += c == '\0' ? '_' : c;
  }
  return out.empty() ? "x.yaml" : out.substr(0, 200);
}

// The folder the inputs are written to, removed when the fuzzer exits (links in it are removed,
// never followed).
const fs::path& root() {
  static const struct Folder {
    fs::path path;
    ~Folder() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  } folder{fs::temp_directory_path() / ("signpost-fuzz-pack-" + std::to_string(::getpid()))};
  return folder.path;
}

// Creates the folders of `rel` under the root and returns its full path, or an empty path when a
// folder on the way is a link (something made earlier in the same input): nothing is ever
// written through a link, which could lead anywhere.
fs::path prepare(const std::string& rel) {
  std::error_code ec;
  fs::path at = root();
  const fs::path relative(rel);
  for (auto it = relative.begin(); it != relative.end(); ++it) {
    at /= *it;
    const auto st = fs::symlink_status(at, ec);
    if (fs::is_symlink(st)) return {};
    if (std::next(it) == relative.end()) break;
    if (!fs::exists(st)) fs::create_directory(at, ec);
    if (!fs::is_directory(fs::symlink_status(at, ec))) return {};
  }
  if (fs::exists(fs::symlink_status(at, ec))) return {};
  return at;
}

void write_pack(std::string_view input) {
  std::error_code ec;
  fs::remove_all(root(), ec);  // never follows links
  fs::create_directories(root(), ec);
  for (const auto& part : signpost::fuzz::pack_parts(input)) {
    if (part.path.starts_with("@link ")) {
      const std::string_view spec = std::string_view(part.path).substr(6);
      const std::size_t arrow = spec.find(" -> ");
      if (arrow == std::string_view::npos) continue;
      const fs::path link = prepare(tame(spec.substr(0, arrow)));
      if (link.empty()) continue;
      std::string target(spec.substr(arrow + 4));
      for (char& c : target) c = c == '\0' ? '_' : c;
      fs::create_symlink(target, link, ec);
    } else if (part.path.starts_with("@fifo ")) {
      const fs::path fifo = prepare(tame(std::string_view(part.path).substr(6)));
      if (!fifo.empty()) ::mkfifo(fifo.c_str(), 0600);
    } else {
      const fs::path file = prepare(tame(part.path));
      if (file.empty()) continue;
      const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd < 0) continue;
      for (std::size_t done = 0; done < part.bytes.size();) {
        const ssize_t n = ::write(fd, part.bytes.data() + done, part.bytes.size() - done);
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
      }
      ::close(fd);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  write_pack(signpost::fuzz::as_text(data, size));
  try {
    const signpost::Engine engine = signpost::Engine::load(root());
    (void)engine.lint();
  } catch (const signpost::ConfigError& e) {
    SIGNPOST_FUZZ_CHECK(!e.problems.empty());
    for (const signpost::Problem& p : e.problems) {
      SIGNPOST_FUZZ_CHECK(p.line >= 0 && p.column >= 0);
      SIGNPOST_FUZZ_CHECK(p.file.starts_with(root().generic_string()));
      SIGNPOST_FUZZ_CHECK(signpost::fuzz::one_clean_line(p.to_string()));
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "threw: %s\n", e.what());
    std::abort();
  }
  return 0;
}
