// Column engine. Reports are kept in one block per ISO week (parallel compact arrays), so that a
// period is a scan over the few blocks it overlaps and appends of late reports stay O(1). Ids of
// areas, categories and organisations are small integers from the store, used directly as array
// indexes. A report id maps to (week block, row) through a dense vector.
//
// Speed at national scale (docs/performance.md): the lägesbild counts into one array per period
// whose rows are areas in display order; Compact orders each block's rows by that row, so that
// counting walks the arrays forward instead of at random (1.5 MB of counts do not fit a core's
// cache); late rows go to the end of their block and only cost speed. Result rows are compact and
// written once into a buffer sized exactly.
#include "analysis/engine.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <shared_mutex>
#include <thread>

#include "analysis/grid.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace est::analysis {
namespace {

constexpr uint8_t kExcludedBit = 0x80;  // rejected or duplicate
constexpr uint8_t kAreaOnlyBit = 0x40;  // placed only by its area: counted, never a point
// An event of the police's feed: shown beside partner reports (unless a query leaves them out),
// never a partner's weekly reporting, so never in coverage.
constexpr uint8_t kPoliceBit = 0x20;
// A resident's report from the public page: counted once approved, but not an organisation's
// weekly reporting either, so never in coverage (the organisation "medborgare" is never silent).
constexpr uint8_t kCitizenBit = 0x10;
constexpr uint8_t kNotCoverage = kExcludedBit | kPoliceBit | kCitizenBit;
constexpr uint8_t kSeverityMask = 0x03;
constexpr int kExpectedWeeks = 12;
// Week blocks are indexed from the Monday 1999-12-27 (reports before 2000 are refused on input).
constexpr LocalDay kBaseMonday = 10952;

int WeekIndex(LocalDay day) {
  LocalDay d = std::max(day, kBaseMonday);
  return static_cast<int>((d - kBaseMonday) / 7);
}

// to[c] += from[c] for c < n, four at a time where SSE2 is there (the roll-up adds every area's
// row of counts into its parent's).
void AddCounts(int32_t* __restrict to, const int32_t* __restrict from, size_t n) {
  size_t c = 0;
#if defined(__SSE2__)
  for (; c + 4 <= n; c += 4) {
    const __m128i t = _mm_loadu_si128(reinterpret_cast<const __m128i*>(to + c));
    const __m128i f = _mm_loadu_si128(reinterpret_cast<const __m128i*>(from + c));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(to + c), _mm_add_epi32(t, f));
  }
#endif
  for (; c < n; ++c) to[c] += from[c];
}

// How many c < n have a count in any of the three arrays (the rows a lägesbild area will emit).
size_t NonZeroCounts(const int32_t* a, const int32_t* b, const int32_t* c, size_t n) {
  size_t k = 0, out = 0;
#if defined(__SSE2__)
  // Each lane counts its zero entries (a compare gives -1 for zero), summed once at the end: the
  // loop needs no popcount (a library call without -mpopcnt).
  const __m128i zero = _mm_setzero_si128();
  __m128i zeros = zero;
  for (; k + 4 <= n; k += 4) {
    const __m128i v =
        _mm_or_si128(_mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + k)),
                                  _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + k))),
                     _mm_loadu_si128(reinterpret_cast<const __m128i*>(c + k)));
    zeros = _mm_sub_epi32(zeros, _mm_cmpeq_epi32(v, zero));
  }
  alignas(16) int32_t lanes[4];
  _mm_store_si128(reinterpret_cast<__m128i*>(lanes), zeros);
  out = k - static_cast<size_t>(lanes[0] + lanes[1] + lanes[2] + lanes[3]);
#endif
  for (; k < n; ++k) out += (a[k] | b[k] | c[k]) != 0;
  return out;
}

// A period cut at `cut` minutes (LagesbildQuery::cut_minutes): the days that count, the last of
// them only up to `last_minutes` (1440 = the whole day). A cut at 0 leaves last < first.
struct CutPeriod {
  Period p;
  int last_minutes = 1440;
};
CutPeriod Cut(const Period& p, std::optional<int32_t> cut) {
  const int64_t whole = static_cast<int64_t>(p.days()) * 1440;
  if (!cut || *cut >= whole) return {p, 1440};
  const int64_t c = std::max<int64_t>(*cut, 0);
  CutPeriod out{p, static_cast<int>(c % 1440)};
  out.p.last = p.first + static_cast<LocalDay>(c / 1440);
  if (out.last_minutes == 0) {
    out.p.last -= 1;
    out.last_minutes = 1440;
  }
  return out;
}

// The flag bits that leave a row out of a query's counts.
uint8_t SkipMask(const LagesbildQuery& q) {
  return q.police ? kExcludedBit : static_cast<uint8_t>(kExcludedBit | kPoliceBit);
}

uint8_t Flags(const Report& r) {
  uint8_t f = static_cast<uint8_t>(std::clamp(r.severity, 0, 3));
  if (r.status == ReportStatus::kRejected || r.status == ReportStatus::kDuplicate) {
    f |= kExcludedBit;
  }
  // A resident's report counts only once a coordinator has approved it.
  if (r.source == ReportSource::kCitizen) {
    f |= kCitizenBit;
    if (r.status == ReportStatus::kNew) f |= kExcludedBit;
  }
  if (r.area_only) f |= kAreaOnlyBit;
  if (r.source == ReportSource::kPolice) {
    f |= kPoliceBit;
    // A county-level event (no municipality) is kept by the store and counted apart by the
    // import, never as a report "outside every area".
    if (!r.area) f |= kExcludedBit;
  }
  return f;
}

// A fixed-width bitset per area over organisation ids.
struct OrgSets {
  size_t words = 1;
  std::vector<uint64_t> bits;
  void Init(size_t n_area, size_t n_org) {
    words = (n_org + 63) / 64;
    if (words == 0) words = 1;
    bits.assign(n_area * words, 0);
  }
  void Set(size_t area, size_t org) { bits[area * words + org / 64] |= uint64_t{1} << (org % 64); }
  void OrInto(size_t to, size_t from) {
    for (size_t w = 0; w < words; ++w) bits[to * words + w] |= bits[from * words + w];
  }
  // This set's row `to` |= other's row `from`. REQUIRES: other.words == words.
  void OrInto(size_t to, const OrgSets& other, size_t from) {
    for (size_t w = 0; w < words; ++w) bits[to * words + w] |= other.bits[from * words + w];
  }
};

}  // namespace

