// Private to the store module: the store's logic in SQL, shared by both backends. SqlStore
// implements every role of store::Store over store/db.h (the SQL is written once, in the subset
// SQLite and PostgreSQL share); the backends (store/sqlite/, store/postgres/) derive from it,
// open the connection, migrate their schema, and override the bulk paths (BeginReportImport,
// ForEachReportForEngine) with what is fastest on their engine.
//
// Files: store.cc (configuration, reports, check-ins, sessions, audit), work_store.cc (meetings,
// problems, actions), document_store.cc, context_store.cc, security_store.cc.
#ifndef EST_STORE_SQL_STORE_H_
#define EST_STORE_SQL_STORE_H_

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/password.h"
#include "store/db.h"
#include "store/store.h"

namespace est::store {

template <class T>
tl::unexpected<Error> Fail(const Result<T>& r) {
  return tl::unexpected(r.error());
}

inline std::optional<int64_t> OptId(const auto& id) {
  if (!id) return std::nullopt;
  return id->value;
}

// The backends' backups (backup.cc).
Status BackupSqlite(const std::string& path, const std::string& file);
Status BackupPostgres(const std::string& url, const std::string& file);

// Every table of the schema, each after the tables its rows refer to.
const std::vector<std::string>& StoreTables();

// The text hashed into the audit chain for one entry.
std::string ChainInput(const AuditEntry& e);

// The stored columns of a new report (no id), in the order Impl::BindReport binds them.
extern const char* const kReportInsertColumns;
// The columns of a report row, in the order ReadReport reads them.
extern const char* const kReportColumns;
Report ReadReport(const Stmt& s);
// The JSON of a report in the audit trail.
std::string ReportAuditJson(const Report& r);
// Reads the engine's columns of the reports with ids in [lo, hi], in id order, in batches; with
// `updated_after` >= 0, only those a change after that audit seq updated.
Status ScanReportsForEngine(Db& db, int64_t lo, int64_t hi,
                            const std::function<void(std::span<const Report>)>& fn,
                            int64_t updated_after = -1);
// The smallest and largest report id, {1, 0} when there are none.
Result<std::pair<int64_t, int64_t>> ReportIdRange(Db& db);
// The engine scan of every report on up to `parts` connections at once: the id range is cut into
// `parts` spans, span 0 is read on `db` and the others each on a connection from `open` (WAL on
// SQLite and MVCC on PostgreSQL: readers do not block each other), each with `scan`. One span on
// `db` alone when `open` is empty, `parts` <= 1 or the range is shorter than 2 × `min_per_part`.
using SpanScan = std::function<Status(Db& db, int64_t lo, int64_t hi)>;
Status ScanInParts(Db& db, int parts, int64_t min_per_part, const std::function<Result<Db>()>& open,
                   const SpanScan& scan);

// The distinct ids one import refers to in a parent table: a bit per id below 2^22 (ids of
// organisations, users, areas, places and categories stay far below that), a set above.
class IdSet {
 public:
  void Add(int64_t id);
  // Calls fn(id) for every id added, smallest first; stops at the first false.
  bool ForEach(const std::function<bool(int64_t)>& fn) const;

 private:
  static constexpr int64_t kDense = int64_t{1} << 22;
  std::vector<uint64_t> bits_;
  std::set<int64_t> large_;
};

// The parents a bulk import's reports name, checked once per distinct id at commit (instead of a
// foreign-key lookup per row): the import fails naming the field and id of the first one missing.
struct ImportReferences {
  IdSet orgs, users, areas, places, categories;
  void Add(const Report& r) {
    orgs.Add(r.org.value);
    if (r.reporter) users.Add(r.reporter->value);
    if (r.area) areas.Add(r.area->value);
    if (r.place) places.Add(r.place->value);
    categories.Add(r.category.value);
  }
  // REQUIRES: inside the import's transaction.
  Status Check(Db& db) const;
};

class SqlStore : public Store {
 public:
  struct Impl;

