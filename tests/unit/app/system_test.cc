// The application services end to end on a temporary SQLite file: areas, reports, CSV import,
// re-assignment after an area import, and the lägesbild.
#include "app/system.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "analysis/engine.h"
#include "analysis/grid.h"
#include "app/analyses.h"
#include "app/present.h"
#include "app/system_access.h"
#include "core/period.h"
#include "core/time.h"

namespace est::app {
namespace {

namespace fs = std::filesystem;

const store::Actor kCli{std::nullopt, "cli"};

class TempDb {
 public:
  TempDb() {
    static std::atomic<int> counter{0};
    path_ = (fs::temp_directory_path() / ("est_system_test_" + std::to_string(getpid()) + "_" +
                                          std::to_string(counter++) + ".db"))
                .string();
    Remove();
  }
  ~TempDb() { Remove(); }
  const std::string& path() const { return path_; }

 private:
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_ + suffix);
  }
  std::string path_;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A GeoJSON polygon feature, a square in EPSG:3006.
std::string Feature(const std::string& code, const std::string& name, double min_e, double min_n,
                    double max_e, double max_n, const std::string& parent = "") {
  auto pt = [](double e, double n) {
    return "[" + std::to_string(e) + "," + std::to_string(n) + "]";
  };
  std::string props = "\"code\":\"" + code + "\",\"name\":\"" + name + "\"";
  if (!parent.empty()) props += ",\"parent\":\"" + parent + "\"";
  return "{\"type\":\"Feature\",\"properties\":{" + props +
         "},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[" + pt(min_e, min_n) + "," +
         pt(max_e, min_n) + "," + pt(max_e, max_n) + "," + pt(min_e, max_n) + "," +
         pt(min_e, min_n) + "]]}}";
}

std::string Collection(const std::vector<std::string>& features) {
  std::string s =
      "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":"
      "\"urn:ogc:def:crs:EPSG::3006\"}},\"features\":[";
  for (size_t i = 0; i < features.size(); ++i) s += (i ? "," : "") + features[i];
  return s + "]}";
}

// Kommun 0163 with two areas; "norr" holds the point (666000, 6591000), "syd" (662000, 6587000).
std::string KommunFile() {
  return Collection({
      Feature("norr", "Norra området", 665000, 6590000, 667000, 6592000, "0163"),
      Feature("0163", "Sollentuna", 660000, 6585000, 670000, 6595000),
      Feature("syd", "Södra området", 661000, 6586000, 663000, 6588000, "0163"),
  });
}

std::string Fields(const Error& e) {
  std::string s = ToString(e) + "\n";
  for (const auto& f : e.fields) s += "  " + f.field + ": " + f.reason + "\n";
  return s;
}

bool HasField(const Error& e, const std::string& field_part, const std::string& reason_part = "") {
  for (const auto& f : e.fields) {
    if (f.field.find(field_part) != std::string::npos &&
        f.reason.find(reason_part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

class SystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("EST_FAST_PASSWORD_HASH", "1", 1);
    Reopen();
    ASSERT_TRUE(sys_->EnsureDefaultCategories(kCli));
    Organisation o;
    o.code = "hem";
    o.name = "Sollentunahem AB";
    o.kind = OrgKind::kBolag;
    ASSERT_TRUE(sys_->CreateOrganisation(o, kCli));
  }

  void Reopen() {
    sys_.reset();
    auto s = System::Open(db_.path());
    ASSERT_TRUE(s) << ToString(s.error());
    sys_ = std::move(*s);
  }

  ingest::ReportInput Input(double e, double n, const char* when = "2026-11-18T12:00:00+01:00") {
    ingest::ReportInput in;
    in.occurred_from = when;
    in.x = e;
    in.y = n;
    in.epsg = 3006;
    in.category = "klotter";
    in.org = "hem";
    return in;
  }

  int64_t Reports() { return *app::internal::StoreOf(*sys_).CountReports({}); }
  int64_t AuditEntries() {
    return static_cast<int64_t>(app::internal::StoreOf(*sys_).ListAudit(0, 1 << 30)->size());
  }
  AreaId AreaOf(const std::string& code) { return sys_->catalog()->FindArea(code)->id; }

  TempDb db_;
  std::unique_ptr<System> sys_;
};

TEST_F(SystemTest, DefaultCategoriesAreCreatedOnce) {
  EXPECT_EQ(sys_->catalog()->categories().size(), 15u);
  auto again = sys_->EnsureDefaultCategories(kCli);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
  Reopen();
  EXPECT_EQ(sys_->catalog()->categories().size(), 15u) << "stored, not just cached";
  EXPECT_NE(sys_->catalog()->FindCategory("Skadegörelse"), nullptr);
}

TEST_F(SystemTest, CreateUserHashesThePassword) {
  User u;
  u.login = "anna";
  u.role = Role::kReporter;
  u.org = sys_->catalog()->FindOrg("hem")->id;
  auto created = sys_->CreateUser(u, "ett långt hemligt ord", kCli);
  ASSERT_TRUE(created) << Fields(created.error());
  auto found = app::internal::StoreOf(*sys_).FindLogin("anna");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_NE((*found)->second, "ett långt hemligt ord");
  EXPECT_FALSE((*found)->second.empty());

  User no_org;
  no_org.login = "bertil";
  no_org.role = Role::kReporter;
  auto bad = sys_->CreateUser(no_org, "kort", kCli);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(HasField(bad.error(), "org"));
  EXPECT_TRUE(HasField(bad.error(), "password"));
}

TEST_F(SystemTest, ImportAreasWithParentsInTheSameFile) {
  auto r = sys_->ImportAreas(KommunFile(), {}, kCli);
  ASSERT_TRUE(r) << Fields(r.error());
  ASSERT_EQ(r->areas.size(), 3u);
  EXPECT_EQ(r->areas[0].code, "0163") << "parents are stored first";
  auto cat = sys_->catalog();
  const Area* kommun = cat->FindArea("0163");
  const Area* norr = cat->FindArea("norr");
  const Area* syd = cat->FindArea("syd");
  ASSERT_TRUE(kommun && norr && syd);
  EXPECT_EQ(kommun->level, 0);
  EXPECT_FALSE(kommun->parent.has_value());
  EXPECT_EQ(norr->level, 1);
  EXPECT_EQ(norr->parent, kommun->id);
  EXPECT_EQ(syd->parent, kommun->id);
  EXPECT_EQ(norr->name, "Norra området");
  EXPECT_EQ(norr->source_epsg, 3006);
  EXPECT_EQ(cat->index().Locate({666000, 6591000}), norr->id.value);
  EXPECT_EQ(cat->index().Locate({668000, 6593000}), kommun->id.value);

  // --parent: every feature becomes a child of a stored area.
  AreaImportOptions opt;
  opt.parent_code = "norr";
  auto sub = sys_->ImportAreas(
      Collection({Feature("norr-1", "Delområde", 665500, 6590500, 666500, 6591500)}), opt, kCli);
  ASSERT_TRUE(sub) << Fields(sub.error());
  const Area* del = sys_->catalog()->FindArea("norr-1");
  ASSERT_NE(del, nullptr);
  EXPECT_EQ(del->level, 2);
  EXPECT_EQ(del->parent, norr->id);
  EXPECT_EQ(sys_->catalog()->index().Locate({666000, 6591000}), del->id.value);

  // A parent property naming a stored area works too.
  auto child = sys_->ImportAreas(
      Collection({Feature("syd-1", "Syd ett", 661500, 6586500, 662500, 6587500, "syd")}), {}, kCli);
  ASSERT_TRUE(child) << Fields(child.error());
  EXPECT_EQ(sys_->catalog()->FindArea("syd-1")->level, 2);
}

TEST_F(SystemTest, RejectedAreaImportsChangeNothing) {
  ASSERT_TRUE(sys_->ImportAreas(KommunFile(), {}, kCli));
  struct Case {
    const char* name;
    std::string file;
    AreaImportOptions options;
    std::string field_part;
  };
  AreaImportOptions unknown_parent;
  unknown_parent.parent_code = "finns-inte";
  const Case cases[] = {
      {"code exists",
       Collection({Feature("ny", "Ny", 661000, 6589000, 662000, 6590000),
                   Feature("norr", "Igen", 661000, 6586000, 662000, 6587000)}),
       {},
       ".code"},
      {"code twice in the file",
       Collection({Feature("x", "X", 661000, 6589000, 662000, 6590000),
                   Feature("x", "X2", 663000, 6589000, 664000, 6590000)}),
       {},
       ".code"},
      {"unknown parent property",
       Collection({Feature("y", "Y", 661000, 6589000, 662000, 6590000, "saknas")}),
       {},
       "parent"},
      {"unknown --parent", Collection({Feature("z", "Z", 661000, 6589000, 662000, 6590000)}),
       unknown_parent, "--parent"},
      {"missing name",
       Collection({Feature("w", "", 661000, 6589000, 662000, 6590000)}),
       {},
       ".name"},
      {"outside Sweden", Collection({Feature("v", "V", 5000, 5000, 6000, 6000)}), {}, ""},
      {"not GeoJSON", "{inte json", {}, ""},
      {"empty collection", Collection({}), {}, "features"},
  };
  int64_t areas = static_cast<int64_t>(sys_->catalog()->areas().size());
  int64_t audit = AuditEntries();
  sys_.reset();
  const std::string before = ReadAll(db_.path());
  ASSERT_FALSE(before.empty());
  Reopen();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = sys_->ImportAreas(c.file, c.options, kCli);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << Fields(r.error());
    if (!c.field_part.empty()) {
      EXPECT_TRUE(HasField(r.error(), c.field_part)) << Fields(r.error());
    }
    EXPECT_EQ(static_cast<int64_t>(sys_->catalog()->areas().size()), areas);
    EXPECT_EQ(AuditEntries(), audit);
  }
  sys_.reset();
  EXPECT_FALSE(fs::exists(db_.path() + "-wal")) << "closed cleanly";
  EXPECT_TRUE(ReadAll(db_.path()) == before) << "the database file changed";
}

TEST_F(SystemTest, CreateReportAssignsAreaAndIsIdempotent) {
  ASSERT_TRUE(sys_->ImportAreas(KommunFile(), {}, kCli));
  ingest::ReportInput in = Input(666000, 6591000);
  in.source_id = "form-1";
  in.description = "Ring 070-123 45 67";
  auto r = sys_->CreateReport(in, kCli);
  ASSERT_TRUE(r) << Fields(r.error());
  EXPECT_TRUE(r->created);
  EXPECT_EQ(r->report.area, AreaOf("norr"));
  EXPECT_EQ(r->scrubbed, std::vector<std::string>{"telefonnummer"});
  EXPECT_EQ(sys_->engine().size(), 1u);

  auto again = sys_->CreateReport(in, kCli);
  ASSERT_TRUE(again) << Fields(again.error());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->report.id, r->report.id);
  EXPECT_EQ(Reports(), 1);
  EXPECT_EQ(sys_->engine().size(), 1u);

  // The form and the API refuse a point outside the municipality's areas (Göteborg) ...
  auto outside = sys_->CreateReport(Input(319000, 6400000), kCli);
  ASSERT_FALSE(outside);
  EXPECT_TRUE(HasField(outside.error(), "location", "utanför kommunens områden"));
  EXPECT_EQ(Reports(), 1);
  // ... files (source import) keep it, outside every area, counted apart.
  ingest::ReportInput from_file = Input(319000, 6400000);
  from_file.source = ReportSource::kImport;
  auto kept = sys_->CreateReport(from_file, kCli);
  ASSERT_TRUE(kept) << Fields(kept.error());
  EXPECT_FALSE(kept->report.area.has_value());

  ingest::ReportInput bad = Input(666000, 6591000);
  bad.severity = 7;
  auto rejected = sys_->CreateReport(bad, kCli);
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(HasField(rejected.error(), "severity"));
  EXPECT_EQ(Reports(), 2);

  // The engine is loaded from the store on open.
  Reopen();
  EXPECT_EQ(sys_->engine().size(), 2u);
}

const char kCsvHeader[] = "id,occurred_at,x,y,category,org,severity,description\n";

CsvImportOptions Sweref() {
  CsvImportOptions o;
  o.csv.crs = 3006;
  return o;
}

TEST_F(SystemTest, CsvImportIsAllOrNothing) {
  ASSERT_TRUE(sys_->ImportAreas(KommunFile(), {}, kCli));
  const std::string text = std::string(kCsvHeader) +
                           "a1,2026-11-18 10:00,666000,6591000,klotter,hem,1,\n"
                           "a2,2026-11-18 11:00,662000,6587000,Skadegörelse,hem,2,\n"
                           "a3,2026-11-18 12:00,666000,6591000,klotter,hem,abc,\n"
                           "a4,2026-11-18 13:00,666000,6591000,klotter,hem,2,\n";
  int64_t audit = AuditEntries();
  auto r = sys_->ImportReportsCsv(text, Sweref(), kCli);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(HasField(r.error(), "rad 4, kolumn severity", "abc")) << Fields(r.error());
  EXPECT_EQ(r.error().fields.size(), 1u) << Fields(r.error());
  EXPECT_EQ(Reports(), 0);
  EXPECT_EQ(AuditEntries(), audit);
  EXPECT_EQ(sys_->engine().size(), 0u);

  // skip_invalid: the good rows go in, the bad one comes back.
  CsvImportOptions skip = Sweref();
  skip.skip_invalid = true;
  auto s = sys_->ImportReportsCsv(text, skip, kCli);
  ASSERT_TRUE(s) << Fields(s.error());
  EXPECT_EQ(s->rows, 4);
  EXPECT_EQ(s->inserted, 3);
  ASSERT_EQ(s->rejected.size(), 1u);
  EXPECT_EQ(s->rejected[0].row, 4);
  EXPECT_EQ(s->rejected[0].fields[0], "a3");
  ASSERT_FALSE(s->rejected[0].errors.empty());
  EXPECT_EQ(s->rejected[0].errors[0].field, "rad 4, kolumn severity");
  EXPECT_EQ(Reports(), 3);
  EXPECT_EQ(sys_->engine().size(), 3u);

  // Importing the same file again is idempotent.
  auto again = sys_->ImportReportsCsv(text, skip, kCli);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->inserted, 0);
  EXPECT_EQ(again->already_present, 3);
  EXPECT_EQ(Reports(), 3);
  EXPECT_EQ(sys_->engine().size(), 3u) << "already-present rows are not added to the engine again";

