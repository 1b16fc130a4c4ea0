// Den offentliga lägesbilden and residents' reports: what the public page (/offentlig) shows
// without a login, and the reports residents send from it.
//
// Contract (what the public may see):
// - Only whole ISO weeks that ended at least `delay_days` (default 7, at least 7) days ago. One
//   kind of period, never overlapping another, so no published count is the difference of two
//   others; no totals over categories or areas, and only the level-1 areas (områden), so no sum
//   can be subtracted from a parent either.
// - Only the categories the coordinator marks public, each counted on its own (no roll-up),
//   with its dimension (säkerhet or trygghet) kept.
// - A count below kMinPublicCount (3) is withheld ("färre än 3"); zero is shown as zero.
// - The map: cells of kPublicCellMetres (250 m) per dimension, only cells of at least 3 reports
//   (a withheld cell is not drawn at all, so a map never points at one or two reports). Reports
//   placed only by their area are in the table, never on the map.
// - Published actions: the title, status, areas and dates of the actions the coordinator marks
//   published — never their description or owner's notes.
// - Residents' reports (ReportSource::kCitizen) count only after a coordinator approves them
//   (the engine excludes them while new).
//
// Residents' reports: CreateCitizenReport validates like every report (ingest::ResolveReport,
// scrubbing included), accepts only public categories and places inside the municipality's
// areas, stores the report under the organisation "medborgare" (made on first use) with a
// receipt ("M-" and ten hex digits, random: not guessable from another receipt) as its source
// id, and returns the receipt. CitizenReportStatus answers the status of a receipt and nothing
// else. Errors are kInvalidArgument naming the field, kForbidden when the municipality has turned
// residents' reports off, kNotFound for an unknown receipt.
#ifndef EST_APP_PUBLIC_PICTURE_H_
#define EST_APP_PUBLIC_PICTURE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/system.h"
#include "core/error.h"
#include "core/period.h"

namespace est::app {

inline constexpr int kMinPublicCount = 3;
inline constexpr int kPublicCellMetres = 250;
inline constexpr int kMinPublicDelayDays = 7;
inline constexpr int kMaxPublicDelayDays = 365;
inline constexpr size_t kMaxCitizenDescription = 1000;  // characters
// The weeks the page offers to choose from (the latest first).
inline constexpr int kPublicWeeksOffered = 26;

struct PublicSettings {
  std::vector<std::string> categories;  // category codes shown on the public page
  std::vector<int64_t> actions;         // ids of published actions
  int delay_days = kMinPublicDelayDays;
  bool citizen_reports = true;  // the public page takes residents' reports
};

PublicSettings CurrentPublicSettings(const System& sys);
// Checks (known category codes, known action ids, delay within 7–365) and stores the settings,
// audited as setting changes. Errors name the field: "categories[i]", "actions[i]", "delay_days".
Status SetPublicSettings(System& sys, const PublicSettings& settings, const store::Actor& actor);

struct PublicCategory {
  CategoryId id;
  std::string code, name_sv, name_en;
  Dimension dimension = Dimension::kSakerhet;
};

struct PublicAreaRow {
  AreaId id;
  std::string code, name;
  std::vector<std::optional<int>> counts;  // per PublicPicture::categories; nullopt = below 3
};

struct PublicCell {
  Dimension dimension = Dimension::kSakerhet;
  int64_t col = 0, row = 0;  // floor(E / 250), floor(N / 250) in SWEREF 99 TM
  int count = 0;             // at least kMinPublicCount
};

struct PublicAction {
  int64_t id = 0;
  std::string title;
  ActionStatus status = ActionStatus::kPlanned;
  std::vector<std::string> areas;  // area names
  std::string start, end;          // YYYY-MM-DD or ""
};

struct PublicPicture {
  Period period{};
  int delay_days = kMinPublicDelayDays;
  std::vector<PublicCategory> categories;
  std::vector<PublicAreaRow> areas;  // the level-1 areas, by name
  std::vector<PublicCell> cells;
  std::vector<PublicAction> actions;
  std::vector<Period> weeks;  // the weeks that may be asked for, the latest first
  bool citizen_reports = true;
};

// The latest week that may be published at `now`.
Period LatestPublicWeek(int delay_days, UnixSeconds now);
// The public picture of `period_text` ("" = the latest publishable week). kInvalidArgument on
// field "period" for anything but an ISO week, or a week that is too recent or in the future.
Result<PublicPicture> PublicLagesbild(const System& sys, const std::string& period_text,
                                      UnixSeconds now);

struct CitizenReportInput {
  std::string category;  // code or name of a public category
  std::optional<double> lon, lat;
  std::string address;        // instead of lon/lat: an exact address of the address register
  std::string occurred_from;  // ISO 8601; "" = now
  std::string description;
};

struct CitizenReceipt {
  std::string receipt;
  std::vector<std::string> scrubbed;  // the kinds of personal data removed from the text
};

Result<CitizenReceipt> CreateCitizenReport(System& sys, const CitizenReportInput& in,
                                           UnixSeconds now);

struct CitizenStatus {
  std::string receipt;
  std::string status;  // "mottagen" (waits for review), "godkänd", "avvisad"
  std::string received;  // YYYY-MM-DD
};
Result<CitizenStatus> CitizenReportStatus(const System& sys, const std::string& receipt);

}  // namespace est::app

#endif  // EST_APP_PUBLIC_PICTURE_H_
