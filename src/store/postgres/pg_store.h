// The PostgreSQL backend of the store: a database on a PostgreSQL 15 server (libpq), created by
// its owner (EST creates the tables, never the database), migrated on open (pg_schema.cc). Several
// servers may share it: every write transaction takes one advisory lock, so the audit chain stays
// one line and optimistic versions hold across servers.
#ifndef EST_STORE_POSTGRES_PG_STORE_H_
#define EST_STORE_POSTGRES_PG_STORE_H_

#include <memory>
#include <string>

#include "core/error.h"
#include "store/store.h"

namespace est::store {

// Connects to the database of `url` (postgresql://user@host:port/dbname) and migrates it.
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url);

}  // namespace est::store

#endif  // EST_STORE_POSTGRES_PG_STORE_H_