  // A file with stored and new rows: only the new one reaches the store and the engine.
  const std::string mixed = std::string(kCsvHeader) +
                            "a1,2026-11-18 10:00,666000,6591000,klotter,hem,1,\n"
                            "a9,2026-11-18 11:00,666100,6591100,klotter,hem,2,\n";
  auto more = sys_->ImportReportsCsv(mixed, skip, kCli);
  ASSERT_TRUE(more) << Fields(more.error());
  EXPECT_EQ(more->inserted, 1);
  EXPECT_EQ(more->already_present, 1);
  EXPECT_EQ(Reports(), 4);
  EXPECT_EQ(sys_->engine().size(), 4u);
}

// A file that repeats a source id: the first row of each id is stored and reaches the engine, the
// repeats count as already present (into an empty table SQLite finds them only at commit, after
// the engine's rows were made).
TEST_F(SystemTest, CsvRepeatsOfASourceIdInOneFileAreStoredOnce) {
  const std::string text = std::string(kCsvHeader) +
                           "r1,2026-11-18 10:00,666000,6591000,klotter,hem,1,\n"
                           "r2,2026-11-18 11:00,666100,6591100,klotter,hem,2,\n"
                           "r1,2026-11-18 12:00,666200,6591200,klotter,hem,3,\n"
                           "r1,2026-11-18 13:00,666300,6591300,klotter,hem,3,\n";
  ASSERT_EQ(Reports(), 0);
  auto r = sys_->ImportReportsCsv(text, Sweref(), kCli);
  ASSERT_TRUE(r) << Fields(r.error());
  EXPECT_EQ(r->rows, 4);
  EXPECT_EQ(r->inserted, 2);
  EXPECT_EQ(r->already_present, 2);
  EXPECT_EQ(Reports(), 2);
  EXPECT_EQ(sys_->engine().size(), 2u) << "the repeats are not in the engine";
  auto kept = app::internal::StoreOf(*sys_).FindReportBySource(
      sys_->catalog()->FindOrg("hem")->id, "r1");
  ASSERT_TRUE(kept && kept->has_value());
  EXPECT_EQ((*kept)->severity, 1) << "the first row of the id is the one kept";
}

