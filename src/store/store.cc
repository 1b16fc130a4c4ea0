// The store's SQL, shared by SQLite and PostgreSQL (sql_store.h): configuration, reports,
// check-ins, sessions and the audit trail. Each public method takes the mutex, opens a
// transaction where it writes, and appends its audit entry inside that same transaction.
#include <algorithm>
#include <bit>
#include <limits>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "core/password.h"
#include "geo/geojson.h"
#include "store/sql_store.h"

namespace est::store {

std::string ChainInput(const AuditEntry& e) {
  return e.prev_hash + "\x1f" + std::to_string(e.seq) + "\x1f" + std::to_string(e.at) + "\x1f" +
         e.actor + "\x1f" + e.action + "\x1f" + e.entity + "\x1f" + e.entity_id + "\x1f" +
         e.before + "\x1f" + e.after;
}

namespace {

using nlohmann::json;

json ToJson(const Organisation& o) {
  return {{"id", o.id.value}, {"code", o.code}, {"name", o.name}, {"kind", OrgKindText(o.kind)}};
}
json ToJson(const User& u) {
  return {{"id", u.id.value},
          {"login", u.login},
          {"role", RoleText(u.role)},
          {"org", u.org ? json(u.org->value) : json(nullptr)},
          {"disabled", u.disabled}};
}
json ToJson(const Category& c) {
  return {{"id", c.id.value},
          {"code", c.code},
          {"name_sv", c.name_sv},
          {"dimension", DimensionText(c.dimension)}};
}
json ReportJson(const Report& r) {
  return {{"id", r.id.value},
          {"org", r.org.value},
          {"occurred_from", r.occurred_from},
          {"occurred_to", r.occurred_to ? json(*r.occurred_to) : json(nullptr)},
          {"e", r.e},
          {"n", r.n},
          {"area", r.area ? json(r.area->value) : json(nullptr)},
          {"place", r.place ? json(r.place->value) : json(nullptr)},
          {"category", r.category.value},
          {"severity", r.severity},
          {"count", r.count},
          {"certainty", CertaintyText(r.certainty)},
          {"police_notified", r.police_notified},
          {"description", r.description},
          {"status", ReportStatusText(r.status)},
          {"review_note", r.review_note},
          {"duplicate_of", r.duplicate_of ? json(r.duplicate_of->value) : json(nullptr)},
          {"area_only", r.area_only},
          {"version", r.version}};
}

}  // namespace

const char* const kReportInsertColumns =
    "org_id, reporter_id, occurred_from, occurred_to, reported_at, e, n, lon, lat, source_epsg, "
    "area_id, place_id, category_id, severity, count, certainty, police_notified, description, "
    "source, source_id, status, version, area_only";

const char* const kReportColumns =
    "id, org_id, reporter_id, occurred_from, occurred_to, reported_at, e, n, lon, lat, "
    "source_epsg, area_id, place_id, category_id, severity, count, certainty, police_notified, "
    "description, source, source_id, status, version, review_note, duplicate_of, area_only";

Report ReadReport(const Stmt& s) {
  Report r;
  r.id = ReportId{s.Int(0)};
  r.org = OrgId{s.Int(1)};
  if (auto v = s.OptInt(2)) r.reporter = UserId{*v};
  r.occurred_from = s.Int(3);
  r.occurred_to = s.OptInt(4);
  r.reported_at = s.Int(5);
  r.e = s.Real(6);
  r.n = s.Real(7);
  r.lon = s.Real(8);
  r.lat = s.Real(9);
  r.source_epsg = static_cast<int>(s.Int(10));
  if (auto v = s.OptInt(11)) r.area = AreaId{*v};
  if (auto v = s.OptInt(12)) r.place = PlaceId{*v};
  r.category = CategoryId{s.Int(13)};
  r.severity = static_cast<int>(s.Int(14));
  r.count = static_cast<int>(s.Int(15));
  r.certainty = ParseCertainty(s.Text(16)).value_or(Certainty::kObserved);
  r.police_notified = s.Int(17) != 0;
  r.description = s.Text(18);
  r.source = ParseReportSource(s.Text(19)).value_or(ReportSource::kForm);
  if (!s.IsNull(20)) r.source_id = s.Text(20);
  r.status = ParseReportStatus(s.Text(21)).value_or(ReportStatus::kNew);
  r.version = static_cast<int>(s.Int(22));
  r.review_note = s.Text(23);
  if (auto v = s.OptInt(24)) r.duplicate_of = ReportId{*v};
  r.area_only = s.Int(25) != 0;
  return r;
}

std::string ReportAuditJson(const Report& r) { return ReportJson(r).dump(); }

SqlStore::SqlStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqlStore::~SqlStore() = default;

Status SqlStore::Impl::PrepareCommon() {
  auto ins = db.Prepare(std::string("INSERT INTO reports(") + kReportInsertColumns +
                        ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                        "ON CONFLICT(org_id, source_id) WHERE source_id IS NOT NULL DO NOTHING "
                        "RETURNING id");
  if (!ins) return Fail(ins);
  insert_report = std::move(*ins);
  auto find = db.Prepare(std::string("SELECT ") + kReportColumns +
                         " FROM reports WHERE org_id = ? AND source_id = ?");
  if (!find) return Fail(find);
  find_source = std::move(*find);
  return {};
}

int SqlStore::schema_version() const { return impl_->version; }

// ---- organisations ----

Result<Organisation> SqlStore::CreateOrganisation(const Organisation& org, const Actor& actor) {
  std::lock_guard lock(impl_->mu);
  Transaction tx(impl_->db);
  if (!tx.status()) return tl::unexpected(tx.status().error());
  auto s = impl_->db.Prepare(
      "INSERT INTO organisations(code, name, kind, parent_id, needs_review) VALUES (?,?,?,?,?) "
      "RETURNING id");
  if (!s) return Fail(s);
  s->Bind(1, org.code).Bind(2, org.name).Bind(3, OrgKindText(org.kind));
  s->Bind(4, OptId(org.parent)).Bind(5, org.needs_review ? 1 : 0);
  auto inserted_id = s->RunReturning();
  if (auto& r = inserted_id; !r) {
    if (r.error().code == ErrorCode::kConflict) {
      return MakeError(ErrorCode::kConflict, "Organisationskoden finns redan",
                       {{"code", "\"" + org.code + "\" används redan"}});
    }
    return tl::unexpected(r.error());
  }
  Organisation out = org;
  out.id = OrgId{inserted_id->value_or(0)};
  if (auto a = impl_->Audit(actor, "create", "organisation", std::to_string(out.id.value), "",
                            ToJson(out).dump());
      !a) {
    return tl::unexpected(a.error());
  }
  if (auto c = tx.Commit(); !c) return tl::unexpected(c.error());
  return out;
}

Result<std::vector<Organisation>> SqlStore::ListOrganisations() {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(
      "SELECT id, code, name, kind, parent_id, needs_review FROM organisations ORDER BY code");
  if (!s) return Fail(s);
  std::vector<Organisation> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    Organisation o;
    o.id = OrgId{s->Int(0)};
    o.code = s->Text(1);
    o.name = s->Text(2);
    o.kind = ParseOrgKind(s->Text(3)).value_or(OrgKind::kAnnan);
    if (auto p = s->OptInt(4)) o.parent = OrgId{*p};
    o.needs_review = s->Int(5) != 0;
    out.push_back(std::move(o));
  }
  return out;
}

