-- Compares est's CSV output (tables est_lagesbild, est_hotspots) with the SQL results
-- (sql_lagesbild_precomputed, sql_lagesbild_onthefly, sql_gistar). One row per comparison:
-- name, rows compared, mismatches. Level-0 (region total) rows of est are left out.
\pset footer off
CREATE TEMP VIEW lb_cmp AS
SELECT 'lagesbild_precomputed' AS name, e.area_code IS NULL OR s.area_code IS NULL
         OR e.count <> s.count OR e.previous <> s.previous OR e.last_year <> s.last_year AS bad,
       coalesce(e.area_code, s.area_code) AS area_code, coalesce(e.category, s.category) AS category,
       e.count AS est_count, s.count AS sql_count, e.previous AS est_prev, s.previous AS sql_prev,
       e.last_year AS est_ly, s.last_year AS sql_ly
FROM (SELECT area_code, category, count::bigint, previous::bigint, last_year::bigint
      FROM est_lagesbild WHERE level = '1') e
FULL JOIN sql_lagesbild_precomputed s USING (area_code, category)
UNION ALL
SELECT 'lagesbild_onthefly', e.area_code IS NULL OR s.area_code IS NULL
         OR e.count <> s.count OR e.previous <> s.previous OR e.last_year <> s.last_year,
       coalesce(e.area_code, s.area_code), coalesce(e.category, s.category),
       e.count, s.count, e.previous, s.previous, e.last_year, s.last_year
FROM (SELECT area_code, category, count::bigint, previous::bigint, last_year::bigint
      FROM est_lagesbild WHERE level = '1') e
FULL JOIN sql_lagesbild_onthefly s USING (area_code, category);

CREATE TEMP VIEW hs_cmp AS
SELECT 'gistar' AS name, e.ix IS NULL OR s.ix IS NULL
         OR e.count <> s.count OR e.local_sum <> s.local_sum OR e.n_neigh <> s.n_neigh
         OR abs(e.gi_star - s.gi_star) > 1e-6 AS bad,
       coalesce(e.ix, s.ix) AS ix, coalesce(e.iy, s.iy) AS iy, e.count AS est_count, s.count AS sql_count,
       e.local_sum AS est_local, s.local_sum AS sql_local, e.n_neigh AS est_w, s.n_neigh AS sql_w,
       e.gi_star AS est_gi, s.gi_star AS sql_gi,
       abs(e.gi_star - s.gi_star) AS gi_diff
FROM (SELECT ix::int, iy::int, count::bigint, local_sum::float8, n_neigh::int, gi_star::float8
      FROM est_hotspots) e
FULL JOIN sql_gistar s USING (ix, iy);

\echo '-- first mismatches (if any)'
SELECT * FROM lb_cmp WHERE bad ORDER BY name, area_code, category LIMIT 10;
SELECT * FROM hs_cmp WHERE bad ORDER BY iy, ix LIMIT 10;
\echo '-- summary'
\pset tuples_only on
\pset format unaligned
\pset fieldsep ' '
SELECT name, count(*), count(*) FILTER (WHERE bad), 0 FROM lb_cmp GROUP BY name
UNION ALL
SELECT name, count(*), count(*) FILTER (WHERE bad), max(gi_diff) FROM hs_cmp GROUP BY name
ORDER BY 1;