TEST_F(SystemTest, CsvRowErrorsFromValidationNameTheRow) {
  const std::string text = std::string(kCsvHeader) +
                           "b1,2026-11-18 10:00,666000,6591000,klotter,hem,1,\n"
                           "b2,2099-01-01 10:00,666000,6591000,klotter,hem,1,\n";
  auto r = sys_->ImportReportsCsv(text, Sweref(), kCli);
  ASSERT_FALSE(r);
  EXPECT_TRUE(HasField(r.error(), "rad 3: occurred_from", "framtiden")) << Fields(r.error());
  EXPECT_EQ(Reports(), 0);
}

TEST_F(SystemTest, CreateMissingOnlyWhenTheFileIsAccepted) {
  const std::string bad = std::string(kCsvHeader) +
                          "c1,2026-11-18 10:00,666000,6591000,Cykelstöld,Securitas,1,\n"
                          "c2,2026-11-18 10:00,666000,6591000,klotter,hem,0,\n";
  CsvImportOptions create = Sweref();
  create.create_missing = true;
  auto rejected = sys_->ImportReportsCsv(bad, create, kCli);
  ASSERT_FALSE(rejected);
  EXPECT_TRUE(HasField(rejected.error(), "rad 3: severity")) << Fields(rejected.error());
  EXPECT_EQ(sys_->catalog()->FindCategory("Cykelstöld"), nullptr);
  EXPECT_EQ(sys_->catalog()->FindOrg("Securitas"), nullptr);
  EXPECT_EQ(app::internal::StoreOf(*sys_).ListCategories()->size(), 15u);
  EXPECT_EQ(app::internal::StoreOf(*sys_).ListOrganisations()->size(), 1u);

  // Without --create-missing, unknown values are named once each with their rows.
  auto unknown = sys_->ImportReportsCsv(bad, Sweref(), kCli);
  ASSERT_FALSE(unknown);
  EXPECT_TRUE(HasField(unknown.error(), "category", "Cykelstöld")) << Fields(unknown.error());
  EXPECT_TRUE(HasField(unknown.error(), "org", "Securitas")) << Fields(unknown.error());

  const std::string good = std::string(kCsvHeader) +
                           "c1,2026-11-18 10:00,666000,6591000,Cykelstöld,Securitas,1,\n"
                           "c3,2026-11-18 10:00,666000,6591000,cykelstöld,hem,1,\n";
  auto ok = sys_->ImportReportsCsv(good, create, kCli);
  ASSERT_TRUE(ok) << Fields(ok.error());
  EXPECT_EQ(ok->inserted, 2);
  EXPECT_EQ(ok->created_categories, std::vector<std::string>{"Cykelstöld"});
  EXPECT_EQ(ok->created_orgs, std::vector<std::string>{"Securitas"});
  const Category* c = sys_->catalog()->FindCategory("Cykelstöld");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->needs_review);
  EXPECT_EQ(c->name_sv, "Cykelstöld") << "the first spelling in the file";
  EXPECT_TRUE(ValidateCode("code", c->code).empty()) << c->code;
  const Organisation* o = sys_->catalog()->FindOrg("Securitas");
  ASSERT_NE(o, nullptr);
  EXPECT_TRUE(o->needs_review);
  EXPECT_TRUE(ValidateCode("code", o->code).empty()) << o->code;
  auto stored = app::internal::StoreOf(*sys_).FindReportBySource(o->id, "c1");
  ASSERT_TRUE(stored && stored->has_value());
  EXPECT_EQ((*stored)->category, c->id);
}

