// Request bodies of the meeting, problem and action routes → typed inputs of app/work.h.
// Unknown fields and wrong types are errors that name the field (private to the http module).
#ifndef EST_HTTP_WORK_JSON_H_
#define EST_HTTP_WORK_JSON_H_

#include <nlohmann/json_fwd.hpp>

#include "app/work.h"

namespace est::http {

// `version` (required on PATCH) is returned through `version` when not null.
Result<app::MeetingInput> MeetingInputFromJson(const nlohmann::json& body, int* version);
Result<app::ProblemInput> ProblemInputFromJson(const nlohmann::json& body, int* version);
Result<app::ActionInput> ActionInputFromJson(const nlohmann::json& body, int* version);

}  // namespace est::http

#endif  // EST_HTTP_WORK_JSON_H_