struct Engine::State {
  struct Block {
    std::vector<uint8_t> dow;  // 0 = Monday
    std::vector<uint16_t> area;
    std::vector<uint16_t> category;
    std::vector<uint16_t> org;
    std::vector<uint8_t> flags;  // severity and excluded bit
    std::vector<int32_t> e, n;
    std::vector<uint16_t> minute, span;
    // Which organisations reported (not rejected, not duplicate) in which deepest area this
    // week: `activity_words` bit words per area id. Made on the first coverage query that needs
    // the whole week, kept until a row of the block changes (Write, Remove clear activity_ok).
    // Guarded by State::activity_mu (queries fill it under the shared lock).
    mutable std::vector<uint64_t> activity;
    mutable size_t activity_words = 0;
    mutable bool activity_ok = false;
    size_t size() const { return dow.size(); }
    size_t bytes() const {
      return dow.capacity() + flags.capacity() +
             2 * (area.capacity() + category.capacity() + org.capacity() + minute.capacity() +
                  span.capacity()) +
             4 * (e.capacity() + n.capacity()) + 8 * activity.capacity();
    }
  };
  mutable std::shared_mutex mu;
  mutable std::mutex activity_mu;  // the blocks' activity bits (see Block)
  std::vector<Block> weeks;
  // Report id → (week << 32 | row) + 1; 0 = unknown.
  std::vector<uint64_t> loc_of_id;
  size_t count = 0;
  struct CheckInRow {
    int64_t org;
    int64_t area;
    LocalDay monday;
  };
  std::vector<CheckInRow> checkins;
  // Reference data.
  std::vector<Area> areas;
  int64_t max_area_id = 0;
  std::vector<int64_t> area_parent;    // by area id; 0 = none
  std::vector<char> has_children;      // by area id: some area has it as parent
  std::vector<int64_t> display_order;  // area ids by level, then code
  // Count-array row of each area id: 0 = outside every area, 1 + k = display_order[k], and one
  // spare row for ids the tree does not know (counted nowhere). Rows in display order make the
  // lägesbild's output pass read its counts front to back.
  std::vector<uint32_t> row_of_area;
  std::vector<uint32_t> parent_row;           // by row; 0 = none
  std::vector<Dimension> category_dimension;  // by category id
  uint16_t max_category = 0, max_org = 0;

  void Write(Block& b, size_t row, const EngineRow& v) {
    b.activity_ok = false;
    b.dow[row] = v.dow;
    b.area[row] = v.area;
    b.category[row] = v.category;
    b.org[row] = v.org;
    b.flags[row] = v.flags;
    b.e[row] = v.e;
    b.n[row] = v.n;
    b.minute[row] = v.minute;
    b.span[row] = v.span;
    max_category = std::max(max_category, v.category);
    max_org = std::max(max_org, v.org);
  }

  // Adds many rows. Reports of a bulk load come in id order, i.e. at random weeks: writing them
  // one by one would touch another block's nine columns every time. So the rows are grouped by
  // week with a counting sort, every week's run is written contiguously, and the id map is filled
  // in id order.
  void AddRows(std::span<const EngineRow> in) {
    constexpr uint64_t kClaimed = ~uint64_t{0};
    size_t max_id = 0;
    for (const EngineRow& r : in)
      max_id = std::max(max_id, static_cast<size_t>(std::max<int64_t>(r.id, 0)));
    if (loc_of_id.size() <= max_id) {
      loc_of_id.resize(std::max(max_id + 1, loc_of_id.size() * 3 / 2 + 16));
    }
    // The rows taken: not unstored (id 0), not present already (use Update), not twice here.
    std::vector<uint32_t> taken;
    taken.reserve(in.size());
    size_t max_week = 0;
    for (size_t i = 0; i < in.size(); ++i) {
      const EngineRow& r = in[i];
      if (r.id <= 0) continue;
      const size_t id = static_cast<size_t>(r.id);
      if (loc_of_id[id] != 0) continue;
      loc_of_id[id] = kClaimed;
      taken.push_back(static_cast<uint32_t>(i));
      max_week = std::max<size_t>(max_week, r.week);
    }
    if (taken.empty()) return;
    if (weeks.size() <= max_week) weeks.resize(max_week + 1);
    const size_t n = taken.size();
    std::vector<uint32_t> start(max_week + 2, 0), order(n);
    for (uint32_t i : taken) ++start[in[i].week + 1];
    for (size_t w = 0; w <= max_week; ++w) start[w + 1] += start[w];
    for (uint32_t i : taken) order[start[in[i].week]++] = i;
    for (size_t k = 0; k < n;) {
      const size_t w = in[order[k]].week;
      size_t end = k;
      while (end < n && in[order[end]].week == w) ++end;
      Block& b = weeks[w];
      const size_t first = b.size();
      Resize(b, first + (end - k));
      for (size_t at = first; k < end; ++k, ++at) {
        const EngineRow& row = in[order[k]];
        Write(b, at, row);
        loc_of_id[static_cast<size_t>(row.id)] = ((static_cast<uint64_t>(w) << 32) | at) + 1;
      }
    }
    count += n;
  }

  static void Resize(Block& b, size_t rows) {
    b.dow.resize(rows);
    b.area.resize(rows);
    b.category.resize(rows);
    b.org.resize(rows);
    b.flags.resize(rows);
    b.e.resize(rows);
    b.n.resize(rows);
    b.minute.resize(rows);
    b.span.resize(rows);
  }

  void Add(const Report& r) {
    const EngineRow v = Engine::RowOf(r);
    const size_t w = v.week;
    if (weeks.size() <= w) weeks.resize(w + 1);
    Block& b = weeks[w];
    const size_t row = b.size();
    Resize(b, row + 1);
    Write(b, row, v);
    size_t id = static_cast<size_t>(r.id.value);
    if (loc_of_id.size() <= id) loc_of_id.resize(std::max(id + 1, loc_of_id.size() * 3 / 2 + 16));
    loc_of_id[id] = ((static_cast<uint64_t>(w) << 32) | row) + 1;
    ++count;
  }

