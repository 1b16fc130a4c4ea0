// Priority ranking: a constructed three-area example with hand-computed scores, ranks and
// reasons, the fallback to counts without population, weights, ties and validation.
#include "analysis/priority.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace est::analysis {
namespace {

// centrum: 62 weighted reports / 5 000 inh. = 12,4 per 1 000; significant increase 12 → 30;
//          3 hotspot cells; not on the police list; survey 1,5; 64 % in the top places; 5 orgs;
//          2 open actions.
// norr:    50 / 10 000 = 5,0; no significant change; 1 hotspot cell; särskilt utsatt; survey
//          2,0; 30 %; 2 orgs; 0 open actions.
// syd:     16 / 4 000 = 4,0; significant decrease 25 → 10; utsatt; no survey; 50 %; 4 orgs;
//          open actions unknown.
std::vector<AreaPriorityInput> ThreeAreas() {
  std::vector<AreaPriorityInput> a(3);
  a[0].code = "c";
  a[0].name = "Centrum";
  a[0].population = 5000;
  a[0].severity_weighted = 62;
  a[0].count = 30;
  a[0].previous = 12;
  a[0].trend = 1;
  a[0].trend_z = 3.4;
  a[0].hotspot_cells = 3;
  a[0].survey_unsafe = 1.5;
  a[0].top10_share = 0.64;
  a[0].reporting_orgs = 5;
  a[0].open_actions = 2;

  a[1].code = "n";
  a[1].name = "Norr";
  a[1].population = 10000;
  a[1].severity_weighted = 50;
  a[1].count = 20;
  a[1].previous = 22;
  a[1].trend_z = -0.4;
  a[1].hotspot_cells = 1;
  a[1].vulnerable = 2;
  a[1].survey_unsafe = 2.0;
  a[1].top10_share = 0.30;
  a[1].reporting_orgs = 2;
  a[1].open_actions = 0;

  a[2].code = "s";
  a[2].name = "Syd";
  a[2].population = 4000;
  a[2].severity_weighted = 16;
  a[2].count = 10;
  a[2].previous = 25;
  a[2].trend = -1;
  a[2].trend_z = -3.675;
  a[2].vulnerable = 1;
  a[2].top10_share = 0.5;
  a[2].reporting_orgs = 4;
  return a;
}

// Default weights: need 0.35 severity, 0.20 trend, 0.20 hotspots, 0.15 vulnerable, 0.10 survey;
// influence 0.50 concentration, 0.30 organisations, 0.20 actions.
//   need(centrum) = 0.35·1 + 0.20·1 + 0.20·1 + 0.15·0 + 0.10·(1.5/2)          = 0.825
//   need(norr)    = 0.35·(5/12.4) + 0 + 0.20·(1/3) + 0.15·1 + 0.10·1          = 0.4577956...
//   need(syd)     = [0.35·(4/12.4) + 0.15·0.5] / 0.90   (no survey: unknown)   = 0.2087814...
//   influence(centrum) = 0.50·0.64 + 0.30·1 + 0.20·1                           = 0.82
//   influence(norr)    = 0.50·0.30 + 0.30·0.4 + 0.20·0                         = 0.27
//   influence(syd)     = [0.50·0.5 + 0.30·0.8] / 0.80  (actions unknown)       = 0.6125
TEST(Priority, ThreeAreasScoresRanksAndReasons) {
  const Result<std::vector<AreaPriority>> r = RankAreas(ThreeAreas());
  ASSERT_TRUE(r.has_value()) << r.error().detail;
  ASSERT_EQ(r->size(), 3u);
  const AreaPriority& c = (*r)[0];
  const AreaPriority& n = (*r)[1];
  const AreaPriority& s = (*r)[2];
  EXPECT_EQ(c.code, "c");
  EXPECT_EQ(c.name, "Centrum");
  EXPECT_EQ(n.code, "n");
  EXPECT_EQ(s.code, "s");

  EXPECT_NEAR(c.need, 0.825, 1e-12);
  EXPECT_NEAR(n.need, 0.35 * 5 / 12.4 + 0.2 / 3 + 0.25, 1e-12);
  EXPECT_NEAR(s.need, (0.35 * 4 / 12.4 + 0.075) / 0.9, 1e-12);
  EXPECT_NEAR(c.influence, 0.82, 1e-12);
  EXPECT_NEAR(n.influence, 0.27, 1e-12);
  EXPECT_NEAR(s.influence, 0.6125, 1e-12);

  EXPECT_EQ(c.need_rank, 1);
  EXPECT_EQ(n.need_rank, 2);
  EXPECT_EQ(s.need_rank, 3);
  EXPECT_EQ(c.influence_rank, 1);
  EXPECT_EQ(s.influence_rank, 2);
  EXPECT_EQ(n.influence_rank, 3);

  EXPECT_EQ(c.reasons, (std::vector<std::string>{
                           "Flest allvarlighetsviktade rapporter per 1 000 invånare (12,4)",
                           "Signifikant ökning mot förra perioden: 12 → 30 rapporter (exakt test; "
                           "storleksmått z = 3,4)",
                           "3 ihållande eller intensifierade hotspotceller",
                           "Otrygghet i trygghetsmätningen: index 1,5 (högst bland områdena: 2,0)",
                           "Koncentrerat: 64 % av rapporterna på de 10 % mest drabbade platserna",
                           "5 aktiva rapporterande organisationer",
                           "2 pågående åtgärder att bygga vidare på",
                       }));
  EXPECT_EQ(n.reasons,
            (std::vector<std::string>{
                "Polisens lista: särskilt utsatt område",
                "Allvarlighetsviktade rapporter per 1 000 invånare: 5,0 (högst bland områdena: "
                "12,4)",
                "Högst otrygghet i trygghetsmätningen (index 2,0)",
                "1 ihållande eller intensifierad hotspotcell",
                "Koncentrerat: 30 % av rapporterna på de 10 % mest drabbade platserna",
                "2 aktiva rapporterande organisationer",
            }));
  EXPECT_EQ(s.reasons,
            (std::vector<std::string>{
                "Allvarlighetsviktade rapporter per 1 000 invånare: 4,0 (högst bland områdena: "
                "12,4)",
                "Polisens lista: utsatt område",
                "Signifikant minskning mot förra perioden: 25 → 10 rapporter (exakt test; "
                "storleksmått z = −3,7)",
                "Koncentrerat: 50 % av rapporterna på de 10 % mest drabbade platserna",
                "4 aktiva rapporterande organisationer",
            }));
}

// Without a population for every area the severity component is the weighted count for all.
TEST(Priority, CountsWhenAPopulationIsMissing) {
  std::vector<AreaPriorityInput> a = ThreeAreas();
  a[1].population.reset();
  const Result<std::vector<AreaPriority>> r = RankAreas(a);
  ASSERT_TRUE(r.has_value());
  const AreaPriority& c = (*r)[0];
  ASSERT_EQ(c.code, "c");
  EXPECT_EQ(c.reasons[0], "Flest allvarlighetsviktade rapporter (62,0)");
  const AreaPriority& n = (*r)[1];
  ASSERT_EQ(n.code, "n");
  // norr: 50/62 of the maximum; 0.35·50/62 + 0.2/3 + 0.15 + 0.10.
  EXPECT_NEAR(n.need, 0.35 * 50 / 62 + 0.2 / 3 + 0.25, 1e-12);
  // As a count norr's severity (0.35·50/62 = 0.28) now outweighs the police list (0.15).
  EXPECT_EQ(n.reasons[0], "Allvarlighetsviktade rapporter: 50,0 (högst bland områdena: 62,0)");
}

// The weights mean what they say: with all need weight on the police list, särskilt utsatt norr
// comes first, then utsatt syd; the zero-weight components give no reasons.
TEST(Priority, WeightsDecide) {
  PriorityWeights w;
  w.severity_rate = w.trend = w.hotspots = w.survey = 0;
  w.vulnerable = 1;
  const Result<std::vector<AreaPriority>> r = RankAreas(ThreeAreas(), w);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ((*r)[0].code, "n");
  EXPECT_DOUBLE_EQ((*r)[0].need, 1.0);
  EXPECT_EQ((*r)[1].code, "s");
  EXPECT_DOUBLE_EQ((*r)[1].need, 0.5);
  EXPECT_EQ((*r)[2].code, "c");
  EXPECT_DOUBLE_EQ((*r)[2].need, 0.0);
  EXPECT_EQ((*r)[0].reasons.front(), "Polisens lista: särskilt utsatt område");
  // centrum: no need reasons, only influence ones.
  EXPECT_EQ((*r)[2].reasons.front(),
            "Koncentrerat: 64 % av rapporterna på de 10 % mest drabbade platserna");
}

TEST(Priority, TiesBrokenByCodeAndEmptyInput) {
  std::vector<AreaPriorityInput> a(2);
  a[0].code = "b";
  a[1].code = "a";
  const Result<std::vector<AreaPriority>> r = RankAreas(a);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ((*r)[0].code, "a");
  EXPECT_EQ((*r)[0].need_rank, 1);
  EXPECT_EQ((*r)[0].influence_rank, 1);
  EXPECT_EQ((*r)[1].code, "b");
  EXPECT_DOUBLE_EQ((*r)[1].need, 0.0);
  EXPECT_TRUE((*r)[1].reasons.empty());
  const Result<std::vector<AreaPriority>> none = RankAreas({});
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
}

TEST(Priority, InvalidInput) {
  struct Case {
    void (*mutate)(std::vector<AreaPriorityInput>&, PriorityWeights&);
    std::string field;
  };
  const Case cases[] = {
      {[](auto& a, auto&) { a[1].vulnerable = 3; }, "areas[1].vulnerable"},
      {[](auto& a, auto&) { a[2].trend = 2; }, "areas[2].trend"},
      {[](auto& a, auto&) { a[0].top10_share = 1.5; }, "areas[0].top10_share"},
      {[](auto& a, auto&) { a[0].population = -1; }, "areas[0].population"},
      {[](auto& a, auto&) { a[0].open_actions = -1; }, "areas[0].open_actions"},
      {[](auto&, auto& w) { w.trend = -0.1; }, "weights.trend"},
      {[](auto&, auto& w) { w.concentration = w.reporting_orgs = w.open_actions = 0; }, "weights"},
  };
  for (const Case& c : cases) {
    std::vector<AreaPriorityInput> a = ThreeAreas();
    PriorityWeights w;
    c.mutate(a, w);
    const Result<std::vector<AreaPriority>> r = RankAreas(a, w);
    ASSERT_FALSE(r.has_value()) << c.field;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, c.field);
  }
}

}  // namespace
}  // namespace est::analysis