TEST_F(SystemTest, CreateMissingWithACodeThatIsTaken) {
  // "Vakt AB" is unknown by name, but the code made from it may equal a stored code.
  Organisation o;
  o.code = "vakt-ab";
  o.name = "Bevakning Norr";
  ASSERT_TRUE(sys_->CreateOrganisation(o, kCli));
  const std::string text = std::string(kCsvHeader) +
                           "d1,2026-11-18 10:00,666000,6591000,Ny Sak,Vakt AB,1,\n" +
                           "d2,2026-11-18 10:00,666000,6591000,Ny Sak,Vakt-AB!,1,\n";
  CsvImportOptions create = Sweref();
  create.create_missing = true;
  auto ok = sys_->ImportReportsCsv(text, create, kCli);
  ASSERT_TRUE(ok) << Fields(ok.error());
  const Organisation* created = sys_->catalog()->FindOrg("Vakt AB");
  ASSERT_NE(created, nullptr);
  EXPECT_NE(created->id, sys_->catalog()->FindOrg("vakt-ab")->id);
  EXPECT_EQ(ok->inserted, 2);
  EXPECT_EQ(ok->created_orgs.size(), 2u) << "two names that make the same code";
}

TEST_F(SystemTest, ImportingAreasAfterReportsReassignsThem) {
  ASSERT_TRUE(sys_->CreateReport(Input(666000, 6591000), kCli));
  ASSERT_TRUE(sys_->CreateReport(Input(662000, 6587000), kCli));
  ASSERT_TRUE(sys_->CreateReport(Input(319000, 6400000), kCli));
  LagesbildParams p;
  p.period = "2026-W47";
  EXPECT_EQ(sys_->ComputeLagesbild(p)->outside, 3);

  auto r = sys_->ImportAreas(KommunFile(), {}, kCli);
  ASSERT_TRUE(r) << Fields(r.error());
  EXPECT_EQ(r->reports_moved, 2);
  store::ReportFilter in_norr;
  in_norr.area = AreaOf("norr");
  EXPECT_EQ(*app::internal::StoreOf(*sys_).CountReports(in_norr), 1);
  auto lb = sys_->ComputeLagesbild(p);
  ASSERT_TRUE(lb);
  EXPECT_EQ(lb->outside, 1);
  EXPECT_EQ(lb->total, 3);

  // A nested import moves only the report inside the new area.
  AreaImportOptions opt;
  opt.parent_code = "norr";
  auto sub = sys_->ImportAreas(
      Collection({Feature("norr-1", "Delområde", 665500, 6590500, 666500, 6591500)}), opt, kCli);
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->reports_moved, 1);

  // The engine loaded from the store agrees.
  Reopen();
  auto reloaded = sys_->ComputeLagesbild(p);
  ASSERT_TRUE(reloaded);
  EXPECT_EQ(reloaded->outside, 1);
}