  void Remove(uint64_t loc) {
    // Swap-remove within the block; fix the moved row's id entry.
    size_t w = static_cast<size_t>((loc - 1) >> 32);
    size_t row = static_cast<size_t>((loc - 1) & 0xffffffff);
    Block& b = weeks[w];
    b.activity_ok = false;
    size_t last = b.size() - 1;
    if (row != last) {
      b.dow[row] = b.dow[last];
      b.area[row] = b.area[last];
      b.category[row] = b.category[last];
      b.org[row] = b.org[last];
      b.flags[row] = b.flags[last];
      b.e[row] = b.e[last];
      b.n[row] = b.n[last];
      b.minute[row] = b.minute[last];
      b.span[row] = b.span[last];
      // Rows do not store their id (memory); finding the moved row's id is a scan, acceptable
      // because only an edit that moves a report to another week gets here.
      uint64_t moved = ((static_cast<uint64_t>(w) << 32) | last) + 1;
      for (uint64_t& l : loc_of_id) {
        if (l == moved) {
          l = ((static_cast<uint64_t>(w) << 32) | row) + 1;
          break;
        }
      }
    }
    b.dow.pop_back();
    b.area.pop_back();
    b.category.pop_back();
    b.org.pop_back();
    b.flags.pop_back();
    b.e.pop_back();
    b.n.pop_back();
    b.minute.pop_back();
    b.span.pop_back();
    --count;
  }

  // Orders the rows of every week block by the area's count row (display order), so that the
  // lägesbild's scan increments its counts front to back instead of at random (the counts of a
  // national picture do not fit the core's cache). A counting sort per block; the id map follows.
  // Rows appended later go to the end of their block: order only affects speed, never results.
  void SortBlocksByArea() {
    if (row_of_area.empty()) return;
    std::vector<std::vector<uint32_t>> id_at(weeks.size());
    for (size_t w = 0; w < weeks.size(); ++w) id_at[w].assign(weeks[w].size(), 0);
    for (size_t id = 0; id < loc_of_id.size(); ++id) {
      const uint64_t loc = loc_of_id[id];
      if (!loc) continue;
      id_at[(loc - 1) >> 32][(loc - 1) & 0xffffffff] = static_cast<uint32_t>(id);
    }
    const size_t n_keys = display_order.size() + 2;
    auto key = [&](uint16_t area) { return KeyOf(area); };
    std::vector<uint32_t> start(n_keys + 1), order;
    for (size_t w = 0; w < weeks.size(); ++w) {
      Block& b = weeks[w];
      const size_t rows = b.size();
      if (rows < 2) continue;
      std::fill(start.begin(), start.end(), 0);
      for (size_t i = 0; i < rows; ++i) ++start[key(b.area[i]) + 1];
      for (size_t k = 0; k < n_keys; ++k) start[k + 1] += start[k];
      order.resize(rows);
      for (size_t i = 0; i < rows; ++i) order[start[key(b.area[i])]++] = static_cast<uint32_t>(i);
      // Into a vector of exactly `rows` elements: this also drops the spare capacity.
      auto permute = [&](auto& column) {
        std::remove_reference_t<decltype(column)> sorted(rows);
        for (size_t j = 0; j < rows; ++j) sorted[j] = column[order[j]];
        column.swap(sorted);
      };
      permute(b.dow);
      permute(b.area);
      permute(b.category);
      permute(b.org);
      permute(b.flags);
      permute(b.e);
      permute(b.n);
      permute(b.minute);
      permute(b.span);
      for (size_t j = 0; j < rows; ++j) {
        loc_of_id[id_at[w][order[j]]] = ((static_cast<uint64_t>(w) << 32) | j) + 1;
      }
    }
  }

  // The sort key of an area id: its count row.
  uint32_t KeyOf(uint16_t area) const {
    return area < row_of_area.size() ? row_of_area[area]
                                     : static_cast<uint32_t>(display_order.size() + 1);
  }

  // Counts the rows of one week block that fall in period `p` into `slot` (a lägesbild's count
  // array: row base[area] + category) and returns how many. Instantiated per case so that the
  // usual one (a whole week, every category, every organisation) runs a loop with one test and
  // one increment per report. kWhole: the week lies wholly inside the period; kCats, kOrgs: a
  // category or organisation filter is set.
  template <bool kWhole, bool kCats, bool kOrgs>
  static int64_t CountBlock(const Block& b, LocalDay monday, Period p, int last_minutes,
                            const char* cat_ok, const char* org_ok, const uint32_t* base,
                            size_t n_area, uint8_t skip, int32_t* __restrict slot) {
    // Raw pointers: the counts are written through int32_t*, which the compiler must otherwise
    // assume may alias the char-typed columns and masks, reloading them on every row.
    const uint8_t* __restrict flags = b.flags.data();
    const uint8_t* __restrict dow = b.dow.data();
    const uint16_t* __restrict category = b.category.data();
    const uint16_t* __restrict area = b.area.data();
    const uint16_t* __restrict org = b.org.data();
    const uint16_t* __restrict minute = b.minute.data();
    const size_t rows = b.size();
    int64_t counted = 0;
    for (size_t i = 0; i < rows; ++i) {
      if (flags[i] & skip) continue;
      if constexpr (!kWhole) {
        const LocalDay day = monday + dow[i];
        if (day < p.first || day > p.last) continue;
        if (day == p.last && minute[i] >= last_minutes) continue;
      }
      const size_t c = category[i];
      if constexpr (kCats) {
        if (!cat_ok[c]) continue;
      }
      if constexpr (kOrgs) {
        if (!org_ok[org[i]]) continue;
      }
      const size_t a = area[i];
      if (a >= n_area) continue;
      ++slot[base[a] + c];
      ++counted;
    }
    return counted;
  }

  // The block's activity bits for n_area area ids of `words` words each (see Block), made now if
  // the block changed since. REQUIRES: activity_mu held.
  static const uint64_t* Activity(const Block& b, size_t n_area, size_t words) {
    if (!b.activity_ok || b.activity_words != words || b.activity.size() != n_area * words) {
      b.activity.assign(n_area * words, 0);
      b.activity_words = words;
      const uint8_t* __restrict flags = b.flags.data();
      const uint16_t* __restrict area = b.area.data();
      const uint16_t* __restrict org = b.org.data();
      uint64_t* __restrict bits = b.activity.data();
      for (size_t i = 0, rows = b.size(); i < rows; ++i) {
        if (flags[i] & kNotCoverage) continue;  // the feeds are not a partner's reporting
        const size_t a = area[i];
        if (a >= n_area) continue;
        bits[a * words + org[i] / 64] |= uint64_t{1} << (org[i] % 64);
      }
      b.activity_ok = true;
    }
    return b.activity.data();
  }