// ---- users ----

namespace {
User ReadUser(const Stmt& s) {
  User u;
  u.id = UserId{s.Int(0)};
  u.login = s.Text(1);
  u.display_name = s.Text(2);
  u.role = ParseRole(s.Text(3)).value_or(Role::kViewer);
  if (auto o = s.OptInt(4)) u.org = OrgId{*o};
  u.disabled = s.Int(5) != 0;
  return u;
}
constexpr const char* kUserColumns = "id, login, display_name, role, org_id, disabled";
}  // namespace

Result<User> SqlStore::CreateUser(const User& user, const std::string& password_hash,
                                  const Actor& actor) {
  std::lock_guard lock(impl_->mu);
  Transaction tx(impl_->db);
  if (!tx.status()) return tl::unexpected(tx.status().error());
  auto s = impl_->db.Prepare(
      "INSERT INTO users(login, display_name, password_hash, role, org_id, disabled) "
      "VALUES (?,?,?,?,?,?) RETURNING id");
  if (!s) return Fail(s);
  s->Bind(1, user.login).Bind(2, user.display_name).Bind(3, password_hash);
  s->Bind(4, RoleText(user.role)).Bind(5, OptId(user.org)).Bind(6, user.disabled ? 1 : 0);
  auto inserted_id = s->RunReturning();
  if (auto& r = inserted_id; !r) {
    if (r.error().code == ErrorCode::kConflict) {
      return MakeError(ErrorCode::kConflict,
                       "Användarnamnet finns redan eller organisationen saknas",
                       {{"login", "\"" + user.login + "\" används redan"}});
    }
    return tl::unexpected(r.error());
  }
  User out = user;
  out.id = UserId{inserted_id->value_or(0)};
  if (auto a = impl_->Audit(actor, "create", "user", std::to_string(out.id.value), "",
                            ToJson(out).dump());
      !a) {
    return tl::unexpected(a.error());
  }
  if (auto c = tx.Commit(); !c) return tl::unexpected(c.error());
  return out;
}

Result<User> SqlStore::UpdateUser(const User& user, const std::optional<std::string>& password_hash,
                                  const Actor& actor) {
  std::lock_guard lock(impl_->mu);
  Transaction tx(impl_->db);
  if (!tx.status()) return tl::unexpected(tx.status().error());
  auto cur = impl_->db.Prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?");
  if (!cur) return Fail(cur);
  cur->Bind(1, user.id.value);
  auto row = cur->Step();
  if (!row) return Fail(row);
  if (!*row) return MakeError(ErrorCode::kNotFound, "Användaren finns inte");
  User before = ReadUser(*cur);
  cur->Reset();
  auto s = impl_->db.Prepare(
      "UPDATE users SET display_name = ?, role = ?, org_id = ?, disabled = ? WHERE id = ?");
  if (!s) return Fail(s);
  s->Bind(1, user.display_name).Bind(2, RoleText(user.role)).Bind(3, OptId(user.org));
  s->Bind(4, user.disabled ? 1 : 0).Bind(5, user.id.value);
  if (auto r = s->Run(); !r) return tl::unexpected(r.error());
  json after = ToJson(user);
  if (password_hash) {
    auto p = impl_->db.Prepare("UPDATE users SET password_hash = ? WHERE id = ?");
    if (!p) return Fail(p);
    p->Bind(1, *password_hash).Bind(2, user.id.value);
    if (auto r = p->Run(); !r) return tl::unexpected(r.error());
    after["password"] = "ändrat";
    // Existing sessions end with a new password.
    auto d = impl_->db.Prepare("DELETE FROM sessions WHERE user_id = ?");
    if (!d) return Fail(d);
    d->Bind(1, user.id.value);
    if (auto r = d->Run(); !r) return tl::unexpected(r.error());
  }
  if (user.disabled) {
    auto d = impl_->db.Prepare("DELETE FROM sessions WHERE user_id = ?");
    if (!d) return Fail(d);
    d->Bind(1, user.id.value);
    if (auto r = d->Run(); !r) return tl::unexpected(r.error());
  }
  if (auto a = impl_->Audit(actor, "update", "user", std::to_string(user.id.value),
                            ToJson(before).dump(), after.dump());
      !a) {
    return tl::unexpected(a.error());
  }
  if (auto c = tx.Commit(); !c) return tl::unexpected(c.error());
  User out = user;
  out.login = before.login;
  return out;
}

Result<std::vector<User>> SqlStore::ListUsers() {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY login");
  if (!s) return Fail(s);
  std::vector<User> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    out.push_back(ReadUser(*s));
  }
  return out;
}

Result<std::optional<User>> SqlStore::GetUser(UserId id) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?");
  if (!s) return Fail(s);
  s->Bind(1, id.value);
  auto row = s->Step();
  if (!row) return Fail(row);
  if (!*row) return std::optional<User>();
  return std::optional<User>(ReadUser(*s));
}

Result<std::optional<std::pair<User, std::string>>> SqlStore::FindLogin(const std::string& login) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(std::string("SELECT ") + kUserColumns +
                             ", password_hash FROM users WHERE login = ?");
  if (!s) return Fail(s);
  s->Bind(1, login);
  auto row = s->Step();
  if (!row) return Fail(row);
  using Out = std::optional<std::pair<User, std::string>>;
  if (!*row) return Out();
  return Out(std::make_pair(ReadUser(*s), s->Text(6)));
}

Result<int64_t> SqlStore::CountUsers() {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare("SELECT COUNT(*) FROM users");
  if (!s) return Fail(s);
  auto row = s->Step();
  if (!row) return Fail(row);
  return s->Int(0);
}

// ---- categories ----

Result<Category> SqlStore::CreateCategory(const Category& c, const Actor& actor) {
  std::lock_guard lock(impl_->mu);
  Transaction tx(impl_->db);
  if (!tx.status()) return tl::unexpected(tx.status().error());
  auto s = impl_->db.Prepare(
      "INSERT INTO categories(code, name_sv, name_en, grp, dimension, default_severity, "
      "parent_id, active, needs_review) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id");
  if (!s) return Fail(s);
  s->Bind(1, c.code).Bind(2, c.name_sv).Bind(3, c.name_en).Bind(4, c.group);
  s->Bind(5, DimensionText(c.dimension)).Bind(6, c.default_severity).Bind(7, OptId(c.parent));
  s->Bind(8, c.active ? 1 : 0).Bind(9, c.needs_review ? 1 : 0);
  auto inserted_id = s->RunReturning();
  if (auto& r = inserted_id; !r) {
    if (r.error().code == ErrorCode::kConflict) {
      return MakeError(ErrorCode::kConflict, "Kategorikoden finns redan",
                       {{"code", "\"" + c.code + "\" används redan"}});
    }
    return tl::unexpected(r.error());
  }
  Category out = c;
  out.id = CategoryId{inserted_id->value_or(0)};
  if (auto a = impl_->Audit(actor, "create", "category", std::to_string(out.id.value), "",
                            ToJson(out).dump());
      !a) {
    return tl::unexpected(a.error());
  }
  if (auto cm = tx.Commit(); !cm) return tl::unexpected(cm.error());
  return out;
}