TEST_F(SystemTest, UpdateReportIsReflectedInTheLagesbild) {
  ASSERT_TRUE(sys_->ImportAreas(KommunFile(), {}, kCli));
  auto r = sys_->CreateReport(Input(666000, 6591000), kCli);
  ASSERT_TRUE(r);
  LagesbildParams p;
  p.period = "2026-W47";
  p.categories = {"klotter"};
  EXPECT_EQ(sys_->ComputeLagesbild(p)->total, 1);
  ReportPatch patch;
  patch.category = "Skadegörelse";
  auto u = sys_->UpdateReport(r->report.id, patch, 1, kCli);
  ASSERT_TRUE(u) << Fields(u.error());
  EXPECT_EQ(sys_->ComputeLagesbild(p)->total, 0);
  ReportPatch long_text;
  long_text.description = "";
  for (int i = 0; i < 4000; ++i) *long_text.description += "ö";
  auto swedish = sys_->UpdateReport(r->report.id, long_text, 2, kCli);
  ASSERT_TRUE(swedish) << "4000 characters are allowed even when they are 8000 bytes";
  *long_text.description += "x";
  auto too_long = sys_->UpdateReport(r->report.id, long_text, 3, kCli);
  ASSERT_FALSE(too_long);
  EXPECT_TRUE(HasField(too_long.error(), "description"));
  auto stale = sys_->UpdateReport(r->report.id, patch, 1, kCli);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
}

