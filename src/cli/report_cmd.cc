// `est report KIND [--period P] [--year Y] [--org CODE] --out FILE [--format pdf|xlsx|csv]
// [--publish]`. The format defaults from the file name. With --publish the document is frozen
// and numbered in the database first (the file then shows "publicerad version N").
#include "cli/report_cmd.h"

#include <chrono>
#include <fstream>
#include <iostream>

#include "app/documents.h"
#include "cli/common.h"
#include "report/writers.h"

namespace est::cli {
namespace {

struct ReportOptions {
  std::string kind;
  std::string period;
  int year = 0;
  std::string org;
  std::string out;
  std::string format;
  bool publish = false;
};

int RunReport(const std::string& db, const ReportOptions& o) {
  auto format =
      o.format.empty() ? report::FormatFromFileName(o.out) : report::ParseFormat(o.format);
  if (!format) return Report(format.error());
  auto sys = OpenSystem(db);
  if (!sys) return Report(sys.error());
  app::DocumentRequest req{o.kind, o.period, o.year, o.org};
  auto t0 = std::chrono::steady_clock::now();
  report::Document doc;
  if (o.publish) {
    auto p = app::PublishDocument(**sys, req, CliActor());
    if (!p) return Report(p.error());
    doc = std::move(p->document);
  } else {
    auto d = app::BuildDocument(**sys, req, TerminalProgress());
    if (!d) return Report(d.error());
    doc = std::move(*d);
  }
  auto bytes = report::Render(doc, *format);
  if (!bytes) return Report(bytes.error());
  std::ofstream out(o.out, std::ios::binary | std::ios::trunc);
  out << *bytes;
  out.close();
  if (!out) {
    return Report(Error{ErrorCode::kUnavailable, "Kan inte skriva filen " + o.out, {}});
  }
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::cout << doc.title << " → " << o.out << " (" << report::Extension(*format) << ", "
            << bytes->size() / 1024 << " kB, " << static_cast<int>(ms) << " ms"
            << (doc.version > 0 ? ", publicerad version " + std::to_string(doc.version) : "")
            << ")\n";
  return 0;
}

}  // namespace

void AddReportCommand(CLI::App& cli, const std::string& db, std::function<int()>& action) {
  auto* cmd = cli.add_subcommand("report", "Skriv rapporter som PDF, XLSX eller CSV");
  cmd->require_subcommand(1);
  auto opts = std::make_shared<ReportOptions>();
  struct Kind {
    const char* name;
    const char* help;
    bool period, year, org;
  };
  const Kind kinds[] = {
      {"weekly", "Veckans lägesbild till mötet (--period 2026-W47)", true, false, false},
      {"analysis", "Tertial- eller kvartalsanalys (--period 2026-T3)", true, false, false},
      {"annual", "En nämnds eller ett bolags årsavsnitt (--org KOD --year 2026)", false, true,
       true},
      {"municipality", "Kommungemensam sammanställning (--year 2026)", false, true, false},
      {"statutory", "Lägesbild och åtgärdsplan enligt lag 2023:196 (--year 2026)", false, true,
       false},
  };
  for (const Kind& k : kinds) {
    auto* sub = cmd->add_subcommand(k.name, k.help);
    if (k.period) sub->add_option("--period", opts->period, "Period, t.ex. 2026-W47 eller 2026-T3");
    if (k.year)
      sub->add_option("--year", opts->year, "År, t.ex. 2026")->check(CLI::Range(2000, 2100));
    if (k.org) sub->add_option("--org", opts->org, "Organisationens kod")->required();
    sub->add_option("--out", opts->out, "Utfil (.pdf, .xlsx eller .csv)")->required();
    sub->add_option("--format", opts->format, "pdf, xlsx eller csv (standard: från filnamnet)")
        ->check(CLI::IsMember({"pdf", "xlsx", "csv"}));
    sub->add_flag("--publish", opts->publish,
                  "Publicera: frys siffrorna och ge dokumentet ett versionsnummer");
    std::string name = k.name;
    sub->callback([&action, &db, opts, name] {
      opts->kind = name;
      action = [&db, opts]() { return RunReport(db, *opts); };
    });
  }
}

}  // namespace est::cli
