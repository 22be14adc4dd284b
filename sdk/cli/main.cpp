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

constexpr const char* kMainUsage =
    "usage: signpost <command> [options]\n"
    "\n"
    "commands:\n"
    "  check   judge one text and print its decision as JSON\n"
    "  scan    judge JSON Lines or plain lines, one decision per line\n"
    "  lint    validate a pack and run its embedded examples\n"
    "  eval    measure precision and recall on a labelled file\n"
    "  explain show why the pack decides what it decides about one text\n"
    "  report  write a transparency report from metrics snapshots\n"
    "  pack    build a pack archive, make keys, sign and verify packs\n"
    "  diff    compare two packs over a labelled corpus\n"
    "\n"
    "  help [COMMAND]  print this, or the usage of COMMAND\n"
    "\n"
    "  -V, --version   print the version;  --default-pack  print where the default pack is found\n"
    "\n"
    "Run 'signpost <command> --help' (or 'signpost help <command>') for the options of each.\n"
    "Without --pack the default pack is used ($SIGNPOST_PACK, else the installed people-smuggling\n"
    "pack).\n";

constexpr const char* kCheckUsage =
    "usage: signpost check [--pack DIR] [--locale L] [--mode query|post] [--subject S]\n"
    "                      [--holdout RATE --salt SALT] TEXT\n"
    "\n"
    "Judges TEXT and prints one decision as a JSON object on stdout.\n"
    "  --pack DIR       pack folder (default: the default pack)\n"
    "  --locale L       locale of the text, e.g. en, fr, ar, ckb (default: unknown)\n"
    "  --mode M         query (a search query, default) or post (a post or search result)\n"
    "  --subject S      opaque key for holdout bucketing\n"
    "  --holdout RATE   host-declared holdout rate for every category, with --salt\n"
    "exit: 0 the text gets an intervention, 1 it gets none, 2 usage or pack error\n";

constexpr const char* kScanUsage =
    "usage: signpost scan [--pack DIR] [--mode query|post] [--locale L] [--holdout RATE --salt SALT]\n"
    "                     [--metrics-out FILE] [--threads N] [--progress|--quiet] [FILE|-]\n"
    "\n"
    "Reads one item per line from FILE (or stdin): a JSON object {\"text\", \"locale\"?, \"id\"?,\n"
    "\"mode\"?, \"subject\"?} or a plain text line. Writes one decision per line, in order, with\n"
    "the id echoed. A bad line gives {\"id\", \"action\": \"error\", \"error\": \"line N: ...\"} and\n"
    "scanning goes on. A line's locale, mode and subject are checked as the server checks them.\n"
    "Progress is shown on stderr when it is a terminal: the share scanned and the time left when\n"
    "the input is a regular file, the count of lines from a pipe.\n"
    "  --progress           show progress on stderr even when it is not a terminal (a line a second)\n"
    "  --quiet              never show progress\n"
    "  --metrics-out FILE   write the run's metrics snapshot (JSON; counts only) at the end\n"
    "  --threads N          threads that evaluate (default: every core); output stays in input order\n"
    "exit: 0 every line scanned, 1 some lines were errors, 2 usage or pack error\n";

constexpr const char* kLintUsage =
    "usage: signpost lint [--pack DIR]\n"
    "\n"
    "Loads the pack, reporting every problem as FILE:LINE:COL: message, then runs the examples\n"
    "embedded next to each rule and context.\n"
    "exit: 0 clean, 1 some examples failed, 2 the pack has errors\n";

constexpr const char* kEvalUsage =
    "usage: signpost eval [--pack DIR] [--mode query|post] [--min-recall X] [--min-precision Y]\n"
    "                     [--json] [--show-errors] FILE\n"
    "\n"
    "FILE is TSV (label<TAB>locale<TAB>text, '#' comments) or JSON Lines with \"label\" and \"text\".\n"
    "Labels: R must get an intervention (any action but none); A must get none; H (help-seeking)\n"
    "must get neither interstitial nor redirect. Wrong answers on A and H count against precision.\n"
    "Prints recall and precision overall, by language and by category.\n"
    "  --json           print the figures as one JSON object instead of a table\n"
    "  --show-errors    list the items answered wrongly (they come from FILE)\n"
    "exit: 0 gates met, 1 a gate missed, 2 usage or pack error\n";

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;
  std::vector<std::string> flags;
  std::string error;
};

