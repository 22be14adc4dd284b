// pack_command.cpp (tools): `signpost pack build|keygen|sign|verify`.
#include "signpost/tools/pack.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <ostream>
#include <system_error>

#include "cli_app.hpp"

#include "archive/archive.hpp"
#include "archive/signature.hpp"
#include "signpost/engine.hpp"
#include "signpost/error.hpp"

namespace signpost::tools {
namespace {

namespace fs = std::filesystem;

constexpr int kBadSignature = 1;  // verify: missing or bad signature, or a pack that cannot be loaded

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

int build(const std::string& dir, const std::string& out_name, std::ostream& out) {
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
  return cli::kExitOk;
}

int keygen(const std::string& name, std::ostream& out) {
  const detail::KeyPair kp = detail::generate_keypair();
  write_file(name + ".key", kp.secret_key + "\n", 0600, true);
  write_file(name + ".pub", kp.public_key + "\n", 0644, true);
  out << name << ".key (secret, keep it offline), " << name << ".pub: " << kp.public_key << "\n";
  return cli::kExitOk;
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
    return cli::kExitOk;
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
  return cli::kExitOk;
}

int verify(const std::string& target, const std::vector<std::string>& key_files, std::ostream& out, std::ostream& err) {
  EngineOptions options;
  for (const auto& f : key_files) {
    std::string key = read_file(f, kMaxKeyFileBytes);
    if (!detail::is_public_key(key)) {
      err << "signpost pack verify: " << f << ": not an ed25519 public key (expected a line 'ed25519:<base64>')\n";
      return cli::kExitUsage;
    }
    options.trusted_keys.push_back(std::move(key));
  }
  try {
    const Engine engine = Engine::load(target, options);
    out << target << ": valid signature, " << engine.pack().name << " " << engine.pack().version << " "
        << engine.pack().hash << "\n";
    return cli::kExitOk;
  } catch (const ConfigError& e) {
    print_problems(e, err, "verify");
    return kBadSignature;
  }
}

struct PackArgs {
  std::string dir, output, key, target;
  std::vector<std::string> trusted;
  CLI::App *build = nullptr, *keygen = nullptr, *sign = nullptr, *verify = nullptr;
};

CLI::App* declare_pack(CLI::App& root, PackArgs& a) {
  CLI::App* pack = cli::add_command(
      root, "pack",
      "build a pack archive, make keys, sign and verify packs\n\n"
      "The same folder always builds to the same bytes: members sorted by name, mode 0644, owner 0,\n"
      "time 0. A pack is checked (every problem as FILE:LINE:COL) before it is built or signed.",
      "exit: 0 done (verify: signed by a trusted key), 1 (verify) missing or bad signature or a pack\n"
      "that cannot be loaded, 2 usage errors, pack problems, files that cannot be read or written\n\n"
      "example:\n  signpost pack build my-pack/ -o my-pack.tar");
  pack->require_subcommand(1);
  a.build = cli::add_command(*pack, "build",
                             "a canonical archive of the pack in DIR\n\n"
                             "Writes the pack in DIR as one archive (FILE.tar.gz or FILE.tgz: gzip-compressed).",
                             "exit: 0 done, 2 usage errors, pack problems, files that cannot be read or written");
  cli::add_argument(*a.build, "DIR", a.dir, "the pack folder")->required();
  a.build->add_option("-o,--out", a.output, "the archive to write")->option_text("FILE.tar")->required()->group("options");
  a.keygen = cli::add_command(*pack, "keygen",
                              "make a signing key pair: NAME.key (secret, mode 0600) and NAME.pub\n\n"
                              "Never overwrites an existing key file.",
                              "exit: 0 done, 2 usage errors, files that exist or cannot be written");
  a.keygen->add_option("-o,--out", a.output, "the name of the key files")->option_text("NAME")->required()->group("options");
  a.sign = cli::add_command(*pack, "sign",
                            "add an ed25519 signature (pack.sig) over the pack's digest\n\n"
                            "Signs the archive FILE.tar (rewritten in place) or the pack folder DIR.",
                            "exit: 0 done, 2 usage errors, pack problems, keys or files that cannot be read or written");
  cli::add_argument(*a.sign, "FILE.tar|DIR", a.target, "the pack to sign")->required();
  a.sign->add_option("--key", a.key, "the secret key")->option_text("NAME.key")->required()->group("options");
  a.verify = cli::add_command(*pack, "verify",
                              "check that a pack is signed by a trusted key\n\n"
                              "Loads the pack and checks its signature against the trusted keys.",
                              "exit: 0 signed by a trusted key, 1 missing or bad signature or a pack that cannot be\n"
                              "loaded, 2 usage errors and key files that cannot be read");
  cli::add_argument(*a.verify, "FILE.tar|DIR", a.target, "the pack to verify")->required();
  a.verify->add_option("--trusted-key", a.trusted, "a trusted public key (repeatable)")
      ->option_text("NAME.pub")
      ->required()
      ->group("options");
  return pack;
}

}  // namespace

int run_pack(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  PackArgs a;
  auto root = cli::make_root();
  CLI::App* pack = declare_pack(*root, a);
  auto missing = [&] {
    if (a.build->parsed()) return std::string("pack build needs DIR and -o FILE.tar");
    if (a.keygen->parsed()) return std::string("pack keygen needs --out NAME");
    if (a.sign->parsed()) return std::string("pack sign needs FILE.tar (or DIR) and --key NAME.key");
    if (a.verify->parsed()) return std::string("pack verify needs FILE.tar (or DIR) and --trusted-key NAME.pub");
    const std::vector<std::string> rest = pack->remaining();
    return rest.empty() ? std::string("expected build, keygen, sign or verify")
                        : "unknown pack command '" + rest.front() + "' (expected build, keygen, sign or verify)";
  };
  if (auto status = cli::parse(*pack, args, out, err, missing)) return *status;
  const std::string cmd = pack->get_subcommands().front()->get_name();
  try {
    if (a.build->parsed()) return build(a.dir, a.output, out);
    if (a.keygen->parsed()) return keygen(a.output, out);
    if (a.sign->parsed()) return sign(a.target, a.key, out);
    return verify(a.target, a.trusted, out, err);
  } catch (const ConfigError& e) {
    print_problems(e, err, cmd);
    return cli::kExitUsage;
  } catch (const Error& e) {
    err << "signpost pack " << cmd << ": " << e.what() << "\n";
    return cli::kExitUsage;
  }
}

const char* pack_usage() noexcept {
  static const std::string text = cli::help_of(declare_pack);
  return text.c_str();
}

}  // namespace signpost::tools
