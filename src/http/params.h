// Request parameters (private to the http module): the path id, the JSON body, query parameters
// and the filters and grids of the analyses, each turned into a typed value or an Error that names
// the parameter. The routes (routes_*.cc) parse with these and nothing else.
#ifndef EST_HTTP_PARAMS_H_
#define EST_HTTP_PARAMS_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/analyses.h"
#include "app/queries.h"
#include "app/system.h"
#include "core/error.h"
#include "http/request.h"

namespace est::http {

// The id in the path (the first pattern group, digits): an error (kInvalidArgument, field "id")
// when it does not fit a 64-bit integer, so 99999999999999999999 is a 400, not a 500.
Result<int64_t> PathId(const Request& req);
// The JSON object of a request body; errors name the body (not JSON, not an object, too deep).
Result<nlohmann::json> ParseJsonBody(const Request& req);
// Every value of a query parameter, comma-separated values split.
std::vector<std::string> ListParam(const Request& req, const std::string& name);
// An integer query parameter in [lo, hi], `def` when absent; the error names the parameter.
Result<int64_t> IntParam(const Request& req, const std::string& name, int64_t def,
                         int64_t lo, int64_t hi);
// A finite number, `def` when absent; the error names the parameter.
Result<double> NumParam(const Request& req, const std::string& name, double def);
// The query parameter "crs" as an EPSG code (geo::ParseCrsName), nullopt when absent.
Result<std::optional<int>> CrsParam(const Request& req);
// The lägesbild filters of a request (period, from, to, area, category, org, dimension, police).
app::LagesbildParams FilterParams(const Request& req);
// The filters of a reports export (period, from, to, area — with its sub-areas —, category, org,
// source, status).
app::ReportExportParams ExportParams(const Request& req);
// The grid of a cell analysis (cell, band, extent).
Result<app::GridParams> GridFrom(const Request& req);

}  // namespace est::http

#endif  // EST_HTTP_PARAMS_H_
