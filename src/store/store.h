// The store: durable home of every entity, on SQLite (embedded default).
//
// Every write runs in one transaction together with its audit-trail entry, so a change is either
// wholly stored and audited or not at all; a commit returns only after the data is on disk
// (WAL, synchronous=FULL). The schema is versioned and migrated forward on Open().
//
// Thread safety: Store is thread-safe; calls are serialised on an internal mutex.
// The interface speaks only domain types (core/model.h); no sqlite3 type leaves the module.
#ifndef EST_STORE_STORE_H_
#define EST_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/context.h"
#include "core/error.h"
#include "core/model.h"
#include "core/work.h"
#include "geo/polygon.h"

namespace est::store {

// Who makes a change, for the audit trail. user empty = the command line / system.
struct Actor {
  std::optional<UserId> user;
  std::string label;  // login or "cli"
};

struct NewArea {
  Area area;                   // id ignored
  geo::MultiPolygon geometry;  // EPSG:3006
  // When area.parent is empty: the code of a parent inserted earlier in the same batch.
  std::string parent_code;
};

struct ReportFilter {
  std::optional<UnixSeconds> from;  // occurred_from >= from
  std::optional<UnixSeconds> to;    // occurred_from < to
  std::vector<OrgId> orgs;          // empty = all
  std::vector<CategoryId> categories;
  std::optional<ReportStatus> status;
  std::optional<AreaId> area;  // exact deepest area
  bool outside_only = false;   // only reports outside every area
  int64_t offset = 0;
  int64_t limit = 100;
};

struct ImportOutcome {
  int64_t inserted = 0;
  int64_t already_present = 0;  // same (org, source id) stored before: skipped, idempotent
  std::vector<Report> reports;  // the inserted reports, with ids
};

struct Session {
  std::string token_hash;
  UserId user;
  std::string csrf_token;
  UnixSeconds expires_at = 0;  // the absolute limit
  UnixSeconds created_at = 0;
  UnixSeconds last_seen = 0;  // the last request (kept to the minute)
};

// A security event: a login success or failure, a lockout, a logout, a refused (403) request.
// Kept in its own table (not the audit chain); the password is never part of one.
struct SecurityEvent {
  int64_t id = 0;
  UnixSeconds at = 0;
  std::string kind;     // "login_success", "login_failure", "lockout", "logout", "forbidden", ...
  std::string login;    // as typed at a login, or the caller's; "" when unknown
  std::string address;  // the client's IP address
  std::string detail;
};

struct AuditEntry {
  int64_t seq = 0;
  UnixSeconds at = 0;
  std::string actor;
  std::string action;  // "create", "update", "import", "delete"
  std::string entity;  // "report", "organisation", ...
  std::string entity_id;
  std::string before;  // JSON text or ""
  std::string after;
  std::string prev_hash;
  std::string hash;
};

struct StoredDocument {
  int64_t id = 0;
  std::string kind, period, org;
  int version = 0;
  UnixSeconds published_at = 0;
  std::string published_by;
  std::string data;  // the document as JSON
};

struct StoredMessage {
  int64_t id = 0;
  OrgId org;
  std::string period, title, body;
  UnixSeconds created_at = 0;
  std::string created_by;
};

class ReportImport;

class Store {
 public:
  // Opens or creates the database at `path` (":memory:" for tests) and migrates the schema.
  static Result<std::unique_ptr<Store>> Open(const std::string& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  int schema_version() const;

  // Organisations. Create fails with kConflict when the code exists.
  Result<Organisation> CreateOrganisation(const Organisation& org, const Actor& actor);
  Result<std::vector<Organisation>> ListOrganisations();

  // Users. The password hash is an argon2id string from core/password.h.
  Result<User> CreateUser(const User& user, const std::string& password_hash, const Actor& actor);
  Result<std::vector<User>> ListUsers();
  // Replaces the user's name, role, organisation and disabled flag (and the password hash when
  // `password_hash` is given); kNotFound for an unknown id. The hash never enters the audit.
  Result<User> UpdateUser(const User& user, const std::optional<std::string>& password_hash,
                          const Actor& actor);
  Result<std::optional<User>> GetUser(UserId id);
  // The user and its password hash, or nullopt when the login is unknown.
  Result<std::optional<std::pair<User, std::string>>> FindLogin(const std::string& login);
  Result<int64_t> CountUsers();

  // Categories.
  Result<Category> CreateCategory(const Category& category, const Actor& actor);
  Result<std::vector<Category>> ListCategories();

  // Areas: all-or-nothing batch insert (an import). Parent codes must exist or be in the batch,
  // resolved by the caller into parent ids / batch order.
  Result<std::vector<Area>> CreateAreas(const std::vector<NewArea>& areas, const Actor& actor);
  Result<std::vector<Area>> ListAreas();
  Result<std::optional<geo::MultiPolygon>> AreaGeometry(AreaId id);
  // Every area with its geometry, for building the spatial index.
  Result<std::vector<NewArea>> AllAreaGeometries();
  // Number of reports per deepest area id (area 0 = outside), for "areas list".
  Result<std::vector<std::pair<int64_t, int64_t>>> ReportCountsByArea();

  // Places.
  Result<Place> CreatePlace(const Place& place, const Actor& actor);
  Result<std::vector<Place>> ListPlaces();

  // Reports. InsertReports is all-or-nothing; reports whose (org, source_id) exists are skipped
  // and counted in already_present. The audit trail gets one entry per report for single inserts
  // and one summary entry for a batch of more than one.
  Result<ImportOutcome> InsertReports(const std::vector<Report>& reports, const Actor& actor);
  // Begins a bulk insert of reports in one transaction (see ReportImport), for imports too large
  // to hold in memory at once. The store's lock is held until the ReportImport is destroyed:
  // other calls on this store wait meanwhile (and deadlock when made from the owning thread).
  Result<std::unique_ptr<ReportImport>> BeginReportImport();
  Result<std::optional<Report>> GetReport(ReportId id);
  Result<std::optional<Report>> FindReportBySource(OrgId org, const std::string& source_id);
  Result<std::vector<Report>> ListReports(const ReportFilter& filter);
  Result<int64_t> CountReports(const ReportFilter& filter);
  // An upper bound of the number of reports without reading the table (ids are never reused):
  // max(id) − min(id) + 1, 0 when empty. For progress lines.
  Result<int64_t> ReportCountUpperBound();
  // Optimistic concurrency: fails with kConflict unless `expected_version` is the stored version.
  Result<Report> UpdateReport(const Report& report, int expected_version, const Actor& actor);
  // Moves reports to new deepest areas after the area set changed (one transaction, one audit
  // entry). Each pair is (report, new area or empty for outside).
  Status SetReportAreas(const std::vector<std::pair<ReportId, std::optional<AreaId>>>& moves,
                        const Actor& actor);
  // Streams every report (ordered by id) to `fn`, for loading the analysis engine.
  Status ForEachReport(const std::function<void(const Report&)>& fn);
  // Like ForEachReport but fills only the fields the analysis engine keeps (id, org, times,
  // position, area, category, severity, status): no text is read, which makes start-up several
  // times faster. The other fields keep their defaults. Reports come in batches; with parts > 1
  // (a database file, and at least min_per_part ids per part) the id range is split into that
  // many parts read at the same time on their own connections, so `fn` is called from several
  // threads at once, in no order.
  Status ForEachReportForEngine(const std::function<void(std::span<const Report>)>& fn,
                                int parts = 1, int64_t min_per_part = 100000);

  // Check-ins: one per (org, area, week); a second call updates it.
  Result<CheckIn> UpsertCheckIn(const CheckIn& checkin, const Actor& actor);
  Result<std::vector<CheckIn>> ListCheckIns();
  // The check-ins of one organisation for one ISO week.
  Result<std::vector<CheckIn>> ListCheckInsFor(OrgId org, IsoWeek week);

  // Sessions (token hashes only; the raw token is never stored).
  // Stores a session (last_seen = created_at when 0). When `max_per_user` > 0, the user's oldest
  // sessions beyond that many (the new one counted) end in the same transaction; returns how
  // many ended.
  Result<int> CreateSession(const Session& session, int max_per_user = 0);
  // The live session of a token: before expires_at and, when `idle_seconds` > 0, used within
  // the last `idle_seconds`. Marks it used at `now` (written at most once a minute, so a busy
  // page does not cost a commit per request). Empty when there is none.
  Result<std::optional<Session>> FindSession(const std::string& token_hash, UnixSeconds now,
                                             int idle_seconds = 0);
  Status DeleteSession(const std::string& token_hash);
  // Deletes the sessions that have ended by `now` (absolute limit, or idle longer than
  // `idle_seconds` when > 0); returns how many.
  Result<int64_t> PurgeSessions(UnixSeconds now, int idle_seconds);

  // Security events (security_store.cc). Record never fails the caller's request for long: it
  // is one small insert.
  Status RecordSecurityEvent(const SecurityEvent& event);
  // Newest first: the events with id < `before_id` (0 = from the newest), at most `limit`, only
  // of `kind` when not empty.
  Result<std::vector<SecurityEvent>> ListSecurityEvents(int64_t before_id, int64_t limit,
                                                        const std::string& kind = "");
  // Deletes the events from before `before` (retention); returns how many.
  Result<int64_t> PurgeSecurityEvents(UnixSeconds before);

  // Meetings, problems and actions (work_store.cc). Create ignores the id, sets version 1 and
  // the times, and returns the stored value. Update is optimistic: kConflict unless
  // `expected_version` is the stored version (kNotFound when the id is unknown); it bumps the
  // version. Every change is audited with the values before and after.
  Result<Meeting> CreateMeeting(const Meeting& meeting, const Actor& actor);
  Result<Meeting> UpdateMeeting(const Meeting& meeting, int expected_version, const Actor& actor);
  Result<std::optional<Meeting>> GetMeeting(MeetingId id);
  Result<std::vector<Meeting>> ListMeetings();  // newest first
  Result<Problem> CreateProblem(const Problem& problem, const Actor& actor);
  Result<Problem> UpdateProblem(const Problem& problem, int expected_version, const Actor& actor);
  Result<std::optional<Problem>> GetProblem(ProblemId id);
  Result<std::vector<Problem>> ListProblems();  // newest first
  // When action.meeting is set, decision number action.decision of that meeting is linked to
  // the new action in the same transaction (kNotFound when the meeting or decision is missing,
  // kConflict when the decision already has an action).
  Result<Action> CreateAction(const Action& action, const Actor& actor);
  Result<Action> UpdateAction(const Action& action, int expected_version, const Actor& actor);
  Result<std::optional<Action>> GetAction(ActionId id);
  Result<std::vector<Action>> ListActions();  // by follow-up date, then id

  // Published documents (document_store.cc): frozen JSON with a version per (kind, period, org).
  // Insert numbers the version itself (1 + the latest) inside its transaction and stores
  // data_for(version) as the document's data, so the frozen JSON can carry its own number.
  Result<StoredDocument> InsertDocument(const StoredDocument& doc,
                                        const std::function<std::string(int)>& data_for,
                                        const Actor& actor);
  Result<std::vector<StoredDocument>> ListDocuments();  // newest first, without `data`
  Result<std::optional<StoredDocument>> GetDocument(int64_t id);

  // Survey results and the police's list (context_store.cc).
  // Upserts by (area, indicator, period, source), all in one transaction; returns how many rows
  // were new (the rest replaced a stored value).
  Result<int64_t> UpsertSurveys(const std::vector<SurveyResult>& rows, const Actor& actor);
  Result<std::vector<SurveyResult>> ListSurveys();
  // Replaces the list of `year` (all-or-nothing): the old year's rows go, these come in.
  Status ReplaceVulnerableAreas(int year, const std::vector<VulnerableArea>& areas,
                                const std::vector<geo::MultiPolygon>& geometries,
                                const Actor& actor);
  Result<std::vector<VulnerableArea>> ListVulnerableAreas();  // by year, then name
  Result<std::optional<geo::MultiPolygon>> VulnerableGeometry(int64_t id);

  // Messages to an organisation's reporters (context_store.cc). Returns the id.
  Result<int64_t> InsertMessage(OrgId org, const std::string& period, const std::string& title,
                                const std::string& body, const Actor& actor);
  // Newest first; org empty = every organisation's.
  Result<std::vector<StoredMessage>> ListMessages(std::optional<OrgId> org, int64_t limit);
  // Reports marked as duplicates of `id`.
  Result<std::vector<ReportId>> DuplicatesOf(ReportId id);

  // Audit trail.
  Result<std::vector<AuditEntry>> ListAudit(int64_t after_seq, int64_t limit);
  // Every entry about one entity ("problem", "42"), oldest first: its history.
  Result<std::vector<AuditEntry>> ListAuditFor(const std::string& entity,
                                               const std::string& entity_id);
  // Recomputes the hash chain; error names the first broken entry.
  Status VerifyAudit();

 public:
  struct Impl;  // opaque: the SQLite state, private to the store module (store_impl.h)

 private:
  friend class ReportImport;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A bulk insert of reports: one transaction into which batches are inserted; nothing is visible
// to other connections until Commit, and dropping it without Commit rolls everything back, leaving
// the database file as it was. Same rules as Store::InsertReports. Not thread-safe; use from the
// thread that began it.
class ReportImport {
 public:
  ~ReportImport();
  ReportImport(const ReportImport&) = delete;
  ReportImport& operator=(const ReportImport&) = delete;

  // Inserts `reports` in order and sets the id of each inserted one. A report whose (org, source
  // id) is stored, before or earlier in this import, is skipped: its id is left 0. Returns how many
  // were inserted. Any other failure (a constraint) is an error; then drop the import.
  // The reports need only live until the call returns.
  Result<int64_t> Insert(std::span<Report> reports);

  // Checks that every organisation, reporter, area, place and category the inserted reports name
  // exists (once per distinct id; the per-row foreign-key checks are off during the import) and
  // fails naming the field and id if one does not; then appends the audit entry (as
  // InsertReports: one "create" entry when one report was inserted, else one "import" summary)
  // and commits. The outcome's `reports` is left empty.
  Result<ImportOutcome> Commit(const Actor& actor);

 private:
  friend class Store;
  struct State;
  explicit ReportImport(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace est::store

#endif  // EST_STORE_STORE_H_
