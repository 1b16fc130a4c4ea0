// What input is resolved against: the reference data that ResolveReport and the CSV importers
// look codes, names, places and areas up in, and the names the personal-data scrubber keeps. The
// app module's catalog snapshot (app/catalog.h) is the one implementation; ingest sees only this
// interface, so the catalog lives with the use cases that build and swap it.
//
// Thread safety: implementations are immutable once built and safe to read from any thread.
#ifndef EST_INGEST_REFERENCE_H_
#define EST_INGEST_REFERENCE_H_

#include <string>
#include <string_view>

#include "core/model.h"
#include "geo/area_index.h"
#include "ingest/scrub.h"

namespace est::ingest {

// Trims and lower-cases, folding å/ä/ö/é, so that " Skadegörelse" matches "skadegorelse": the key
// every look-up by code or name uses.
std::string FoldKey(std::string_view s);

class ReferenceData {
 public:
  virtual ~ReferenceData() = default;

  // By code or name (FoldKey); nullptr when unknown.
  virtual const Organisation* FindOrg(std::string_view code_or_name) const = 0;
  virtual const Category* FindCategory(std::string_view code_or_name) const = 0;
  virtual const Place* FindPlace(std::string_view name) const = 0;
  virtual const Area* FindArea(std::string_view code) const = 0;
  // The index that assigns a point to its deepest area.
  virtual const geo::AreaIndex& index() const = 0;
  // The words of every organisation, place and area name, which the personal-data scrubber must
  // not take for names of persons ("Sjöberg", "Tureberg").
  virtual const ScrubExclusions& scrub_exclusions() const = 0;
};

}  // namespace est::ingest

#endif  // EST_INGEST_REFERENCE_H_
