// signpost: the command-line tool. check, scan, lint, eval, explain, report, pack and diff, as in
// docs/cli.md.
//
// Output streams carry only results; progress and diagnostics go to stderr. Exit codes:
// 0 success, 1 some input lines were errors (scan), examples failed (lint) or a quality gate was
// missed (eval), 2 usage or pack errors.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli_app.hpp"

#include <signpost/tools/diff.hpp>
#include <signpost/tools/eval.hpp>
#include <signpost/tools/explain.hpp>
#include <signpost/tools/pack.hpp>
#include <signpost/tools/report.hpp>
#include <signpost/signpost.hpp>

#include "progress.hpp"
#include "scan.hpp"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitSomeFailed = 1;
constexpr int kExitUsage = 2;

// ---------------------------------------------------------------------------------------------
// The command line, declared once. Each command's options, argument, description and footer (exit
// codes) are CLI11 declarations; `--help`, `signpost help COMMAND`, the man page and the shell
// completions (scripts/cli_docs.py reads --help) are all printed from them by the formatter of
// cli_app.hpp (tools library), so an option cannot be accepted without being documented. explain,
// report, pack and diff are declared and parsed the same way by the tools library
// (signpost::tools::run_explain...), whose entry points the Python console script runs too.

using signpost::cli::kHoldout;
using signpost::cli::kLocale;
using signpost::cli::kMode;
using signpost::cli::kPack;
using signpost::cli::kSalt;
using signpost::cli::Opt;

// What the command line gave: options by name (without "--"), flags, the argument.
struct Args {
  std::string cmd;
  const CLI::App* app = nullptr;  // the command, for its usage
  std::map<std::string, std::string> options;
  std::vector<std::string> flags;
  std::vector<std::string> positional;  // the argument, when given
};

struct Command {
  const char* name;
  const char* summary;      // its line in `signpost --help`
  const char* description;  // its --help, after the usage line
  std::vector<Opt> options;
  const char* argument;  // "TEXT" (required), "[FILE]" (optional), or nullptr
  const char* argument_help;
  const char* footer;
  int (*run)(const Args&);
};

void declare(CLI::App& sub, const Command& c, Args& a) {
  for (const Opt& o : c.options) {
    const std::string name = o.name;
    if (*o.meta == '\0') {
      sub.add_flag_callback("--" + name, [&a, name] { a.flags.push_back(name); }, o.help)->group("options");
    } else {
      sub.add_option_function<std::string>("--" + name, [&a, name](const std::string& v) { a.options[name] = v; },
                                           o.help)
          ->type_name(o.meta)
          ->group("options");
    }
  }
  if (c.argument != nullptr) {
    const std::string_view arg = c.argument;
    const bool optional = arg.front() == '[';
    sub.add_option_function<std::string>(std::string(optional ? arg.substr(1, arg.size() - 2) : arg),
                                         [&a](const std::string& v) { a.positional.push_back(v); }, c.argument_help)
        ->required(!optional)
        ->type_name("")
        ->group("options");  // listed under "arguments" all the same
  }
}

// The value of --name, or "" when it was not given.
const std::string& option(const Args& a, const std::string& name) {
  static const std::string none;
  const auto it = a.options.find(name);
  return it == a.options.end() ? none : it->second;
}

bool has_flag(const Args& a, const std::string& f) {
  return std::find(a.flags.begin(), a.flags.end(), f) != a.flags.end();
}

std::optional<double> parse_double(const std::string& s) {
  try {
    std::size_t used = 0;
    double v = std::stod(s, &used);
    if (used != s.size()) return std::nullopt;
    return v;
  } catch (...) {
    return std::nullopt;
  }
}

// Prints "signpost CMD: msg", then the command's usage when `with_usage`; returns the exit code.
int usage_error(const Args& a, const std::string& msg, bool with_usage = false) {
  std::cerr << "signpost " << a.cmd << ": " << msg << "\n" << (with_usage ? a.app->help() : std::string());
  return kExitUsage;
}

