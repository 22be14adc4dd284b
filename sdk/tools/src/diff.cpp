// diff.cpp (tools): `signpost diff`: both packs over a corpus, the rates before and after, the
// items whose decision changed. Rendered with the transparency report's Markdown and HTML writers.
#include "signpost/tools/diff.hpp"

#include <filesystem>
#include <optional>
#include <fstream>
#include <ostream>
#include <system_error>

#include <fmt/format.h>

#include "cli_app.hpp"

#include "report_model.hpp"
#include "signpost/error.hpp"

namespace signpost::tools {
namespace {

namespace fs = std::filesystem;
using detail::TextCell;

std::string rate(std::size_t n, std::size_t of) { return of ? detail::percent(double(n) / double(of)) : "-"; }

std::string signed_change(std::size_t before, std::size_t after) {
  if (after == before) return "0";
  return after > before ? "+" + std::to_string(after - before) : "-" + std::to_string(before - after);
}

std::string pack_label(const PackInfo& p) { return p.name + " " + p.version + " (" + p.hash.substr(0, 19) + ")"; }

std::string decision_label(Action a, const std::string& category) {
  return category.empty() ? std::string(to_string(a)) : std::string(to_string(a)) + " " + category;
}

detail::Table acted_table(const std::string& caption, const std::string& key_head,
                          const std::map<std::string, ActedCount>& rows, const ActedCount* total) {
  detail::Table t;
  t.caption = caption;
  t.head = {key_head, "items", "acted on (old)", "rate (old)", "acted on (new)", "rate (new)", "change"};
  t.numeric_col = {false, true, true, true, true, true, true};
  auto row = [&](const std::string& key, const ActedCount& c, bool code) {
    t.rows.push_back({TextCell{key, code}, TextCell{std::to_string(c.items), false, true},
                      TextCell{std::to_string(c.old_acted), false, true}, TextCell{rate(c.old_acted, c.items), false, true},
                      TextCell{std::to_string(c.new_acted), false, true}, TextCell{rate(c.new_acted, c.items), false, true},
                      TextCell{signed_change(c.old_acted, c.new_acted), false, true}});
  };
  for (const auto& [key, c] : rows) row(key, c, true);
  if (total) {
    row("all", *total, false);
    t.total_row = true;
  }
  return t;
}

detail::Report build_report(const PackDiff& d) {
  detail::Report r;
  r.title = "signpost pack diff";
  r.facts = {{"old pack", pack_label(d.old_pack)},
             {"new pack", pack_label(d.new_pack)},
             {"mode", std::string(to_string(d.mode))},
             {"items", std::to_string(d.items)},
             {"decisions changed", std::to_string(d.changed.size())}};
  detail::Section rates;
  rates.heading = "Action rates";
  rates.before.push_back("An item is acted on when its decision is any action but none. By category: the items "
                         "acted on with that category, out of all items.");
  rates.tables.push_back(acted_table("By category", "category", d.by_category, nullptr));
  rates.tables.push_back(acted_table("By language", "language", d.by_language, &d.overall));
  r.sections.push_back(std::move(rates));

  detail::Section quality;
  quality.heading = "Against the labels";
  quality.before.push_back("Recall and precision as signpost eval counts them, with each pack.");
  detail::Table q;
  q.caption = "Quality";
  q.head = {"", "old", "new"};
  q.numeric_col = {false, true, true};
  q.rows.push_back({TextCell{"recall"}, TextCell{detail::percent(d.old_tally.recall()), false, true},
                    TextCell{detail::percent(d.new_tally.recall()), false, true}});
  q.rows.push_back({TextCell{"precision"}, TextCell{detail::percent(d.old_tally.precision()), false, true},
                    TextCell{detail::percent(d.new_tally.precision()), false, true}});
  quality.tables.push_back(std::move(q));
  r.sections.push_back(std::move(quality));

  detail::Section changed;
  changed.heading = "Decisions that changed";
  if (d.changed.empty()) {
    changed.before.push_back("No item's decision changed.");
  } else {
    std::size_t better = 0, worse = 0;
    for (const auto& c : d.changed) {
      if (c.better() > 0) ++better;
      if (c.better() < 0) ++worse;
    }
    changed.before.push_back(fmt::format("Decisions changed: {}. Now answered right: {}; now answered wrong: {}; "
                                         "neither: {}. The texts are the corpus's own.",
                                         d.changed.size(), better, worse, d.changed.size() - better - worse));
    detail::Table t;
    t.caption = "Items";
    t.head = {"line", "label", "locale", "old", "new", "", "text"};
    t.numeric_col = {true, false, false, false, false, false, false};
    for (const auto& c : d.changed)
      t.rows.push_back({TextCell{std::to_string(c.line), false, true}, TextCell{std::string(1, c.label), true},
                        TextCell{c.locale, true}, TextCell{decision_label(c.old_action, c.old_category), true},
                        TextCell{decision_label(c.new_action, c.new_category), true},
                        TextCell{c.better() > 0 ? "better" : c.better() < 0 ? "worse" : ""}, TextCell{c.text}});
    changed.tables.push_back(std::move(t));
  }
  r.sections.push_back(std::move(changed));
  return r;
}

void write_file(const fs::path& path, const std::string& data) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(data.data(), static_cast<std::streamsize>(data.size()));
    f.flush();
    if (!f) throw Error(tmp.string() + ": cannot write");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw Error(path.string() + ": cannot write");
  }
}

struct DiffArgs {
  std::string old_pack, new_pack, mode = "query", out_dir, corpus;
};

