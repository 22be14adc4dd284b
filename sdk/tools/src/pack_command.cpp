// pack_command.cpp (tools): `signpost pack build|keygen|sign|verify`.
#include "signpost/tools/pack.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <ostream>
#include <system_error>

#include <CLI/CLI.hpp>

#include "archive/archive.hpp"
#include "archive/signature.hpp"
#include "signpost/engine.hpp"
#include "signpost/error.hpp"

namespace signpost::tools {
namespace {

namespace fs = std::filesystem;

constexpr int kOk = 0, kBad = 1, kUsage = 2;

constexpr const char* kPackUsage =
    "usage: signpost pack build DIR -o FILE.tar        a canonical archive of the pack in DIR\n"
    "                                                  (FILE.tar.gz or FILE.tgz: gzip-compressed)\n"
    "       signpost pack keygen --out NAME             NAME.key (secret, mode 0600) and NAME.pub\n"
    "       signpost pack sign FILE.tar|DIR --key NAME.key\n"
    "                                                  adds an ed25519 signature (pack.sig) over the\n"
    "                                                  pack's digest\n"
    "       signpost pack verify FILE.tar|DIR --trusted-key NAME.pub [--trusted-key ...]\n"
    "\n"
    "The same folder always builds to the same bytes: members sorted by name, mode 0644, owner 0,\n"
    "time 0. A pack is checked (every problem as FILE:LINE:COL) before it is built or signed.\n"
    "exit: 0 done (verify: signed by a trusted key), 1 (verify) missing or bad signature or a pack\n"
    "that cannot be loaded, 2 usage errors, pack problems, files that cannot be read or written\n";

constexpr std::size_t kMaxKeyFileBytes = 4096;

std::string read_file(const fs::path& path, std::size_t limit) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw Error(path.string() + ": is a folder");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot read file");
  std::string bytes;
  char buf[1 << 16];
  while (in && bytes.size() <= limit) {
    in.read(buf, sizeof buf);
    bytes.append(buf, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw Error(path.string() + ": cannot read file");
  if (bytes.size() > limit) throw Error(path.string() + ": file too large");
  return bytes;
}

// Writes through a temporary file renamed into place, so a reader never sees half a file.
void write_file(const fs::path& path, const std::string& bytes, mode_t mode, bool exclusive) {
  if (exclusive) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) throw Error(path.string() + (errno == EEXIST ? ": already exists (not overwritten)" : ": cannot create"));
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
      if (n <= 0) {
        ::close(fd);
        throw Error(path.string() + ": cannot write");
      }
      done += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) throw Error(path.string() + ": cannot write");
    return;
  }
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw Error(tmp.string() + ": cannot open for writing");
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    f.flush();
    if (!f) throw Error(tmp.string() + ": cannot write");
  }
  ::chmod(tmp.c_str(), mode);
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw Error(path.string() + ": cannot write");
  }
}

bool wants_gzip(const std::string& name) { return name.ends_with(".tar.gz") || name.ends_with(".tgz"); }
bool is_gzip(std::string_view bytes) { return bytes.size() >= 2 && bytes[0] == '\x1f' && bytes[1] == '\x8b'; }

void print_problems(const ConfigError& e, std::ostream& err, const std::string& what) {
  for (const auto& p : e.problems) err << p.to_string() << "\n";
  err << "signpost pack " << what << ": the pack has " << e.problems.size() << " problem"
      << (e.problems.size() == 1 ? "" : "s") << "\n";
}

int build(const std::string& dir, const std::string& out_name, std::ostream& out, std::ostream& err) {
  // Checked first: a pack with problems is never archived.
  const Engine engine = Engine::load(dir);
  if (!fs::is_directory(dir)) throw Error(dir + ": not a pack folder");
  const detail::PackFiles files = detail::read_pack_folder(dir);
  const std::string bytes = detail::write_archive(files, wants_gzip(out_name));
  // The archive must load to the same pack (same digest) as the folder.
  if (Engine::load_archive(bytes).pack().hash != engine.pack().hash)
    throw Error(dir + ": the folder changed while it was archived");
  write_file(out_name, bytes, 0644, false);
  out << out_name << ": " << engine.pack().name << " " << engine.pack().version << " " << engine.pack().hash << ", "
      << files.files.size() << " files, " << bytes.size() << " bytes\n";
  return kOk;
}

int keygen(const std::string& name, std::ostream& out) {
  const detail::KeyPair kp = detail::generate_keypair();
  write_file(name + ".key", kp.secret_key + "\n", 0600, true);
  write_file(name + ".pub", kp.public_key + "\n", 0644, true);
  out << name << ".key (secret, keep it offline), " << name << ".pub: " << kp.public_key << "\n";
  return kOk;
}