// Loads the pack named by --pack (or the default one) with the holdout options; prints every
// problem and returns nullopt on failure.
std::optional<signpost::Engine> load_engine(const Args& a, int& status) {
  signpost::EngineOptions opts;
  if (auto it = a.options.find("holdout"); it != a.options.end()) {
    auto rate = parse_double(it->second);
    if (!rate || *rate < 0.0 || *rate > 1.0) {
      status = usage_error(a, "--holdout needs a rate between 0 and 1");
      return std::nullopt;
    }
    if (!a.options.count("salt")) {
      status = usage_error(a, "--holdout needs --salt");
      return std::nullopt;
    }
    opts.holdout_rate = *rate;
  }
  if (auto it = a.options.find("salt"); it != a.options.end()) opts.holdout_salt = it->second;
  try {
    if (auto it = a.options.find("pack"); it != a.options.end()) return signpost::Engine::load(it->second, opts);
    return signpost::Engine::load_default(opts);
  } catch (const signpost::ConfigError& e) {
    for (const auto& p : e.problems) std::cerr << p.to_string() << "\n";
    if (e.problems.empty()) std::cerr << e.what() << "\n";
    std::cerr << fmt::format("signpost {}: the pack has {} problem{}\n", a.cmd, e.problems.size(),
                             e.problems.size() == 1 ? "" : "s");
    status = kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "signpost " << a.cmd << ": cannot load pack: " << e.what() << "\n";
    status = kExitUsage;
  }
  return std::nullopt;
}

std::optional<signpost::Mode> mode_option(const Args& a, int& status) {
  auto it = a.options.find("mode");
  if (it == a.options.end()) return signpost::Mode::query;
  if (auto m = signpost::parse_mode(it->second)) return m;
  status = usage_error(a, "--mode: " + signpost::check_mode(it->second));
  return std::nullopt;
}

