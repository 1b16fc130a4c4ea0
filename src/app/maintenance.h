// Whole-database use cases: backup and restore while the system runs, and moving a database to
// another backend (`est backup`, `est restore`, `est migrate --to`).
#ifndef EST_APP_MAINTENANCE_H_
#define EST_APP_MAINTENANCE_H_

#include <string>
#include <vector>

#include "app/system.h"
#include "core/error.h"
#include "store/store.h"

namespace est::app {

// Writes a consistent copy of `db` to `file` (must not exist) while others keep writing.
Status BackupDatabase(const std::string& db, const std::string& file);

// Restores `file` (from BackupDatabase) into the empty database `db` of the same backend, then
// checks it: schema migrated to this build's version and the audit chain unbroken.
Status RestoreDatabase(const std::string& file, const std::string& db);

// What `est migrate` found after the copy.
struct MigrationCheck {
  std::vector<store::TableCount> source, target;  // rows per table, same order
  std::string period;                             // the lägesbild compared
  bool audit_ok = false;
  bool lagesbild_equal = false;
};

// Copies every row of `from` into `to` (any backend, empty) and verifies the copy: rows per table
// equal, the audit chain on the target unbroken, the default lägesbild identical on both. The
// copy itself is one transaction on the target; a failed verification is an error (kInternal)
// naming what differs (the target keeps the copy for inspection). The source should not be
// written meanwhile (stop its servers first): the copy is of one moment.
Result<MigrationCheck> MigrateDatabase(const std::string& from, const std::string& to,
                                       const ProgressFn& progress = nullptr);

}  // namespace est::app

#endif  // EST_APP_MAINTENANCE_H_
