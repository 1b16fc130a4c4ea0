// The application services: each use case of EST as one call that runs the one-way flow
// input → validate → store → analyse. The HTTP handlers and the CLI commands call these and
// nothing else, so no business rule lives in an adapter.
//
// Thread-safe: writes are serialised on one mutex, write_mu_ (so the store, the catalog snapshot
// and the analysis engine change together); reads run concurrently. The write side of the store
// and the engine is reachable only with write_mu_ held (EST_GUARDED_BY), which clang's
// -Wthread-safety checks (preset clang-tsa). The use cases outside this class reach the store
// through app/system_access.h, private to the app module: http and cli never touch the store.
#ifndef EST_APP_SYSTEM_H_
#define EST_APP_SYSTEM_H_

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/engine.h"
#include "analysis/grid.h"
#include "app/catalog.h"
#include "app/disclosure.h"
#include "core/error.h"
#include "core/model.h"
#include "core/mutex.h"
#include "ingest/report_csv.h"
#include "ingest/report_input.h"
#include "store/store.h"

namespace est::app {

class AddressIndex;  // app/address_index.h

// Settings of the configuration (store.h ListSettings), by key.
using Settings = std::map<std::string, std::string>;

namespace internal {
struct Access;
class WriteLock;
}  // namespace internal

// Progress of long work: (done, total, what). total 0 = unknown.
using ProgressFn = std::function<void(int64_t done, int64_t total, const std::string& what)>;

inline constexpr std::string_view kParentAuto = "auto";

struct AreaImportOptions {
  std::optional<int> crs;   // --crs, overrides the file's crs member
  std::string code_prop;    // property holding the code; "" = try code, kod, SPECIALOMRADES_ID, id
  std::string name_prop;    // property holding the name; "" = try name, namn, NAMN, kom_namn
  // --parent: every feature becomes a child of this area; kParentAuto: of the smallest stored
  // area that holds at least half of it (a feature none holds is left out, in `outside`).
  std::string parent_code;
  std::string parent_prop = "parent";  // property holding a parent code (within file or stored)
};

struct AreaImportResult {
  std::vector<Area> areas;
  int64_t reports_moved = 0;  // existing reports whose deepest area changed
  std::vector<std::string> outside;  // --parent auto: "code name" of areas no stored area holds
};

struct CsvImportOptions {
  ingest::CsvOptions csv;
  bool create_missing = false;  // create unknown categories / organisations (flagged for review)
  bool skip_invalid = false;    // import the good rows, return the bad ones
};

struct RejectedRow {
  int row = 0;
  std::vector<std::string> fields;
  std::vector<FieldError> errors;
};

struct CsvImportResult {
  int64_t rows = 0;
  int64_t inserted = 0;
  int64_t already_present = 0;
  int64_t outside = 0;   // inserted reports outside every area
  int64_t scrubbed = 0;  // reports whose description had personal data removed
  std::vector<std::string> created_categories;
  std::vector<std::string> created_orgs;
  std::vector<RejectedRow> rejected;  // only with skip_invalid
  std::vector<std::string> header;
  char delimiter = ',';
  // Where the time went, in milliseconds: parsing, validating and locating on the worker
  // threads (summed over them), inserting and waiting for pieces on the calling thread, the
  // durable commit, and the engine update.
  struct Phases {
    double work_ms = 0, insert_ms = 0, wait_ms = 0, commit_ms = 0, engine_ms = 0;
  } phases;
};

struct CreateReportResult {
  Report report;
  bool created = true;  // false: a report with the same source id existed (idempotent repeat)
  std::vector<std::string> scrubbed;
  std::vector<std::string> notes;  // Swedish: what the report changed besides itself
};

// A change to a report by a reviewer or its reporter. Empty fields are left as they are.
struct ReportPatch {
  std::optional<std::string> category;
  std::optional<int> severity;
  std::optional<int> count;
  std::optional<std::string> certainty;
  std::optional<bool> police_notified;
  std::optional<std::string> description;
  std::optional<std::string> status;
  // Review: the reason for a rejection (required with status "rejected") or a note.
  std::optional<std::string> review_note;
  // With status "duplicate": the report this one repeats (required; another stored report).
  std::optional<int64_t> duplicate_of;
  // A corrected place: a named place (name or id) or a point in WGS84.
  std::optional<std::string> place;
  std::optional<double> lon, lat;
};

// A change to a user by an administrator. Empty fields are left as they are.
struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<std::string> role;
  std::optional<std::string> org;  // "" removes the organisation
  std::optional<bool> disabled;
  std::optional<std::string> password;  // a new password (ends the user's sessions)
};

