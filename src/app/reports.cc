// Report use cases: a report from the form or the API, a change by its reporter or a reviewer
// (judged by the same field rules as a new one, ingest/report_input.h), and the weekly check-in.
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

// ---- reports ----

Result<CreateReportResult> System::CreateReport(const ingest::ReportInput& input,
                                                const store::Actor& actor) {
  auto cat = catalog();
  std::vector<FieldError> errors;
  auto resolved = ingest::ResolveReport(input, *cat, NowUnix(), errors);
  if (!resolved) return Invalid("Rapporten är ogiltig", std::move(errors));
  // The form and the API place one report by hand: a point outside every area of the
  // municipality is a slip, refused here (files keep such rows and count them apart).
  if (input.source == ReportSource::kForm && !resolved->report.area && !cat->areas().empty()) {
    return Invalid("Rapporten är ogiltig",
                   {{"location",
                     "punkten ligger utanför kommunens områden; välj en plats i "
                     "kommunen"}});
  }
  resolved->report.reporter = actor.user;
  MutexLock lock(write_mu_);
  if (resolved->report.source_id) {
    auto existing = store_->FindReportBySource(resolved->report.org, *resolved->report.source_id);
    if (!existing) return Fail(existing);
    if (*existing) return CreateReportResult{**existing, false, {}, {}};
  }
  auto outcome = write_store_->InsertReports({resolved->report}, actor);
  if (!outcome) return Fail(outcome);
  if (outcome->reports.empty()) {
    return MakeError(ErrorCode::kConflict, "Rapporten finns redan (samma käll-id)");
  }
  const Report& stored = outcome->reports.front();
  write_engine_->Append(stored);
  CreateReportResult result{stored, true, std::move(resolved->scrubbed), {}};
  // A report supersedes the week's "inget att rapportera" of its organisation for its area (or
  // an area above it, such as an organisation-wide check-in): the check-in becomes "reported".
  if (stored.area) {
    const IsoWeek week = ToIsoWeek(ToLocalDay(stored.occurred_from));
    if (auto checkins = store_->ListCheckInsFor(stored.org, week)) {
      for (CheckIn c : *checkins) {
        if (!c.nothing_to_report) continue;
        bool covers = false;
        for (const Area* cur = cat->AreaById(*stored.area); cur && !covers;
             cur = cur->parent ? cat->AreaById(*cur->parent) : nullptr) {
          covers = cur->id == c.area;
        }
        if (!covers) continue;
        c.nothing_to_report = false;
        c.at = NowUnix();
        if (auto up = write_store_->UpsertCheckIn(c, actor)) {
          const Area* ca = cat->AreaById(c.area);
          result.notes.push_back("Veckans \"inget att rapportera\" för " +
                                 (ca ? ca->name : std::string("området")) + " (" +
                                 FormatIsoWeek(week) + ") är ersatt av den här rapporten.");
        }
      }
    }
  }
  return result;
}


