// The store: durable home of every entity, as interfaces by role (configuration, reports,
// sessions, work, documents, context, audit) gathered in Store, with two backends behind them:
// SQLite, the embedded default (store/sqlite/), and PostgreSQL (store/postgres/). Store::Open
// picks the backend from the URL.
//
// Every write runs in one transaction together with its audit-trail entry, so a change is either
// wholly stored and audited or not at all; a commit returns only after the data is durable
// (SQLite: WAL, synchronous=FULL; PostgreSQL: its commit, synchronous_commit as the server is
// configured — on by default). The schema is versioned and migrated forward on Open().
//
// Thread safety: a Store is thread-safe; calls are serialised on an internal mutex. Writers on
// several servers that share one PostgreSQL database are serialised by the database.
// The interfaces speak only domain types (core/model.h); no SQLite or PostgreSQL type leaves the
// module.
#ifndef EST_STORE_STORE_H_
#define EST_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
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
  std::vector<AreaId> areas_within;  // deepest area any of these (an area and its descendants)
  std::optional<ReportSource> source;
  bool outside_only = false;   // only reports outside every area
  // WGS 84 lon/lat box {min_lon, min_lat, max_lon, max_lat}, edges included; a report placed
  // only by its area has no point and never lies in one.
  std::optional<std::array<double, 4>> lonlat_box;
  // SWEREF 99 TM box {min_e, min_n, max_e, max_n}, edges included; as lonlat_box.
  std::optional<std::array<double, 4>> sweref_box;
  int64_t offset = 0;
  int64_t limit = 100;
};

struct ImportOutcome {
  int64_t inserted = 0;
  int64_t already_present = 0;  // same (org, source id) stored before: skipped, idempotent
  std::vector<Report> reports;  // the inserted reports, with ids
  // A bulk import (ReportImport) only: ids that Insert gave to rows repeating an earlier row's
  // (org, source id) in the same import or (PostgreSQL) a row stored before it, removed again at
  // Commit (counted in already_present).
  std::vector<int64_t> later_duplicates;
};

struct Session {
  std::string token_hash;
  UserId user;
  std::string csrf_token;
  UnixSeconds expires_at = 0;  // the absolute limit
  UnixSeconds created_at = 0;
  UnixSeconds last_seen = 0;  // the last request (kept to the minute)
};

// A personal API token (Authorization: Bearer): only its SHA-256 is stored.
struct ApiToken {
  int64_t id = 0;
  UserId user;
  std::string name;
  std::string token_hash;
  std::string prefix;          // the token's first characters, to tell tokens apart in lists
  UnixSeconds created_at = 0;
  UnixSeconds expires_at = 0;  // 0 = never
  UnixSeconds revoked_at = 0;  // 0 = live
  UnixSeconds last_used = 0;   // kept to the minute
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
class Store;

// The municipality's configuration: organisations, users, categories, areas and places.
class ConfigStore {
 public:
  virtual ~ConfigStore() = default;

  // Organisations. Create fails with kConflict when the code exists.
  virtual Result<Organisation> CreateOrganisation(const Organisation& org, const Actor& actor) = 0;
  virtual Result<std::vector<Organisation>> ListOrganisations() = 0;

  // Users. The password hash is an argon2id string from core/password.h.
  virtual Result<User> CreateUser(const User& user, const std::string& password_hash,
                                  const Actor& actor) = 0;
  virtual Result<std::vector<User>> ListUsers() = 0;
  // Replaces the user's name, role, organisation and disabled flag (and the password hash when
  // `password_hash` is given); kNotFound for an unknown id. The hash never enters the audit.
  virtual Result<User> UpdateUser(const User& user, const std::optional<std::string>& password_hash,
                                  const Actor& actor) = 0;
  virtual Result<std::optional<User>> GetUser(UserId id) = 0;
  // The user and its password hash, or nullopt when the login is unknown.
  virtual Result<std::optional<std::pair<User, std::string>>> FindLogin(
      const std::string& login) = 0;
  virtual Result<int64_t> CountUsers() = 0;

  // Categories.
  virtual Result<Category> CreateCategory(const Category& category, const Actor& actor) = 0;
  virtual Result<std::vector<Category>> ListCategories() = 0;