struct LagesbildParams {
  std::string period;                   // "2026-W47", "2026-11", ... or empty with from/to
  std::string from, to;                 // custom range (days)
  std::vector<std::string> areas;       // codes
  std::vector<std::string> categories;  // codes or names
  std::vector<std::string> orgs;        // codes or names
  std::string dimension;                // "säkerhet" / "trygghet" / ""
  // "" or "true": the police's events (source police) count beside partner reports; "false":
  // partner reports only (engine.h LagesbildQuery::police).
  std::string police;
  // Whom the answer is for: cell- and point-level analyses apply app/disclosure.h to a limited
  // audience; the lägesbild per area and category does not depend on it.
  Audience audience;
};

struct PlaceInput {
  std::string name;
  std::string kind;
  std::optional<double> lon, lat, x, y;
  std::optional<int> epsg;
};

class System {
 public:
  // Opens the store at `db_path`, migrates it, and loads the engine (reporting progress).
  static Result<std::unique_ptr<System>> Open(const std::string& db_path,
                                              const ProgressFn& progress = nullptr);
  ~System();

  std::shared_ptr<const app::Catalog> catalog() const EST_EXCLUDES(catalog_mu_);
  // The stored settings and the address search index as of the last change (never null).
  std::shared_ptr<const Settings> settings() const EST_EXCLUDES(catalog_mu_);
  std::shared_ptr<const AddressIndex> addresses() const EST_EXCLUDES(catalog_mu_);
  const analysis::Engine& engine() const { return engine_; }

  // Several servers on one database (app/sync.cc). CatchUp applies what others (another server,
  // the command line) committed since the last call, by the store's change feed: new, edited,
  // reviewed and moved reports into the engine, check-ins, and configuration into the catalog.
  // Returns how many changes it read (its own writes among them: applying them again changes
  // nothing). StartFollowing runs CatchUp on a thread of its own whenever the database tells of a
  // commit (PostgreSQL) or at least every `poll_ms`; the thread stops with the System.
  Result<int64_t> CatchUp() EST_EXCLUDES(write_mu_);
  Status StartFollowing(int poll_ms = 1000);
  // Grows whenever CatchUp applied something: part of every cached reply's key.
  int64_t followed_changes() const { return followed_changes_.load(); }

  // Configuration.
  Result<Organisation> CreateOrganisation(Organisation org, const store::Actor& actor)
      EST_EXCLUDES(write_mu_);
  Result<User> CreateUser(User user, const std::string& password, const store::Actor& actor)
      EST_EXCLUDES(write_mu_);
  // `by` is the administrator making the change: nobody can disable themselves or take away
  // their own administrator role (so an installation never loses its last way in).
  Result<User> UpdateUser(UserId id, const UserPatch& patch, UserId by, const store::Actor& actor)
      EST_EXCLUDES(write_mu_);
  // A user's change of their own password: kForbidden naming "current_password" when
  // `current_password` is wrong (checked like a login, in the same time whatever the answer),
  // kInvalidArgument naming "password" when the new one breaks the rules (ValidateNewPassword).
  // On success every session of the user ends (the caller logs in again).
  Status ChangeOwnPassword(UserId id, const std::string& current_password,
                           const std::string& new_password, const store::Actor& actor)
      EST_EXCLUDES(write_mu_);
  Result<Category> CreateCategory(Category category, const store::Actor& actor)
      EST_EXCLUDES(write_mu_);
  // Creates the default EST categories that are missing; returns how many were created.
  Result<int> EnsureDefaultCategories(const store::Actor& actor) EST_EXCLUDES(write_mu_);
  Result<Place> CreatePlace(const PlaceInput& input, const store::Actor& actor)
      EST_EXCLUDES(write_mu_);
  Result<AreaImportResult> ImportAreas(std::string_view geojson, const AreaImportOptions& options,
                                       const store::Actor& actor) EST_EXCLUDES(write_mu_);

  // Reports.
  Result<CreateReportResult> CreateReport(const ingest::ReportInput& input,
                                          const store::Actor& actor) EST_EXCLUDES(write_mu_);
  Result<CsvImportResult> ImportReportsCsv(std::string_view text, const CsvImportOptions& options,
                                           const store::Actor& actor,
                                           const ProgressFn& progress = nullptr)
      EST_EXCLUDES(write_mu_);
  Result<Report> UpdateReport(ReportId id, const ReportPatch& patch, int expected_version,
                              const store::Actor& actor) EST_EXCLUDES(write_mu_);