Result<std::vector<Category>> SqlStore::ListCategories() {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(
      "SELECT id, code, name_sv, name_en, grp, dimension, default_severity, parent_id, active, "
      "needs_review FROM categories ORDER BY id");
  if (!s) return Fail(s);
  std::vector<Category> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    Category c;
    c.id = CategoryId{s->Int(0)};
    c.code = s->Text(1);
    c.name_sv = s->Text(2);
    c.name_en = s->Text(3);
    c.group = s->Text(4);
    c.dimension = ParseDimension(s->Text(5)).value_or(Dimension::kSakerhet);
    c.default_severity = static_cast<int>(s->Int(6));
    if (auto p = s->OptInt(7)) c.parent = CategoryId{*p};
    c.active = s->Int(8) != 0;
    c.needs_review = s->Int(9) != 0;
    out.push_back(std::move(c));
  }
  return out;
}

// ---- areas ----

Result<std::vector<Area>> SqlStore::CreateAreas(const std::vector<NewArea>& areas,
                                                const Actor& actor) {
  std::lock_guard lock(impl_->mu);
  Transaction tx(impl_->db);
  if (!tx.status()) return tl::unexpected(tx.status().error());
  auto s = impl_->db.Prepare(
      "INSERT INTO areas(code, name, parent_id, level, population, source_epsg, geometry) "
      "VALUES (?,?,?,?,?,?,?) RETURNING id");
  if (!s) return Fail(s);
  std::vector<Area> out;
  std::map<std::string, AreaId> batch_ids;
  json codes = json::array();
  for (size_t i = 0; i < areas.size(); ++i) {
    Area a = areas[i].area;
    if (!a.parent && !areas[i].parent_code.empty()) {
      auto it = batch_ids.find(areas[i].parent_code);
      if (it == batch_ids.end()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "Föräldraområdet \"" + areas[i].parent_code + "\" saknas",
                         {{"features[" + std::to_string(i) + "].parent", "okänt område"}});
      }
      a.parent = it->second;
    }
    s->Bind(1, a.code).Bind(2, a.name).Bind(3, OptId(a.parent)).Bind(4, a.level);
    s->Bind(5, a.population).Bind(6, a.source_epsg);
    s->Bind(7, geo::ToGeoJsonGeometry(areas[i].geometry, false));
    auto inserted_id = s->RunReturning();
    if (auto& r = inserted_id; !r) {
      if (r.error().code == ErrorCode::kConflict) {
        return MakeError(
            ErrorCode::kConflict,
            "Områdeskoden \"" + a.code + "\" finns redan; inget område importerades",
            {{"features[" + std::to_string(i) + "].code", "\"" + a.code + "\" används redan"}});
      }
      return tl::unexpected(r.error());
    }
    Area stored = a;
    stored.id = AreaId{inserted_id->value_or(0)};
    batch_ids[a.code] = stored.id;
    codes.push_back(a.code);
    out.push_back(std::move(stored));
  }
  json after = {{"count", out.size()}, {"codes", codes}};
  if (auto au = impl_->Audit(actor, "import", "area", "", "", after.dump()); !au) {
    return tl::unexpected(au.error());
  }
  if (auto c = tx.Commit(); !c) return tl::unexpected(c.error());
  return out;
}

Result<std::vector<Area>> SqlStore::ListAreas() {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(
      "SELECT id, code, name, parent_id, level, population, source_epsg FROM areas ORDER BY "
      "level, code");
  if (!s) return Fail(s);
  std::vector<Area> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    Area a;
    a.id = AreaId{s->Int(0)};
    a.code = s->Text(1);
    a.name = s->Text(2);
    if (auto p = s->OptInt(3)) a.parent = AreaId{*p};
    a.level = static_cast<int>(s->Int(4));
    a.population = s->OptInt(5);
    a.source_epsg = static_cast<int>(s->Int(6));
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::optional<geo::MultiPolygon>> SqlStore::AreaGeometry(AreaId id) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare("SELECT geometry FROM areas WHERE id = ?");
  if (!s) return Fail(s);
  s->Bind(1, id.value);
  auto row = s->Step();
  if (!row) return Fail(row);
  if (!*row) return std::optional<geo::MultiPolygon>();
  auto g = geo::ParseGeometrySweref(s->Text(0));
  if (!g) return Fail(g);
  return std::optional<geo::MultiPolygon>(std::move(*g));
}

Result<std::vector<NewArea>> SqlStore::AllAreaGeometries() {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(
      "SELECT id, code, name, parent_id, level, population, source_epsg, geometry FROM areas "
      "ORDER BY id");
  if (!s) return Fail(s);
  std::vector<NewArea> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    NewArea na;
    na.area.id = AreaId{s->Int(0)};
    na.area.code = s->Text(1);
    na.area.name = s->Text(2);
    if (auto p = s->OptInt(3)) na.area.parent = AreaId{*p};
    na.area.level = static_cast<int>(s->Int(4));
    na.area.population = s->OptInt(5);
    na.area.source_epsg = static_cast<int>(s->Int(6));
    auto g = geo::ParseGeometrySweref(s->Text(7));
    if (!g) return Fail(g);
    na.geometry = std::move(*g);
    out.push_back(std::move(na));
  }
  return out;
}

Result<std::vector<std::pair<int64_t, int64_t>>> SqlStore::ReportCountsByArea() {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(
      "SELECT COALESCE(area_id, 0), COUNT(*) FROM reports GROUP BY COALESCE(area_id, 0)");
  if (!s) return Fail(s);
  std::vector<std::pair<int64_t, int64_t>> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    out.emplace_back(s->Int(0), s->Int(1));
  }
  return out;
}

// ---- places ----

Result<Place> SqlStore::CreatePlace(const Place& p, const Actor& actor) {
  std::lock_guard lock(impl_->mu);
  Transaction tx(impl_->db);
  if (!tx.status()) return tl::unexpected(tx.status().error());
  auto s = impl_->db.Prepare(
      "INSERT INTO places(name, kind, e, n, area_id) VALUES (?,?,?,?,?) RETURNING id");
  if (!s) return Fail(s);
  s->Bind(1, p.name).Bind(2, p.kind).Bind(3, p.e).Bind(4, p.n).Bind(5, OptId(p.area));
  auto inserted_id = s->RunReturning();
  if (auto& r = inserted_id; !r) return tl::unexpected(r.error());
  Place out = p;
  out.id = PlaceId{inserted_id->value_or(0)};
  json after = {{"id", out.id.value}, {"name", p.name}, {"kind", p.kind}, {"e", p.e}, {"n", p.n}};
  if (auto a =
          impl_->Audit(actor, "create", "place", std::to_string(out.id.value), "", after.dump());
      !a) {
    return tl::unexpected(a.error());
  }
  if (auto c = tx.Commit(); !c) return tl::unexpected(c.error());
  return out;
}

