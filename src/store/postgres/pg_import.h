// The bulk import of reports on PostgreSQL: the rows travel by COPY in the binary format while
// the caller parses the next piece, with ids given by the import under the write lock.
//
// - Into an empty reports table the rows are copied straight into it with the (org, source id)
//   index and the table's foreign keys dropped inside the transaction; at commit repeats of an
//   earlier row's (org, source id) are deleted (the earliest is kept), the parents are checked
//   once per distinct id (naming the field and id of a missing one), then the index and the keys
//   are made again, each in one pass. Readers of reports wait for the commit (the table is
//   locked while the import runs): the initial load of a database.
// - Into a table with reports they are copied into a temporary table and inserted from it in
//   one statement at commit, an (org, source id) that is stored already skipped; readers go on
//   reading, and the foreign keys are checked per row at commit.
//
// A rolled-back import leaves the data as it was (DDL is transactional in PostgreSQL).
#ifndef EST_STORE_POSTGRES_PG_IMPORT_H_
#define EST_STORE_POSTGRES_PG_IMPORT_H_

#include <memory>

#include "core/error.h"
#include "store/sql_store.h"

namespace est::store {

// Takes the store's lock and opens the import's transaction. REQUIRES: `impl` is on PostgreSQL.
Result<std::unique_ptr<ReportImport>> BeginPgReportImport(SqlStore::Impl& impl);

}  // namespace est::store

#endif  // EST_STORE_POSTGRES_PG_IMPORT_H_
