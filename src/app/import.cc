// The CSV import of reports: the file is planned into ~2 MB pieces that worker threads parse,
// validate and locate while the calling thread inserts them, in order, into one transaction
// (store::ReportImport). Nothing is written unless every row is valid (or skip_invalid).
#include "app/system.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_set>

#include "app/use_case_util.h"
#include "core/password.h"
#include "core/text.h"
#include "geo/area_index.h"
#include "geo/crs.h"
#include "geo/geojson.h"
#include "geo/validate.h"
#include "ingest/scrub.h"

namespace est::app {
namespace {

// The code of an entry created for a name in an import: the name itself when it is a valid code
// ("otrygg_entre" stays "otrygg_entre", so the user's own code works in --category), else a code
// made from it ("Väktarna AB" -> "vaktarna-ab").
std::string CodeFor(const std::string& name) {
  return ValidateCode("code", name).empty() ? name : MakeCode(name);
}

// `code`, or code_2, code_3 ... when `taken`: a name unknown to the catalog may still make a code
// that is in use ("Vakt AB" -> "vakt-ab"), and failing then would leave the entries created so
// far without importing the file.
std::string FreeCode(const std::string& code,
                     const std::function<bool(const std::string&)>& taken) {
  std::string out = code;
  for (int n = 2; taken(out); ++n) out = code + "_" + std::to_string(n);
  return out;
}

// The data rows are parsed and judged in pieces of about this size (~20 000 rows) on worker
// threads while the calling thread inserts the pieces before them: memory stays flat and SQLite,
// which is single-writer, runs alongside validation.
constexpr size_t kPieceBytes = size_t{2} << 20;

// A category or organisation named in the file but unknown to the catalog.
struct UnknownRef {
  std::string key;  // FoldKey of the spelling
  std::string spelling;
  int row = 0;
};

// What the workers make of one piece.
struct PieceResult {
  Status parsed;
  int64_t rows = 0;
  int64_t scrubbed = 0;
  std::vector<Report> reports;                   // the valid rows, in file order
  std::vector<analysis::EngineRow> engine_rows;  // with make_engine_rows: one per report
  std::vector<RejectedRow> rejected;             // the invalid rows, with their fields
  std::vector<UnknownRef> unknown_cats, unknown_orgs;
  std::vector<std::string> used_cats, used_orgs;  // FoldKeys named by valid rows (if asked)
  std::string reparse_error;  // pass over accepted rows: a row that no longer resolves
  double work_ms = 0;         // time the worker spent on the piece
};

using Clock = std::chrono::steady_clock;
double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

struct PassConfig {
  const app::Catalog* known = nullptr;     // unknown categories/orgs are looked up here
  const app::Catalog* judge = nullptr;     // rows are resolved against this
  bool resolve = true;                     // false: only collect unknowns
  bool collect_used = false;
  bool make_engine_rows = false;  // the inserting pass: the engine's rows, made on the workers
  const std::vector<int>* skip_rows = nullptr;  // sorted row numbers judged invalid before
  std::optional<UserId> reporter;
  UnixSeconds now = 0;
};

PieceResult RunPiece(std::string_view text, const ingest::CsvPlan& plan, size_t piece,
                     const ingest::CsvOptions& csv, const PassConfig& config) {
  const auto t0 = Clock::now();
  PieceResult out;
  std::string prefix;
  out.parsed = ingest::ParseReportsCsvPiece(text, plan, piece, csv, [&](ingest::CsvRowView& v) {
    const ingest::ReportInput& in = v.input;
    if (config.skip_rows &&
        std::binary_search(config.skip_rows->begin(), config.skip_rows->end(), v.row)) {
      return;
    }
    ++out.rows;
    // The first spelling in the file names a new entry.
    if (!in.category.empty() && !config.known->FindCategory(in.category)) {
      out.unknown_cats.push_back({ingest::FoldKey(in.category), in.category, v.row});
    }
    if (!in.org.empty() && !config.known->FindOrg(in.org)) {
      out.unknown_orgs.push_back({ingest::FoldKey(in.org), in.org, v.row});
    }
    if (!config.resolve) return;
    std::vector<FieldError>& errs = v.errors;
    prefix = csv.row_word + " " + std::to_string(v.row - csv.row_offset) + ": ";
    for (auto& e : errs) {
      if (e.field.rfind(csv.row_word + " ", 0) != 0) e.field = prefix + e.field;
    }
    auto resolved = ingest::ResolveReport(in, *config.judge, config.now, errs, prefix);
    if (!errs.empty()) {
      if (config.skip_rows && out.reparse_error.empty()) {
        out.reparse_error =
            csv.row_word + " " + std::to_string(v.row - csv.row_offset) + " kunde inte tolkas om";
      }
      out.rejected.push_back(
          {v.row, std::vector<std::string>(v.fields.begin(), v.fields.end()), std::move(errs)});
      errs.clear();
      return;
    }
    if (config.collect_used) {
      out.used_cats.push_back(ingest::FoldKey(in.category));
      out.used_orgs.push_back(ingest::FoldKey(in.org));
    }
    if (!resolved->scrubbed.empty()) ++out.scrubbed;
    resolved->report.reporter = config.reporter;
    out.reports.push_back(std::move(resolved->report));
  });
  if (config.make_engine_rows) {
    out.engine_rows.reserve(out.reports.size());
    for (const Report& r : out.reports) out.engine_rows.push_back(analysis::Engine::RowOf(r));
  }
  out.work_ms = MsSince(t0);
  return out;
}

// Runs `work(i)` for i in [0, n) on worker threads and hands the results to `consume` in order on
// the calling thread, at most a few pieces ahead. `consume` returns false to stop early.
void RunOrdered(size_t n, const std::function<PieceResult(size_t)>& work,
                const std::function<bool(size_t, PieceResult&)>& consume) {
  unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  if (n <= 1) {
    for (size_t i = 0; i < n; ++i) {
      PieceResult r = work(i);
      if (!consume(i, r)) return;
    }
    return;
  }
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::optional<PieceResult>> results(n);
  size_t next = 0;
  size_t consumed = 0;
  bool stop = false;
  const size_t window = 2 * static_cast<size_t>(threads) + 1;
  auto worker = [&] {
    for (;;) {
      size_t i;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return stop || next >= n || next < consumed + window; });
        if (stop || next >= n) return;
        i = next++;
      }
      PieceResult r = work(i);
      std::lock_guard lock(mu);
      results[i] = std::move(r);
      cv.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (size_t i = 0; i < n; ++i) {
    PieceResult r;
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return results[i].has_value(); });
      r = std::move(*results[i]);
      results[i].reset();
      consumed = i + 1;
      cv.notify_all();
    }
    if (!consume(i, r)) {
      std::lock_guard lock(mu);
      stop = true;
      cv.notify_all();
      break;
    }
  }
  for (auto& th : pool) th.join();
}