// --locale and --subject as every front end checks them (signpost/validate.hpp); false (and the
// usage error printed) when one is refused.
bool fields_ok(const Args& a, int& status) {
  for (auto [name, check] : {std::pair{"locale", &signpost::check_locale}, std::pair{"subject", &signpost::check_subject}}) {
    auto it = a.options.find(name);
    if (it == a.options.end()) continue;
    if (const std::string problem = check(it->second); !problem.empty()) {
      status = usage_error(a, fmt::format("--{}: {}", name, problem));
      return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------

int cmd_check(const Args& a) {
  int status = kExitOk;
  auto mode = mode_option(a, status);
  if (!mode || !fields_ok(a, status)) return status;
  auto engine = load_engine(a, status);
  if (!engine) return status;
  signpost::Query q{a.positional[0], option(a, "locale"), *mode,
                    option(a, "subject")};
  const signpost::Decision d = engine->evaluate(q);
  std::cout << signpost::to_json(d, engine->pack()) << "\n";
  // Like grep: 0 when the text gets an intervention, 1 when it gets none.
  return d.action == signpost::Action::none ? kExitSomeFailed : kExitOk;
}

// Opens FILE or stdin ("-" or nothing).
std::istream* open_input(const std::vector<std::string>& pos, std::unique_ptr<std::ifstream>& holder, std::string& error) {
  if (pos.empty() || pos[0] == "-") return &std::cin;
  holder = std::make_unique<std::ifstream>(pos[0], std::ios::binary);
  if (!*holder) {
    error = fmt::format("cannot open {}", pos[0]);
    return nullptr;
  }
  return holder.get();
}

int cmd_scan(const Args& a) {
  int status = kExitOk;
  auto mode = mode_option(a, status);
  if (!mode || !fields_ok(a, status)) return status;
  if (has_flag(a, "progress") && has_flag(a, "quiet"))
    return usage_error(a, "--progress and --quiet exclude each other", true);
  std::unique_ptr<std::ifstream> holder;
  std::string open_error;
  std::istream* in = open_input(a.positional, holder, open_error);
  if (!in) return usage_error(a, open_error);
  auto engine = load_engine(a, status);
  if (!engine) return status;
  std::unique_ptr<signpost::MetricsRecorder> metrics;
  if (a.options.count("metrics-out")) metrics = std::make_unique<signpost::MetricsRecorder>(*engine);

  signpost_cli::ScanOptions opt;
  opt.mode = *mode;
  opt.default_locale = option(a, "locale");
  opt.threads = std::max(1u, std::thread::hardware_concurrency());
  if (auto it = a.options.find("threads"); it != a.options.end()) {
    auto n = parse_double(it->second);
    if (!n || *n < 1 || *n > 1024 || *n != static_cast<unsigned>(*n))
      return usage_error(a, "--threads needs a whole number from 1 to 1024", true);
    opt.threads = static_cast<unsigned>(*n);
  }
  // The input's size is known for a regular file, named or redirected to stdin (not for a pipe).
  std::optional<std::uintmax_t> total;
  if (holder) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(a.positional[0], ec))
      total = std::filesystem::file_size(a.positional[0], ec);
    if (ec) total.reset();
  } else {
    total = signpost_cli::regular_file_size(STDIN_FILENO);
  }
  const bool terminal = isatty(STDERR_FILENO) != 0;
  signpost_cli::Progress progress(stderr, has_flag(a, "progress") || (terminal && !has_flag(a, "quiet")), terminal,
                                  total);
  const signpost_cli::ScanTotals totals = signpost_cli::scan_stream(
      *in, std::cout, *engine, opt, metrics.get(),
      [&](const signpost_cli::ScanTotals& t) { progress.tick(t.lines, t.bytes); });
  const std::size_t errors = totals.errors;
  std::cout.flush();
  progress.done(totals.lines, totals.bytes, errors);
  if (metrics) {
    std::ofstream f(option(a, "metrics-out"), std::ios::binary | std::ios::trunc);
    f << metrics->snapshot().to_json();  // ends with a newline
    if (!f) {
      std::cerr << "signpost scan: cannot write " << option(a, "metrics-out") << "\n";
      return kExitUsage;
    }
  }
  return errors ? kExitSomeFailed : kExitOk;
}

int cmd_lint(const Args& a) {
  int status = kExitOk;
  auto engine = load_engine(a, status);
  if (!engine) return status;
  const signpost::LintReport rep = engine->lint();
  for (const auto& f : rep.failures) std::cout << f.to_string() << "\n";
  std::cout << fmt::format("{} {}: {} categories, {} examples, {} failed\n", engine->pack().name,
                           engine->pack().version, engine->categories().size(), rep.examples, rep.failures.size());
  return rep.ok() ? kExitOk : kExitSomeFailed;
}

// ---------------------------------------------------------------------------------------------
// eval

int cmd_eval(const Args& a) {
  int status = kExitOk;
  auto mode = mode_option(a, status);
  if (!mode) return status;
  std::optional<double> min_recall, min_precision;
  for (auto [name, target] : {std::pair{"min-recall", &min_recall}, std::pair{"min-precision", &min_precision}}) {
    if (auto it = a.options.find(name); it != a.options.end()) {
      *target = parse_double(it->second);
      if (!*target || **target < 0 || **target > 1)
        return usage_error(a, fmt::format("--{} needs a number between 0 and 1", name), true);
    }
  }
  std::unique_ptr<std::ifstream> holder;
  std::string error;
  std::istream* in = open_input(a.positional, holder, error);
  if (!in) return usage_error(a, error);
  std::vector<signpost::tools::LabelledItem> items;
  try {
    items = signpost::tools::read_labelled(*in);
  } catch (const signpost::Error& e) {
    std::cerr << "signpost eval: " << a.positional[0] << ": " << e.what() << "\n";
    return kExitUsage;
  }
  auto engine = load_engine(a, status);
  if (!engine) return status;

  const signpost::tools::EvalReport report = signpost::tools::evaluate_labelled(*engine, items, *mode);
  const auto& all = report.overall;
  const bool pass = report.passes(min_recall ? &*min_recall : nullptr, min_precision ? &*min_precision : nullptr);
  if (has_flag(a, "json")) {
    std::cout << signpost::tools::eval_json(report, pass) << "\n";
  } else {
    std::cout << fmt::format("{} items ({}), pack {} {}\n", items.size(), a.positional[0], engine->pack().name,
                             engine->pack().version);
    std::cout << fmt::format("{:<34} {:>6} {:>9} {:>9} {:>6} {:>6}\n", "", "items", "recall", "precision", "missed",
                             "wrong");
    auto row = [](const std::string& name, const signpost::tools::Tally& t) {
      return fmt::format("{:<34} {:>6} {:>9.3f} {:>9.3f} {:>6} {:>6}\n", name, t.items(), t.recall(),
                         t.precision(), t.risky - t.risky_caught, t.benign_flagged + t.help_warned);
    };
    std::cout << row("overall", all);
    for (const auto& [k, t] : report.by_language) std::cout << row("  language " + k, t);
    for (const auto& [k, t] : report.by_category) std::cout << row("  category " + k, t);
    if (has_flag(a, "show-errors"))
      for (const auto& w : report.wrong)
        std::cout << fmt::format("line {}: {} {} got {}{}: {}\n", w.line, w.label, w.locale,
                                 signpost::to_string(w.action), w.category.empty() ? "" : " (" + w.category + ")",
                                 w.text);
    if (min_recall || min_precision)
      std::cout << (pass ? "PASS" : "FAIL")
                << fmt::format(": recall {:.3f} (min {}), precision {:.3f} (min {})\n", all.recall(),
                               min_recall ? fmt::format("{}", *min_recall) : "-", all.precision(),
                               min_precision ? fmt::format("{}", *min_precision) : "-");
  }
  return pass ? kExitOk : kExitSomeFailed;
}

const Command kCommands[] = {
    {"check", "judge one text and print its decision as JSON",
     "judge one text and print its decision as JSON\n\nJudges TEXT and prints one decision as a JSON object on stdout.",
     {kPack, kLocale, kMode, {"subject", "S", "opaque key for holdout bucketing"}, kHoldout, kSalt},
     "TEXT", "the text to judge",
     "exit: 0 the text gets an intervention, 1 it gets none, 2 usage or pack error\n\n"
     "example:\n  signpost check --locale en \"boat to uk tonight price\"",
     cmd_check},
    {"scan", "judge JSON Lines or plain lines, one decision per line",
     "judge JSON Lines or plain lines, one decision per line\n\n"
     "Reads one item per line from FILE (or stdin): a JSON object {\"text\", \"locale\"?, \"id\"?,\n"
     "\"mode\"?, \"subject\"?} or a plain text line. Writes one decision per line, in order, with\n"
     "the id echoed. A bad line gives {\"id\", \"action\": \"error\", \"error\": \"line N: ...\"} and\n"
     "scanning goes on. A line's locale, mode and subject are checked as the server checks them.\n"
     "Progress is shown on stderr when it is a terminal: the share scanned and the time left when\n"
     "the input is a regular file, the count of lines from a pipe.",
     {kPack, kMode, kLocale, kHoldout, kSalt,
      {"metrics-out", "FILE", "write the run's metrics snapshot (JSON; counts only) at the end"},
      {"threads", "N", "threads that evaluate (default: every core); output stays in input order"},
      {"progress", "", "show progress on stderr even when it is not a terminal (a line a second)"},
      {"quiet", "", "never show progress"}},
     "[FILE]", "JSON Lines or plain lines; '-' or nothing: stdin",
     "exit: 0 every line scanned, 1 some lines were errors, 2 usage or pack error\n\n"
     "example:\n  signpost scan --locale fr --metrics-out run.json queries.jsonl > decisions.jsonl",
     cmd_scan},
    {"lint", "validate a pack and run its embedded examples",
     "validate a pack and run its embedded examples\n\n"
     "Loads the pack, reporting every problem as FILE:LINE:COL: message, then runs the examples\n"
     "embedded next to each rule and context.",
     {kPack}, nullptr, nullptr,
     "exit: 0 clean, 1 some examples failed, 2 the pack has errors\n\nexample:\n  signpost lint --pack my-pack/",
     cmd_lint},
    {"eval", "measure precision and recall on a labelled file",
     "measure precision and recall on a labelled file\n\n"
     "FILE is TSV (label<TAB>locale<TAB>text, '#' comments) or JSON Lines with \"label\" and \"text\".\n"
     "Labels: R must get an intervention (any action but none); A must get none; H (help-seeking)\n"
     "must get neither interstitial nor redirect. Wrong answers on A and H count against precision.\n"
     "Prints recall and precision overall, by language and by category.",
     {kPack, kMode, {"min-recall", "X", "fail (exit 1) below this recall"},
      {"min-precision", "Y", "fail (exit 1) below this precision"},
      {"json", "", "print the figures as one JSON object instead of a table"},
      {"show-errors", "", "list the items answered wrongly (they come from FILE)"}},
     "FILE", "the labelled items",
     "exit: 0 gates met, 1 a gate missed, 2 usage or pack error\n\n"
     "example:\n  signpost eval --min-recall 0.9 --min-precision 0.95 tests/data/eval/queries.tsv",
     cmd_eval},
};

// Commands of the tools library, which parses their arguments and prints their usage.
struct ToolCommand {
  const char* name;
  const char* summary;
  const char* (*usage)() noexcept;
  int (*run)(const std::vector<std::string>&, std::ostream&, std::ostream&);
};

const ToolCommand kToolCommands[] = {
    {"explain", "show why the pack decides what it decides about one text", signpost::tools::explain_usage,
     signpost::tools::run_explain},
    {"report", "write a transparency report from metrics snapshots", signpost::tools::report_usage,
     signpost::tools::run_report},
    {"pack", "build a pack archive, make keys, sign and verify packs", signpost::tools::pack_usage,
     signpost::tools::run_pack},
    {"diff", "compare two packs over a labelled corpus", signpost::tools::diff_usage, signpost::tools::run_diff},
};

// Runs a command; output that could not be written (a full disk, a closed pipe) is an error, never
// a silent 0.
template <class Fn>
int guarded(const char* name, Fn run) {
  try {
    const int status = run();
    std::cout.flush();
    if (!std::cout) {
      std::cerr << "signpost " << name << ": cannot write the output\n";
      return kExitUsage;
    }
    return status;
  } catch (const std::exception& e) {
    std::cerr << "signpost " << name << ": " << e.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  const std::unique_ptr<CLI::App> root = signpost::cli::make_root();
  CLI::App& app = *root;
  app.footer(
      "Run 'signpost <command> --help' (or 'signpost help <command>') for the options of each.\n"
      "Without --pack the default pack is used ($SIGNPOST_PACK, else the installed people-smuggling\n"
      "pack).");
  bool version = false, default_pack = false;
  app.add_flag("-V,--version", version, "print the version")->group("options");
  app.add_flag("--default-pack", default_pack, "print where the default pack is found")->group("options");
  app.require_subcommand(0, 1);

  Args a;
  std::vector<CLI::App*> subs;
  for (const Command& c : kCommands) {
    subs.push_back(signpost::cli::add_command(app, c.name, c.description, c.footer));
    declare(*subs.back(), c, a);
  }
  std::vector<CLI::App*> tool_subs;
  for (const ToolCommand& t : kToolCommands) {
    CLI::App* sub = app.add_subcommand(t.name, t.summary);
    sub->group("commands");
    sub->set_help_flag();
    sub->prefix_command();  // everything after the name is the tools library's to parse
    tool_subs.push_back(sub);
  }
  std::string help_about;
  CLI::App* help_cmd = app.add_subcommand("help", "print this, or the usage of COMMAND");
  help_cmd->group("commands");
  help_cmd->set_help_flag("-h,--help", "print this help")->group("options");
  help_cmd->add_option("COMMAND", help_about, "a command");

  if (argc < 2) {
    std::cerr << app.help();
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();  // the help of the command named, if any
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    const auto parsed = app.get_subcommands();
    const CLI::App& about = parsed.empty() ? app : *parsed.front();
    std::cerr << "signpost" << (parsed.empty() ? "" : " " + about.get_name()) << ": " << e.what() << "\n"
              << about.help();
    return kExitUsage;
  }
  if (version) {
    std::cout << "signpost " << signpost::version << "\n";
    return kExitOk;
  }
  if (default_pack) {
    std::cout << signpost::Engine::default_pack_path().string() << "\n";
    return kExitOk;
  }
  if (help_cmd->parsed()) {
    if (help_about.empty()) {
      std::cout << app.help();
      return kExitOk;
    }
    for (std::size_t i = 0; i < subs.size(); ++i)
      if (help_about == kCommands[i].name) {
        std::cout << subs[i]->help();
        return kExitOk;
      }
    for (const ToolCommand& t : kToolCommands)
      if (help_about == t.name) {
        std::cout << t.usage();
        return kExitOk;
      }
    std::cerr << "signpost help: unknown command '" << help_about << "'\n" << app.help();
    return kExitUsage;
  }
  for (std::size_t i = 0; i < subs.size(); ++i)
    if (subs[i]->parsed()) {
      a.cmd = kCommands[i].name;
      a.app = subs[i];
      return guarded(kCommands[i].name, [&] { return kCommands[i].run(a); });
    }
  for (std::size_t i = 0; i < tool_subs.size(); ++i)
    if (tool_subs[i]->parsed()) {
      const std::vector<std::string> rest = tool_subs[i]->remaining();
      return guarded(kToolCommands[i].name, [&] { return kToolCommands[i].run(rest, std::cout, std::cerr); });
    }
  std::cerr << app.help();
  return kExitUsage;
}
