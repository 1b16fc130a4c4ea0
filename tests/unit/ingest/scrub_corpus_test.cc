// Recall and precision of the personal-data scrubber on a labelled corpus of safety-report
// snippets (tests/data/scrub_corpus.txt: [[kind:text]] marks what must go, the rest must stay).
//
// Span level, by containment:
//   - a labelled span is found (recall) when every byte of it, trimmed of surrounding spaces and
//     punctuation, lies inside removed spans;
//   - a removed span is right (precision) when it, trimmed the same way, lies inside one labelled
//     span (a removed "Anna" and "Svensson" inside [[namn:Anna Svensson]] are two right spans).
// The kind is not judged: a phone number reported as a passport number is still removed.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/scrub.h"

namespace est::ingest {
namespace {

struct Labelled {
  size_t begin;
  size_t end;
  std::string kind;
};

struct Snippet {
  int line = 0;
  std::string text;
  std::vector<Labelled> labels;
};

std::vector<Snippet> ReadCorpus() {
  std::ifstream in(std::string(EST_TEST_DATA_DIR) + "/scrub_corpus.txt");
  std::vector<Snippet> out;
  std::string raw;
  int line = 0;
  while (std::getline(in, raw)) {
    ++line;
    if (raw.empty() || raw[0] == '#') continue;
    Snippet s;
    s.line = line;
    size_t i = 0;
    while (i < raw.size()) {
      size_t open = raw.find("[[", i);
      if (open == std::string::npos) {
        s.text += raw.substr(i);
        break;
      }
      s.text += raw.substr(i, open - i);
      size_t colon = raw.find(':', open);
      size_t close = raw.find("]]", open);
      EXPECT_TRUE(colon != std::string::npos && close != std::string::npos && colon < close)
          << "line " << line;
      if (colon == std::string::npos || close == std::string::npos || colon > close) break;
      const size_t begin = s.text.size();
      s.text += raw.substr(colon + 1, close - colon - 1);
      s.labels.push_back({begin, s.text.size(), raw.substr(open + 2, colon - open - 2)});
      i = close + 2;
    }
    out.push_back(std::move(s));
  }
  return out;
}

bool Trimmable(char c) {
  return c == ' ' || c == ',' || c == '.' || c == ':' || c == ';' || c == '(' || c == ')';
}

void Trim(const std::string& t, size_t& b, size_t& e) {
  while (b < e && Trimmable(t[b])) ++b;
  while (e > b && Trimmable(t[e - 1])) --e;
}

// The municipality's own names, as a catalog gives them (Catalog::scrub_exclusions).
ScrubExclusions TestCatalogNames() {
  return ScrubExclusions({"Sollentuna kommun", "Tureberg", "Tureberg C", "Sjöberg", "Edsberg",
                          "Häggvik", "Helenelund", "Rotebro", "Norrviken", "Viby", "Vaxmora",
                          "Kummelby", "Sollentuna centrum", "Sollentunahem",
                          "Polisen LPO Sollentuna", "Securitas", "Fältgruppen"});
}

TEST(ScrubCorpus, RecallAndPrecisionAreAtLeast95Percent) {
  const std::vector<Snippet> corpus = ReadCorpus();
  ASSERT_GE(corpus.size(), 300u);
  const ScrubExclusions keep = TestCatalogNames();

  std::map<std::string, std::pair<int, int>> recall_by_kind;     // found, labelled
  std::map<std::string, std::pair<int, int>> precision_by_kind;  // right, removed
  int labelled = 0, found = 0, removed = 0, right = 0, negatives = 0, clean_negatives = 0;
  std::ostringstream misses;
  for (const Snippet& s : corpus) {
    ScrubResult r = ScrubPersonalData(s.text, keep);
    std::vector<bool> gone(s.text.size(), false);
    for (const ScrubSpan& sp : r.spans) {
      for (size_t k = sp.begin; k < sp.end; ++k) gone[k] = true;
    }
    for (const Labelled& l : s.labels) {
      size_t b = l.begin, e = l.end;
      Trim(s.text, b, e);
      bool all = true;
      for (size_t k = b; k < e; ++k) all = all && gone[k];
      ++labelled;
      ++recall_by_kind[l.kind].second;
      if (all) {
        ++found;
        ++recall_by_kind[l.kind].first;
      } else {
        misses << "  missed " << l.kind << " \"" << s.text.substr(l.begin, l.end - l.begin)
               << "\" (line " << s.line << "): " << r.text << "\n";
      }
    }
    for (const ScrubSpan& sp : r.spans) {
      size_t b = sp.begin, e = sp.end;
      Trim(s.text, b, e);
      bool inside = false;
      for (const Labelled& l : s.labels) inside = inside || (b >= l.begin && e <= l.end);
      ++removed;
      ++precision_by_kind[std::string(sp.kind)].second;
      if (inside) {
        ++right;
        ++precision_by_kind[std::string(sp.kind)].first;
      } else {
        misses << "  wrongly removed " << sp.kind << " \""
               << s.text.substr(sp.begin, sp.end - sp.begin) << "\" (line " << s.line
               << "): " << s.text << "\n";
      }
    }
    if (s.labels.empty()) {
      ++negatives;
      if (r.text == s.text) ++clean_negatives;
    }
    // The text is the input with each span replaced: nothing else changes.
    EXPECT_EQ(r.removed.empty(), r.text == s.text) << "line " << s.line;
  }
  const double recall = labelled ? static_cast<double>(found) / labelled : 0;
  const double precision = removed ? static_cast<double>(right) / removed : 0;
  std::printf("scrub corpus: %zu snippets (%d without personal data, %d of them untouched)\n",
              corpus.size(), negatives, clean_negatives);
  std::printf("recall    %.3f (%d of %d labelled spans)\n", recall, found, labelled);
  std::printf("precision %.3f (%d of %d removed spans)\n", precision, right, removed);
  for (const auto& [kind, fl] : recall_by_kind) {
    std::printf("  recall %-8s %3d/%3d\n", kind.c_str(), fl.first, fl.second);
  }
  for (const auto& [kind, rr] : precision_by_kind) {
    std::printf("  precision %-20s %3d/%3d\n", kind.c_str(), rr.first, rr.second);
  }
  std::printf("%s", misses.str().c_str());
  EXPECT_GE(recall, 0.95);
  EXPECT_GE(precision, 0.95);
  // Every kind is in the corpus often enough to be measured.
  for (const char* kind : {"namn", "adress", "tel", "pnr", "epost", "regnr", "ip", "pass"}) {
    EXPECT_GE(recall_by_kind[kind].second, 8) << kind;
  }
  EXPECT_GE(negatives, 100);
}

}  // namespace
}  // namespace est::ingest