  // Check-ins.
  // "Inget att rapportera" (or "reported") for an organisation, area and week. An empty `area` is
  // organisation-wide: the municipality (the one root area) and every area in it. Errors name the
  // field: unknown org/area, a bad or future week, and (field "nothing_to_report") "nothing to
  // report" where the organisation has reports in the area that week. A later report in the area
  // turns such a check-in into "reported" (CreateReport, with a note).
  Result<CheckIn> RecordCheckIn(const std::string& org, const std::string& area,
                                const std::string& week, bool nothing_to_report,
                                const store::Actor& actor) EST_EXCLUDES(write_mu_);

  // The lägesbild for a period with filters (codes resolved, unknown codes are errors).
  Result<analysis::Lagesbild> ComputeLagesbild(const LagesbildParams& params) const;
  // The engine query for params: period parsed, codes resolved (errors name the field).
  Result<analysis::LagesbildQuery> ResolveQuery(const LagesbildParams& params) const;
  // Accepted cell sizes, and the bounds of the grid cache (least recently used out first).
  static constexpr double kMinCellMetres = 50, kMaxCellMetres = 5000;
  static constexpr size_t kGridCacheBytes = size_t{64} << 20, kGridCacheEntries = 16;
  size_t grid_cache_bytes() const EST_EXCLUDES(grid_mu_);
  // What the process holds for the data, for the server's memory line (operations.md).
  struct MemoryUse {
    size_t engine_bytes = 0;      // the reports' columns
    size_t grid_cache_bytes = 0;  // the study grids
    int64_t database_bytes = 0;   // the embedded database's caches (0 on PostgreSQL)
  };
  MemoryUse memory_use() const;
  size_t grid_cache_entries() const EST_EXCLUDES(grid_mu_);
  // The study grid over the municipality's areas: extent "areas" = exactly the cells whose square
  // overlaps the interior of some area (geo::CellsOverlappingInterior), "bbox" = every cell of
  // the areas' bounding box. Cached per catalog and cell size, bounded by kGridCacheBytes and
  // kGridCacheEntries. Error (field "cell") outside kMinCellMetres–kMaxCellMetres.
  Result<std::shared_ptr<const analysis::StudyGrid>> StudyGridFor(double cell_m,
                                                                  const std::string& extent) const
      EST_EXCLUDES(grid_mu_);

 private:
  friend struct internal::Access;    // app/system_access.h
  friend class internal::WriteLock;  // app/system_access.h

  System();  // app/sync.cc, where Follower is complete
  Status RefreshCatalog() EST_REQUIRES(write_mu_);
  Status RefreshSettings() EST_REQUIRES(write_mu_);
  Status RefreshAddresses() EST_REQUIRES(write_mu_);

  // Reads, on any thread without a lock: the store and the engine are thread-safe for readers.
  std::unique_ptr<store::Store> store_;
  analysis::Engine engine_;
  // The one write lock, and what it guards: the write side of the same store and engine (set in
  // Open). Every change goes through these two, so clang proves each one holds write_mu_.
  Mutex write_mu_;
  store::Store* write_store_ EST_GUARDED_BY(write_mu_) = nullptr;
  analysis::Engine* write_engine_ EST_GUARDED_BY(write_mu_) = nullptr;

  // The change feed: the audit seq up to which this system has applied every change.
  int64_t applied_seq_ EST_GUARDED_BY(write_mu_) = 0;
  std::atomic<int64_t> followed_changes_{0};
  struct Follower;
  std::unique_ptr<Follower> follower_;  // stopped first in ~System (app/sync.cc)

  mutable Mutex catalog_mu_;
  std::shared_ptr<const app::Catalog> catalog_ EST_GUARDED_BY(catalog_mu_);
  std::shared_ptr<const Settings> settings_ EST_GUARDED_BY(catalog_mu_);
  std::shared_ptr<const AddressIndex> addresses_ EST_GUARDED_BY(catalog_mu_);

  mutable Mutex grid_mu_;
  struct CachedGrid {
    const app::Catalog* catalog = nullptr;  // the catalog it was made from
    std::shared_ptr<const analysis::StudyGrid> grid;
    size_t bytes = 0;
    uint64_t used = 0;  // grid_tick_ at the last use (LRU)
  };
  mutable std::map<std::pair<int64_t, std::string>, CachedGrid> grids_ EST_GUARDED_BY(grid_mu_);
  mutable uint64_t grid_tick_ EST_GUARDED_BY(grid_mu_) = 0;
};

}  // namespace est::app

#endif  // EST_APP_SYSTEM_H_
