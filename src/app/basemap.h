// Bakgrundskarta: the tile layer the web maps draw under the areas (report map, review,
// lägesbild, place editor) — an XYZ or WMTS tile URL with its attribution, set by an
// administrator (stored as settings) or by `est serve --basemap URL --basemap-attribution TEXT`,
// which wins. Without one the maps show the areas' outlines only.
//
// Contract:
// - The URL is http(s) with the placeholders {z}, {x} and {y} (or {-y}, TMS order); a WMTS REST
//   template's {TileMatrix}, {TileCol} and {TileRow} become {z}, {x}, {y} (the tile matrix set
//   must be Web Mercator, EPSG:3857 / GoogleMapsCompatible, the one the web maps use). {s} is
//   allowed as the first label of the host (subdomains a, b, c). Any other {…} is refused naming
//   it; so are spaces, quotes and angle brackets. Errors are kInvalidArgument on field "url",
//   "attribution" or "max_zoom".
// - An attribution is required with a URL (OpenStreetMap's and Lantmäteriet's terms ask for it):
//   one line of plain text, at most 300 characters.
// - BasemapOrigin is what the Content-Security-Policy's img-src adds: scheme, host (with "*."
//   for {s}) and port of the URL, nothing else.
#ifndef EST_APP_BASEMAP_H_
#define EST_APP_BASEMAP_H_

#include <optional>
#include <string>

#include "app/system.h"
#include "core/error.h"

namespace est::app {

struct Basemap {
  std::string url;  // a Leaflet template; "" = none
  std::string attribution;
  int max_zoom = 19;
  std::string source;  // "server" (est serve --basemap), "settings", "" (none)
};

// Checks and normalises a basemap (WMTS placeholders converted). An empty url is "no basemap".
Result<Basemap> ParseBasemap(const std::string& url, const std::string& attribution,
                             std::optional<int> max_zoom);
// "https://*.tile.openstreetmap.org" for "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png";
// "" without a basemap.
std::string BasemapOrigin(const Basemap& basemap);

// The basemap in force: `server` when it has a URL (est serve --basemap), else the stored one.
Basemap CurrentBasemap(const System& sys, const Basemap& server);
// Stores the administrator's basemap (an empty url removes it); audited as a setting change.
Status SetBasemap(System& sys, const std::string& url, const std::string& attribution,
                  std::optional<int> max_zoom, const store::Actor& actor);

}  // namespace est::app

#endif  // EST_APP_BASEMAP_H_
