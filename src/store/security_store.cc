// Session purging, the security events (logins, lockouts, logouts, refused requests) and the
// personal API tokens.
#include <nlohmann/json.hpp>
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

// ---- personal API tokens ----

namespace est::store {
namespace {

constexpr const char* kTokenColumns =
    "id, user_id, name, token_hash, prefix, created_at, expires_at, revoked_at, last_used";

ApiToken ReadToken(const Stmt& s) {
  ApiToken t;
  t.id = s.Int(0);
  t.user = UserId{s.Int(1)};
  t.name = s.Text(2);
  t.token_hash = s.Text(3);
  t.prefix = s.Text(4);
  t.created_at = s.Int(5);
  t.expires_at = s.Int(6);
  t.revoked_at = s.Int(7);
  t.last_used = s.Int(8);
  return t;
}

// The audit's view of a token: never its hash.
std::string TokenAuditJson(const ApiToken& t) {
  return nlohmann::json{{"user_id", t.user.value},  {"name", t.name},
                        {"prefix", t.prefix},       {"expires_at", t.expires_at},
                        {"revoked_at", t.revoked_at}}
      .dump();
}

}  // namespace

Result<ApiToken> SqlStore::CreateApiToken(const ApiToken& token, const Actor& actor) {
  std::lock_guard lock(impl_->mu);
  Transaction tx(impl_->db);
  if (!tx.status()) return tl::unexpected(tx.status().error());
  auto s = impl_->db.Prepare(
      "INSERT INTO api_tokens(user_id, name, token_hash, prefix, created_at, expires_at) "
      "VALUES (?,?,?,?,?,?) RETURNING id");
  if (!s) return Fail(s);
  s->Bind(1, token.user.value).Bind(2, token.name).Bind(3, token.token_hash);
  s->Bind(4, token.prefix).Bind(5, token.created_at).Bind(6, token.expires_at);
  auto id = s->RunReturning();
  if (!id) return Fail(id);
  ApiToken out = token;
  out.id = id->value_or(0);
  if (auto a = impl_->Audit(actor, "create", "api_token", std::to_string(out.id), "",
                            TokenAuditJson(out));
      !a) {
    return tl::unexpected(a.error());
  }
  if (auto c = tx.Commit(); !c) return tl::unexpected(c.error());
  return out;
}

Result<std::vector<ApiToken>> SqlStore::ListApiTokens(std::optional<UserId> user) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(std::string("SELECT ") + kTokenColumns + " FROM api_tokens" +
                             (user ? " WHERE user_id = ?" : "") + " ORDER BY id DESC");
  if (!s) return Fail(s);
  if (user) s->Bind(1, user->value);
  std::vector<ApiToken> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return Fail(row);
    if (!*row) break;
    out.push_back(ReadToken(*s));
  }
  return out;
}

Result<ApiToken> SqlStore::RevokeApiToken(int64_t id, UnixSeconds now, const Actor& actor) {
  std::lock_guard lock(impl_->mu);
  Transaction tx(impl_->db);
  if (!tx.status()) return tl::unexpected(tx.status().error());
  auto s = impl_->db.Prepare(std::string("SELECT ") + kTokenColumns + " FROM api_tokens WHERE id = ?");
  if (!s) return Fail(s);
  s->Bind(1, id);
  auto row = s->Step();
  if (!row) return Fail(row);
  if (!*row) {
    return MakeError(ErrorCode::kNotFound, "Nyckeln finns inte",
                     {{"id", "ingen nyckel har id " + std::to_string(id)}});
  }
  ApiToken before = ReadToken(*s);
  s->Reset();
  if (before.revoked_at) return before;
  auto u = impl_->db.Prepare("UPDATE api_tokens SET revoked_at = ? WHERE id = ?");
  if (!u) return Fail(u);
  u->Bind(1, now).Bind(2, id);
  if (auto r = u->Run(); !r) return tl::unexpected(r.error());
  ApiToken after = before;
  after.revoked_at = now;
  if (auto a = impl_->Audit(actor, "revoke", "api_token", std::to_string(id),
                            TokenAuditJson(before), TokenAuditJson(after));
      !a) {
    return tl::unexpected(a.error());
  }
  if (auto c = tx.Commit(); !c) return tl::unexpected(c.error());
  return after;
}

Result<std::optional<ApiToken>> SqlStore::FindApiToken(const std::string& token_hash,
                                                       UnixSeconds now) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->db.Prepare(std::string("SELECT ") + kTokenColumns +
                             " FROM api_tokens WHERE token_hash = ? AND revoked_at = 0 AND "
                             "(expires_at = 0 OR expires_at > ?)");
  if (!s) return Fail(s);
  s->Bind(1, token_hash).Bind(2, now);
  auto row = s->Step();
  if (!row) return Fail(row);
  if (!*row) return std::optional<ApiToken>();
  ApiToken t = ReadToken(*s);
  s->Reset();
  if (t.last_used < now - 60) {
    auto u = impl_->db.Prepare("UPDATE api_tokens SET last_used = ? WHERE id = ?");
    if (!u) return Fail(u);
    u->Bind(1, now).Bind(2, t.id);
    if (auto r = u->Run(); !r) return tl::unexpected(r.error());
    t.last_used = now;
  }
  return std::optional<ApiToken>(std::move(t));
}

}  // namespace est::store
