// Addresses (addresses.h).
#include "app/addresses.h"

#include <algorithm>

#include "app/address_index.h"
#include "app/system_access.h"
#include "geo/crs.h"

namespace est::app {
namespace {

AddressMatch MatchOf(const System& sys, const AddressHit& h) {
  AddressMatch m;
  const Address& a = *h.address;
  m.label = h.label;
  m.street = a.street;
  m.number = h.street_only ? "" : a.number;
  m.postcode = h.street_only ? "" : a.postcode;
  m.locality = a.locality;
  m.street_only = h.street_only;
  const geo::Wgs84Point p = geo::ToWgs84({a.e, a.n});
  m.lon = p.lon;
  m.lat = p.lat;
  const auto cat = sys.catalog();
  if (auto id = cat->index().Locate({a.e, a.n})) {
    if (const Area* area = cat->AreaById(AreaId{*id})) m.area_code = area->code;
  }
  return m;
}

}  // namespace

Result<AddressImportResult> ImportAddresses(System& sys, std::string_view csv,
                                            const ingest::AddressReadOptions& options,
                                            const store::Actor& actor) {
  auto file = ingest::ReadAddressCsv(csv, options);
  if (!file) return tl::unexpected(file.error());
  AddressImportResult out;
  out.rows = file->rows;
  out.duplicates = file->duplicates;
  internal::WriteLock lock(sys);
  auto n = internal::Access::Writer(sys).ReplaceAddresses(file->addresses, actor);
  if (!n) return tl::unexpected(n.error());
  out.imported = *n;
  if (auto s = internal::Access::RefreshAddresses(sys); !s) return tl::unexpected(s.error());
  return out;
}

std::vector<AddressMatch> SearchAddresses(const System& sys, std::string_view query,
                                          size_t limit) {
  const auto index = sys.addresses();
  std::vector<AddressMatch> out;
  for (const AddressHit& h : index->Search(query, std::clamp<size_t>(limit, 1, 50))) {
    out.push_back(MatchOf(sys, h));
  }
  return out;
}

Result<AddressMatch> ResolveAddress(const System& sys, std::string_view text,
                                    const std::string& field) {
  const auto index = sys.addresses();
  if (index->size() == 0) {
    return InvalidField(field, "kommunens adresser är inte inlästa (est import addresses); "
                               "ange lat och long");
  }
  const auto hits = index->Resolve(text);
  if (hits.empty()) {
    return InvalidField(field, "adressen \"" + std::string(text) +
                                   "\" finns inte i kommunens adressregister; ange gata och "
                                   "nummer (\"Malmvägen 3\") eller lat och long");
  }
  if (hits.size() > 1) {
    std::string where;
    for (size_t i = 0; i < hits.size() && i < 5; ++i) {
      where += (i ? "; " : "") + hits[i].label;
    }
    return InvalidField(field, "adressen finns på flera orter (" + where +
                                   "); lägg till orten efter ett kommatecken");
  }
  return MatchOf(sys, hits.front());
}

size_t AddressCount(const System& sys) { return sys.addresses()->size(); }

}  // namespace est::app
