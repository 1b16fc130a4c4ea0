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

// --parent auto: for each new area, the smallest stored area that holds at least half of its
// surface (boundaries of different sources never match exactly: the police's polygons and a
// simplified municipality border overlap by a few metres), or null when none does; and a stored
// area that covers the same ground (each holds 95 % of the other), which means the area is
// stored already under another code.
struct Holder {
  const Area* parent = nullptr;
  const Area* same = nullptr;
};
Result<std::vector<Holder>> FindHolders(const std::vector<store::NewArea>& batch,
                                        const Catalog& cat, store::Store& store) {
  struct Stored {
    const Area* area;
    geo::MultiPolygon geometry;
    geo::Bbox box;
    double size;
  };
  std::vector<Stored> stored;
  for (const Area& a : cat.areas()) {
    auto g = store.AreaGeometry(a.id);
    if (!g) return tl::unexpected(g.error());
    if (!*g) continue;
    geo::Bbox box = (*g)->bounds();
    double size = (*g)->Area();
    stored.push_back({&a, std::move(**g), box, size});
  }
  std::vector<Holder> out;
  for (const store::NewArea& na : batch) {
    Holder h;
    double best_size = 0;
    double own = na.geometry.Area();
    geo::Bbox box = na.geometry.bounds();
    for (const Stored& s : stored) {
      if (own <= 0 || box.empty() || s.box.empty() || box.max_e < s.box.min_e ||
          s.box.max_e < box.min_e || box.max_n < s.box.min_n || s.box.max_n < box.min_n) {
        continue;
      }
      if (h.parent && s.size >= best_size && s.size > 1.06 * own) continue;
      double common = geo::GeosIntersectionArea(na.geometry, s.geometry);
      if (common >= 0.95 * own && common >= 0.95 * s.size) {
        h.same = s.area;
        continue;
      }
      if (common < 0.5 * own || (h.parent && s.size >= best_size)) continue;
      h.parent = s.area;
      best_size = s.size;
    }
    out.push_back(h);
  }
  return out;
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
  const bool parent_auto = options.parent_code == kParentAuto;
  if (!options.parent_code.empty() && !parent_auto) {
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
    // The police's list: OMRADESKOD is the local police area, shared by several areas, so the
    // area's own key is SPECIALOMRADES_ID.
    na.area.code = PropOr(f, options.code_prop, {"code", "kod", "SPECIALOMRADES_ID", "id"});
    if (na.area.code.empty()) na.area.code = f.id;
    na.area.name = PropOr(f, options.name_prop, {"name", "namn", "NAMN", "kom_namn"});
    for (const auto& e : ValidateCode(label + ".code", na.area.code)) errors.push_back(e);
    for (const auto& e : ValidateName(label + ".name", na.area.name)) errors.push_back(e);
    if (cat->FindArea(na.area.code)) {
      errors.push_back({label + ".code", "området \"" + na.area.code + "\" finns redan"});
    }
    if (auto first = in_file.find(ingest::FoldKey(na.area.code)); first != in_file.end()) {
      const store::NewArea& other = batch[first->second];
      errors.push_back({label + ".code", "koden \"" + na.area.code + "\" har redan " +
                                             FeatureLabel((*features)[first->second]) + " " +
                                             other.area.name + "; varje område behöver en egen kod" +
                                             (options.code_prop.empty()
                                                  ? ""
                                                  : " (välj en annan egenskap än " +
                                                        options.code_prop + ")")});
    }
    in_file.emplace(ingest::FoldKey(na.area.code), batch.size());
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
    parent_codes.push_back(forced_parent || parent_auto ? "" : PropOr(f, options.parent_prop, {}));
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
  std::vector<const Area*> auto_parent;
  std::vector<std::string> outside;
  if (parent_auto) {
    auto found = FindHolders(ordered, *cat, *store_);
    if (!found) return Fail(found);
    // An area no stored area holds lies outside what this database covers (the police's list
    // holds the whole country): it is left out and named, not made a new top-level area.
    std::vector<store::NewArea> kept;
    for (size_t i = 0; i < ordered.size(); ++i) {
      const Holder& h = (*found)[i];
      if (h.same) {
        // With --parent auto the order is the file's (no parent properties are read).
        errors.push_back({FeatureLabel((*features)[i]) + ".geometry",
                          "täcker samma yta som det befintliga området " + h.same->code + " " +
                              h.same->name + " (redan importerat med en annan kod?)"});
      } else if (h.parent) {
        kept.push_back(std::move(ordered[i]));
        auto_parent.push_back(h.parent);
      } else {
        outside.push_back(ordered[i].area.code + " " + ordered[i].area.name);
      }
    }
    if (!errors.empty()) return Invalid("Områdesfilen avvisades; inget importerades", errors);
    if (kept.empty()) {
      return Invalid("Inget av filens områden ligger inom ett befintligt område; inget importerades",
                     {{"--parent", "auto: inget område rymmer minst halva ytan av något av dem "
                                   "(fel koordinatsystem, eller kommunens områden saknas?)"}});
    }
    ordered = std::move(kept);
    ordered_parent.assign(ordered.size(), "");
  }
  std::map<std::string, const Area*> stored_by_code;
  for (const Area& a : cat->areas()) stored_by_code[ingest::FoldKey(a.code)] = &a;
  std::map<std::string, int> level_of;
  for (size_t i = 0; i < ordered.size(); ++i) {
    Area& a = ordered[i].area;
    const std::string& pc = ordered_parent[i];
    const Area* fixed = forced_parent ? forced_parent : parent_auto ? auto_parent[i] : nullptr;
    if (fixed) {
      a.parent = fixed->id;
      a.level = fixed->level + 1;
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
  result.outside = std::move(outside);
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
