// Reading the police's events feed (police_events.h).
#include "ingest/police_events.h"

#include <array>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>

#include "core/time.h"
#include "ingest/reference.h"
#include "ingest/table_csv.h"

namespace est::ingest {

extern const char* const kSwedishAdminAreasCsv;  // generated: share/reference/

namespace {

using nlohmann::json;

struct Tables {
  std::vector<Municipality> municipalities;
  std::map<std::string, size_t> by_name;         // FoldKey(name)
  std::map<std::string, std::string> counties;  // FoldKey(county name) -> code
};

const Tables& Reference() {
  static const Tables t = [] {
    Tables out;
    auto table = ReadCsvTable(kSwedishAdminAreasCsv);
    if (!table) return out;  // the embedded file is fixed at build time; tested
    int code = table->Column("municipality_code"), name = table->Column("municipality_name"),
        ccode = table->Column("county_code"), cname = table->Column("county_name");
    for (const auto& row : table->rows) {
      if (row.fields.size() < 4) continue;
      Municipality m{row.fields[static_cast<size_t>(code)], row.fields[static_cast<size_t>(name)],
                     row.fields[static_cast<size_t>(ccode)],
                     row.fields[static_cast<size_t>(cname)]};
      out.by_name[FoldKey(m.name)] = out.municipalities.size();
      out.counties[FoldKey(m.county_name)] = m.county_code;
      out.municipalities.push_back(std::move(m));
    }
    return out;
  }();
  return t;
}

constexpr std::array<std::string_view, 12> kMonths = {
    "januari", "februari", "mars",      "april",   "maj",      "juni",
    "juli",    "augusti",  "september", "oktober", "november", "december"};

bool ReadInt(std::string_view s, int& out) {
  if (s.empty() || s.size() > 2) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

std::string Text(const json& e, const char* key) {
  auto it = e.find(key);
  return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string LastPart(std::string_view name) {
  size_t comma = name.rfind(',');
  std::string_view last = comma == std::string_view::npos ? name : name.substr(comma + 1);
  while (!last.empty() && last.front() == ' ') last.remove_prefix(1);
  while (!last.empty() && last.back() == ' ') last.remove_suffix(1);
  return std::string(last);
}

}  // namespace

const std::vector<Municipality>& SwedishMunicipalities() { return Reference().municipalities; }

const Municipality* FindMunicipality(std::string_view name) {
  const Tables& t = Reference();
  std::string key = FoldKey(name);
  if (key.size() > 7 && key.ends_with(" kommun")) key.resize(key.size() - 7);
  auto it = t.by_name.find(key);
  return it == t.by_name.end() ? nullptr : &t.municipalities[it->second];
}

std::string FindCounty(std::string_view name) {
  const Tables& t = Reference();
  std::string key = FoldKey(name);
  if (auto it = t.counties.find(key); it != t.counties.end()) return it->second;
  // "Stockholm län" (a form the feed has used) for "Stockholms län".
  if (key.ends_with(" lan")) {
    std::string with_s = key.substr(0, key.size() - 4) + "s lan";
    if (auto it = t.counties.find(with_s); it != t.counties.end()) return it->second;
  }
  return "";
}

Result<UnixSeconds> PoliceEventTime(std::string_view name, UnixSeconds published) {
  auto bad = [](const std::string& why) -> Result<UnixSeconds> {
    return MakeError(ErrorCode::kInvalidArgument, why, {{"name", why}});
  };
  size_t comma = name.find(',');
  if (comma == std::string_view::npos) {
    return bad("saknar \"dag månad tid, typ, plats\" (t.ex. \"06 juni 18.50, Brand, Kävlinge\")");
  }
  std::string_view when = name.substr(0, comma);
  // "DD månad HH.MM"
  size_t s1 = when.find(' ');
  size_t s2 = s1 == std::string_view::npos ? s1 : when.find(' ', s1 + 1);
  if (s2 == std::string_view::npos) return bad("tiden \"" + std::string(when) + "\" går inte att läsa");
  int day = 0, hour = 0, minute = 0;
  if (!ReadInt(when.substr(0, s1), day)) {
    return bad("dagen i \"" + std::string(when) + "\" är inte ett tal");
  }
  std::string month_text = FoldKey(when.substr(s1 + 1, s2 - s1 - 1));
  int month = 0;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (month_text == kMonths[i]) month = static_cast<int>(i) + 1;
  }
  if (!month) return bad("okänd månad \"" + month_text + "\" i \"" + std::string(when) + "\"");
  std::string_view clock = when.substr(s2 + 1);
  size_t dot = clock.find_first_of(".:");
  if (dot == std::string_view::npos || !ReadInt(clock.substr(0, dot), hour) ||
      !ReadInt(clock.substr(dot + 1), minute) || hour > 23 || minute > 59) {
    return bad("klockslaget \"" + std::string(clock) + "\" går inte att läsa (t.ex. 18.50)");
  }
  int year = CivilFromDay(ToLocalDay(published)).year;
  // The latest year that does not put the event more than a day after its publication.
  for (int y : {year + 1, year, year - 1}) {
    if (!IsValidDate(y, month, day)) continue;
    UnixSeconds t = LocalTimeToUtc(DayFromCivil(y, month, day), hour * 3600 + minute * 60);
    if (t <= published + 86400) return t;
  }
  return bad("datumet \"" + std::string(when) + "\" finns inte, eller ligger efter publiceringen");
}

Result<PoliceParse> ParsePoliceEvents(std::string_view json_text) {
  json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded()) {
    return MakeError(ErrorCode::kInvalidArgument, "Filen är inte giltig JSON",
                     {{"fil", "inte JSON (polisens händelser är en JSON-lista)"}});
  }
  if (!doc.is_array()) {
    return MakeError(ErrorCode::kInvalidArgument, "Polisens händelser ska vara en JSON-lista",
                     {{"fil", "väntade en lista [...] av händelser"}});
  }
  PoliceParse out;
  out.events.reserve(doc.size());
  for (size_t i = 0; i < doc.size(); ++i) {
    const json& e = doc[i];
    int64_t id = 0;
    if (e.is_object()) {
      auto it = e.find("id");
      if (it != e.end() && it->is_number_integer()) id = it->get<int64_t>();
    }
    std::string label =
        "händelse[" + std::to_string(i) + "]" + (id ? " (id " + std::to_string(id) + ")" : "");
    auto fail = [&](const std::string& field, const std::string& why) {
      out.invalid.push_back({i, id, {label + "." + field, why}});
    };
    if (!e.is_object()) {
      out.invalid.push_back({i, 0, {label, "är inte ett objekt"}});
      continue;
    }
    if (id <= 0) {
      fail("id", "saknas eller är inte ett positivt heltal");
      continue;
    }
    PoliceEvent ev;
    ev.id = id;
    ev.name = Text(e, "name");
    ev.type = Text(e, "type");
    ev.summary = Text(e, "summary");
    ev.url = Text(e, "url");
    if (ev.type.empty()) {
      fail("type", "saknas");
      continue;
    }
    auto published = ParseTimestamp(Text(e, "datetime"));
    if (!published) {
      fail("datetime", published.error().fields.empty() ? published.error().detail
                                                        : published.error().fields[0].reason);
      continue;
    }
    ev.published = *published;
    auto occurred = PoliceEventTime(ev.name, ev.published);
    if (!occurred) {
      fail("name", occurred.error().detail);
      continue;
    }
    ev.occurred = *occurred;
    std::string location;
    if (auto loc = e.find("location"); loc != e.end() && loc->is_object()) {
      location = Text(*loc, "name");
    }
    std::string last = LastPart(ev.name);
    if (const Municipality* m = FindMunicipality(location)) {
      ev.municipality = m->code;
      ev.county = m->county_code;
      ev.place = location;
    } else if (const Municipality* m2 = FindMunicipality(last)) {
      ev.municipality = m2->code;
      ev.county = m2->county_code;
      ev.place = last;
    } else {
      ev.county = FindCounty(last);
      if (ev.county.empty()) ev.county = FindCounty(location);
      ev.place = last.empty() ? location : last;
    }
    out.events.push_back(std::move(ev));
  }
  return out;
}

}  // namespace est::ingest
