// HTTP transport: routing, authentication, CSRF, role checks, JSON mapping, problem+json.
#include "http/server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "app/analyses.h"
#include "app/context.h"
#include "app/documents.h"
#include "app/evaluation.h"
#include "app/feedback.h"
#include "app/present.h"
#include "app/work.h"
#include "core/password.h"
#include "core/text.h"
#include "geo/crs.h"
#include "geo/geojson.h"
#include "http/compress.h"
#include "http/fields.h"
#include "http/server_impl.h"
#include "http/work_json.h"
#include "report/writers.h"

namespace est::http {

extern const char* const kOpenApiYaml;

namespace {

using nlohmann::json;

}  // namespace

std::string ProblemBody(const Error& e, const std::string& instance) {
  const ErrorInfo& info = InfoFor(e.code);
  json errors = json::array();
  for (const FieldError& f : e.fields) errors.push_back({{"field", f.field}, {"reason", f.reason}});
  json j = {{"type", info.type},  {"title", info.title},  {"status", info.http_status},
            {"detail", e.detail}, {"instance", instance}, {"errors", errors}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// ---- request parsing helpers ----

Result<int64_t> PathId(const Request& req) {
  const std::string text = req.matches.size() > 1 ? req.matches[1] : "";
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return InvalidField("id", "måste vara ett heltal högst 9223372036854775807");
  }
  return id;
}

std::string CookieValue(const Request& req, const std::string& name) {
  std::string cookies = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < cookies.size()) {
    size_t end = cookies.find(';', pos);
    std::string part =
        cookies.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    size_t b = part.find_first_not_of(' ');
    if (b != std::string::npos) part = part.substr(b);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return "";
}

namespace {

constexpr size_t kMaxJsonDepth = 64;

// The member a JSON parse stopped in ("location.x", "items[2]"): nlohmann's errors give a byte
// position only, and a number too large for a double ("1e309") should name its field.
class PathSax : public nlohmann::json_sax<json> {
 public:
  std::string path() const {
    std::string p;
    for (const Level& l : stack_) {
      if (l.object) {
        if (!l.key.empty()) p += (p.empty() ? "" : ".") + l.key;
      } else {
        p += "[" + std::to_string(l.index) + "]";
      }
    }
    return p;
  }
  int error_id() const { return error_id_; }
  size_t position() const { return position_; }

  bool null() override { return Value(); }
  bool boolean(bool) override { return Value(); }
  bool number_integer(number_integer_t) override { return Value(); }
  bool number_unsigned(number_unsigned_t) override { return Value(); }
  bool number_float(number_float_t, const string_t&) override { return Value(); }
  bool string(string_t&) override { return Value(); }
  bool binary(binary_t&) override { return Value(); }
  bool start_object(std::size_t) override {
    stack_.push_back({true, "", 0});
    return true;
  }
  bool key(string_t& k) override {
    stack_.back().key = k;
    return true;
  }
  bool end_object() override { return End(); }
  bool start_array(std::size_t) override {
    stack_.push_back({false, "", 0});
    return true;
  }
  bool end_array() override { return End(); }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& e) override {
    position_ = position;
    error_id_ = e.id;
    return false;
  }

 private:
  struct Level {
    bool object;
    std::string key;
    size_t index;
  };
  bool Value() {
    if (!stack_.empty() && !stack_.back().object) ++stack_.back().index;
    return true;
  }
  bool End() {
    stack_.pop_back();
    return Value();
  }
  std::vector<Level> stack_;
  int error_id_ = 0;
  size_t position_ = 0;
};

// Problems with the text of a parsed body: control characters in any string (or member name),
// nesting deeper than kMaxJsonDepth. Walks without recursion: the body may be 32 MB of '['.
std::vector<FieldError> TextProblems(const json& body) {
  std::vector<FieldError> errors;
  struct Item {
    const json* value;
    std::string path;
    size_t depth;
  };
  std::vector<Item> todo{{&body, "", 0}};
  while (!todo.empty() && errors.size() < 20) {
    Item it = std::move(todo.back());
    todo.pop_back();
    const json& v = *it.value;
    const std::string field = it.path.empty() ? "body" : it.path;
    if (v.is_string()) {
      const auto& text = v.get_ref<const std::string&>();
      if (size_t at = ControlCharAt(text); at != std::string::npos) {
        errors.push_back({field, ControlCharReason(text, at)});
      }
      continue;
    }
    if (!v.is_structured()) continue;
    if (it.depth >= kMaxJsonDepth) {
      errors.push_back(
          {field, "är för djupt nästlad (högst " + std::to_string(kMaxJsonDepth) + " nivåer)"});
      continue;
    }
    if (v.is_object()) {
      for (auto m = v.begin(); m != v.end(); ++m) {
        std::string path = it.path.empty() ? m.key() : it.path + "." + m.key();
        if (size_t at = ControlCharAt(m.key()); at != std::string::npos) {
          errors.push_back({path, "fältnamnet " + ControlCharReason(m.key(), at)});
          continue;
        }
        todo.push_back({&m.value(), std::move(path), it.depth + 1});
      }
    } else {
      for (size_t i = 0; i < v.size(); ++i) {
        todo.push_back({&v[i], it.path + "[" + std::to_string(i) + "]", it.depth + 1});
      }
    }
  }
  std::sort(errors.begin(), errors.end(),
            [](const FieldError& a, const FieldError& b) { return a.field < b.field; });
  return errors;
}

}  // namespace

Result<json> ParseJsonBody(const Request& req) {
  std::string ct = req.get_header_value("Content-Type");
  if (ct.rfind("application/json", 0) != 0) {
    return MakeError(ErrorCode::kUnsupportedMedia,
                     "Begäran måste skickas som application/json (fick \"" + ct + "\")",
                     {{"Content-Type", "måste vara application/json"}});
  }
  json j = json::parse(req.body, nullptr, false);
  if (j.is_discarded()) {
    // Parse again, keeping track of the member, for the field and position of the error.
    PathSax sax;
    json::sax_parse(req.body, &sax);
    const std::string path = sax.path();
    if (sax.error_id() == 406) {  // out_of_range.406: a number that overflows a double
      return MakeError(ErrorCode::kInvalidArgument, "Ogiltig JSON: ett tal är för stort",
                       {{path.empty() ? "body" : path,
                         "talet är för stort (högst cirka 1.8e308 till beloppet)"}});
    }
    return MakeError(ErrorCode::kInvalidArgument, "Ogiltig JSON",
                     {{"body", "ogiltig JSON vid tecken " + std::to_string(sax.position()) +
                                   (path.empty() ? "" : " (i " + path + ")")}});
  }
  if (!j.is_object()) {
    return MakeError(ErrorCode::kInvalidArgument, "JSON-objekt förväntades",
                     {{"body", "måste vara ett JSON-objekt"}});
  }
  if (auto problems = TextProblems(j); !problems.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "Texten i begäran är ogiltig",
                     std::move(problems));
  }
  return j;
}

