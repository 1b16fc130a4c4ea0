// Feedback to reporters and the weekly summary.
#include "app/feedback.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "app/document_parts.h"
#include "app/present.h"
#include "app/system_access.h"
#include "core/period.h"
#include "core/time.h"

namespace est::app {
namespace {

using nlohmann::json;

std::string ProblemStatusSv(ProblemStatus s) {
  return s == ProblemStatus::kOpen        ? "öppet"
         : s == ProblemStatus::kMonitored ? "bevakas"
                                          : "avslutat";
}

}  // namespace

Result<FeedbackIndex> FeedbackIndex::Load(System& sys) {
  FeedbackIndex idx;
  auto problems = internal::StoreOf(sys).ListProblems();
  if (!problems) return Fail(problems);
  auto actions = internal::StoreOf(sys).ListActions();
  if (!actions) return Fail(actions);
  idx.problems_ = std::move(*problems);
  idx.actions_ = std::move(*actions);
  for (const auto& p : idx.problems_) {
    for (ReportId r : p.reports) idx.by_report_[r.value].push_back(&p);
  }
  for (const auto& a : idx.actions_) {
    for (ProblemId p : a.problems) idx.by_problem_[p.value].push_back(&a);
  }
  return idx;
}

json FeedbackIndex::For(ReportId id, const app::Catalog& c) const {
  json problems = json::array(), actions = json::array();
  std::set<int64_t> seen;
  auto it = by_report_.find(id.value);
  if (it != by_report_.end()) {
    for (const Problem* p : it->second) {
      problems.push_back({{"id", p->id.value},
                          {"title", p->title},
                          {"status", ProblemStatusText(p->status)},
                          {"status_sv", ProblemStatusSv(p->status)}});
      auto a = by_problem_.find(p->id.value);
      if (a == by_problem_.end()) continue;
      for (const Action* x : a->second) {
        if (!seen.insert(x->id.value).second) continue;
        const Organisation* o = c.OrgById(x->owner);
        actions.push_back({{"id", x->id.value},
                           {"title", x->title},
                           {"status", ActionStatusText(x->status)},
                           {"status_sv", docs::ActionStatusSv(x->status)},
                           {"owner", o ? o->name : ""},
                           {"result", x->result}});
      }
    }
  }
  return {{"problems", problems}, {"actions", actions}};
}

Result<Message> SendWeeklySummary(System& sys, const std::string& org_code,
                                  const std::string& period_text, const store::Actor& actor) {
  auto cat = sys.catalog();
  const Organisation* org = cat->FindOrg(org_code);
  if (!org) return InvalidField("org", "okänd organisation \"" + org_code + "\"");
  std::string week =
      period_text.empty() ? FormatIsoWeek(ToIsoWeek(ToLocalDay(NowUnix()) - 7)) : period_text;
  auto period = ParsePeriod(week);
  if (!period || period->kind != PeriodKind::kWeek) {
    return InvalidField("period", "måste vara en ISO-vecka som 2026-W47");
  }
  LagesbildParams params;
  params.period = period->label();
  auto lb = sys.ComputeLagesbild(params);
  if (!lb) return Fail(lb);
  // The organisation's reports of the week and what came of them.
  store::ReportFilter f;
  f.from = period->StartUtc();
  f.to = LocalDayStartUtc(period->last + 1);
  f.orgs = {org->id};
  f.limit = 100000;
  auto own = internal::StoreOf(sys).ListReports(f);
  if (!own) return Fail(own);
  int reviewed = 0, rejected = 0, duplicate = 0, waiting = 0, linked = 0;
  auto fb = FeedbackIndex::Load(sys);
  if (!fb) return Fail(fb);
  for (const auto& r : *own) {
    switch (r.status) {
      case ReportStatus::kReviewed:
        ++reviewed;
        break;
      case ReportStatus::kRejected:
        ++rejected;
        break;
      case ReportStatus::kDuplicate:
        ++duplicate;
        break;
      case ReportStatus::kNew:
        ++waiting;
        break;
    }
    if (!fb->For(r.id, *cat)["problems"].empty()) ++linked;
  }
  auto actions = internal::StoreOf(sys).ListActions();
  if (!actions) return Fail(actions);
  std::string action_lines;
  for (const auto& a : *actions) {
    if (!IsOpen(a.status)) continue;
    bool partner = std::find(a.partners.begin(), a.partners.end(), org->id) != a.partners.end();
    if (a.owner != org->id && !partner) continue;
    action_lines += "• " + a.title + " (" + docs::ActionStatusSv(a.status) +
                    (a.follow_up.empty() ? "" : ", uppföljning " + a.follow_up) + ")\n";
  }
  Message m;
  m.org = org->id;
  m.period = period->label();
  m.title = "Veckans sammanfattning, " + period->label_sv();
  m.body =
      "Hela kommunen: " + std::to_string(lb->total) + " rapporter under " + period->label_sv() +
      " (" + std::to_string(lb->total_previous) +
      " veckan före). Tack för att ni rapporterar – varje rapport gör lägesbilden säkrare.\n\n" +
      org->name + " rapporterade " + std::to_string(own->size()) +
      " händelser: " + std::to_string(reviewed) + " granskade, " + std::to_string(waiting) +
      " väntar på granskning, " + std::to_string(duplicate) + " dubbletter och " +
      std::to_string(rejected) + " avvisade. " + std::to_string(linked) +
      " är kopplade till ett problem som samverkan arbetar med.\n\n" +
      (action_lines.empty() ? "Ni äger eller deltar inte i någon öppen insats just nu.\n"
                            : "Öppna insatser där ni äger eller deltar:\n" + action_lines);
  Result<int64_t> id = 0;
  {
    internal::WriteLock lock(sys);
    id = internal::Access::Writer(sys).InsertMessage(m.org, m.period, m.title, m.body, actor);
  }
  if (!id) return Fail(id);
  m.id = *id;
  m.created_at = NowUnix();
  m.created_by = actor.label;
  return m;
}

json MessageJson(const Message& m, const app::Catalog& c) {
  const Organisation* o = c.OrgById(m.org);
  return {{"id", m.id},
          {"org", o ? json{{"code", o->code}, {"name", o->name}} : json(nullptr)},
          {"period", m.period},
          {"title", m.title},
          {"body", m.body},
          {"created_at", FormatTimestamp(m.created_at)},
          {"created_by", m.created_by}};
}

}  // namespace est::app