  // Areas: all-or-nothing batch insert (an import). Parent codes must exist or be in the batch,
  // resolved by the caller into parent ids / batch order.
  virtual Result<std::vector<Area>> CreateAreas(const std::vector<NewArea>& areas,
                                                const Actor& actor) = 0;
  virtual Result<std::vector<Area>> ListAreas() = 0;
  virtual Result<std::optional<geo::MultiPolygon>> AreaGeometry(AreaId id) = 0;
  // Every area with its geometry, for building the spatial index.
  virtual Result<std::vector<NewArea>> AllAreaGeometries() = 0;
  // Number of reports per deepest area id (area 0 = outside), for "areas list".
  virtual Result<std::vector<std::pair<int64_t, int64_t>>> ReportCountsByArea() = 0;

  // Places.
  virtual Result<Place> CreatePlace(const Place& place, const Actor& actor) = 0;
  virtual Result<std::vector<Place>> ListPlaces() = 0;

  // Address points: an import replaces the whole register in one transaction (audited as one
  // entry with the count); read whole to build the search index.
  virtual Result<int64_t> ReplaceAddresses(const std::vector<Address>& addresses,
                                           const Actor& actor) = 0;
  virtual Result<std::vector<Address>> ListAddresses() = 0;

  // Settings: named text values of the configuration (basemap URL and attribution, …). An
  // empty value removes the setting. Audited as entity "setting".
  virtual Result<std::vector<std::pair<std::string, std::string>>> ListSettings() = 0;
  virtual Status SetSettings(const std::vector<std::pair<std::string, std::string>>& values,
                             const Actor& actor) = 0;
};

// Reports and the weekly check-ins.
class ReportStore {
 public:
  virtual ~ReportStore() = default;

  // Reports. InsertReports is all-or-nothing; reports whose (org, source_id) exists are skipped
  // and counted in already_present. The audit trail gets one entry per report for single inserts
  // and one summary entry for a batch of more than one.
  virtual Result<ImportOutcome> InsertReports(const std::vector<Report>& reports,
                                              const Actor& actor) = 0;
  // Begins a bulk insert of reports in one transaction (see ReportImport), for imports too large
  // to hold in memory at once. The store's lock is held until the ReportImport is destroyed:
  // other calls on this store wait meanwhile (and deadlock when made from the owning thread).
  virtual Result<std::unique_ptr<ReportImport>> BeginReportImport() = 0;
  virtual Result<std::optional<Report>> GetReport(ReportId id) = 0;
  virtual Result<std::optional<Report>> FindReportBySource(OrgId org,
                                                           const std::string& source_id) = 0;
  virtual Result<std::vector<Report>> ListReports(const ReportFilter& filter) = 0;
  virtual Result<int64_t> CountReports(const ReportFilter& filter) = 0;
  // An upper bound of the number of reports without reading the table (ids are never reused):
  // max(id) − min(id) + 1, 0 when empty. For progress lines.
  virtual Result<int64_t> ReportCountUpperBound() = 0;
  // Optimistic concurrency: fails with kConflict unless `expected_version` is the stored version.
  virtual Result<Report> UpdateReport(const Report& report, int expected_version,
                                      const Actor& actor) = 0;
  // Moves reports to new deepest areas after the area set changed (one transaction, one audit
  // entry). Each pair is (report, new area or empty for outside).
  virtual Status SetReportAreas(
      const std::vector<std::pair<ReportId, std::optional<AreaId>>>& moves, const Actor& actor) = 0;
  // Streams every report (ordered by id) to `fn`, for loading the analysis engine.
  virtual Status ForEachReport(const std::function<void(const Report&)>& fn) = 0;
  // Like ForEachReport but fills only the fields the analysis engine keeps (id, org, times,
  // position, area, category, severity, status): no text is read, which makes start-up several
  // times faster. The other fields keep their defaults. Reports come in batches; with parts > 1
  // (a database file, and at least min_per_part ids per part) the id range is split into that
  // many parts read at the same time on their own connections, so `fn` is called from several
  // threads at once, in no order.
  virtual Status ForEachReportForEngine(const std::function<void(std::span<const Report>)>& fn,
                                        int parts = 1, int64_t min_per_part = 100000) = 0;

  // Check-ins: one per (org, area, week); a second call updates it.
  virtual Result<CheckIn> UpsertCheckIn(const CheckIn& checkin, const Actor& actor) = 0;
  virtual Result<std::vector<CheckIn>> ListCheckIns() = 0;
  // The check-ins of one organisation for one ISO week.
  virtual Result<std::vector<CheckIn>> ListCheckInsFor(OrgId org, IsoWeek week) = 0;
};

// Sessions and security events.
class SessionStore {
 public:
  virtual ~SessionStore() = default;

