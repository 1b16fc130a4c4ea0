// The SQLite backend of the store: a database file (or ":memory:"), WAL with synchronous=FULL,
// its schema migrations (sqlite_schema.cc), the fast bulk paths (an import with the per-row
// foreign-key checks replaced by one check per distinct id at commit; the engine's start-up read
// through a memory map on several connections) and the online backup.
#ifndef EST_STORE_SQLITE_SQLITE_STORE_H_
#define EST_STORE_SQLITE_SQLITE_STORE_H_

#include <memory>
#include <string>

#include "core/error.h"
#include "store/store.h"

namespace est::store {

// Opens or creates the SQLite database at `path` and migrates it.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path);

}  // namespace est::store

#endif  // EST_STORE_SQLITE_SQLITE_STORE_H_
