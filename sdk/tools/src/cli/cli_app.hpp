// cli_app.hpp (tools, private; the `signpost` tool includes it too): the one grammar of every
// `signpost` command. Each command declares its options with CLI11; Usage prints `--help`,
// `signpost help COMMAND`, the man page and the completions (scripts/cli_docs.py) from those
// declarations, so an option cannot be accepted without being documented. Header-only like CLI11,
// so the tool and the tools library (static or shared) share it without exporting anything.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace signpost::cli {

// An option of some command: "--name META  help" (META empty: a flag). One definition per option,
// shared by every command that takes it.
struct Opt {
  const char* name;
  const char* meta;
  const char* help;
};

inline constexpr Opt kPack{"pack", "DIR", "pack folder or archive (default: the default pack)"};
inline constexpr Opt kLocale{"locale", "L", "locale of the text, e.g. en, fr, ar, ckb (default: unknown)"};
inline constexpr Opt kMode{"mode", "query|post", "query (a search query, default) or post (a post or search result)"};
inline constexpr Opt kHoldout{"holdout", "RATE", "host-declared holdout rate for every category, with --salt"};
inline constexpr Opt kSalt{"salt", "SALT", "salt of the holdout buckets (with --holdout)"};

// CLI11's formatter, in the layout of every signpost usage text: "usage: signpost CMD [--opt META]...
// ARG" (options and arguments in the order declared; required options without brackets), the
// description, the arguments and options, the commands (of `pack`), the footer.
class Usage : public CLI::Formatter {
 public:
  Usage() {
    column_width(24);
    label("Positionals", "arguments");
  }

  std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override {
    std::string out = make_usage(app, name);
    if (const std::string d = make_description(app); !d.empty()) out += "\n" + d;
    out += make_positionals(app) + make_groups(app, mode) + make_subcommands(app, mode);
    if (const std::string f = make_footer(app); !f.empty()) out += "\n" + f;
    return out;
  }

  std::string make_usage(const CLI::App* app, std::string) const override {
    const bool top = app->get_parent() == nullptr;
    std::string path;
    for (const CLI::App* a = app; a->get_parent() != nullptr; a = a->get_parent()) path = " " + a->get_name() + path;
    std::string line = top ? "usage: signpost <command> [options]" : "usage: signpost" + path;
    const std::size_t indent = line.size();
    std::string out;
    auto add = [&](const std::string& word) {
      if (line.size() + 1 + word.size() > 100) {
        out += line + "\n";
        line = std::string(indent, ' ');
      }
      line += " " + word;
    };
    if (!top) {
      if (!app->get_subcommands([](const CLI::App*) { return true; }).empty()) add("<command> ...");
      for (const CLI::Option* o : app->get_options()) {
        if (o == app->get_help_ptr()) continue;
        if (o->get_positional()) {
          add(make_option_usage(o));
        } else {
          const std::string word = "--" + o->get_lnames().front() + make_option_opts(o);
          add(o->get_required() ? word : "[" + word + "]");
        }
      }
    }
    return out + line + "\n";
  }

  // A command's description is its summary, a blank line, then more: the list of commands shows
  // the summary, the command's own help the rest.
  std::string make_subcommand(const CLI::App* sub) const override {
    std::ostringstream out;
    const std::string d = sub->get_description();
    CLI::detail::format_help(out, sub->get_name(), d.substr(0, d.find("\n\n")), column_width_);
    return out.str();
  }
  std::string make_description(const CLI::App* app) const override {
    const std::string d = app->get_description();
    const std::size_t more = d.find("\n\n");
    return d.empty() ? d : (more == std::string::npos ? d : d.substr(more + 2)) + "\n";
  }

  // An option's metavariable: its option_text, else its type name (CLI11 also names the latter in
  // its errors, "--out: 1 required TEXT missing").
  std::string make_option_opts(const CLI::Option* o) const override {
    if (!o->get_option_text().empty()) return " " + o->get_option_text();
    return o->get_type_size() != 0 && !o->get_type_name().empty() ? " " + o->get_type_name() : std::string();
  }
};

