-- Lägesbild for the week: reports per level-1 area × category in the week (:cur = its Monday),
-- the previous week (:prev) and the same ISO week a year earlier (:ly), by Stockholm local time.
-- Area join precomputed (reports.area_id). Three range scans joined by UNION ALL are index-only
-- scans of the covering btree on local_ts; an OR of the ranges became a BitmapOr over the heap,
-- one random page per report (1.6 s at 10 M reports).
WITH r AS (
  SELECT area_id, category, 0 AS k FROM reports
  WHERE local_ts >= :'cur'::timestamp AND local_ts < :'cur'::timestamp + interval '7 days'
  UNION ALL
  SELECT area_id, category, 1 FROM reports
  WHERE local_ts >= :'prev'::timestamp AND local_ts < :'prev'::timestamp + interval '7 days'
  UNION ALL
  SELECT area_id, category, 2 FROM reports
  WHERE local_ts >= :'ly'::timestamp AND local_ts < :'ly'::timestamp + interval '7 days')
SELECT a.code AS area_code, r.category,
       count(*) FILTER (WHERE r.k = 0) AS count,
       count(*) FILTER (WHERE r.k = 1) AS previous,
       count(*) FILTER (WHERE r.k = 2) AS last_year
FROM r
JOIN areas a ON a.id = r.area_id AND a.level = 1
GROUP BY a.code, r.category
ORDER BY a.code, r.category
