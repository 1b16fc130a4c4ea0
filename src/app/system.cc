// Use cases. Every write: validate completely first, then one store transaction, then update the
// catalog snapshot and the engine. A rejected request returns before anything is written.
#include "app/system.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "core/password.h"
#include "core/text.h"
#include "geo/area_index.h"
#include "geo/crs.h"
#include "geo/geojson.h"
#include "geo/validate.h"
#include "ingest/scrub.h"

namespace est::app {
namespace {

tl::unexpected<Error> Invalid(std::string detail, std::vector<FieldError> fields) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(detail), std::move(fields));
}

std::string PropOr(const geo::AreaFeature& f, const std::string& chosen,
                   std::initializer_list<const char*> fallbacks) {
  if (!chosen.empty()) {
    auto it = f.properties.find(chosen);
    return it == f.properties.end() ? "" : it->second;
  }
  for (const char* k : fallbacks) {
    auto it = f.properties.find(k);
    if (it != f.properties.end() && !it->second.empty()) return it->second;
  }
  return "";
}

// The code of an entry created for a name in an import: the name itself when it is a valid code
// ("otrygg_entre" stays "otrygg_entre", so the user's own code works in --category), else a code
// made from it ("Väktarna AB" -> "vaktarna-ab").
std::string CodeFor(const std::string& name) {
  return ValidateCode("code", name).empty() ? name : MakeCode(name);
}

// `code`, or code_2, code_3 ... when `taken`: a name unknown to the catalog may still make a code
// that is in use ("Vakt AB" -> "vakt-ab"), and failing then would leave the entries created so
// far without importing the file.
std::string FreeCode(const std::string& code,
                     const std::function<bool(const std::string&)>& taken) {
  std::string out = code;
  for (int n = 2; taken(out); ++n) out = code + "_" + std::to_string(n);
  return out;
}

std::string FeatureLabel(const geo::AreaFeature& f) {
  std::string label = "features[" + std::to_string(f.index) + "]";
  if (!f.id.empty()) label += " (id: " + f.id + ")";
  return label;
}

}  // namespace

System::~System() = default;

Result<std::unique_ptr<System>> System::Open(const std::string& db_path,
                                             const ProgressFn& progress) {
  auto store = store::Store::Open(db_path);
  if (!store) return Fail(store);
  std::unique_ptr<System> sys(new System());
  sys->store_ = std::move(*store);
  // Nobody else sees the system yet; the lock is for the analysis (and costs nothing).
  MutexLock lock(sys->write_mu_);
  sys->write_store_ = sys->store_.get();
  sys->write_engine_ = &sys->engine_;
  if (auto s = sys->RefreshCatalog(); !s) return tl::unexpected(s.error());
  auto total = sys->store_->ReportCountUpperBound();
  if (!total) return Fail(total);
  // Read on every core (the SQLite scan is most of the start-up); batches are appended under the
  // engine's lock, progress is reported from one batch at a time.
  int64_t loaded = 0, last_shown = 0;
  std::mutex progress_mu;
  const int parts = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // The batches arrive on the store's reader threads, which append under the engine's own lock.
  analysis::Engine& loading = *sys->write_engine_;
  auto st = sys->store_->ForEachReportForEngine(
      [&](std::span<const Report> batch) {
        loading.AppendBatch(batch);
        std::lock_guard lock(progress_mu);
        loaded += static_cast<int64_t>(batch.size());
        if (progress && loaded - last_shown >= 200000) {
          last_shown = loaded;
          progress(loaded, std::max(*total, loaded), "rapporter inlästa");
        }
      },
      parts);
  if (!st) return tl::unexpected(st.error());
  sys->write_engine_->Compact();
  if (progress) progress(loaded, std::max(*total, loaded), "rapporter inlästa");
  auto checkins = sys->store_->ListCheckIns();
  if (!checkins) return Fail(checkins);
  for (const CheckIn& c : *checkins) sys->write_engine_->AddCheckIn(c);
  return sys;
}

std::shared_ptr<const app::Catalog> System::catalog() const {
  MutexLock lock(catalog_mu_);
  return catalog_;
}

Status System::RefreshCatalog() {
  auto orgs = store_->ListOrganisations();
  if (!orgs) return Fail(orgs);
  auto cats = store_->ListCategories();
  if (!cats) return Fail(cats);
  auto places = store_->ListPlaces();
  if (!places) return Fail(places);
  auto geoms = store_->AllAreaGeometries();
  if (!geoms) return Fail(geoms);
  std::vector<Area> areas;
  std::vector<geo::AreaIndex::Entry> entries;
  for (auto& g : *geoms) {
    areas.push_back(g.area);
    entries.push_back({g.area.id.value, g.area.level, std::move(g.geometry)});
  }
  auto index = std::make_shared<geo::AreaIndex>(geo::AreaIndex::Build(std::move(entries)));
  write_engine_->SetAreas(areas);
  write_engine_->SetCategories(*cats);
  auto cat = std::make_shared<const app::Catalog>(std::move(*orgs), std::move(*cats),
                                                     std::move(*places), std::move(areas), index);
  MutexLock lock(catalog_mu_);
  catalog_ = std::move(cat);
  return {};
}

// ---- configuration ----

Result<Organisation> System::CreateOrganisation(Organisation org, const store::Actor& actor) {
  std::vector<FieldError> errors = ValidateCode("code", org.code);
  auto name_errors = ValidateName("name", org.name);
  errors.insert(errors.end(), name_errors.begin(), name_errors.end());
  if (!errors.empty()) return Invalid("Organisationen är ogiltig", std::move(errors));
  MutexLock lock(write_mu_);
  auto created = write_store_->CreateOrganisation(org, actor);
  if (!created) return created;
  if (auto s = RefreshCatalog(); !s) return tl::unexpected(s.error());
  return created;
}