  // Sessions (token hashes only; the raw token is never stored).
  // Stores a session (last_seen = created_at when 0). When `max_per_user` > 0, the user's oldest
  // sessions beyond that many (the new one counted) end in the same transaction; returns how
  // many ended.
  virtual Result<int> CreateSession(const Session& session, int max_per_user = 0) = 0;
  // The live session of a token: before expires_at and, when `idle_seconds` > 0, used within
  // the last `idle_seconds`. Marks it used at `now` (written at most once a minute, so a busy
  // page does not cost a commit per request). Empty when there is none.
  virtual Result<std::optional<Session>> FindSession(const std::string& token_hash, UnixSeconds now,
                                                     int idle_seconds = 0) = 0;
  virtual Status DeleteSession(const std::string& token_hash) = 0;
  // Deletes the sessions that have ended by `now` (absolute limit, or idle longer than
  // `idle_seconds` when > 0); returns how many.
  virtual Result<int64_t> PurgeSessions(UnixSeconds now, int idle_seconds) = 0;

  // Personal API tokens. Create and revoke are audited (never the hash). Find returns the live
  // token of a hash (not revoked, not expired at `now`) and marks it used (at most once a minute).
  virtual Result<ApiToken> CreateApiToken(const ApiToken& token, const Actor& actor) = 0;
  // Every token (revoked and expired too), newest first; only `user`'s when given.
  virtual Result<std::vector<ApiToken>> ListApiTokens(std::optional<UserId> user) = 0;
  // kNotFound when there is no token `id`; revoking a revoked token changes nothing.
  virtual Result<ApiToken> RevokeApiToken(int64_t id, UnixSeconds now, const Actor& actor) = 0;
  virtual Result<std::optional<ApiToken>> FindApiToken(const std::string& token_hash,
                                                       UnixSeconds now) = 0;

  // Security events (security_store.cc). Record never fails the caller's request for long: it
  // is one small insert.
  virtual Status RecordSecurityEvent(const SecurityEvent& event) = 0;
  // Newest first: the events with id < `before_id` (0 = from the newest), at most `limit`, only
  // of `kind` when not empty.
  virtual Result<std::vector<SecurityEvent>> ListSecurityEvents(int64_t before_id, int64_t limit,
                                                                const std::string& kind = "") = 0;
  // Oldest first: the login successes and failures with id > `after_id` and at >= `since`, at
  // most `limit` — what every server's login limiter replays, so that the limits hold across
  // servers on one database.
  virtual Result<std::vector<SecurityEvent>> LoginEventsAfter(int64_t after_id, UnixSeconds since,
                                                              int64_t limit) = 0;
  // Deletes the events from before `before` (retention); returns how many.
  virtual Result<int64_t> PurgeSecurityEvents(UnixSeconds before) = 0;
};

// The weekly work: meetings, problems and actions.
class WorkStore {
 public:
  virtual ~WorkStore() = default;

  // Meetings, problems and actions (work_store.cc). Create ignores the id, sets version 1 and
  // the times, and returns the stored value. Update is optimistic: kConflict unless
  // `expected_version` is the stored version (kNotFound when the id is unknown); it bumps the
  // version. Every change is audited with the values before and after.
  virtual Result<Meeting> CreateMeeting(const Meeting& meeting, const Actor& actor) = 0;
  virtual Result<Meeting> UpdateMeeting(const Meeting& meeting, int expected_version,
                                        const Actor& actor) = 0;
  virtual Result<std::optional<Meeting>> GetMeeting(MeetingId id) = 0;
  virtual Result<std::vector<Meeting>> ListMeetings() = 0;  // newest first
  virtual Result<Problem> CreateProblem(const Problem& problem, const Actor& actor) = 0;
  virtual Result<Problem> UpdateProblem(const Problem& problem, int expected_version,
                                        const Actor& actor) = 0;
  virtual Result<std::optional<Problem>> GetProblem(ProblemId id) = 0;
  virtual Result<std::vector<Problem>> ListProblems() = 0;  // newest first
  // When action.meeting is set, decision number action.decision of that meeting is linked to
  // the new action in the same transaction (kNotFound when the meeting or decision is missing,
  // kConflict when the decision already has an action).
  virtual Result<Action> CreateAction(const Action& action, const Actor& actor) = 0;
  virtual Result<Action> UpdateAction(const Action& action, int expected_version,
                                      const Actor& actor) = 0;
  virtual Result<std::optional<Action>> GetAction(ActionId id) = 0;
  virtual Result<std::vector<Action>> ListActions() = 0;  // by follow-up date, then id
};

// Published documents.
class DocumentStore {
 public:
  virtual ~DocumentStore() = default;