std::vector<std::string> ListParam(const Request& req, const std::string& name) {
  std::vector<std::string> out;
  auto range = req.params.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) {
    std::string v = it->second;
    size_t start = 0;
    while (start <= v.size()) {
      size_t comma = v.find(',', start);
      std::string part =
          v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!part.empty()) out.push_back(part);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

Result<int64_t> IntParam(const Request& req, const std::string& name, int64_t def,
                         int64_t lo, int64_t hi) {
  if (!req.has_param(name)) return def;
  std::string v = req.get_param_value(name);
  try {
    size_t used = 0;
    int64_t n = std::stoll(v, &used);
    if (used != v.size() || n < lo || n > hi) throw std::out_of_range("range");
    return n;
  } catch (...) {
    return InvalidField(name,
                        "måste vara ett heltal " + std::to_string(lo) + "–" + std::to_string(hi));
  }
}

namespace {

const char* kStartPage = R"html(<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>EST – Effektiv samordning för trygghet</title>
<link rel="stylesheet" href="/start.css"></head>
<body><main>
<h1>EST – Effektiv samordning för trygghet</h1>
<p>Servern är igång. Webbgränssnittet byggs från <code>web/</code>; tills det finns används API:t direkt.</p>
<h2>API</h2>
<ul>
<li><code>POST /api/v1/auth/login</code> med <code>{"login": "...", "password": "..."}</code> loggar in (sessionskaka och CSRF-token).</li>
<li><code>GET /api/v1/lagesbild?period=2026-W47</code> – veckans lägesbild.</li>
<li><code>POST /api/v1/reports</code> – ny rapport.</li>
<li>Hela beskrivningen: <a href="/api/v1/openapi.yaml">openapi.yaml</a>.</li>
</ul>
</main></body></html>
)html";

const char* kStartCss =
    "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#1a1a1a}code{background:#f1f1f1;padding:0 .2rem}";

}  // namespace

// ---- auth ----

Result<Reply> Server::Impl::Login(const Request& req) {
  auto body = ParseJsonBody(req);
  if (!body) return tl::unexpected(body.error());
  Fields f(*body, "", {"login", "password"});
  auto login = f.Str("login", kMaxLoginChars);
  auto password = f.Str("password");
  f.Require("login", login.has_value());
  f.Require("password", password.has_value());
  if (!f.errors().empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "Inloggningen är ofullständig", f.errors());
  }
  UnixSeconds now = NowUnix();
  if (int64_t wait = login_limiter.BlockedFor(*login, req.remote_addr, now); wait > 0) {
    // Not stored: the lockout was recorded when it began, and a storm of refused attempts must
    // not grow the table.
    spdlog::info("security login_refused login={} ip={} wait={}s", SafeLogText(*login),
                 req.remote_addr, wait);
    return RateLimitedReply(wait, req.path);
  }
  auto found = sys.store().FindLogin(*login);
  if (!found) return tl::unexpected(found.error());
  // An unknown or disabled account is checked against a dummy hash: the same cost either way.
  const std::string* hash = *found && !(*found)->first.disabled ? &(*found)->second : nullptr;
  if (!VerifyLoginPassword(*password, hash)) {
    bool blocked = login_limiter.Failed(*login, req.remote_addr, now);
    SecurityEvent("login_failure", req, *login,
                  hash ? "fel lösenord" : "okänt eller avstängt konto");
    if (blocked) {
      SecurityEvent(
          "lockout", req, *login,
          "för många misslyckade inloggningar; spärrad i " +
              std::to_string((login_limiter.BlockedFor(*login, req.remote_addr, now) + 59) / 60) +
              " minuter");
    }
    return MakeError(ErrorCode::kUnauthenticated, "Fel användarnamn eller lösenord");
  }
  login_limiter.Succeeded(*login, req.remote_addr);
  PurgeNow(now);
  std::string token = RandomToken();
  store::Session session{Sha256Hex(token),
                         (*found)->first.id,
                         RandomToken(),
                         now + options.session_hours * 3600,
                         now,
                         now};
  auto ended = sys.store().CreateSession(session, options.max_sessions_per_user);
  if (!ended) return tl::unexpected(ended.error());
  SecurityEvent("login_success", req, *login, "");
  if (*ended > 0) {
    SecurityEvent("session_limit", req, *login,
                  std::to_string(*ended) + " äldsta sessioner avslutade (högst " +
                      std::to_string(options.max_sessions_per_user) + " per användare)");
  }
  auto cat = sys.catalog();
  Reply r = JsonReply(
      {{"user", app::UserJson((*found)->first, *cat)}, {"csrf_token", session.csrf_token}});
  std::string cookie = std::string(kCookie) + "=" + token +
                       "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                       std::to_string(options.session_hours * 3600);
  if (options.secure_cookies) cookie += "; Secure";
  r.headers.emplace_back("Set-Cookie", cookie);
  return r;
}

