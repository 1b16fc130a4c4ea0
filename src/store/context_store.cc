// The store's part for other information: survey results and the police's vulnerable areas.
#include <nlohmann/json.hpp>

#include "core/time.h"
#include "geo/geojson.h"
#include "store/sql_store.h"
#include "store/store.h"

namespace est::store {

Result<int64_t> SqlStore::UpsertSurveys(const std::vector<SurveyResult>& rows, const Actor& actor) {
  std::lock_guard lock(impl_->mu);
  Transaction tx(impl_->db);
  if (!tx.status()) return tl::unexpected(tx.status().error());
  auto find = impl_->db.Prepare(
      "SELECT id FROM surveys WHERE area_id = ? AND indicator = ? AND period = ? AND source = ?");
  if (!find) return Fail(find);
  auto ins = impl_->db.Prepare(
      "INSERT INTO surveys(area_id, indicator, period, source, value, n) VALUES (?,?,?,?,?,?) "
      "ON CONFLICT(area_id, indicator, period, source) DO UPDATE SET value = excluded.value, "
      "n = excluded.n");
  if (!ins) return Fail(ins);
  int64_t fresh = 0;
  for (const auto& r : rows) {
    find->Bind(1, r.area.value).Bind(2, r.indicator).Bind(3, r.period).Bind(4, r.source);
    auto row = find->Step();
    if (!row) return Fail(row);
    if (!*row) ++fresh;
    find->Reset();
    ins->Bind(1, r.area.value).Bind(2, r.indicator).Bind(3, r.period).Bind(4, r.source);
    ins->Bind(5, r.value).Bind(6, r.n);
    if (auto s = ins->Run(); !s) return tl::unexpected(s.error());
  }
  nlohmann::json after = {{"rows", rows.size()}, {"new", fresh}};
  if (auto a = impl_->Audit(actor, "import", "survey", "", "", after.dump()); !a) {
    return tl::unexpected(a.error());
  }
  if (auto c = tx.Commit(); !c) return tl::unexpected(c.error());
  return fresh;
}

Result<std::vector<SurveyResult>> SqlStore::ListSurveys() {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(
      "SELECT id, area_id, indicator, period, source, value, n FROM surveys "
      "ORDER BY indicator, period, area_id");
  if (!s) return Fail(s);
  std::vector<SurveyResult> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    SurveyResult r;
    r.id = s->Int(0);
    r.area = AreaId{s->Int(1)};
    r.indicator = s->Text(2);
    r.period = s->Text(3);
    r.source = s->Text(4);
    r.value = s->Real(5);
    r.n = s->OptInt(6);
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<PoliceTypeChoice>> SqlStore::ListPoliceTypes() {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare("SELECT type, category_id FROM police_types ORDER BY type");
  if (!s) return Fail(s);
  std::vector<PoliceTypeChoice> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    PoliceTypeChoice c;
    c.type = s->Text(0);
    if (auto id = s->OptInt(1)) c.category = CategoryId{*id};
    out.push_back(std::move(c));
  }
  return out;
}

Status SqlStore::SetPoliceTypes(const std::vector<PoliceTypeChoice>& choices, const Actor& actor) {
  std::lock_guard lock(impl_->mu);
  Transaction tx(impl_->db);
  if (!tx.status()) return tx.status();
  auto up = impl_->db.Prepare(
      "INSERT INTO police_types(type, category_id, changed_at) VALUES (?,?,?) "
      "ON CONFLICT(type) DO UPDATE SET category_id = excluded.category_id, "
      "changed_at = excluded.changed_at");
  if (!up) return tl::unexpected(up.error());
  nlohmann::json after = nlohmann::json::object();
  for (const auto& c : choices) {
    up->Bind(1, c.type);
    if (c.category) {
      up->Bind(2, c.category->value);
    } else {
      up->BindNull(2);
    }
    up->Bind(3, NowUnix());
    if (auto s = up->Run(); !s) return s;
    after[c.type] = c.category ? nlohmann::json(c.category->value) : nlohmann::json(nullptr);
  }
  if (auto a = impl_->Audit(actor, "update", "police_types", "", "", after.dump()); !a) {
    return tl::unexpected(a.error());
  }
  return tx.Commit();
}

Status SqlStore::ReplaceVulnerableAreas(int year, const std::vector<VulnerableArea>& areas,
                                        const std::vector<geo::MultiPolygon>& geometries,
                                        const Actor& actor) {
  std::lock_guard lock(impl_->mu);
  Transaction tx(impl_->db);
  if (!tx.status()) return tx.status();
  auto del = impl_->db.Prepare("DELETE FROM vulnerable_areas WHERE year = ?");
  if (!del) return Fail(del);
  del->Bind(1, year);
  if (auto s = del->Run(); !s) return s;
  auto ins = impl_->db.Prepare(
      "INSERT INTO vulnerable_areas(year, code, name, category, since, area_m2, share_inside, "
      "area_id, geometry) VALUES (?,?,?,?,?,?,?,?,?)");
  if (!ins) return Fail(ins);
  nlohmann::json names = nlohmann::json::array();
  for (size_t i = 0; i < areas.size(); ++i) {
    const auto& a = areas[i];
    ins->Bind(1, year).Bind(2, a.code).Bind(3, a.name).Bind(4, static_cast<int>(a.category));
    ins->Bind(5, a.since).Bind(6, a.area_m2).Bind(7, a.share_inside).Bind(8, OptId(a.area));
    ins->Bind(9, geo::ToGeoJsonGeometry(geometries[i], false));
    if (auto s = ins->Run(); !s) return s;
    names.push_back(a.name);
  }
  nlohmann::json after = {{"year", year}, {"areas", names}};
  if (auto a =
          impl_->Audit(actor, "import", "vulnerable_areas", std::to_string(year), "", after.dump());
      !a) {
    return a;
  }
  return tx.Commit();
}

Result<std::vector<VulnerableArea>> SqlStore::ListVulnerableAreas() {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(
      "SELECT id, year, code, name, category, since, area_m2, share_inside, area_id "
      "FROM vulnerable_areas ORDER BY year, name");
  if (!s) return Fail(s);
  std::vector<VulnerableArea> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    VulnerableArea v;
    v.id = s->Int(0);
    v.year = static_cast<int>(s->Int(1));
    v.code = s->Text(2);
    v.name = s->Text(3);
    v.category = s->Int(4) == 2 ? VulnerableCategory::kSarskiltUtsatt : VulnerableCategory::kUtsatt;
    v.since = s->Text(5);
    v.area_m2 = s->Real(6);
    v.share_inside = s->Real(7);
    if (auto a = s->OptInt(8)) v.area = AreaId{*a};
    out.push_back(std::move(v));
  }
  return out;
}

