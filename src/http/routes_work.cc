// Routes of the work after the picture: meetings, the agenda, problems, actions and their
// evaluation, documents, feedback (weekly summaries and messages).
#include "app/access.h"
#include "app/documents.h"
#include "app/evaluation.h"
#include "app/feedback.h"
#include "app/present.h"
#include "app/queries.h"
#include "app/work.h"
#include "core/period.h"
#include "core/time.h"
#include "http/server_impl.h"
#include "http/work_json.h"
#include "report/writers.h"

namespace est::http {

namespace {

bool CanPlan(const Caller& c) { return c.Is({Role::kCoordinator, Role::kAdmin}); }

// What the routes of a piece of the weekly work (meetings, problems, actions) share: a POST to
// the collection that creates one and a GET of one by id; for meetings and problems also the PATCH
// (the actions' has per-field rights). Only coordinators and administrators write.
template <class Item, class Input, class Id>
struct WorkResource {
  using IdType = Id;
  std::string path;       // the collection, e.g. "/api/v1/meetings"
  std::string forbidden;  // the 403's text for anyone else
  std::string not_found;  // the 404's text
  Result<Input> (*parse)(const json& body, int* version);
  Result<Item> (*create)(app::System&, const Input&, const store::Actor&);
  Result<std::optional<Item>> (*get)(const app::System&, Id);
  Result<Item> (*update)(app::System&, Id, const Input&, int, const store::Actor&);  // or null
  json (*to_json)(const Item&, const app::Catalog&);
};

json ActionJsonToday(const Action& a, const app::Catalog& cat) {
  return app::ActionJson(a, cat, app::TodayText());
}

}  // namespace

template <class Resource>
void Server::Impl::AddWorkResource(const Resource& r) {
  using Id = typename Resource::IdType;
  Post(r.path, Authed([this, r](const Request& req, const Caller& c) -> Result<Reply> {
    if (!CanPlan(c)) return Forbidden(r.forbidden);
    auto body = ParseJsonBody(req);
    if (!body) return tl::unexpected(body.error());
    auto in = r.parse(*body, nullptr);
    if (!in) return tl::unexpected(in.error());
    auto item = r.create(sys, *in, c.actor());
    if (!item) return tl::unexpected(item.error());
    return JsonReply(r.to_json(*item, *sys.catalog()), 201);
  }));
  const std::string one = r.path + R"(/(\d+))";
  Get(one, Authed([this, r](const Request& req, const Caller&) -> Result<Reply> {
    auto id = PathId(req);
    if (!id) return tl::unexpected(id.error());
    auto item = r.get(sys, Id{*id});
    if (!item) return tl::unexpected(item.error());
    if (!*item) return MakeError(ErrorCode::kNotFound, r.not_found);
    return JsonReply(r.to_json(**item, *sys.catalog()));
  }));
  if (!r.update) return;
  Patch(one, Authed([this, r](const Request& req, const Caller& c) -> Result<Reply> {
    if (!CanPlan(c)) return Forbidden(r.forbidden);
    auto id = PathId(req);
    if (!id) return tl::unexpected(id.error());
    auto body = ParseJsonBody(req);
    if (!body) return tl::unexpected(body.error());
    int version = 0;
    auto in = r.parse(*body, &version);
    if (!in) return tl::unexpected(in.error());
    auto item = r.update(sys, Id{*id}, *in, version, c.actor());
    if (!item) return tl::unexpected(item.error());
    return JsonReply(r.to_json(*item, *sys.catalog()));
  }));
}

void Server::Impl::WorkRoutes() {
  // The history of a meeting, problem or action: every change with who, when, before and after.
  for (const char* entity : {"meeting", "problem", "action"}) {
    std::string path = std::string("/api/v1/") + entity + "s/(\\d+)/history";
    std::string name = entity;
    Get(path, Authed([this, name](const Request& req, const Caller&) -> Result<Reply> {
          auto id = PathId(req);
          if (!id) return tl::unexpected(id.error());
          auto list = app::ListAuditFor(sys, name, std::to_string(*id));
          if (!list) return tl::unexpected(list.error());
          if (list->empty()) return MakeError(ErrorCode::kNotFound, "Finns inte");
          json items = json::array();
          for (const auto& e : *list) items.push_back(app::HistoryEntryJson(e));
          return JsonReply({{"items", items}});
        }));
  }

  // Meetings: everyone signed in reads; coordinators and administrators write.
  Get("/api/v1/meetings", Authed([this](const Request&, const Caller&) -> Result<Reply> {
        auto list = app::ListMeetings(sys);
        if (!list) return tl::unexpected(list.error());
        auto cat = sys.catalog();
        json items = json::array();
        for (const auto& m : *list) items.push_back(app::MeetingJson(m, *cat));
        return JsonReply({{"items", items}});
      }));
  AddWorkResource(WorkResource<Meeting, app::MeetingInput, MeetingId>{
                             "/api/v1/meetings",
                             "Bara samordnare och administratörer för protokoll",
                             "Mötet finns inte", MeetingInputFromJson, app::CreateMeeting,
                             app::GetMeeting, app::UpdateMeeting, app::MeetingJson});
  Get("/api/v1/agenda",
      Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
        std::string period = req.get_param_value("period");
        if (period.empty()) return InvalidField("period", "saknas (t.ex. 2026-W47)");
        auto a = app::ComputeAgenda(sys, period, app::AudienceOf(c.user));
        if (!a) return tl::unexpected(a.error());
        return JsonReply(app::AgendaJson(*a, *sys.catalog(), app::TodayText()));
      }));

  // Problems.
  Get("/api/v1/problems",
      Authed([this](const Request& req, const Caller&) -> Result<Reply> {
        auto list = app::ListProblems(sys);
        if (!list) return tl::unexpected(list.error());
        std::string status = req.get_param_value("status");
        auto cat = sys.catalog();
        json items = json::array();
        for (const auto& p : *list) {
          if (!status.empty() && ProblemStatusText(p.status) != status) continue;
          items.push_back(app::ProblemJson(p, *cat));
        }
        return JsonReply({{"items", items}});
      }));
  AddWorkResource(WorkResource<Problem, app::ProblemInput, ProblemId>{
                             "/api/v1/problems",
                             "Bara samordnare och administratörer hanterar problem",
                             "Problemet finns inte", ProblemInputFromJson, app::CreateProblem,
                             app::GetProblem, app::UpdateProblem, app::ProblemJson});

  // Actions: coordinators and administrators create and change; the owner organisation's lead
  // changes only the status and result of its own actions (app::ActionRightsOf).
  Get("/api/v1/actions",
      Authed([this](const Request& req, const Caller&) -> Result<Reply> {
        auto list = app::ListActions(sys);
        if (!list) return tl::unexpected(list.error());
        std::string status = req.get_param_value("status");  // a status, "open" or "overdue"
        std::string owner = req.get_param_value("owner");
        auto cat = sys.catalog();
        std::optional<OrgId> owner_id;
        if (!owner.empty()) {
          const Organisation* o = cat->FindOrg(owner);
          if (!o) return InvalidField("owner", "okänd organisation \"" + owner + "\"");
          owner_id = o->id;
        }
        std::string today = app::TodayText();
        json items = json::array();
        for (const auto& a : *list) {
          if (owner_id && a.owner != *owner_id) continue;
          bool open = IsOpen(a.status);
          if (status == "open" && !open) continue;
          if (status == "overdue" && !(open && !a.follow_up.empty() && a.follow_up < today)) {
            continue;
          }
          if (!status.empty() && status != "open" && status != "overdue" &&
              ActionStatusText(a.status) != status) {
            continue;
          }
          items.push_back(app::ActionJson(a, *cat, today));
        }
        return JsonReply({{"items", items}});
      }));
  AddWorkResource(WorkResource<Action, app::ActionInput, ActionId>{
                             "/api/v1/actions", "Bara samordnare och administratörer skapar insatser",
                             "Insatsen finns inte", ActionInputFromJson, app::CreateAction,
                             app::GetAction, nullptr, ActionJsonToday});
  Get(R"(/api/v1/actions/(\d+)/evaluation)",
      Authed([this](const Request& req, const Caller&) -> Result<Reply> {
        auto id = PathId(req);
        if (!id) return tl::unexpected(id.error());
        auto a = app::GetAction(sys, ActionId{*id});
        if (!a) return tl::unexpected(a.error());
        if (!*a) return MakeError(ErrorCode::kNotFound, "Insatsen finns inte");
        auto e = app::EvaluateAction(sys, **a);
        if (!e) return tl::unexpected(e.error());
        return JsonReply(app::EvaluationJson(*e, *sys.catalog()));
      }));
  Patch(R"(/api/v1/actions/(\d+))",
        Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
          auto id = PathId(req);
          if (!id) return tl::unexpected(id.error());
          auto cur = app::GetAction(sys, ActionId{*id});
          if (!cur) return tl::unexpected(cur.error());
          app::ActionRights rights =
              *cur ? app::ActionRightsOf(c.user, **cur) : app::ActionRights::kNone;
          if (rights == app::ActionRights::kNone && !CanPlan(c)) {
            return Forbidden(
                "Bara samordnare, administratörer och den ägande organisationens ledning "
                "ändrar insatsen");
          }
          auto body = ParseJsonBody(req);
          if (!body) return tl::unexpected(body.error());
          int version = 0;
          auto in = ActionInputFromJson(*body, &version);
          if (!in) return tl::unexpected(in.error());
          // Per-field rights (an organisation lead: status and result) are the app's rule.
          auto a = app::UpdateAction(sys, ActionId{*id}, *in, version, c.actor(),
                                     CanPlan(c) ? app::ActionRights::kAll : rights);
          if (!a) return tl::unexpected(a.error());
          return JsonReply(app::ActionJson(*a, *sys.catalog(), app::TodayText()));
        }));
  // Documents: drafts rendered from today's figures; published ones frozen and versioned.
  auto doc_request = [](const Request& req) -> Result<app::DocumentRequest> {
    app::DocumentRequest r;
    r.kind = req.get_param_value("kind");
    r.period = req.get_param_value("period");
    r.org = req.get_param_value("org");
    if (req.has_param("year")) {
      auto y = IntParam(req, "year", 0, 2000, 2100);
      if (!y) return tl::unexpected(y.error());
      r.year = static_cast<int>(*y);
    }
    return r;
  };
  auto render = [](const report::Document& d, const Request& req) -> Result<Reply> {
    std::string f = req.get_param_value("format");
    auto format = report::ParseFormat(f.empty() ? "pdf" : f);
    if (!format) return tl::unexpected(format.error());
    auto bytes = report::Render(d, *format);
    if (!bytes) return tl::unexpected(bytes.error());
    Reply r;
    r.body = std::move(*bytes);
    r.content_type = std::string(report::ContentType(*format));
    std::string name = d.kind + "-" + (d.period.empty() ? "rapport" : d.period) +
                       (d.version > 0 ? "-v" + std::to_string(d.version) : "") + "." +
                       std::string(report::Extension(*format));
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
    return r;
  };
  Get("/api/v1/documents/draft",
      Authed([this, doc_request, render](const Request& req,
                                         const Caller& c) -> Result<Reply> {
        auto r = doc_request(req);
        if (!r) return tl::unexpected(r.error());
        auto d = app::BuildDocument(sys, *r, nullptr, app::AudienceOf(c.user));
        if (!d) return tl::unexpected(d.error());
        return render(*d, req);
      }));
  Get("/api/v1/documents", Authed([this](const Request&, const Caller&) -> Result<Reply> {
        auto list = app::ListDocuments(sys);
        if (!list) return tl::unexpected(list.error());
        json items = json::array();
        for (const auto& d : *list) items.push_back(app::StoredDocumentJson(d));
        return JsonReply({{"items", items}});
      }));
  Post("/api/v1/documents",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!c.Is({Role::kCoordinator, Role::kAdmin})) {
           return Forbidden("Bara samordnare och administratörer publicerar dokument");
         }
         auto body = ParseJsonBody(req);
         if (!body) return tl::unexpected(body.error());
         Fields f(*body, "", {"kind", "period", "year", "org"});
         app::DocumentRequest r;
         r.kind = f.Str("kind").value_or("");
         r.period = f.Str("period").value_or("");
         r.year = f.Int("year").value_or(0);
         r.org = f.Str("org").value_or("");
         f.Require("kind", !r.kind.empty());
         if (!f.errors().empty()) {
           return MakeError(ErrorCode::kInvalidArgument, "Dokumentet är ogiltigt", f.errors());
         }
         auto p = app::PublishDocument(sys, r, c.actor());
         if (!p) return tl::unexpected(p.error());
         return JsonReply({{"id", p->id},
                           {"kind", p->kind},
                           {"period", p->period},
                           {"org", p->org},
                           {"version", p->version},
                           {"published_at", p->published_at},
                           {"published_by", p->published_by},
                           {"title", p->document.title}},
                          201);
       }));
  Get(R"(/api/v1/documents/(\d+))",
      Authed([this, render](const Request& req, const Caller&) -> Result<Reply> {
        auto id = PathId(req);
        if (!id) return tl::unexpected(id.error());
        auto d = app::GetDocument(sys, *id);
        if (!d) return tl::unexpected(d.error());
        if (!*d) return MakeError(ErrorCode::kNotFound, "Dokumentet finns inte");
        auto doc = report::DocumentFromJson(json::parse((*d)->data, nullptr, false));
        if (!doc) return tl::unexpected(doc.error());
        return render(*doc, req);
      }));
  // Feedback: the weekly summary to an organisation's reporters, and their messages.
  Post("/api/v1/summaries",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!c.Is({Role::kCoordinator, Role::kAdmin})) {
           return Forbidden("Bara samordnare och administratörer skickar sammanfattningar");
         }
         auto body = ParseJsonBody(req);
         if (!body) return tl::unexpected(body.error());
         Fields f(*body, "", {"org", "period"});
         std::string org = f.Str("org").value_or("");
         std::string period = f.Str("period").value_or("");
         if (!f.errors().empty()) {
           return MakeError(ErrorCode::kInvalidArgument, "Begäran är ogiltig", f.errors());
         }
         std::vector<std::string> orgs;
         if (!org.empty()) {
           orgs.push_back(org);
         } else {
           // Every organisation that has a reporter account.
           auto reporters = app::OrgsWithReporters(sys);
           if (!reporters) return tl::unexpected(reporters.error());
           orgs = std::move(*reporters);
         }
         json items = json::array();
         for (const auto& code : orgs) {
           auto m = app::SendWeeklySummary(sys, code, period, c.actor());
           if (!m) return tl::unexpected(m.error());
           items.push_back(app::MessageJson(*m, *sys.catalog()));
         }
         return JsonReply({{"items", items}}, 201);
       }));
  Get("/api/v1/messages",
      Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
        std::optional<OrgId> org;
        auto cat = sys.catalog();
        if (auto scope = app::ActingScope(c.user)) {
          org = *scope;
        } else if (req.has_param("org")) {
          const Organisation* o = cat->FindOrg(req.get_param_value("org"));
          if (!o) return InvalidField("org", "okänd organisation");
          org = o->id;
        }
        auto list = app::ListMessages(sys, org, 50);
        if (!list) return tl::unexpected(list.error());
        json items = json::array();
        for (const auto& m : *list) {
          app::Message msg{m.id, m.org, m.period, m.title, m.body, m.created_at, m.created_by};
          items.push_back(app::MessageJson(msg, *cat));
        }
        return JsonReply({{"items", items}});
      }));
}

}  // namespace est::http