// ---- reports ----

namespace {

// Fills a ReportInput from the JSON of POST /reports. Location forms:
// {"location": {"lon":..,"lat":..}} | {"location": {"x":..,"y":..,"crs":"EPSG:3006"}} |
// {"location": {"place": "Tureberg centrum"}} | {"location": {"area": "edsberg"}} (bara område:
// counted in the area, no point).
Result<ingest::ReportInput> ReportInputFromJson(const json& body) {
  Fields f(body, "",
           {"source_id", "occurred_from", "occurred_to", "location", "category", "org", "severity",
            "count", "certainty", "police_notified", "description"});
  ingest::ReportInput in;
  in.source_id = f.Str("source_id");
  in.occurred_from = f.Str("occurred_from").value_or("");
  in.occurred_to = f.Str("occurred_to").value_or("");
  in.category = f.Str("category").value_or("");
  in.org = f.Str("org").value_or("");
  in.severity = f.Int("severity");
  in.count = f.Int("count");
  in.certainty = f.Str("certainty").value_or("");
  in.police_notified = f.Bool("police_notified");
  in.description = f.Str("description", kMaxDescriptionChars).value_or("");
  if (const json* loc = f.Obj("location")) {
    Fields lf(*loc, "location.", {"lon", "lat", "x", "y", "crs", "place", "area"});
    in.area = lf.Str("area").value_or("");
    in.lon = lf.Num("lon");
    in.lat = lf.Num("lat");
    in.x = lf.Num("x");
    in.y = lf.Num("y");
    in.place = lf.Str("place").value_or("");
    if (auto crs = lf.Str("crs")) {
      // The whole text must name the system: "EPSG:3006'; DROP ..." is not EPSG:3006.
      if (auto code = geo::ParseCrsName(*crs)) {
        in.epsg = *code;
      } else {
        lf.errors().push_back({"location.crs", code.error().fields.front().reason});
      }
    }
    f.Merge(lf);
  } else {
    f.Require("location", false);
  }
  if (!f.errors().empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "Rapporten är ogiltig", f.errors());
  }
  return in;
}

}  // namespace

Result<Reply> Server::Impl::CreateReport(const Request& req, const Caller& c) {
  if (c.Is({Role::kViewer})) return Forbidden("Läsbehörighet räcker inte för att rapportera");
  auto body = ParseJsonBody(req);
  if (!body) return tl::unexpected(body.error());
  auto in = ReportInputFromJson(*body);
  if (!in) return tl::unexpected(in.error());
  auto cat = sys.catalog();
  const Organisation* own = c.user.org ? cat->OrgById(*c.user.org) : nullptr;
  if (in->org.empty() && own) in->org = own->code;
  if (c.OrgBound()) {
    const Organisation* named = cat->FindOrg(in->org);
    if (!own || !named || named->id != own->id) {
      return Forbidden("Du kan bara rapportera för din egen organisation");
    }
  }
  in->source = ReportSource::kForm;
  auto created = sys.CreateReport(*in, c.actor());
  if (!created) return tl::unexpected(created.error());
  json j = app::ReportJson(created->report, *sys.catalog());
  json notes = json::array();
  for (const auto& s : created->scrubbed) notes.push_back(s);
  j["removed_personal_data"] = notes;
  j["notes"] = created->notes;
  Reply r = JsonReply(j, created->created ? 201 : 200);
  r.headers.emplace_back("Location", "/api/v1/reports/" + std::to_string(created->report.id.value));
  return r;
}

Result<Reply> Server::Impl::ListReports(const Request& req, const Caller& c) {
  auto cat = sys.catalog();
  store::ReportFilter f;
  std::vector<FieldError> errors;
  auto limit = IntParam(req, "limit", 100, 1, 1000);
  auto offset = IntParam(req, "offset", 0, 0, INT64_MAX);
  if (!limit) errors.insert(errors.end(), limit.error().fields.begin(), limit.error().fields.end());
  if (!offset)
    errors.insert(errors.end(), offset.error().fields.begin(), offset.error().fields.end());
  if (limit) f.limit = *limit;
  if (offset) f.offset = *offset;
  if (req.has_param("from")) {
    auto d = ParseDay(req.get_param_value("from"));
    if (d)
      f.from = LocalDayStartUtc(*d);
    else
      errors.push_back({"from", "måste vara ett datum"});
  }
  if (req.has_param("to")) {
    auto d = ParseDay(req.get_param_value("to"));
    if (d)
      f.to = LocalDayStartUtc(*d + 1);
    else
      errors.push_back({"to", "måste vara ett datum"});
  }
  if (req.has_param("period")) {
    auto p = ParsePeriod(req.get_param_value("period"));
    if (p) {
      f.from = LocalDayStartUtc(p->first);
      f.to = LocalDayStartUtc(p->last + 1);
    } else {
      errors.push_back({"period", p.error().detail});
    }
  }
  for (const auto& code : ListParam(req, "category")) {
    if (const Category* k = cat->FindCategory(code))
      f.categories.push_back(k->id);
    else
      errors.push_back({"category", "okänd kategori \"" + code + "\""});
  }
  for (const auto& code : ListParam(req, "org")) {
    if (const Organisation* o = cat->FindOrg(code))
      f.orgs.push_back(o->id);
    else
      errors.push_back({"org", "okänd organisation \"" + code + "\""});
  }
  if (req.has_param("status")) {
    auto s = ParseReportStatus(req.get_param_value("status"));
    if (s)
      f.status = *s;
    else
      errors.push_back({"status", "okänd status"});
  }
  if (req.has_param("area")) {
    std::string code = req.get_param_value("area");
    if (code == "outside") {
      f.outside_only = true;
    } else if (const Area* a = cat->FindArea(code)) {
      f.area = a->id;
    } else {
      errors.push_back({"area", "okänt område \"" + code + "\""});
    }
  }
  if (!errors.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "Ogiltiga filter", std::move(errors));
  }
  // Point level (app/disclosure.h): a limited audience, viewers too, lists its own organisation.
  if (app::AudienceOf(c.user).limited()) f.orgs = {c.user.org.value_or(OrgId{-1})};
  auto list = sys.store().ListReports(f);
  if (!list) return tl::unexpected(list.error());
  auto total = sys.store().CountReports(f);
  if (!total) return tl::unexpected(total.error());
  auto feedback = app::FeedbackIndex::Load(sys);
  if (!feedback) return tl::unexpected(feedback.error());
  json items = json::array();
  for (const Report& r : *list) {
    json j = app::ReportJson(r, *cat);
    j["feedback"] = feedback->For(r.id, *cat);
    items.push_back(std::move(j));
  }
  return JsonReply({{"items", items}, {"total", *total}, {"limit", f.limit}, {"offset", f.offset}});
}