// The root of a command line, `signpost`, printing its help with Usage.
inline std::unique_ptr<CLI::App> make_root() {
  auto app = std::make_unique<CLI::App>("", "signpost");
  app->formatter(std::make_shared<Usage>());
  app->set_help_flag("-h,--help", "print this help")->group("options");
  return app;
}

// Exit codes shared by every command: 0 done, 2 a usage error or an input that cannot be read. What 1
// means is each command's own (lint problems, a missing signature, differences) and its footer says it.
inline constexpr int kExitOk = 0, kExitUsage = 2;

// A command of `parent`: its description (summary, blank line, more) and footer (exit codes, an
// example), listed under "commands", with -h/--help.
inline CLI::App* add_command(CLI::App& parent, const std::string& name, const std::string& description,
                             const std::string& footer = {}) {
  CLI::App* sub = parent.add_subcommand(name, description);
  sub->footer(footer);
  sub->group("commands");
  sub->set_help_flag("-h,--help", "print this help")->group("options");
  return sub;
}

// Declares `o` on `cmd`, stored into `into`.
inline CLI::Option* add_option(CLI::App& cmd, const Opt& o, std::string& into) {
  return cmd.add_option("--" + std::string(o.name), into, o.help)->option_text(o.meta)->group("options");
}

// An argument (positional) of `cmd`: NAME, listed under "arguments".
template <class T>
CLI::Option* add_argument(CLI::App& cmd, const std::string& name, T& into, const std::string& help) {
  return cmd.add_option(name, into, help)->type_name("")->group("options");
}

// Parses `args` (the words after the command's name) as the command `cmd` (a command of a root made
// by make_root(), or a command of such a command). Returns nullopt when the command is to run;
// otherwise its exit code: 0 after printing the help of the command named to `out`, 2 after printing
// "signpost CMD: message" and the command's usage to `err`. `missing`, when given, words the message
// for a required argument or option that is absent (an unknown option is named first).
inline std::optional<int> parse(CLI::App& cmd, const std::vector<std::string>& args, std::ostream& out,
                                std::ostream& err, const std::function<std::string()>& missing = {}) {
  CLI::App* root = &cmd;
  const CLI::App* top = &cmd;  // the command under the root: its name prefixes messages
  std::vector<std::string> words(args.rbegin(), args.rend());  // CLI11 takes them last first
  while (root->get_parent() != nullptr) {
    words.push_back(root->get_name());
    top = root;
    root = root->get_parent();
  }
  auto usage_error = [&](const std::string& message) {
    const auto parsed = root->get_subcommands();
    err << "signpost " << top->get_name() << ": " << message << "\n" << (parsed.empty() ? cmd.help() : root->help());
    return 2;
  };
  try {
    root->parse(words);
  } catch (const CLI::CallForHelp&) {
    out << root->help();  // the help of the command named
    return 0;
  } catch (const CLI::RequiredError& e) {
    // CLI11 checks what is required before what is left over: an unknown option comes first.
    std::vector<std::string> unknown;
    for (const std::string& w : root->remaining(true))
      if (w.size() > 1 && w.front() == '-') unknown.push_back(w);
    if (!unknown.empty()) return usage_error(CLI::ExtrasError(unknown).what());
    return usage_error(missing ? missing() : e.what());
  } catch (const CLI::ParseError& e) {
    return usage_error(e.what());
  }
  return std::nullopt;
}

// The help of the command that `declare(root, args)` declares, for the tools' *_usage() functions.
template <class Args>
std::string help_of(CLI::App* (*declare)(CLI::App&, Args&)) {
  Args args;
  auto root = make_root();
  return declare(*root, args)->help();
}

}  // namespace signpost::cli
