// Versioned schema migrations for the SQLite store. Migration N brings the schema from version
// N-1 to N; Migrate() applies the missing ones in order, each in its own transaction.
#ifndef EST_STORE_SQLITE_SQLITE_SCHEMA_H_
#define EST_STORE_SQLITE_SQLITE_SCHEMA_H_

#include "core/error.h"

namespace est::store {

class Db;

// The schema version this build writes.
int LatestSchemaVersion();

// Applies missing migrations; returns the resulting version. Fails with kUnavailable when the
// file was written by a newer EST (refuses to downgrade).
Result<int> Migrate(Db& db);

}  // namespace est::store

#endif  // EST_STORE_SQLITE_SQLITE_SCHEMA_H_
