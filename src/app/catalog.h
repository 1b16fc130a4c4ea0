// Katalog: an immutable snapshot of the reference data — organisations and categories by code or
// name, named places, areas by code, and the spatial index that assigns a point to its deepest
// area. System (app/system.h) builds it from the store and swaps in a new one after every change
// of the configuration; input is resolved against it through ingest::ReferenceData.
//
// Thread-safe once built (read-only).
#ifndef EST_APP_CATALOG_H_
#define EST_APP_CATALOG_H_

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/model.h"
#include "geo/area_index.h"
#include "ingest/reference.h"
#include "ingest/scrub.h"

namespace est::app {

class Catalog final : public ingest::ReferenceData {
 public:
  Catalog(std::vector<Organisation> orgs, std::vector<Category> categories,
          std::vector<Place> places, std::vector<Area> areas,
          std::shared_ptr<const geo::AreaIndex> index);

  const std::vector<Organisation>& orgs() const { return orgs_; }
  const std::vector<Category>& categories() const { return categories_; }
  const std::vector<Place>& places() const { return places_; }
  const std::vector<Area>& areas() const { return areas_; }
  const geo::AreaIndex& index() const override { return *index_; }
  std::shared_ptr<const geo::AreaIndex> index_ptr() const { return index_; }
  // The words of every organisation, place and area name, which the personal-data scrubber must
  // not take for names of persons ("Sjöberg", "Tureberg").
  const ingest::ScrubExclusions& scrub_exclusions() const override { return scrub_exclusions_; }

  // By code or name, case- and diacritic-insensitive; nullptr when unknown.
  const Organisation* FindOrg(std::string_view code_or_name) const override;
  const Category* FindCategory(std::string_view code_or_name) const override;
  const Place* FindPlace(std::string_view name) const override;
  const Area* FindArea(std::string_view code) const override;
  const Organisation* OrgById(OrgId id) const;
  const Category* CategoryById(CategoryId id) const;
  const Area* AreaById(AreaId id) const;

 private:
  std::vector<Organisation> orgs_;
  std::vector<Category> categories_;
  std::vector<Place> places_;
  std::vector<Area> areas_;
  std::shared_ptr<const geo::AreaIndex> index_;
  ingest::ScrubExclusions scrub_exclusions_;
  std::unordered_map<std::string, size_t> org_keys_, category_keys_, place_keys_, area_keys_;
  std::unordered_map<int64_t, size_t> org_ids_, category_ids_, area_ids_;
};

}  // namespace est::app

#endif  // EST_APP_CATALOG_H_