  int schema_version() const override;
  Result<Organisation> CreateOrganisation(const Organisation& org, const Actor& actor) override;
  Result<std::vector<Organisation>> ListOrganisations() override;
  Result<User> CreateUser(const User& user, const std::string& password_hash,
                          const Actor& actor) override;
  Result<std::vector<User>> ListUsers() override;
  Result<User> UpdateUser(const User& user, const std::optional<std::string>& password_hash,
                          const Actor& actor) override;
  Result<std::optional<User>> GetUser(UserId id) override;
  Result<std::optional<std::pair<User, std::string>>> FindLogin(const std::string& login) override;
  Result<int64_t> CountUsers() override;
  Result<Category> CreateCategory(const Category& category, const Actor& actor) override;
  Result<std::vector<Category>> ListCategories() override;
  Result<std::vector<Area>> CreateAreas(const std::vector<NewArea>& areas,
                                        const Actor& actor) override;
  Result<std::vector<Area>> ListAreas() override;
  Result<std::optional<geo::MultiPolygon>> AreaGeometry(AreaId id) override;
  Result<std::vector<NewArea>> AllAreaGeometries() override;
  Result<std::vector<std::pair<int64_t, int64_t>>> ReportCountsByArea() override;
  Result<Place> CreatePlace(const Place& place, const Actor& actor) override;
  Result<std::vector<Place>> ListPlaces() override;
  Result<int64_t> ReplaceAddresses(const std::vector<Address>& addresses,
                                   const Actor& actor) override;
  Result<std::vector<Address>> ListAddresses() override;
  Result<std::vector<std::pair<std::string, std::string>>> ListSettings() override;
  Status SetSettings(const std::vector<std::pair<std::string, std::string>>& values,
                     const Actor& actor) override;
  Result<ImportOutcome> InsertReports(const std::vector<Report>& reports,
                                      const Actor& actor) override;
  Result<std::unique_ptr<ReportImport>> BeginReportImport() override;
  Result<std::optional<Report>> GetReport(ReportId id) override;
  Result<std::optional<Report>> FindReportBySource(OrgId org,
                                                   const std::string& source_id) override;
  Result<std::vector<Report>> ListReports(const ReportFilter& filter) override;
  Result<int64_t> CountReports(const ReportFilter& filter) override;
  Result<int64_t> ReportCountUpperBound() override;
  Result<Report> UpdateReport(const Report& report, int expected_version,
                              const Actor& actor) override;
  Status SetReportAreas(const std::vector<std::pair<ReportId, std::optional<AreaId>>>& moves,
                        const Actor& actor) override;
  Status ForEachReport(const std::function<void(const Report&)>& fn) override;
  Status ForEachReportForEngine(const std::function<void(std::span<const Report>)>& fn,
                                int parts = 1, int64_t min_per_part = 100000) override;
  Result<CheckIn> UpsertCheckIn(const CheckIn& checkin, const Actor& actor) override;
  Result<std::vector<CheckIn>> ListCheckIns() override;
  Result<std::vector<CheckIn>> ListCheckInsFor(OrgId org, IsoWeek week) override;
  Result<int> CreateSession(const Session& session, int max_per_user = 0) override;
  Result<std::optional<Session>> FindSession(const std::string& token_hash, UnixSeconds now,
                                             int idle_seconds = 0) override;
  Status DeleteSession(const std::string& token_hash) override;
  Result<int64_t> PurgeSessions(UnixSeconds now, int idle_seconds) override;
  Result<ApiToken> CreateApiToken(const ApiToken& token, const Actor& actor) override;
  Result<std::vector<ApiToken>> ListApiTokens(std::optional<UserId> user) override;
  Result<ApiToken> RevokeApiToken(int64_t id, UnixSeconds now, const Actor& actor) override;
  Result<std::optional<ApiToken>> FindApiToken(const std::string& token_hash,
                                               UnixSeconds now) override;
  Status RecordSecurityEvent(const SecurityEvent& event) override;
  Result<std::vector<SecurityEvent>> ListSecurityEvents(int64_t before_id, int64_t limit,
                                                        const std::string& kind = "") override;
  Result<std::vector<SecurityEvent>> LoginEventsAfter(int64_t after_id, UnixSeconds since,
                                                      int64_t limit) override;
  Result<int64_t> PurgeSecurityEvents(UnixSeconds before) override;
  Result<Meeting> CreateMeeting(const Meeting& meeting, const Actor& actor) override;
  Result<Meeting> UpdateMeeting(const Meeting& meeting, int expected_version,
                                const Actor& actor) override;
  Result<std::optional<Meeting>> GetMeeting(MeetingId id) override;
  Result<std::vector<Meeting>> ListMeetings() override;
  Result<Problem> CreateProblem(const Problem& problem, const Actor& actor) override;
  Result<Problem> UpdateProblem(const Problem& problem, int expected_version,
                                const Actor& actor) override;
  Result<std::optional<Problem>> GetProblem(ProblemId id) override;
  Result<std::vector<Problem>> ListProblems() override;
  Result<Action> CreateAction(const Action& action, const Actor& actor) override;
  Result<Action> UpdateAction(const Action& action, int expected_version,
                              const Actor& actor) override;
  Result<std::optional<Action>> GetAction(ActionId id) override;
  Result<std::vector<Action>> ListActions() override;
  Result<StoredDocument> InsertDocument(const StoredDocument& doc,
                                        const std::function<std::string(int)>& data_for,
                                        const Actor& actor) override;
  Result<std::vector<StoredDocument>> ListDocuments() override;
  Result<std::optional<StoredDocument>> GetDocument(int64_t id) override;
  Result<int64_t> UpsertSurveys(const std::vector<SurveyResult>& rows, const Actor& actor) override;
  Result<std::vector<SurveyResult>> ListSurveys() override;
  Status ReplaceVulnerableAreas(int year, const std::vector<VulnerableArea>& areas,
                                const std::vector<geo::MultiPolygon>& geometries,
                                const Actor& actor) override;
  Result<std::vector<VulnerableArea>> ListVulnerableAreas() override;
  Result<std::optional<geo::MultiPolygon>> VulnerableGeometry(int64_t id) override;
  Result<std::vector<PoliceTypeChoice>> ListPoliceTypes() override;
  Status SetPoliceTypes(const std::vector<PoliceTypeChoice>& choices, const Actor& actor) override;
  Result<int64_t> InsertMessage(OrgId org, const std::string& period, const std::string& title,
                                const std::string& body, const Actor& actor) override;
  Result<std::vector<StoredMessage>> ListMessages(std::optional<OrgId> org, int64_t limit) override;
  Result<std::vector<ReportId>> DuplicatesOf(ReportId id) override;
  Result<std::vector<AuditEntry>> ListAudit(int64_t after_seq, int64_t limit) override;
  Result<std::vector<AuditEntry>> ListAuditFor(const std::string& entity,
                                               const std::string& entity_id) override;
  Status VerifyAudit() override;
  Result<std::vector<TableCount>> CountRows() override;
  Result<int64_t> LastChange() override;
  Status ForEachReportUpdatedAfter(int64_t seq,
                                   const std::function<void(std::span<const Report>)>& fn) override;
  Status ForEachReportInRange(int64_t lo, int64_t hi,
                              const std::function<void(std::span<const Report>)>& fn) override;
  Status CopyTo(Store& target,
                const std::function<void(const std::string&, int64_t)>& progress) override;