Result<User> System::CreateUser(User user, const std::string& password, const store::Actor& actor) {
  std::vector<FieldError> errors = ValidateCode("login", user.login);
  auto pw = ValidateNewPassword(password, user.login);
  errors.insert(errors.end(), pw.begin(), pw.end());
  if (user.display_name.empty()) user.display_name = user.login;
  auto cat = catalog();
  if (user.org && !cat->OrgById(*user.org)) errors.push_back({"org", "organisationen finns inte"});
  bool needs_org = user.role == Role::kReporter || user.role == Role::kOrgLead;
  if (needs_org && !user.org) {
    errors.push_back(
        {"org", "rollen " + std::string(RoleText(user.role)) + " kräver en organisation"});
  }
  if (!errors.empty()) return Invalid("Användaren är ogiltig", std::move(errors));
  auto hash = HashPassword(password);
  if (!hash) return Fail(hash);
  MutexLock lock(write_mu_);
  return write_store_->CreateUser(user, *hash, actor);
}

Result<User> System::UpdateUser(UserId id, const UserPatch& patch, UserId by,
                                const store::Actor& actor) {
  auto current = store_->GetUser(id);
  if (!current) return Fail(current);
  if (!*current) return MakeError(ErrorCode::kNotFound, "Användaren finns inte");
  User u = **current;
  std::vector<FieldError> errors;
  if (patch.display_name) {
    auto e = ValidateName("display_name", *patch.display_name);
    errors.insert(errors.end(), e.begin(), e.end());
    u.display_name = *patch.display_name;
  }
  if (patch.role) {
    if (auto r = ParseRole(*patch.role)) {
      u.role = *r;
    } else {
      errors.push_back(r.error().fields[0]);
    }
  }
  auto cat = catalog();
  if (patch.org) {
    if (patch.org->empty()) {
      u.org.reset();
    } else if (const Organisation* o = cat->FindOrg(*patch.org)) {
      u.org = o->id;
    } else {
      errors.push_back({"org", "okänd organisation \"" + *patch.org + "\""});
    }
  }
  if (patch.disabled) u.disabled = *patch.disabled;
  bool needs_org = u.role == Role::kReporter || u.role == Role::kOrgLead;
  if (needs_org && !u.org) {
    errors.push_back(
        {"org", "rollen " + std::string(RoleText(u.role)) + " kräver en organisation"});
  }
  if (id == by && u.disabled) errors.push_back({"disabled", "du kan inte stänga av dig själv"});
  if (id == by && u.role != Role::kAdmin && (*current)->role == Role::kAdmin) {
    errors.push_back({"role", "du kan inte ta bort din egen administratörsroll"});
  }
  std::optional<std::string> hash;
  if (patch.password) {
    auto pw = ValidateNewPassword(*patch.password, u.login);
    errors.insert(errors.end(), pw.begin(), pw.end());
    if (pw.empty()) {
      auto h = HashPassword(*patch.password);
      if (!h) return Fail(h);
      hash = *h;
    }
  }
  if (!errors.empty()) return Invalid("Ändringen är ogiltig", std::move(errors));
  MutexLock lock(write_mu_);
  return write_store_->UpdateUser(u, hash, actor);
}

Status System::ChangeOwnPassword(UserId id, const std::string& current_password,
                                 const std::string& new_password, const store::Actor& actor) {
  auto user = store_->GetUser(id);
  if (!user) return Fail(user);
  if (!*user) return MakeError(ErrorCode::kNotFound, "Användaren finns inte");
  auto found = store_->FindLogin((*user)->login);
  if (!found) return Fail(found);
  const std::string* hash = *found ? &(*found)->second : nullptr;
  // The login's verification (a dummy hash when the row went away), so the time is the same.
  if (!VerifyLoginPassword(current_password, hash)) {
    return MakeError(ErrorCode::kForbidden, "Det nuvarande lösenordet stämmer inte",
                     {{"current_password", "stämmer inte"}});
  }
  auto pw = ValidateNewPassword(new_password, (*user)->login, &current_password);
  if (!pw.empty()) return Invalid("Det nya lösenordet godtas inte", std::move(pw));
  auto h = HashPassword(new_password);
  if (!h) return Fail(h);
  MutexLock lock(write_mu_);
  auto updated = write_store_->UpdateUser(**user, *h, actor);
  if (!updated) return Fail(updated);
  return {};
}

Result<Category> System::CreateCategory(Category category, const store::Actor& actor) {
  std::vector<FieldError> errors = ValidateCode("code", category.code);
  auto name_errors = ValidateName("name_sv", category.name_sv);
  errors.insert(errors.end(), name_errors.begin(), name_errors.end());
  if (category.name_en.empty()) category.name_en = category.name_sv;
  if (category.default_severity < 1 || category.default_severity > 3) {
    errors.push_back({"default_severity", "måste vara 1, 2 eller 3"});
  }
  if (!errors.empty()) return Invalid("Kategorin är ogiltig", std::move(errors));
  MutexLock lock(write_mu_);
  auto created = write_store_->CreateCategory(category, actor);
  if (!created) return created;
  if (auto s = RefreshCatalog(); !s) return tl::unexpected(s.error());
  return created;
}