Result<std::vector<Place>> SqlStore::ListPlaces() {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare("SELECT id, name, kind, e, n, area_id FROM places ORDER BY name");
  if (!s) return Fail(s);
  std::vector<Place> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    Place p;
    p.id = PlaceId{s->Int(0)};
    p.name = s->Text(1);
    p.kind = s->Text(2);
    p.e = s->Real(3);
    p.n = s->Real(4);
    if (auto a = s->OptInt(5)) p.area = AreaId{*a};
    out.push_back(std::move(p));
  }
  return out;
}

// ---- addresses and settings ----

Result<int64_t> SqlStore::ReplaceAddresses(const std::vector<Address>& addresses,
                                           const Actor& actor) {
  std::lock_guard lock(impl_->mu);
  Transaction tx(impl_->db);
  if (!tx.status()) return tl::unexpected(tx.status().error());
  auto before = impl_->db.Prepare("SELECT COUNT(*) FROM addresses");
  if (!before) return Fail(before);
  if (auto row = before->Step(); !row) return Fail(row);
  const int64_t replaced = before->Int(0);
  before->Reset();
  if (auto s = impl_->db.Exec("DELETE FROM addresses"); !s) return tl::unexpected(s.error());
  {
    auto bulk = impl_->db.conn().BeginBulk(
        "addresses", {"street", "number", "postcode", "locality", "e", "n"});
    if (!bulk) return Fail(bulk);
    for (const Address& a : addresses) {
      const Value row[] = {Value::Text(a.street),   Value::Text(a.number), Value::Text(a.postcode),
                           Value::Text(a.locality), Value::Real(a.e),      Value::Real(a.n)};
      if (auto s = (*bulk)->Add(row); !s) return tl::unexpected(s.error());
    }
    if (auto s = (*bulk)->Finish(); !s) return tl::unexpected(s.error());
  }
  const json after = {{"count", addresses.size()}, {"replaced", replaced}};
  if (auto a = impl_->Audit(actor, "import", "addresses", "", "", after.dump()); !a) {
    return tl::unexpected(a.error());
  }
  if (auto c = tx.Commit(); !c) return tl::unexpected(c.error());
  return static_cast<int64_t>(addresses.size());
}

Result<std::vector<Address>> SqlStore::ListAddresses() {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(
      "SELECT street, number, postcode, locality, e, n FROM addresses ORDER BY id");
  if (!s) return Fail(s);
  std::vector<Address> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    Address a;
    a.street = s->Text(0);
    a.number = s->Text(1);
    a.postcode = s->Text(2);
    a.locality = s->Text(3);
    a.e = s->Real(4);
    a.n = s->Real(5);
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> SqlStore::ListSettings() {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare("SELECT key, value FROM settings ORDER BY key");
  if (!s) return Fail(s);
  std::vector<std::pair<std::string, std::string>> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    out.emplace_back(s->Text(0), s->Text(1));
  }
  return out;
}

Status SqlStore::SetSettings(const std::vector<std::pair<std::string, std::string>>& values,
                             const Actor& actor) {
  std::lock_guard lock(impl_->mu);
  Transaction tx(impl_->db);
  if (!tx.status()) return tx.status();
  auto old = impl_->db.Prepare("SELECT value FROM settings WHERE key = ?");
  if (!old) return tl::unexpected(old.error());
  auto up = impl_->db.Prepare(
      "INSERT INTO settings(key, value, changed_at) VALUES (?,?,?) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at");
  if (!up) return tl::unexpected(up.error());
  auto del = impl_->db.Prepare("DELETE FROM settings WHERE key = ?");
  if (!del) return tl::unexpected(del.error());
  json before = json::object(), after = json::object();
  for (const auto& [key, value] : values) {
    old->Bind(1, key);
    auto row = old->Step();
    if (!row) return tl::unexpected(row.error());
    if (*row) before[key] = old->Text(0);
    old->Reset();
    if (value.empty()) {
      del->Bind(1, key);
      if (auto s = del->Run(); !s) return s;
    } else {
      up->Bind(1, key).Bind(2, value).Bind(3, NowUnix());
      if (auto s = up->Run(); !s) return s;
      after[key] = value;
    }
  }
  if (auto a = impl_->Audit(actor, "update", "setting", "", before.dump(), after.dump()); !a) {
    return tl::unexpected(a.error());
  }
  return tx.Commit();
}

// ---- reports ----

Result<ImportOutcome> SqlStore::InsertReports(const std::vector<Report>& reports,
                                              const Actor& actor) {
  std::lock_guard lock(impl_->mu);
  Transaction tx(impl_->db);
  if (!tx.status()) return tl::unexpected(tx.status().error());
  ImportOutcome outcome;
  outcome.reports.reserve(reports.size());
  for (const Report& in : reports) {
    // A report whose (org, source id) is stored — before or earlier in this batch — is skipped:
    // the insert does nothing. Any other constraint failure is a bad report (unknown org or
    // category, severity out of range) and fails the whole batch.
    Report r = in;
    auto done = impl_->InsertReportRow(r);
    if (!done) return tl::unexpected(done.error());
    if (!*done) {
      ++outcome.already_present;
      continue;
    }
    outcome.reports.push_back(std::move(r));
  }
  outcome.inserted = static_cast<int64_t>(outcome.reports.size());
  Status audited;
  if (outcome.reports.size() == 1) {
    const Report& r = outcome.reports.front();
    audited = impl_->Audit(actor, "create", "report", std::to_string(r.id.value), "",
                           ReportJson(r).dump());
  } else if (outcome.inserted > 1) {
    json after = {{"inserted", outcome.inserted},
                  {"already_present", outcome.already_present},
                  {"first_id", outcome.reports.front().id.value},
                  {"last_id", outcome.reports.back().id.value}};
    audited = impl_->Audit(actor, "import", "report", "", "", after.dump());
  }
  if (!audited) return tl::unexpected(audited.error());
  if (auto c = tx.Commit(); !c) return tl::unexpected(c.error());
  return outcome;
}

// ---- bulk import references ----

void IdSet::Add(int64_t id) {
  if (id >= 0 && id < kDense) {
    const size_t word = static_cast<size_t>(id) >> 6;
    if (word >= bits_.size()) bits_.resize(std::max(word + 1, bits_.size() * 2), 0);
    bits_[word] |= uint64_t{1} << (id & 63);
  } else {
    large_.insert(id);
  }
}

bool IdSet::ForEach(const std::function<bool(int64_t)>& fn) const {
  for (size_t w = 0; w < bits_.size(); ++w) {
    for (uint64_t b = bits_[w]; b != 0; b &= b - 1) {
      if (!fn(static_cast<int64_t>((w << 6) + std::countr_zero(b)))) return false;
    }
  }
  for (int64_t id : large_) {
    if (!fn(id)) return false;
  }
  return true;
}

