// The migrations. Never edit a released migration: add a new one.
#include "store/sqlite/sqlite_schema.h"

#include <string>
#include <vector>

#include "store/db.h"

namespace est::store {
namespace {

const std::vector<const char*>& Migrations() {
  static const std::vector<const char*> kMigrations = {
      // 1: the foundation.
      R"sql(
CREATE TABLE organisations (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  parent_id INTEGER REFERENCES organisations(id),
  needs_review INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  org_id INTEGER REFERENCES organisations(id),
  disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE categories (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name_sv TEXT NOT NULL,
  name_en TEXT NOT NULL,
  grp TEXT NOT NULL,
  dimension TEXT NOT NULL,
  default_severity INTEGER NOT NULL,
  parent_id INTEGER REFERENCES categories(id),
  active INTEGER NOT NULL DEFAULT 1,
  needs_review INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE areas (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  parent_id INTEGER REFERENCES areas(id),
  level INTEGER NOT NULL,
  population INTEGER,
  source_epsg INTEGER NOT NULL,
  geometry TEXT NOT NULL
);
CREATE TABLE places (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  e REAL NOT NULL,
  n REAL NOT NULL,
  area_id INTEGER REFERENCES areas(id)
);
CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  reporter_id INTEGER REFERENCES users(id),
  occurred_from INTEGER NOT NULL,
  occurred_to INTEGER,
  reported_at INTEGER NOT NULL,
  e REAL NOT NULL,
  n REAL NOT NULL,
  lon REAL NOT NULL,
  lat REAL NOT NULL,
  source_epsg INTEGER NOT NULL,
  area_id INTEGER REFERENCES areas(id),
  place_id INTEGER REFERENCES places(id),
  category_id INTEGER NOT NULL REFERENCES categories(id),
  severity INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 3),
  count INTEGER NOT NULL CHECK (count >= 1),
  certainty TEXT NOT NULL,
  police_notified INTEGER NOT NULL,
  description TEXT NOT NULL,
  source TEXT NOT NULL,
  source_id TEXT,
  status TEXT NOT NULL,
  version INTEGER NOT NULL
);
CREATE UNIQUE INDEX reports_source ON reports(org_id, source_id) WHERE source_id IS NOT NULL;
CREATE INDEX reports_time ON reports(occurred_from);
CREATE TABLE checkins (
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  area_id INTEGER NOT NULL REFERENCES areas(id),
  iso_year INTEGER NOT NULL,
  iso_week INTEGER NOT NULL,
  nothing_to_report INTEGER NOT NULL,
  by_user INTEGER REFERENCES users(id),
  at INTEGER NOT NULL,
  PRIMARY KEY (org_id, area_id, iso_year, iso_week)
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  before TEXT NOT NULL,
  after TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
)sql",
      // 2: reports are listed newest-reported first (rowid order) and time filtering is served by
      // the analysis engine; the occurred_from index cost ~15% of bulk-import time.
      "DROP INDEX IF EXISTS reports_time;",
      // 3: review outcome on reports; the work after the picture: meetings, problems, actions.
      // The entities' lists (attendees, decisions, linked areas ...) are kept as JSON in `data`;
      // the columns beside it are what lists filter and sort on.
      R"sql(
ALTER TABLE reports ADD COLUMN review_note TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN duplicate_of INTEGER REFERENCES reports(id);
CREATE TABLE meetings (
  id INTEGER PRIMARY KEY,
  held_on TEXT NOT NULL,
  kind TEXT NOT NULL,
  period TEXT NOT NULL,
  data TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE problems (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  status TEXT NOT NULL,
  data TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE actions (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  status TEXT NOT NULL,
  owner_org_id INTEGER NOT NULL REFERENCES organisations(id),
  meeting_id INTEGER REFERENCES meetings(id),
  follow_up TEXT NOT NULL,
  data TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql",
      // 4: published (frozen) documents; `data` is the document as JSON.
      R"sql(
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  period TEXT NOT NULL,
  org TEXT NOT NULL,
  version INTEGER NOT NULL,
  published_at INTEGER NOT NULL,
  published_by TEXT NOT NULL,
  data TEXT NOT NULL,
  UNIQUE (kind, period, org, version)
);
)sql",
      // 5: other information: survey results and the police's list of vulnerable areas.
      R"sql(
CREATE TABLE surveys (
  id INTEGER PRIMARY KEY,
  area_id INTEGER NOT NULL REFERENCES areas(id),
  indicator TEXT NOT NULL,
  period TEXT NOT NULL,
  source TEXT NOT NULL,
  value REAL NOT NULL,
  n INTEGER,
  UNIQUE (area_id, indicator, period, source)
);
CREATE TABLE vulnerable_areas (
  id INTEGER PRIMARY KEY,
  year INTEGER NOT NULL,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  category INTEGER NOT NULL CHECK (category IN (1, 2)),
  since TEXT NOT NULL,
  area_m2 REAL NOT NULL,
  share_inside REAL NOT NULL,
  area_id INTEGER REFERENCES areas(id),
  geometry TEXT NOT NULL,
  UNIQUE (year, code)
);
)sql",
      // 6: messages to an organisation's reporters (the weekly summary).
      R"sql(
CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  period TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX messages_org ON messages(org_id, id);
-- Partial: only duplicates are indexed, so bulk imports (duplicate_of NULL) pay nothing.
CREATE INDEX reports_duplicate_of ON reports(duplicate_of) WHERE duplicate_of IS NOT NULL;
)sql",
      // 7: the history of one entity (a problem's or an action's changes) is read from the audit.
      "CREATE INDEX audit_entity ON audit(entity, entity_id, seq);",
      // 8: reports placed only by their area (bara område), with no point.
      "ALTER TABLE reports ADD COLUMN area_only INTEGER NOT NULL DEFAULT 0;",
      // 9: sessions end after idle time and are capped per user (created_at, last_seen; a session
      // from before counts as just used); security events (logins, lockouts, logouts, 403s) in
      // their own table, not the audit chain: they are not changes to data, and a login storm
      // must not grow the tamper-evident chain.
      R"sql(
ALTER TABLE sessions ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN last_seen INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET created_at = expires_at - 43200,
                    last_seen = CAST(strftime('%s', 'now') AS INTEGER);
CREATE INDEX sessions_user ON sessions(user_id, created_at);
CREATE TABLE security_events (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  login TEXT NOT NULL,
  address TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX security_events_at ON security_events(at);
)sql",
      // 10: the change feed for several servers on one database. An update stamps the report
      // with the audit seq of its transaction; inserts keep 0 (they are found by the id ranges
      // their audit entries name), so the partial index costs an import nothing.
      R"sql(
ALTER TABLE reports ADD COLUMN changed_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX reports_changed ON reports(changed_seq) WHERE changed_seq > 0;
)sql",
      // 11: the coordinator's choices of category for the police's event types (est import
      // polisen); a type without a row takes the shipped default. category_id NULL = the type
      // is not imported.
      R"sql(
CREATE TABLE police_types (
  type TEXT PRIMARY KEY,
  category_id INTEGER REFERENCES categories(id),
  changed_at INTEGER NOT NULL
);
)sql",
      // 12: personal API tokens for machine clients (Authorization: Bearer). Only the SHA-256 of
      // a token is stored; `prefix` (its first characters) tells tokens apart in lists.
      // expires_at 0 = never; revoked_at 0 = live.
      R"sql(
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER NOT NULL DEFAULT 0,
  last_used INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
)sql",
      // 13: settings of the configuration (the basemap, …) and the address points of the
      // report form's place search (replaced as a whole by `est import addresses`).
      R"sql(
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  changed_at INTEGER NOT NULL
);
CREATE TABLE addresses (
  id INTEGER PRIMARY KEY,
  street TEXT NOT NULL,
  number TEXT NOT NULL,
  postcode TEXT NOT NULL,
  locality TEXT NOT NULL,
  e REAL NOT NULL,
  n REAL NOT NULL
);
)sql",
  };
  return kMigrations;
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(Migrations().size()); }