Result<int> System::EnsureDefaultCategories(const store::Actor& actor) {
  int created = 0;
  for (const Category& c : DefaultCategories()) {
    if (catalog()->FindCategory(c.code)) continue;
    auto r = CreateCategory(c, actor);
    if (!r) return Fail(r);
    ++created;
  }
  return created;
}

Result<Place> System::CreatePlace(const PlaceInput& in, const store::Actor& actor) {
  std::vector<FieldError> errors = ValidateName("name", in.name);
  auto kind_errors = ValidateName("kind", in.kind, 64);
  errors.insert(errors.end(), kind_errors.begin(), kind_errors.end());
  std::optional<geo::Sweref99Point> point;
  if (in.lon && in.lat) {
    auto p = geo::ToSweref(4326, *in.lon, *in.lat);
    if (p) point = *p;
  } else if (in.x && in.y) {
    auto p = geo::ToSweref(in.epsg.value_or(3006), *in.x, *in.y);
    if (p) point = *p;
  } else {
    errors.push_back({"location", "saknas: ange lon/lat eller x/y"});
  }
  if ((in.lon || in.x) && (!point || !geo::InSwedenEnvelope(*point))) {
    errors.push_back({"location", "punkten ligger utanför Sverige"});
  }
  if (!errors.empty()) return Invalid("Platsen är ogiltig", std::move(errors));
  Place place;
  place.name = in.name;
  place.kind = in.kind;
  place.e = point->e;
  place.n = point->n;
  if (auto a = catalog()->index().Locate(*point)) place.area = AreaId{*a};
  MutexLock lock(write_mu_);
  auto created = write_store_->CreatePlace(place, actor);
  if (!created) return created;
  if (auto s = RefreshCatalog(); !s) return tl::unexpected(s.error());
  return created;
}

Result<AreaImportResult> System::ImportAreas(std::string_view geojson,
                                             const AreaImportOptions& options,
                                             const store::Actor& actor) {
  geo::AreaParseOptions parse;
  parse.crs_override = options.crs;
  auto features = geo::ParseAreaCollection(geojson, parse);
  if (!features) return Fail(features);
  if (features->empty()) {
    return Invalid("Filen innehåller inga områden", {{"features", "är tom"}});
  }
  MutexLock lock(write_mu_);
  auto cat = catalog();
  const Area* forced_parent = nullptr;
  std::vector<FieldError> errors;
  if (!options.parent_code.empty()) {
    forced_parent = cat->FindArea(options.parent_code);
    if (!forced_parent) {
      errors.push_back({"--parent", "okänt område \"" + options.parent_code + "\""});
    }
  }
  // Resolve codes, names and parents; a parent may be earlier in the same file.
  std::map<std::string, size_t> in_file;
  std::vector<store::NewArea> batch;
  std::vector<std::string> parent_codes;
  for (const geo::AreaFeature& f : *features) {
    std::string label = FeatureLabel(f);
    store::NewArea na;
    na.area.code = PropOr(f, options.code_prop, {"code", "kod", "OMRADESKOD", "id"});
    if (na.area.code.empty()) na.area.code = f.id;
    na.area.name = PropOr(f, options.name_prop, {"name", "namn", "NAMN", "kom_namn"});
    for (const auto& e : ValidateCode(label + ".code", na.area.code)) errors.push_back(e);
    for (const auto& e : ValidateName(label + ".name", na.area.name)) errors.push_back(e);
    if (cat->FindArea(na.area.code)) {
      errors.push_back({label + ".code", "området \"" + na.area.code + "\" finns redan"});
    }
    if (in_file.count(ingest::FoldKey(na.area.code))) {
      errors.push_back({label + ".code", "koden \"" + na.area.code + "\" förekommer två gånger"});
    }
    in_file[ingest::FoldKey(na.area.code)] = batch.size();
    std::string pop = PropOr(f, "", {"population", "befolkning", "invanare"});
    if (!pop.empty()) {
      int64_t n = 0;
      auto [end, ec] = std::from_chars(pop.data(), pop.data() + pop.size(), n);
      if (ec != std::errc() || end != pop.data() + pop.size() || n < 0) {
        errors.push_back(
            {label + ".population", "\"" + pop + "\" är inte ett heltal (0 eller större)"});
      } else {
        na.area.population = n;
      }
    }
    na.area.source_epsg = f.source_epsg;
    na.geometry = f.geometry;
    parent_codes.push_back(forced_parent ? "" : PropOr(f, options.parent_prop, {}));
    batch.push_back(std::move(na));
  }
  if (!errors.empty()) return Invalid("Områdesfilen avvisades; inget importerades", errors);

  // Store parents first: topological order within the file.
  std::vector<store::NewArea> ordered;
  std::vector<std::string> ordered_parent;
  std::vector<char> placed(batch.size(), 0);
  for (size_t round = 0; round <= batch.size() && ordered.size() < batch.size(); ++round) {
    for (size_t i = 0; i < batch.size(); ++i) {
      if (placed[i]) continue;
      const std::string& pc = parent_codes[i];
      auto it = pc.empty() ? in_file.end() : in_file.find(ingest::FoldKey(pc));
      bool parent_pending = it != in_file.end() && !placed[it->second];
      if (parent_pending) continue;
      placed[i] = 1;
      ordered.push_back(batch[i]);
      ordered_parent.push_back(pc);
    }
  }
  if (ordered.size() != batch.size()) {
    return Invalid("Områdesfilen avvisades: föräldrar bildar en cirkel", {{"parent", "cirkulär"}});
  }
  std::map<std::string, const Area*> stored_by_code;
  for (const Area& a : cat->areas()) stored_by_code[ingest::FoldKey(a.code)] = &a;
  std::map<std::string, int> level_of;
  for (size_t i = 0; i < ordered.size(); ++i) {
    Area& a = ordered[i].area;
    const std::string& pc = ordered_parent[i];
    if (forced_parent) {
      a.parent = forced_parent->id;
      a.level = forced_parent->level + 1;
    } else if (!pc.empty()) {
      std::string key = ingest::FoldKey(pc);
      if (auto s = stored_by_code.find(key); s != stored_by_code.end()) {
        a.parent = s->second->id;
        a.level = s->second->level + 1;
      } else if (level_of.count(key)) {
        a.level = level_of[key] + 1;
        ordered[i].parent_code = batch[in_file[key]].area.code;
      } else {
        errors.push_back({"features (" + a.code + ").parent", "okänt område \"" + pc + "\""});
      }
    }
    level_of[ingest::FoldKey(a.code)] = a.level;
  }
  if (!errors.empty()) return Invalid("Områdesfilen avvisades; inget importerades", errors);
  auto created = write_store_->CreateAreas(ordered, actor);
  if (!created) return Fail(created);
  if (auto s = RefreshCatalog(); !s) return tl::unexpected(s.error());

  // Reassign existing reports to the new deepest areas.
  AreaImportResult result;
  result.areas = *created;
  auto fresh = catalog();
  std::vector<std::pair<ReportId, std::optional<AreaId>>> moves;
  std::vector<Report> moved_reports;
  auto st = store_->ForEachReport([&](const Report& r) {
    if (r.area_only) return;  // its area was given, not found from a point: it stays
    std::optional<AreaId> now;
    if (auto a = fresh->index().Locate(geo::Sweref99Point{r.e, r.n})) now = AreaId{*a};
    if (now != r.area) {
      moves.emplace_back(r.id, now);
      Report copy = r;
      copy.area = now;
      moved_reports.push_back(std::move(copy));
    }
  });
  if (!st) return tl::unexpected(st.error());
  if (auto s = write_store_->SetReportAreas(moves, actor); !s) return tl::unexpected(s.error());
  for (const Report& r : moved_reports) write_engine_->Update(r);
  result.reports_moved = static_cast<int64_t>(moves.size());
  return result;
}