Status ImportReferences::Check(Db& db) const {
  struct Parent {
    const IdSet& ids;
    const char* table;
    const char* field;
    const char* what;
  };
  for (const Parent& p :
       {Parent{orgs, "organisations", "org", "organisation"},
        Parent{users, "users", "reporter", "användare"}, Parent{areas, "areas", "area", "område"},
        Parent{places, "places", "place", "plats"},
        Parent{categories, "categories", "category", "kategori"}}) {
    auto find = db.Prepare(std::string("SELECT 1 FROM ") + p.table + " WHERE id = ?");
    if (!find) return tl::unexpected(find.error());
    Status status;
    p.ids.ForEach([&](int64_t id) {
      find->Bind(1, id);
      auto row = find->Step();
      find->Reset();
      if (!row) {
        status = tl::unexpected(row.error());
        return false;
      }
      if (!*row) {
        status = MakeError(
            ErrorCode::kConflict,
            "Rapporterna hänvisar till något som inte finns; inget importerades",
            {{p.field, std::string("ingen ") + p.what + " har id " + std::to_string(id)}});
        return false;
      }
      return true;
    });
    if (!status) return status;
  }
  return {};
}

// ---- bulk report import ----

SqlReportImport::SqlReportImport(SqlStore::Impl& impl, Hooks hooks)
    : impl_(impl), lock_(impl.mu), hooks_(std::move(hooks)) {}

Result<std::unique_ptr<ReportImport>> SqlReportImport::Begin(SqlStore::Impl& impl, Hooks hooks) {
  std::unique_ptr<SqlReportImport> import(new SqlReportImport(impl, std::move(hooks)));
  Db& db = impl.db;
  if (import->hooks_.before_begin) {
    if (auto s = import->hooks_.before_begin(db); !s) return tl::unexpected(s.error());
  }
  import->began_ = true;
  import->tx_.emplace(db);
  if (!import->tx_->status()) return tl::unexpected(import->tx_->status().error());
  if (import->hooks_.after_begin) {
    if (auto s = import->hooks_.after_begin(db); !s) return tl::unexpected(s.error());
  }
  if (import->hooks_.defer_source_index) {
    auto deferred = import->hooks_.defer_source_index(db);
    if (!deferred) return tl::unexpected(deferred.error());
    if (*deferred) {
      auto s = db.Prepare(std::string("INSERT INTO reports(id, ") + kReportInsertColumns +
                          ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
      if (!s) return tl::unexpected(s.error());
      import->insert_with_id_ = std::move(*s);
      import->deferred_ = true;
    }
  }
  return std::unique_ptr<ReportImport>(std::move(import));
}

SqlReportImport::~SqlReportImport() {
  tx_.reset();  // rolls back unless committed
  if (began_ && hooks_.after_end) hooks_.after_end(impl_.db);
}

Result<int64_t> SqlReportImport::Insert(std::span<Report> reports) {
  int64_t inserted = 0;
  for (Report& r : reports) {
    if (deferred_) {
      // No index to consult: the ids are given in order (an append), repeats are found at
      // Commit.
      insert_with_id_.Bind(1, next_id_);
      SqlStore::Impl::BindReport(insert_with_id_, r, 2);
      if (auto s = insert_with_id_.Run(); !s) return tl::unexpected(s.error());
      r.id = ReportId{next_id_++};
      refs_.Add(r);
      if (outcome_.inserted == 0) first_ = r;
      last_id_ = r.id.value;
      ++outcome_.inserted;
      ++inserted;
      continue;
    }
    // As in InsertReports: a stored (org, source id) makes the insert do nothing.
    auto done = impl_.InsertReportRow(r);
    if (!done) return tl::unexpected(done.error());
    if (!*done) {
      r.id = ReportId{0};
      ++outcome_.already_present;
      continue;
    }
    refs_.Add(r);
    if (outcome_.inserted == 0) first_ = r;
    last_id_ = r.id.value;
    ++outcome_.inserted;
    ++inserted;
  }
  return inserted;
}

Result<ImportOutcome> SqlReportImport::Commit(const Actor& actor) {
  if (deferred_) {
    auto repeated = hooks_.build_source_index(impl_.db);
    if (!repeated) return tl::unexpected(repeated.error());
    if (!repeated->empty()) {
      const auto n = static_cast<int64_t>(repeated->size());
      outcome_.inserted -= n;
      outcome_.already_present += n;
      // The first row is never a repeat (the earliest of each key is kept), so first_ stands, also
      // when it is the one row left; the last may be one.
      auto last = impl_.db.Prepare("SELECT COALESCE(MAX(id), 0) FROM reports");
      if (!last) return Fail(last);
      if (auto row = last->Step(); !row) return Fail(row);
      last_id_ = last->Int(0);
      outcome_.later_duplicates = std::move(*repeated);
    }
  }
  if (auto refs = refs_.Check(impl_.db); !refs) return tl::unexpected(refs.error());
  if (auto a = impl_.AuditImport(actor, outcome_, first_, last_id_); !a) {
    return tl::unexpected(a.error());
  }
  if (auto c = tx_->Commit(); !c) return tl::unexpected(c.error());
  return outcome_;
}

Status SqlStore::Impl::AuditImport(const Actor& actor, const ImportOutcome& outcome,
                                   const std::optional<Report>& first, int64_t last_id) {
  if (outcome.inserted == 1) {
    return Audit(actor, "create", "report", std::to_string(first->id.value), "",
                 ReportJson(*first).dump());
  }
  if (outcome.inserted > 1) {
    json after = {{"inserted", outcome.inserted},
                  {"already_present", outcome.already_present},
                  {"first_id", first->id.value},
                  {"last_id", last_id}};
    return Audit(actor, "import", "report", "", "", after.dump());
  }
  return {};
}

Result<std::unique_ptr<ReportImport>> SqlStore::BeginReportImport() {
  return SqlReportImport::Begin(*impl_);
}

Result<std::optional<Report>> SqlStore::GetReport(ReportId id) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(std::string("SELECT ") + kReportColumns + " FROM reports WHERE id=?");
  if (!s) return Fail(s);
  s->Bind(1, id.value);
  auto row = s->Step();
  if (!row) return Fail(row);
  if (!*row) return std::optional<Report>();
  return std::optional<Report>(ReadReport(*s));
}

Result<std::optional<Report>> SqlStore::FindReportBySource(OrgId org,
                                                           const std::string& source_id) {
  std::lock_guard lock(impl_->mu);
  Stmt& find = impl_->find_source;
  find.Bind(1, org.value).Bind(2, source_id);
  auto row = find.Step();
  std::optional<Report> out;
  if (row && *row) out = ReadReport(find);
  find.Reset();
  if (!row) return Fail(row);
  return out;
}

