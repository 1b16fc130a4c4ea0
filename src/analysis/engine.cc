// Column engine. Reports are kept as parallel arrays indexed by row; ids of areas, categories and
// organisations are small integers from the store and are used directly as array indexes.
#include "analysis/engine.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <unordered_map>

namespace est::analysis {
namespace {

constexpr uint8_t kCounted = 0;  // status column: counted in the picture
constexpr uint8_t kExcluded = 1; // rejected or duplicate
constexpr int kExpectedWeeks = 12;

uint8_t StatusCode(ReportStatus s) {
  return (s == ReportStatus::kRejected || s == ReportStatus::kDuplicate) ? kExcluded : kCounted;
}

}  // namespace

struct Engine::State {
  mutable std::shared_mutex mu;
  // Columns.
  std::vector<int64_t> id;
  std::vector<int32_t> day;
  std::vector<int32_t> area;  // 0 = outside
  std::vector<uint16_t> category;
  std::vector<uint16_t> org;
  std::vector<uint8_t> severity;
  std::vector<uint8_t> status;
  std::unordered_map<int64_t, size_t> row_of_id;
  // Check-ins: (org, area, Monday of the week).
  struct CheckInRow {
    int64_t org;
    int64_t area;
    LocalDay monday;
  };
  std::vector<CheckInRow> checkins;
  // Reference data.
  std::vector<Area> areas;
  std::unordered_map<int64_t, size_t> area_index;
  std::vector<int64_t> area_parent;  // by area id; 0 = none
  std::vector<Dimension> category_dimension;  // by category id
  int64_t max_area_id = 0;

