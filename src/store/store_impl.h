// Private to the store module: the SQLite state behind Store, shared by the files that implement
// its parts (store.cc: configuration and reports; work_store.cc: meetings, problems, actions).
#ifndef EST_STORE_STORE_IMPL_H_
#define EST_STORE_STORE_IMPL_H_

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/password.h"
#include "store/sqlite_db.h"
#include "store/store.h"

namespace est::store {

template <class T>
tl::unexpected<Error> Fail(const Result<T>& r) {
  return tl::unexpected(r.error());
}

inline std::optional<int64_t> OptId(const auto& id) {
  if (!id) return std::nullopt;
  return id->value;
}

// The text hashed into the audit chain for one entry.
std::string ChainInput(const AuditEntry& e);

struct Store::Impl {
  std::mutex mu;
  std::string path;  // as given to Open (":memory:" for tests)
  Db db;
  int version = 0;
  Stmt insert_report;
  Stmt find_source;
  // File databases: the WAL is checkpointed off the writer's path. Declared after db: it detaches
  // and stops before the connection closes.
  std::unique_ptr<Checkpointer> checkpointer;

  // Appends one audit entry; call inside an open transaction.
  Status Audit(const Actor& actor, std::string_view action, std::string_view entity,
               const std::string& entity_id, const std::string& before, const std::string& after) {
    auto last = db.Prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
    if (!last) return Fail(last);
    AuditEntry e;
    auto row = last->Step();
    if (!row) return Fail(row);
    e.seq = *row ? last->Int(0) + 1 : 1;
    e.prev_hash = *row ? last->Text(1) : std::string(64, '0');
    e.at = NowUnix();
    e.actor = actor.label.empty() ? "system" : actor.label;
    e.action = action;
    e.entity = entity;
    e.entity_id = entity_id;
    e.before = before;
    e.after = after;
    e.hash = Sha256Hex(ChainInput(e));
    auto ins = db.Prepare(
        "INSERT INTO audit(seq, at, actor, action, entity, entity_id, before, after, prev_hash, "
        "hash) VALUES (?,?,?,?,?,?,?,?,?,?)");
    if (!ins) return Fail(ins);
    ins->Bind(1, e.seq).Bind(2, e.at).Bind(3, e.actor).Bind(4, e.action).Bind(5, e.entity);
    ins->Bind(6, e.entity_id).Bind(7, e.before).Bind(8, e.after).Bind(9, e.prev_hash);
    ins->Bind(10, e.hash);
    return ins->Run();
  }

  // Inserts one report row; fills the id. REQUIRES: inside a transaction.
  Status InsertReportRow(Report& r) {
    Stmt& s = insert_report;
    s.Bind(1, r.org.value).Bind(2, OptId(r.reporter)).Bind(3, r.occurred_from);
    s.Bind(4, r.occurred_to).Bind(5, r.reported_at).Bind(6, r.e).Bind(7, r.n).Bind(8, r.lon);
    s.Bind(9, r.lat).Bind(10, r.source_epsg).Bind(11, OptId(r.area)).Bind(12, OptId(r.place));
    s.Bind(13, r.category.value).Bind(14, r.severity).Bind(15, r.count);
    // Static binds: `r` and the enum texts outlive the step, and a bulk import must not copy.
    s.BindStatic(16, CertaintyText(r.certainty)).Bind(17, r.police_notified ? 1 : 0);
    s.BindStatic(18, r.description).BindStatic(19, ReportSourceText(r.source));
    if (r.source_id) {
      s.BindStatic(20, *r.source_id);
    } else {
      s.BindNull(20);
    }
    s.BindStatic(21, ReportStatusText(r.status)).Bind(22, r.version);
    s.Bind(23, r.area_only ? 1 : 0);
    if (auto st = s.Run(); !st) return st;
    r.id = ReportId{db.LastInsertId()};
    return {};
  }
};

}  // namespace est::store

#endif  // EST_STORE_STORE_IMPL_H_