Result<Reply> Server::Impl::PatchReport(const Request& req, const Caller& c) {
  auto path_id = PathId(req);
  if (!path_id) return tl::unexpected(path_id.error());
  const int64_t id = *path_id;
  if (c.Is({Role::kViewer})) return Forbidden("Läsbehörighet räcker inte för att ändra");
  auto current = sys.store().GetReport(ReportId{id});
  if (!current) return tl::unexpected(current.error());
  if (!*current) return MakeError(ErrorCode::kNotFound, "Rapporten finns inte");
  if (c.OrgBound() && (!c.user.org || (*current)->org != *c.user.org)) {
    return MakeError(ErrorCode::kNotFound, "Rapporten finns inte");
  }
  auto body = ParseJsonBody(req);
  if (!body) return tl::unexpected(body.error());
  Fields f(*body, "",
           {"version", "category", "severity", "count", "certainty", "police_notified",
            "description", "status", "review_note", "duplicate_of", "place", "location"});
  auto version = f.Int("version");
  f.Require("version", version.has_value());
  app::ReportPatch patch;
  patch.category = f.Str("category");
  patch.severity = f.Int("severity");
  patch.count = f.Int("count");
  patch.certainty = f.Str("certainty");
  patch.police_notified = f.Bool("police_notified");
  patch.description = f.Str("description", kMaxDescriptionChars);
  patch.status = f.Str("status");
  patch.review_note = f.Str("review_note", kMaxNoteChars);
  if (auto d = f.Int("duplicate_of")) patch.duplicate_of = *d;
  if (const json* loc = f.Obj("location")) {
    Fields lf(*loc, "location.", {"lon", "lat", "place"});
    patch.lon = lf.Num("lon");
    patch.lat = lf.Num("lat");
    patch.place = lf.Str("place");
    f.Merge(lf);
  }
  if (auto place = f.Str("place")) patch.place = place;
  if (!f.errors().empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "Ändringen är ogiltig", f.errors());
  }
  const bool reviewer = c.Is({Role::kCoordinator, Role::kAdmin});
  if ((patch.status || patch.review_note || patch.duplicate_of) && !reviewer) {
    return Forbidden("Bara samordnare kan ändra status (granskning)");
  }
  // A reporter's change to a report that has been reviewed sends it back to review: what the
  // coordinator approved is not silently rewritten.
  const bool content = patch.category || patch.severity || patch.count || patch.certainty ||
                       patch.police_notified || patch.description || patch.place || patch.lon;
  if (!reviewer && content && (*current)->status != ReportStatus::kNew) {
    patch.status = "new";
    patch.review_note = "Ändrad av rapportören efter granskningen; granskas igen.";
  }
  auto updated = sys.UpdateReport(ReportId{id}, patch, *version, c.actor());
  if (!updated) return tl::unexpected(updated.error());
  return JsonReply(app::ReportJson(*updated, *sys.catalog()));
}

Result<Reply> Server::Impl::ImportReports(const Request& req, const Caller& c) {
  if (!c.Is({Role::kCoordinator, Role::kAdmin})) {
    return Forbidden("Bara samordnare och administratörer kan massimportera");
  }
  std::string ct = req.get_header_value("Content-Type");
  if (ct.rfind("text/csv", 0) != 0) {
    return MakeError(ErrorCode::kUnsupportedMedia, "Skicka filen som text/csv",
                     {{"Content-Type", "måste vara text/csv"}});
  }
  app::CsvImportOptions opt;
  opt.csv.default_org = req.get_param_value("org");
  opt.create_missing = req.get_param_value("create_missing") == "true";
  opt.skip_invalid = req.get_param_value("skip_invalid") == "true";
  if (req.has_param("crs")) {
    auto crs = geo::ParseCrsName(req.get_param_value("crs"));
    if (!crs) return tl::unexpected(crs.error());
    opt.csv.crs = *crs;
  }
  auto result = sys.ImportReportsCsv(req.body, opt, c.actor());
  if (!result) return tl::unexpected(result.error());
  json rejected = json::array();
  for (const auto& row : result->rejected) {
    json errs = json::array();
    for (const auto& e : row.errors) errs.push_back({{"field", e.field}, {"reason", e.reason}});
    rejected.push_back({{"row", row.row}, {"errors", errs}});
  }
  return JsonReply({{"rows", result->rows},
                    {"inserted", result->inserted},
                    {"already_present", result->already_present},
                    {"outside", result->outside},
                    {"scrubbed", result->scrubbed},
                    {"created_categories", result->created_categories},
                    {"created_orgs", result->created_orgs},
                    {"rejected", rejected}});
}

app::LagesbildParams FilterParams(const Request& req) {
  app::LagesbildParams p;
  p.period = req.get_param_value("period");
  p.from = req.get_param_value("from");
  p.to = req.get_param_value("to");
  p.areas = ListParam(req, "area");
  p.categories = ListParam(req, "category");
  p.orgs = ListParam(req, "org");
  p.dimension = req.get_param_value("dimension");
  return p;
}