// ---- reports ----

Result<CreateReportResult> System::CreateReport(const ingest::ReportInput& input,
                                                const store::Actor& actor) {
  auto cat = catalog();
  std::vector<FieldError> errors;
  auto resolved = ingest::ResolveReport(input, *cat, NowUnix(), errors);
  if (!resolved) return Invalid("Rapporten är ogiltig", std::move(errors));
  // The form and the API place one report by hand: a point outside every area of the
  // municipality is a slip, refused here (files keep such rows and count them apart).
  if (input.source == ReportSource::kForm && !resolved->report.area && !cat->areas().empty()) {
    return Invalid("Rapporten är ogiltig",
                   {{"location",
                     "punkten ligger utanför kommunens områden; välj en plats i "
                     "kommunen"}});
  }
  resolved->report.reporter = actor.user;
  MutexLock lock(write_mu_);
  if (resolved->report.source_id) {
    auto existing = store_->FindReportBySource(resolved->report.org, *resolved->report.source_id);
    if (!existing) return Fail(existing);
    if (*existing) return CreateReportResult{**existing, false, {}, {}};
  }
  auto outcome = write_store_->InsertReports({resolved->report}, actor);
  if (!outcome) return Fail(outcome);
  if (outcome->reports.empty()) {
    return MakeError(ErrorCode::kConflict, "Rapporten finns redan (samma käll-id)");
  }
  const Report& stored = outcome->reports.front();
  write_engine_->Append(stored);
  CreateReportResult result{stored, true, std::move(resolved->scrubbed), {}};
  // A report supersedes the week's "inget att rapportera" of its organisation for its area (or
  // an area above it, such as an organisation-wide check-in): the check-in becomes "reported".
  if (stored.area) {
    const IsoWeek week = ToIsoWeek(ToLocalDay(stored.occurred_from));
    if (auto checkins = store_->ListCheckInsFor(stored.org, week)) {
      for (CheckIn c : *checkins) {
        if (!c.nothing_to_report) continue;
        bool covers = false;
        for (const Area* cur = cat->AreaById(*stored.area); cur && !covers;
             cur = cur->parent ? cat->AreaById(*cur->parent) : nullptr) {
          covers = cur->id == c.area;
        }
        if (!covers) continue;
        c.nothing_to_report = false;
        c.at = NowUnix();
        if (auto up = write_store_->UpsertCheckIn(c, actor)) {
          const Area* ca = cat->AreaById(c.area);
          result.notes.push_back("Veckans \"inget att rapportera\" för " +
                                 (ca ? ca->name : std::string("området")) + " (" +
                                 FormatIsoWeek(week) + ") är ersatt av den här rapporten.");
        }
      }
    }
  }
  return result;
}

