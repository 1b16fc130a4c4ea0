// Configuration use cases: organisations, users (passwords), categories, places and the import
// of areas (with the re-assignment of reports whose deepest area changes).
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

#include "app/use_case_util.h"
#include "core/password.h"
#include "core/text.h"
#include "geo/area_index.h"
#include "geo/crs.h"
#include "geo/geojson.h"
#include "geo/validate.h"
#include "ingest/scrub.h"

namespace est::app {
namespace {

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

std::string FeatureLabel(const geo::AreaFeature& f) {
  std::string label = "features[" + std::to_string(f.index) + "]";
  if (!f.id.empty()) label += " (id: " + f.id + ")";
  return label;
}

}  // namespace

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

}  // namespace est::app