Result<double> NumParam(const Request& req, const std::string& name, double def) {
  if (!req.has_param(name)) return def;
  try {
    size_t used = 0;
    std::string v = req.get_param_value(name);
    double d = std::stod(v, &used);
    if (used == v.size() && std::isfinite(d)) return d;
  } catch (...) {
  }
  return InvalidField(name, "måste vara ett tal");
}

Result<app::GridParams> GridFrom(const Request& req) {
  app::GridParams g;
  auto cell = NumParam(req, "cell", g.cell_m);
  if (!cell) return tl::unexpected(cell.error());
  auto band = NumParam(req, "band", g.band_m);
  if (!band) return tl::unexpected(band.error());
  g.cell_m = *cell;
  g.band_m = *band;
  if (req.has_param("extent")) g.extent = req.get_param_value("extent");
  return g;
}

Reply TextReply(std::string body, const char* type) {
  Reply r;
  r.body = std::move(body);
  r.content_type = type;
  return r;
}

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

// ---- routes ----

void Server::Impl::Routes() {
  // Anonymous: says that the server is up and nothing else.
  Get("/api/v1/health",
      Wrap([](const Request&) -> Result<Reply> { return JsonReply({{"status", "ok"}}); }));
  Get("/api/v1/openapi.yaml", Wrap([](const Request&) -> Result<Reply> {
        return TextReply(kOpenApiYaml, "application/yaml; charset=utf-8");
      }));
  Post("/api/v1/auth/login", Wrap([this](const Request& req) { return Login(req); }));
  Post("/api/v1/auth/logout",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         (void)sys.store().DeleteSession(Sha256Hex(CookieValue(req, kCookie)));
         SecurityEvent("logout", req, c.user.login, "");
         Reply r;
         r.status = 204;
         r.headers.emplace_back("Set-Cookie", std::string(kCookie) +
                                                  "=; Path=/; HttpOnly; SameSite=Strict; "
                                                  "Max-Age=0");
         return r;
       }));
  Get("/api/v1/auth/me", Authed([this](const Request&, const Caller& c) {
        return Result<Reply>(
            JsonReply({{"user", app::UserJson(c.user, *sys.catalog())}, {"csrf_token", c.csrf}}));
      }));

  // Organisations.
  Get("/api/v1/organisations",
      Authed([this](const Request&, const Caller&) -> Result<Reply> {
        auto list = sys.store().ListOrganisations();
        if (!list) return tl::unexpected(list.error());
        auto cat = sys.catalog();
        json items = json::array();
        for (const auto& o : *list) items.push_back(app::OrgJson(o, *cat));
        return JsonReply({{"items", items}});
      }));
  Post("/api/v1/organisations",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!c.Is({Role::kAdmin, Role::kCoordinator})) {
           return Forbidden("Bara administratörer och samordnare kan lägga till organisationer");
         }
         auto body = ParseJsonBody(req);
         if (!body) return tl::unexpected(body.error());
         Fields f(*body, "", {"code", "name", "kind", "parent"});
         Organisation o;
         o.code = f.Str("code").value_or("");
         o.name = f.Str("name").value_or("");
         auto kind = f.Str("kind");
         f.Require("kind", kind.has_value());
         if (kind) {
           auto k = ParseOrgKind(*kind);
           if (k)
             o.kind = *k;
           else
             f.errors().push_back(k.error().fields[0]);
         }
         if (auto parent = f.Str("parent")) {
           const Organisation* p = sys.catalog()->FindOrg(*parent);
           if (p)
             o.parent = p->id;
           else
             f.errors().push_back({"parent", "okänd organisation"});
         }
         if (!f.errors().empty()) {
           return MakeError(ErrorCode::kInvalidArgument, "Organisationen är ogiltig", f.errors());
         }
         auto created = sys.CreateOrganisation(o, c.actor());
         if (!created) return tl::unexpected(created.error());
         return JsonReply(app::OrgJson(*created, *sys.catalog()), 201);
       }));

  // Users.
  Get("/api/v1/users", Authed([this](const Request&, const Caller& c) -> Result<Reply> {
        if (!c.Is({Role::kAdmin})) return Forbidden("Bara administratörer ser användarna");
        auto list = sys.store().ListUsers();
        if (!list) return tl::unexpected(list.error());
        auto cat = sys.catalog();
        json items = json::array();
        for (const auto& u : *list) items.push_back(app::UserJson(u, *cat));
        return JsonReply({{"items", items}});
      }));
  Post("/api/v1/users",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!c.Is({Role::kAdmin})) return Forbidden("Bara administratörer hanterar användare");
         auto body = ParseJsonBody(req);
         if (!body) return tl::unexpected(body.error());
         Fields f(*body, "", {"login", "display_name", "password", "role", "org"});
         User u;
         u.login = f.Str("login", kMaxLoginChars).value_or("");
         u.display_name = f.Str("display_name").value_or("");
         std::string password = f.Str("password").value_or("");
         auto role = f.Str("role");
         f.Require("role", role.has_value());
         if (role) {
           auto r = ParseRole(*role);
           if (r)
             u.role = *r;
           else
             f.errors().push_back(r.error().fields[0]);
         }
         if (auto org = f.Str("org")) {
           const Organisation* o = sys.catalog()->FindOrg(*org);
           if (o)
             u.org = o->id;
           else
             f.errors().push_back({"org", "okänd organisation"});
         }
         if (!f.errors().empty()) {
           return MakeError(ErrorCode::kInvalidArgument, "Användaren är ogiltig", f.errors());
         }
         auto created = sys.CreateUser(u, password, c.actor());
         if (!created) return tl::unexpected(created.error());
         return JsonReply(app::UserJson(*created, *sys.catalog()), 201);
       }));

  Patch(R"(/api/v1/users/(\d+))",
        Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
          if (!c.Is({Role::kAdmin})) return Forbidden("Bara administratörer hanterar användare");
          auto id = PathId(req);
          if (!id) return tl::unexpected(id.error());
          auto body = ParseJsonBody(req);
          if (!body) return tl::unexpected(body.error());
          Fields f(*body, "", {"display_name", "role", "org", "disabled", "password"});
          app::UserPatch patch;
          patch.display_name = f.Str("display_name");
          patch.role = f.Str("role");
          patch.disabled = f.Bool("disabled");
          patch.password = f.Str("password");
          if (auto it = body->find("org"); it != body->end() && it->is_null()) {
            patch.org = "";
          } else {
            patch.org = f.Str("org");
          }
          if (!f.errors().empty()) {
            return MakeError(ErrorCode::kInvalidArgument, "Ändringen är ogiltig", f.errors());
          }
          auto u = sys.UpdateUser(UserId{*id}, patch, c.user.id, c.actor());
          if (!u) return tl::unexpected(u.error());
          if (patch.password) {
            SecurityEvent("password_reset", req, c.user.login, "för användaren " + u->login);
          }
          return JsonReply(app::UserJson(*u, *sys.catalog()));
        }));

  // Categories.
  Get("/api/v1/categories", Authed([this](const Request&, const Caller&) -> Result<Reply> {
        json items = json::array();
        for (const auto& k : sys.catalog()->categories()) items.push_back(app::CategoryJson(k));
        return JsonReply({{"items", items}});
      }));
  Post("/api/v1/categories",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!c.Is({Role::kAdmin, Role::kCoordinator})) {
           return Forbidden("Bara administratörer och samordnare kan ändra kategorier");
         }
         auto body = ParseJsonBody(req);
         if (!body) return tl::unexpected(body.error());
         Fields f(
             *body, "",
             {"code", "name_sv", "name_en", "group", "dimension", "default_severity", "parent"});
         Category k;
         k.code = f.Str("code").value_or("");
         k.name_sv = f.Str("name_sv").value_or("");
         k.name_en = f.Str("name_en").value_or("");
         k.group = f.Str("group").value_or("övrigt");
         k.default_severity = f.Int("default_severity").value_or(2);
         auto dim = f.Str("dimension");
         f.Require("dimension", dim.has_value());
         if (dim) {
           auto d = ParseDimension(*dim);
           if (d)
             k.dimension = *d;
           else
             f.errors().push_back(d.error().fields[0]);
         }
         if (auto parent = f.Str("parent")) {
           const Category* p = sys.catalog()->FindCategory(*parent);
           if (p)
             k.parent = p->id;
           else
             f.errors().push_back({"parent", "okänd kategori"});
         }
         if (!f.errors().empty()) {
           return MakeError(ErrorCode::kInvalidArgument, "Kategorin är ogiltig", f.errors());
         }
         auto created = sys.CreateCategory(k, c.actor());
         if (!created) return tl::unexpected(created.error());
         return JsonReply(app::CategoryJson(*created), 201);
       }));

  // Areas.
  Get("/api/v1/areas", Authed([this](const Request& req, const Caller&) -> Result<Reply> {
        auto cat = sys.catalog();
        auto counts = sys.store().ReportCountsByArea();
        if (!counts) return tl::unexpected(counts.error());
        std::map<int64_t, int64_t> by_area = app::SubtreeReportCounts(*cat, *counts);
        if (req.get_param_value("format") == "geojson") {
          auto geoms = sys.store().AllAreaGeometries();
          if (!geoms) return tl::unexpected(geoms.error());
          std::string out = R"({"type":"FeatureCollection","features":[)";
          for (size_t i = 0; i < geoms->size(); ++i) {
            const auto& g = (*geoms)[i];
            json props = app::AreaJson(g.area, *cat, by_area[g.area.id.value]);
            out += (i ? "," : "") + std::string(R"({"type":"Feature","id":)") +
                   json(g.area.code).dump() + R"(,"properties":)" + props.dump() +
                   R"(,"geometry":)" + geo::ToGeoJsonGeometry(g.geometry, true) + "}";
          }
          out += "]}";
          Reply r;
          r.body = std::move(out);
          r.content_type = "application/geo+json";
          return r;
        }
        json items = json::array();
        for (const auto& a : cat->areas()) {
          items.push_back(app::AreaJson(a, *cat, by_area[a.id.value]));
        }
        return JsonReply({{"items", items}, {"outside_report_count", by_area[0]}});
      }));
  Post("/api/v1/areas",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!c.Is({Role::kAdmin, Role::kCoordinator})) {
           return Forbidden("Bara administratörer och samordnare kan importera områden");
         }
         std::string ct = req.get_header_value("Content-Type");
         if (ct.rfind("application/geo+json", 0) != 0 && ct.rfind("application/json", 0) != 0) {
           return MakeError(ErrorCode::kUnsupportedMedia, "Skicka GeoJSON",
                            {{"Content-Type", "måste vara application/geo+json"}});
         }
         app::AreaImportOptions opt;
         opt.code_prop = req.get_param_value("code_prop");
         opt.name_prop = req.get_param_value("name_prop");
         opt.parent_code = req.get_param_value("parent");
         if (req.has_param("crs")) {
           auto crs = geo::ParseCrsName(req.get_param_value("crs"));
           if (!crs) return tl::unexpected(crs.error());
           opt.crs = *crs;
         }
         auto result = sys.ImportAreas(req.body, opt, c.actor());
         if (!result) return tl::unexpected(result.error());
         auto cat = sys.catalog();
         json items = json::array();
         for (const auto& a : result->areas) items.push_back(app::AreaJson(a, *cat, 0));
         return JsonReply({{"items", items}, {"reports_moved", result->reports_moved}}, 201);
       }));

  // Places.
  Get("/api/v1/places", Authed([this](const Request&, const Caller&) -> Result<Reply> {
        auto cat = sys.catalog();
        json items = json::array();
        for (const auto& p : cat->places()) items.push_back(app::PlaceJson(p, *cat));
        return JsonReply({{"items", items}});
      }));
  Post("/api/v1/places",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!c.Is({Role::kAdmin, Role::kCoordinator})) {
           return Forbidden("Bara administratörer och samordnare kan lägga till platser");
         }
         auto body = ParseJsonBody(req);
         if (!body) return tl::unexpected(body.error());
         Fields f(*body, "", {"name", "kind", "lon", "lat", "x", "y", "crs"});
         app::PlaceInput in;
         in.name = f.Str("name").value_or("");
         in.kind = f.Str("kind").value_or("");
         in.lon = f.Num("lon");
         in.lat = f.Num("lat");
         in.x = f.Num("x");
         in.y = f.Num("y");
         if (auto crs = f.Str("crs")) {
           auto e = geo::ParseCrsName(*crs);
           if (e)
             in.epsg = *e;
           else
             f.errors().push_back({"crs", "okänt koordinatsystem"});
         }
         if (!f.errors().empty()) {
           return MakeError(ErrorCode::kInvalidArgument, "Platsen är ogiltig", f.errors());
         }
         auto created = sys.CreatePlace(in, c.actor());
         if (!created) return tl::unexpected(created.error());
         return JsonReply(app::PlaceJson(*created, *sys.catalog()), 201);
       }));

  // Reports.
  Post("/api/v1/reports", Authed([this](const Request& req, const Caller& c) {
         return CreateReport(req, c);
       }));
  Get("/api/v1/reports",
      Authed([this](const Request& req, const Caller& c) { return ListReports(req, c); }));
  Post("/api/v1/reports/import", Authed([this](const Request& req, const Caller& c) {
         return ImportReports(req, c);
       }));
  Get(R"(/api/v1/reports/(\d+))",
      Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
        auto id = PathId(req);
        if (!id) return tl::unexpected(id.error());
        auto r = sys.store().GetReport(ReportId{*id});
        if (!r) return tl::unexpected(r.error());
        // Point level: a limited audience (viewers too) sees only its own organisation's reports.
        if (!*r || !app::MayListPoint(app::AudienceOf(c.user), (*r)->org)) {
          return MakeError(ErrorCode::kNotFound, "Rapporten finns inte");
        }
        auto cat = sys.catalog();
        json j = app::ReportJson(**r, *cat);
        auto feedback = app::FeedbackIndex::Load(sys);
        if (!feedback) return tl::unexpected(feedback.error());
        j["feedback"] = feedback->For((*r)->id, *cat);
        auto dups = sys.store().DuplicatesOf((*r)->id);
        if (!dups) return tl::unexpected(dups.error());
        json d = json::array();
        for (ReportId x : *dups) d.push_back(x.value);
        j["duplicates"] = d;
        return JsonReply(j);
      }));
  Patch(R"(/api/v1/reports/(\d+))", Authed([this](const Request& req, const Caller& c) {
          return PatchReport(req, c);
        }));

  // Check-ins.
  Get("/api/v1/checkins", Authed([this](const Request&, const Caller& c) -> Result<Reply> {
        auto list = sys.store().ListCheckIns();
        if (!list) return tl::unexpected(list.error());
        auto cat = sys.catalog();
        json items = json::array();
        for (const auto& ci : *list) {
          if (c.OrgBound() && (!c.user.org || ci.org != *c.user.org)) continue;
          items.push_back(app::CheckInJson(ci, *cat));
        }
        return JsonReply({{"items", items}});
      }));
  Post("/api/v1/checkins",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (c.Is({Role::kViewer})) return Forbidden("Läsbehörighet räcker inte");
         auto body = ParseJsonBody(req);
         if (!body) return tl::unexpected(body.error());
         Fields f(*body, "", {"org", "area", "week", "nothing_to_report"});
         auto cat = sys.catalog();
         const Organisation* own = c.user.org ? cat->OrgById(*c.user.org) : nullptr;
         std::string org = f.Str("org").value_or(own ? own->code : "");
         auto area = f.Str("area");
         auto week = f.Str("week");
         bool nothing = f.Bool("nothing_to_report").value_or(true);
         f.Require("week", week.has_value());
         if (!f.errors().empty()) {
           return MakeError(ErrorCode::kInvalidArgument, "Incheckningen är ogiltig", f.errors());
         }
         if (c.OrgBound()) {
           const Organisation* named = cat->FindOrg(org);
           if (!own || !named || named->id != own->id) {
             return Forbidden("Du kan bara checka in för din egen organisation");
           }
         }
         auto ci = sys.RecordCheckIn(org, area.value_or(""), *week, nothing, c.actor());
         if (!ci) return tl::unexpected(ci.error());
         return JsonReply(app::CheckInJson(*ci, *sys.catalog()), 201);
       }));

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

  // Audit.
  Get("/api/v1/audit",
      Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
        if (!c.Is({Role::kAdmin})) return Forbidden("Bara administratörer ser granskningsloggen");
        auto after = IntParam(req, "after", 0, 0, INT64_MAX);
        if (!after) return tl::unexpected(after.error());
        auto list = sys.store().ListAudit(*after, 500);
        if (!list) return tl::unexpected(list.error());
        json items = json::array();
        for (const auto& e : *list) {
          items.push_back({{"seq", e.seq},
                           {"at", FormatTimestamp(e.at)},
                           {"actor", e.actor},
                           {"action", e.action},
                           {"entity", e.entity},
                           {"entity_id", e.entity_id},
                           {"hash", e.hash}});
        }
        return JsonReply({{"items", items}});
      }));

  WorkRoutes();
  ContextRoutes();
  SecurityRoutes();

  if (!options.web_dir.empty()) static_files = std::make_unique<StaticFiles>(options.web_dir);
}