namespace {

// The data rows are parsed and judged in pieces of about this size (~20 000 rows) on worker
// threads while the calling thread inserts the pieces before them: memory stays flat and SQLite,
// which is single-writer, runs alongside validation.
constexpr size_t kPieceBytes = size_t{2} << 20;

// A category or organisation named in the file but unknown to the catalog.
struct UnknownRef {
  std::string key;  // FoldKey of the spelling
  std::string spelling;
  int row = 0;
};

// What the workers make of one piece.
struct PieceResult {
  Status parsed;
  int64_t rows = 0;
  int64_t scrubbed = 0;
  std::vector<Report> reports;                   // the valid rows, in file order
  std::vector<analysis::EngineRow> engine_rows;  // with make_engine_rows: one per report
  std::vector<RejectedRow> rejected;             // the invalid rows, with their fields
  std::vector<UnknownRef> unknown_cats, unknown_orgs;
  std::vector<std::string> used_cats, used_orgs;  // FoldKeys named by valid rows (if asked)
  std::string reparse_error;  // pass over accepted rows: a row that no longer resolves
};

struct PassConfig {
  const app::Catalog* known = nullptr;  // unknown categories/orgs are looked up here
  const app::Catalog* judge = nullptr;  // rows are resolved against this
  bool resolve = true;                     // false: only collect unknowns
  bool collect_used = false;
  bool make_engine_rows = false;  // the inserting pass: the engine's rows, made on the workers
  const std::vector<int>* skip_rows = nullptr;  // sorted row numbers judged invalid before
  std::optional<UserId> reporter;
  UnixSeconds now = 0;
};

PieceResult RunPiece(std::string_view text, const ingest::CsvPlan& plan, size_t piece,
                     const ingest::CsvOptions& csv, const PassConfig& config) {
  PieceResult out;
  std::string prefix;
  out.parsed = ingest::ParseReportsCsvPiece(text, plan, piece, csv, [&](ingest::CsvRowView& v) {
    const ingest::ReportInput& in = v.input;
    if (config.skip_rows &&
        std::binary_search(config.skip_rows->begin(), config.skip_rows->end(), v.row)) {
      return;
    }
    ++out.rows;
    // The first spelling in the file names a new entry.
    if (!in.category.empty() && !config.known->FindCategory(in.category)) {
      out.unknown_cats.push_back({ingest::FoldKey(in.category), in.category, v.row});
    }
    if (!in.org.empty() && !config.known->FindOrg(in.org)) {
      out.unknown_orgs.push_back({ingest::FoldKey(in.org), in.org, v.row});
    }
    if (!config.resolve) return;
    std::vector<FieldError>& errs = v.errors;
    prefix = "rad " + std::to_string(v.row) + ": ";
    for (auto& e : errs) {
      if (e.field.rfind("rad ", 0) != 0) e.field = prefix + e.field;
    }
    auto resolved = ingest::ResolveReport(in, *config.judge, config.now, errs, prefix);
    if (!errs.empty()) {
      if (config.skip_rows && out.reparse_error.empty()) {
        out.reparse_error = "Rad " + std::to_string(v.row) + " kunde inte tolkas om";
      }
      out.rejected.push_back(
          {v.row, std::vector<std::string>(v.fields.begin(), v.fields.end()), std::move(errs)});
      errs.clear();
      return;
    }
    if (config.collect_used) {
      out.used_cats.push_back(ingest::FoldKey(in.category));
      out.used_orgs.push_back(ingest::FoldKey(in.org));
    }
    if (!resolved->scrubbed.empty()) ++out.scrubbed;
    resolved->report.reporter = config.reporter;
    out.reports.push_back(std::move(resolved->report));
  });
  if (config.make_engine_rows) {
    out.engine_rows.reserve(out.reports.size());
    for (const Report& r : out.reports) out.engine_rows.push_back(analysis::Engine::RowOf(r));
  }
  return out;
}

// Runs `work(i)` for i in [0, n) on worker threads and hands the results to `consume` in order on
// the calling thread, at most a few pieces ahead. `consume` returns false to stop early.
void RunOrdered(size_t n, const std::function<PieceResult(size_t)>& work,
                const std::function<bool(size_t, PieceResult&)>& consume) {
  unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  if (n <= 1) {
    for (size_t i = 0; i < n; ++i) {
      PieceResult r = work(i);
      if (!consume(i, r)) return;
    }
    return;
  }
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::optional<PieceResult>> results(n);
  size_t next = 0;
  size_t consumed = 0;
  bool stop = false;
  const size_t window = 2 * static_cast<size_t>(threads) + 1;
  auto worker = [&] {
    for (;;) {
      size_t i;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return stop || next >= n || next < consumed + window; });
        if (stop || next >= n) return;
        i = next++;
      }
      PieceResult r = work(i);
      std::lock_guard lock(mu);
      results[i] = std::move(r);
      cv.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (size_t i = 0; i < n; ++i) {
    PieceResult r;
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return results[i].has_value(); });
      r = std::move(*results[i]);
      results[i].reset();
      consumed = i + 1;
      cv.notify_all();
    }
    if (!consume(i, r)) {
      std::lock_guard lock(mu);
      stop = true;
      cv.notify_all();
      break;
    }
  }
  for (auto& th : pool) th.join();
}

using UnknownMap = std::map<std::string, std::pair<std::string, std::vector<int>>>;

void Merge(UnknownMap& map, std::vector<UnknownRef>& refs) {
  for (UnknownRef& u : refs) {
    auto& e = map[u.key];
    if (e.first.empty()) e.first = std::move(u.spelling);
    e.second.push_back(u.row);
  }
}

}  // namespace