TEST_F(SystemTest, LagesbildParameterErrors) {
  ASSERT_TRUE(sys_->ImportAreas(KommunFile(), {}, kCli));
  struct Case {
    const char* name;
    LagesbildParams params;
    const char* field;
  };
  auto with = [](std::function<void(LagesbildParams&)> f) {
    LagesbildParams p;
    p.period = "2026-W47";
    f(p);
    return p;
  };
  const Case cases[] = {
      {"unknown area", with([](LagesbildParams& p) { p.areas = {"finns-inte"}; }), "area"},
      {"unknown category", with([](LagesbildParams& p) { p.categories = {"x"}; }), "category"},
      {"unknown org", with([](LagesbildParams& p) { p.orgs = {"x"}; }), "org"},
      {"bad dimension", with([](LagesbildParams& p) { p.dimension = "lycka"; }), "dimension"},
      {"bad period", with([](LagesbildParams& p) { p.period = "2026-W54"; }), "period"},
      {"bad from", with([](LagesbildParams& p) {
         p.period = "";
         p.from = "igår";
         p.to = "2026-11-20";
       }),
       "from"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = sys_->ComputeLagesbild(c.params);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_TRUE(HasField(r.error(), c.field)) << Fields(r.error());
  }
  LagesbildParams ok;
  ok.period = "2026-W47";
  ok.areas = {"NORR"};
  ok.dimension = "säkerhet";
  EXPECT_TRUE(sys_->ComputeLagesbild(ok));
}

TEST_F(SystemTest, LagesbildCsvContract) {
  ASSERT_TRUE(sys_->ImportAreas(KommunFile(), {}, kCli));
  ASSERT_TRUE(sys_->CreateReport(Input(666000, 6591000), kCli));
  ASSERT_TRUE(sys_->CreateReport(Input(666000, 6591000, "2026-11-10T12:00:00+01:00"), kCli));
  ingest::ReportInput outside = Input(319000, 6400000);
  outside.source = ReportSource::kImport;  // a file's row outside every area is kept
  ASSERT_TRUE(sys_->CreateReport(outside, kCli));
  LagesbildParams p;
  p.period = "2026-W47";
  auto lb = sys_->ComputeLagesbild(p);
  ASSERT_TRUE(lb);
  std::string csv = LagesbildCsv(*lb, *sys_->catalog());
  EXPECT_EQ(csv.rfind("area_code,area_name,category,count,previous,last_year", 0), 0u) << csv;
  EXPECT_NE(csv.find("\nnorr,Norra området,klotter,1,1,0,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n0163,Sollentuna,klotter,1,1,0,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n,Utanför alla områden,klotter,1,0,0,"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("\nsyd,"), std::string::npos) << "no rows for areas without reports";
}

// A report placed only by its area (bara område): counted in the area's figures, never a point
// (no centre drawn, no cell in hotspots or heat), kept through a reload and an area import.
TEST_F(SystemTest, AreaOnlyReportsCountButAreNeverPoints) {
  ASSERT_TRUE(sys_->ImportAreas(KommunFile(), {}, kCli));
  ingest::ReportInput in = Input(0, 0);
  in.x.reset();
  in.y.reset();
  in.epsg.reset();
  in.area = "norr";
  auto r = sys_->CreateReport(in, kCli);
  ASSERT_TRUE(r) << Fields(r.error());
  EXPECT_TRUE(r->report.area_only);
  EXPECT_EQ(r->report.area, AreaOf("norr"));
  auto json = ReportJson(r->report, *sys_->catalog());
  EXPECT_TRUE(json["location"]["lat"].is_null());
  EXPECT_EQ(json["placement_sv"], "bara område");
  ingest::ReportInput unknown = in;
  unknown.area = "finns-inte";
  auto bad = sys_->CreateReport(unknown, kCli);
  ASSERT_FALSE(bad);
  EXPECT_TRUE(HasField(bad.error(), "area", "okänt område"));
  ASSERT_TRUE(sys_->CreateReport(Input(666000, 6591000), kCli));  // a point in norr too

  auto check = [&](const char* when, int64_t total) {
    SCOPED_TRACE(when);
    LagesbildParams p;
    p.period = "2026-W47";
    auto lb = sys_->ComputeLagesbild(p);
    ASSERT_TRUE(lb);
    EXPECT_EQ(lb->total, total);
    EXPECT_EQ(lb->outside, 0);
    auto q = sys_->ResolveQuery(p);
    ASSERT_TRUE(q);
    auto grid = sys_->StudyGridFor(250, "bbox");
    ASSERT_TRUE(grid);
    auto cells = sys_->engine().CountPerCell(*q, **grid);
    double in_cells = 0;
    for (double c : cells) in_cells += c;
    EXPECT_EQ(in_cells, 1) << "only the point is in a cell";
    int points = 0, area_only = 0;
    sys_->engine().ForEachPoint(*q, [&](const analysis::EnginePoint& pt) {
      ++points;
      area_only += pt.area_only;
    });
    EXPECT_EQ(points, lb->total);
    EXPECT_EQ(area_only, lb->total - 1);
  };
  check("after the write", 2);
  // A file's row may be placed by its area alone too (column "area").
  auto imported = sys_->ImportReportsCsv(
      "occurred_at,area,category,org\n2026-11-18 12:00,syd,klotter,hem\n", {}, kCli);
  ASSERT_TRUE(imported) << Fields(imported.error());
  EXPECT_EQ(imported->inserted, 1);
  EXPECT_EQ(*app::internal::StoreOf(*sys_).CountReports({}), 3);
  LagesbildParams syd;
  syd.period = "2026-W47";
  syd.areas = {"syd"};
  EXPECT_EQ(sys_->ComputeLagesbild(syd)->total, 1);
  Reopen();
  check("after a reload from the store", 3);
  // A new area import re-locates points, not area-only reports.
  AreaImportOptions opt;
  opt.parent_code = "norr";
  ASSERT_TRUE(sys_->ImportAreas(
      Collection({Feature("norr-1", "Delområde", 665500, 6590500, 666500, 6591500)}), opt, kCli));
  auto stored = app::internal::StoreOf(*sys_).GetReport(r->report.id);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->area, AreaOf("norr"));
  EXPECT_TRUE((*stored)->area_only);
}

// The weekly series stops at today: a running period ends with today's week, marked running and
// never "below"; an ended month whose last week still runs ends with the week before.
TEST_F(SystemTest, SeriesStopsAtTodayAndNeverShowsAPartWeekAsADrop) {
  ASSERT_TRUE(sys_->ImportAreas(KommunFile(), {}, kCli));
  SetFixedNow(*ParseTimestamp("2026-12-01T10:00:00+01:00"));  // Tuesday of 2026-W49
  struct Reset {
    ~Reset() { SetFixedNow(std::nullopt); }
  } reset;
  auto last_of = [&](const char* period) {
    LagesbildParams p;
    p.period = period;
    auto s = ComputeSeries(*sys_, p, 8, 4);
    EXPECT_TRUE(s) << period;
    return s ? s->points.back() : SeriesPoint{};
  };
  SeriesPoint nov = last_of("2026-11");  // ends Mon 30 Nov, in the running W49
  EXPECT_EQ(nov.week, "2026-W48");
  EXPECT_FALSE(nov.running);
  SeriesPoint w49 = last_of("2026-W49");
  EXPECT_EQ(w49.week, "2026-W49");
  EXPECT_TRUE(w49.running);
  SeriesPoint dec = last_of("2026-12");  // running month: today's week, not Dec's last
  EXPECT_EQ(dec.week, "2026-W49");
  EXPECT_TRUE(dec.running);
  LagesbildParams p;
  p.period = "2026-12";
  auto s = ComputeSeries(*sys_, p, 8, 4);
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->band.below) << "a week that has not happened is never below normal";
}