 protected:
  explicit SqlStore(std::unique_ptr<Impl> impl);
  ~SqlStore() override;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

struct SqlStore::Impl {
  std::mutex mu;
  std::string path;  // as given to Open (":memory:" for tests; a URL for PostgreSQL)
  Db db;
  int version = 0;
  Stmt insert_report;
  Stmt find_source;

  // The audit seq the current write transaction's first entry will get: every report it updates
  // carries it (changed_seq). REQUIRES: inside a write transaction.
  Result<int64_t> NextChangeSeq() {
    auto s = db.Prepare("SELECT COALESCE(MAX(seq), 0) + 1 FROM audit");
    if (!s) return Fail(s);
    auto row = s->Step();
    if (!row) return Fail(row);
    return s->Int(0);
  }

  // Prepares the statements above. REQUIRES: the schema is migrated.
  Status PrepareCommon();

  // Appends one audit entry; call inside an open transaction.
  Status Audit(const Actor& actor, std::string_view action, std::string_view entity,
               const std::string& entity_id, const std::string& before, const std::string& after) {
    auto last = db.Prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
    if (!last) return Fail(last);
    AuditEntry e;
    auto row = last->Step();
    if (!row) return Fail(row);
    e.seq = *row ? last->Int(0) + 1 : 1;
    e.prev_hash = *row ? last->Text(1) : std::string(64, '0');
    e.at = NowUnix();
    e.actor = actor.label.empty() ? "system" : actor.label;
    e.action = action;
    e.entity = entity;
    e.entity_id = entity_id;
    e.before = before;
    e.after = after;
    e.hash = Sha256Hex(ChainInput(e));
    auto ins = db.Prepare(
        "INSERT INTO audit(seq, at, actor, action, entity, entity_id, before, after, prev_hash, "
        "hash) VALUES (?,?,?,?,?,?,?,?,?,?)");
    if (!ins) return Fail(ins);
    ins->Bind(1, e.seq).Bind(2, e.at).Bind(3, e.actor).Bind(4, e.action).Bind(5, e.entity);
    ins->Bind(6, e.entity_id).Bind(7, e.before).Bind(8, e.after).Bind(9, e.prev_hash);
    ins->Bind(10, e.hash);
    return ins->Run();
  }

