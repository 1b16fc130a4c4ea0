// The demo municipality. Geography: the real Sollentuna boundary and the real Tureberg polygon;
// districts are Voronoi cells around approximate district centres. Reports follow a weekly and a
// daily rhythm with a summer peak, a few hotspots, one rising and one falling trend.
#include "app/demo.h"

#include <cmath>
#include <random>

#include "app/demo_work.h"
#include "app/public_picture.h"
#include "app/queries.h"
#include "app/system_access.h"
#include "geo/crs.h"
#include "geo/geojson.h"
#include "geo/partition.h"
#include "ingest/report_csv.h"

namespace est::app {

extern const char* const kDemoKommunGeoJson;
extern const char* const kDemoTurebergGeoJson;

namespace {

struct Seed {
  const char* code;
  const char* name;
  double lon, lat;
  int population;
};

// Approximate district centres (WGS84) and rounded populations.
const Seed kDistricts[] = {
    {"rotebro", "Rotebro", 17.908, 59.478, 8200},
    {"norrviken", "Norrviken", 17.922, 59.458, 6100},
    {"haggvik", "Häggvik", 17.933, 59.443, 5200},
    {"tureberg", "Tureberg", 17.944, 59.432, 9400},
    {"edsberg", "Edsberg", 17.962, 59.443, 7800},
    {"helenelund", "Helenelund", 17.962, 59.410, 8600},
    {"karrdal", "Kärrdal", 17.942, 59.406, 2900},
    {"viby", "Viby", 17.893, 59.455, 3900},
    {"sjoberg", "Sjöberg", 17.995, 59.447, 4600},
    {"tornskogen", "Törnskogen", 17.995, 59.466, 3400},
    {"landsnora", "Landsnora", 17.955, 59.472, 2600},
    {"silverdal", "Silverdal", 17.930, 59.418, 3100},
    {"vaxmora", "Vaxmora", 17.915, 59.432, 2700},
    {"jarvafaltet", "Järvafältet", 17.880, 59.425, 400},
};

struct OrgSeed {
  const char* code;
  const char* name;
  OrgKind kind;
  double weight;  // share of reports
};

const OrgSeed kOrgs[] = {
    {"ks", "Kommunstyrelsen – säkerhetsenheten", OrgKind::kNamnd, 0.02},
    {"bun", "Barn- och ungdomsnämnden", OrgKind::kNamnd, 0.08},
    {"uan", "Utbildnings- och arbetsmarknadsnämnden", OrgKind::kNamnd, 0.05},
    {"sn", "Socialnämnden (fältgruppen)", OrgKind::kNamnd, 0.09},
    {"kfn", "Kultur- och fritidsnämnden", OrgKind::kNamnd, 0.06},
    {"tfn", "Trafik- och fastighetsnämnden", OrgKind::kNamnd, 0.07},
    {"mbn", "Miljö- och byggnadsnämnden", OrgKind::kNamnd, 0.02},
    {"sollentunahem", "AB Sollentunahem", OrgKind::kBolag, 0.17},
    {"seom", "Sollentuna Energi & Miljö AB", OrgKind::kBolag, 0.04},
    {"polis-lpo", "Polisen, lokalpolisområde Sollentuna", OrgKind::kPolis, 0.12},
    {"attunda", "Brandkåren Attunda", OrgKind::kRaddningstjanst, 0.04},
    {"foretagarna", "Företagarna Sollentuna", OrgKind::kNaringsliv, 0.02},
    {"centrum", "Sollentuna Centrum (fastighetsägare)", OrgKind::kFastighetsagare, 0.05},
    {"bevakning", "Bevakningsbolaget (väktare)", OrgKind::kBevakning, 0.07},
    {"nattvandrarna", "Nattvandrarna Sollentuna", OrgKind::kForening, 0.03},
    {"kyrkan", "Svenska kyrkan Sollentuna", OrgKind::kCivilsamhalle, 0.01},
    {"idrott", "Rotebro idrottsförening", OrgKind::kForening, 0.01},
    {"hyresgast", "Hyresgästföreningen Sollentuna", OrgKind::kForening, 0.01},
    {"trafikforv", "Trafikförvaltningen (SL)", OrgKind::kAnnan, 0.03},
    {"brf", "Bostadsrättsföreningar i samverkan", OrgKind::kFastighetsagare, 0.01},
};

struct PlaceSeed {
  const char* name;
  const char* kind;
  double lon, lat;
};

const PlaceSeed kPlaces[] = {
    {"Sollentuna centrum", "centrum", 17.9475, 59.4290},
    {"Sollentuna station", "station", 17.9487, 59.4283},
    {"Häggviks station", "station", 17.9335, 59.4435},
    {"Rotebro station", "station", 17.9137, 59.4765},
    {"Rotebro centrum", "centrum", 17.9105, 59.4772},
    {"Norrvikens station", "station", 17.9243, 59.4583},
    {"Helenelunds station", "station", 17.9617, 59.4096},
    {"Edsbergs slottspark", "park", 17.9655, 59.4447},
    {"Sollentunavallen", "idrottsplats", 17.9463, 59.4340},
    {"Turebergs torg", "torg", 17.9440, 59.4318},
    {"Tureberg skola", "skola", 17.9405, 59.4335},
    {"Helenelunds centrum", "centrum", 17.9610, 59.4105},
};

struct Hotspot {
  const char* place;
  double sigma_m;
  double weight;
  double trend;  // relative change in weight per year over the history (+ rising, - falling)
  std::vector<std::pair<const char*, double>> categories;
};

struct CategoryWeight {
  const char* code;
  double weight;
  const char* text;
};

const CategoryWeight kCategoryMix[] = {
    {"skadegorelse", 0.16, "Skadegörelse på busskur och belysning."},
    {"klotter", 0.15, "Klotter på fasad och elskåp."},
    {"nedskrapning", 0.12, "Nedskräpning, flaskor och matförpackningar kvar efter kvällen."},
    {"anlagd_brand", 0.04, "Brand i papperskorg/container, släckt."},
    {"narkotika", 0.06, "Misstänkt narkotikaförsäljning vid gångvägen."},
    {"storande_samling", 0.10, "Grupp som stör boende sent på kvällen, höga ljud."},
    {"vald", 0.03, "Bråk med knuffar och slag, polis tillkallad."},
    {"hot_anstalld", 0.03, "Personal hotad verbalt under arbetspass."},
    {"buskorning", 0.07, "Mopeder kör på gång- och cykelbanan."},
    {"inbrott_stold", 0.06, "Inbrott i förråd, dörr uppbruten."},
    {"otrygg_plats", 0.07, "Trasig belysning gör gångtunneln mörk och otrygg."},
    {"fysisk_miljo", 0.05, "Trasigt staket och hål i asfalten."},
    {"ryktesspridning", 0.02, "Rykten i sociala medier om bråk vid helgen."},
    {"evenemang", 0.01, "Planerad fest/evenemang med förhöjd risk."},
    {"ordningsstorning", 0.03, "Ordningsstörning vid entrén."},
};

double HourWeight(int h) {
  // Evening peak around 21, low at dawn.
  static const double kW[24] = {3, 2, 1.5, 1,   0.6, 0.5, 0.7, 1.2, 1.5, 1.5, 1.6, 1.8,
                                2, 2, 2.2, 2.6, 3,   3.4, 3.8, 4.3, 4.8, 5,   4.6, 3.8};
  return kW[h];
}

}  // namespace

Result<DemoSummary> CreateDemo(System& sys, const DemoOptions& opt, const ProgressFn& progress) {
  auto cat0 = sys.catalog();
  if (!cat0->areas().empty() || sys.engine().size() > 0) {
    return MakeError(
        ErrorCode::kConflict,
        "Databasen innehåller redan områden eller rapporter; demodata skapas bara i en "
        "tom databas (välj en ny fil med --db)");
  }
  store::Actor actor{std::nullopt, "demo"};
  DemoSummary summary;
  std::mt19937_64 rng(opt.seed);
  auto say = [&](const std::string& what) {
    if (progress) progress(0, 0, what);
  };

  // Categories and organisations.
  if (auto r = sys.EnsureDefaultCategories(actor); !r) return tl::unexpected(r.error());
  for (const OrgSeed& o : kOrgs) {
    if (cat0->FindOrg(o.code)) continue;
    Organisation org;
    org.code = o.code;
    org.name = o.name;
    org.kind = o.kind;
    if (auto r = sys.CreateOrganisation(org, actor); !r) return tl::unexpected(r.error());
    ++summary.organisations;
  }
  say("organisationer och kategorier klara");

  // Geography: kommun, districts (Voronoi cells), Tureberg (police polygon) inside its district.
  AreaImportOptions kommun_opt;
  auto kommun = sys.ImportAreas(kDemoKommunGeoJson, kommun_opt, actor);
  if (!kommun) return tl::unexpected(kommun.error());
  auto kommun_geom = internal::StoreOf(sys).AreaGeometry(kommun->areas.front().id);
  if (!kommun_geom || !*kommun_geom) return MakeError(ErrorCode::kInternal, "kommungränsen saknas");
  auto tureberg = geo::ParseAreaCollection(kDemoTurebergGeoJson, {});
  if (!tureberg) return tl::unexpected(tureberg.error());
  std::vector<geo::Sweref99Point> seeds;
  for (const Seed& s : kDistricts) {
    auto p = geo::ToSweref(4326, s.lon, s.lat);
    if (!p) return tl::unexpected(p.error());
    seeds.push_back(*p);
  }
  auto cells = geo::VoronoiPartition(seeds, **kommun_geom);
  if (!cells) return tl::unexpected(cells.error());
  std::string districts = R"({"type":"FeatureCollection","features":[)";
  bool first = true;
  for (size_t i = 0; i < seeds.size(); ++i) {
    if ((*cells)[i].parts.empty()) continue;
    districts += std::string(first ? "" : ",") + R"({"type":"Feature","properties":{"code":")" +
                 kDistricts[i].code + R"(","name":")" + kDistricts[i].name + R"(","population":)" +
                 std::to_string(kDistricts[i].population) + R"(},"geometry":)" +
                 geo::ToGeoJsonGeometry((*cells)[i], false) + "}";
    first = false;
  }
  districts += "]}";
  AreaImportOptions district_opt;
  district_opt.crs = 3006;
  district_opt.parent_code = "0163";
  auto district_areas = sys.ImportAreas(districts, district_opt, actor);
  if (!district_areas) return tl::unexpected(district_areas.error());
  AreaImportOptions tureberg_opt;
  tureberg_opt.code_prop = "OMRADESKOD";
  tureberg_opt.name_prop = "NAMN";
  tureberg_opt.parent_code = "tureberg";
  auto tb = sys.ImportAreas(kDemoTurebergGeoJson, tureberg_opt, actor);
  if (!tb) return tl::unexpected(tb.error());
  summary.areas = static_cast<int>(sys.catalog()->areas().size());
  say("områden klara (" + std::to_string(summary.areas) + ")");

  // Places.
  for (const PlaceSeed& p : kPlaces) {
    PlaceInput in;
    in.name = p.name;
    in.kind = p.kind;
    in.lon = p.lon;
    in.lat = p.lat;
    if (auto r = sys.CreatePlace(in, actor); !r) return tl::unexpected(r.error());
    ++summary.places;
  }

  // Accounts.
  struct AccountSeed {
    const char* login;
    Role role;
    const char* org;
  };
  const AccountSeed kAccounts[] = {
      {"admin", Role::kAdmin, "ks"},
      {"samordnare", Role::kCoordinator, "ks"},
      {"rapportor.hem", Role::kReporter, "sollentunahem"},
      {"rapportor.polis", Role::kReporter, "polis-lpo"},
      {"rapportor.falt", Role::kReporter, "sn"},
      {"chef.bun", Role::kOrgLead, "bun"},
      {"lasare", Role::kViewer, nullptr},
  };
  auto cat = sys.catalog();
  for (const AccountSeed& a : kAccounts) {
    User u;
    u.login = a.login;
    u.display_name = a.login;
    u.role = a.role;
    if (a.org) u.org = cat->FindOrg(a.org)->id;
    if (auto r = sys.CreateUser(u, opt.password, actor); !r) return tl::unexpected(r.error());
    summary.accounts.push_back({a.login, std::string(RoleText(a.role)), a.org ? a.org : ""});
  }
  say("konton klara");

  // Reports, as a CSV through the ordinary import path.
  std::vector<Hotspot> hotspots = {
      {"Turebergs torg",
       120,
       0.14,
       0.0,
       {{"storande_samling", 3}, {"narkotika", 3}, {"nedskrapning", 2}}},
      {"Sollentuna station",
       150,
       0.10,
       0.0,
       {{"skadegorelse", 2}, {"ordningsstorning", 2}, {"vald", 1.5}}},
      {"Rotebro centrum", 140, 0.05, 1.2, {{"klotter", 4}, {"skadegorelse", 2}}},
      {"Helenelunds station", 150, 0.09, -0.35, {{"buskorning", 2}, {"otrygg_plats", 3}}},
      {"Häggviks station", 130, 0.05, 0.0, {{"inbrott_stold", 3}, {"skadegorelse", 1.5}}},
  };
  auto bounds = (*kommun_geom)->bounds();
  std::uniform_real_distribution<double> unit(0, 1);
  std::normal_distribution<double> gauss(0, 1);
  std::vector<double> org_w;
  for (const OrgSeed& o : kOrgs) org_w.push_back(o.weight);
  std::discrete_distribution<size_t> pick_org(org_w.begin(), org_w.end());
  std::vector<double> hour_w;
  for (int h = 0; h < 24; ++h) hour_w.push_back(HourWeight(h));
  std::discrete_distribution<int> pick_hour(hour_w.begin(), hour_w.end());

  LocalDay today = ToLocalDay(NowUnix());
  LocalDay start = today - 365 * opt.years;
  std::string csv =
      "id,occurred_from,occurred_to,lon,lat,category,org,severity,count,certainty,"
      "police_notified,description\n";
  int64_t n = 0;
  for (LocalDay d = start; d < today; ++d) {
    double years_in = static_cast<double>(d - start) / 365.0;
    int wd = IsoWeekday(d);
    double wday = wd == 5 ? 1.4 : wd == 6 ? 1.5 : wd == 7 ? 1.1 : 0.9;
    double doy = static_cast<double>((d - DayFromCivil(CivilFromDay(d).year, 1, 1)));
    double season = 1.0 + 0.3 * std::sin(2 * M_PI * (doy - 100) / 365.0);
    std::poisson_distribution<int> count(opt.reports_per_day * wday * season);
    int k = count(rng);
    for (int i = 0; i < k; ++i) {
      // Where and what.
      double e = 0, nn = 0;
      const char* category = nullptr;
      double r = unit(rng);
      double acc = 0;
      const Hotspot* hot = nullptr;
      for (const Hotspot& h : hotspots) {
        double w = h.weight * std::max(0.05, 1.0 + h.trend * (years_in - opt.years / 2.0));
        acc += w;
        if (r < acc) {
          hot = &h;
          break;
        }
      }
      if (hot) {
        const Place* p = cat->FindPlace(hot->place);
        e = p->e + gauss(rng) * hot->sigma_m;
        nn = p->n + gauss(rng) * hot->sigma_m;
        std::vector<double> w;
        for (const auto& c : hot->categories) w.push_back(c.second);
        std::discrete_distribution<size_t> pc(w.begin(), w.end());
        if (unit(rng) < 0.7) category = hot->categories[pc(rng)].first;
      } else {
        for (int tries = 0; tries < 50; ++tries) {
          e = bounds.min_e + unit(rng) * (bounds.max_e - bounds.min_e);
          nn = bounds.min_n + unit(rng) * (bounds.max_n - bounds.min_n);
          if (geo::Contains(**kommun_geom, {e, nn})) break;
        }
      }
      const CategoryWeight* cw = nullptr;
      if (!category) {
        double cr = unit(rng), cacc = 0;
        for (const CategoryWeight& c : kCategoryMix) {
          cacc += c.weight;
          cw = &c;
          if (cr < cacc) break;
        }
        category = cw->code;
      }
      for (const CategoryWeight& c : kCategoryMix) {
        if (std::string_view(c.code) == category) cw = &c;
      }
      // When.
      int hour = pick_hour(rng);
      int minute = static_cast<int>(unit(rng) * 60);
      UnixSeconds t = LocalDayStartUtc(d) + hour * 3600 + minute * 60;
      std::string to;
      if (unit(rng) < 0.1) to = FormatTimestamp(t + static_cast<int>(2 + unit(rng) * 8) * 3600);
      if (!to.empty() && ParseTimestamp(to).value_or(0) > NowUnix()) to.clear();
      geo::Wgs84Point w = geo::ToWgs84({e, nn});
      const Category* kc = cat->FindCategory(category);
      int severity = std::clamp(
          kc->default_severity + (unit(rng) < 0.15 ? 1 : 0) - (unit(rng) < 0.15 ? 1 : 0), 1, 3);
      int people =
          1 +
          (std::string_view(category) == "storande_samling" ? static_cast<int>(unit(rng) * 12) : 0);
      char lonlat[64];
      std::snprintf(lonlat, sizeof lonlat, "%.6f,%.6f", w.lon, w.lat);
      csv += "demo-" + std::to_string(++n) + "," + FormatTimestamp(t) + "," + to + "," + lonlat +
             "," + category + "," + kOrgs[pick_org(rng)].code + "," + std::to_string(severity) +
             "," + std::to_string(people) + "," + (unit(rng) < 0.8 ? "observed" : "suspected") +
             "," + (unit(rng) < 0.3 ? "ja" : "nej") + "," + ingest::CsvEscape(cw->text) + "\n";
    }
  }
  say("rapporter genererade (" + std::to_string(n) + "), importerar");
  CsvImportOptions import_opt;
  auto imported = sys.ImportReportsCsv(csv, import_opt, actor, progress);
  if (!imported) return tl::unexpected(imported.error());
  summary.reports = imported->inserted;

  // Check-ins: the housing company and the church say "nothing to report" for quiet districts in
  // the last 8 weeks.
  IsoWeek this_week = ToIsoWeek(today);
  LocalDay monday = IsoWeekStart(this_week.year, this_week.week);
  for (int back = 1; back <= 8; ++back) {
    std::string week = FormatIsoWeek(ToIsoWeek(monday - 7 * back));
    for (const char* area : {"edsberg", "sjoberg", "tornskogen", "landsnora"}) {
      for (const char* org : {"sollentunahem", "kyrkan"}) {
        if (unit(rng) < 0.25) continue;  // some weeks nobody checks in: a silent week
        // Where the organisation did report that week the check-in says so, not "nothing".
        auto r = sys.RecordCheckIn(org, area, week, true, actor);
        if (!r && !r.error().fields.empty() && r.error().fields[0].field == "nothing_to_report") {
          r = sys.RecordCheckIn(org, area, week, false, actor);
        }
        if (!r) return tl::unexpected(r.error());
        ++summary.checkins;
      }
    }
  }

  // The work after the picture: problems, meetings, actions.
  auto work = CreateDemoWork(sys, today, actor);
  if (!work) return tl::unexpected(work.error());
  summary.problems = work->problems;
  summary.meetings = work->meetings;
  summary.actions = work->actions;
  say("problem, möten och insatser klara");

  // The public page (/offentlig): the categories a municipality typically shows residents, and
  // the actions under way or done.
  PublicSettings pub;
  pub.categories = {"skadegorelse", "klotter", "inbrott_stold", "anlagd_brand",
                    "nedskrapning", "otrygg_plats", "fysisk_miljo"};
  auto actions = ListActions(sys);
  if (!actions) return tl::unexpected(actions.error());
  for (const Action& a : *actions) {
    if (a.status == ActionStatus::kOngoing || a.status == ActionStatus::kDone) {
      pub.actions.push_back(a.id.value);
    }
  }
  if (auto s = SetPublicSettings(sys, pub, actor); !s) return tl::unexpected(s.error());
  return summary;
}

}  // namespace est::app