int sign(const std::string& target, const std::string& key_file, std::ostream& out) {
  const std::string secret = read_file(key_file, kMaxKeyFileBytes);
  const std::string public_key = detail::public_key_of(secret);  // checks the key before any work
  std::error_code ec;
  if (fs::is_directory(target, ec)) {
    const Engine engine = Engine::load(target);
    const fs::path sig = fs::path(target) / std::string(detail::kSignatureFile);
    const std::string existing = fs::exists(sig, ec) ? read_file(sig, detail::kMaxSignatureBytes) : "";
    write_file(sig, detail::add_signature(existing, engine.pack().hash, secret), 0644, false);
    out << sig.string() << ": signed " << engine.pack().hash << " with " << public_key << "\n";
    return kOk;
  }
  const std::string bytes = read_file(target, detail::kMaxArchiveFileBytes);
  const Engine engine = Engine::load_archive(bytes);
  detail::PackFiles files;
  std::vector<Problem> problems;
  detail::read_archive(bytes, files, problems);  // loaded above: no problem left
  std::string& sig = files.files[std::string(detail::kSignatureFile)];
  sig = detail::add_signature(sig, engine.pack().hash, secret);
  const std::string signed_bytes = detail::write_archive(files, is_gzip(bytes));
  EngineOptions trusting;
  trusting.trusted_keys = {public_key};
  if (Engine::load_archive(signed_bytes, trusting).pack().hash != engine.pack().hash)
    throw Error(target + ": the signed archive does not load to the same pack");
  write_file(target, signed_bytes, 0644, false);
  out << target << ": signed " << engine.pack().hash << " with " << public_key << "\n";
  return kOk;
}

int verify(const std::string& target, const std::vector<std::string>& key_files, std::ostream& out, std::ostream& err) {
  EngineOptions options;
  for (const auto& f : key_files) {
    std::string key = read_file(f, kMaxKeyFileBytes);
    if (!detail::is_public_key(key)) {
      err << "signpost pack verify: " << f << ": not an ed25519 public key (expected a line 'ed25519:<base64>')\n";
      return kUsage;
    }
    options.trusted_keys.push_back(std::move(key));
  }
  try {
    const Engine engine = Engine::load(target, options);
    out << target << ": valid signature, " << engine.pack().name << " " << engine.pack().version << " "
        << engine.pack().hash << "\n";
    return kOk;
  } catch (const ConfigError& e) {
    print_problems(e, err, "verify");
    return kBad;
  }
}

}  // namespace

int run_pack(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"", "signpost pack"};
  app.set_help_flag();
  bool help = false;
  app.add_flag("-h,--help", help);
  std::string output, key;
  std::vector<std::string> trusted, positional;
  app.add_option("-o,--out", output);
  app.add_option("--key", key);
  app.add_option("--trusted-key", trusted);
  app.add_option("args", positional);
  auto usage = [&](const std::string& message) {
    err << "signpost pack: " << message << "\n" << kPackUsage;
    return kUsage;
  };
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return usage(e.what());
  }
  if (help) {
    out << kPackUsage;
    return kOk;
  }
  if (positional.empty()) return usage("expected build, keygen, sign or verify");
  const std::string cmd = positional.front();
  positional.erase(positional.begin());
  auto only = [&](std::initializer_list<const char*> allowed) -> std::string {
    const std::pair<const char*, bool> given[] = {
        {"-o/--out", app.count("--out") > 0}, {"--key", app.count("--key") > 0}, {"--trusted-key", app.count("--trusted-key") > 0}};
    for (const auto& [name, present] : given) {
      bool ok = false;
      for (const char* a : allowed) ok = ok || std::string_view(a) == name;
      if (present && !ok) return std::string(name) + " does not apply to 'pack " + cmd + "'";
    }
    return {};
  };
  try {
    if (cmd == "build") {
      if (auto e = only({"-o/--out"}); !e.empty()) return usage(e);
      if (positional.size() != 1 || output.empty()) return usage("pack build needs DIR and -o FILE.tar");
      return build(positional[0], output, out, err);
    }
    if (cmd == "keygen") {
      if (auto e = only({"-o/--out"}); !e.empty()) return usage(e);
      if (!positional.empty() || output.empty()) return usage("pack keygen needs --out NAME");
      return keygen(output, out);
    }
    if (cmd == "sign") {
      if (auto e = only({"--key"}); !e.empty()) return usage(e);
      if (positional.size() != 1 || key.empty()) return usage("pack sign needs FILE.tar (or DIR) and --key NAME.key");
      return sign(positional[0], key, out);
    }
    if (cmd == "verify") {
      if (auto e = only({"--trusted-key"}); !e.empty()) return usage(e);
      if (positional.size() != 1 || trusted.empty())
        return usage("pack verify needs FILE.tar (or DIR) and --trusted-key NAME.pub");
      return verify(positional[0], trusted, out, err);
    }
  } catch (const ConfigError& e) {
    print_problems(e, err, cmd);
    return kUsage;
  } catch (const Error& e) {
    err << "signpost pack " << cmd << ": " << e.what() << "\n";
    return kUsage;
  }
  return usage("unknown pack command '" + cmd + "' (expected build, keygen, sign or verify)");
}

const char* pack_usage() noexcept { return kPackUsage; }

}  // namespace signpost::tools
