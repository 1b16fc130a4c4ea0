// Analysis commands: `est lagesbild`, `est hotspots`, `est emerging`, `est priority` and
// `est wdd` (the WDD of given counts).
#include "cli/analysis_cmd.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "analysis/evaluation.h"
#include "app/analyses.h"
#include "app/evaluation.h"
#include "app/present.h"
#include "app/system.h"
#include "cli/common.h"

namespace est::cli {
namespace {

using nlohmann::json;

// The options of the commands, shared by their callbacks (which outlive the registration).
struct AnalysisArgs {
  app::LagesbildParams lp;
  std::string lb_format = "table";
  app::LagesbildParams hp;
  app::GridParams grid;
  std::string hs_format = "csv";
  app::LagesbildParams ep;
  app::GridParams egrid;
  app::EmergingParams eparams;
  std::string bin_text = "4w", em_format = "csv";
  app::LagesbildParams pp;
  int level = 1;
  std::string pr_format = "table";
};

// The options of the commands, shared by their callbacks (which outlive the registration).
struct WddArgs {
  std::vector<int64_t> treated, control, buffer, buffer_control;
  std::string wdd_format = "table";
  std::string wdd_method = "scaled";
};

}  // namespace

void AddAnalysisCommands(CLI::App& cli, const std::string& db, std::function<int()>& action) {
  auto args = std::make_shared<AnalysisArgs>();
  // lagesbild
  auto* lagesbild = cli.add_subcommand("lagesbild", "Lägesbilden för en period");
  lagesbild->add_option(
      "--period", args->lp.period,
      "2026-W47, 2026-11, 2026-T3, 2026-Q4 eller 2026 (standard: senaste hela veckan)");
  lagesbild->add_option("--from", args->lp.from, "Eget intervall: första dag");
  lagesbild->add_option("--to", args->lp.to, "Eget intervall: sista dag");
  lagesbild->add_option("--area", args->lp.areas, "Områdeskod (kan upprepas)");
  lagesbild->add_option("--category", args->lp.categories, "Kategori (kan upprepas)");
  lagesbild->add_option("--org", args->lp.orgs, "Organisation (kan upprepas)");
  lagesbild->add_option("--dimension", args->lp.dimension, "säkerhet eller trygghet");
  lagesbild->add_option("--police", args->lp.police,
                        "true (standard): polisens händelser räknas bredvid partnernas rapporter; "
                        "false: bara partnernas")
      ->check(CLI::IsMember({"true", "false"}));
  lagesbild->add_option("--format", args->lb_format, "table, json eller csv")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  lagesbild->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto lb = (*sys)->ComputeLagesbild(args->lp);
      if (!lb) return Report(lb.error());
      auto cat = (*sys)->catalog();
      if (args->lb_format == "json") {
        std::cout << app::LagesbildJson(*lb, *cat).dump(2) << "\n";
      } else if (args->lb_format == "csv") {
        std::cout << app::LagesbildCsv(*lb, *cat);
      } else {
        std::cout << app::LagesbildTable(*lb, *cat);
      }
      return 0;
    };
  });

  // Shared filter options of the analysis commands.
  auto add_filters = [](CLI::App* cmd, app::LagesbildParams& p) {
    cmd->add_option("--area", p.areas, "Områdeskod (kan upprepas)");
    cmd->add_option("--category", p.categories, "Kategori (kan upprepas)");
    cmd->add_option("--org", p.orgs, "Organisation (kan upprepas)");
    cmd->add_option("--dimension", p.dimension, "säkerhet eller trygghet");
  };

  // hotspots
  auto* hotspots = cli.add_subcommand("hotspots", "Hotspots (Getis-Ord Gi*) på rutnät");
  hotspots->footer(
      "Alla rutor i studieområdet listas, även rutor utan rapporter i grannskapet. gi_star (z) är "
      "storleken; p är det exakta tvåsidiga testet av grannskapets summa (binomialt givet "
      "periodens antal rapporter, konstant intensitet); p_fdr (Benjamini–Hochberg över alla "
      "rutor), bin och significant_fdr bygger på p. p_normal är normalapproximationen av z "
      "(det som hette p före 2026-12). Se docs/statistics.md.");
  hotspots->add_option("--period", args->hp.period, "Period, t.ex. 2026-W47")->required();
  add_filters(hotspots, args->hp);
  hotspots->add_option("--cell", args->grid.cell_m, "Cellstorlek i meter (50–5000)")
      ->capture_default_str();
  hotspots
      ->add_option("--band", args->grid.band_m,
                   "Avståndsband i meter mellan cellcentra (cellen själv ingår)")
      ->capture_default_str();
  hotspots
      ->add_option("--extent", args->grid.extent,
                   "areas: exakt de rutor vars kvadrat överlappar ett områdes inre (en ruta som "
                   "ett smalt område korsar ingår, en ruta som bara nuddar eller ligger utanför "
                   "alla områden ingår inte); bbox: varje ruta i områdenas omslutande rektangel")
      ->check(CLI::IsMember({"areas", "bbox"}))
      ->capture_default_str();
  hotspots->add_option("--format", args->hs_format, "csv, geojson eller json")
      ->check(CLI::IsMember({"csv", "geojson", "json"}))
      ->capture_default_str();
  hotspots->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto r = app::ComputeHotspots(**sys, args->hp, args->grid);
      if (!r) return Report(r.error());
      if (args->hs_format == "csv") std::cout << app::HotspotsCsv(*r);
      if (args->hs_format == "geojson") std::cout << app::HotspotsGeoJson(*r) << "\n";
      if (args->hs_format == "json") std::cout << app::HotspotsJson(*r).dump(2) << "\n";
      return 0;
    };
  });

  // emerging
  auto* emerging =
      cli.add_subcommand("emerging", "Framväxande hotspots (Gi* i rum och tid + Mann–Kendall)");
  emerging->add_option("--periods", args->eparams.periods, "Antal tidssteg")->capture_default_str();
  emerging->add_option("--bin", args->bin_text, "Tidsstegets längd i veckor, t.ex. 4w")
      ->capture_default_str();
  emerging->add_option("--end", args->eparams.end_week,
                       "Sista veckan, t.ex. 2026-W47 (standard: förra veckan)");
  add_filters(emerging, args->ep);
  emerging->add_option("--cell", args->egrid.cell_m, "Cellstorlek i meter (50–5000)")
      ->capture_default_str();
  emerging->add_option("--band", args->egrid.band_m, "Avståndsband i meter")->capture_default_str();
  emerging
      ->add_option("--extent", args->egrid.extent,
                   "areas: exakt de rutor vars kvadrat överlappar ett områdes inre; bbox: "
                   "varje ruta i områdenas omslutande rektangel")
      ->check(CLI::IsMember({"areas", "bbox"}))
      ->capture_default_str();
  emerging->add_option("--format", args->em_format, "csv eller geojson")
      ->check(CLI::IsMember({"csv", "geojson"}))
      ->capture_default_str();
  emerging->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      auto bin = app::ParseBinWeeks(args->bin_text);
      if (!bin) return Report(bin.error());
      args->eparams.bin_weeks = *bin;
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto r = app::ComputeEmerging(**sys, args->ep, args->egrid, args->eparams);
      if (!r) return Report(r.error());
      if (args->em_format == "csv")
        std::cout << app::EmergingCsv(*r);
      else
        std::cout << app::EmergingGeoJson(*r, args->egrid.cell_m) << "\n";
      return 0;
    };
  });

  // priority
  auto* priority =
      cli.add_subcommand("priority", "Prioritering av områden (behov och påverkbarhet)");
  priority->add_option("--period", args->pp.period, "Period, t.ex. 2026-T3")->required();
  add_filters(priority, args->pp);
  priority->add_option("--level", args->level, "Områdesnivå att rangordna (1 = områden)")
      ->capture_default_str();
  priority->add_option("--format", args->pr_format, "table eller json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  priority->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto r = app::ComputePriority(**sys, args->pp, args->level, analysis::PriorityWeights{});
      if (!r) return Report(r.error());
      if (args->pr_format == "json") {
        std::cout << app::PriorityJson(*r).dump(2) << "\n";
        return 0;
      }
      for (const auto& a : *r) {
        std::cout << a.need_rank << ". " << a.name << " (behov " << std::round(a.need * 100) / 100
                  << ", påverkbarhet " << std::round(a.influence * 100) / 100 << ", rang "
                  << a.influence_rank << ")\n";
        for (const auto& why : a.reasons) std::cout << "     – " << why << "\n";
      }
      return 0;
    };
  });
}

