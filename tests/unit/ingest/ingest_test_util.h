// A small catalog for the ingest tests: organisations and categories with Swedish names, one
// place, and three nested square areas around Sollentuna in SWEREF 99 TM.
//
//   kommun (level 0, id 1): E 660 000–670 000, N 6 585 000–6 595 000
//   sollentuna (level 1, id 2): E 665 000–667 000, N 6 590 000–6 592 000
//   tureberg (level 2, id 3): E 665 500–666 000, N 6 590 500–6 591 000
#ifndef EST_TESTS_UNIT_INGEST_INGEST_TEST_UTIL_H_
#define EST_TESTS_UNIT_INGEST_INGEST_TEST_UTIL_H_

#include <memory>
#include <vector>

#include "core/model.h"
#include "geo/area_index.h"
#include "app/catalog.h"

namespace est::ingest::testing {

inline geo::MultiPolygon Square(double min_e, double min_n, double max_e, double max_n) {
  geo::Ring r;
  r.pts = {{min_e, min_n}, {max_e, min_n}, {max_e, max_n}, {min_e, max_n}, {min_e, min_n}};
  return geo::MultiPolygon{{geo::Polygon{r, {}}}};
}

inline constexpr AreaId kKommun{1};
inline constexpr AreaId kSollentuna{2};
inline constexpr AreaId kTureberg{3};
inline constexpr OrgId kHem{10};
inline constexpr OrgId kSkola{11};
inline constexpr OrgId kRaddning{12};
inline constexpr CategoryId kSkadegorelse{20};
inline constexpr CategoryId kStorande{21};
inline constexpr CategoryId kBrand{22};
inline constexpr CategoryId kGammal{23};
inline constexpr PlaceId kCentrum{30};

inline app::Catalog MakeTestCatalog() {
  std::vector<Organisation> orgs(3);
  orgs[0].id = kHem;
  orgs[0].code = "hem";
  orgs[0].name = "Sollentunahem AB";
  orgs[1].id = kSkola;
  orgs[1].code = "skola";
  orgs[1].name = "Utbildningsnämnden";
  orgs[2].id = kRaddning;
  orgs[2].code = "rtj";
  orgs[2].name = "Räddningstjänsten Attunda";

  std::vector<Category> cats(4);
  cats[0].id = kSkadegorelse;
  cats[0].code = "skadegorelse";
  cats[0].name_sv = "Skadegörelse";
  cats[0].name_en = "Vandalism";
  cats[0].default_severity = 2;
  cats[1].id = kStorande;
  cats[1].code = "storande_samling";
  cats[1].name_sv = "Störande samling";
  cats[1].name_en = "Disturbing gathering";
  cats[1].dimension = Dimension::kTrygghet;
  cats[1].default_severity = 1;
  cats[2].id = kBrand;
  cats[2].code = "anlagd_brand";
  cats[2].name_sv = "Anlagd brand";
  cats[2].name_en = "Arson";
  cats[2].default_severity = 3;
  cats[3].id = kGammal;
  cats[3].code = "gammal";
  cats[3].name_sv = "Gammal kategori";
  cats[3].name_en = "Old";
  cats[3].active = false;

  std::vector<Place> places(1);
  places[0].id = kCentrum;
  places[0].name = "Sollentuna centrum";
  places[0].kind = "centrum";
  places[0].e = 665800;
  places[0].n = 6590800;
  places[0].area = kTureberg;

  std::vector<Area> areas(3);
  areas[0].id = kKommun;
  areas[0].code = "0163";
  areas[0].name = "Sollentuna kommun";
  areas[0].level = 0;
  areas[1].id = kSollentuna;
  areas[1].code = "sollentuna";
  areas[1].name = "Sollentuna";
  areas[1].parent = kKommun;
  areas[1].level = 1;
  areas[2].id = kTureberg;
  areas[2].code = "tureberg";
  areas[2].name = "Tureberg";
  areas[2].parent = kSollentuna;
  areas[2].level = 2;

  std::vector<geo::AreaIndex::Entry> entries = {
      {kKommun.value, 0, Square(660000, 6585000, 670000, 6595000)},
      {kSollentuna.value, 1, Square(665000, 6590000, 667000, 6592000)},
      {kTureberg.value, 2, Square(665500, 6590500, 666000, 6591000)},
  };
  auto index = std::make_shared<geo::AreaIndex>(geo::AreaIndex::Build(std::move(entries)));
  return app::Catalog(std::move(orgs), std::move(cats), std::move(places), std::move(areas), index);
}

}  // namespace est::ingest::testing

#endif  // EST_TESTS_UNIT_INGEST_INGEST_TEST_UTIL_H_