// Any viewer can ask for many cell sizes: the grid cache stays bounded (issue 15, point 4), and
// sizes outside 50–5000 m are refused naming the field.
TEST_F(SystemTest, GridCacheIsBoundedAndCellSizesAreChecked) {
  ASSERT_TRUE(sys_->ImportAreas(KommunFile(), {}, kCli));
  for (double bad : {10.0, 49.9, 5000.1, std::nan("")}) {
    auto g = sys_->StudyGridFor(bad, "bbox");
    ASSERT_FALSE(g) << bad;
    EXPECT_TRUE(HasField(g.error(), "cell", "50–5000")) << bad;
  }
  for (int i = 0; i < 40; ++i) {
    auto g = sys_->StudyGridFor(50 + i * 0.001, "bbox");
    ASSERT_TRUE(g) << Fields(g.error());
    EXPECT_GT((*g)->size(), 0u);
  }
  EXPECT_LE(sys_->grid_cache_entries(), System::kGridCacheEntries);
  EXPECT_LE(sys_->grid_cache_bytes(), System::kGridCacheBytes);
  // The most recent one is still served from the cache.
  auto again = sys_->StudyGridFor(50 + 39 * 0.001, "bbox");
  auto same = sys_->StudyGridFor(50 + 39 * 0.001, "bbox");
  ASSERT_TRUE(again && same);
  EXPECT_EQ(again->get(), same->get());
}

// Check-ins: one organisation-wide "inget att rapportera" covers every area; a contradictory one
// is refused; a later report in the area supersedes it with a note.
TEST_F(SystemTest, CheckInsOrganisationWideContradictoryAndSuperseded) {
  ASSERT_TRUE(sys_->ImportAreas(KommunFile(), {}, kCli));
  // Week 47 of 2026: the organisation reported in "norr".
  ASSERT_TRUE(sys_->CreateReport(Input(666000, 6591000), kCli));
  auto contradicts = sys_->RecordCheckIn("hem", "norr", "2026-W47", true, kCli);
  ASSERT_FALSE(contradicts);
  EXPECT_TRUE(HasField(contradicts.error(), "nothing_to_report", "har redan 1 rapport"))
      << Fields(contradicts.error());
  EXPECT_TRUE(app::internal::StoreOf(*sys_).ListCheckIns()->empty())
      << "a refused check-in stores nothing";
  // "syd" had nothing: fine. And "reported" for norr is no contradiction.
  ASSERT_TRUE(sys_->RecordCheckIn("hem", "syd", "2026-W47", true, kCli));
  ASSERT_TRUE(sys_->RecordCheckIn("hem", "norr", "2026-W47", false, kCli));

  // Week 46: one organisation-wide check-in (no area) speaks for the municipality and both areas.
  auto wide = sys_->RecordCheckIn("hem", "", "2026-W46", true, kCli);
  ASSERT_TRUE(wide) << Fields(wide.error());
  EXPECT_EQ(wide->area, AreaOf("0163"));
  LagesbildParams p;
  p.period = "2026-W46";
  auto lb = sys_->ComputeLagesbild(p);
  ASSERT_TRUE(lb);
  int covered = 0;
  for (const auto& cov : lb->coverage) covered += cov.checked_in.size() == 1;
  EXPECT_EQ(covered, 3) << "0163, norr and syd";

  // A report in norr in week 46 supersedes the organisation-wide "nothing to report".
  auto late = sys_->CreateReport(Input(666000, 6591000, "2026-11-11T10:00:00+01:00"), kCli);
  ASSERT_TRUE(late) << Fields(late.error());
  ASSERT_EQ(late->notes.size(), 1u);
  EXPECT_NE(late->notes[0].find("är ersatt av den här rapporten"), std::string::npos);
  auto week46 = app::internal::StoreOf(*sys_).ListCheckInsFor(sys_->catalog()->FindOrg("hem")->id,
                                                              {2026, 46});
  ASSERT_TRUE(week46);
  ASSERT_EQ(week46->size(), 1u);
  EXPECT_FALSE(week46->front().nothing_to_report);
}

