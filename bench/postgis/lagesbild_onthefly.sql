-- The same lägesbild joining reports to areas in the query (ST_Contains on the GIST of areas).
-- A report on a shared edge or in an overlap of two areas would count in both here (est counts it
-- once); the comparison in postgis_compare.sh shows whether that happens in the data.
SELECT a.code AS area_code, r.category,
       count(*) FILTER (WHERE r.local_ts >= :'cur'::timestamp AND r.local_ts < :'cur'::timestamp + interval '7 days') AS count,
       count(*) FILTER (WHERE r.local_ts >= :'prev'::timestamp AND r.local_ts < :'prev'::timestamp + interval '7 days') AS previous,
       count(*) FILTER (WHERE r.local_ts >= :'ly'::timestamp AND r.local_ts < :'ly'::timestamp + interval '7 days') AS last_year
FROM reports r
JOIN areas a ON a.level = 1 AND ST_Contains(a.geom, r.geom)
WHERE (r.local_ts >= :'cur'::timestamp AND r.local_ts < :'cur'::timestamp + interval '7 days')
   OR (r.local_ts >= :'prev'::timestamp AND r.local_ts < :'prev'::timestamp + interval '7 days')
   OR (r.local_ts >= :'ly'::timestamp AND r.local_ts < :'ly'::timestamp + interval '7 days')
GROUP BY a.code, r.category
ORDER BY a.code, r.category