  // Published documents (document_store.cc): frozen JSON with a version per (kind, period, org).
  // Insert numbers the version itself (1 + the latest) inside its transaction and stores
  // data_for(version) as the document's data, so the frozen JSON can carry its own number.
  virtual Result<StoredDocument> InsertDocument(const StoredDocument& doc,
                                                const std::function<std::string(int)>& data_for,
                                                const Actor& actor) = 0;
  virtual Result<std::vector<StoredDocument>> ListDocuments() = 0;  // newest first, without `data`
  virtual Result<std::optional<StoredDocument>> GetDocument(int64_t id) = 0;
};

// A police event type and the category its events become; none = not imported.
struct PoliceTypeChoice {
  std::string type;
  std::optional<CategoryId> category;
};

// Context: surveys, the police's list of vulnerable areas, messages to reporters, duplicates.
class ContextStore {
 public:
  virtual ~ContextStore() = default;

  // Survey results and the police's list (context_store.cc).
  // Upserts by (area, indicator, period, source), all in one transaction; returns how many rows
  // were new (the rest replaced a stored value).
  virtual Result<int64_t> UpsertSurveys(const std::vector<SurveyResult>& rows,
                                        const Actor& actor) = 0;
  virtual Result<std::vector<SurveyResult>> ListSurveys() = 0;
  // Replaces the list of `year` (all-or-nothing): the old year's rows go, these come in.
  virtual Status ReplaceVulnerableAreas(int year, const std::vector<VulnerableArea>& areas,
                                        const std::vector<geo::MultiPolygon>& geometries,
                                        const Actor& actor) = 0;
  virtual Result<std::vector<VulnerableArea>> ListVulnerableAreas() = 0;  // by year, then name
  virtual Result<std::optional<geo::MultiPolygon>> VulnerableGeometry(int64_t id) = 0;

  // The coordinator's category for a police event type (context_store.cc); a type with no row
  // takes the default that ships with EST (app/police.cc). Set replaces the type's row (audited).
  virtual Result<std::vector<PoliceTypeChoice>> ListPoliceTypes() = 0;
  virtual Status SetPoliceTypes(const std::vector<PoliceTypeChoice>& choices,
                                const Actor& actor) = 0;

  // Messages to an organisation's reporters (context_store.cc). Returns the id.
  virtual Result<int64_t> InsertMessage(OrgId org, const std::string& period,
                                        const std::string& title, const std::string& body,
                                        const Actor& actor) = 0;
  // Newest first; org empty = every organisation's.
  virtual Result<std::vector<StoredMessage>> ListMessages(std::optional<OrgId> org,
                                                          int64_t limit) = 0;
  // Reports marked as duplicates of `id`.
  virtual Result<std::vector<ReportId>> DuplicatesOf(ReportId id) = 0;
};

// The audit trail (a SHA-256 hash chain).
class AuditStore {
 public:
  virtual ~AuditStore() = default;

  // Audit trail.
  virtual Result<std::vector<AuditEntry>> ListAudit(int64_t after_seq, int64_t limit) = 0;
  // Every entry about one entity ("problem", "42"), oldest first: its history.
  virtual Result<std::vector<AuditEntry>> ListAuditFor(const std::string& entity,
                                                       const std::string& entity_id) = 0;
  // Recomputes the hash chain; error names the first broken entry.
  virtual Status VerifyAudit() = 0;
};

// Waits for changes committed by anyone to the database (another server, the command line).
class ChangeListener {
 public:
  virtual ~ChangeListener() = default;
  // Blocks up to `timeout_ms`; true when told of a commit (PostgreSQL: LISTEN/NOTIFY), false on
  // timeout (SQLite always times out: poll LastChange then). Errors (a lost connection) come back
  // as errors; the caller waits and asks again, and catches up by the change sequence either way.
  virtual Result<bool> Wait(int timeout_ms) = 0;
};

// The change feed that keeps several servers on one database current. Every committed change has
// an audit entry; its seq orders all changes.
class ChangeStore {
 public:
  virtual ~ChangeStore() = default;
  // The newest audit seq (0 when there is none).
  virtual Result<int64_t> LastChange() = 0;
  // The engine's columns (as ForEachReportForEngine) of the reports updated by a change after
  // `seq` (edits, reviews, area moves), and of those with ids in [lo, hi] (the inserts an audit
  // entry names).
  virtual Status ForEachReportUpdatedAfter(
      int64_t seq, const std::function<void(std::span<const Report>)>& fn) = 0;
  virtual Status ForEachReportInRange(int64_t lo, int64_t hi,
                                      const std::function<void(std::span<const Report>)>& fn) = 0;
  // A listener on its own connection.
  virtual Result<std::unique_ptr<ChangeListener>> ListenForChanges() = 0;
};

// Rows of one table.
struct TableCount {
  std::string table;
  int64_t rows = 0;
};

// Moving a whole database: counting, copying to another store, backing up.
class MaintenanceStore {
 public:
  virtual ~MaintenanceStore() = default;