namespace {
// Builds the WHERE clause of a report filter; binds happen in the same order.
std::string FilterSql(const ReportFilter& f) {
  std::string w = " WHERE 1=1";
  if (f.from) w += " AND occurred_from >= ?";
  if (f.to) w += " AND occurred_from < ?";
  if (!f.orgs.empty()) {
    w += " AND org_id IN (";
    for (size_t i = 0; i < f.orgs.size(); ++i) w += i ? ",?" : "?";
    w += ")";
  }
  if (!f.categories.empty()) {
    w += " AND category_id IN (";
    for (size_t i = 0; i < f.categories.size(); ++i) w += i ? ",?" : "?";
    w += ")";
  }
  if (f.status) w += " AND status = ?";
  if (f.area) w += " AND area_id = ?";
  if (!f.areas_within.empty()) {
    w += " AND area_id IN (";
    for (size_t i = 0; i < f.areas_within.size(); ++i) w += i ? ",?" : "?";
    w += ")";
  }
  if (f.source) w += " AND source = ?";
  if (f.outside_only) w += " AND area_id IS NULL";
  if (f.lonlat_box) w += " AND area_only = 0 AND lon >= ? AND lat >= ? AND lon <= ? AND lat <= ?";
  if (f.sweref_box) w += " AND area_only = 0 AND e >= ? AND n >= ? AND e <= ? AND n <= ?";
  return w;
}
int BindFilter(Stmt& s, const ReportFilter& f) {
  int pos = 1;
  if (f.from) s.Bind(pos++, *f.from);
  if (f.to) s.Bind(pos++, *f.to);
  for (OrgId o : f.orgs) s.Bind(pos++, o.value);
  for (CategoryId c : f.categories) s.Bind(pos++, c.value);
  if (f.status) s.Bind(pos++, ReportStatusText(*f.status));
  if (f.area) s.Bind(pos++, f.area->value);
  for (AreaId a : f.areas_within) s.Bind(pos++, a.value);
  if (f.source) s.Bind(pos++, ReportSourceText(*f.source));
  if (f.lonlat_box) {
    for (double v : *f.lonlat_box) s.Bind(pos++, v);
  }
  if (f.sweref_box) {
    for (double v : *f.sweref_box) s.Bind(pos++, v);
  }
  return pos;
}
}  // namespace

Result<std::vector<Report>> SqlStore::ListReports(const ReportFilter& f) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(std::string("SELECT ") + kReportColumns + " FROM reports" +
                             FilterSql(f) + " ORDER BY id DESC LIMIT ? OFFSET ?");
  if (!s) return Fail(s);
  int pos = BindFilter(*s, f);
  s->Bind(pos, f.limit).Bind(pos + 1, f.offset);
  std::vector<Report> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    out.push_back(ReadReport(*s));
  }
  return out;
}

Result<int64_t> SqlStore::CountReports(const ReportFilter& f) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare("SELECT COUNT(*) FROM reports" + FilterSql(f));
  if (!s) return Fail(s);
  BindFilter(*s, f);
  auto row = s->Step();
  if (!row) return Fail(row);
  return s->Int(0);
}

// Two B-tree descents (with both aggregates in one SELECT, SQLite would scan the table).
Result<std::pair<int64_t, int64_t>> ReportIdRange(Db& db) {
  auto s = db.Prepare("SELECT (SELECT min(id) FROM reports), (SELECT max(id) FROM reports)");
  if (!s) return Fail(s);
  if (auto row = s->Step(); !row) return Fail(row);
  return std::make_pair(s->OptInt(0).value_or(1), s->OptInt(1).value_or(0));
}

Status ScanInParts(Db& db, int parts, int64_t min_per_part, const std::function<Result<Db>()>& open,
                   const SpanScan& scan) {
  auto range = ReportIdRange(db);
  if (!range) return Fail(range);
  const int64_t lo = range->first;
  const int64_t hi = range->second;
  const int64_t count = hi - lo + 1;  // at most
  if (!open || parts <= 1 || count < 2 * std::max<int64_t>(1, min_per_part)) {
    return scan(db, lo, hi);
  }
  const int64_t span = (hi - lo) / parts + 1;
  std::vector<Status> results(static_cast<size_t>(parts));
  std::vector<std::thread> workers;
  for (int k = 1; k < parts; ++k) {
    workers.emplace_back([&, k] {
      auto own = open();
      if (!own) {
        results[static_cast<size_t>(k)] = tl::unexpected(own.error());
        return;
      }
      results[static_cast<size_t>(k)] =
          scan(*own, lo + k * span, std::min(hi, lo + (k + 1) * span - 1));
    });
  }
  results[0] = scan(db, lo, std::min(hi, lo + span - 1));
  for (std::thread& w : workers) w.join();
  for (Status& st : results) {
    if (!st) return st;
  }
  return {};
}

Result<int64_t> SqlStore::ReportCountUpperBound() {
  std::lock_guard lock(impl_->mu);
  auto range = ReportIdRange(impl_->db);
  if (!range) return Fail(range);
  return range->second - range->first + 1;
}

Result<Report> SqlStore::UpdateReport(const Report& r, int expected_version, const Actor& actor) {
  std::lock_guard lock(impl_->mu);
  Transaction tx(impl_->db);
  if (!tx.status()) return tl::unexpected(tx.status().error());
  auto cur =
      impl_->db.Prepare(std::string("SELECT ") + kReportColumns + " FROM reports WHERE id = ?");
  if (!cur) return Fail(cur);
  cur->Bind(1, r.id.value);
  auto row = cur->Step();
  if (!row) return Fail(row);
  if (!*row) return MakeError(ErrorCode::kNotFound, "Rapporten finns inte");
  Report before = ReadReport(*cur);
  if (before.version != expected_version) {
    return MakeError(ErrorCode::kConflict,
                     "Rapporten har ändrats av någon annan (version " +
                         std::to_string(before.version) + "); läs om den och försök igen",
                     {{"version", "förväntade " + std::to_string(expected_version) + ", lagrad " +
                                      std::to_string(before.version)}});
  }
  Report after = r;
  after.version = before.version + 1;
  auto s = impl_->db.Prepare(
      "UPDATE reports SET occurred_from=?, occurred_to=?, e=?, n=?, lon=?, lat=?, source_epsg=?, "
      "area_id=?, place_id=?, category_id=?, severity=?, count=?, certainty=?, police_notified=?, "
      "description=?, status=?, version=?, review_note=?, duplicate_of=?, area_only=?, "
      "changed_seq=? WHERE id=?");
  if (!s) return Fail(s);
  s->Bind(1, after.occurred_from).Bind(2, after.occurred_to).Bind(3, after.e).Bind(4, after.n);
  s->Bind(5, after.lon).Bind(6, after.lat).Bind(7, after.source_epsg).Bind(8, OptId(after.area));
  s->Bind(9, OptId(after.place)).Bind(10, after.category.value).Bind(11, after.severity);
  s->Bind(12, after.count).Bind(13, CertaintyText(after.certainty));
  s->Bind(14, after.police_notified ? 1 : 0).Bind(15, after.description);
  s->Bind(16, ReportStatusText(after.status)).Bind(17, after.version);
  s->Bind(18, after.review_note).Bind(19, OptId(after.duplicate_of));
  auto seq = impl_->NextChangeSeq();
  if (!seq) return Fail(seq);
  s->Bind(20, after.area_only ? 1 : 0).Bind(21, *seq).Bind(22, after.id.value);
  if (auto u = s->Run(); !u) return tl::unexpected(u.error());
  if (auto a = impl_->Audit(actor, "update", "report", std::to_string(r.id.value),
                            ReportJson(before).dump(), ReportJson(after).dump());
      !a) {
    return tl::unexpected(a.error());
  }
  if (auto c = tx.Commit(); !c) return tl::unexpected(c.error());
  return after;
}

