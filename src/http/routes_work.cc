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

}  // namespace

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
  Post("/api/v1/meetings",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!CanPlan(c)) return Forbidden("Bara samordnare och administratörer för protokoll");
         auto body = ParseJsonBody(req);
         if (!body) return tl::unexpected(body.error());
         auto in = MeetingInputFromJson(*body, nullptr);
         if (!in) return tl::unexpected(in.error());
         auto m = app::CreateMeeting(sys, *in, c.actor());
         if (!m) return tl::unexpected(m.error());
         return JsonReply(app::MeetingJson(*m, *sys.catalog()), 201);
       }));
  Get(R"(/api/v1/meetings/(\d+))",
      Authed([this](const Request& req, const Caller&) -> Result<Reply> {
        auto id = PathId(req);
        if (!id) return tl::unexpected(id.error());
        auto m = app::GetMeeting(sys, MeetingId{*id});
        if (!m) return tl::unexpected(m.error());
        if (!*m) return MakeError(ErrorCode::kNotFound, "Mötet finns inte");
        return JsonReply(app::MeetingJson(**m, *sys.catalog()));
      }));
  Patch(R"(/api/v1/meetings/(\d+))",
        Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
          if (!CanPlan(c)) return Forbidden("Bara samordnare och administratörer för protokoll");
          auto id = PathId(req);
          if (!id) return tl::unexpected(id.error());
          auto body = ParseJsonBody(req);
          if (!body) return tl::unexpected(body.error());
          int version = 0;
          auto in = MeetingInputFromJson(*body, &version);
          if (!in) return tl::unexpected(in.error());
          auto m = app::UpdateMeeting(sys, MeetingId{*id}, *in, version, c.actor());
          if (!m) return tl::unexpected(m.error());
          return JsonReply(app::MeetingJson(*m, *sys.catalog()));
        }));
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
  Post("/api/v1/problems",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!CanPlan(c)) return Forbidden("Bara samordnare och administratörer hanterar problem");
         auto body = ParseJsonBody(req);
         if (!body) return tl::unexpected(body.error());
         auto in = ProblemInputFromJson(*body, nullptr);
         if (!in) return tl::unexpected(in.error());
         auto p = app::CreateProblem(sys, *in, c.actor());
         if (!p) return tl::unexpected(p.error());
         return JsonReply(app::ProblemJson(*p, *sys.catalog()), 201);
       }));
  Get(R"(/api/v1/problems/(\d+))",
      Authed([this](const Request& req, const Caller&) -> Result<Reply> {
        auto id = PathId(req);
        if (!id) return tl::unexpected(id.error());
        auto p = app::GetProblem(sys, ProblemId{*id});
        if (!p) return tl::unexpected(p.error());
        if (!*p) return MakeError(ErrorCode::kNotFound, "Problemet finns inte");
        return JsonReply(app::ProblemJson(**p, *sys.catalog()));
      }));
  Patch(R"(/api/v1/problems/(\d+))",
        Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
          if (!CanPlan(c)) return Forbidden("Bara samordnare och administratörer hanterar problem");
          auto id = PathId(req);
          if (!id) return tl::unexpected(id.error());
          auto body = ParseJsonBody(req);
          if (!body) return tl::unexpected(body.error());
          int version = 0;
          auto in = ProblemInputFromJson(*body, &version);
          if (!in) return tl::unexpected(in.error());
          auto p = app::UpdateProblem(sys, ProblemId{*id}, *in, version, c.actor());
          if (!p) return tl::unexpected(p.error());
          return JsonReply(app::ProblemJson(*p, *sys.catalog()));
        }));

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
  Post("/api/v1/actions",
       Authed([this](const Request& req, const Caller& c) -> Result<Reply> {
         if (!CanPlan(c)) return Forbidden("Bara samordnare och administratörer skapar insatser");
         auto body = ParseJsonBody(req);
         if (!body) return tl::unexpected(body.error());
         auto in = ActionInputFromJson(*body, nullptr);
         if (!in) return tl::unexpected(in.error());
         auto a = app::CreateAction(sys, *in, c.actor());
         if (!a) return tl::unexpected(a.error());
         return JsonReply(app::ActionJson(*a, *sys.catalog(), app::TodayText()), 201);
       }));
  Get(R"(/api/v1/actions/(\d+))",
      Authed([this](const Request& req, const Caller&) -> Result<Reply> {
        auto id = PathId(req);
        if (!id) return tl::unexpected(id.error());
        auto a = app::GetAction(sys, ActionId{*id});
        if (!a) return tl::unexpected(a.error());
        if (!*a) return MakeError(ErrorCode::kNotFound, "Insatsen finns inte");
        return JsonReply(app::ActionJson(**a, *sys.catalog(), app::TodayText()));
      }));
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