// The default period is the last complete week; a running period is cut at "now" (a fixed clock)
// and labelled as running, in JSON and CSV.
TEST_F(SystemTest, DefaultIsTheLastCompleteWeekAndARunningWeekIsCutAtNow) {
  ASSERT_TRUE(sys_->ImportAreas(KommunFile(), {}, kCli));
  ASSERT_TRUE(sys_->CreateReport(Input(666000, 6591000, "2026-11-30T07:30:00+01:00"), kCli));
  ASSERT_TRUE(sys_->CreateReport(Input(666000, 6591000, "2026-11-23T07:00:00+01:00"), kCli));
  ASSERT_TRUE(sys_->CreateReport(Input(666000, 6591000, "2026-11-23T09:00:00+01:00"), kCli));
  SetFixedNow(*ParseTimestamp("2026-11-30T08:00:00+01:00"));
  struct Reset {
    ~Reset() { SetFixedNow(std::nullopt); }
  } reset;
  auto def = sys_->ComputeLagesbild({});
  ASSERT_TRUE(def);
  EXPECT_EQ(def->period.label(), "2026-W48");
  EXPECT_FALSE(def->cut_minutes);
  EXPECT_EQ(def->total, 2);
  LagesbildParams p;
  p.period = "2026-W49";
  auto lb = sys_->ComputeLagesbild(p);
  ASSERT_TRUE(lb);
  EXPECT_EQ(lb->cut_minutes, 481);
  EXPECT_EQ(lb->total, 1);
  EXPECT_EQ(lb->total_previous, 1) << "only the previous Monday before 08:00";
  auto json = LagesbildJson(*lb, *sys_->catalog());
  EXPECT_EQ(json["running"]["label_sv"], "vecka 49 2026, hittills t.o.m. mån 08:00");
  EXPECT_EQ(json["totals"]["change_previous"]["signal"], nullptr);
  EXPECT_TRUE(LagesbildJson(*def, *sys_->catalog())["running"].is_null());
  std::string csv = LagesbildCsv(*lb, *sys_->catalog());
  EXPECT_NE(csv.find(",p_previous,signal_previous,p_last_year,signal_last_year\n"),
            std::string::npos)
      << csv;
}

// `--extent areas` on an ASCII map, each character 50 m (5 make a 250 m cell), lower-left corner
// E 660000, N 6590000. Area "sq" is the 2×2 block of cells in the south-west; area "strip" is
// 40 m high (N 6590560–600), drawn as the row of s, crossing cell (4, 2) away from its centre and
// corners. Only the 4 + 1 cells that overlap an area's interior are studied: not the other cells
// of the areas' box, and not the cells that only touch an area.
//
//   ......................sssss
//   ...........................
//   qqqqqqqqqq.................
//   qqqqqqqqqq.................
TEST_F(SystemTest, AreasExtentIsExactlyTheCellsOverlappingAnArea) {
  auto r =
      sys_->ImportAreas(Collection({Feature("sq", "Kvadrat", 660000, 6590000, 660500, 6590500),
                                    Feature("strip", "Remsa", 661000, 6590560, 661250, 6590600)}),
                        {}, kCli);
  ASSERT_TRUE(r) << Fields(r.error());
  auto grid = sys_->StudyGridFor(250, "areas");
  ASSERT_TRUE(grid) << Fields(grid.error());
  EXPECT_EQ((*grid)->size(), 5u);
  for (auto [ix, iy] : {std::pair{2640, 26360}, std::pair{2641, 26360}, std::pair{2640, 26361},
                        std::pair{2641, 26361}, std::pair{2644, 26362}}) {
    EXPECT_TRUE((*grid)->contains(ix, iy)) << ix << "," << iy;
  }
  EXPECT_FALSE((*grid)->contains(2642, 26360)) << "touches sq along its east edge only";
  EXPECT_FALSE((*grid)->contains(2643, 26362)) << "in the box, outside both areas";
  EXPECT_FALSE((*grid)->contains(2645, 26362)) << "touches the strip's east end only";
  // The bbox extent takes every cell meeting the box, the column east of E 661250 included
  // (StudyGrid::FromBbox): 6 × 3.
  auto box = sys_->StudyGridFor(250, "bbox");
  ASSERT_TRUE(box);
  EXPECT_EQ((*box)->size(), 6u * 3u);
}

}  // namespace
}  // namespace est::app
