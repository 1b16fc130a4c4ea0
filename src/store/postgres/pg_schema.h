// Versioned schema migrations for the PostgreSQL store. The schema version is the same number as
// on SQLite (sqlite_schema.cc) for the same tables: a new database starts at the baseline (the
// whole schema of version 9, the first with a PostgreSQL backend) and every later migration is
// written for both backends.
#ifndef EST_STORE_POSTGRES_PG_SCHEMA_H_
#define EST_STORE_POSTGRES_PG_SCHEMA_H_

#include "core/error.h"

namespace est::store {

class Db;

// Applies the missing migrations in one transaction under the write lock (two servers starting
// together migrate once); returns the resulting version. kUnavailable when the database was
// written by a newer EST.
Result<int> MigratePg(Db& db);

}  // namespace est::store

#endif  // EST_STORE_POSTGRES_PG_SCHEMA_H_