Result<std::optional<geo::MultiPolygon>> SqlStore::VulnerableGeometry(int64_t id) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare("SELECT geometry FROM vulnerable_areas WHERE id = ?");
  if (!s) return Fail(s);
  s->Bind(1, id);
  auto row = s->Step();
  if (!row) return Fail(row);
  if (!*row) return std::optional<geo::MultiPolygon>();
  auto g = geo::ParseGeometrySweref(s->Text(0));
  if (!g) return Fail(g);
  return std::optional<geo::MultiPolygon>(std::move(*g));
}

Result<int64_t> SqlStore::InsertMessage(OrgId org, const std::string& period,
                                        const std::string& title, const std::string& body,
                                        const Actor& actor) {
  std::lock_guard lock(impl_->mu);
  Transaction tx(impl_->db);
  if (!tx.status()) return tl::unexpected(tx.status().error());
  auto s = impl_->db.Prepare(
      "INSERT INTO messages(org_id, period, title, body, created_at, created_by) "
      "VALUES (?,?,?,?,?,?) RETURNING id");
  if (!s) return Fail(s);
  s->Bind(1, org.value).Bind(2, period).Bind(3, title).Bind(4, body).Bind(5, NowUnix());
  s->Bind(6, actor.label.empty() ? "system" : actor.label);
  auto inserted_id = s->RunReturning();
  if (auto& r = inserted_id; !r) return tl::unexpected(r.error());
  int64_t id = inserted_id->value_or(0);
  nlohmann::json after = {{"org", org.value}, {"period", period}, {"title", title}};
  if (auto a = impl_->Audit(actor, "create", "message", std::to_string(id), "", after.dump()); !a) {
    return tl::unexpected(a.error());
  }
  if (auto c = tx.Commit(); !c) return tl::unexpected(c.error());
  return id;
}

Result<std::vector<StoredMessage>> SqlStore::ListMessages(std::optional<OrgId> org, int64_t limit) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(
      std::string("SELECT id, org_id, period, title, body, created_at, created_by FROM messages ") +
      (org ? "WHERE org_id = ? " : "") + "ORDER BY id DESC LIMIT ?");
  if (!s) return Fail(s);
  int pos = 1;
  if (org) s->Bind(pos++, org->value);
  s->Bind(pos, limit);
  std::vector<StoredMessage> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    StoredMessage m;
    m.id = s->Int(0);
    m.org = OrgId{s->Int(1)};
    m.period = s->Text(2);
    m.title = s->Text(3);
    m.body = s->Text(4);
    m.created_at = s->Int(5);
    m.created_by = s->Text(6);
    out.push_back(std::move(m));
  }
  return out;
}

Result<std::vector<ReportId>> SqlStore::DuplicatesOf(ReportId id) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare("SELECT id FROM reports WHERE duplicate_of = ? ORDER BY id");
  if (!s) return Fail(s);
  s->Bind(1, id.value);
  std::vector<ReportId> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    out.push_back(ReportId{s->Int(0)});
  }
  return out;
}

}  // namespace est::store