  // Per-query masks from the filters.
  struct Masks {
    std::vector<char> category;  // by category id
    std::vector<char> org;       // by org id; empty = all
    std::vector<char> area;      // by area id (0 = outside); empty = all
  };
  Masks MakeMasks(const LagesbildQuery& q) const {
    Masks m;
    size_t n_cat = std::max<size_t>(category_dimension.size(), size_t{max_category} + 1);
    m.category.assign(n_cat, q.categories.empty() ? 1 : 0);
    for (CategoryId c : q.categories) {
      if (c.value >= 0 && static_cast<size_t>(c.value) < n_cat)
        m.category[static_cast<size_t>(c.value)] = 1;
    }
    if (q.dimension) {
      for (size_t c = 0; c < n_cat; ++c) {
        Dimension d = c < category_dimension.size() ? category_dimension[c] : Dimension::kSakerhet;
        if (d != *q.dimension) m.category[c] = 0;
      }
    }
    if (!q.orgs.empty()) {
      m.org.assign(65536, 0);
      for (OrgId o : q.orgs) {
        if (o.value >= 0 && o.value < 65536) m.org[static_cast<size_t>(o.value)] = 1;
      }
    }
    if (!q.areas.empty()) {
      m.area.assign(static_cast<size_t>(max_area_id + 1), 0);
      for (const Area& a : areas) {
        for (int64_t cur = a.id.value; cur > 0; cur = area_parent[static_cast<size_t>(cur)]) {
          if (std::any_of(q.areas.begin(), q.areas.end(),
                          [&](AreaId f) { return f.value == cur; })) {
            m.area[static_cast<size_t>(a.id.value)] = 1;
            break;
          }
        }
      }
    }
    return m;
  }
};

Engine::Engine() : state_(std::make_unique<State>()) {}
Engine::~Engine() = default;

void Engine::SetAreas(const std::vector<Area>& areas) {
  std::unique_lock lock(state_->mu);
  State& s = *state_;
  s.areas = areas;
  s.max_area_id = 0;
  for (const Area& a : areas) s.max_area_id = std::max(s.max_area_id, a.id.value);
  s.area_parent.assign(static_cast<size_t>(s.max_area_id + 1), 0);
  s.has_children.assign(static_cast<size_t>(s.max_area_id + 1), 0);
  for (const Area& a : areas) {
    if (!a.parent) continue;
    s.area_parent[static_cast<size_t>(a.id.value)] = a.parent->value;
    if (a.parent->value > 0 && a.parent->value <= s.max_area_id) {
      s.has_children[static_cast<size_t>(a.parent->value)] = 1;
    }
  }
  std::vector<const Area*> order;
  for (const Area& a : areas) order.push_back(&a);
  std::sort(order.begin(), order.end(), [](const Area* x, const Area* y) {
    return x->level != y->level ? x->level < y->level : x->code < y->code;
  });
  s.display_order.clear();
  for (const Area* a : order) s.display_order.push_back(a->id.value);
  const uint32_t spare = static_cast<uint32_t>(s.display_order.size() + 1);
  const std::vector<uint32_t> old_rows = std::move(s.row_of_area);
  s.row_of_area.assign(static_cast<size_t>(s.max_area_id + 1), spare);
  s.row_of_area[0] = 0;
  for (size_t k = 0; k < s.display_order.size(); ++k) {
    s.row_of_area[static_cast<size_t>(s.display_order[k])] = static_cast<uint32_t>(k + 1);
  }
  s.parent_row.assign(static_cast<size_t>(spare) + 1, 0);
  for (const Area& a : areas) {
    if (a.parent && a.parent->value > 0 && a.parent->value <= s.max_area_id) {
      s.parent_row[s.row_of_area[static_cast<size_t>(a.id.value)]] =
          s.row_of_area[static_cast<size_t>(a.parent->value)];
    }
  }
  // When the count rows changed (an area import; a catalog refresh for a new category or place
  // leaves them as they were) the blocks' order follows: ~0.3 s at 10 M reports.
  if (s.count > 0 && s.row_of_area != old_rows) s.SortBlocksByArea();
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
  size_t id = static_cast<size_t>(r.id.value);
  if (id < s.loc_of_id.size() && s.loc_of_id[id] != 0) return;
  s.Add(r);
}

EngineRow Engine::RowOf(const Report& r) {
  EngineRow v;
  v.id = r.id.value;
  // One offset lookup gives both the local day and the wall-clock minute (03:30 on the
  // spring-forward day is minute 210).
  const int64_t local = r.occurred_from + UtcOffsetSeconds(r.occurred_from);
  const LocalDay day = static_cast<LocalDay>(FloorDiv(local, 86400));
  v.week = static_cast<uint32_t>(WeekIndex(day));
  v.dow = static_cast<uint8_t>(day - (kBaseMonday + 7 * static_cast<LocalDay>(v.week)));
  v.area = r.area ? static_cast<uint16_t>(r.area->value) : 0;
  v.category = static_cast<uint16_t>(r.category.value);
  v.org = static_cast<uint16_t>(r.org.value);
  v.flags = Flags(r);
  // Decimetres, floored: floor(e_dm / (10 · cell)) = floor(E / cell) for any cell size that is
  // a whole number of decimetres, so grid cells follow the contract exactly.
  v.e = static_cast<int32_t>(std::floor(r.e * 10));
  v.n = static_cast<int32_t>(std::floor(r.n * 10));
  const int64_t second_of_day = local - static_cast<int64_t>(day) * 86400;
  v.minute = static_cast<uint16_t>(std::clamp<int64_t>(second_of_day / 60, 0, 1439));
  const int64_t span = r.occurred_to ? (*r.occurred_to - r.occurred_from) / 60 : 0;
  v.span = static_cast<uint16_t>(std::clamp<int64_t>(span, 0, 65535));
  return v;
}

void Engine::AppendBatch(std::span<const Report> reports) {
  // The rows are made before the lock is taken: readers wait only for the writing.
  std::vector<EngineRow> rows(reports.size());
  for (size_t i = 0; i < reports.size(); ++i) rows[i] = RowOf(reports[i]);
  AppendRows(rows);
}

