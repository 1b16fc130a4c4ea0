#include "app/queries.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "app/present.h"
#include "app/system_access.h"
#include "app/use_case_util.h"
#include "core/period.h"
#include "core/time.h"
#include "geo/validate.h"

namespace est::app {

using internal::StoreOf;

namespace {
// The ids of categories and organisations named by code or name; an unknown one is an error on
// field "category" or "org".
std::vector<CategoryId> CategoryIds(const Catalog& cat, const std::vector<std::string>& codes,
                                    std::vector<FieldError>& errors) {
  std::vector<CategoryId> out;
  for (const std::string& code : codes) {
    if (const Category* k = cat.FindCategory(code)) {
      out.push_back(k->id);
    } else {
      errors.push_back({"category", "okänd kategori \"" + code + "\""});
    }
  }
  return out;
}
std::vector<OrgId> OrgIds(const Catalog& cat, const std::vector<std::string>& codes,
                          std::vector<FieldError>& errors) {
  std::vector<OrgId> out;
  for (const std::string& code : codes) {
    if (const Organisation* o = cat.FindOrg(code)) {
      out.push_back(o->id);
    } else {
      errors.push_back({"org", "okänd organisation \"" + code + "\""});
    }
  }
  return out;
}
}  // namespace

Result<std::vector<Organisation>> ListOrganisations(const System& sys) {
  return StoreOf(sys).ListOrganisations();
}

Result<std::vector<User>> ListUsers(const System& sys) { return StoreOf(sys).ListUsers(); }

Result<std::map<int64_t, int64_t>> ReportCountsBySubtree(const System& sys,
                                                         const app::Catalog& cat) {
  auto counts = StoreOf(sys).ReportCountsByArea();
  if (!counts) return tl::unexpected(counts.error());
  return SubtreeReportCounts(cat, *counts);
}

Result<std::vector<store::NewArea>> AreaGeometries(const System& sys) {
  return StoreOf(sys).AllAreaGeometries();
}

Result<ReportPage> ListReports(const System& sys, const store::ReportFilter& filter) {
  auto list = StoreOf(sys).ListReports(filter);
  if (!list) return tl::unexpected(list.error());
  auto total = StoreOf(sys).CountReports(filter);
  if (!total) return tl::unexpected(total.error());
  return ReportPage{std::move(*list), *total};
}

Result<store::ReportFilter> ResolveReportFilter(const System& sys, const ReportExportParams& p) {
  auto cat = sys.catalog();
  store::ReportFilter f;
  std::vector<FieldError> errors;
  if (!p.period.empty()) {
    if (auto per = ParsePeriod(p.period)) {
      f.from = LocalDayStartUtc(per->first);
      f.to = LocalDayStartUtc(per->last + 1);
    } else {
      errors.push_back({"period", per.error().detail});
    }
  }
  if (!p.from.empty()) {
    if (auto d = ParseDay(p.from)) {
      f.from = LocalDayStartUtc(*d);
    } else {
      errors.push_back({"from", "måste vara ett datum (ÅÅÅÅ-MM-DD)"});
    }
  }
  if (!p.to.empty()) {
    if (auto d = ParseDay(p.to)) {
      f.to = LocalDayStartUtc(*d + 1);
    } else {
      errors.push_back({"to", "måste vara ett datum (ÅÅÅÅ-MM-DD)"});
    }
  }
  for (const std::string& code : p.within) {
    if (code == "outside") {
      f.outside_only = true;
      continue;
    }
    const Area* a = cat->FindArea(code);
    if (!a) {
      errors.push_back({"area", "okänt område \"" + code + "\""});
      continue;
    }
    // The area and every area below it (the tree is small: walk each area's ancestors).
    for (const Area& x : cat->areas()) {
      for (const Area* up = &x; up; up = up->parent ? cat->AreaById(*up->parent) : nullptr) {
        if (up->id == a->id) {
          f.areas_within.push_back(x.id);
          break;
        }
      }
    }
  }
  f.categories = CategoryIds(*cat, p.categories, errors);
  f.orgs = OrgIds(*cat, p.orgs, errors);
  if (!p.source.empty()) {
    if (auto src = ParseReportSource(p.source)) {
      f.source = *src;
    } else {
      errors.push_back(src.error().fields.front());
    }
  }
  if (!p.status.empty()) {
    if (auto st = ParseReportStatus(p.status)) {
      f.status = *st;
    } else {
      errors.push_back({"status", "måste vara new, reviewed, rejected eller duplicate"});
    }
  }
  if (f.outside_only && !f.areas_within.empty()) {
    errors.push_back({"area", "\"outside\" kan inte kombineras med ett område"});
  }
  if (!errors.empty()) return Invalid("Ogiltiga filter", std::move(errors));
  return f;
}

Result<int64_t> WriteReports(const System& sys, store::ReportFilter filter,
                             const std::string& format, int64_t max_rows,
                             const std::function<void(std::string_view)>& write) {
  if (format != "csv" && format != "json" && format != "geojson") {
    return Invalid("Okänt format", {{"format", "måste vara csv, json eller geojson"}});
  }
  auto cat = sys.catalog();
  if (format == "csv") write(ReportCsvHeader());
  if (format == "geojson") write(R"({"type":"FeatureCollection","features":[)");
  constexpr int64_t kPage = 5000;
  int64_t written = 0;
  for (;;) {
    filter.limit = max_rows > 0 ? std::min(kPage, max_rows - written) : kPage;
    if (filter.limit <= 0) break;
    auto page = StoreOf(sys).ListReports(filter);
    if (!page) return tl::unexpected(page.error());
    for (const Report& r : *page) {
      if (format == "csv") {
        write(ReportCsvRow(r, *cat));
      } else if (format == "geojson") {
        write(written ? "," : "");
        write(ReportGeoJsonFeature(r, *cat));
      } else {
        write(ReportJson(r, *cat).dump() + "\n");
      }
      ++written;
    }
    if (static_cast<int64_t>(page->size()) < filter.limit) break;
    filter.offset += filter.limit;
  }
  if (format == "geojson") write("]}\n");
  return written;
}

Result<std::optional<Report>> GetReport(const System& sys, ReportId id) {
  return StoreOf(sys).GetReport(id);
}

Result<std::vector<ReportId>> DuplicatesOf(const System& sys, ReportId id) {
  return StoreOf(sys).DuplicatesOf(id);
}

Result<std::vector<CheckIn>> ListCheckIns(const System& sys) { return StoreOf(sys).ListCheckIns(); }

Result<std::vector<store::AuditEntry>> ListAudit(const System& sys, int64_t after_seq,
                                                 int64_t limit) {
  return StoreOf(sys).ListAudit(after_seq, limit);
}

Result<std::vector<store::AuditEntry>> ListAuditFor(const System& sys, const std::string& entity,
                                                    const std::string& entity_id) {
  return StoreOf(sys).ListAuditFor(entity, entity_id);
}

Status VerifyAudit(const System& sys) { return StoreOf(sys).VerifyAudit(); }

Result<std::vector<Meeting>> ListMeetings(const System& sys) { return StoreOf(sys).ListMeetings(); }

Result<std::optional<Meeting>> GetMeeting(const System& sys, MeetingId id) {
  return StoreOf(sys).GetMeeting(id);
}

Result<std::vector<Problem>> ListProblems(const System& sys) { return StoreOf(sys).ListProblems(); }

Result<std::optional<Problem>> GetProblem(const System& sys, ProblemId id) {
  return StoreOf(sys).GetProblem(id);
}

Result<std::vector<Action>> ListActions(const System& sys) { return StoreOf(sys).ListActions(); }

Result<std::optional<Action>> GetAction(const System& sys, ActionId id) {
  return StoreOf(sys).GetAction(id);
}

Result<std::vector<store::StoredDocument>> ListDocuments(const System& sys) {
  return StoreOf(sys).ListDocuments();
}

Result<std::optional<store::StoredDocument>> GetDocument(const System& sys, int64_t id) {
  return StoreOf(sys).GetDocument(id);
}

Result<std::vector<store::StoredMessage>> ListMessages(const System& sys, std::optional<OrgId> org,
                                                       int64_t limit) {
  return StoreOf(sys).ListMessages(org, limit);
}

Result<std::vector<std::string>> OrgsWithReporters(const System& sys) {
  auto users = StoreOf(sys).ListUsers();
  if (!users) return tl::unexpected(users.error());
  std::vector<std::string> orgs;
  std::set<int64_t> seen;
  auto cat = sys.catalog();
  for (const auto& u : *users) {
    if (u.role != Role::kReporter || !u.org || !seen.insert(u.org->value).second) continue;
    if (const Organisation* o = cat->OrgById(*u.org)) orgs.push_back(o->code);
  }
  return orgs;
}

Result<std::vector<SurveyResult>> ListSurveys(const System& sys) {
  return StoreOf(sys).ListSurveys();
}

Result<std::vector<VulnerableArea>> ListVulnerableAreas(const System& sys) {
  return StoreOf(sys).ListVulnerableAreas();
}

Result<std::optional<geo::MultiPolygon>> VulnerableGeometry(const System& sys, int64_t id) {
  return StoreOf(sys).VulnerableGeometry(id);
}

// ---- the lägesbild query and the study grid (System) ----

Result<analysis::Lagesbild> System::ComputeLagesbild(const LagesbildParams& p) const {
  auto q = ResolveQuery(p);
  if (!q) return Fail(q);
  return engine_.Compute(*q);
}

Result<std::shared_ptr<const analysis::StudyGrid>> System::StudyGridFor(
    double cell_m, const std::string& extent) const {
  if (!(cell_m >= kMinCellMetres && cell_m <= kMaxCellMetres)) {
    return Invalid("Ogiltig cellstorlek", {{"cell", "måste vara 50–5000 meter"}});
  }
  if (extent != "areas" && extent != "bbox") {
    return Invalid("Ogiltig utbredning", {{"extent", "måste vara areas eller bbox"}});
  }
  auto cat = catalog();
  auto key = std::make_pair(static_cast<int64_t>(std::llround(cell_m * 1000)), extent);
  {
    MutexLock lock(grid_mu_);
    auto it = grids_.find(key);
    if (it != grids_.end() && it->second.catalog == cat.get()) {
      it->second.used = ++grid_tick_;
      return it->second.grid;
    }
  }
  if (cat->areas().empty()) {
    return Invalid("Inga områden finns; importera områden först", {{"extent", "inga områden"}});
  }
  geo::Bbox box = cat->index().bounds();
  Result<analysis::StudyGrid> grid = MakeError(ErrorCode::kInternal, "");
  if (extent == "bbox") {
    grid = analysis::StudyGrid::FromBbox(box.min_e, box.min_n, box.max_e, box.max_n, cell_m);
  } else {
    analysis::CellKey lo = analysis::CellOf(box.min_e, box.min_n, cell_m);
    analysis::CellKey hi = analysis::CellOf(box.max_e, box.max_n, cell_m);
    if (static_cast<int64_t>(hi.ix - lo.ix + 1) * (hi.iy - lo.iy + 1) >
        analysis::StudyGrid::kMaxDenseCells) {
      return Invalid("För många celler", {{"cell", "för liten cellstorlek för områdena"}});
    }
    // Exactly the cells whose square overlaps an area's interior (GEOS, geo/validate.h): a cell
    // crossed by a narrow area is in although its centre and corners are outside, a cell of the
    // box that only touches an area or lies outside every area is out.
    auto geoms = store_->AllAreaGeometries();
    if (!geoms) return Fail(geoms);
    std::vector<analysis::CellKey> cells;
    for (const auto& g : *geoms) {
      for (const geo::GridCellIndex& c : geo::CellsOverlappingInterior(g.geometry, cell_m)) {
        cells.push_back({c.ix, c.iy});
      }
    }
    if (cells.empty()) {
      return Invalid("Områdena täcker ingen ruta", {{"extent", "inga rutor i områdena"}});
    }
    grid = analysis::StudyGrid::FromCells(std::move(cells), cell_m);
  }
  if (!grid) return Fail(grid);
  auto shared = std::make_shared<const analysis::StudyGrid>(std::move(*grid));
  // What a grid holds: its cells and the dense box of cell indexes.
  const size_t bytes = shared->size() * (sizeof(analysis::CellKey) + sizeof(int32_t)) +
                       static_cast<size_t>(shared->width()) *
                           static_cast<size_t>(shared->height()) * sizeof(int32_t);
  MutexLock lock(grid_mu_);
  grids_[key] = {cat.get(), shared, bytes, ++grid_tick_};
  // Bounded by bytes and by count, least recently used out first (never the one just made):
  // viewers choosing many cell sizes must not grow the process without end.
  for (;;) {
    size_t total = 0;
    auto oldest = grids_.end();
    for (auto it = grids_.begin(); it != grids_.end(); ++it) {
      total += it->second.bytes;
      if (it->first != key && (oldest == grids_.end() || it->second.used < oldest->second.used)) {
        oldest = it;
      }
    }
    if ((total <= kGridCacheBytes && grids_.size() <= kGridCacheEntries) || oldest == grids_.end()) {
      break;
    }
    grids_.erase(oldest);
  }
  return std::shared_ptr<const analysis::StudyGrid>(shared);
}

size_t System::grid_cache_bytes() const {
  MutexLock lock(grid_mu_);
  size_t total = 0;
  for (const auto& [key, entry] : grids_) total += entry.bytes;
  return total;
}

System::MemoryUse System::memory_use() const {
  MemoryUse m;
  m.engine_bytes = static_cast<size_t>(engine_.bytes_per_report() * static_cast<double>(engine_.size()));
  m.grid_cache_bytes = grid_cache_bytes();
  m.database_bytes = store_->MemoryBytes();
  return m;
}

size_t System::grid_cache_entries() const {
  MutexLock lock(grid_mu_);
  return grids_.size();
}

Result<analysis::LagesbildQuery> System::ResolveQuery(const LagesbildParams& p) const {
  std::vector<FieldError> errors;
  analysis::LagesbildQuery q;
  if (!p.period.empty()) {
    auto period = ParsePeriod(p.period);
    if (!period) {
      errors.insert(errors.end(), period.error().fields.begin(), period.error().fields.end());
      if (period.error().fields.empty()) errors.push_back({"period", period.error().detail});
    } else {
      q.period = *period;
    }
  } else if (!p.from.empty() || !p.to.empty()) {
    auto from = ParseDay(p.from);
    auto to = ParseDay(p.to);
    if (!from) errors.push_back({"from", "måste vara ett datum som 2026-11-01"});
    if (!to) errors.push_back({"to", "måste vara ett datum som 2026-11-30"});
    if (from && to) {
      auto period = MakeCustomPeriod(*from, *to);
      if (!period) {
        errors.push_back({"to", period.error().detail});
      } else {
        q.period = *period;
      }
    }
  } else {
    // The last complete week: a running week is a click away, never the silent default.
    q.period = WeekContaining(ToLocalDay(NowUnix()) - 7);
  }
  if (errors.empty()) q.cut_minutes = RunningCutMinutes(q.period, NowUnix());
  auto cat = catalog();
  for (const std::string& code : p.areas) {
    if (const Area* a = cat->FindArea(code)) {
      q.areas.push_back(a->id);
    } else {
      errors.push_back({"area", "okänt område \"" + code + "\""});
    }
  }
  q.categories = CategoryIds(*cat, p.categories, errors);
  q.orgs = OrgIds(*cat, p.orgs, errors);
  if (!p.dimension.empty()) {
    if (auto d = ParseDimension(p.dimension)) {
      q.dimension = *d;
    } else {
      errors.push_back({"dimension", "måste vara säkerhet eller trygghet"});
    }
  }
  if (p.police == "false") {
    q.police = false;
  } else if (!p.police.empty() && p.police != "true") {
    errors.push_back({"police", "måste vara true eller false"});
  }
  if (!errors.empty()) return Invalid("Ogiltiga parametrar för lägesbilden", std::move(errors));
  return q;
}

}  // namespace est::app