Result<Report> System::UpdateReport(ReportId id, const ReportPatch& patch, int expected_version,
                                    const store::Actor& actor) {
  MutexLock lock(write_mu_);
  auto current = store_->GetReport(id);
  if (!current) return Fail(current);
  if (!*current) return MakeError(ErrorCode::kNotFound, "Rapporten finns inte");
  Report r = **current;
  // A stale edit is answered as a conflict before its fields are judged (the store checks again).
  if (r.version != expected_version) {
    return MakeError(ErrorCode::kConflict,
                     "Rapporten har ändrats av någon annan (version " + std::to_string(r.version) +
                         "); läs om den och försök igen",
                     {{"version", "förväntade " + std::to_string(expected_version) + ", lagrad " +
                                      std::to_string(r.version)}});
  }
  auto cat = catalog();
  std::vector<FieldError> errors;
  // The fields a report was created with are judged by the same rules (ingest/report_input.h).
  if (patch.category) ingest::ApplyCategory(*patch.category, *cat, r, errors);
  if (patch.severity) ingest::ApplySeverity(*patch.severity, r, errors);
  if (patch.count) ingest::ApplyCount(*patch.count, r, errors);
  if (patch.certainty) ingest::ApplyCertainty(*patch.certainty, r, errors);
  if (patch.police_notified) r.police_notified = *patch.police_notified;
  if (patch.description) ingest::ApplyDescription(*patch.description, *cat, r, errors);
  if (patch.status) {
    if (auto s = ParseReportStatus(*patch.status)) {
      r.status = *s;
    } else {
      errors.push_back({"status", "måste vara new, reviewed, rejected eller duplicate"});
    }
  }
  if (patch.review_note) {
    if (Utf8Length(*patch.review_note) > 2000) {  // characters, as the HTTP layer counts them
      errors.push_back({"review_note", "får vara högst 2000 tecken"});
    } else {
      r.review_note = ingest::ScrubPersonalData(*patch.review_note, cat->scrub_exclusions()).text;
    }
  }
  if (patch.duplicate_of) {
    if (*patch.duplicate_of == 0) {
      r.duplicate_of.reset();
    } else if (*patch.duplicate_of == id.value) {
      errors.push_back({"duplicate_of", "en rapport kan inte vara dubblett av sig själv"});
    } else {
      auto original = store_->GetReport(ReportId{*patch.duplicate_of});
      if (!original) return Fail(original);
      if (!*original) {
        errors.push_back(
            {"duplicate_of", "rapport " + std::to_string(*patch.duplicate_of) + " finns inte"});
      } else {
        r.duplicate_of = ReportId{*patch.duplicate_of};
      }
    }
  }
  if (r.status == ReportStatus::kDuplicate && !r.duplicate_of && errors.empty()) {
    errors.push_back({"duplicate_of", "ange vilken rapport detta är en dubblett av"});
  }
  if (r.status != ReportStatus::kDuplicate) r.duplicate_of.reset();
  if (patch.status && r.status == ReportStatus::kRejected && r.review_note.empty()) {
    errors.push_back({"review_note", "ange varför rapporten avvisas"});
  }
  if (patch.place) {
    const Place* p = cat->FindPlace(*patch.place);
    if (!p) {
      for (const auto& x : cat->places()) {
        if (std::to_string(x.id.value) == *patch.place) p = &x;
      }
    }
    if (!p) {
      errors.push_back({"place", "okänd plats \"" + *patch.place + "\""});
    } else {
      r.place = p->id;
      r.e = p->e;
      r.n = p->n;
      r.source_epsg = 3006;
    }
  } else if (patch.lon || patch.lat) {
    // A corrected point: the create rules for lon/lat; a point outside Sweden names "lon".
    const size_t before = errors.size();
    ingest::ApplyPoint(patch.lon, patch.lat, true, 4326, r, errors, "", "lon");
    if (errors.size() == before) r.place.reset();
  }
  if (patch.place || patch.lon) {
    r.area_only = false;  // the reviewer gave it a point
    geo::Wgs84Point w = geo::ToWgs84(geo::Sweref99Point{r.e, r.n});
    r.lon = w.lon;
    r.lat = w.lat;
    r.area.reset();
    if (auto a = cat->index().Locate(geo::Sweref99Point{r.e, r.n})) r.area = AreaId{*a};
  }
  if (!errors.empty()) return Invalid("Ändringen är ogiltig", std::move(errors));
  auto updated = write_store_->UpdateReport(r, expected_version, actor);
  if (!updated) return updated;
  write_engine_->Update(*updated);
  return updated;
}

Result<CheckIn> System::RecordCheckIn(const std::string& org, const std::string& area,
                                      const std::string& week, bool nothing_to_report,
                                      const store::Actor& actor) {
  auto cat = catalog();
  std::vector<FieldError> errors;
  const Organisation* o = cat->FindOrg(org);
  if (!o) errors.push_back({"org", "okänd organisation \"" + org + "\""});
  // No area: organisation-wide, for the municipality (the root area) and so every area in it.
  const Area* a = nullptr;
  if (area.empty()) {
    for (const Area& candidate : cat->areas()) {
      if (candidate.parent) continue;
      if (a) {
        errors.push_back({"area", "flera kommuner finns; ange vilket område incheckningen gäller"});
        break;
      }
      a = &candidate;
    }
    if (!a && cat->areas().empty()) errors.push_back({"area", "inga områden finns"});
  } else {
    a = cat->FindArea(area);
    if (!a) errors.push_back({"area", "okänt område \"" + area + "\""});
  }
  auto w = ParseIsoWeek(week);
  if (!w) errors.push_back({"week", "måste vara en ISO-vecka som 2026-W47"});
  if (w && IsoWeekStart(w->year, w->week) > ToLocalDay(NowUnix())) {
    errors.push_back({"week", "veckan har inte börjat än"});
  }
  if (!errors.empty()) return Invalid("Incheckningen är ogiltig", std::move(errors));
  // "Inget att rapportera" where the organisation has reported that week contradicts the picture.
  if (nothing_to_report) {
    analysis::LagesbildQuery q;
    q.period = MakeWeekPeriod(*w);
    q.areas = {a->id};
    q.orgs = {o->id};
    q.coverage = false;
    const int64_t n = engine_.Compute(q).total;
    if (n > 0) {
      return Invalid(
          "Incheckningen motsäger veckans rapporter",
          {{"nothing_to_report", o->name + " har redan " + std::to_string(n) +
                                     (n == 1 ? " rapport" : " rapporter") + " i " + a->name +
                                     " vecka " + FormatIsoWeek(*w) +
                                     "; \"inget att rapportera\" stämmer inte (checka in som "
                                     "\"har rapporterat\" eller granska rapporterna)"}});
    }
  }
  CheckIn c;
  c.org = o->id;
  c.area = a->id;
  c.week = *w;
  c.nothing_to_report = nothing_to_report;
  c.by = actor.user;
  c.at = NowUnix();
  MutexLock lock(write_mu_);
  auto stored = write_store_->UpsertCheckIn(c, actor);
  if (!stored) return stored;
  write_engine_->AddCheckIn(*stored);
  return stored;
}

}  // namespace est::app
