// explain_command.cpp (tools): `signpost explain`, the command line around explain() (explain.cpp).
// The C++ tool and the Python package's console script both run this entry point.
#include "signpost/tools/explain.hpp"

#include <fstream>
#include <iostream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli_app.hpp"

#include "signpost/engine.hpp"
#include "signpost/error.hpp"
#include "signpost/json.hpp"
#include "signpost/tools/scan.hpp"
#include "signpost/validate.hpp"

namespace signpost::tools {
namespace {


struct ExplainArgs {
  std::string pack, locale, mode = "query", text, input;
  bool json = false;
};

// `--input FILE`: each line read and checked as `signpost scan` reads it, explained as one JSON
// object per line (a line that is not a valid item gets {"id", "line": N, "error": "..."}; the
// error never quotes it).
int explain_lines(const Engine& engine, const ExplainArgs& a, std::istream& in, std::ostream& out) {
  const Mode default_mode = *parse_mode(a.mode);
  std::string line;
  ScanItem item;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    read_scan_line(line, item);
    check_scan_item(item);
    if (!item.error.empty()) {
      std::string e = "{\"id\":" + (item.id.empty() ? std::string("null") : item.id) + ",\"line\":" +
                      std::to_string(n) + ",\"error\":";
      append_json_string(e, item.error);
      out << e << "}\n";
      continue;
    }
    // Views of the item's own strings (a value_or() would view a temporary).
    const Query q{item.text, item.locale ? std::string_view(*item.locale) : std::string_view(a.locale),
                  item.mode.value_or(default_mode), item.subject ? std::string_view(*item.subject) : std::string_view()};
    out << explanation_json(explain(engine, q)) << "\n";
  }
  return cli::kExitOk;
}

CLI::App* declare_explain(CLI::App& root, ExplainArgs& a) {
  CLI::App* cmd = cli::add_command(
      root, "explain",
      "show why the pack decides what it decides about one text\n\n"
      "For pack authors: judges TEXT like check and prints why: the concepts found (terms, typos,\n"
      "built-in entities) with their byte spans, the rules that fired, the rules that nearly fired and\n"
      "what each lacked, the contexts applied, every category's score, and the decision.",
      "exit: 0 done, 2 usage or pack error\n\nexample:\n  signpost explain --locale en \"small boat to uk\"");
  cli::add_option(*cmd, cli::kPack, a.pack);
  cli::add_option(*cmd, cli::kLocale, a.locale);
  cli::add_option(*cmd, cli::kMode, a.mode);
  cmd->add_flag("--json", a.json, "print the explanation as one JSON object")->group("options");
  cmd->add_option("--input", a.input,
                  "explain every line of FILE instead of TEXT (JSON Lines or plain lines, as scan reads\n"
                  "them; - for standard input), one JSON object per line")
      ->option_text("FILE")
      ->group("options");
  cli::add_argument(*cmd, "TEXT", a.text, "the text to explain");
  return cmd;
}

}  // namespace

const char* explain_usage() noexcept {
  static const std::string text = cli::help_of(declare_explain);
  return text.c_str();
}

int run_explain(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  ExplainArgs a;
  auto root = cli::make_root();
  CLI::App* cmd = declare_explain(*root, a);
  if (auto status = cli::parse(*cmd, args, out, err,
                               [] { return std::string("expected exactly one TEXT argument, or --input FILE"); }))
    return *status;
  auto usage = [&](const std::string& message) {
    err << "signpost explain: " << message << "\n" << cmd->help();
    return cli::kExitUsage;
  };
  for (const std::string& problem : {check_locale(a.locale), check_mode(a.mode)})
    if (!problem.empty()) return usage(problem);
  const bool batch = cmd->count("--input") > 0;
  if (batch == (cmd->count("TEXT") > 0)) return usage("expected exactly one TEXT argument, or --input FILE");
  std::ifstream file;
  if (batch && a.input != "-") {
    file.open(a.input, std::ios::binary);
    if (!file) return usage("cannot read " + a.input);
  }

  std::optional<Engine> engine;
  try {
    engine = cmd->count("--pack") ? Engine::load(a.pack) : Engine::load_default();
  } catch (const ConfigError& e) {
    for (const auto& p : e.problems) err << p.to_string() << "\n";
    if (e.problems.empty()) err << e.what() << "\n";
    err << "signpost explain: the pack has " << e.problems.size() << " problem" << (e.problems.size() == 1 ? "" : "s")
        << "\n";
    return cli::kExitUsage;
  } catch (const std::exception& e) {
    err << "signpost explain: cannot load pack: " << e.what() << "\n";
    return cli::kExitUsage;
  }
  if (batch) return explain_lines(*engine, a, a.input == "-" ? std::cin : file, out);
  const Query q{a.text, a.locale, *parse_mode(a.mode), {}};
  const Explanation x = explain(*engine, q);
  out << (a.json ? explanation_json(x) + "\n" : explanation_text(x));
  return cli::kExitOk;
}

}  // namespace signpost::tools
