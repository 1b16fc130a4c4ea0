// ResolveReport: every validation rule, lookups by code and Swedish name, area assignment.
#include "ingest/report_input.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "geo/crs.h"
#include "unit/ingest/ingest_test_util.h"

namespace est::ingest {
namespace {

using testing::MakeTestCatalog;

const UnixSeconds kNow = *ParseTimestamp("2026-11-25T12:00:00+01:00");

// lon/lat of a SWEREF 99 TM point, so inputs can be given in WGS 84.
geo::Wgs84Point LonLat(double e, double n) { return geo::ToWgs84({e, n}); }

ReportInput Valid() {
  ReportInput in;
  in.occurred_from = "2026-11-20T21:30:00+01:00";
  geo::Wgs84Point p = LonLat(665800, 6590800);  // inside tureberg
  in.lon = p.lon;
  in.lat = p.lat;
  in.category = "skadegorelse";
  in.org = "hem";
  return in;
}

std::string Fields(const std::vector<FieldError>& fields) {
  std::string s;
  for (const auto& f : fields) s += f.field + ": " + f.reason + "\n";
  return s;
}

class ResolveTest : public ::testing::Test {
 protected:
  std::optional<ResolvedReport> Resolve(const ReportInput& in, const std::string& prefix = "") {
    errors_.clear();
    return ResolveReport(in, catalog_, kNow, errors_, prefix);
  }
  bool HasError(const std::string& field) const {
    for (const auto& e : errors_) {
      if (e.field == field) return true;
    }
    return false;
  }
  app::Catalog catalog_ = MakeTestCatalog();
  std::vector<FieldError> errors_;
};

TEST_F(ResolveTest, ValidReportIsResolved) {
  auto r = Resolve(Valid());
  ASSERT_TRUE(r) << Fields(errors_);
  EXPECT_TRUE(errors_.empty());
  const Report& rep = r->report;
  EXPECT_EQ(rep.occurred_from, *ParseTimestamp("2026-11-20T20:30:00Z"));
  EXPECT_FALSE(rep.occurred_to.has_value());
  EXPECT_EQ(rep.reported_at, kNow);
  EXPECT_NEAR(rep.e, 665800, 0.01);
  EXPECT_NEAR(rep.n, 6590800, 0.01);
  EXPECT_EQ(rep.source_epsg, 4326);
  EXPECT_EQ(rep.category, testing::kSkadegorelse);
  EXPECT_EQ(rep.org, testing::kHem);
  EXPECT_EQ(rep.severity, 2) << "the category's default";
  EXPECT_EQ(rep.count, 1);
  EXPECT_EQ(rep.certainty, Certainty::kObserved);
  EXPECT_FALSE(rep.police_notified);
  EXPECT_EQ(rep.area, testing::kTureberg) << "deepest area (level 2 inside level 1)";
}

TEST_F(ResolveTest, AreaAssignmentPicksTheDeepestContainingArea) {
  struct Case {
    const char* name;
    double e, n;
    std::optional<AreaId> area;
  };
  const Case cases[] = {
      {"level 2", 665800, 6590800, testing::kTureberg},
      {"level 1 only", 666500, 6591500, testing::kSollentuna},
      {"level 0 only", 661000, 6586000, testing::kKommun},
      {"outside every area (Göteborg)", 319000, 6400000, std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ReportInput in = Valid();
    in.lon.reset();
    in.lat.reset();
    in.x = c.e;
    in.y = c.n;
    in.epsg = 3006;
    auto r = Resolve(in);
    ASSERT_TRUE(r) << Fields(errors_);
    EXPECT_EQ(r->report.area, c.area);
    EXPECT_DOUBLE_EQ(r->report.e, c.e);
    EXPECT_EQ(r->report.source_epsg, 3006);
    EXPECT_NE(r->report.lon, 0) << "WGS 84 copy filled";
  }
}

TEST_F(ResolveTest, NamedPlaceGivesItsPointAndArea) {
  ReportInput in = Valid();
  in.lon.reset();
  in.lat.reset();
  in.place = "sollentuna CENTRUM";
  auto r = Resolve(in);
  ASSERT_TRUE(r) << Fields(errors_);
  EXPECT_EQ(r->report.place, testing::kCentrum);
  EXPECT_EQ(r->report.e, 665800);
  EXPECT_EQ(r->report.area, testing::kTureberg);
}

TEST_F(ResolveTest, OptionalFieldsAreTakenOver) {
  ReportInput in = Valid();
  in.source_id = "ext-1";
  in.occurred_to = "2026-11-20T23:00:00+01:00";
  in.severity = 3;
  in.count = 5;
  in.certainty = "misstänkt";
  in.police_notified = true;
  in.source = ReportSource::kImport;
  auto r = Resolve(in);
  ASSERT_TRUE(r) << Fields(errors_);
  EXPECT_EQ(r->report.source_id, "ext-1");
  EXPECT_EQ(r->report.occurred_to, *ParseTimestamp("2026-11-20T22:00:00Z"));
  EXPECT_EQ(r->report.severity, 3);
  EXPECT_EQ(r->report.count, 5);
  EXPECT_EQ(r->report.certainty, Certainty::kSuspected);
  EXPECT_TRUE(r->report.police_notified);
  EXPECT_EQ(r->report.source, ReportSource::kImport);
}

TEST_F(ResolveTest, EachRuleRejectsWithItsField) {
  struct Case {
    const char* name;
    void (*edit)(ReportInput&);
    const char* field;
  };
  const Case cases[] = {
      {"time missing", [](ReportInput& i) { i.occurred_from = ""; }, "occurred_from"},
      {"impossible date", [](ReportInput& i) { i.occurred_from = "2026-02-30T10:00"; },
       "occurred_from"},
      {"garbage time", [](ReportInput& i) { i.occurred_from = "igår kväll"; }, "occurred_from"},
      {"future", [](ReportInput& i) { i.occurred_from = "2026-11-25T14:00:00+01:00"; },
       "occurred_from"},
      {"before 2000", [](ReportInput& i) { i.occurred_from = "1999-12-31T23:59:59+01:00"; },
       "occurred_from"},
      {"to before from", [](ReportInput& i) { i.occurred_to = "2026-11-20T21:00:00+01:00"; },
       "occurred_to"},
      {"to more than 31 days",
       [](ReportInput& i) {
         i.occurred_from = "2026-10-01T00:00:00+02:00";
         i.occurred_to = "2026-11-02T00:00:00+01:00";
       },
       "occurred_to"},
      {"to impossible", [](ReportInput& i) { i.occurred_to = "2026-11-20T25:00"; }, "occurred_to"},
      {"no location",
       [](ReportInput& i) {
         i.lon.reset();
         i.lat.reset();
       },
       "location"},
      {"two kinds of location", [](ReportInput& i) { i.place = "Sollentuna centrum"; }, "location"},
      {"lon/lat and x/y",
       [](ReportInput& i) {
         i.x = 665800;
         i.y = 6590800;
       },
       "location"},
      {"lat missing", [](ReportInput& i) { i.lat.reset(); }, "lat"},
      {"lon out of range", [](ReportInput& i) { i.lon = 190; }, "lon"},
      {"lat out of range", [](ReportInput& i) { i.lat = -91; }, "lat"},
      {"outside Sweden (Paris)",
       [](ReportInput& i) {
         i.lon = 2.35;
         i.lat = 48.85;
       },
       "location"},
      {"x/y in the wrong CRS",
       [](ReportInput& i) {
         i.lon.reset();
         i.lat.reset();
         i.x = 17.95;
         i.y = 59.43;
         i.epsg = 3006;
       },
       "location"},
      {"unknown place",
       [](ReportInput& i) {
         i.lon.reset();
         i.lat.reset();
         i.place = "Stockholms slott";
       },
       "place"},
      {"category missing", [](ReportInput& i) { i.category = ""; }, "category"},
      {"unknown category", [](ReportInput& i) { i.category = "cykelstöld"; }, "category"},
      {"inactive category", [](ReportInput& i) { i.category = "gammal"; }, "category"},
      {"org missing", [](ReportInput& i) { i.org = ""; }, "org"},
      {"unknown org", [](ReportInput& i) { i.org = "Securitas"; }, "org"},
      {"severity 0", [](ReportInput& i) { i.severity = 0; }, "severity"},
      {"severity 4", [](ReportInput& i) { i.severity = 4; }, "severity"},
      {"count 0", [](ReportInput& i) { i.count = 0; }, "count"},
      {"count too large", [](ReportInput& i) { i.count = 10001; }, "count"},
      {"certainty text", [](ReportInput& i) { i.certainty = "kanske"; }, "certainty"},
      {"description too long", [](ReportInput& i) { i.description = std::string(4001, 'a'); },
       "description"},
      {"empty source id", [](ReportInput& i) { i.source_id = ""; }, "id"},
      {"long source id", [](ReportInput& i) { i.source_id = std::string(129, 'x'); }, "id"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ReportInput in = Valid();
    c.edit(in);
    auto r = Resolve(in);
    EXPECT_FALSE(r);
    ASSERT_EQ(errors_.size(), 1u) << Fields(errors_);
    EXPECT_EQ(errors_[0].field, c.field) << Fields(errors_);
    EXPECT_FALSE(errors_[0].reason.empty());
  }
}

TEST_F(ResolveTest, BoundariesThatAreAccepted) {
  struct Case {
    const char* name;
    void (*edit)(ReportInput&);
  };
  const Case cases[] = {
      {"a few minutes ahead of the clock",
       [](ReportInput& i) { i.occurred_from = "2026-11-25T12:30:00+01:00"; }},
      {"exactly 2000-01-01", [](ReportInput& i) { i.occurred_from = "2000-01-01T00:00:00Z"; }},
      {"31 days exactly",
       [](ReportInput& i) {
         i.occurred_from = "2026-10-20T00:00:00Z";
         i.occurred_to = "2026-11-20T00:00:00Z";
       }},
      {"to equal to from", [](ReportInput& i) { i.occurred_to = i.occurred_from; }},
      {"severity 1", [](ReportInput& i) { i.severity = 1; }},
      {"severity 3", [](ReportInput& i) { i.severity = 3; }},
      {"count 10000", [](ReportInput& i) { i.count = 10000; }},
      {"certainty observerad", [](ReportInput& i) { i.certainty = "observerad"; }},
      {"4000 characters", [](ReportInput& i) { i.description = std::string(4000, 'a'); }},
      {"4000 characters of å (8000 bytes)",
       [](ReportInput& i) {
         i.description.clear();
         for (int k = 0; k < 4000; ++k) i.description += "å";
       }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ReportInput in = Valid();
    c.edit(in);
    EXPECT_TRUE(Resolve(in)) << Fields(errors_);
  }
}

TEST_F(ResolveTest, SwappedLonLatIsExplained) {
  ReportInput in = Valid();
  std::swap(*in.lon, *in.lat);
  EXPECT_FALSE(Resolve(in));
  ASSERT_EQ(errors_.size(), 1u) << Fields(errors_);
  EXPECT_EQ(errors_[0].field, "location");
  EXPECT_NE(errors_[0].reason.find("bytt plats"), std::string::npos) << errors_[0].reason;
}

TEST_F(ResolveTest, CategoryAndOrgByCodeOrSwedishNameIgnoringCaseAndDiacritics) {
  struct Case {
    const char* category;
    CategoryId want;
  };
  const Case cats[] = {
      {"storande_samling", testing::kStorande},     {"Störande samling", testing::kStorande},
      {"STÖRANDE SAMLING", testing::kStorande},     {"storande samling", testing::kStorande},
      {"Disturbing gathering", testing::kStorande}, {"  Skadegörelse ", testing::kSkadegorelse},
      {"skadegorelse", testing::kSkadegorelse},     {"Anlagd Brand", testing::kBrand},
  };
  for (const Case& c : cats) {
    SCOPED_TRACE(c.category);
    ReportInput in = Valid();
    in.category = c.category;
    auto r = Resolve(in);
    ASSERT_TRUE(r) << Fields(errors_);
    EXPECT_EQ(r->report.category, c.want);
  }
  ReportInput in = Valid();
  in.category = "anlagd_brand";
  in.severity.reset();
  EXPECT_EQ(Resolve(in)->report.severity, 3) << "default severity of the found category";

  for (const char* org : {"rtj", "RTJ", "Räddningstjänsten Attunda", "raddningstjansten attunda",
                          "RÄDDNINGSTJÄNSTEN ATTUNDA"}) {
    SCOPED_TRACE(org);
    ReportInput o = Valid();
    o.org = org;
    auto r = Resolve(o);
    ASSERT_TRUE(r) << Fields(errors_);
    EXPECT_EQ(r->report.org, testing::kRaddning);
  }
}

TEST_F(ResolveTest, AllProblemsAreReportedWithThePrefix) {
  ReportInput in = Valid();
  in.occurred_from = "";
  in.category = "okänd";
  in.severity = 9;
  in.count = -1;
  EXPECT_FALSE(Resolve(in, "rad 7: "));
  EXPECT_EQ(errors_.size(), 4u) << Fields(errors_);
  for (const char* f :
       {"rad 7: occurred_from", "rad 7: category", "rad 7: severity", "rad 7: count"}) {
    EXPECT_TRUE(HasError(f)) << f << "\n" << Fields(errors_);
  }
}

TEST_F(ResolveTest, ErrorsAreAppendedNotReplaced) {
  errors_.push_back({"earlier", "x"});
  ReportInput in = Valid();
  in.count = 0;
  EXPECT_FALSE(ResolveReport(in, catalog_, kNow, errors_));
  ASSERT_EQ(errors_.size(), 2u);
  EXPECT_EQ(errors_[0].field, "earlier");
  // And a valid report with earlier errors present still resolves.
  EXPECT_TRUE(ResolveReport(Valid(), catalog_, kNow, errors_));
}

TEST_F(ResolveTest, DescriptionIsScrubbedAndTheKindsReported) {
  ReportInput in = Valid();
  in.description = "Pojken 811218-9876 ringde från 070-123 45 67, bil ABC 123.";
  auto r = Resolve(in);
  ASSERT_TRUE(r) << Fields(errors_);
  EXPECT_EQ(r->report.description.find("9876"), std::string::npos) << r->report.description;
  EXPECT_EQ(r->report.description.find("45 67"), std::string::npos);
  EXPECT_EQ(r->report.description.find("ABC 123"), std::string::npos);
  EXPECT_EQ(r->scrubbed,
            (std::vector<std::string>{"personnummer", "telefonnummer", "registreringsnummer"}));

  in.description = "Klotter kl 21.30, 3 personer.";
  r = Resolve(in);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->report.description, "Klotter kl 21.30, 3 personer.");
  EXPECT_TRUE(r->scrubbed.empty());
}

TEST(FoldKey, FoldsCaseDiacriticsAndTrims) {
  EXPECT_EQ(FoldKey("  Skadegörelse "), "skadegorelse");
  EXPECT_EQ(FoldKey("ÅÄÖ åäö É é"), "aao aao e e");
  EXPECT_EQ(FoldKey("Räddningstjänsten"), "raddningstjansten");
}

}  // namespace
}  // namespace est::ingest
