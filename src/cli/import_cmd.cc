// `est import areas|reports|addresses` (areas from GeoJSON, GeoPackage or Shapefile; reports
// and addresses from CSV, or point layers of GeoPackage and Shapefile) and `est checkin` (the weekly
// "inget att rapportera").
#include "cli/import_cmd.h"

#include <fstream>
#include <iostream>
#include <optional>

#include "app/addresses.h"
#include "app/catalog.h"
#include "app/system.h"
#include "cli/common.h"
#include "geo/crs.h"
#include "ingest/gis_file.h"
#include "ingest/report_csv.h"

namespace est::cli {
namespace {

// The options of the commands, shared by their callbacks (which outlive the registration).
struct ImportArgs {
  std::string areas_file, crs_text, code_prop, name_prop, parent, areas_layer;
  std::string reports_file, default_org, rejects_file;
  std::string report_crs, reports_layer;
  std::string addresses_file, addresses_layer, addresses_crs;
  bool create_missing = false;
};

// A file of points as CSV text: a GIS layer (a .gpkg, .shp, .zip, or GeoJSON — the export's own
// --format geojson comes back) read through GDAL as CSV in WGS 84 lon/lat, `crs` replacing the
// file's; or the CSV file itself. `gis` says which (its rows are then features: "objekt N").
struct PointFile {
  Result<std::string> text;
  bool gis = false;
};
PointFile ReadPointsOrCsv(const std::string& path, const std::string& layer,
                          std::optional<int> crs) {
  if (ingest::IsGisFile(path) || ingest::HasGeoJsonName(path)) {
    return {ingest::GisPointsAsCsv(path, ingest::GisReadOptions{layer, crs}), true};
  }
  return {ReadFile(path), false};
}

// The options of the commands, shared by their callbacks (which outlive the registration).
struct CheckinArgs {
  std::string ci_org, ci_area, ci_week;
  bool ci_reported = false;
};

}  // namespace

CLI::App* AddImportCommands(CLI::App& cli, const std::string& db, std::function<int()>& action) {
  auto args = std::make_shared<ImportArgs>();
  // import areas / reports
  auto* import = cli.add_subcommand("import", "Importera områden eller rapporter");
  import->require_subcommand(1);
  auto* import_areas = import->add_subcommand(
      "areas", "Importera områden från GeoJSON, GeoPackage eller Shapefile");
  import_areas->add_option("FILE", args->areas_file,
                           "GeoJSON FeatureCollection, .gpkg, .shp (med .prj) eller zippad .shp")
      ->required();
  import_areas->add_option("--crs", args->crs_text,
                           "Koordinatsystem, t.ex. EPSG:3006 (ersätter filens)");
  import_areas->add_option("--layer", args->areas_layer,
                           "Lagret att läsa (krävs när en GeoPackage har flera)");
  import_areas->add_option("--code-prop", args->code_prop, "Egenskap med områdeskoden");
  import_areas->add_option("--name-prop", args->name_prop, "Egenskap med områdesnamnet");
  import_areas->add_option("--parent", args->parent,
                           "Kod för föräldraområdet, eller auto: under det minsta befintliga "
                           "område som rymmer minst halva ytan");
  import_areas->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      app::AreaImportOptions opt;
      opt.code_prop = args->code_prop;
      opt.name_prop = args->name_prop;
      opt.parent_code = args->parent;
      if (!args->crs_text.empty()) {
        auto crs = geo::ParseCrsName(args->crs_text);
        if (!crs) return Report(crs.error());
        opt.crs = *crs;
      }
      Result<std::string> text;
      if (ingest::IsGisFile(args->areas_file)) {
        // GDAL reads it and gives GeoJSON in WGS 84: --crs is the file's CRS, not the output's.
        ingest::GisReadOptions gis{args->areas_layer, opt.crs};
        opt.crs.reset();
        text = ingest::GisLayerAsGeoJson(args->areas_file, gis);
      } else {
        text = ReadFile(args->areas_file);
      }
      if (!text) return Report(text.error());
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto r = (*sys)->ImportAreas(*text, opt, CliActor());
      if (!r) return Report(r.error());
      std::cout << "Importerade " << r->areas.size() << " områden";
      if (r->reports_moved) std::cout << "; " << r->reports_moved << " rapporter fick nytt område";
      std::cout << ".\n";
      auto cat = (*sys)->catalog();
      for (const Area& a : r->areas) {
        std::cout << "  " << a.code << "  " << a.name;
        if (args->parent == app::kParentAuto) {
          const Area* p = a.parent ? cat->AreaById(*a.parent) : nullptr;
          if (p) std::cout << "  (under " << p->code << " " << p->name << ")";
        }
        std::cout << "\n";
      }
      if (!r->outside.empty()) {
        std::cout << r->outside.size()
                  << " områden ligger utanför databasens områden och importerades inte:";
        for (size_t i = 0; i < r->outside.size() && i < 10; ++i) std::cout << " " << r->outside[i] << ";";
        if (r->outside.size() > 10) std::cout << " …";
        std::cout << "\n";
      }
      return 0;
    };
  });
  auto* import_reports = import->add_subcommand(
      "reports", "Importera rapporter från CSV, GeoPackage eller Shapefile (punkter)");
  import_reports->add_option("FILE", args->reports_file,
                             "CSV-fil, eller punktlager i .gpkg/.shp (docs/import-format.md)")
      ->required();
  import_reports->add_option("--layer", args->reports_layer,
                             "Lagret att läsa (krävs när en GeoPackage har flera)");
  import_reports->add_option("--org", args->default_org, "Organisation för rader utan org-kolumn");
  import_reports->add_option("--crs", args->report_crs,
                             "Koordinatsystem för kolumnerna x och y (för GIS-filer: filens)");
  import_reports->add_flag("--create-missing", args->create_missing,
                           "Skapa okända kategorier och organisationer (markeras för granskning)");
  import_reports->add_option("--skip-invalid", args->rejects_file,
                             "Importera giltiga rader; skriv avvisade rader till denna fil");
  import_reports->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      app::CsvImportOptions opt;
      opt.csv.default_org = args->default_org;
      opt.create_missing = args->create_missing;
      opt.skip_invalid = !args->rejects_file.empty();
      if (!args->report_crs.empty()) {
        auto crs = geo::ParseCrsName(args->report_crs);
        if (!crs) return Report(crs.error());
        opt.csv.crs = *crs;
      }
      auto [text, gis] = ReadPointsOrCsv(args->reports_file, args->reports_layer, opt.csv.crs);
      if (gis) {
        opt.csv.crs.reset();  // applied by GDAL
        opt.csv.row_word = "objekt";
        opt.csv.row_offset = 1;
      }
      if (!text) return Report(text.error());
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto r = (*sys)->ImportReportsCsv(*text, opt, CliActor(), TerminalProgress());
      if (!r) return Report(r.error());
      if (opt.skip_invalid) {
        std::ofstream out(args->rejects_file, std::ios::binary);
        for (size_t i = 0; i < r->header.size(); ++i) {
          out << (i ? std::string(1, r->delimiter) : "")
              << ingest::CsvEscape(r->header[i], r->delimiter);
        }
        out << r->delimiter << "error\n";
        for (const auto& row : r->rejected) {
          for (size_t i = 0; i < row.fields.size(); ++i) {
            out << (i ? std::string(1, r->delimiter) : "")
                << ingest::CsvEscape(row.fields[i], r->delimiter);
          }
          std::string why;
          for (const auto& e : row.errors)
            why += (why.empty() ? "" : "; ") + e.field + ": " + e.reason;
          out << r->delimiter << ingest::CsvEscape(why, r->delimiter) << "\n";
        }
        if (!out) {
          return Report(
              Error{ErrorCode::kUnavailable, "Kan inte skriva " + args->rejects_file, {}});
        }
      }
      std::cout << "Importerade " << r->inserted << " av " << r->rows
                << (gis ? " objekt" : " rader");
      if (r->already_present) std::cout << " (" << r->already_present << " fanns redan)";
      std::cout << ".";
      if (r->outside) std::cout << " " << r->outside << " ligger utanför alla områden.";
      if (r->scrubbed) {
        std::cout << " Personuppgifter togs bort ur " << r->scrubbed << " beskrivningar.";
      }
      if (!r->rejected.empty()) {
        std::cout << " " << r->rejected.size() << " rader avvisades (se " << args->rejects_file
                  << ").";
      }
      std::cout << "\n";
      for (const auto& c : r->created_categories) {
        std::cout << "  Ny kategori (granska): " << c << "\n";
      }
      for (const auto& o : r->created_orgs)
        std::cout << "  Ny organisation (granska): " << o << "\n";
      return 0;
    };
  });

  auto* import_addresses = import->add_subcommand(
      "addresses",
      "Läs in kommunens adresser (ersätter de tidigare) för platssökningen i rapportformuläret");
  import_addresses
      ->add_option("FILE", args->addresses_file,
                   "CSV-fil, eller punktlager i .gpkg/.shp/.geojson (docs/import-format.md)")
      ->required();
  import_addresses->add_option("--layer", args->addresses_layer,
                               "Lagret att läsa (krävs när en GeoPackage har flera)");
  import_addresses->add_option("--crs", args->addresses_crs,
                               "Koordinatsystem för kolumnerna x och y (för GIS-filer: filens)");
  import_addresses->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      ingest::AddressReadOptions opt;
      if (!args->addresses_crs.empty()) {
        auto crs = geo::ParseCrsName(args->addresses_crs);
        if (!crs) return Report(crs.error());
        opt.epsg = *crs;
      }
      auto [text, gis] = ReadPointsOrCsv(args->addresses_file, args->addresses_layer, opt.epsg);
      if (gis) {
        opt.epsg.reset();  // applied by GDAL
        opt.row_word = "objekt";
        opt.row_offset = 1;
      }
      if (!text) return Report(text.error());
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto r = app::ImportAddresses(**sys, *text, opt, CliActor());
      if (!r) return Report(r.error());
      std::cout << "Läste in " << r->imported << " adresser av " << r->rows
                << (gis ? " objekt" : " rader");
      if (r->duplicates) std::cout << " (" << r->duplicates << " dubbletter hoppades över)";
      std::cout << "; de ersätter kommunens tidigare adresser.\n";
      return 0;
    };
  });
  return import;
}