Status SqlStore::SetReportAreas(
    const std::vector<std::pair<ReportId, std::optional<AreaId>>>& moves, const Actor& actor) {
  if (moves.empty()) return {};
  std::lock_guard lock(impl_->mu);
  Transaction tx(impl_->db);
  if (!tx.status()) return tx.status();
  auto seq = impl_->NextChangeSeq();
  if (!seq) return Fail(seq);
  auto s = impl_->db.Prepare(
      "UPDATE reports SET area_id = ?, version = version + 1, changed_seq = ? WHERE id = ?");
  if (!s) return Fail(s);
  for (const auto& [id, area] : moves) {
    s->Bind(1, OptId(area)).Bind(2, *seq).Bind(3, id.value);
    if (auto r = s->Run(); !r) return r;
  }
  json after = {{"moved", moves.size()}};
  if (auto a = impl_->Audit(actor, "reassign", "report", "", "", after.dump()); !a) return a;
  return tx.Commit();
}

// Reads the engine's columns of reports with ids in [lo, hi] from db, in batches.
Status ScanReportsForEngine(Db& db, int64_t lo, int64_t hi,
                            const std::function<void(std::span<const Report>)>& fn,
                            int64_t updated_after) {
  auto s = db.Prepare(
      "SELECT id, org_id, occurred_from, occurred_to, e, n, area_id, category_id, severity, "
      "CASE status WHEN 'rejected' THEN 1 WHEN 'duplicate' THEN 2 WHEN 'reviewed' THEN 3 "
      "ELSE 0 END, area_only, CASE source WHEN 'police' THEN 1 WHEN 'medborgare' THEN 2 ELSE 0 END FROM reports "
      "WHERE id BETWEEN ? AND ?" +
      std::string(updated_after >= 0 ? " AND changed_seq > ? AND changed_seq > 0" : "") +
      " ORDER BY id");
  if (!s) return Fail(s);
  s->Bind(1, lo);
  s->Bind(2, hi);
  if (updated_after >= 0) s->Bind(3, updated_after);
  constexpr size_t kBatch = 65536;
  std::vector<Report> batch(kBatch);
  size_t n = 0;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    Report& r = batch[n];
    r.id = ReportId{s->Int(0)};
    r.org = OrgId{s->Int(1)};
    r.occurred_from = s->Int(2);
    r.occurred_to = s->OptInt(3);
    r.e = s->Real(4);
    r.n = s->Real(5);
    if (auto a = s->OptInt(6)) {
      r.area = AreaId{*a};
    } else {
      r.area.reset();
    }
    r.category = CategoryId{s->Int(7)};
    r.severity = static_cast<int>(s->Int(8));
    // The status as a number from the query (no text crosses the API).
    static constexpr ReportStatus kStatus[] = {ReportStatus::kNew, ReportStatus::kRejected,
                                               ReportStatus::kDuplicate, ReportStatus::kReviewed};
    r.status = kStatus[std::clamp<int64_t>(s->Int(9), 0, 3)];
    r.area_only = s->Int(10) != 0;
    // Only the police's feed and residents' reports matter to the engine (not form or import).
    static constexpr ReportSource kSource[] = {ReportSource::kForm, ReportSource::kPolice,
                                               ReportSource::kCitizen};
    r.source = kSource[std::clamp<int64_t>(s->Int(11), 0, 2)];
    if (++n == kBatch) {
      fn(std::span<const Report>(batch.data(), n));
      n = 0;
    }
  }
  if (n > 0) fn(std::span<const Report>(batch.data(), n));
  return {};
}

Status SqlStore::ForEachReportForEngine(const std::function<void(std::span<const Report>)>& fn,
                                        int /*parts*/, int64_t /*min_per_part*/) {
  std::lock_guard lock(impl_->mu);
  return ScanReportsForEngine(impl_->db, std::numeric_limits<int64_t>::min(),
                              std::numeric_limits<int64_t>::max(), fn);
}

Result<int64_t> SqlStore::LastChange() {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare("SELECT COALESCE(MAX(seq), 0) FROM audit");
  if (!s) return Fail(s);
  auto row = s->Step();
  if (!row) return Fail(row);
  return s->Int(0);
}

Status SqlStore::ForEachReportUpdatedAfter(int64_t seq,
                                           const std::function<void(std::span<const Report>)>& fn) {
  std::lock_guard lock(impl_->mu);
  return ScanReportsForEngine(impl_->db, std::numeric_limits<int64_t>::min(),
                              std::numeric_limits<int64_t>::max(), fn, seq);
}

Status SqlStore::ForEachReportInRange(int64_t lo, int64_t hi,
                                      const std::function<void(std::span<const Report>)>& fn) {
  std::lock_guard lock(impl_->mu);
  return ScanReportsForEngine(impl_->db, lo, hi, fn);
}

Status SqlStore::ForEachReport(const std::function<void(const Report&)>& fn) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(std::string("SELECT ") + kReportColumns + " FROM reports ORDER BY id");
  if (!s) return Fail(s);
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    fn(ReadReport(*s));
  }
  return {};
}

// ---- check-ins ----

Result<CheckIn> SqlStore::UpsertCheckIn(const CheckIn& c, const Actor& actor) {
  std::lock_guard lock(impl_->mu);
  Transaction tx(impl_->db);
  if (!tx.status()) return tl::unexpected(tx.status().error());
  auto s = impl_->db.Prepare(
      "INSERT INTO checkins(org_id, area_id, iso_year, iso_week, nothing_to_report, by_user, at) "
      "VALUES (?,?,?,?,?,?,?) ON CONFLICT(org_id, area_id, iso_year, iso_week) DO UPDATE SET "
      "nothing_to_report=excluded.nothing_to_report, by_user=excluded.by_user, at=excluded.at");
  if (!s) return Fail(s);
  s->Bind(1, c.org.value).Bind(2, c.area.value).Bind(3, c.week.year).Bind(4, c.week.week);
  s->Bind(5, c.nothing_to_report ? 1 : 0).Bind(6, OptId(c.by)).Bind(7, c.at);
  if (auto r = s->Run(); !r) return tl::unexpected(r.error());
  json after = {{"org", c.org.value},
                {"area", c.area.value},
                {"week", FormatIsoWeek(c.week)},
                {"nothing_to_report", c.nothing_to_report}};
  if (auto a = impl_->Audit(actor, "upsert", "checkin", "", "", after.dump()); !a) {
    return tl::unexpected(a.error());
  }
  if (auto cm = tx.Commit(); !cm) return tl::unexpected(cm.error());
  return c;
}

