// Domain types of EST: organisations, users, categories, areas, places, reports, check-ins.
//
// Plain value types with no I/O. Enumerations have one canonical text form (used in the API, the
// CLI, CSV and the database) parsed and printed by the functions below. Identifiers are strong
// types so that an area id cannot be passed where a report id is expected.
#ifndef EST_CORE_MODEL_H_
#define EST_CORE_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"

namespace est {

// A tagged integer id. Tag is an empty struct naming the entity.
template <class Tag>
struct Id {
  int64_t value = 0;
  constexpr bool operator==(const Id&) const = default;
  constexpr auto operator<=>(const Id&) const = default;
};
struct OrgTag {};
struct UserTag {};
struct CategoryTag {};
struct AreaTag {};
struct PlaceTag {};
struct ReportTag {};
using OrgId = Id<OrgTag>;
using UserId = Id<UserTag>;
using CategoryId = Id<CategoryTag>;
using AreaId = Id<AreaTag>;
using PlaceId = Id<PlaceTag>;
using ReportId = Id<ReportTag>;

// Organisation kinds of DESIGN.md §3. The canonical texts are the Swedish words with å/ä/ö
// ("nämnd", "räddningstjänst", ...: OrgKindText); ParseOrgKind also accepts them without.
enum class OrgKind {
  kNamnd,
  kBolag,
  kPolis,
  kRaddningstjanst,
  kNaringsliv,
  kForening,
  kCivilsamhalle,
  kBevakning,
  kFastighetsagare,
  kAnnan,
};
std::string_view OrgKindText(OrgKind k);  // "nämnd", "bolag", "polis", "räddningstjänst", ...
Result<OrgKind> ParseOrgKind(std::string_view s);  // accepts the Swedish word with or without å/ä/ö

enum class Role { kReporter, kCoordinator, kOrgLead, kViewer, kAdmin };
std::string_view RoleText(Role r);  // "reporter", "coordinator", "org_lead", "viewer", "admin"
Result<Role> ParseRole(std::string_view s);

// Säkerhet: something happened. Trygghet: something feels unsafe.
enum class Dimension { kSakerhet, kTrygghet };
std::string_view DimensionText(Dimension d);  // "säkerhet", "trygghet"
Result<Dimension> ParseDimension(std::string_view s);

enum class Certainty { kObserved, kSuspected };
std::string_view CertaintyText(Certainty c);           // "observed", "suspected"
Result<Certainty> ParseCertainty(std::string_view s);  // also "observerad", "misstänkt"

enum class ReportStatus { kNew, kReviewed, kRejected, kDuplicate };
std::string_view ReportStatusText(ReportStatus s);  // "new", "reviewed", "rejected", "duplicate"
Result<ReportStatus> ParseReportStatus(std::string_view s);

// kCitizen: a resident's report from the public page (POST /api/v1/public/reports); it waits in the
// moderation queue and counts only once a coordinator approves it (status reviewed).
enum class ReportSource { kForm, kImport, kPolice, kCitizen };
// "form", "import", "police", "medborgare"
std::string_view ReportSourceText(ReportSource s);
// The inverse of ReportSourceText; error on field "source".
Result<ReportSource> ParseReportSource(std::string_view s);

struct Organisation {
  OrgId id;
  std::string code;
  std::string name;
  OrgKind kind = OrgKind::kAnnan;
  std::optional<OrgId> parent;
  bool needs_review = false;  // created by an import with --create-missing
};

struct User {
  UserId id;
  std::string login;
  std::string display_name;
  Role role = Role::kViewer;
  std::optional<OrgId> org;
  bool disabled = false;
};

// Kategori: one node of the configurable category tree.
struct Category {
  CategoryId id;
  std::string code;
  std::string name_sv;
  std::string name_en;
  std::string group;
  Dimension dimension = Dimension::kSakerhet;
  int default_severity = 2;
  std::optional<CategoryId> parent;
  bool active = true;
  bool needs_review = false;
};

// Område: kommun (level 0) → område (1) → delområde (2). Geometry is kept by the store.
struct Area {
  AreaId id;
  std::string code;
  std::string name;
  std::optional<AreaId> parent;
  int level = 0;
  std::optional<int64_t> population;
  int source_epsg = 3006;
};

// Plats: a named place (school, centre, station, park ...), a point in SWEREF 99 TM.
struct Place {
  PlaceId id;
  std::string name;
  std::string kind;
  double e = 0;
  double n = 0;
  std::optional<AreaId> area;
};

// Adress: one address point of the municipality's register (or an OpenStreetMap extract), for
// the place search of the report form. Position in SWEREF 99 TM like a Place; `number` is the
// house number with its letter ("3", "12B"), "" for a street or square without numbers.
struct Address {
  std::string street;
  std::string number;
  std::string postcode;
  std::string locality;
  double e = 0;
  double n = 0;
};

// Rapport: one observation or incident.
struct Report {
  ReportId id;
  OrgId org;
  std::optional<UserId> reporter;
  UnixSeconds occurred_from = 0;
  std::optional<UnixSeconds> occurred_to;
  UnixSeconds reported_at = 0;
  double e = 0;  // SWEREF 99 TM
  double n = 0;
  double lon = 0;  // WGS84 copy for the browser
  double lat = 0;
  int source_epsg = 4326;
  std::optional<AreaId> area;  // deepest containing area; empty = outside every area
  // Bara område: placed only by its area (no point). e/n/lon/lat are 0 and not a place: the
  // report counts in its area's figures but never in hotspots, heat or near-point checks.
  bool area_only = false;
  std::optional<PlaceId> place;
  CategoryId category;
  int severity = 2;  // 1..3
  int count = 1;     // >= 1
  Certainty certainty = Certainty::kObserved;
  bool police_notified = false;
  std::string description;  // scrubbed free text
  ReportSource source = ReportSource::kForm;
  std::optional<std::string> source_id;
  ReportStatus status = ReportStatus::kNew;
  std::string review_note;               // why it was rejected, or the reviewer's note
  std::optional<ReportId> duplicate_of;  // set with status duplicate: the report it repeats
  int version = 1;
};

// Incheckning: "nothing to report" (or "reported") for an organisation, area and ISO week.
struct CheckIn {
  OrgId org;
  AreaId area;
  IsoWeek week{};
  bool nothing_to_report = true;
  std::optional<UserId> by;
  UnixSeconds at = 0;
};

// Lower-case ASCII with å/ä→a, ö→o, é→e folded, so that "Nämnd", "nämnd" and "namnd" match.
std::string FoldText(std::string_view s);

// A code made from a name: å/ä→a, ö→o, é→e, lower case, other characters → '-'
// ("Väktarna AB" → "vaktarna-ab"). Never empty ("x" for a name without letters).
std::string MakeCode(std::string_view name);

// The default EST category list of DESIGN.md §4.
std::vector<Category> DefaultCategories();

// Validation shared by every entry point. Each returns the first-found problems as FieldErrors
// (field names as in the API: "severity", "count", "code" ...).
std::vector<FieldError> ValidateCode(std::string_view field, std::string_view code);
std::vector<FieldError> ValidateName(std::string_view field, std::string_view name,
                                     size_t max_len = 200);

}  // namespace est

#endif  // EST_CORE_MODEL_H_
