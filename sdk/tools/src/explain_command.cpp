// explain_command.cpp (tools): `signpost explain`, the command line around explain() (explain.cpp).
// The C++ tool and the Python package's console script both run this entry point.
#include "signpost/tools/explain.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "signpost/engine.hpp"
#include "signpost/error.hpp"
#include "signpost/validate.hpp"

namespace signpost::tools {
namespace {

constexpr int kOk = 0, kUsage = 2;

constexpr const char* kExplainUsage =
    "usage: signpost explain [--pack DIR] [--locale L] [--mode query|post] [--json] TEXT\n"
    "\n"
    "For pack authors: judges TEXT like check and prints why: the concepts found (terms, typos,\n"
    "built-in entities) with their byte spans, the rules that fired, the rules that nearly fired and\n"
    "what each lacked, the contexts applied, every category's score, and the decision.\n"
    "\n"
    "  --pack DIR          pack folder or archive (default: the default pack)\n"
    "  --locale L          locale of the text, e.g. en, fr, ar, ckb (default: unknown)\n"
    "  --mode query|post   query (a search query, default) or post (a post or search result)\n"
    "  --json              print the explanation as one JSON object\n"
    "  --help              show this help\n"
    "\n"
    "exit: 0 done, 2 usage or pack error\n"
    "\n"
    "example:\n"
    "  signpost explain --locale en \"small boat to uk\"\n";

}  // namespace

const char* explain_usage() noexcept { return kExplainUsage; }

int run_explain(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"", "signpost explain"};
  app.set_help_flag();
  bool help = false, json = false;
  std::string pack, locale, mode_text = "query";
  std::vector<std::string> text;
  app.add_flag("-h,--help", help);
  app.add_flag("--json", json);
  app.add_option("--pack", pack);
  app.add_option("--locale", locale);
  app.add_option("--mode", mode_text);
  app.add_option("text", text);
  auto usage = [&](const std::string& message) {
    err << "signpost explain: " << message << "\n" << kExplainUsage;
    return kUsage;
  };
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return usage(e.what());
  }
  if (help) {
    out << kExplainUsage;
    return kOk;
  }
  if (text.size() != 1) return usage("expected exactly one TEXT argument");
  for (const std::string& problem : {check_locale(locale), check_mode(mode_text)})
    if (!problem.empty()) return usage(problem);

  std::optional<Engine> engine;
  try {
    engine = app.count("--pack") ? Engine::load(pack) : Engine::load_default();
  } catch (const ConfigError& e) {
    for (const auto& p : e.problems) err << p.to_string() << "\n";
    if (e.problems.empty()) err << e.what() << "\n";
    err << "signpost explain: the pack has " << e.problems.size() << " problem" << (e.problems.size() == 1 ? "" : "s")
        << "\n";
    return kUsage;
  } catch (const std::exception& e) {
    err << "signpost explain: cannot load pack: " << e.what() << "\n";
    return kUsage;
  }
  const Query q{text[0], locale, *parse_mode(mode_text), {}};
  const Explanation x = explain(*engine, q);
  out << (json ? explanation_json(x) + "\n" : explanation_text(x));
  return kOk;
}

}  // namespace signpost::tools