void Engine::AppendRows(std::span<const EngineRow> rows) {
  std::unique_lock lock(state_->mu);
  state_->AddRows(rows);
}

void Engine::Update(const Report& r) {
  std::unique_lock lock(state_->mu);
  State& s = *state_;
  size_t id = static_cast<size_t>(r.id.value);
  if (id < s.loc_of_id.size() && s.loc_of_id[id] != 0) {
    uint64_t loc = s.loc_of_id[id];
    size_t w = static_cast<size_t>((loc - 1) >> 32);
    size_t row = static_cast<size_t>((loc - 1) & 0xffffffff);
    const EngineRow v = RowOf(r);
    if (v.week == w) {
      s.Write(s.weeks[w], row, v);
      return;
    }
    // The time moved to another week: move the row.
    s.Remove(loc);
    s.loc_of_id[id] = 0;
  }
  s.Add(r);
}

bool Engine::Contains(ReportId id) const {
  std::shared_lock lock(state_->mu);
  const State& s = *state_;
  const auto i = static_cast<size_t>(id.value);
  return id.value >= 0 && i < s.loc_of_id.size() && s.loc_of_id[i] != 0;
}

void Engine::Compact() {
  std::unique_lock lock(state_->mu);
  State& s = *state_;
  s.SortBlocksByArea();
  // A sorted block is already exact (shrink_to_fit is then a no-op); unsorted ones give back the
  // spare capacity of their growth.
  for (auto& b : s.weeks) {
    b.dow.shrink_to_fit();
    b.area.shrink_to_fit();
    b.category.shrink_to_fit();
    b.org.shrink_to_fit();
    b.flags.shrink_to_fit();
    b.e.shrink_to_fit();
    b.n.shrink_to_fit();
    b.minute.shrink_to_fit();
    b.span.shrink_to_fit();
  }
  size_t max_id = 0;
  for (size_t i = 0; i < s.loc_of_id.size(); ++i) {
    if (s.loc_of_id[i]) max_id = i;
  }
  s.loc_of_id.resize(max_id + 1);
  s.loc_of_id.shrink_to_fit();
}

void Engine::AddCheckIn(const CheckIn& c) {
  std::unique_lock lock(state_->mu);
  state_->checkins.push_back({c.org.value, c.area.value, IsoWeekStart(c.week.year, c.week.week)});
}

size_t Engine::size() const {
  std::shared_lock lock(state_->mu);
  return state_->count;
}

double Engine::bytes_per_report() const {
  std::shared_lock lock(state_->mu);
  if (state_->count == 0) return 0;
  size_t bytes = state_->loc_of_id.capacity() * sizeof(uint64_t);
  for (const auto& b : state_->weeks) bytes += b.bytes();
  return static_cast<double>(bytes) / static_cast<double>(state_->count);
}

std::optional<std::pair<LocalDay, LocalDay>> Engine::DayRange() const {
  std::shared_lock lock(state_->mu);
  const auto& weeks = state_->weeks;
  std::optional<std::pair<LocalDay, LocalDay>> out;
  for (size_t w = 0; w < weeks.size(); ++w) {
    for (uint8_t d : weeks[w].dow) {
      LocalDay day = kBaseMonday + static_cast<LocalDay>(7 * w) + d;
      if (!out) out = std::make_pair(day, day);
      out->first = std::min(out->first, day);
      out->second = std::max(out->second, day);
    }
  }
  return out;
}

void Engine::ForEachPoint(const LagesbildQuery& q,
                          const std::function<void(const EnginePoint&)>& fn) const {
  std::shared_lock lock(state_->mu);
  const State& s = *state_;
  State::Masks m = s.MakeMasks(q);
  const CutPeriod cut = Cut(q.period, q.cut_minutes);
  const Period& p = cut.p;
  const uint8_t skip = SkipMask(q);
  int w0 = WeekIndex(p.first), w1 = WeekIndex(p.last);
  for (int w = w0; w <= w1 && p.first <= p.last && static_cast<size_t>(w) < s.weeks.size(); ++w) {
    const State::Block& b = s.weeks[static_cast<size_t>(w)];
    LocalDay monday = kBaseMonday + 7 * w;
    for (size_t i = 0; i < b.size(); ++i) {
      if (b.flags[i] & skip) continue;
      LocalDay day = monday + b.dow[i];
      if (day < p.first || day > p.last) continue;
      if (day == p.last && b.minute[i] >= cut.last_minutes) continue;
      if (!m.category[b.category[i]]) continue;
      if (!m.org.empty() && !m.org[b.org[i]]) continue;
      if (!m.area.empty() && (b.area[i] >= m.area.size() || !m.area[b.area[i]])) continue;
      fn(EnginePoint{b.e[i], b.n[i], day, b.minute[i], b.span[i], b.category[i], b.area[i],
                     b.org[i], static_cast<uint8_t>(b.flags[i] & kSeverityMask),
                     (b.flags[i] & kAreaOnlyBit) != 0});
    }
  }
}