void AddWddCommand(CLI::App& cli, std::function<int()>& action) {
  auto args = std::make_shared<WddArgs>();
  // wdd
  auto* wdd = cli.add_subcommand("wdd", "Weighted Displacement Difference för en insats");
  wdd->add_option("--treated", args->treated, "FÖRE EFTER i insatsområdet")
      ->expected(2)
      ->required();
  wdd->add_option("--control", args->control, "FÖRE EFTER i jämförelseområdet")
      ->expected(2)
      ->required();
  wdd->add_option("--buffer", args->buffer, "FÖRE EFTER i buffertzonen")->expected(2);
  wdd->add_option("--buffer-control", args->buffer_control, "FÖRE EFTER i buffertens jämförelse")
      ->expected(2);
  wdd->add_option("--format", args->wdd_format, "table eller json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  wdd->add_option("--method", args->wdd_method,
                  "scaled: jämförelsen skalas till insatsområdets nivå före (standard, tål en "
                  "gemensam trend); plain: Wheeler & Ratcliffes oskalade form")
      ->check(CLI::IsMember({"scaled", "plain"}))
      ->capture_default_str();
  wdd->callback([&action, args] {
    action = [args]() -> int {
      if (args->buffer.empty() != args->buffer_control.empty()) {
        return Report(Error{ErrorCode::kInvalidArgument,
                            "--buffer och --buffer-control anges tillsammans",
                            {{"--buffer-control", "krävs med --buffer"}}});
      }
      analysis::WddCounts c;
      c.treated_before = args->treated[0];
      c.treated_after = args->treated[1];
      c.control_before = args->control[0];
      c.control_after = args->control[1];
      if (!args->buffer.empty()) {
        c.displacement_before = args->buffer[0];
        c.displacement_after = args->buffer[1];
        c.displacement_control_before = args->buffer_control[0];
        c.displacement_control_after = args->buffer_control[1];
      }
      auto r = args->wdd_method == "plain" ? analysis::Wdd(c) : analysis::ScaledWdd(c);
      if (!r) return Report(r.error());
      if (args->wdd_format == "json") {
        std::cout << app::WddJson(*r).dump(2) << "\n";
        return 0;
      }
      std::printf("WDD %.4f  standardfel %.4f  95 %% KI [%.4f, %.4f]  z %.4f  p %.4f  (%s)\n",
                  r->estimate, r->se, r->ci_low, r->ci_high, r->z, r->p,
                  r->scaled ? "jämförelsen skalad till insatsområdets nivå före" : "oskalad");
      return 0;
    };
  });
}

}  // namespace est::cli