Result<CsvImportResult> System::ImportReportsCsv(std::string_view text,
                                                 const CsvImportOptions& options,
                                                 const store::Actor& actor,
                                                 const ProgressFn& progress) {
  auto plan = ingest::PlanReportsCsv(text, options.csv, kPieceBytes);
  if (!plan) return Fail(plan);
  const size_t n_pieces = plan->pieces.size();
  CsvImportResult result;
  result.header = plan->header;
  result.delimiter = plan->delimiter;
  MutexLock lock(write_mu_);
  auto cat = catalog();
  PassConfig config;
  config.known = cat.get();
  config.judge = cat.get();
  config.reporter = actor.user;
  config.now = NowUnix();
  auto work = [&](size_t i) { return RunPiece(text, *plan, i, options.csv, config); };

  // Unknown categories and organisations, listed once each with the rows that name them.
  UnknownMap unknown_cats, unknown_orgs;
  std::vector<FieldError> row_errors;  // without skip_invalid
  int64_t bad_rows = 0;
  Status parsed;
  // Keeps the outcome of a validating pass: counts, rejected rows and row errors.
  auto account = [&](PieceResult& r) {
    if (!r.parsed) {
      parsed = r.parsed;
      return false;
    }
    result.rows += r.rows;
    result.scrubbed += r.scrubbed;
    Merge(unknown_cats, r.unknown_cats);
    Merge(unknown_orgs, r.unknown_orgs);
    bad_rows += static_cast<int64_t>(r.rejected.size());
    for (RejectedRow& row : r.rejected) {
      if (options.skip_invalid) {
        result.rejected.push_back(std::move(row));
      } else {
        for (FieldError& e : row.errors) row_errors.push_back(std::move(e));
      }
    }
    return true;
  };
  auto rejection = [&]() {
    std::vector<FieldError> errors;
    if (!options.create_missing) {
      auto rows_text = [](const std::vector<int>& rows) {
        std::string s;
        for (size_t i = 0; i < rows.size() && i < 5; ++i) {
          s += (i ? ", " : "") + std::to_string(rows[i]);
        }
        if (rows.size() > 5) s += " … (" + std::to_string(rows.size()) + " rader)";
        return s;
      };
      for (const auto& [k, v] : unknown_cats) {
        errors.push_back({"category", "okänd kategori \"" + v.first + "\" på rad " +
                                          rows_text(v.second) +
                                          " (använd --create-missing för att skapa den)"});
      }
      for (const auto& [k, v] : unknown_orgs) {
        errors.push_back({"org", "okänd organisation \"" + v.first + "\" på rad " +
                                     rows_text(v.second) +
                                     " (använd --create-missing för att skapa den)"});
      }
    }
    for (FieldError& e : row_errors) errors.push_back(std::move(e));
    return Invalid("CSV-filen avvisades: " + std::to_string(bad_rows) + " av " +
                       std::to_string(result.rows) + " rader har fel; inget importerades",
                   std::move(errors));
  };

  // With --create-missing, find what is missing first: when something is, the rows are judged
  // against a catalog that already holds the new entries (provisional ids), so that nothing is
  // created when the file is rejected, and inserted in a last pass once the entries exist.
  std::vector<int> judged_invalid;
  std::shared_ptr<const app::Catalog> judge;
  if (options.create_missing) {
    config.resolve = false;
    RunOrdered(n_pieces, work, [&](size_t, PieceResult& r) {
      if (!r.parsed) {
        parsed = r.parsed;
        return false;
      }
      Merge(unknown_cats, r.unknown_cats);
      Merge(unknown_orgs, r.unknown_orgs);
      return true;
    });
    if (!parsed) return tl::unexpected(parsed.error());
    config.resolve = true;
  }
  if (!unknown_cats.empty() || !unknown_orgs.empty()) {
    auto orgs = cat->orgs();
    auto cats = cat->categories();
    int64_t next = 1'000'000'000;
    for (const auto& [k, v] : unknown_cats) {
      Category c;
      c.id = CategoryId{next++};
      c.code = v.first;
      c.name_sv = v.first;
      cats.push_back(c);
    }
    for (const auto& [k, v] : unknown_orgs) {
      Organisation o;
      o.id = OrgId{next++};
      o.code = v.first;
      o.name = v.first;
      orgs.push_back(o);
    }
    judge = std::make_shared<const app::Catalog>(std::move(orgs), std::move(cats), cat->places(),
                                                    cat->areas(), cat->index_ptr());
    unknown_cats.clear();
    unknown_orgs.clear();
    config.judge = judge.get();
    config.collect_used = true;
    std::set<std::string> used_cats, used_orgs;
    RunOrdered(n_pieces, work, [&](size_t, PieceResult& r) {
      if (!account(r)) return false;
      used_cats.insert(r.used_cats.begin(), r.used_cats.end());
      used_orgs.insert(r.used_orgs.begin(), r.used_orgs.end());
      return true;
    });
    if (!parsed) return tl::unexpected(parsed.error());
    if (progress) progress(result.rows, result.rows, "rader kontrollerade");
    if (bad_rows > 0 && !options.skip_invalid) return rejection();
    for (const RejectedRow& row : result.rejected) judged_invalid.push_back(row.row);
    std::sort(judged_invalid.begin(), judged_invalid.end());

    // Create the missing reference entries that accepted rows use.
    std::set<std::string> new_codes;
    for (const auto& [k, v] : unknown_cats) {
      if (!used_cats.count(k)) continue;
      Category c;
      c.code = v.first;
      c.name_sv = v.first;
      c.name_en = v.first;
      c.group = "ny";
      c.code = FreeCode(CodeFor(v.first), [&](const std::string& k) {
        return cat->FindCategory(k) != nullptr || new_codes.count("category:" + k) > 0;
      });
      new_codes.insert("category:" + c.code);
      c.needs_review = true;
      auto r = write_store_->CreateCategory(c, actor);
      if (!r) return Fail(r);
      result.created_categories.push_back(v.first);
    }
    for (const auto& [k, v] : unknown_orgs) {
      if (!used_orgs.count(k)) continue;
      Organisation o;
      o.code = v.first;
      o.name = v.first;
      o.code = FreeCode(CodeFor(v.first), [&](const std::string& k) {
        return cat->FindOrg(k) != nullptr || new_codes.count("org:" + k) > 0;
      });
      new_codes.insert("org:" + o.code);
      o.needs_review = true;
      auto r = write_store_->CreateOrganisation(o, actor);
      if (!r) return Fail(r);
      result.created_orgs.push_back(v.first);
    }
    if (!result.created_categories.empty() || !result.created_orgs.empty()) {
      if (auto s = RefreshCatalog(); !s) return tl::unexpected(s.error());
      cat = catalog();
    }
    config.known = cat.get();
    config.judge = cat.get();
    config.collect_used = false;
    config.skip_rows = &judged_invalid;
  }

  // Judge and insert in one transaction. A rejected file is rolled back, which leaves the
  // database file as it was; the pieces after the first bad row are still judged, to list every
  // error, but no longer inserted.
  const bool reinsert = config.skip_rows != nullptr;  // rows were judged in an earlier pass
  config.make_engine_rows = true;
  auto import = write_store_->BeginReportImport();
  if (!import) return Fail(import);
  Status inserted;
  // What the engine gets once the import is committed: its own rows (32 bytes a report), not the
  // reports, which are dropped piece by piece as soon as they are stored.
  std::vector<std::vector<analysis::EngineRow>> accepted;
  RunOrdered(n_pieces, work, [&](size_t, PieceResult& r) {
    if (reinsert) {
      if (!r.parsed) {
        parsed = r.parsed;
        return false;
      }
      if (!r.reparse_error.empty()) {
        inserted = MakeError(ErrorCode::kInternal, r.reparse_error);
        return false;
      }
    } else if (!account(r)) {
      return false;
    }
    if (bad_rows > 0 && !options.skip_invalid) return true;
    auto n = (*import)->Insert(r.reports);
    if (!n) {
      inserted = tl::unexpected(n.error());
      return false;
    }
    for (size_t i = 0; i < r.reports.size(); ++i) {
      const Report& stored = r.reports[i];
      r.engine_rows[i].id = stored.id.value;  // 0: already present
      result.outside += stored.id.value != 0 && !stored.area;
    }
    accepted.push_back(std::move(r.engine_rows));
    return true;
  });
  if (!parsed) return tl::unexpected(parsed.error());
  if (!inserted) return tl::unexpected(inserted.error());
  if (!reinsert && progress) progress(result.rows, result.rows, "rader kontrollerade");
  if (!reinsert && bad_rows > 0 && !options.skip_invalid) return rejection();
  auto outcome = (*import)->Commit(actor);
  if (!outcome) return Fail(outcome);
  import->reset();
  result.inserted = outcome->inserted;
  result.already_present = outcome->already_present;
  // Into the engine a piece at a time (AppendRows writes each week's rows together and skips
  // the already-present rows, whose id is 0).
  for (const auto& piece : accepted) write_engine_->AppendRows(piece);
  return result;
}