using UnknownMap = std::map<std::string, std::pair<std::string, std::vector<int>>>;

void Merge(UnknownMap& map, std::vector<UnknownRef>& refs) {
  for (UnknownRef& u : refs) {
    auto& e = map[u.key];
    if (e.first.empty()) e.first = std::move(u.spelling);
    e.second.push_back(u.row);
  }
}

}  // namespace

Result<CsvImportResult> System::ImportReportsCsv(std::string_view text,
                                                 const CsvImportOptions& options,
                                                 const store::Actor& actor,
                                                 const ProgressFn& progress) {
  auto plan = ingest::PlanReportsCsv(text, options.csv, kPieceBytes);
  if (!plan) return Fail(plan);
  const size_t n_pieces = plan->pieces.size();
  CsvImportResult result;
  result.header = plan->header;
  result.delimiter = plan->delimiter;
  MutexLock lock(write_mu_);
  auto cat = catalog();
  PassConfig config;
  config.known = cat.get();
  config.judge = cat.get();
  config.reporter = actor.user;
  config.now = NowUnix();
  auto work = [&](size_t i) { return RunPiece(text, *plan, i, options.csv, config); };

  // Unknown categories and organisations, listed once each with the rows that name them.
  UnknownMap unknown_cats, unknown_orgs;
  std::vector<FieldError> row_errors;  // without skip_invalid
  int64_t bad_rows = 0;
  Status parsed;
  // Keeps the outcome of a validating pass: counts, rejected rows and row errors.
  auto account = [&](PieceResult& r) {
    if (!r.parsed) {
      parsed = r.parsed;
      return false;
    }
    result.rows += r.rows;
    result.scrubbed += r.scrubbed;
    Merge(unknown_cats, r.unknown_cats);
    Merge(unknown_orgs, r.unknown_orgs);
    bad_rows += static_cast<int64_t>(r.rejected.size());
    for (RejectedRow& row : r.rejected) {
      if (options.skip_invalid) {
        result.rejected.push_back(std::move(row));
      } else {
        for (FieldError& e : row.errors) row_errors.push_back(std::move(e));
      }
    }
    return true;
  };
  auto rejection = [&]() {
    std::vector<FieldError> errors;
    if (!options.create_missing) {
      const ingest::CsvOptions& csv = options.csv;
      auto rows_text = [&csv](const std::vector<int>& rows) {
        std::string s = csv.row_word + " ";
        for (size_t i = 0; i < rows.size() && i < 5; ++i) {
          s += (i ? ", " : "") + std::to_string(rows[i] - csv.row_offset);
        }
        if (rows.size() > 5) s += " … (" + std::to_string(rows.size()) + " st)";
        return s;
      };
      for (const auto& [k, v] : unknown_cats) {
        errors.push_back({"category", "okänd kategori \"" + v.first + "\" på " +
                                          rows_text(v.second) +
                                          " (använd --create-missing för att skapa den)"});
      }
      for (const auto& [k, v] : unknown_orgs) {
        errors.push_back({"org", "okänd organisation \"" + v.first + "\" på " +
                                     rows_text(v.second) +
                                     " (använd --create-missing för att skapa den)"});
      }
    }
    for (FieldError& e : row_errors) errors.push_back(std::move(e));
    const bool gis = options.csv.row_word != "rad";
    return Invalid(std::string(gis ? "Filen" : "CSV-filen") + " avvisades: " +
                       std::to_string(bad_rows) + " av " + std::to_string(result.rows) +
                       (gis ? " objekt" : " rader") + " har fel; inget importerades",
                   std::move(errors));
  };

  // With --create-missing, find what is missing first: when something is, the rows are judged
  // against a catalog that already holds the new entries (provisional ids), so that nothing is
  // created when the file is rejected, and inserted in a last pass once the entries exist.
  std::vector<int> judged_invalid;
  std::shared_ptr<const app::Catalog> judge;
  if (options.create_missing) {
    config.resolve = false;
    RunOrdered(n_pieces, work, [&](size_t, PieceResult& r) {
      if (!r.parsed) {
        parsed = r.parsed;
        return false;
      }
      Merge(unknown_cats, r.unknown_cats);
      Merge(unknown_orgs, r.unknown_orgs);
      return true;
    });
    if (!parsed) return tl::unexpected(parsed.error());
    config.resolve = true;
  }
  if (!unknown_cats.empty() || !unknown_orgs.empty()) {
    auto orgs = cat->orgs();
    auto cats = cat->categories();
    int64_t next = 1'000'000'000;
    for (const auto& [k, v] : unknown_cats) {
      Category c;
      c.id = CategoryId{next++};
      c.code = v.first;
      c.name_sv = v.first;
      cats.push_back(c);
    }
    for (const auto& [k, v] : unknown_orgs) {
      Organisation o;
      o.id = OrgId{next++};
      o.code = v.first;
      o.name = v.first;
      orgs.push_back(o);
    }
    judge = std::make_shared<const app::Catalog>(std::move(orgs), std::move(cats), cat->places(),
                                                 cat->areas(), cat->index_ptr());
    unknown_cats.clear();
    unknown_orgs.clear();
    config.judge = judge.get();
    config.collect_used = true;
    std::set<std::string> used_cats, used_orgs;
    RunOrdered(n_pieces, work, [&](size_t, PieceResult& r) {
      if (!account(r)) return false;
      used_cats.insert(r.used_cats.begin(), r.used_cats.end());
      used_orgs.insert(r.used_orgs.begin(), r.used_orgs.end());
      return true;
    });
    if (!parsed) return tl::unexpected(parsed.error());
    if (progress) progress(result.rows, result.rows, "rader kontrollerade");
    if (bad_rows > 0 && !options.skip_invalid) return rejection();
    for (const RejectedRow& row : result.rejected) judged_invalid.push_back(row.row);
    std::sort(judged_invalid.begin(), judged_invalid.end());

    // Create the missing reference entries that accepted rows use.
    std::set<std::string> new_codes;
    for (const auto& [k, v] : unknown_cats) {
      if (!used_cats.count(k)) continue;
      Category c;
      c.code = v.first;
      c.name_sv = v.first;
      c.name_en = v.first;
      c.group = "ny";
      c.code = FreeCode(CodeFor(v.first), [&](const std::string& k) {
        return cat->FindCategory(k) != nullptr || new_codes.count("category:" + k) > 0;
      });
      new_codes.insert("category:" + c.code);
      c.needs_review = true;
      auto r = write_store_->CreateCategory(c, actor);
      if (!r) return Fail(r);
      result.created_categories.push_back(v.first);
    }
    for (const auto& [k, v] : unknown_orgs) {
      if (!used_orgs.count(k)) continue;
      Organisation o;
      o.code = v.first;
      o.name = v.first;
      o.code = FreeCode(CodeFor(v.first), [&](const std::string& k) {
        return cat->FindOrg(k) != nullptr || new_codes.count("org:" + k) > 0;
      });
      new_codes.insert("org:" + o.code);
      o.needs_review = true;
      auto r = write_store_->CreateOrganisation(o, actor);
      if (!r) return Fail(r);
      result.created_orgs.push_back(v.first);
    }
    if (!result.created_categories.empty() || !result.created_orgs.empty()) {
      if (auto s = RefreshCatalog(); !s) return tl::unexpected(s.error());
      cat = catalog();
    }
    config.known = cat.get();
    config.judge = cat.get();
    config.collect_used = false;
    config.skip_rows = &judged_invalid;
  }

  // Judge and insert in one transaction. A rejected file is rolled back, which leaves the
  // database file as it was; the pieces after the first bad row are still judged, to list every
  // error, but no longer inserted.
  const bool reinsert = config.skip_rows != nullptr;  // rows were judged in an earlier pass
  config.make_engine_rows = true;
  auto import = write_store_->BeginReportImport();
  if (!import) return Fail(import);
  Status inserted;
  // What the engine gets once the import is committed: its own rows (32 bytes a report), not the
  // reports, which are dropped piece by piece as soon as they are stored.
  std::vector<std::vector<analysis::EngineRow>> accepted;
  const auto pass_start = Clock::now();
  RunOrdered(n_pieces, work, [&](size_t, PieceResult& r) {
    result.phases.work_ms += r.work_ms;
    if (reinsert) {
      if (!r.parsed) {
        parsed = r.parsed;
        return false;
      }
      if (!r.reparse_error.empty()) {
        inserted = MakeError(ErrorCode::kInternal, r.reparse_error);
        return false;
      }
    } else if (!account(r)) {
      return false;
    }
    if (bad_rows > 0 && !options.skip_invalid) return true;
    const auto insert_start = Clock::now();
    auto n = (*import)->Insert(r.reports);
    result.phases.insert_ms += MsSince(insert_start);
    if (!n) {
      inserted = tl::unexpected(n.error());
      return false;
    }
    for (size_t i = 0; i < r.reports.size(); ++i) {
      const Report& stored = r.reports[i];
      r.engine_rows[i].id = stored.id.value;  // 0: already present
      result.outside += stored.id.value != 0 && !stored.area;
    }
    accepted.push_back(std::move(r.engine_rows));
    return true;
  });
  result.phases.wait_ms = MsSince(pass_start) - result.phases.insert_ms;
  if (!parsed) return tl::unexpected(parsed.error());
  if (!inserted) return tl::unexpected(inserted.error());
  if (!reinsert && progress) progress(result.rows, result.rows, "rader kontrollerade");
  if (!reinsert && bad_rows > 0 && !options.skip_invalid) return rejection();
  const auto commit_start = Clock::now();
  auto outcome = (*import)->Commit(actor);
  result.phases.commit_ms = MsSince(commit_start);
  if (!outcome) return Fail(outcome);
  import->reset();
  result.inserted = outcome->inserted;
  result.already_present = outcome->already_present;
  if (!outcome->later_duplicates.empty()) {
    // Rows that repeated an earlier row's (org, source id) in this file, found by the store at
    // commit: not stored, so not in the engine nor among the reports outside every area.
    std::unordered_set<int64_t> repeated(outcome->later_duplicates.begin(),
                                         outcome->later_duplicates.end());
    for (auto& piece : accepted) {
      for (analysis::EngineRow& row : piece) {
        if (row.id != 0 && repeated.count(row.id) > 0) {
          result.outside -= row.area == 0;
          row.id = 0;
        }
      }
    }
  }
  // Into the engine a piece at a time (AppendRows writes each week's rows together and skips
  // the already-present rows, whose id is 0).
  const auto engine_start = Clock::now();
  for (const auto& piece : accepted) write_engine_->AppendRows(piece);
  result.phases.engine_ms = MsSince(engine_start);
  return result;
}

}  // namespace est::app
