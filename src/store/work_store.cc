// The store's part for the work after the picture: meetings, problems and actions.
//
// Each entity is one row: the columns that lists filter and sort on, and the whole value as JSON
// in `data` (its lists of linked ids do not need joins: they are small and always read whole).
// The JSON is also what the audit trail records before and after each change.
#include <nlohmann/json.hpp>

#include "store/sql_store.h"
#include "store/store.h"

namespace est::store {
namespace {

using nlohmann::json;

template <class Tag>
json IdsJson(const std::vector<Id<Tag>>& ids) {
  json out = json::array();
  for (const auto& id : ids) out.push_back(id.value);
  return out;
}

template <class Tag>
std::vector<Id<Tag>> IdsFrom(const json& j, const char* key) {
  std::vector<Id<Tag>> out;
  if (auto it = j.find(key); it != j.end() && it->is_array()) {
    for (const auto& v : *it) out.push_back(Id<Tag>{v.get<int64_t>()});
  }
  return out;
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

template <class Tag>
std::optional<Id<Tag>> OptIdFrom(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return Id<Tag>{it->get<int64_t>()};
}

template <class Tag>
json OptIdJson(const std::optional<Id<Tag>>& id) {
  return id ? json(id->value) : json(nullptr);
}

// ---- per-entity mapping ----

template <class T>
struct Traits;

template <>
struct Traits<Meeting> {
  static constexpr const char* kTable = "meetings";
  static constexpr const char* kEntity = "meeting";
  static constexpr const char* kColumns = "held_on, kind, period";
  static constexpr int kColumnCount = 3;
  static constexpr const char* kOrder = "held_on DESC, id DESC";
  static void BindColumns(Stmt& s, const Meeting& m) {
    s.Bind(1, m.held_on).Bind(2, MeetingKindText(m.kind)).Bind(3, m.period);
  }
  static json Data(const Meeting& m) {
    json decisions = json::array();
    for (const auto& d : m.decisions) {
      decisions.push_back({{"number", d.number},
                           {"text", d.text},
                           {"owner", OptIdJson(d.owner)},
                           {"action", OptIdJson(d.action)}});
    }
    return {{"held_on", m.held_on},
            {"kind", MeetingKindText(m.kind)},
            {"period", m.period},
            {"title", m.title},
            {"attendees", IdsJson(m.attendees)},
            {"focus_areas", IdsJson(m.focus_areas)},
            {"focus_places", IdsJson(m.focus_places)},
            {"minutes", m.minutes},
            {"decisions", decisions}};
  }
  static Meeting From(const json& j) {
    Meeting m;
    m.held_on = Str(j, "held_on");
    m.kind = ParseMeetingKind(Str(j, "kind")).value_or(MeetingKind::kWeekly);
    m.period = Str(j, "period");
    m.title = Str(j, "title");
    m.attendees = IdsFrom<OrgTag>(j, "attendees");
    m.focus_areas = IdsFrom<AreaTag>(j, "focus_areas");
    m.focus_places = IdsFrom<PlaceTag>(j, "focus_places");
    m.minutes = Str(j, "minutes");
    if (auto it = j.find("decisions"); it != j.end()) {
      for (const auto& d : *it) {
        Decision x;
        x.number = d.value("number", int64_t{0});
        x.text = Str(d, "text");
        x.owner = OptIdFrom<OrgTag>(d, "owner");
        x.action = OptIdFrom<ActionTag>(d, "action");
        m.decisions.push_back(std::move(x));
      }
    }
    return m;
  }
};

template <>
struct Traits<Problem> {
  static constexpr const char* kTable = "problems";
  static constexpr const char* kEntity = "problem";
  static constexpr const char* kColumns = "title, status";
  static constexpr int kColumnCount = 2;
  static constexpr const char* kOrder = "id DESC";
  static void BindColumns(Stmt& s, const Problem& p) {
    s.Bind(1, p.title).Bind(2, ProblemStatusText(p.status));
  }
  static json Data(const Problem& p) {
    return {{"title", p.title},
            {"description", p.description},
            {"areas", IdsJson(p.areas)},
            {"places", IdsJson(p.places)},
            {"categories", IdsJson(p.categories)},
            {"reports", IdsJson(p.reports)},
            {"status", ProblemStatusText(p.status)}};
  }
  static Problem From(const json& j) {
    Problem p;
    p.title = Str(j, "title");
    p.description = Str(j, "description");
    p.areas = IdsFrom<AreaTag>(j, "areas");
    p.places = IdsFrom<PlaceTag>(j, "places");
    p.categories = IdsFrom<CategoryTag>(j, "categories");
    p.reports = IdsFrom<ReportTag>(j, "reports");
    p.status = ParseProblemStatus(Str(j, "status")).value_or(ProblemStatus::kOpen);
    return p;
  }
};

template <>
struct Traits<Action> {
  static constexpr const char* kTable = "actions";
  static constexpr const char* kEntity = "action";
  static constexpr const char* kColumns = "title, status, owner_org_id, meeting_id, follow_up";
  static constexpr int kColumnCount = 5;
  static constexpr const char* kOrder = "follow_up = '', follow_up, id";
  static void BindColumns(Stmt& s, const Action& a) {
    s.Bind(1, a.title).Bind(2, ActionStatusText(a.status)).Bind(3, a.owner.value);
    s.Bind(4, OptId(a.meeting)).Bind(5, a.follow_up);
  }
  static json Data(const Action& a) {
    return {{"title", a.title},
            {"description", a.description},
            {"prevention", PreventionText(a.prevention)},
            {"horizon", HorizonText(a.horizon)},
            {"owner", a.owner.value},
            {"partners", IdsJson(a.partners)},
            {"areas", IdsJson(a.areas)},
            {"places", IdsJson(a.places)},
            {"problems", IdsJson(a.problems)},
            {"meeting", OptIdJson(a.meeting)},
            {"decision", a.decision},
            {"start", a.start},
            {"end", a.end},
            {"follow_up", a.follow_up},
            {"status", ActionStatusText(a.status)},
            {"cost", a.cost ? json(*a.cost) : json(nullptr)},
            {"indicator_categories", IdsJson(a.indicator_categories)},
            {"indicator", a.indicator},
            {"baseline", a.baseline ? json(*a.baseline) : json(nullptr)},
            {"result", a.result},
            {"controls", IdsJson(a.controls)}};
  }
  static Action From(const json& j) {
    Action a;
    a.title = Str(j, "title");
    a.description = Str(j, "description");
    a.prevention = ParsePrevention(Str(j, "prevention")).value_or(Prevention::kSituational);
    a.horizon = ParseHorizon(Str(j, "horizon")).value_or(Horizon::kLongTerm);
    a.owner = OrgId{j.value("owner", int64_t{0})};
    a.partners = IdsFrom<OrgTag>(j, "partners");
    a.areas = IdsFrom<AreaTag>(j, "areas");
    a.places = IdsFrom<PlaceTag>(j, "places");
    a.problems = IdsFrom<ProblemTag>(j, "problems");
    a.meeting = OptIdFrom<MeetingTag>(j, "meeting");
    a.decision = j.value("decision", int64_t{0});
    a.start = Str(j, "start");
    a.end = Str(j, "end");
    a.follow_up = Str(j, "follow_up");
    a.status = ParseActionStatus(Str(j, "status")).value_or(ActionStatus::kPlanned);
    if (auto it = j.find("cost"); it != j.end() && it->is_number()) a.cost = it->get<double>();
    a.indicator_categories = IdsFrom<CategoryTag>(j, "indicator_categories");
    a.indicator = Str(j, "indicator");
    if (auto it = j.find("baseline"); it != j.end() && it->is_number()) {
      a.baseline = it->get<double>();
    }
    a.result = Str(j, "result");
    a.controls = IdsFrom<AreaTag>(j, "controls");
    return a;
  }
};

// The whole value for the audit trail.
template <class T>
std::string AuditJson(const T& v) {
  json j = Traits<T>::Data(v);
  j["id"] = v.id.value;
  j["version"] = v.version;
  return j.dump();
}

template <class T>
Result<std::optional<T>> GetRow(Db& db, int64_t id) {
  using Tr = Traits<T>;
  auto s = db.Prepare(std::string("SELECT id, data, version, created_at, updated_at FROM ") +
                      Tr::kTable + " WHERE id = ?");
  if (!s) return Fail(s);
  s->Bind(1, id);
  auto row = s->Step();
  if (!row) return Fail(row);
  if (!*row) return std::optional<T>();
  json data = json::parse(s->Text(1), nullptr, false);
  if (data.is_discarded()) {
    return MakeError(ErrorCode::kInternal,
                     std::string("Trasig rad i ") + Tr::kTable + " id " + std::to_string(id));
  }
  T v = Tr::From(data);
  v.id.value = s->Int(0);
  v.version = static_cast<int>(s->Int(2));
  v.created_at = s->Int(3);
  v.updated_at = s->Int(4);
  return std::optional<T>(std::move(v));
}

// REQUIRES: inside a transaction. Fills id, version and times.
template <class T>
Status InsertRow(SqlStore::Impl& impl, T& v, const Actor& actor) {
  using Tr = Traits<T>;
  v.version = 1;
  v.created_at = v.updated_at = NowUnix();
  std::string sql = std::string("INSERT INTO ") + Tr::kTable + "(" + Tr::kColumns +
                    ", data, version, created_at, updated_at) VALUES (";
  for (int i = 0; i < Tr::kColumnCount + 4; ++i) sql += i ? ",?" : "?";
  sql += ") RETURNING id";
  auto s = impl.db.Prepare(sql);
  if (!s) return Fail(s);
  Tr::BindColumns(*s, v);
  s->Bind(Tr::kColumnCount + 1, Tr::Data(v).dump()).Bind(Tr::kColumnCount + 2, v.version);
  s->Bind(Tr::kColumnCount + 3, v.created_at).Bind(Tr::kColumnCount + 4, v.updated_at);
  auto inserted_id = s->RunReturning();
  if (auto& r = inserted_id; !r) return tl::unexpected(r.error());
  v.id.value = inserted_id->value_or(0);
  return impl.Audit(actor, "create", Tr::kEntity, std::to_string(v.id.value), "", AuditJson(v));
}

// REQUIRES: inside a transaction. Checks the version, writes, audits; returns the stored value.
template <class T>
Result<T> UpdateRow(SqlStore::Impl& impl, const T& v, int expected_version, const Actor& actor) {
  using Tr = Traits<T>;
  auto cur = GetRow<T>(impl.db, v.id.value);
  if (!cur) return Fail(cur);
  if (!*cur) {
    return MakeError(ErrorCode::kNotFound,
                     std::string("Finns inte: ") + Tr::kEntity + " " + std::to_string(v.id.value));
  }
  const T& before = **cur;
  if (before.version != expected_version) {
    return MakeError(ErrorCode::kConflict,
                     "Någon annan har ändrat detta (version " + std::to_string(before.version) +
                         "); läs om och försök igen",
                     {{"version", "förväntade " + std::to_string(expected_version) + ", lagrad " +
                                      std::to_string(before.version)}});
  }
  T after = v;
  after.version = before.version + 1;
  after.created_at = before.created_at;
  after.updated_at = NowUnix();
  std::string sql = std::string("UPDATE ") + Tr::kTable + " SET (" + Tr::kColumns +
                    ", data, version, updated_at) = (";
  for (int i = 0; i < Tr::kColumnCount + 3; ++i) sql += i ? ",?" : "?";
  sql += ") WHERE id = ?";
  auto s = impl.db.Prepare(sql);
  if (!s) return Fail(s);
  Tr::BindColumns(*s, after);
  s->Bind(Tr::kColumnCount + 1, Tr::Data(after).dump()).Bind(Tr::kColumnCount + 2, after.version);
  s->Bind(Tr::kColumnCount + 3, after.updated_at).Bind(Tr::kColumnCount + 4, after.id.value);
  if (auto r = s->Run(); !r) return tl::unexpected(r.error());
  if (auto a = impl.Audit(actor, "update", Tr::kEntity, std::to_string(after.id.value),
                          AuditJson(before), AuditJson(after));
      !a) {
    return tl::unexpected(a.error());
  }
  return after;
}

template <class T>
Result<T> Create(SqlStore::Impl& impl, const T& v, const Actor& actor) {
  std::lock_guard lock(impl.mu);
  Transaction tx(impl.db);
  if (!tx.status()) return tl::unexpected(tx.status().error());
  T out = v;
  if (auto s = InsertRow(impl, out, actor); !s) return tl::unexpected(s.error());
  if (auto c = tx.Commit(); !c) return tl::unexpected(c.error());
  return out;
}

template <class T>
Result<T> Update(SqlStore::Impl& impl, const T& v, int expected_version, const Actor& actor) {
  std::lock_guard lock(impl.mu);
  Transaction tx(impl.db);
  if (!tx.status()) return tl::unexpected(tx.status().error());
  auto out = UpdateRow(impl, v, expected_version, actor);
  if (!out) return out;
  if (auto c = tx.Commit(); !c) return tl::unexpected(c.error());
  return out;
}

template <class T>
Result<std::optional<T>> Get(SqlStore::Impl& impl, int64_t id) {
  std::lock_guard lock(impl.mu);
  return GetRow<T>(impl.db, id);
}

template <class T>
Result<std::vector<T>> List(SqlStore::Impl& impl) {
  using Tr = Traits<T>;
  std::lock_guard lock(impl.mu);
  auto s = impl.db.Prepare(std::string("SELECT id, data, version, created_at, updated_at FROM ") +
                           Tr::kTable + " ORDER BY " + Tr::kOrder);
  if (!s) return Fail(s);
  std::vector<T> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    json data = json::parse(s->Text(1), nullptr, false);
    if (data.is_discarded()) continue;
    T v = Tr::From(data);
    v.id.value = s->Int(0);
    v.version = static_cast<int>(s->Int(2));
    v.created_at = s->Int(3);
    v.updated_at = s->Int(4);
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

Result<Meeting> SqlStore::CreateMeeting(const Meeting& m, const Actor& actor) {
  return Create(*impl_, m, actor);
}
Result<Meeting> SqlStore::UpdateMeeting(const Meeting& m, int expected_version,
                                        const Actor& actor) {
  return Update(*impl_, m, expected_version, actor);
}
Result<std::optional<Meeting>> SqlStore::GetMeeting(MeetingId id) {
  return Get<Meeting>(*impl_, id.value);
}
Result<std::vector<Meeting>> SqlStore::ListMeetings() { return List<Meeting>(*impl_); }

Result<Problem> SqlStore::CreateProblem(const Problem& p, const Actor& actor) {
  return Create(*impl_, p, actor);
}
Result<Problem> SqlStore::UpdateProblem(const Problem& p, int expected_version,
                                        const Actor& actor) {
  return Update(*impl_, p, expected_version, actor);
}
Result<std::optional<Problem>> SqlStore::GetProblem(ProblemId id) {
  return Get<Problem>(*impl_, id.value);
}
Result<std::vector<Problem>> SqlStore::ListProblems() { return List<Problem>(*impl_); }

Result<Action> SqlStore::CreateAction(const Action& a, const Actor& actor) {
  if (!a.meeting) return Create(*impl_, a, actor);
  std::lock_guard lock(impl_->mu);
  Transaction tx(impl_->db);
  if (!tx.status()) return tl::unexpected(tx.status().error());
  auto meeting = GetRow<Meeting>(impl_->db, a.meeting->value);
  if (!meeting) return Fail(meeting);
  if (!*meeting) {
    return MakeError(ErrorCode::kNotFound, "Mötet finns inte",
                     {{"meeting", "okänt möte " + std::to_string(a.meeting->value)}});
  }
  Meeting m = **meeting;
  Decision* d = nullptr;
  for (auto& x : m.decisions) {
    if (x.number == a.decision) d = &x;
  }
  if (!d) {
    return MakeError(ErrorCode::kNotFound, "Beslutet finns inte i mötet",
                     {{"decision", "mötet har inget beslut nummer " + std::to_string(a.decision)}});
  }
  if (d->action) {
    return MakeError(
        ErrorCode::kConflict, "Beslutet har redan en insats",
        {{"decision", "redan kopplat till insats " + std::to_string(d->action->value)}});
  }
  Action out = a;
  if (auto s = InsertRow(*impl_, out, actor); !s) return tl::unexpected(s.error());
  d->action = out.id;
  auto updated = UpdateRow(*impl_, m, m.version, actor);
  if (!updated) return tl::unexpected(updated.error());
  if (auto c = tx.Commit(); !c) return tl::unexpected(c.error());
  return out;
}
Result<Action> SqlStore::UpdateAction(const Action& a, int expected_version, const Actor& actor) {
  return Update(*impl_, a, expected_version, actor);
}
Result<std::optional<Action>> SqlStore::GetAction(ActionId id) {
  return Get<Action>(*impl_, id.value);
}
Result<std::vector<Action>> SqlStore::ListActions() { return List<Action>(*impl_); }

}  // namespace est::store