Result<Report> System::UpdateReport(ReportId id, const ReportPatch& patch, int expected_version,
                                    const store::Actor& actor) {
  MutexLock lock(write_mu_);
  auto current = store_->GetReport(id);
  if (!current) return Fail(current);
  if (!*current) return MakeError(ErrorCode::kNotFound, "Rapporten finns inte");
  Report r = **current;
  // A stale edit is answered as a conflict before its fields are judged (the store checks again).
  if (r.version != expected_version) {
    return MakeError(ErrorCode::kConflict,
                     "Rapporten har ändrats av någon annan (version " + std::to_string(r.version) +
                         "); läs om den och försök igen",
                     {{"version", "förväntade " + std::to_string(expected_version) + ", lagrad " +
                                      std::to_string(r.version)}});
  }
  auto cat = catalog();
  std::vector<FieldError> errors;
  // The fields a report was created with are judged by the same rules (ingest/report_input.h).
  if (patch.category) ingest::ApplyCategory(*patch.category, *cat, r, errors);
  if (patch.severity) ingest::ApplySeverity(*patch.severity, r, errors);
  if (patch.count) ingest::ApplyCount(*patch.count, r, errors);
  if (patch.certainty) ingest::ApplyCertainty(*patch.certainty, r, errors);
  if (patch.police_notified) r.police_notified = *patch.police_notified;
  if (patch.description) ingest::ApplyDescription(*patch.description, *cat, r, errors);
  if (patch.status) {
    if (auto s = ParseReportStatus(*patch.status)) {
      r.status = *s;
    } else {
      errors.push_back({"status", "måste vara new, reviewed, rejected eller duplicate"});
    }
  }
  if (patch.review_note) {
    if (Utf8Length(*patch.review_note) > 2000) {  // characters, as the HTTP layer counts them
      errors.push_back({"review_note", "får vara högst 2000 tecken"});
    } else {
      r.review_note = ingest::ScrubPersonalData(*patch.review_note, cat->scrub_exclusions()).text;
    }
  }
  if (patch.duplicate_of) {
    if (*patch.duplicate_of == 0) {
      r.duplicate_of.reset();
    } else if (*patch.duplicate_of == id.value) {
      errors.push_back({"duplicate_of", "en rapport kan inte vara dubblett av sig själv"});
    } else {
      auto original = store_->GetReport(ReportId{*patch.duplicate_of});
      if (!original) return Fail(original);
      if (!*original) {
        errors.push_back(
            {"duplicate_of", "rapport " + std::to_string(*patch.duplicate_of) + " finns inte"});
      } else {
        r.duplicate_of = ReportId{*patch.duplicate_of};
      }
    }
  }
  if (r.status == ReportStatus::kDuplicate && !r.duplicate_of && errors.empty()) {
    errors.push_back({"duplicate_of", "ange vilken rapport detta är en dubblett av"});
  }
  if (r.status != ReportStatus::kDuplicate) r.duplicate_of.reset();
  if (patch.status && r.status == ReportStatus::kRejected && r.review_note.empty()) {
    errors.push_back({"review_note", "ange varför rapporten avvisas"});
  }
  if (patch.place) {
    const Place* p = cat->FindPlace(*patch.place);
    if (!p) {
      for (const auto& x : cat->places()) {
        if (std::to_string(x.id.value) == *patch.place) p = &x;
      }
    }
    if (!p) {
      errors.push_back({"place", "okänd plats \"" + *patch.place + "\""});
    } else {
      r.place = p->id;
      r.e = p->e;
      r.n = p->n;
      r.source_epsg = 3006;
    }
  } else if (patch.lon || patch.lat) {
    // A corrected point: the create rules for lon/lat; a point outside Sweden names "lon".
    const size_t before = errors.size();
    ingest::ApplyPoint(patch.lon, patch.lat, true, 4326, r, errors, "", "lon");
    if (errors.size() == before) r.place.reset();
  }
  if (patch.place || patch.lon) {
    r.area_only = false;  // the reviewer gave it a point
    geo::Wgs84Point w = geo::ToWgs84(geo::Sweref99Point{r.e, r.n});
    r.lon = w.lon;
    r.lat = w.lat;
    r.area.reset();
    if (auto a = cat->index().Locate(geo::Sweref99Point{r.e, r.n})) r.area = AreaId{*a};
  }
  if (!errors.empty()) return Invalid("Ändringen är ogiltig", std::move(errors));
  auto updated = write_store_->UpdateReport(r, expected_version, actor);
  if (!updated) return updated;
  write_engine_->Update(*updated);
  return updated;
}

