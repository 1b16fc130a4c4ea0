#!/usr/bin/env bash
# Side by side with PostGIS: loads the data of an `est bench --dir DIR` run into a private
# PostgreSQL 15 + PostGIS 3 cluster, runs the same week's lägesbild and Gi* hotspots as SQL, checks
# that SQL and est give identical numbers and prints the speed ratios against est's figures.
#
# Usage: bench/postgis_compare.sh DIR [PORT] [EST_JSON]
#   DIR       an `est bench --dir DIR` work dir (areas.geojson, reports.csv, bench.db)
#   PORT      port of the private cluster, loopback only (default 55432)
#   EST_JSON  est bench's JSON output (default DIR/../$(basename DIR).json, e.g. /tmp/bench10m.json);
#             its "period" is the week measured; without it the last complete ISO week is used.
# Environment: EST = the est binary (default: build/est of this checkout), REPEATS (default 5),
#   PG_KEEP=1 leaves the cluster running at exit for a look at the plans (stop it with
#   runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D DIR/pg stop).
#
# Runs as root (installs packages with apt-get when missing; the cluster runs as the postgres OS
# user). The cluster lives in DIR/pg with its socket in DIR/pg-sock and is stopped and removed at
# exit. Durability settings stay at their defaults (fsync on, synchronous_commit on,
# full_page_writes on, wal_level replica), so the load is as durable as est's import.
# Exit status: 0 when every comparison passes, 1 on a mismatch, 2 on a usage or setup error.
set -euo pipefail

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[[ $# -ge 1 && $# -le 3 && "$1" != -h && "$1" != --help ]] || usage
DIR=$(realpath "$1")
PORT=${2:-55432}
EST_JSON=${3:-$(dirname "$DIR")/$(basename "$DIR").json}
HERE=$(cd "$(dirname "$0")" && pwd)
SQL_DIR=$HERE/postgis
EST=${EST:-$HERE/../build/est}
REPEATS=${REPEATS:-5}
PG_VERSION=15
PGBIN=/usr/lib/postgresql/$PG_VERSION/bin
PGDATA=$DIR/pg
SOCK=$DIR/pg-sock
OUT=$DIR/postgis-compare
for f in areas.geojson reports.csv bench.db; do
  [[ -f $DIR/$f ]] || { echo "saknas: $DIR/$f (kör först est bench --dir $DIR)" >&2; exit 2; }
done
[[ -x $EST ]] || { echo "est saknas: $EST (sätt EST=...)" >&2; exit 2; }
[[ $PORT =~ ^[0-9]+$ ]] || { echo "ogiltig port: $PORT" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "kör som root (apt-get, runuser)" >&2; exit 2; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# 1. PostgreSQL 15 + PostGIS 3, installed once.
if [[ ! -x $PGBIN/postgres || ! -f /usr/share/postgresql/$PG_VERSION/extension/postgis.control ]]; then
  log "installerar PostgreSQL $PG_VERSION + PostGIS 3"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-$PG_VERSION-postgis-3 >/dev/null
fi

# 2. A private cluster on loopback only, removed at exit.
pgctl() { runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" "$@"; }
cleanup() {
  local rc=$?
  if [[ ${PG_KEEP:-0} == 1 ]]; then
    echo "klustret körs kvar: psql -h $SOCK -p $PORT -U postgres est" >&2
    exit $rc
  fi
  if [[ -f $PGDATA/postmaster.pid ]]; then pgctl -m fast -w -t 60 stop >/dev/null 2>&1 || true; fi
  rm -rf "$PGDATA" "$SOCK"
  exit $rc
}
if [[ -f $PGDATA/postmaster.pid ]]; then  # left over from an interrupted run
  pgctl -m fast -w -t 60 stop >/dev/null 2>&1 || true
fi
rm -rf "$PGDATA" "$SOCK"
mkdir -p "$PGDATA" "$SOCK" "$OUT"
chown postgres: "$PGDATA" "$SOCK"
chmod 700 "$PGDATA" "$SOCK"
: >"$OUT/postgres.log"
chown postgres: "$OUT/postgres.log"
trap cleanup EXIT
trap 'exit 130' INT TERM
log "initdb $PGDATA"
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C \
  --auth-local=trust --auth-host=scram-sha-256 >"$OUT/initdb.log"
# 2 cores, 24 GiB: a quarter of RAM (rounded down) as shared buffers; big work_mem and
# maintenance_work_mem for the aggregates and index builds; room in the WAL for a 10 M-row load;
# no JIT (it compiled for 0.3 s per query and bought nothing for these plans).
PG_OPTS="-p $PORT -c listen_addresses=127.0.0.1 -k $SOCK \
 -c shared_buffers=2GB -c work_mem=256MB -c maintenance_work_mem=2GB \
 -c effective_cache_size=16GB -c max_parallel_workers_per_gather=2 -c max_parallel_workers=2 \
 -c max_parallel_maintenance_workers=2 -c max_worker_processes=8 -c random_page_cost=1.1 \
 -c max_wal_size=16GB -c checkpoint_timeout=30min -c jit=off"
log "startar klustret på 127.0.0.1:$PORT"
pgctl -l "$OUT/postgres.log" -w -t 120 -o "$PG_OPTS" start >/dev/null
runuser -u postgres -- "$PGBIN/createdb" -h "$SOCK" -p "$PORT" -U postgres est
export PGOPTIONS="-c client_min_messages=warning"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U postgres -d est)
q() { "${PSQL[@]}" -At "$@"; }

# The week: est bench's period, else the last complete ISO week.
WEEK=""
if [[ -s $EST_JSON ]]; then WEEK=$(jq -r '.period // empty' "$EST_JSON"); fi
if [[ -z $WEEK ]]; then
  WEEK=$(q -c "SELECT to_char(current_date - 7, 'IYYY-\"W\"IW')")
  log "ingen est-JSON ($EST_JSON): använder förra veckan $WEEK"
fi
[[ $WEEK =~ ^([0-9]{4})-W([0-9]{2})$ ]] || { echo "ogiltig vecka: $WEEK" >&2; exit 2; }
WY=${BASH_REMATCH[1]}
WN=$((10#${BASH_REMATCH[2]}))
# Mondays of the week, the previous week and the same ISO week a year earlier (est:
# SamePeriodLastYear = ISO week min(W, weeks in year − 1) of year − 1).
read -r CUR PREV LY < <(q -F ' ' -c "
  WITH w AS (SELECT to_date('$WY-$WN-1', 'IYYY-IW-ID') AS cur,
                    least($WN, extract(week FROM make_date($WY - 1, 12, 28))::int) AS lyw)
  SELECT cur, cur - 7, to_date(($WY - 1) || '-' || lyw || '-1', 'IYYY-IW-ID') FROM w")
VARS=(-v "cur=$CUR" -v "prev=$PREV" -v "ly=$LY")
log "vecka $WEEK: måndag $CUR, förra veckan $PREV, samma vecka i fjol $LY"

SETTINGS=$(q -F ' ' -c "SELECT string_agg(name || '=' || current_setting(name), ' ' ORDER BY name)
  FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_level',
  'shared_buffers', 'work_mem', 'max_parallel_workers_per_gather', 'jit')")
VERSIONS=$(q -c "SELECT split_part(version(), ' on ', 1)")

# 3. Load: schema and areas, COPY with generated geometry and local time, area join, indexes.
log "läser in områden"
t=$(now_ms)
"${PSQL[@]}" -f "$SQL_DIR/schema.sql" <"$DIR/areas.geojson"
AREAS_MS=$(( $(now_ms) - t ))
VERSIONS="$VERSIONS, PostGIS $(q -c "SELECT postgis_lib_version()")"
log "COPY reports.csv"
t=$(now_ms)
"${PSQL[@]}" -f "$SQL_DIR/copy.sql" <"$DIR/reports.csv"
COPY_MS=$(( $(now_ms) - t ))
ROWS=$(q -c "SELECT count(*) FROM reports_raw")
log "områdeskoppling (ST_Contains, djupaste området) för $ROWS rapporter"
t=$(now_ms)
"${PSQL[@]}" -f "$SQL_DIR/area_join.sql"
JOIN_MS=$(( $(now_ms) - t ))
log "index (GiST på geometrin, btree på lokal tid)"
t=$(now_ms)
"${PSQL[@]}" -f "$SQL_DIR/indexes.sql"
INDEX_MS=$(( $(now_ms) - t ))
t=$(now_ms)
"${PSQL[@]}" -c "VACUUM ANALYZE reports"
ANALYZE_MS=$(( $(now_ms) - t ))
LOAD_MS=$((COPY_MS + JOIN_MS + INDEX_MS + ANALYZE_MS))
DB_BYTES=$(q -c "SELECT pg_database_size('est')")
UNMATCHED=$(q -c "SELECT count(*) FROM reports r LEFT JOIN areas a ON a.id = r.area_id
                  WHERE a.level IS DISTINCT FROM 1")
rate() { awk -v r="$1" -v ms="$2" 'BEGIN { printf "%.0f", (ms > 0 ? r / (ms / 1000) : 0) }'; }

# 4–5. Queries: warm-up, then the median of REPEATS runs of EXPLAIN (ANALYZE, TIMING OFF);
# time = planning + execution, inside the server (no result transfer), like est's in-process figure.
median_ms() {  # $1 = SQL file
  local f=$1 i
  {
    for ((i = 0; i <= REPEATS; i++)); do
      echo "EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON)"
      cat "$f"
      echo ";"
    done
  } | "${PSQL[@]}" -At "${VARS[@]}" -f - >"$OUT/$(basename "$f" .sql).explain.json"
  jq -s 'map(.[0]["Planning Time"] + .[0]["Execution Time"]) | .[1:] | sort | .[length / 2 | floor]' \
    "$OUT/$(basename "$f" .sql).explain.json"
}
materialize() {  # $1 = table, $2 = SQL file
  { echo "DROP TABLE IF EXISTS $1; CREATE TABLE $1 AS"; cat "$2"; echo ";"; } |
    "${PSQL[@]}" "${VARS[@]}" -f -
}
log "lägesbild (förberäknad koppling)"
LB_PRE_MS=$(median_ms "$SQL_DIR/lagesbild_precomputed.sql")
log "lägesbild (ST_Contains i frågan)"
LB_FLY_MS=$(median_ms "$SQL_DIR/lagesbild_onthefly.sql")
log "Gi*"
GI_MS=$(median_ms "$SQL_DIR/gistar.sql")
materialize sql_lagesbild_precomputed "$SQL_DIR/lagesbild_precomputed.sql"
materialize sql_lagesbild_onthefly "$SQL_DIR/lagesbild_onthefly.sql"
materialize sql_gistar "$SQL_DIR/gistar.sql"
# The plans, for the record.
for f in lagesbild_precomputed lagesbild_onthefly gistar; do
  { echo "EXPLAIN (ANALYZE, BUFFERS)"; cat "$SQL_DIR/$f.sql"; echo ";"; } |
    "${PSQL[@]}" "${VARS[@]}" -f - >"$OUT/$f.plan.txt"
done

# 6. est's numbers for the same week, and the comparison.
log "est lagesbild/hotspots för $WEEK"
"$EST" --db "$DIR/bench.db" lagesbild --period "$WEEK" --format csv >"$OUT/est_lagesbild.csv"
"$EST" --db "$DIR/bench.db" hotspots --period "$WEEK" --extent bbox --format csv >"$OUT/est_hotspots.csv"
"${PSQL[@]}" <<EOF
CREATE TABLE est_lagesbild (area_code text, area_name text, category text, count text, previous text,
  last_year text, category_name text, level text, change_previous text, z_previous text,
  change_last_year text, z_last_year text);
\copy est_lagesbild FROM '$OUT/est_lagesbild.csv' WITH (FORMAT csv, HEADER true)
CREATE TABLE est_hotspots (ix text, iy text, count text, local_sum text, n_neigh text, gi_star text,
  p text, p_fdr text, bin text, significant_fdr text);
\copy est_hotspots FROM '$OUT/est_hotspots.csv' WITH (FORMAT csv, HEADER true)
EOF
"${PSQL[@]}" -f "$SQL_DIR/compare.sql" >"$OUT/compare.txt"
FAILED=0
echo
echo "== PostGIS vs est, $WEEK, $ROWS reports, $(q -c "SELECT count(*) FROM areas WHERE level = 1") level-1 areas =="
while read -r name rows bad maxdiff; do
  [[ -n $name ]] || continue
  extra=""
  [[ $name == gistar ]] && extra=", max |Δgi_star| = $maxdiff"
  if [[ $bad -eq 0 && $rows -gt 0 ]]; then
    echo "PASS $name: $rows rows compared, 0 mismatches$extra"
  else
    echo "FAIL $name: $rows rows compared, $bad mismatches$extra (see $OUT/compare.txt)"
    FAILED=1
  fi
done < <(sed -n '/^-- summary/,$p' "$OUT/compare.txt" | tail -n +2)
[[ $FAILED -eq 0 ]] || sed -n '1,/^-- summary/p' "$OUT/compare.txt"

# 7. Figures and ratios.
est_val() { [[ -s $EST_JSON ]] && jq -r ".$1 // empty" "$EST_JSON" || true; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf (a / b < 10 ? "%.1f×" : "%.0f×"), a / b; else printf "n/a" }'; }
fmt() { awk -v v="$1" 'BEGIN { if (v == "") printf "n/a"; else if (v < 10) printf "%.2f", v; else printf "%.0f", v }'; }
E_LB=$(est_val lagesbild_week_ms)
E_GI=$(est_val hotspots_week_ms)
E_IMP=$(est_val import_rows_per_s)
LOAD_RATE=$(rate "$ROWS" "$LOAD_MS")
echo
echo "PostgreSQL: $VERSIONS; $SETTINGS"
echo "load: COPY $COPY_MS ms ($(rate "$ROWS" "$COPY_MS") rows/s) + area join $JOIN_MS ms ($(rate "$ROWS" "$JOIN_MS") rows/s)" \
  "+ indexes $INDEX_MS ms + VACUUM ANALYZE $ANALYZE_MS ms = $LOAD_MS ms ($LOAD_RATE rows/s); areas $AREAS_MS ms;" \
  "database $((DB_BYTES / 1048576)) MiB; reports without a level-1 area: $UNMATCHED"
echo "import: PostGIS $LOAD_RATE rows/s / est $(fmt "$E_IMP") rows/s = est $(ratio "$E_IMP" "$LOAD_RATE") faster"
echo "lägesbild week: PostGIS $(fmt "$LB_PRE_MS") ms (precomputed join) / est $(fmt "$E_LB") ms = $(ratio "$LB_PRE_MS" "$E_LB")"
echo "lägesbild week: PostGIS $(fmt "$LB_FLY_MS") ms (ST_Contains in the query) / est $(fmt "$E_LB") ms = $(ratio "$LB_FLY_MS" "$E_LB")"
echo "Gi* week: PostGIS $(fmt "$GI_MS") ms / est $(fmt "$E_GI") ms = $(ratio "$GI_MS" "$E_GI")"
jq -n --arg week "$WEEK" --argjson rows "$ROWS" --argjson copy_ms "$COPY_MS" --argjson join_ms "$JOIN_MS" \
  --argjson index_ms "$INDEX_MS" --argjson analyze_ms "$ANALYZE_MS" --argjson load_ms "$LOAD_MS" \
  --argjson load_rows_per_s "$LOAD_RATE" --argjson lb_pre "$LB_PRE_MS" --argjson lb_fly "$LB_FLY_MS" \
  --argjson gi "$GI_MS" --argjson db_bytes "$DB_BYTES" --argjson failed "$FAILED" \
  '{period: $week, reports: $rows, copy_ms: $copy_ms, area_join_ms: $join_ms, index_ms: $index_ms,
    analyze_ms: $analyze_ms, load_ms: $load_ms, load_rows_per_s: $load_rows_per_s,
    lagesbild_week_precomputed_ms: $lb_pre, lagesbild_week_onthefly_ms: $lb_fly,
    gistar_week_ms: $gi, database_bytes: $db_bytes, identical: ($failed == 0)}' >"$OUT/postgis.json"
echo "(figures in $OUT/postgis.json)"
exit $FAILED
