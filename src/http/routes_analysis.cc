// Analysis routes: the lägesbild (JSON or CSV), hotspots, emerging hotspots, heat, the hour ×
// weekday profile, weekly series, concentration and the priority ranking. Cell- and point-level
// answers are for the caller's audience (app/disclosure.h, app::AudienceOf).
#include <algorithm>

#include "app/analyses.h"
#include "app/disclosure.h"
#include "app/present.h"
#include "core/period.h"
#include "core/time.h"
#include "http/server_impl.h"

namespace est::http {

Result<Reply> Server::Impl::Lagesbild(const Request& req, const Caller&) {
  app::LagesbildParams p = FilterParams(req);
  auto lb = sys.ComputeLagesbild(p);
  if (!lb) return tl::unexpected(lb.error());
  auto cat = sys.catalog();
  std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
  if (format == "csv") {
    Reply r;
    r.body = app::LagesbildCsv(*lb, *cat);
    r.content_type = "text/csv; charset=utf-8";
    r.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"lagesbild-" + lb->period.label() + ".csv\"");
    return r;
  }
  if (format != "json") return InvalidField("format", "måste vara json eller csv");
  return JsonReply(app::LagesbildJson(*lb, *cat));
}

void Server::Impl::AnalysisRoutes() {
  // Lägesbild.
  Get("/api/v1/lagesbild",
      Authed([this](const Request& req, const Caller& c) { return Lagesbild(req, c); }));

  // Analyses.
  Get("/api/v1/hotspots",
      Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
        auto grid = GridFrom(req);
        if (!grid) return tl::unexpected(grid.error());
        app::LagesbildParams filters = FilterParams(req);
        filters.audience = app::AudienceOf(c.user);
        auto r = app::ComputeHotspots(sys, filters, *grid);
        if (!r) return tl::unexpected(r.error());
        std::string f = req.has_param("format") ? req.get_param_value("format") : "geojson";
        if (f == "csv") return TextReply(app::HotspotsCsv(*r), "text/csv; charset=utf-8");
        if (f == "json") return JsonReply(app::HotspotsJson(*r));
        if (f != "geojson") return InvalidField("format", "måste vara geojson, json eller csv");
        return TextReply(app::HotspotsGeoJson(*r), "application/geo+json");
      }));
  Get("/api/v1/emerging",
      Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
        auto grid = GridFrom(req);
        if (!grid) return tl::unexpected(grid.error());
        app::EmergingParams e;
        auto periods = IntParam(req, "periods", e.periods, 2, 520);
        if (!periods) return tl::unexpected(periods.error());
        e.periods = static_cast<int>(*periods);
        if (req.has_param("bin")) {
          auto bin = app::ParseBinWeeks(req.get_param_value("bin"));
          if (!bin) return tl::unexpected(bin.error());
          e.bin_weeks = *bin;
        }
        e.end_week = req.get_param_value("end");
        if (e.end_week.empty() && req.has_param("period")) {
          // The same filter as the other analyses: the last step ends with the period's last
          // (complete) week.
          auto p = ParsePeriod(req.get_param_value("period"));
          if (!p) return InvalidField("period", "måste vara en period som 2026-W47 eller 2026-T3");
          LocalDay yesterday = ToLocalDay(NowUnix()) - 1;
          IsoWeek w = ToIsoWeek(std::min(p->last, yesterday));
          if (IsoWeekStart(w.year, w.week) + 6 > yesterday) {
            w = ToIsoWeek(IsoWeekStart(w.year, w.week) - 1);  // not complete yet
          }
          e.end_week = FormatIsoWeek(w);
        }
        app::LagesbildParams filters = FilterParams(req);
        filters.period.clear();  // the steps define the time; the period only chose the end
        filters.audience = app::AudienceOf(c.user);
        auto r = app::ComputeEmerging(sys, filters, *grid, e);
        if (!r) return tl::unexpected(r.error());
        std::string f = req.has_param("format") ? req.get_param_value("format") : "geojson";
        if (f == "csv") return TextReply(app::EmergingCsv(*r), "text/csv; charset=utf-8");
        if (f != "geojson") return InvalidField("format", "måste vara geojson eller csv");
        return TextReply(app::EmergingGeoJson(*r, grid->cell_m), "application/geo+json");
      }));
  Get("/api/v1/heat", Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
        auto cell = NumParam(req, "cell", 250);
        if (!cell) return tl::unexpected(cell.error());
        auto bw = NumParam(req, "bandwidth", 0);  // 0: chosen from the data
        if (!bw) return tl::unexpected(bw.error());
        if (req.has_param("bandwidth") && *bw <= 0) {
          return InvalidField("bandwidth", "måste vara ett tal större än 0 (meter)");
        }
        app::LagesbildParams filters = FilterParams(req);
        filters.audience = app::AudienceOf(c.user);
        auto r = app::ComputeHeat(sys, filters, *cell, *bw);
        if (!r) return tl::unexpected(r.error());
        return TextReply(app::HeatGeoJson(*r), "application/geo+json");
      }));
  Get("/api/v1/profile",
      Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
        app::LagesbildParams filters = FilterParams(req);
        filters.audience = app::AudienceOf(c.user);
        auto r = app::ComputeProfile(sys, filters);
        if (!r) return tl::unexpected(r.error());
        return JsonReply(app::ProfileJson(*r));
      }));
  Get("/api/v1/series", Authed([this](const Request& req, const Caller&) -> Result<Reply> {
        auto weeks = IntParam(req, "weeks", 52, 1, 520);
        if (!weeks) return tl::unexpected(weeks.error());
        auto baseline = IntParam(req, "baseline", 12, 2, 104);
        if (!baseline) return tl::unexpected(baseline.error());
        auto r = app::ComputeSeries(sys, FilterParams(req), static_cast<int>(*weeks),
                                    static_cast<int>(*baseline));
        if (!r) return tl::unexpected(r.error());
        return JsonReply(app::SeriesJson(*r));
      }));
  Get("/api/v1/concentration",
      Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
        auto cell = NumParam(req, "cell", 250);
        if (!cell) return tl::unexpected(cell.error());
        app::LagesbildParams filters = FilterParams(req);
        filters.audience = app::AudienceOf(c.user);
        auto r = app::ComputeConcentration(sys, filters, *cell);
        if (!r) return tl::unexpected(r.error());
        return JsonReply(app::ConcentrationJson(*r));
      }));
  Get("/api/v1/priority",
      Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
        auto level = IntParam(req, "level", 1, 0, 10);
        if (!level) return tl::unexpected(level.error());
        app::LagesbildParams filters = FilterParams(req);
        filters.audience = app::AudienceOf(c.user);
        auto r = app::ComputePriority(sys, filters, static_cast<int>(*level),
                                      analysis::PriorityWeights{});
        if (!r) return tl::unexpected(r.error());
        return JsonReply(app::PriorityJson(*r));
      }));
}

}  // namespace est::http