std::vector<double> Engine::CountPerCell(const LagesbildQuery& q, const StudyGrid& grid) const {
  std::shared_lock lock(state_->mu);
  const State& s = *state_;
  State::Masks m = s.MakeMasks(q);
  const int64_t ix0 = grid.ix0(), iy0 = grid.iy0();
  const uint64_t width = static_cast<uint64_t>(grid.width());
  const uint64_t height = static_cast<uint64_t>(grid.height());
  // Count into the dense box as 32-bit integers (small enough to stay in the core's cache while
  // reports land in random cells), then pick the study cells out in one sequential pass.
  std::vector<uint32_t> dense(width * height, 0);
  // Positions are whole decimetres: with a cell of a whole number of decimetres the cell is an
  // exact integer floor division; otherwise through doubles (CellOf).
  const double cell_dm = grid.cell_m() * 10;
  const bool integral = cell_dm >= 1 && cell_dm <= 1e9 && cell_dm == std::floor(cell_dm);
  const int64_t cdm = integral ? static_cast<int64_t>(cell_dm) : 1;
  const double inv = 1.0 / static_cast<double>(cdm);
  // floor(v / cdm) without an integer division (the slowest instruction in this loop): for v >= 0
  // the truncated product is within one of the answer, and one check on each side makes it exact.
  auto floor_div = [cdm, inv](int64_t v) {
    if (v < 0) return FloorDiv(v, cdm);
    int64_t q = static_cast<int64_t>(static_cast<double>(v) * inv);
    if (q * cdm > v) --q;
    if ((q + 1) * cdm <= v) ++q;
    return q;
  };
  auto add = [&](int32_t e, int32_t n) {
    int64_t ix, iy;
    if (integral) {
      ix = floor_div(e);
      iy = floor_div(n);
    } else {
      const CellKey k = CellOf(e / 10.0, n / 10.0, grid.cell_m());
      ix = k.ix;
      iy = k.iy;
    }
    // Unsigned compare: a negative offset wraps to a huge value and fails too.
    const uint64_t x = static_cast<uint64_t>(ix - ix0), y = static_cast<uint64_t>(iy - iy0);
    if (x < width && y < height) ++dense[y * width + x];
  };
  const bool all_orgs = m.org.empty(), all_areas = m.area.empty();
  const CutPeriod cut = Cut(q.period, q.cut_minutes);
  const Period& p = cut.p;
  int w0 = WeekIndex(p.first), w1 = WeekIndex(p.last);
  for (int w = w0; w <= w1 && p.first <= p.last && static_cast<size_t>(w) < s.weeks.size(); ++w) {
    const State::Block& b = s.weeks[static_cast<size_t>(w)];
    LocalDay monday = kBaseMonday + 7 * w;
    const bool whole = monday >= p.first &&
                       (monday + 6 < p.last || (monday + 6 == p.last && cut.last_minutes == 1440));
    const size_t rows = b.size();
    for (size_t i = 0; i < rows; ++i) {
      // Cells hold points only; the police's events have none (and are never hotspots).
      if (b.flags[i] & (kExcludedBit | kAreaOnlyBit | kPoliceBit)) continue;
      if (!whole) {
        LocalDay day = monday + b.dow[i];
        if (day < p.first || day > p.last) continue;
        if (day == p.last && b.minute[i] >= cut.last_minutes) continue;
      }
      if (!m.category[b.category[i]]) continue;
      if (!all_orgs && !m.org[b.org[i]]) continue;
      if (!all_areas && (b.area[i] >= m.area.size() || !m.area[b.area[i]])) continue;
      add(b.e[i], b.n[i]);
    }
  }
  std::vector<double> counts(grid.size());
  const std::vector<int32_t>& at = grid.study_to_dense();
  for (size_t i = 0; i < counts.size(); ++i) counts[i] = dense[static_cast<size_t>(at[i])];
  return counts;
}

std::vector<int64_t> Engine::WeeklyCounts(const LagesbildQuery& q, LocalDay first_monday,
                                          int weeks) const {
  std::shared_lock lock(state_->mu);
  const State& s = *state_;
  State::Masks m = s.MakeMasks(q);
  std::vector<int64_t> out(static_cast<size_t>(std::max(weeks, 0)), 0);
  const uint8_t skip = SkipMask(q);
  int w0 = WeekIndex(first_monday);
  for (int k = 0; k < weeks; ++k) {
    size_t w = static_cast<size_t>(w0 + k);
    if (w >= s.weeks.size()) break;
    const State::Block& b = s.weeks[w];
    int64_t n = 0;
    for (size_t i = 0; i < b.size(); ++i) {
      if (b.flags[i] & skip) continue;
      if (!m.category[b.category[i]]) continue;
      if (!m.org.empty() && !m.org[b.org[i]]) continue;
      if (!m.area.empty() && (b.area[i] >= m.area.size() || !m.area[b.area[i]])) continue;
      ++n;
    }
    out[static_cast<size_t>(k)] = n;
  }
  return out;
}

