// The documents EST writes (report::Document, rendered by report/writers.h), built from the same
// figures the screens show:
//   weekly       — the week's lägesbild for the meeting (changes, categories, areas with a map,
//                  the trend, hotspots, open actions, coverage);
//   analysis     — the tertial/quarter analysis (areas ranked by need and by possibility to
//                  influence with their reasons, trends, hotspots over time, problems);
//   annual       — one committee's or company's outcome section for its budget and annual report
//                  (its actions, their status and effect, its reporting);
//   municipality — the municipality-wide compilation of all of them;
//   statutory    — the lägesbild and åtgärdsplan of Lag (2023:196) (mapping, other information,
//                  analysis, actions traced to the problems they answer, follow-up).
// Publishing freezes a document: its JSON is stored with a version number and later renders
// read it back, so late reports never change a published document.
#ifndef EST_APP_DOCUMENTS_H_
#define EST_APP_DOCUMENTS_H_

#include <string>
#include <vector>

#include "app/system.h"
#include "report/document.h"

namespace est::app {

struct DocumentRequest {
  std::string kind;    // weekly, analysis, annual, municipality, statutory
  std::string period;  // weekly: a week (default: last complete week); analysis: a tertial or
                       // quarter (default: the last complete tertial)
  int year = 0;        // annual, municipality, statutory (default: this year)
  std::string org;     // annual: the organisation's code (required)
};

// Errors: kInvalidArgument naming "kind", "period", "year" or "org".
// For a limited `audience` (a draft for a reporter, app/disclosure.h) the weekly hot cells and
// the analysis' hotspots over time follow the disclosure rule; published documents are built for
// everyone.
Result<report::Document> BuildDocument(System& sys, const DocumentRequest& request,
                                       const ProgressFn& progress = nullptr,
                                       const Audience& audience = Audience{});

// A published, frozen document.
struct PublishedDocument {
  int64_t id = 0;
  std::string kind, period, org;
  int version = 0;
  std::string published_at, published_by;
  report::Document document;
};

// Builds the document, numbers it (1 + the latest version of the same kind, period and org) and
// stores it with an audit entry.
Result<PublishedDocument> PublishDocument(System& sys, const DocumentRequest& request,
                                          const store::Actor& actor);

}  // namespace est::app

#endif  // EST_APP_DOCUMENTS_H_
