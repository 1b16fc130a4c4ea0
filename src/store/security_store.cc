// Session purging and the security events (logins, lockouts, logouts, refused requests).
#include <string>
#include <vector>

#include "store/sql_store.h"
#include "store/store.h"

namespace est::store {

Result<int64_t> SqlStore::PurgeSessions(UnixSeconds now, int idle_seconds) {
  std::lock_guard lock(impl_->mu);
  // idle_seconds 0 = no idle limit: the second condition can never hold (last_seen >= 0 > -1).
  auto s = impl_->db.Prepare(
      "DELETE FROM sessions WHERE expires_at <= ?1 OR (?2 > 0 AND last_seen <= ?1 - ?2)");
  if (!s) return Fail(s);
  s->Bind(1, now).Bind(2, idle_seconds);
  if (auto r = s->Run(); !r) return tl::unexpected(r.error());
  return static_cast<int64_t>(impl_->db.Changes());
}

namespace {

// The rows of a SELECT id, at, kind, login, address, detail.
Result<std::vector<SecurityEvent>> ReadEvents(Stmt& s) {
  std::vector<SecurityEvent> out;
  while (true) {
    auto row = s.Step();
    if (!row) return Fail(row);
    if (!*row) break;
    out.push_back({s.Int(0), s.Int(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5)});
  }
  return out;
}

}  // namespace

Status SqlStore::RecordSecurityEvent(const SecurityEvent& event) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(
      "INSERT INTO security_events(at, kind, login, address, detail) VALUES (?,?,?,?,?)");
  if (!s) return Fail(s);
  s->Bind(1, event.at).Bind(2, event.kind).Bind(3, event.login).Bind(4, event.address);
  s->Bind(5, event.detail);
  return s->Run();
}

Result<std::vector<SecurityEvent>> SqlStore::ListSecurityEvents(int64_t before_id, int64_t limit,
                                                                const std::string& kind) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(
      "SELECT id, at, kind, login, address, detail FROM security_events "
      "WHERE (?1 = 0 OR id < ?1) AND (?2 = '' OR kind = ?2) ORDER BY id DESC LIMIT ?3");
  if (!s) return Fail(s);
  s->Bind(1, before_id).Bind(2, kind).Bind(3, limit);
  return ReadEvents(*s);
}

Result<std::vector<SecurityEvent>> SqlStore::LoginEventsAfter(int64_t after_id, UnixSeconds since,
                                                              int64_t limit) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(
      "SELECT id, at, kind, login, address, detail FROM security_events "
      "WHERE id > ?1 AND at >= ?2 AND kind IN ('login_failure', 'login_success') "
      "ORDER BY id LIMIT ?3");
  if (!s) return Fail(s);
  s->Bind(1, after_id).Bind(2, since).Bind(3, limit);
  return ReadEvents(*s);
}

Result<int64_t> SqlStore::PurgeSecurityEvents(UnixSeconds before) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare("DELETE FROM security_events WHERE at < ?");
  if (!s) return Fail(s);
  s->Bind(1, before);
  if (auto r = s->Run(); !r) return tl::unexpected(r.error());
  return static_cast<int64_t>(impl_->db.Changes());
}

}  // namespace est::store