Lagesbild Engine::Compute(const LagesbildQuery& q) const {
  std::shared_lock lock(state_->mu);
  const State& s = *state_;
  Lagesbild out;
  out.period = q.period;
  out.previous = PreviousPeriod(q.period);
  out.last_year = SamePeriodLastYear(q.period);
  out.cut_minutes = q.cut_minutes;
  out.days = ExposureDays(out.period, q.cut_minutes);
  out.days_previous = ExposureDays(out.previous, q.cut_minutes);
  out.days_last_year = ExposureDays(out.last_year, q.cut_minutes);

  const size_t n_area = static_cast<size_t>(s.max_area_id + 1);
  State::Masks m = s.MakeMasks(q);
  const size_t n_cat = m.category.size();
  // One count array per slot (period, previous, last year), so that the scan of a slot
  // increments within one array that fits the core's cache; rows are areas in display order
  // (row_of_area), so that the output pass reads them front to back.
  const size_t n_rows = s.display_order.size() + 2;
  const size_t cells = n_rows * n_cat;
  std::vector<int32_t> counts(cells * 3, 0);
  int32_t* slot_counts[3] = {counts.data(), counts.data() + cells, counts.data() + 2 * cells};
  const CutPeriod slots[3] = {Cut(out.period, q.cut_minutes), Cut(out.previous, q.cut_minutes),
                              Cut(out.last_year, q.cut_minutes)};
  std::vector<uint32_t> base_of_area(n_area);  // first count of the area's row
  for (size_t a = 0; a < n_area; ++a) {
    base_of_area[a] =
        static_cast<uint32_t>(s.row_of_area.empty() ? (a ? n_rows - 1 : 0) : s.row_of_area[a]) *
        static_cast<uint32_t>(n_cat);
  }

  // Counts per deepest area × category × slot; each slot writes its own array.
  const bool same_years = slots[2].p.first == slots[1].p.first &&
                          slots[2].p.last == slots[1].p.last &&
                          slots[2].last_minutes == slots[1].last_minutes;
  const int n_slots = same_years ? 2 : 3;
  auto count_slot = [&](int k) -> int64_t {
    int64_t slot_scanned = 0;
    const Period& p = slots[k].p;
    const int last_minutes = slots[k].last_minutes;
    if (p.last < p.first) return slot_scanned;
    const int w0 = WeekIndex(p.first), w1 = WeekIndex(p.last);
    const bool cats = std::find(m.category.begin(), m.category.end(), 0) != m.category.end();
    const bool orgs = !m.org.empty();
    const char* cat_ok = m.category.data();
    const char* org_ok = orgs ? m.org.data() : nullptr;
    const uint32_t* base = base_of_area.data();
    const uint8_t skip = SkipMask(q);
    for (int w = w0; w <= w1 && static_cast<size_t>(w) < s.weeks.size(); ++w) {
      const State::Block& b = s.weeks[static_cast<size_t>(w)];
      const LocalDay monday = kBaseMonday + 7 * w;
      const bool whole = monday >= p.first &&
                         (monday + 6 < p.last || (monday + 6 == p.last && last_minutes == 1440));
      int32_t* slot = slot_counts[k];
      auto count = [&]<bool kWhole, bool kCats, bool kOrgs>() {
        return State::CountBlock<kWhole, kCats, kOrgs>(b, monday, p, last_minutes, cat_ok, org_ok,
                                                       base, n_area, skip, slot);
      };
      auto by_filters = [&]<bool kWhole>() {
        if (cats) {
          return orgs ? count.template operator()<kWhole, true, true>()
                      : count.template operator()<kWhole, true, false>();
        }
        return orgs ? count.template operator()<kWhole, false, true>()
                    : count.template operator()<kWhole, false, false>();
      };
      slot_scanned +=
          whole ? by_filters.template operator()<true>() : by_filters.template operator()<false>();
    }
    return slot_scanned;
  };
  // A long period (a quarter, a year) is worth a second core: the other slots there, slot 0 here.
  // A week is not: starting a thread costs about as much as its scan.
  size_t period_rows = 0;
  for (int w = WeekIndex(q.period.first);
       w <= WeekIndex(q.period.last) && static_cast<size_t>(w) < s.weeks.size(); ++w) {
    period_rows += s.weeks[static_cast<size_t>(w)].size();
  }
  constexpr size_t kParallelRows = 200000;
  if (period_rows >= kParallelRows && std::thread::hardware_concurrency() > 1) {
    std::thread helper([&] {
      for (int k = 1; k < n_slots; ++k) (void)count_slot(k);
    });
    out.reports_scanned = count_slot(0);
    helper.join();
  } else {
    out.reports_scanned = count_slot(0);
    for (int k = 1; k < n_slots; ++k) (void)count_slot(k);
  }
  if (same_years) {
    // A year's previous period is the year before, which is also "last year": counted once.
    std::copy(slot_counts[1], slot_counts[1] + cells, slot_counts[2]);
  }

  // Coverage: organisations that reported now, that checked in, that were active before.
  OrgSets reported, expected, checked;
  if (q.coverage) {
    size_t n_org = size_t{s.max_org} + 1;
    for (const auto& c : s.checkins) n_org = std::max(n_org, static_cast<size_t>(c.org) + 1);
    reported.Init(n_area, n_org);
    expected.Init(n_area, n_org);
    checked.Init(n_area, n_org);
    LocalDay expect_from = q.period.first - 7 * kExpectedWeeks;
    int w0 = WeekIndex(expect_from), w1 = WeekIndex(q.period.last);
    // With an organisation filter, only those organisations' bits count.
    std::vector<uint64_t> org_mask(expected.words, ~uint64_t{0});
    if (!m.org.empty()) {
      std::fill(org_mask.begin(), org_mask.end(), 0);
      for (size_t o = 0; o < expected.words * 64 && o < m.org.size(); ++o) {
        if (m.org[o]) org_mask[o / 64] |= uint64_t{1} << (o % 64);
      }
    }
    std::lock_guard activity_lock(s.activity_mu);
    for (int w = w0; w <= w1 && static_cast<size_t>(w) < s.weeks.size(); ++w) {
      const State::Block& b = s.weeks[static_cast<size_t>(w)];
      const LocalDay monday = kBaseMonday + 7 * w;
      // A week wholly before the period (and inside the 12 weeks) only sets "expected", a week
      // wholly inside the period only "reported": both straight from the week's activity bits.
      // The weeks at the edges look at each day.
      const bool all_expected = monday >= expect_from && monday + 6 < q.period.first;
      const bool all_reported = monday >= q.period.first && monday + 6 <= q.period.last;
      if (all_expected || all_reported) {
        OrgSets& into = all_expected ? expected : reported;
        const size_t words = into.words;
        const uint64_t* __restrict from = State::Activity(b, n_area, words);
        uint64_t* __restrict to = into.bits.data();
        const uint64_t* __restrict mask = org_mask.data();
        for (size_t a = 0; a < n_area; ++a) {
          for (size_t k = 0; k < words; ++k) to[a * words + k] |= from[a * words + k] & mask[k];
        }
        continue;
      }
      const uint8_t* __restrict flags = b.flags.data();
      const uint8_t* __restrict dow = b.dow.data();
      const uint16_t* __restrict area = b.area.data();
      const uint16_t* __restrict org = b.org.data();
      const char* __restrict org_ok = m.org.empty() ? nullptr : m.org.data();
      const size_t rows = b.size();
      for (size_t i = 0; i < rows; ++i) {
        if (flags[i] & kNotCoverage) continue;
        if (org_ok && !org_ok[org[i]]) continue;
        const size_t a = area[i];
        if (a >= n_area) continue;
        const LocalDay day = monday + dow[i];
        if (day >= expect_from && day < q.period.first) expected.Set(a, org[i]);
        if (q.period.Contains(day)) reported.Set(a, org[i]);
      }
    }
    // A check-in for an area with sub-areas (an organisation-wide one is for the municipality)
    // speaks for every area below it too: such check-ins are gathered apart and handed down the
    // tree once, parents before children, so the cost does not grow with their number.
    OrgSets checked_down, expected_down;
    bool any_down = false;
    for (const auto& c : s.checkins) {
      if (c.area <= 0 || static_cast<size_t>(c.area) >= n_area) continue;
      if (!m.org.empty() && (c.org >= 65536 || !m.org[static_cast<size_t>(c.org)])) continue;
      LocalDay sunday = c.monday + 6;
      const size_t a = static_cast<size_t>(c.area), org = static_cast<size_t>(c.org);
      const bool now = sunday >= q.period.first && c.monday <= q.period.last;
      const bool before = !now && sunday >= expect_from && c.monday < q.period.first;
      if (!now && !before) continue;
      (now ? checked : expected).Set(a, org);
      if (a < s.has_children.size() && s.has_children[a]) {
        if (!any_down) {
          checked_down.Init(n_area, checked.words * 64);
          expected_down.Init(n_area, expected.words * 64);
          any_down = true;
        }
        (now ? checked_down : expected_down).Set(a, org);
      }
    }
    if (any_down) {
      for (const int64_t id : s.display_order) {
        const size_t a = static_cast<size_t>(id);
        const int64_t parent = a < s.area_parent.size() ? s.area_parent[a] : 0;
        if (parent > 0 && static_cast<size_t>(parent) < n_area) {
          checked_down.OrInto(a, static_cast<size_t>(parent));
          expected_down.OrInto(a, static_cast<size_t>(parent));
        }
        checked.OrInto(a, checked_down, a);
        expected.OrInto(a, expected_down, a);
      }
    }
  }

  // Roll up to ancestors. Rows are in display order (level, then code), so walking them
  // backwards visits every child before its parent and reads the counts front to back. A row is
  // final when it is reached, so the result rows are counted here too.
  const std::vector<char>& show = m.area;
  auto shown = [&](size_t idx) { return show.empty() || (idx < show.size() && show[idx]); };
  size_t result_rows = 1 + n_cat;  // outside every area: its total and categories at most
  for (size_t row = s.display_order.size(); row >= 1; --row) {
    const size_t child = static_cast<size_t>(s.display_order[row - 1]);
    const int32_t* c0 = slot_counts[0] + row * n_cat;
    const int32_t* c1 = slot_counts[1] + row * n_cat;
    const int32_t* c2 = slot_counts[2] + row * n_cat;
    if (shown(child)) result_rows += 1 + NonZeroCounts(c0, c1, c2, n_cat);
    const int64_t parent = s.area_parent[child];
    if (parent <= 0) continue;
    const size_t parent_row = s.parent_row[row];
    for (int32_t* sc : slot_counts) AddCounts(&sc[parent_row * n_cat], &sc[row * n_cat], n_cat);
    if (q.coverage) {
      const size_t p = static_cast<size_t>(parent);
      reported.OrInto(p, child);
      expected.OrInto(p, child);
      checked.OrInto(p, child);
    }
  }
  out.rows.resize(result_rows + 1);

  // Rows are written into out.rows, sized once for all of them (plus room for one spare row).
  size_t used = 0;
  auto emit_area = [&](int32_t area_id, size_t row) {
    const size_t total_at = used++;
    // Branch-free: whether a category has counts follows no pattern. Each row is written and
    // kept only when it holds a count. The sums stay in registers (a struct was kept on the stack).
    LagesbildRow* __restrict dst = out.rows.data();
    const int32_t* __restrict c0 = slot_counts[0] + row * n_cat;
    const int32_t* __restrict c1 = slot_counts[1] + row * n_cat;
    const int32_t* __restrict c2 = slot_counts[2] + row * n_cat;
    int32_t t0 = 0, t1 = 0, t2 = 0;
    size_t at = used;
    for (size_t c = 0; c < n_cat; ++c) {
      const int32_t v0 = c0[c], v1 = c1[c], v2 = c2[c];
      dst[at] = LagesbildRow{area_id, static_cast<int32_t>(c), v0, v1, v2};
      at += (v0 | v1 | v2) != 0;
      t0 += v0;
      t1 += v1;
      t2 += v2;
    }
    used = at;
    const LagesbildRow total{area_id, 0, t0, t1, t2};
    dst[total_at] = total;
    return total;
  };

  for (size_t k = 0; k < s.display_order.size(); ++k) {
    const int64_t id = s.display_order[k];
    const size_t idx = static_cast<size_t>(id);
    if (!shown(idx)) continue;
    emit_area(static_cast<int32_t>(id), k + 1);
    if (!q.coverage) continue;
    CoverageRow cov;
    cov.area = AreaId{id};
    // Straight from the bit words: who reported, who checked in, who was expected but silent, and
    // everyone expected or heard from now. Each list is sized once.
    const size_t words = reported.words;
    const uint64_t* rep = &reported.bits[idx * words];
    const uint64_t* chk = &checked.bits[idx * words];
    const uint64_t* exp = &expected.bits[idx * words];
    int n_rep = 0, n_chk = 0, n_silent = 0, all = 0;
    for (size_t w = 0; w < words; ++w) {
      n_rep += __builtin_popcountll(rep[w]);
      n_chk += __builtin_popcountll(chk[w]);
      n_silent += __builtin_popcountll(exp[w] & ~rep[w] & ~chk[w]);
      all += __builtin_popcountll(exp[w] | rep[w] | chk[w]);
    }
    cov.reported.reserve(static_cast<size_t>(n_rep));
    cov.checked_in.reserve(static_cast<size_t>(n_chk));
    cov.silent.reserve(static_cast<size_t>(n_silent));
    auto add_bits = [](uint64_t v, size_t w, std::vector<OrgId>& to) {
      while (v) {
        to.push_back(OrgId{static_cast<int64_t>(w * 64 + static_cast<size_t>(__builtin_ctzll(v)))});
        v &= v - 1;
      }
    };
    for (size_t w = 0; w < words; ++w) {
      add_bits(rep[w], w, cov.reported);
      add_bits(chk[w], w, cov.checked_in);
      add_bits(exp[w] & ~rep[w] & ~chk[w], w, cov.silent);
    }
    cov.expected = all;
    out.coverage.push_back(std::move(cov));
  }
  if (q.areas.empty()) {
    LagesbildRow outside = emit_area(0, 0);
    out.outside = outside.count;
  }
  out.rows.resize(used);
  // Totals: the shown roots plus, without an area filter, the reports outside every area.
  for (size_t k = 0; k < s.display_order.size(); ++k) {
    const size_t idx = static_cast<size_t>(s.display_order[k]);
    if (!shown(idx)) continue;
    int64_t parent = s.area_parent[idx];
    if (parent > 0 && shown(static_cast<size_t>(parent))) continue;
    for (size_t c = 0; c < n_cat; ++c) {
      const size_t at = (k + 1) * n_cat + c;
      out.total += slot_counts[0][at];
      out.total_previous += slot_counts[1][at];
      out.total_last_year += slot_counts[2][at];
    }
  }
  if (q.areas.empty()) {
    for (size_t c = 0; c < n_cat; ++c) {
      out.total += slot_counts[0][c];
      out.total_previous += slot_counts[1][c];
      out.total_last_year += slot_counts[2][c];
    }
  }
  return out;
}

}  // namespace est::analysis