  // Rows per table, every table of the schema, in copy order.
  virtual Result<std::vector<TableCount>> CountRows() = 0;
  // Copies every row of this database, as of one moment, into `target` (another store, of either
  // backend, at the same schema version and with no rows): one transaction on the target, so a
  // failed copy leaves it empty. Ids are kept. `progress(table, rows)` is called as rows go.
  // kInvalidArgument when the target has rows or another schema version.
  virtual Status CopyTo(Store& target,
                        const std::function<void(const std::string&, int64_t)>& progress) = 0;
  // Writes a consistent copy of the database to `file` (which must not exist) while others keep
  // writing: every commit acknowledged before the call began is in it. SQLite: a database file
  // (VACUUM INTO, on a connection of its own, so this store's writers are not held up).
  // PostgreSQL: a pg_dump custom-format archive.
  virtual Status Backup(const std::string& file) = 0;
  // Bytes of memory the backend holds in this process for its caches (SQLite: the connection's
  // page cache, as last seen when a write holds it; PostgreSQL: 0, its caches are the server's).
  virtual int64_t MemoryBytes() { return 0; }
};

// Restores a backup made by Store::Backup into the empty database `url` of the same backend
// (a SQLite file that does not exist yet, or a PostgreSQL database without EST's tables).
// kInvalidArgument when the file is not a backup, the backends differ (use CopyTo for that) or the
// target is not empty.
Status RestoreBackup(const std::string& file, const std::string& url);

// The whole store: every role above, on one backend.
class Store : public ConfigStore,
              public ReportStore,
              public SessionStore,
              public WorkStore,
              public DocumentStore,
              public ContextStore,
              public AuditStore,
              public ChangeStore,
              public MaintenanceStore {
 public:
  // Opens or creates the database named by `url` and migrates its schema:
  //   a file path (or ":memory:" for tests)     SQLite, created when missing;
  //   postgresql://user@host:port/dbname[?...]  PostgreSQL (libpq conninfo URI; the password from
  //                                             PGPASSWORD or ~/.pgpass), never created here.
  // A PostgreSQL server that cannot be reached is kUnavailable naming host and port (never a file
  // of that name).
  static Result<std::unique_ptr<Store>> Open(const std::string& url);
  // True when `url` names a PostgreSQL database (postgresql:// or postgres://).
  static bool IsPostgresUrl(const std::string& url);

  ~Store() override = default;

  // "sqlite" or "postgresql".
  virtual std::string_view backend() const = 0;
  virtual int schema_version() const = 0;
};

// A bulk insert of reports: one transaction into which batches are inserted; nothing is visible
// to other connections until Commit, and dropping it without Commit rolls everything back, leaving
// the database file as it was. Same rules as Store::InsertReports. Not thread-safe; use from the
// thread that began it.
class ReportImport {
 public:
  virtual ~ReportImport() = default;

  // Inserts `reports` in order and sets the id of each inserted one. A report whose (org, source
  // id) is stored before is skipped: its id is left 0. One that repeats an earlier row of this
  // import is skipped the same way, or (a bulk path) given an id that Commit names in
  // `later_duplicates`; on PostgreSQL, where rows travel by COPY, so is one stored before.
  // Returns how many were given ids so far. Any other failure (a constraint) is an error, maybe
  // only at Commit; then drop the import.
  // The reports need only live until the call returns.
  virtual Result<int64_t> Insert(std::span<Report> reports) = 0;

  // Checks that every organisation, reporter, area, place and category the inserted reports name
  // exists and fails naming the field and id if one does not; then appends the audit entry (as
  // InsertReports: one "create" entry when one report was inserted, else one "import" summary)
  // and commits. The outcome's `reports` is left empty; `later_duplicates` names the ids Insert
  // gave that turned out to repeat an earlier row of this import (a backend may find those only
  // at commit; they are not stored).
  virtual Result<ImportOutcome> Commit(const Actor& actor) = 0;
};

}  // namespace est::store

#endif  // EST_STORE_STORE_H_