  // The audit entry of an import: one "create" entry when one report was inserted, else one
  // "import" summary (nothing when none was). REQUIRES: inside the import's transaction.
  Status AuditImport(const Actor& actor, const ImportOutcome& outcome,
                     const std::optional<Report>& first, int64_t last_id);

  // Binds the report's stored columns to ?first.. ?first+22 in kReportInsertColumns' order.
  static void BindReport(Stmt& s, const Report& r, int first) {
    const int o = first - 1;
    s.Bind(o + 1, r.org.value).Bind(o + 2, OptId(r.reporter)).Bind(o + 3, r.occurred_from);
    s.Bind(o + 4, r.occurred_to).Bind(o + 5, r.reported_at).Bind(o + 6, r.e).Bind(o + 7, r.n);
    s.Bind(o + 8, r.lon).Bind(o + 9, r.lat).Bind(o + 10, r.source_epsg);
    s.Bind(o + 11, OptId(r.area)).Bind(o + 12, OptId(r.place));
    s.Bind(o + 13, r.category.value).Bind(o + 14, r.severity).Bind(o + 15, r.count);
    // Static binds: `r` and the enum texts outlive the step, and a bulk import must not copy.
    s.BindStatic(o + 16, CertaintyText(r.certainty)).Bind(o + 17, r.police_notified ? 1 : 0);
    s.BindStatic(o + 18, r.description).BindStatic(o + 19, ReportSourceText(r.source));
    if (r.source_id) {
      s.BindStatic(o + 20, *r.source_id);
    } else {
      s.BindNull(o + 20);
    }
    s.BindStatic(o + 21, ReportStatusText(r.status)).Bind(o + 22, r.version);
    s.Bind(o + 23, r.area_only ? 1 : 0);
  }

  // Inserts one report row and fills its id; false (and nothing written) when its (org, source
  // id) is stored. REQUIRES: inside a transaction.
  Result<bool> InsertReportRow(Report& r) {
    Stmt& s = insert_report;
    BindReport(s, r, 1);
    auto id = s.RunReturning();
    if (!id) return tl::unexpected(id.error());
    if (!*id) return false;
    r.id = ReportId{**id};
    return true;
  }
};

// The bulk import of both backends: the rows one by one in one transaction (an (org, source id)
// already stored is skipped), the reports' parents checked once per distinct id at commit
// (ImportReferences) instead of per row, then the audit entry and the commit. The hooks adapt
// the transaction to the backend: SQLite turns its per-row foreign-key checks off around it (a
// pragma that only works outside a transaction), PostgreSQL defers them to the commit.
class SqlReportImport final : public ReportImport {
 public:
  struct Hooks {
    std::function<Status(Db&)> before_begin;  // outside the transaction, before it
    std::function<Status(Db&)> after_begin;   // inside it, first
    std::function<void(Db&)> after_end;       // after its commit or rollback
    // Inside the transaction, after after_begin: may drop the (org, source id) index when no
    // report is stored, to build it once at commit; true when it did. Rows then get explicit
    // ids from 1 on, and the import itself no longer skips a repeated (org, source id).
    std::function<Result<bool>(Db&)> defer_source_index;
    // At commit, when deferred: builds the index; returns the ids of the rows that repeated an
    // earlier row's (org, source id), which it deleted first.
    std::function<Result<std::vector<int64_t>>(Db&)> build_source_index;
  };
  // Takes the store's lock until the import is destroyed.
  static Result<std::unique_ptr<ReportImport>> Begin(SqlStore::Impl& impl, Hooks hooks = {});
  ~SqlReportImport() override;

  Result<int64_t> Insert(std::span<Report> reports) override;
  Result<ImportOutcome> Commit(const Actor& actor) override;

 private:
  SqlReportImport(SqlStore::Impl& impl, Hooks hooks);

  SqlStore::Impl& impl_;
  std::unique_lock<std::mutex> lock_;
  Hooks hooks_;
  bool began_ = false;  // before_begin ran: after_end is owed
  std::optional<Transaction> tx_;
  bool deferred_ = false;  // the source index is dropped until Commit
  int64_t next_id_ = 1;    // when deferred
  Stmt insert_with_id_;    // when deferred
  ImportOutcome outcome_;
  std::optional<Report> first_;
  int64_t last_id_ = 0;
  ImportReferences refs_;
};

}  // namespace est::store

#endif  // EST_STORE_SQL_STORE_H_
