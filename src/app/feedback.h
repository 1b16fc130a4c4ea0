// Återkoppling: what came of the reports, for the reporters who sent them — each report's review
// status, the problems it is linked to and the actions answering those problems — and the
// weekly summary a coordinator sends to every reporter of an organisation (stored as a message
// the organisation's reporters read in EST; no e-mail leaves the system).
#ifndef EST_APP_FEEDBACK_H_
#define EST_APP_FEEDBACK_H_

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "app/system.h"

namespace est::app {

// The links of reports to problems and actions, built once per request.
class FeedbackIndex {
 public:
  static Result<FeedbackIndex> Load(System& sys);
  // {"problems": [{id, title, status}], "actions": [{id, title, status, owner}]} for the report.
  nlohmann::json For(ReportId id, const app::Catalog& catalog) const;

 private:
  std::map<int64_t, std::vector<const Problem*>> by_report_;
  std::map<int64_t, std::vector<const Action*>> by_problem_;
  std::vector<Problem> problems_;
  std::vector<Action> actions_;
};

struct Message {
  int64_t id = 0;
  OrgId org;
  std::string period;
  std::string title;
  std::string body;  // plain Swedish text, paragraphs separated by blank lines
  UnixSeconds created_at = 0;
  std::string created_by;
};

// Writes and stores the week's summary for the organisation's reporters: the municipality's
// picture in three lines, what the organisation reported and what came of it (reviewed,
// rejected, linked to problems), and the open actions it owns or takes part in. Errors name
// "org" or "period".
Result<Message> SendWeeklySummary(System& sys, const std::string& org, const std::string& period,
                                  const store::Actor& actor);

nlohmann::json MessageJson(const Message& m, const app::Catalog& catalog);

}  // namespace est::app

#endif  // EST_APP_FEEDBACK_H_
