// The store's part for published documents: frozen JSON, numbered per (kind, period, org).
#include "store/sql_store.h"
#include "store/store.h"

namespace est::store {
namespace {

StoredDocument ReadDocument(const Stmt& s, bool with_data) {
  StoredDocument d;
  d.id = s.Int(0);
  d.kind = s.Text(1);
  d.period = s.Text(2);
  d.org = s.Text(3);
  d.version = static_cast<int>(s.Int(4));
  d.published_at = s.Int(5);
  d.published_by = s.Text(6);
  if (with_data) d.data = s.Text(7);
  return d;
}

}  // namespace

Result<StoredDocument> SqlStore::InsertDocument(const StoredDocument& doc,
                                                const std::function<std::string(int)>& data_for,
                                                const Actor& actor) {
  std::lock_guard lock(impl_->mu);
  Transaction tx(impl_->db);
  if (!tx.status()) return tl::unexpected(tx.status().error());
  auto last = impl_->db.Prepare(
      "SELECT COALESCE(MAX(version), 0) FROM documents WHERE kind = ? AND period = ? AND org = ?");
  if (!last) return Fail(last);
  last->Bind(1, doc.kind).Bind(2, doc.period).Bind(3, doc.org);
  auto row = last->Step();
  if (!row) return Fail(row);
  StoredDocument out = doc;
  out.version = static_cast<int>(last->Int(0)) + 1;
  out.published_at = NowUnix();
  out.published_by = actor.label.empty() ? "system" : actor.label;
  out.data = data_for(out.version);
  auto s = impl_->db.Prepare(
      "INSERT INTO documents(kind, period, org, version, published_at, published_by, data) "
      "VALUES (?,?,?,?,?,?,?) RETURNING id");
  if (!s) return Fail(s);
  s->Bind(1, out.kind).Bind(2, out.period).Bind(3, out.org).Bind(4, out.version);
  s->Bind(5, out.published_at).Bind(6, out.published_by).Bind(7, out.data);
  auto inserted_id = s->RunReturning();
  if (auto& r = inserted_id; !r) return tl::unexpected(r.error());
  out.id = inserted_id->value_or(0);
  std::string summary = "{\"kind\":\"" + out.kind + "\",\"period\":\"" + out.period +
                        "\",\"org\":\"" + out.org +
                        "\",\"version\":" + std::to_string(out.version) +
                        ",\"bytes\":" + std::to_string(out.data.size()) + "}";
  if (auto a = impl_->Audit(actor, "publish", "document", std::to_string(out.id), "", summary);
      !a) {
    return tl::unexpected(a.error());
  }
  if (auto c = tx.Commit(); !c) return tl::unexpected(c.error());
  return out;
}

Result<std::vector<StoredDocument>> SqlStore::ListDocuments() {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(
      "SELECT id, kind, period, org, version, published_at, published_by FROM documents "
      "ORDER BY id DESC");
  if (!s) return Fail(s);
  std::vector<StoredDocument> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    out.push_back(ReadDocument(*s, false));
  }
  return out;
}

Result<std::optional<StoredDocument>> SqlStore::GetDocument(int64_t id) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(
      "SELECT id, kind, period, org, version, published_at, published_by, data FROM documents "
      "WHERE id = ?");
  if (!s) return Fail(s);
  s->Bind(1, id);
  auto row = s->Step();
  if (!row) return Fail(row);
  if (!*row) return std::optional<StoredDocument>();
  return std::optional<StoredDocument>(ReadDocument(*s, true));
}

}  // namespace est::store