// One grammar for every subcommand, parsed by CLI11: "--name value", "--name=value", the flags
// listed in `bare`, positional arguments anywhere, and "--" to end the options. --help is one of
// `bare`: each command prints its own complete usage.
Args parse(const std::string& cmd, const std::vector<std::string>& argv, const std::vector<std::string>& with_value,
           const std::vector<std::string>& bare) {
  Args a;
  CLI::App app{"", "signpost " + cmd};
  app.set_help_flag();
  for (const auto& name : with_value)
    app.add_option_function<std::string>("--" + name, [&a, name](const std::string& v) { a.options[name] = v; });
  for (const auto& name : bare) app.add_flag_callback("--" + name, [&a, name] { a.flags.push_back(name); });
  app.add_option("args", a.positional);
  try {
    std::vector<std::string> reversed(argv.rbegin(), argv.rend());  // CLI11 takes them last first
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    a.error = e.what();
  }
  return a;
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

int usage_error(const std::string& cmd, const std::string& msg, const char* usage) {
  std::cerr << "signpost " << cmd << ": " << msg << "\n" << usage;
  return kExitUsage;
}

// Loads the pack named by --pack (or the default one) with the holdout options; prints every
// problem and returns nullopt on failure.
std::optional<signpost::Engine> load_engine(const Args& a, const std::string& cmd, int& status) {
  signpost::EngineOptions opts;
  if (auto it = a.options.find("holdout"); it != a.options.end()) {
    auto rate = parse_double(it->second);
    if (!rate || *rate < 0.0 || *rate > 1.0) {
      status = usage_error(cmd, "--holdout needs a rate between 0 and 1", "");
      return std::nullopt;
    }
    if (!a.options.count("salt")) {
      status = usage_error(cmd, "--holdout needs --salt", "");
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
    std::cerr << fmt::format("signpost {}: the pack has {} problem{}\n", cmd, e.problems.size(),
                             e.problems.size() == 1 ? "" : "s");
    status = kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "signpost " << cmd << ": cannot load pack: " << e.what() << "\n";
    status = kExitUsage;
  }
  return std::nullopt;
}

std::optional<signpost::Mode> mode_option(const Args& a, const std::string& cmd, int& status) {
  auto it = a.options.find("mode");
  if (it == a.options.end()) return signpost::Mode::query;
  if (auto m = signpost::parse_mode(it->second)) return m;
  status = usage_error(cmd, "--mode: " + signpost::check_mode(it->second), "");
  return std::nullopt;
}

// --locale and --subject as every front end checks them (signpost/validate.hpp); false (and the
// usage error printed) when one is refused.
bool fields_ok(const Args& a, const std::string& cmd, int& status) {
  for (auto [name, check] : {std::pair{"locale", &signpost::check_locale}, std::pair{"subject", &signpost::check_subject}}) {
    auto it = a.options.find(name);
    if (it == a.options.end()) continue;
    if (const std::string problem = check(it->second); !problem.empty()) {
      status = usage_error(cmd, fmt::format("--{}: {}", name, problem), "");
      return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------

int cmd_check(const std::vector<std::string>& argv) {
  Args a = parse("check", argv, {"pack", "locale", "mode", "subject", "holdout", "salt"}, {"help"});
  if (has_flag(a, "help")) {
    std::cout << kCheckUsage;
    return kExitOk;
  }
  if (!a.error.empty()) return usage_error("check", a.error, kCheckUsage);
  if (a.positional.size() != 1) return usage_error("check", "expected exactly one TEXT argument", kCheckUsage);
  int status = kExitOk;
  auto mode = mode_option(a, "check", status);
  if (!mode || !fields_ok(a, "check", status)) return status;
  auto engine = load_engine(a, "check", status);
  if (!engine) return status;
  signpost::Query q{a.positional[0], a.options.count("locale") ? std::string_view(a.options["locale"]) : "", *mode,
                    a.options.count("subject") ? std::string_view(a.options["subject"]) : ""};
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

int cmd_scan(const std::vector<std::string>& argv) {
  Args a = parse("scan", argv, {"pack", "mode", "locale", "holdout", "salt", "metrics-out", "threads"},
                 {"help", "quiet", "progress"});
  if (has_flag(a, "help")) {
    std::cout << kScanUsage;
    return kExitOk;
  }
  if (!a.error.empty()) return usage_error("scan", a.error, kScanUsage);
  if (a.positional.size() > 1) return usage_error("scan", "expected at most one FILE", kScanUsage);
  int status = kExitOk;
  auto mode = mode_option(a, "scan", status);
  if (!mode || !fields_ok(a, "scan", status)) return status;
  if (has_flag(a, "progress") && has_flag(a, "quiet"))
    return usage_error("scan", "--progress and --quiet exclude each other", kScanUsage);
  std::unique_ptr<std::ifstream> holder;
  std::string open_error;
  std::istream* in = open_input(a.positional, holder, open_error);
  if (!in) return usage_error("scan", open_error, "");
  auto engine = load_engine(a, "scan", status);
  if (!engine) return status;
  std::unique_ptr<signpost::MetricsRecorder> metrics;
  if (a.options.count("metrics-out")) metrics = std::make_unique<signpost::MetricsRecorder>(*engine);

  signpost_cli::ScanOptions opt;
  opt.mode = *mode;
  opt.default_locale = a.options.count("locale") ? a.options["locale"] : "";
  opt.threads = std::max(1u, std::thread::hardware_concurrency());
  if (auto it = a.options.find("threads"); it != a.options.end()) {
    auto n = parse_double(it->second);
    if (!n || *n < 1 || *n > 1024 || *n != static_cast<unsigned>(*n))
      return usage_error("scan", "--threads needs a whole number from 1 to 1024", kScanUsage);
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
    std::ofstream f(a.options["metrics-out"], std::ios::binary | std::ios::trunc);
    f << metrics->snapshot().to_json();  // ends with a newline
    if (!f) {
      std::cerr << "signpost scan: cannot write " << a.options["metrics-out"] << "\n";
      return kExitUsage;
    }
  }
  return errors ? kExitSomeFailed : kExitOk;
}

int cmd_lint(const std::vector<std::string>& argv) {
  Args a = parse("lint", argv, {"pack"}, {"help"});
  if (has_flag(a, "help")) {
    std::cout << kLintUsage;
    return kExitOk;
  }
  if (!a.error.empty()) return usage_error("lint", a.error, kLintUsage);
  if (!a.positional.empty()) return usage_error("lint", "unexpected argument " + a.positional[0], kLintUsage);
  int status = kExitOk;
  auto engine = load_engine(a, "lint", status);
  if (!engine) return status;
  const signpost::LintReport rep = engine->lint();
  for (const auto& f : rep.failures) std::cout << f.to_string() << "\n";
  std::cout << fmt::format("{} {}: {} categories, {} examples, {} failed\n", engine->pack().name,
                           engine->pack().version, engine->categories().size(), rep.examples, rep.failures.size());
  return rep.ok() ? kExitOk : kExitSomeFailed;
}

// ---------------------------------------------------------------------------------------------
// eval

int cmd_eval(const std::vector<std::string>& argv) {
  Args a = parse("eval", argv, {"pack", "mode", "min-recall", "min-precision"}, {"help", "json", "show-errors"});
  if (has_flag(a, "help")) {
    std::cout << kEvalUsage;
    return kExitOk;
  }
  if (!a.error.empty()) return usage_error("eval", a.error, kEvalUsage);
  if (a.positional.size() != 1) return usage_error("eval", "expected one FILE", kEvalUsage);
  int status = kExitOk;
  auto mode = mode_option(a, "eval", status);
  if (!mode) return status;
  std::optional<double> min_recall, min_precision;
  for (auto [name, target] : {std::pair{"min-recall", &min_recall}, std::pair{"min-precision", &min_precision}}) {
    if (auto it = a.options.find(name); it != a.options.end()) {
      *target = parse_double(it->second);
      if (!*target || **target < 0 || **target > 1)
        return usage_error("eval", fmt::format("--{} needs a number between 0 and 1", name), kEvalUsage);
    }
  }
  std::unique_ptr<std::ifstream> holder;
  std::string error;
  std::istream* in = open_input(a.positional, holder, error);
  if (!in) return usage_error("eval", error, "");
  std::vector<signpost::tools::LabelledItem> items;
  try {
    items = signpost::tools::read_labelled(*in);
  } catch (const signpost::Error& e) {
    std::cerr << "signpost eval: " << a.positional[0] << ": " << e.what() << "\n";
    return kExitUsage;
  }
  auto engine = load_engine(a, "eval", status);
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

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  // The command line is one CLI11 application: the subcommands (their own options are parsed by
  // parse() above, or by `signpost report`'s), `help [COMMAND]`, -V/--version and --default-pack.
  CLI::App app{"signpost", "signpost"};
  app.set_help_flag();
  bool help = false, version = false, default_pack = false;
  app.add_flag("-h,--help", help);
  app.add_flag("-V,--version", version);
  app.add_flag("--default-pack", default_pack);  // where the default pack is found
  struct Command {
    const char* name;
    const char* usage;
    int (*run)(const std::vector<std::string>&);
  };
  static int (*const report)(const std::vector<std::string>&) = [](const std::vector<std::string>& args) {
    return signpost::tools::run_report(args, std::cout, std::cerr);
  };
  static int (*const pack)(const std::vector<std::string>&) = [](const std::vector<std::string>& args) {
    return signpost::tools::run_pack(args, std::cout, std::cerr);
  };
  static int (*const diff)(const std::vector<std::string>&) = [](const std::vector<std::string>& args) {
    return signpost::tools::run_diff(args, std::cout, std::cerr);
  };
  static int (*const explain)(const std::vector<std::string>&) = [](const std::vector<std::string>& args) {
    return signpost::tools::run_explain(args, std::cout, std::cerr);
  };
  const Command commands[] = {{"check", kCheckUsage, cmd_check},
                              {"scan", kScanUsage, cmd_scan},
                              {"lint", kLintUsage, cmd_lint},
                              {"eval", kEvalUsage, cmd_eval},
                              {"explain", signpost::tools::explain_usage(), explain},
                              {"report", signpost::tools::report_usage(), report},
                              {"pack", signpost::tools::pack_usage(), pack},
                              {"diff", signpost::tools::diff_usage(), diff}};
  std::vector<CLI::App*> subs;
  for (const Command& c : commands) {
    CLI::App* sub = app.add_subcommand(c.name);
    sub->set_help_flag();
    subs.push_back(sub);
  }
  std::string help_about;
  CLI::App* help_cmd = app.add_subcommand("help");
  help_cmd->set_help_flag();
  help_cmd->add_option("command", help_about);
  app.require_subcommand(0, 1);

  if (argc < 2) {
    std::cerr << kMainUsage;
    return kExitUsage;
  }
  // Everything after a command's name is that command's own (parse() above), "--" included.
  int head = argc;
  std::vector<std::string> rest;
  for (const Command& c : commands)
    if (std::string_view(argv[1]) == c.name) {
      head = 2;
      rest.assign(argv + 2, argv + argc);
    }
  try {
    app.parse(head, argv);
  } catch (const CLI::ParseError& e) {
    std::cerr << "signpost: " << e.what() << "\n" << kMainUsage;
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
  if (help || help_cmd->parsed()) {
    if (help_about.empty()) {
      std::cout << kMainUsage;
      return kExitOk;
    }
    for (const Command& c : commands)
      if (help_about == c.name) {
        std::cout << c.usage;
        return kExitOk;
      }
    std::cerr << "signpost help: unknown command '" << help_about << "'\n" << kMainUsage;
    return kExitUsage;
  }
  for (std::size_t i = 0; i < subs.size(); ++i) {
    if (!subs[i]->parsed()) continue;
    try {
      const int status = commands[i].run(rest);
      // Output that could not be written (a full disk, a closed pipe) is an error, never a silent 0.
      std::cout.flush();
      if (!std::cout) {
        std::cerr << "signpost " << commands[i].name << ": cannot write the output\n";
        return kExitUsage;
      }
      return status;
    } catch (const std::exception& e) {
      std::cerr << "signpost " << commands[i].name << ": " << e.what() << "\n";
      return kExitUsage;
    }
  }
  std::cerr << kMainUsage;
  return kExitUsage;
}
