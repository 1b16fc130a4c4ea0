// Store::Open: the backend named by the URL.
#include <string>

#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace est::store {

bool Store::IsPostgresUrl(const std::string& url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& url) {
  if (IsPostgresUrl(url)) return OpenPostgresStore(url);
  if (url.find("://") != std::string::npos) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "Okänd databasadress \"" + url.substr(0, url.find("://") + 3) +
                         "…\": ange en filsökväg (SQLite) eller postgresql://användare@värd:port/"
                         "databas",
                     {{"db", "okänt schema"}});
  }
  return OpenSqliteStore(url);
}

}  // namespace est::store
