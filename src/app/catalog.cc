// Catalog lookups.
#include "app/catalog.h"

namespace est::app {

using ingest::FoldKey;

Catalog::Catalog(std::vector<Organisation> orgs, std::vector<Category> categories,
                 std::vector<Place> places, std::vector<Area> areas,
                 std::shared_ptr<const geo::AreaIndex> index)
    : orgs_(std::move(orgs)),
      categories_(std::move(categories)),
      places_(std::move(places)),
      areas_(std::move(areas)),
      index_(std::move(index)) {
  // Names are registered first so that an exact code always wins over another entry's name.
  for (size_t i = 0; i < orgs_.size(); ++i) org_keys_[FoldKey(orgs_[i].name)] = i;
  for (size_t i = 0; i < orgs_.size(); ++i) {
    org_keys_[FoldKey(orgs_[i].code)] = i;
    org_ids_[orgs_[i].id.value] = i;
  }
  for (size_t i = 0; i < categories_.size(); ++i) {
    category_keys_[FoldKey(categories_[i].name_sv)] = i;
    category_keys_[FoldKey(categories_[i].name_en)] = i;
  }
  for (size_t i = 0; i < categories_.size(); ++i) {
    category_keys_[FoldKey(categories_[i].code)] = i;
    category_ids_[categories_[i].id.value] = i;
  }
  for (size_t i = 0; i < places_.size(); ++i) place_keys_[FoldKey(places_[i].name)] = i;
  for (size_t i = 0; i < areas_.size(); ++i) {
    area_keys_[FoldKey(areas_[i].code)] = i;
    area_ids_[areas_[i].id.value] = i;
  }
  if (!index_) index_ = std::make_shared<geo::AreaIndex>(geo::AreaIndex::Build({}));
  std::vector<std::string> names;
  for (const Organisation& o : orgs_) names.push_back(o.name);
  for (const Place& p : places_) names.push_back(p.name);
  for (const Area& a : areas_) {
    names.push_back(a.name);
    names.push_back(a.code);
  }
  scrub_exclusions_ = ingest::ScrubExclusions(names);
}

namespace {
template <class T>
const T* Lookup(const std::unordered_map<std::string, size_t>& keys, const std::vector<T>& v,
                std::string_view k) {
  auto it = keys.find(FoldKey(k));
  return it == keys.end() ? nullptr : &v[it->second];
}
template <class T>
const T* ById(const std::unordered_map<int64_t, size_t>& ids, const std::vector<T>& v, int64_t id) {
  auto it = ids.find(id);
  return it == ids.end() ? nullptr : &v[it->second];
}
}  // namespace

const Organisation* Catalog::FindOrg(std::string_view k) const {
  return Lookup(org_keys_, orgs_, k);
}
const Category* Catalog::FindCategory(std::string_view k) const {
  return Lookup(category_keys_, categories_, k);
}
const Place* Catalog::FindPlace(std::string_view k) const {
  return Lookup(place_keys_, places_, k);
}
const Area* Catalog::FindArea(std::string_view k) const { return Lookup(area_keys_, areas_, k); }
const Organisation* Catalog::OrgById(OrgId id) const { return ById(org_ids_, orgs_, id.value); }
const Category* Catalog::CategoryById(CategoryId id) const {
  return ById(category_ids_, categories_, id.value);
}
const Area* Catalog::AreaById(AreaId id) const { return ById(area_ids_, areas_, id.value); }

}  // namespace est::app