  void WriteRow(size_t row, const Report& r) {
    day[row] = ToLocalDay(r.occurred_from);
    area[row] = r.area ? static_cast<int32_t>(r.area->value) : 0;
    category[row] = static_cast<uint16_t>(r.category.value);
    org[row] = static_cast<uint16_t>(r.org.value);
    severity[row] = static_cast<uint8_t>(r.severity);
    status[row] = StatusCode(r.status);
  }
};

Engine::Engine() : state_(std::make_unique<State>()) {}
Engine::~Engine() = default;

void Engine::SetAreas(const std::vector<Area>& areas) {
  std::unique_lock lock(state_->mu);
  State& s = *state_;
  s.areas = areas;
  s.area_index.clear();
  s.max_area_id = 0;
  for (size_t i = 0; i < areas.size(); ++i) {
    s.area_index[areas[i].id.value] = i;
    s.max_area_id = std::max(s.max_area_id, areas[i].id.value);
  }
  s.area_parent.assign(static_cast<size_t>(s.max_area_id + 1), 0);
  for (const Area& a : areas) {
    if (a.parent) s.area_parent[static_cast<size_t>(a.id.value)] = a.parent->value;
  }
}

void Engine::SetCategories(const std::vector<Category>& categories) {
  std::unique_lock lock(state_->mu);
  int64_t max_id = 0;
  for (const Category& c : categories) max_id = std::max(max_id, c.id.value);
  state_->category_dimension.assign(static_cast<size_t>(max_id + 1), Dimension::kSakerhet);
  for (const Category& c : categories) {
    state_->category_dimension[static_cast<size_t>(c.id.value)] = c.dimension;
  }
}

void Engine::Append(const Report& r) {
  std::unique_lock lock(state_->mu);
  State& s = *state_;
  if (s.row_of_id.count(r.id.value)) return;
  size_t row = s.id.size();
  s.id.push_back(r.id.value);
  s.day.push_back(0);
  s.area.push_back(0);
  s.category.push_back(0);
  s.org.push_back(0);
  s.severity.push_back(0);
  s.status.push_back(0);
  s.WriteRow(row, r);
  s.row_of_id[r.id.value] = row;
}

void Engine::Update(const Report& r) {
  std::unique_lock lock(state_->mu);
  auto it = state_->row_of_id.find(r.id.value);
  if (it == state_->row_of_id.end()) {
    lock.unlock();
    Append(r);
    return;
  }
  state_->WriteRow(it->second, r);
}

void Engine::AddCheckIn(const CheckIn& c) {
  std::unique_lock lock(state_->mu);
  state_->checkins.push_back({c.org.value, c.area.value, IsoWeekStart(c.week.year, c.week.week)});
}

size_t Engine::size() const {
  std::shared_lock lock(state_->mu);
  return state_->id.size();
}

double Engine::bytes_per_report() const {
  // id 8 + day 4 + area 4 + category 2 + org 2 + severity 1 + status 1, plus the id map.
  std::shared_lock lock(state_->mu);
  if (state_->id.empty()) return 0;
  double columns = 22.0;
  double map = static_cast<double>(state_->row_of_id.bucket_count() * sizeof(void*) +
                                   state_->row_of_id.size() * 32) /
               static_cast<double>(state_->id.size());
  return columns + map;
}

double PoissonChangeZ(int64_t current, int64_t previous) {
  return 2.0 * (std::sqrt(static_cast<double>(current)) -
                std::sqrt(static_cast<double>(previous)));
}

Lagesbild Engine::Compute(const LagesbildQuery& q) const {
  std::shared_lock lock(state_->mu);
  const State& s = *state_;
  Lagesbild out;
  out.period = q.period;
  out.previous = PreviousPeriod(q.period);
  out.last_year = SamePeriodLastYear(q.period);

  const size_t n_area = static_cast<size_t>(s.max_area_id + 1);
  int64_t max_cat = static_cast<int64_t>(s.category_dimension.size());
  for (uint16_t c : s.category) max_cat = std::max<int64_t>(max_cat, c + 1);
  const size_t n_cat = static_cast<size_t>(std::max<int64_t>(max_cat, 1));

  // Filter masks.
  std::vector<char> cat_ok(n_cat, q.categories.empty() ? 1 : 0);
  for (CategoryId c : q.categories) {
    if (c.value >= 0 && static_cast<size_t>(c.value) < n_cat) cat_ok[static_cast<size_t>(c.value)] = 1;
  }
  if (q.dimension) {
    for (size_t c = 0; c < n_cat; ++c) {
      Dimension d = c < s.category_dimension.size() ? s.category_dimension[c] : Dimension::kSakerhet;
      if (d != *q.dimension) cat_ok[c] = 0;
    }
  }
  std::set<int64_t> org_ok(q.orgs.size() ? std::set<int64_t>() : std::set<int64_t>());
  for (OrgId o : q.orgs) org_ok.insert(o.value);
  std::vector<char> org_mask;
  if (!q.orgs.empty()) {
    int64_t max_org = 0;
    for (OrgId o : q.orgs) max_org = std::max(max_org, o.value);
    org_mask.assign(static_cast<size_t>(std::max<int64_t>(max_org + 1, 65536)), 0);
    for (OrgId o : q.orgs) {
      if (o.value >= 0 && o.value < 65536) org_mask[static_cast<size_t>(o.value)] = 1;
    }
  }

  // Counts per deepest area × category × slot (0 current, 1 previous, 2 last year).
  std::vector<int64_t> counts(n_area * n_cat * 3, 0);
  const Period slots[3] = {out.period, out.previous, out.last_year};
  LocalDay lo = std::min({slots[0].first, slots[1].first, slots[2].first});
  LocalDay hi = std::max({slots[0].last, slots[1].last, slots[2].last});
  // Coverage: orgs reporting now per deepest area, and orgs active in the expectation window.
  LocalDay expect_from = q.period.first - 7 * kExpectedWeeks;
  std::vector<std::set<int64_t>> reported(n_area), expected(n_area);

  const size_t rows = s.id.size();
  for (size_t i = 0; i < rows; ++i) {
    if (s.status[i] != kCounted) continue;
    LocalDay d = s.day[i];
    size_t a = static_cast<size_t>(s.area[i]);
    if (a >= n_area) continue;
    bool in_expect = d >= expect_from && d < q.period.first;
    bool in_any = d >= lo && d <= hi;
    if (!in_any && !in_expect) continue;
    if (!org_mask.empty() && !org_mask[s.org[i]]) continue;
    if (in_expect) expected[a].insert(s.org[i]);
    if (q.period.Contains(d)) reported[a].insert(s.org[i]);
    size_t c = s.category[i];
    if (c >= n_cat || !cat_ok[c]) continue;
    ++out.reports_scanned;
    for (int k = 0; k < 3; ++k) {
      if (slots[k].Contains(d)) ++counts[(a * n_cat + c) * 3 + static_cast<size_t>(k)];
    }
  }

  // Check-ins count as speaking for the area in the weeks they cover.
  std::vector<std::set<int64_t>> checked(n_area);
  for (const auto& c : s.checkins) {
    if (c.area <= 0 || static_cast<size_t>(c.area) >= n_area) continue;
    if (!org_mask.empty() && (c.org >= 65536 || !org_mask[static_cast<size_t>(c.org)])) continue;
    LocalDay sunday = c.monday + 6;
    if (sunday >= q.period.first && c.monday <= q.period.last) {
      checked[static_cast<size_t>(c.area)].insert(c.org);
    } else if (sunday >= expect_from && c.monday < q.period.first) {
      expected[static_cast<size_t>(c.area)].insert(c.org);
    }
  }

  // Roll up to ancestors, deepest level first.
  std::vector<const Area*> by_level;
  for (const Area& a : s.areas) by_level.push_back(&a);
  std::stable_sort(by_level.begin(), by_level.end(),
                   [](const Area* x, const Area* y) { return x->level > y->level; });
  for (const Area* a : by_level) {
    size_t child = static_cast<size_t>(a->id.value);
    int64_t parent = s.area_parent[child];
    if (parent <= 0) continue;
    size_t p = static_cast<size_t>(parent);
    for (size_t k = 0; k < n_cat * 3; ++k) counts[p * n_cat * 3 + k] += counts[child * n_cat * 3 + k];
    reported[p].insert(reported[child].begin(), reported[child].end());
    expected[p].insert(expected[child].begin(), expected[child].end());
    checked[p].insert(checked[child].begin(), checked[child].end());
  }

  // Which areas to show: the filter's subtrees, or all.
  std::vector<char> show(n_area, q.areas.empty() ? 1 : 0);
  if (!q.areas.empty()) {
    for (const Area& a : s.areas) {
      for (int64_t cur = a.id.value; cur > 0; cur = s.area_parent[static_cast<size_t>(cur)]) {
        bool hit = std::any_of(q.areas.begin(), q.areas.end(),
                               [&](AreaId f) { return f.value == cur; });
        if (hit) {
          show[static_cast<size_t>(a.id.value)] = 1;
          break;
        }
        if (static_cast<size_t>(cur) >= s.area_parent.size()) break;
      }
    }
  }

  auto emit_area = [&](std::optional<AreaId> area, size_t a) {
    LagesbildRow total;
    total.area = area;
    std::vector<LagesbildRow> cats;
    for (size_t c = 0; c < n_cat; ++c) {
      const int64_t* v = &counts[(a * n_cat + c) * 3];
      if (v[0] == 0 && v[1] == 0 && v[2] == 0) continue;
      LagesbildRow row;
      row.area = area;
      row.category = CategoryId{static_cast<int64_t>(c)};
      row.count = v[0];
      row.previous = v[1];
      row.last_year = v[2];
      total.count += v[0];
      total.previous += v[1];
      total.last_year += v[2];
      cats.push_back(row);
    }
    out.rows.push_back(total);
    out.rows.insert(out.rows.end(), cats.begin(), cats.end());
    return total;
  };

  std::vector<const Area*> ordered;
  for (const Area& a : s.areas) ordered.push_back(&a);
  std::sort(ordered.begin(), ordered.end(), [](const Area* x, const Area* y) {
    return x->level != y->level ? x->level < y->level : x->code < y->code;
  });
  for (const Area* a : ordered) {
    size_t idx = static_cast<size_t>(a->id.value);
    if (!show[idx]) continue;
    emit_area(a->id, idx);
    CoverageRow cov;
    cov.area = a->id;
    for (int64_t o : reported[idx]) cov.reported.push_back(OrgId{o});
    for (int64_t o : checked[idx]) cov.checked_in.push_back(OrgId{o});
    for (int64_t o : expected[idx]) {
      if (!reported[idx].count(o) && !checked[idx].count(o)) cov.silent.push_back(OrgId{o});
    }
    std::set<int64_t> all = expected[idx];
    all.insert(reported[idx].begin(), reported[idx].end());
    all.insert(checked[idx].begin(), checked[idx].end());
    cov.expected = static_cast<int>(all.size());
    out.coverage.push_back(std::move(cov));
  }
  if (q.areas.empty()) {
    LagesbildRow outside = emit_area(std::nullopt, 0);
    out.outside = outside.count;
  }
  // Totals: roots (areas without parent) plus outside; with an area filter, the filter roots.
  for (const Area* a : ordered) {
    size_t idx = static_cast<size_t>(a->id.value);
    if (!show[idx]) continue;
    int64_t parent = s.area_parent[idx];
    bool root = parent <= 0 || !show[static_cast<size_t>(parent)];
    if (!root) continue;
    for (size_t c = 0; c < n_cat; ++c) {
      const int64_t* v = &counts[(idx * n_cat + c) * 3];
      out.total += v[0];
      out.total_previous += v[1];
      out.total_last_year += v[2];
    }
  }
  if (q.areas.empty()) {
    for (size_t c = 0; c < n_cat; ++c) {
      const int64_t* v = &counts[c * 3];
      out.total += v[0];
      out.total_previous += v[1];
      out.total_last_year += v[2];
    }
  }
  return out;
}

}  // namespace est::analysis
