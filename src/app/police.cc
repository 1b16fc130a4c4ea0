// The police events import and the type mapping (police.h).
#include "app/police.h"

#include <set>

#include "app/catalog.h"
#include "app/system_access.h"
#include "app/use_case_util.h"
#include "core/time.h"
#include "ingest/fetch.h"
#include "ingest/police_events.h"
#include "ingest/report_input.h"

namespace est::app {

namespace {

// The defaults that ship with EST, from the types of the 2025 and 2026 feeds (REFERENCE.md d1).
// "" = not imported: not a place's safety (fraud, missing persons), the police's own work
// (checks, information), roll-ups of a night, and accidents.
const std::map<std::string, std::string>& DefaultPoliceTypes() {
  static const std::map<std::string, std::string> kMap = {
      {"Skadegörelse", "skadegorelse"},
      {"Mordbrand", "anlagd_brand"},
      {"Narkotikabrott", "narkotika"},
      {"Misshandel", "vald"},
      {"Misshandel, grov", "vald"},
      {"Rån", "vald"},
      {"Rån övrigt", "vald"},
      {"Rån, försök", "vald"},
      {"Rån väpnat", "vald"},
      {"Mord/dråp", "vald"},
      {"Mord/dråp, försök", "vald"},
      {"Skottlossning", "vald"},
      {"Skottlossning, misstänkt", "vald"},
      {"Explosion", "vald"},
      {"Sexualbrott", "vald"},
      {"Våldtäkt", "vald"},
      {"Våldtäkt, försök", "vald"},
      {"Larm Överfall", "vald"},
      {"Våld/hot mot tjänsteman", "hot_anstalld"},
      {"Olaga hot", "ordningsstorning"},
      {"Ofredande/förargelse", "ordningsstorning"},
      {"Bråk", "ordningsstorning"},
      {"Fylleri/LOB", "ordningsstorning"},
      {"Fylleri", "ordningsstorning"},
      {"Knivlagen", "ordningsstorning"},
      {"Vapenlagen", "ordningsstorning"},
      {"Olaga intrång", "ordningsstorning"},
      {"Hemfridsbrott", "ordningsstorning"},
      {"Stöld", "inbrott_stold"},
      {"Stöld, försök", "inbrott_stold"},
      {"Stöld/inbrott", "inbrott_stold"},
      {"Inbrott", "inbrott_stold"},
      {"Inbrott, försök", "inbrott_stold"},
      {"Motorfordon, stöld", "inbrott_stold"},
      {"Motorfordon, anträffat stulet", "inbrott_stold"},
      {"Häleri", "inbrott_stold"},
      {"Olovlig körning", "buskorning"},
      {"Trafikbrott", "buskorning"},
      {"Rattfylleri", "buskorning"},
      {"Brand", ""},  // most fires are not arson; a coordinator may map it
      {"Arbetsplatsolycka", ""},
      {"Bedrägeri", ""},
      {"Djur", ""},
      {"Farligt föremål, misstänkt", ""},
      {"Fjällräddning", ""},
      {"Försvunnen person", ""},
      {"Information", ""},
      {"Kontroll", ""},
      {"Kontroll person/fordon", ""},
      {"Missbruk av urkund", ""},
      {"Räddningsinsats", ""},
      {"Sammanfattning natt", ""},
      {"Sammanfattning kväll och natt", ""},
      {"Sammanfattning kväll", ""},
      {"Skyddslagen", ""},
      {"Trafikkontroll", ""},
      {"Trafikolycka", ""},
      {"Trafikolycka, personskada", ""},
      {"Trafikolycka, singel", ""},
      {"Trafikolycka, smitning från", ""},
      {"Trafikolycka, vilt", ""},
      {"Uppdatering", ""},
      {"Vållande till kroppsskada", ""},
      {"Övrigt", ""},
  };
  return kMap;
}

// type -> category code ("" = not imported), with the coordinator's choices over the defaults.
Result<std::map<std::string, std::pair<std::string, bool>>> Mapping(const System& sys,
                                                                    const Catalog& cat) {
  std::map<std::string, std::pair<std::string, bool>> out;
  for (const auto& [type, code] : DefaultPoliceTypes()) out[type] = {code, true};
  auto stored = internal::StoreOf(sys).ListPoliceTypes();
  if (!stored) return tl::unexpected(stored.error());
  for (const auto& c : *stored) {
    const Category* k = c.category ? cat.CategoryById(*c.category) : nullptr;
    out[c.type] = {k ? k->code : std::string(), false};
  }
  return out;
}

std::string EventUrl(const std::string& url) {
  if (url.empty() || url.rfind("http", 0) == 0) return url;
  return "https://polisen.se" + url;
}

}  // namespace

Result<std::vector<PoliceTypeRow>> ListPoliceTypes(const System& sys) {
  auto cat = sys.catalog();
  auto map = Mapping(sys, *cat);
  if (!map) return tl::unexpected(map.error());
  std::vector<PoliceTypeRow> out;
  for (const auto& [type, v] : *map) out.push_back({type, v.first, v.second});
  return out;
}

Status SetPoliceTypes(System& sys, const std::map<std::string, std::string>& choices,
                      const store::Actor& actor) {
  auto cat = sys.catalog();
  std::vector<store::PoliceTypeChoice> rows;
  std::vector<FieldError> errors;
  for (const auto& [type, category] : choices) {
    std::string t(type);
    if (t.empty() || t.size() > 200) {
      errors.push_back({"type", "måste vara 1–200 tecken"});
      continue;
    }
    store::PoliceTypeChoice c{t, std::nullopt};
    if (!category.empty()) {
      const Category* k = cat->FindCategory(category);
      if (!k) {
        errors.push_back({"type \"" + t + "\".category", "okänd kategori \"" + category + "\""});
        continue;
      }
      c.category = k->id;
    }
    rows.push_back(std::move(c));
  }
  if (!errors.empty()) return Invalid("Ingen ändring gjordes", std::move(errors));
  if (rows.empty()) return Invalid("Ingen ändring gjordes", {{"types", "är tom"}});
  internal::WriteLock lock(sys);
  return internal::Access::Writer(sys).SetPoliceTypes(rows, actor);
}

Result<PoliceImportResult> ImportPoliceEvents(System& sys, std::string_view json_text,
                                              const PoliceImportOptions& options,
                                              const store::Actor& actor) {
  auto parsed = ingest::ParsePoliceEvents(json_text);
  if (!parsed) return tl::unexpected(parsed.error());
  if (!parsed->invalid.empty()) {
    std::vector<FieldError> errors;
    for (const auto& bad : parsed->invalid) errors.push_back(bad.error);
    return Invalid("Polisens händelser har fel; ingenting importerades", std::move(errors));
  }
  auto cat = sys.catalog();
  // The organisation the events are stored under.
  const Organisation* org = nullptr;
  if (!options.org.empty()) {
    org = cat->FindOrg(options.org);
    if (!org) return Invalid("Okänd organisation", {{"org", "okänd: \"" + options.org + "\""}});
  } else {
    for (const Organisation& o : cat->orgs()) {
      if (o.kind != OrgKind::kPolis) continue;
      if (org) {
        return Invalid("Flera polisorganisationer finns: välj en",
                       {{"org", "ange vilken (--org), t.ex. " + org->code + " eller " + o.code}});
      }
      org = &o;
    }
    if (!org) {
      return Invalid("Ingen organisation av slaget polis finns",
                     {{"org", "ange organisationen (--org) eller skapa en med --kind polis"}});
    }
  }
  // By code: the catalog snapshot `org` points into is replaced when categories are created.
  const std::string org_code = org->code;
  auto mapping = Mapping(sys, *cat);
  if (!mapping) return tl::unexpected(mapping.error());
  // Types with no category and no "not imported" choice.
  std::map<std::string, int64_t> unmapped;
  for (const auto& ev : parsed->events) {
    auto it = mapping->find(ev.type);
    if (it == mapping->end()) {
      ++unmapped[ev.type];
    } else if (!it->second.first.empty() && !cat->FindCategory(it->second.first)) {
      ++unmapped[ev.type];  // mapped to a category this database does not have
    }
  }
  PoliceImportResult result;
  if (!unmapped.empty()) {
    if (!options.create_missing) {
      std::vector<FieldError> errors;
      for (const auto& [type, n] : unmapped) {
        errors.push_back({"type \"" + type + "\"",
                          "ingen kategori (" + std::to_string(n) +
                              " händelser): välj en med est police-types set, eller "
                              "--create-missing"});
      }
      return Invalid("Polisens händelser har typer utan kategori; ingenting importerades",
                     std::move(errors));
    }
    std::map<std::string, std::string> choices;
    for (const auto& [type, n] : unmapped) {
      Category c;
      c.name_sv = type;
      c.name_en = type;
      c.group = "polisen";
      c.needs_review = true;
      std::string base = MakeCode("polis " + type);
      c.code = base;
      for (int k = 2; cat->FindCategory(c.code); ++k) c.code = base + "-" + std::to_string(k);
      auto created = sys.CreateCategory(c, actor);
      if (!created) return tl::unexpected(created.error());
      result.created_categories.push_back(created->code);
      choices[type] = created->code;
      cat = sys.catalog();
    }
    if (auto s = SetPoliceTypes(sys, choices, actor); !s) return tl::unexpected(s.error());
    cat = sys.catalog();
    mapping = Mapping(sys, *cat);
    if (!mapping) return tl::unexpected(mapping.error());
  }
  // The database's municipalities: EST areas at level 0 known by code or name.
  std::map<std::string, const Area*> area_of;  // municipality code -> EST area
  std::map<std::string, const Area*> county_area;  // county code -> one of its EST areas
  for (const Area& a : cat->areas()) {
    if (a.level != 0) continue;
    const ingest::Municipality* m = nullptr;
    for (const auto& x : ingest::SwedishMunicipalities()) {
      if (x.code == a.code) m = &x;
    }
    if (!m) m = ingest::FindMunicipality(a.name);
    if (!m) continue;
    area_of[m->code] = &a;
    county_area.emplace(m->county_code, &a);
  }
  result.events = static_cast<int64_t>(parsed->events.size());
  std::vector<Report> batch;
  std::vector<FieldError> errors;
  const UnixSeconds now = NowUnix();
  for (size_t i = 0; i < parsed->events.size(); ++i) {
    const ingest::PoliceEvent& ev = parsed->events[i];
    const std::string& code = mapping->at(ev.type).first;
    if (code.empty()) {
      ++result.not_imported;
      continue;
    }
    const Area* area = nullptr;
    bool county_level = false;
    if (!ev.municipality.empty()) {
      auto it = area_of.find(ev.municipality);
      if (it != area_of.end()) area = it->second;
    } else if (!ev.county.empty()) {
      auto it = county_area.find(ev.county);
      if (it != county_area.end()) {
        area = it->second;  // validated against it, then stored without an area
        county_level = true;
      }
    }
    if (!area) {
      ++result.other_places;
      continue;
    }
    ingest::ReportInput in;
    in.source_id = std::to_string(ev.id);
    in.occurred_from = FormatTimestamp(ev.occurred);
    in.area = area->code;
    in.category = code;
    in.org = org_code;
    in.source = ReportSource::kPolice;
    in.police_notified = true;
    std::string url = EventUrl(ev.url);
    in.description = ev.name + (ev.summary.empty() ? "" : ". " + ev.summary) +
                     (url.empty() ? "" : " (" + url + ")");
    if (in.description.size() > 3900) in.description.resize(3900);
    std::string label = "händelse[" + std::to_string(i) + "] (id " + std::to_string(ev.id) + ").";
    auto resolved = ingest::ResolveReport(in, *cat, std::max(now, ev.published), errors, label);
    if (!resolved) continue;
    if (county_level) {
      resolved->report.area.reset();
      ++result.county_level;
    } else {
      ++result.in_municipality;
    }
    ++result.by_type[ev.type];
    batch.push_back(std::move(resolved->report));
  }
  if (!errors.empty()) {
    return Invalid("Polisens händelser har fel; ingenting importerades", std::move(errors));
  }
  if (batch.empty()) return result;
  internal::WriteLock lock(sys);
  auto outcome = internal::Access::Writer(sys).InsertReports(batch, actor);
  if (!outcome) return tl::unexpected(outcome.error());
  internal::Access::EngineWriter(sys).AppendBatch(outcome->reports);
  result.inserted = outcome->inserted;
  result.already_present = outcome->already_present;
  return result;
}

Result<PoliceImportResult> FetchPoliceEvents(System& sys, const std::string& url,
                                             const PoliceImportOptions& options,
                                             const store::Actor& actor) {
  auto body = ingest::FetchUrl(url);
  if (!body) return tl::unexpected(body.error());
  return ImportPoliceEvents(sys, *body, options, actor);
}

}  // namespace est::app