Result<int> Migrate(Db& db) {
  if (auto s = db.Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      !s) {
    return tl::unexpected(s.error());
  }
  auto q = db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  if (!q) return tl::unexpected(q.error());
  auto row = q->Step();
  if (!row) return tl::unexpected(row.error());
  int current = static_cast<int>(q->Int(0));
  q->Reset();
  if (current > LatestSchemaVersion()) {
    return MakeError(ErrorCode::kUnavailable,
                     "Databasen har schemaversion " + std::to_string(current) +
                         " men detta program känner bara till version " +
                         std::to_string(LatestSchemaVersion()) + "; uppgradera EST.");
  }
  const auto& migrations = Migrations();
  for (int v = current + 1; v <= LatestSchemaVersion(); ++v) {
    Transaction tx(db);
    if (!tx.status()) return tl::unexpected(tx.status().error());
    if (auto s = db.Exec(migrations[static_cast<size_t>(v - 1)]); !s) {
      return tl::unexpected(s.error());
    }
    if (auto s = db.Exec("INSERT INTO schema_version(version) VALUES (" + std::to_string(v) + ")");
        !s) {
      return tl::unexpected(s.error());
    }
    if (auto s = tx.Commit(); !s) return tl::unexpected(s.error());
  }
  return LatestSchemaVersion();
}

}  // namespace est::store