// ---- meetings, agenda, problems, actions ----

// ---- dispatch: routing, static files, headers, revalidation, compression ----

Reply Server::Impl::Static(const Request& req) {
  if (static_files) {
    if (auto r = static_files->Serve(req)) return std::move(*r);
  } else if (req.method == "GET" || req.method == "HEAD") {
    if (req.path == "/") return TextReply(kStartPage, "text/html; charset=utf-8");
    if (req.path == "/start.css") return TextReply(kStartCss, "text/css; charset=utf-8");
  }
  return ToReply(req, MakeError(ErrorCode::kNotFound, "Adressen finns inte: " + req.path), 0);
}

Reply Server::Impl::Dispatch(Request& req) {
  if (options.trust_proxy) {
    // Behind a reverse proxy: the client's address and scheme as the proxy tells them.
    std::string fwd = req.get_header_value("X-Forwarded-For");
    if (!fwd.empty()) {
      size_t comma = fwd.rfind(',');
      std::string last = comma == std::string::npos ? fwd : fwd.substr(comma + 1);
      size_t b = last.find_first_not_of(' ');
      if (b != std::string::npos) req.remote_addr = last.substr(b);
    }
    if (req.get_header_value("X-Forwarded-Proto") == "https") req.tls = true;
  }
  const bool api = req.path.rfind("/api/", 0) == 0;
  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  Reply r;
  if (req.has_header("Range")) {
    r = ToReply(req,
                MakeError(ErrorCode::kInvalidArgument, "Range-huvuden stöds inte",
                          {{"Range", "stöds inte"}}),
                0);
    r.status = 416;
  } else {
    const Route* found = nullptr;
    std::string allow;
    std::vector<std::string> groups;
    for (const Route& route : route_table) {
      bool hit = route.literal ? route.pattern == req.path
                               : api && MatchRoutePattern(route.pattern, req.path, groups);
      if (!hit) continue;
      if (route.method == method) {
        found = &route;
        req.matches.assign({req.path});
        if (!route.literal) req.matches.insert(req.matches.end(), groups.begin(), groups.end());
        break;
      }
      allow += (allow.empty() ? "" : ", ") + route.method;
    }
    if (found) {
      r = found->handler(req);
    } else if (!allow.empty()) {
      r = ToReply(req,
                  MakeError(ErrorCode::kInvalidArgument,
                            req.method + " stöds inte för " + req.path + " (tillåtet: " + allow +
                                ")",
                            {{"method", "tillåtet: " + allow}}),
                  0);
      r.status = 405;
      r.set_header("Allow", allow);
    } else if (api) {
      r = ToReply(req, MakeError(ErrorCode::kNotFound, "Adressen finns inte: " + req.path), 0);
    } else {
      r = Static(req);
    }
  }
  // An accepted write makes every cached reply stale.
  if (method != "GET" && r.status < 400 && req.path.rfind("/api/v1/auth/", 0) != 0) {
    ++data_version;
    cache.Clear();
  }

  r.set_header("X-Content-Type-Options", "nosniff");
  r.set_header("X-Frame-Options", "DENY");
  r.set_header("Referrer-Policy", "same-origin");
  r.set_header("Content-Security-Policy",
               "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
  if (req.tls) r.set_header("Strict-Transport-Security", "max-age=31536000");
  const std::string etag = r.header("ETag");
  if (r.header("Cache-Control").empty()) {
    if (api) {
      // Revalidated with the ETag; never stored without one.
      r.set_header("Cache-Control", etag.empty() ? "no-store" : "private, no-cache");
    } else if (req.path.rfind("/assets/", 0) == 0) {
      r.set_header("Cache-Control", "public, max-age=31536000, immutable");
    } else {
      r.set_header("Cache-Control", "no-cache");
    }
  }
  if (r.status == 200 && !etag.empty() &&
      EtagMatches(req.get_header_value("If-None-Match"), etag)) {
    r.status = 304;
    r.body.clear();
    r.gzip_body.reset();
    return r;
  }
  if (r.status != 304 && Compressible(r.content_type)) {
    r.set_header("Vary", "Accept-Encoding");
    if (r.body.size() >= kGzipMinBytes && AcceptsGzip(req)) {
      r.body = r.gzip_body ? *r.gzip_body : Gzip(r.body);
      r.gzip_body.reset();
      r.set_header("Content-Encoding", "gzip");
      if (!etag.empty() && etag.rfind("W/", 0) != 0) r.set_header("ETag", "W/" + etag);
    }
  }
  return r;
}

Server::Server(app::System& system, ServerOptions options)
    : impl_(std::make_unique<Impl>(system, std::move(options))) {
  impl_->Routes();
  TransportOptions t;
  t.bind = impl_->options.bind;
  t.port = impl_->options.port;
  t.max_body_bytes = impl_->options.max_body_bytes;
  t.handler_threads = impl_->options.threads;
  t.io_threads = impl_->options.io_threads;
  t.max_connections = impl_->options.max_connections;
  t.header_timeout = std::chrono::seconds(impl_->options.header_timeout_s);
  t.idle_timeout = std::chrono::seconds(impl_->options.idle_timeout_s);
  t.body_timeout = std::chrono::seconds(impl_->options.body_timeout_s);
  Impl* impl = impl_.get();
  impl_->transport = std::make_unique<Transport>(
      t, [impl](Request& req) { return impl->Dispatch(req); },
      // Cheap enough for the I/O thread: the health check and the static files.
      [](const Request& req) {
        return req.path == "/api/v1/health" || req.path.rfind("/api/", 0) != 0;
      });
}

Server::~Server() { Stop(); }

Result<int> Server::Bind() { return impl_->transport->Bind(); }

std::vector<std::pair<std::string, std::string>> Server::routes() const { return impl_->routes; }

void Server::Run() { impl_->transport->Run(); }

void Server::Stop() { impl_->transport->Stop(); }

size_t Server::connections() const { return impl_->transport->connections(); }

}  // namespace est::http
