// Address files (address_file.h).
#include "ingest/address_file.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <set>
#include <tuple>

#include "core/enum_text.h"
#include "core/text.h"
#include "geo/crs.h"
#include "ingest/table_csv.h"

namespace est::ingest {
namespace {

constexpr size_t kMaxErrors = 30;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// The first column any alias names; a Shapefile's DBF keeps 10 characters of a name, so a
// longer alias is also tried cut to 10.
int FindColumn(const CsvTable& t, std::initializer_list<const char*> aliases) {
  for (const char* a : aliases) {
    if (int c = t.Column(a); c >= 0) return c;
  }
  for (const char* a : aliases) {
    std::string_view s(a);
    if (s.size() > 10) {
      if (int c = t.Column(s.substr(0, 10)); c >= 0) return c;
    }
  }
  return -1;
}

std::optional<double> ParseNumber(std::string_view s) {
  std::string t(Trim(s));
  for (char& c : t) {
    if (c == ',') c = '.';
  }
  double v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || p != t.data() + t.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

}  // namespace

Result<AddressFile> ReadAddressCsv(std::string_view text, const AddressReadOptions& options) {
  auto table = ReadCsvTable(text);
  if (!table) return tl::unexpected(table.error());
  const CsvTable& t = *table;
  const int street = FindColumn(t, {"street", "gata", "gatunamn", "adressomrade", "addr:street",
                                    "addr_street", "gatuadress_namn"});
  const int number = FindColumn(t, {"number", "nummer", "husnummer", "adressplatsnummer",
                                    "addr:housenumber", "addr_housenumber", "housenumber"});
  const int letter = FindColumn(t, {"letter", "bokstav", "bokstavstillagg"});
  const int whole = FindColumn(t, {"address", "adress", "gatuadress"});
  const int postcode = FindColumn(t, {"postcode", "postnummer", "addr:postcode", "addr_postcode"});
  const int locality =
      FindColumn(t, {"locality", "ort", "postort", "addr:city", "addr_city", "city"});
  const int lon = FindColumn(t, {"lon", "lng", "longitude"});
  const int lat = FindColumn(t, {"lat", "latitude"});
  const int e = FindColumn(t, {"e", "easting", "ost"});
  const int n = FindColumn(t, {"n", "northing", "nord"});
  const int x = FindColumn(t, {"x"});
  const int y = FindColumn(t, {"y"});

  if (street < 0 && whole < 0) {
    return InvalidField("street",
                        "kolumn för gatunamn saknas: ange street (eller gata, gatunamn, "
                        "adressomrade, addr:street) eller address med hela adressen");
  }
  int cx = -1, cy = -1, epsg = geo::kEpsgSweref99Tm;
  if (lon >= 0 && lat >= 0) {
    cx = lon, cy = lat, epsg = geo::kEpsgWgs84;
  } else if (e >= 0 && n >= 0) {
    cx = e, cy = n;
  } else if (x >= 0 && y >= 0) {
    cx = x, cy = y, epsg = options.epsg.value_or(geo::kEpsgSweref99Tm);
  } else {
    return InvalidField("lon", "kolumner för läget saknas: ange lon och lat (WGS 84), e och n "
                               "(SWEREF 99 TM) eller x och y med --crs");
  }
  if (options.epsg && cx == x) epsg = *options.epsg;
  if (auto s = geo::CheckEpsg(epsg); !s) return tl::unexpected(s.error());
  if (t.rows.empty()) return InvalidField("fil", "filen innehåller inga adresser");
  if (t.rows.size() > kMaxAddresses) {
    return InvalidField("fil", "högst " + std::to_string(kMaxAddresses) +
                                   " adresser per import; filen har " +
                                   std::to_string(t.rows.size()));
  }

  AddressFile out;
  out.rows = static_cast<int64_t>(t.rows.size());
  out.addresses.reserve(t.rows.size());
  std::vector<FieldError> errors;
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  auto field = [](const CsvTable::Row& r, int c) -> std::string {
    return c >= 0 && static_cast<size_t>(c) < r.fields.size() ? std::string(Trim(r.fields[c]))
                                                               : std::string();
  };
  for (const CsvTable::Row& r : t.rows) {
    if (errors.size() >= kMaxErrors) break;
    const std::string where = options.row_word + " " + std::to_string(r.line - options.row_offset);
    auto fail = [&](const std::string& col, const std::string& why) {
      errors.push_back({where + ", kolumn " + col, why});
    };
    Address a;
    if (street >= 0) {
      a.street = field(r, street);
      a.number = field(r, number);
      if (const std::string l = field(r, letter); !l.empty()) a.number += l;
    }
    if (a.street.empty() && whole >= 0) {
      // "Malmvägen 3" / "Malmvägen 12 B": the number is the first token that starts with a digit.
      const std::string w = field(r, whole);
      size_t cut = std::string::npos;
      for (size_t i = 1; i < w.size(); ++i) {
        if (w[i - 1] == ' ' && std::isdigit(static_cast<unsigned char>(w[i]))) {
          cut = i;
          break;
        }
      }
      a.street = std::string(Trim(std::string_view(w).substr(0, cut == std::string::npos ? w.size() : cut)));
      if (cut != std::string::npos) {
        a.number = std::string(Trim(std::string_view(w).substr(cut)));
        std::erase(a.number, ' ');
      }
    }
    if (a.street.empty()) {
      fail(street >= 0 ? t.header[street] : t.header[whole], "gatunamnet saknas");
      continue;
    }
    if (Utf8Length(a.street) > 100 || Utf8Length(a.number) > 20) {
      fail(street >= 0 ? t.header[street] : t.header[whole],
           "gatunamn högst 100 tecken, nummer högst 20");
      continue;
    }
    a.postcode = field(r, postcode);
    a.locality = field(r, locality);
    if (Utf8Length(a.postcode) > 20 || Utf8Length(a.locality) > 100) {
      fail(locality >= 0 ? t.header[locality] : "postcode", "postnummer eller ort för långt");
      continue;
    }
    const auto vx = ParseNumber(field(r, cx));
    const auto vy = ParseNumber(field(r, cy));
    if (!vx || !vy) {
      fail(!vx ? t.header[cx] : t.header[cy], "saknas eller är inte ett tal");
      continue;
    }
    auto p = geo::ToSweref(epsg, *vx, *vy);
    if (!p) {
      fail(t.header[cx], "läget kan inte räknas om till SWEREF 99 TM");
      continue;
    }
    // Sweden and its neighbours in SWEREF 99 TM: a swapped x/y or a wrong CRS lands far off.
    if (p->e < -1'200'000 || p->e > 1'900'000 || p->n < 5'800'000 || p->n > 8'000'000) {
      fail(t.header[cx], "läget ligger utanför Sverige – är x/y förväxlade eller fel --crs?");
      continue;
    }
    a.e = p->e;
    a.n = p->n;
    if (!seen.emplace(FoldText(a.street), FoldText(a.number), FoldText(a.locality)).second) {
      ++out.duplicates;
      continue;
    }
    out.addresses.push_back(std::move(a));
  }
  if (!errors.empty()) {
    Error err;
    err.code = ErrorCode::kInvalidArgument;
    err.detail = "Adressfilen importerades inte: " + std::to_string(errors.size()) +
                 (errors.size() >= kMaxErrors ? " eller fler" : "") + " fel";
    err.fields = std::move(errors);
    return tl::unexpected(std::move(err));
  }
  return out;
}

}  // namespace est::ingest