Result<CheckIn> System::RecordCheckIn(const std::string& org, const std::string& area,
                                      const std::string& week, bool nothing_to_report,
                                      const store::Actor& actor) {
  auto cat = catalog();
  std::vector<FieldError> errors;
  const Organisation* o = cat->FindOrg(org);
  if (!o) errors.push_back({"org", "okänd organisation \"" + org + "\""});
  // No area: organisation-wide, for the municipality (the root area) and so every area in it.
  const Area* a = nullptr;
  if (area.empty()) {
    for (const Area& candidate : cat->areas()) {
      if (candidate.parent) continue;
      if (a) {
        errors.push_back({"area", "flera kommuner finns; ange vilket område incheckningen gäller"});
        break;
      }
      a = &candidate;
    }
    if (!a && cat->areas().empty()) errors.push_back({"area", "inga områden finns"});
  } else {
    a = cat->FindArea(area);
    if (!a) errors.push_back({"area", "okänt område \"" + area + "\""});
  }
  auto w = ParseIsoWeek(week);
  if (!w) errors.push_back({"week", "måste vara en ISO-vecka som 2026-W47"});
  if (w && IsoWeekStart(w->year, w->week) > ToLocalDay(NowUnix())) {
    errors.push_back({"week", "veckan har inte börjat än"});
  }
  if (!errors.empty()) return Invalid("Incheckningen är ogiltig", std::move(errors));
  // "Inget att rapportera" where the organisation has reported that week contradicts the picture.
  if (nothing_to_report) {
    analysis::LagesbildQuery q;
    q.period = MakeWeekPeriod(*w);
    q.areas = {a->id};
    q.orgs = {o->id};
    q.coverage = false;
    const int64_t n = engine_.Compute(q).total;
    if (n > 0) {
      return Invalid(
          "Incheckningen motsäger veckans rapporter",
          {{"nothing_to_report", o->name + " har redan " + std::to_string(n) +
                                     (n == 1 ? " rapport" : " rapporter") + " i " + a->name +
                                     " vecka " + FormatIsoWeek(*w) +
                                     "; \"inget att rapportera\" stämmer inte (checka in som "
                                     "\"har rapporterat\" eller granska rapporterna)"}});
    }
  }
  CheckIn c;
  c.org = o->id;
  c.area = a->id;
  c.week = *w;
  c.nothing_to_report = nothing_to_report;
  c.by = actor.user;
  c.at = NowUnix();
  MutexLock lock(write_mu_);
  auto stored = write_store_->UpsertCheckIn(c, actor);
  if (!stored) return stored;
  write_engine_->AddCheckIn(*stored);
  return stored;
}

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
  for (const std::string& code : p.categories) {
    if (const Category* c = cat->FindCategory(code)) {
      q.categories.push_back(c->id);
    } else {
      errors.push_back({"category", "okänd kategori \"" + code + "\""});
    }
  }
  for (const std::string& code : p.orgs) {
    if (const Organisation* o = cat->FindOrg(code)) {
      q.orgs.push_back(o->id);
    } else {
      errors.push_back({"org", "okänd organisation \"" + code + "\""});
    }
  }
  if (!p.dimension.empty()) {
    if (auto d = ParseDimension(p.dimension)) {
      q.dimension = *d;
    } else {
      errors.push_back({"dimension", "måste vara säkerhet eller trygghet"});
    }
  }
  if (!errors.empty()) return Invalid("Ogiltiga parametrar för lägesbilden", std::move(errors));
  return q;
}

}  // namespace est::app