void AddCheckinCommand(CLI::App& cli, const std::string& db, std::function<int()>& action) {
  auto args = std::make_shared<CheckinArgs>();
  // checkin
  auto* checkin = cli.add_subcommand("checkin", "Veckans incheckning: inget att rapportera");
  checkin->add_option("--org", args->ci_org, "Organisationens kod")->required();
  checkin->add_option("--area", args->ci_area,
                      "Områdets kod; utan --area gäller incheckningen hela organisationen "
                      "(kommunen och alla områden i den)");
  checkin->add_option("--week", args->ci_week, "ISO-vecka, t.ex. 2026-W47")->required();
  checkin->add_flag("--reported", args->ci_reported,
                    "Organisationen har rapporterat (inte 'inget att rapportera')");
  checkin->callback([&action, &db, args] {
    action = [&db, args]() -> int {
      auto sys = OpenSystem(db);
      if (!sys) return Report(sys.error());
      auto r = (*sys)->RecordCheckIn(args->ci_org, args->ci_area, args->ci_week, !args->ci_reported,
                                     CliActor());
      if (!r) return Report(r.error());
      std::cout << "Incheckning sparad: " << args->ci_org << ", "
                << (args->ci_area.empty() ? "alla områden" : args->ci_area) << ", " << args->ci_week
                << ".\n";
      return 0;
    };
  });
}

}  // namespace est::cli