namespace {
constexpr const char* kCheckInColumns =
    "SELECT org_id, area_id, iso_year, iso_week, nothing_to_report, by_user, at FROM checkins ";

Result<std::vector<CheckIn>> ReadCheckIns(Stmt& s) {
  std::vector<CheckIn> out;
  for (;;) {
    auto row = s.Step();
    if (!row) return Fail(row);
    if (!*row) break;
    CheckIn c;
    c.org = OrgId{s.Int(0)};
    c.area = AreaId{s.Int(1)};
    c.week = IsoWeek{static_cast<int>(s.Int(2)), static_cast<int>(s.Int(3))};
    c.nothing_to_report = s.Int(4) != 0;
    if (auto b = s.OptInt(5)) c.by = UserId{*b};
    c.at = s.Int(6);
    out.push_back(c);
  }
  return out;
}
}  // namespace

Result<std::vector<CheckIn>> SqlStore::ListCheckIns() {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(std::string(kCheckInColumns) +
                             "ORDER BY iso_year, iso_week, org_id, area_id");
  if (!s) return Fail(s);
  return ReadCheckIns(*s);
}

Result<std::vector<CheckIn>> SqlStore::ListCheckInsFor(OrgId org, IsoWeek week) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(std::string(kCheckInColumns) +
                             "WHERE org_id = ? AND iso_year = ? AND iso_week = ? ORDER BY area_id");
  if (!s) return Fail(s);
  s->Bind(1, org.value).Bind(2, week.year).Bind(3, week.week);
  return ReadCheckIns(*s);
}

// ---- sessions ----

Result<int> SqlStore::CreateSession(const Session& session, int max_per_user) {
  std::lock_guard lock(impl_->mu);
  Transaction tx(impl_->db);
  if (!tx.status()) return tl::unexpected(tx.status().error());
  auto s = impl_->db.Prepare(
      "INSERT INTO sessions(token_hash, user_id, csrf_token, expires_at, created_at, last_seen) "
      "VALUES (?,?,?,?,?,?)");
  if (!s) return Fail(s);
  s->Bind(1, session.token_hash).Bind(2, session.user.value).Bind(3, session.csrf_token);
  s->Bind(4, session.expires_at).Bind(5, session.created_at);
  s->Bind(6, session.last_seen ? session.last_seen : session.created_at);
  if (auto r = s->Run(); !r) return tl::unexpected(r.error());
  int ended = 0;
  if (max_per_user > 0) {
    // The row order breaks ties between sessions made in the same second: the newest stays
    // (SQLite's rowid; PostgreSQL's sessions have a serial column for it).
    const char* row = impl_->db.dialect() == Dialect::kSqlite ? "rowid" : "seq";
    auto d = impl_->db.Prepare(std::string("DELETE FROM sessions WHERE user_id = ?1 AND ") + row +
                               " NOT IN (SELECT " + row +
                               " FROM sessions WHERE user_id = ?1 ORDER BY created_at DESC, " +
                               row + " DESC LIMIT ?2)");
    if (!d) return Fail(d);
    d->Bind(1, session.user.value).Bind(2, max_per_user);
    if (auto r = d->Run(); !r) return tl::unexpected(r.error());
    ended = static_cast<int>(impl_->db.Changes());
  }
  if (auto c = tx.Commit(); !c) return tl::unexpected(c.error());
  return ended;
}

Result<std::optional<Session>> SqlStore::FindSession(const std::string& token_hash, UnixSeconds now,
                                                     int idle_seconds) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(
      "SELECT token_hash, user_id, csrf_token, expires_at, created_at, last_seen FROM sessions "
      "WHERE token_hash = ? AND expires_at > ?");
  if (!s) return Fail(s);
  s->Bind(1, token_hash).Bind(2, now);
  auto row = s->Step();
  if (!row) return Fail(row);
  if (!*row) return std::optional<Session>();
  Session out{s->Text(0), UserId{s->Int(1)}, s->Text(2), s->Int(3), s->Int(4), s->Int(5)};
  s->Reset();
  if (idle_seconds > 0 && out.last_seen <= now - idle_seconds) return std::optional<Session>();
  if (out.last_seen < now - 60) {
    auto t = impl_->db.Prepare("UPDATE sessions SET last_seen = ? WHERE token_hash = ?");
    if (!t) return Fail(t);
    t->Bind(1, now).Bind(2, token_hash);
    if (auto r = t->Run(); !r) return tl::unexpected(r.error());
    out.last_seen = now;
  }
  return std::optional<Session>(std::move(out));
}

Status SqlStore::DeleteSession(const std::string& token_hash) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare("DELETE FROM sessions WHERE token_hash = ?");
  if (!s) return Fail(s);
  s->Bind(1, token_hash);
  return s->Run();
}

// ---- audit ----

namespace {

// One row of "SELECT seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash".
AuditEntry ReadAuditEntry(const Stmt& s) {
  AuditEntry e;
  e.seq = s.Int(0);
  e.at = s.Int(1);
  e.actor = s.Text(2);
  e.action = s.Text(3);
  e.entity = s.Text(4);
  e.entity_id = s.Text(5);
  e.before = s.Text(6);
  e.after = s.Text(7);
  e.prev_hash = s.Text(8);
  e.hash = s.Text(9);
  return e;
}

}  // namespace

Result<std::vector<AuditEntry>> SqlStore::ListAudit(int64_t after_seq, int64_t limit) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(
      "SELECT seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash FROM "
      "audit WHERE seq > ? ORDER BY seq LIMIT ?");
  if (!s) return Fail(s);
  s->Bind(1, after_seq).Bind(2, limit);
  std::vector<AuditEntry> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    out.push_back(ReadAuditEntry(*s));
  }
  return out;
}

Result<std::vector<AuditEntry>> SqlStore::ListAuditFor(const std::string& entity,
                                                       const std::string& entity_id) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(
      "SELECT seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash FROM "
      "audit WHERE entity = ? AND entity_id = ? ORDER BY seq");
  if (!s) return Fail(s);
  s->Bind(1, entity).Bind(2, entity_id);
  std::vector<AuditEntry> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    out.push_back(ReadAuditEntry(*s));
  }
  return out;
}

Status SqlStore::VerifyAudit() {
  int64_t after = 0;
  std::string prev(64, '0');
  for (;;) {
    auto page = ListAudit(after, 10000);
    if (!page) return Fail(page);
    if (page->empty()) return {};
    for (const AuditEntry& e : *page) {
      if (e.prev_hash != prev || Sha256Hex(ChainInput(e)) != e.hash) {
        return MakeError(ErrorCode::kConflict, "Granskningsloggen är bruten vid post " +
                                                   std::to_string(e.seq) +
                                                   ": posten har ändrats eller tagits bort");
      }
      prev = e.hash;
      after = e.seq;
    }
  }
}

}  // namespace est::store
