// Den offentliga lägesbilden and residents' reports (app/public_picture.h).
#include "app/public_picture.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <cctype>
#include <set>
#include <tuple>

#include "app/addresses.h"
#include "app/queries.h"
#include "app/system_access.h"
#include "app/use_case_util.h"
#include "core/password.h"
#include "core/text.h"
#include "core/time.h"

namespace est::app {
namespace {

constexpr const char* kCategoriesKey = "public.categories";
constexpr const char* kActionsKey = "public.actions";
constexpr const char* kDelayKey = "public.delay_days";
constexpr const char* kCitizenKey = "public.citizen_reports";
constexpr const char* kCitizenOrg = "medborgare";

std::string Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    if (comma > start) out.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

std::string JoinList(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ',';
    out += s;
  }
  return out;
}

std::optional<int64_t> ToInt(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// The public categories of the settings, in the catalog's order (unknown codes dropped: a
// category removed after it was made public).
std::vector<const Category*> PublicCategories(const Catalog& cat, const PublicSettings& ps) {
  std::set<std::string> wanted(ps.categories.begin(), ps.categories.end());
  std::vector<const Category*> out;
  for (const auto& c : cat.categories()) {
    if (c.active && wanted.count(c.code)) out.push_back(&c);
  }
  return out;
}

}  // namespace

PublicSettings CurrentPublicSettings(const System& sys) {
  auto settings = sys.settings();
  auto get = [&](const char* k) -> std::string {
    auto it = settings->find(k);
    return it == settings->end() ? "" : it->second;
  };
  PublicSettings ps;
  ps.categories = SplitList(get(kCategoriesKey));
  for (const auto& a : SplitList(get(kActionsKey))) {
    if (auto v = ToInt(a)) ps.actions.push_back(*v);
  }
  if (auto d = ToInt(get(kDelayKey))) {
    ps.delay_days = static_cast<int>(std::clamp<int64_t>(*d, kMinPublicDelayDays, kMaxPublicDelayDays));
  }
  ps.citizen_reports = get(kCitizenKey) != "false";
  return ps;
}

Status SetPublicSettings(System& sys, const PublicSettings& ps, const store::Actor& actor) {
  std::vector<FieldError> errors;
  auto cat = sys.catalog();
  std::vector<std::string> codes;
  for (size_t i = 0; i < ps.categories.size(); ++i) {
    const Category* c = cat->FindCategory(ps.categories[i]);
    if (!c) {
      errors.push_back({"categories[" + std::to_string(i) + "]",
                        "kategorin \"" + ps.categories[i] + "\" finns inte"});
    } else if (std::find(codes.begin(), codes.end(), c->code) == codes.end()) {
      codes.push_back(c->code);
    }
  }
  std::vector<std::string> actions;
  if (!ps.actions.empty()) {
    auto all = ListActions(sys);
    if (!all) return tl::unexpected(all.error());
    for (size_t i = 0; i < ps.actions.size(); ++i) {
      bool known = std::any_of(all->begin(), all->end(),
                               [&](const Action& a) { return a.id.value == ps.actions[i]; });
      if (!known) {
        errors.push_back({"actions[" + std::to_string(i) + "]",
                          "insatsen " + std::to_string(ps.actions[i]) + " finns inte"});
      } else {
        actions.push_back(std::to_string(ps.actions[i]));
      }
    }
  }
  if (ps.delay_days < kMinPublicDelayDays || ps.delay_days > kMaxPublicDelayDays) {
    errors.push_back({"delay_days", "måste vara mellan " + std::to_string(kMinPublicDelayDays) +
                                        " och " + std::to_string(kMaxPublicDelayDays) + " dagar"});
  }
  if (!errors.empty()) return Invalid("Inställningarna för den offentliga sidan är ogiltiga",
                                      std::move(errors));
  internal::WriteLock lock(sys);
  auto s = internal::Access::Writer(sys).SetSettings(
      {{kCategoriesKey, JoinList(codes)},
       {kActionsKey, JoinList(actions)},
       {kDelayKey, std::to_string(ps.delay_days)},
       {kCitizenKey, ps.citizen_reports ? "true" : "false"}},
      actor);
  if (!s) return s;
  return internal::Access::RefreshSettings(sys);
}

Period LatestPublicWeek(int delay_days, UnixSeconds now) {
  // The week must have ended (its last day, Sunday, is over) at least delay_days ago.
  const LocalDay today = ToLocalDay(now);
  const LocalDay last_allowed_end = today - delay_days;  // the week's Sunday is before this day
  Period w = WeekContaining(last_allowed_end);
  if (w.last >= last_allowed_end) w = WeekContaining(w.first - 1);
  return w;
}

Result<PublicPicture> PublicLagesbild(const System& sys, const std::string& period_text,
                                      UnixSeconds now) {
  const PublicSettings ps = CurrentPublicSettings(sys);
  const Period latest = LatestPublicWeek(ps.delay_days, now);
  Period period = latest;
  if (!period_text.empty()) {
    auto p = ParsePeriod(Trim(period_text));
    if (!p || p->kind != PeriodKind::kWeek) {
      return Invalid("Perioden kan inte visas",
                     {{"period", "den offentliga sidan visar hela veckor, till exempel " +
                                     latest.label()}});
    }
    if (p->first > latest.first) {
      return Invalid("Perioden kan inte visas ännu",
                     {{"period", "visas tidigast " + std::to_string(ps.delay_days) +
                                     " dagar efter veckans slut; senaste veckan är " +
                                     latest.label()}});
    }
    period = *p;
  }
  PublicPicture pic;
  pic.period = period;
  pic.delay_days = ps.delay_days;
  pic.citizen_reports = ps.citizen_reports;
  for (int i = 0; i < kPublicWeeksOffered; ++i) {
    pic.weeks.push_back(WeekContaining(latest.first - 7 * i));
  }

  auto cat = sys.catalog();
  auto cats = PublicCategories(*cat, ps);
  std::map<int32_t, size_t> col_of;  // category id → column
  for (const Category* c : cats) {
    col_of[c->id.value] = pic.categories.size();
    pic.categories.push_back({c->id, c->code, c->name_sv, c->name_en, c->dimension});
  }
  std::map<int32_t, size_t> row_of;  // level-1 area id → row
  std::vector<const Area*> areas;
  for (const auto& a : cat->areas()) {
    if (a.level == 1) areas.push_back(&a);
  }
  std::sort(areas.begin(), areas.end(),
            [](const Area* a, const Area* b) { return a->name < b->name; });
  for (const Area* a : areas) {
    row_of[a->id.value] = pic.areas.size();
    pic.areas.push_back({a->id, a->code, a->name,
                         std::vector<std::optional<int>>(cats.size(), std::optional<int>(0))});
  }

  if (!cats.empty()) {
    analysis::LagesbildQuery q;
    q.period = period;
    for (const Category* c : cats) q.categories.push_back(c->id);
    q.coverage = false;
    q.police = true;
    analysis::Lagesbild lb = sys.engine().Compute(q);
    for (const auto& r : lb.rows) {
      if (r.category_id == 0) continue;
      auto ra = row_of.find(r.area_id);
      auto ca = col_of.find(r.category_id);
      if (ra == row_of.end() || ca == col_of.end()) continue;
      pic.areas[ra->second].counts[ca->second] = r.count;
    }
    for (auto& row : pic.areas) {
      for (auto& c : row.counts) {
        if (c && *c > 0 && *c < kMinPublicCount) c.reset();
      }
    }
    // Cells per dimension, from the reports' stored positions.
    std::map<std::tuple<int, int64_t, int64_t>, int> cells;
    constexpr int64_t kCellDm = int64_t{kPublicCellMetres} * 10;
    sys.engine().ForEachPoint(q, [&](const analysis::EnginePoint& p) {
      if (p.area_only) return;
      auto ca = col_of.find(p.category);
      if (ca == col_of.end()) return;
      const int dim = static_cast<int>(pic.categories[ca->second].dimension);
      ++cells[{dim, FloorDiv(p.e, kCellDm), FloorDiv(p.n, kCellDm)}];
    });
    for (const auto& [key, n] : cells) {
      if (n < kMinPublicCount) continue;
      pic.cells.push_back({static_cast<Dimension>(std::get<0>(key)), std::get<1>(key),
                           std::get<2>(key), n});
    }
  }

  if (!ps.actions.empty()) {
    auto all = ListActions(sys);
    if (!all) return tl::unexpected(all.error());
    std::set<int64_t> published(ps.actions.begin(), ps.actions.end());
    for (const Action& a : *all) {
      if (!published.count(a.id.value) || a.status == ActionStatus::kCancelled) continue;
      PublicAction pa{a.id.value, a.title, a.status, {}, a.start, a.end};
      for (AreaId id : a.areas) {
        if (const Area* ar = cat->AreaById(id)) pa.areas.push_back(ar->name);
      }
      pic.actions.push_back(std::move(pa));
    }
  }
  return pic;
}

Result<CitizenReceipt> CreateCitizenReport(System& sys, const CitizenReportInput& in,
                                           UnixSeconds now) {
  const PublicSettings ps = CurrentPublicSettings(sys);
  if (!ps.citizen_reports) {
    return MakeError(ErrorCode::kForbidden,
                     "Kommunen tar inte emot rapporter från invånare på den här sidan just nu");
  }
  std::vector<FieldError> errors;
  auto cat = sys.catalog();
  const Category* c = cat->FindCategory(Trim(in.category));
  const bool is_public =
      c && std::find(ps.categories.begin(), ps.categories.end(), c->code) != ps.categories.end();
  if (Trim(in.category).empty()) {
    errors.push_back({"category", "välj vad det gäller"});
  } else if (!is_public) {
    errors.push_back({"category", "välj en av kategorierna på sidan"});
  }
  if (in.description.size() > kMaxCitizenDescription * 4 ||
      Utf8Length(in.description) > kMaxCitizenDescription) {
    errors.push_back({"description", "högst " + std::to_string(kMaxCitizenDescription) +
                                         " tecken"});
  }
  ingest::ReportInput r;
  r.source = ReportSource::kCitizen;
  r.org = kCitizenOrg;
  r.category = c ? c->code : in.category;
  r.description = in.description;
  r.occurred_from = in.occurred_from.empty() ? FormatTimestamp(now) : in.occurred_from;
  const bool has_point = in.lon || in.lat;
  if (has_point && !Trim(in.address).empty()) {
    errors.push_back({"location", "ange antingen en punkt på kartan eller en adress, inte båda"});
  } else if (has_point) {
    if (!in.lon || !in.lat) {
      errors.push_back({in.lon ? "lat" : "lon", "både longitud och latitud behövs"});
    }
    r.lon = in.lon;
    r.lat = in.lat;
  } else if (!Trim(in.address).empty()) {
    auto m = ResolveAddress(sys, Trim(in.address), "address");
    if (!m) {
      for (const auto& f : m.error().fields) errors.push_back(f);
      if (m.error().fields.empty()) errors.push_back({"address", m.error().detail});
    } else {
      r.lon = m->lon;
      r.lat = m->lat;
    }
  } else {
    errors.push_back({"location", "välj en plats på kartan eller skriv en adress"});
  }
  if (!errors.empty()) return Invalid("Rapporten är ogiltig", std::move(errors));

  // Residents report places in the municipality and nothing in the future.
  std::vector<FieldError> resolve_errors;
  {
    // The organisation exists for ResolveReport to accept it: made on first use.
    if (!cat->FindOrg(kCitizenOrg)) {
      Organisation org;
      org.code = kCitizenOrg;
      org.name = "Medborgare (offentliga sidan)";
      org.kind = OrgKind::kCivilsamhalle;
      auto made = sys.CreateOrganisation(org, {std::nullopt, kCitizenOrg});
      if (!made && made.error().code != ErrorCode::kConflict) return tl::unexpected(made.error());
      cat = sys.catalog();
    }
  }
  auto resolved = ingest::ResolveReport(r, *cat, now, resolve_errors);
  if (!resolved) return Invalid("Rapporten är ogiltig", std::move(resolve_errors));
  if (!resolved->report.area) {
    return Invalid("Rapporten är ogiltig",
                   {{"location", "platsen ligger utanför kommunen; välj en plats i kommunen"}});
  }
  if (resolved->report.occurred_from > now) {
    return Invalid("Rapporten är ogiltig", {{"occurred_from", "tiden ligger i framtiden"}});
  }
  // A receipt that is not in use (ten random hex digits: a collision is rare, but checked).
  std::string receipt;
  for (int attempt = 0; attempt < 5 && receipt.empty(); ++attempt) {
    std::string candidate = "M-" + RandomToken(5);
    for (char& ch : candidate) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    auto existing = internal::StoreOf(sys).FindReportBySource(resolved->report.org, candidate);
    if (!existing) return Fail(existing);
    if (!*existing) receipt = candidate;
  }
  if (receipt.empty()) return MakeError(ErrorCode::kInternal, "Kunde inte skapa ett kvittonummer");
  r.source_id = receipt;
  auto created = sys.CreateReport(r, {std::nullopt, kCitizenOrg});
  if (!created) return tl::unexpected(created.error());
  return CitizenReceipt{receipt, created->scrubbed};
}

Result<CitizenStatus> CitizenReportStatus(const System& sys, const std::string& receipt_text) {
  std::string receipt(Trim(receipt_text));
  for (char& ch : receipt) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  auto cat = sys.catalog();
  const Organisation* org = cat->FindOrg(kCitizenOrg);
  auto not_found = [&] {
    return MakeError(ErrorCode::kNotFound, "Det finns ingen rapport med kvittonumret " + receipt);
  };
  if (!org || receipt.size() != 12 || receipt.rfind("M-", 0) != 0) return not_found();
  auto found = internal::StoreOf(sys).FindReportBySource(org->id, receipt);
  if (!found) return Fail(found);
  if (!*found || (*found)->source != ReportSource::kCitizen) return not_found();
  const Report& rep = **found;
  CitizenStatus st;
  st.receipt = receipt;
  switch (rep.status) {
    case ReportStatus::kNew:
      st.status = "mottagen";
      break;
    case ReportStatus::kReviewed:
      st.status = "godkänd";
      break;
    case ReportStatus::kRejected:
    case ReportStatus::kDuplicate:
      st.status = "avvisad";
      break;
  }
  st.received = FormatDay(ToLocalDay(rep.reported_at));
  return st;
}

}  // namespace est::app