CLI::App* declare_diff(CLI::App& root, DiffArgs& a) {
  CLI::App* cmd = cli::add_command(
      root, "diff",
      "compare two packs over a labelled corpus\n\n"
      "Judges every item of CORPUS (TSV label<TAB>locale<TAB>text or JSON Lines, as for eval) with both\n"
      "packs. Prints, as Markdown, the action rate by category and by language before and after, recall\n"
      "and precision with each, and the items whose decision (action or category) changed.",
      "exit: 0 no decision changed, 1 some decision changed, 2 usage, pack or file errors\n\n"
      "example:\n  signpost diff --old packs/v1 --new packs/v2 tests/data/eval/queries.tsv");
  cmd->add_option("--old", a.old_pack, "the pack before (folder or archive)")
      ->option_text("DIR|FILE.tar")
      ->required()
      ->group("options");
  cmd->add_option("--new", a.new_pack, "the pack after (folder or archive)")
      ->option_text("DIR|FILE.tar")
      ->required()
      ->group("options");
  cli::add_option(*cmd, cli::kMode, a.mode);
  cmd->add_option("--out", a.out_dir, "also write DIR/diff.md and DIR/diff.html")->option_text("DIR")->group("options");
  cli::add_argument(*cmd, "CORPUS", a.corpus, "the labelled items")->required();
  return cmd;
}

}  // namespace

int ChangedItem::better() const noexcept {
  const bool was = is_correct(label, old_action), is = is_correct(label, new_action);
  return is == was ? 0 : is ? 1 : -1;
}

PackDiff diff_packs(const Engine& old_engine, const Engine& new_engine, std::span<const LabelledItem> items, Mode mode) {
  PackDiff d;
  d.old_pack = old_engine.pack();
  d.new_pack = new_engine.pack();
  d.mode = mode;
  d.items = items.size();
  for (const LabelledItem& it : items) {
    const Query q{it.text, it.locale, mode, {}};
    const Decision a = old_engine.evaluate(q), b = new_engine.evaluate(q);
    const bool acted_a = a.action != Action::none, acted_b = b.action != Action::none;
    const std::string cat_a = acted_a ? a.category : std::string(), cat_b = acted_b ? b.category : std::string();
    d.overall.items++;
    d.overall.old_acted += acted_a;
    d.overall.new_acted += acted_b;
    ActedCount& lang = d.by_language[language_key(it.locale)];
    lang.items++;
    lang.old_acted += acted_a;
    lang.new_acted += acted_b;
    if (acted_a) d.by_category[cat_a].old_acted++;
    if (acted_b) d.by_category[cat_b].new_acted++;
    d.old_tally.add(it.label, a.action);
    d.new_tally.add(it.label, b.action);
    if (a.action != b.action || cat_a != cat_b)
      d.changed.push_back({it.line, it.label, it.locale, it.text, a.action, b.action, cat_a, cat_b});
  }
  for (auto& [id, c] : d.by_category) c.items = d.items;
  return d;
}

std::string diff_markdown(const PackDiff& d) { return detail::render_markdown(build_report(d)) + "\n"; }
std::string diff_html(const PackDiff& d) { return detail::render_html(build_report(d)); }

int run_diff(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  DiffArgs a;
  auto root = cli::make_root();
  CLI::App* cmd = declare_diff(*root, a);
  auto missing = [&] {
    return std::string(a.old_pack.empty() || a.new_pack.empty() ? "--old and --new are required"
                                                                 : "expected exactly one CORPUS file");
  };
  if (auto status = cli::parse(*cmd, args, out, err, missing)) return *status;
  auto usage = [&](const std::string& message) {
    err << "signpost diff: " << message << "\n" << cmd->help();
    return 2;
  };
  const std::string &old_pack = a.old_pack, &new_pack = a.new_pack, &mode_text = a.mode, &out_dir = a.out_dir;
  const std::string& corpus = a.corpus;
  if (old_pack.empty() || new_pack.empty()) return usage("--old and --new are required");
  const auto mode = parse_mode(mode_text);
  if (!mode) return usage("--mode must be query or post, not '" + mode_text + "'");
  if (cmd->count("--out") && out_dir.empty()) return usage("--out needs a folder");

  std::vector<LabelledItem> items;
  {
    std::ifstream in(corpus, std::ios::binary);
    std::error_code ec;
    if (!in || fs::is_directory(corpus, ec)) {
      err << "signpost diff: " << corpus << ": cannot read file\n";
      return 2;
    }
    try {
      items = read_labelled(in);
    } catch (const Error& e) {
      err << "signpost diff: " << corpus << ": " << e.what() << "\n";
      return 2;
    }
  }
  auto load = [&](const std::string& path, const char* which) -> std::optional<Engine> {
    try {
      return Engine::load(path);
    } catch (const ConfigError& e) {
      for (const auto& p : e.problems) err << p.to_string() << "\n";
      err << "signpost diff: the " << which << " pack has " << e.problems.size() << " problem"
          << (e.problems.size() == 1 ? "" : "s") << "\n";
    }
    return std::nullopt;
  };
  const auto old_engine = load(old_pack, "old");
  const auto new_engine = load(new_pack, "new");
  if (!old_engine || !new_engine) return 2;
  const PackDiff d = diff_packs(*old_engine, *new_engine, items, *mode);
  out << diff_markdown(d);
  if (!out_dir.empty()) {
    try {
      std::error_code ec;
      fs::create_directories(out_dir, ec);
      write_file(fs::path(out_dir) / "diff.md", diff_markdown(d));
      write_file(fs::path(out_dir) / "diff.html", diff_html(d));
    } catch (const Error& e) {
      err << "signpost diff: " << e.what() << "\n";
      return 2;
    }
  }
  return d.any_change() ? 1 : 0;
}

const char* diff_usage() noexcept {
  static const std::string text = cli::help_of(declare_diff);
  return text.c_str();
}

}  // namespace signpost::tools
