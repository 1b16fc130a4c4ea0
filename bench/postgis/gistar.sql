-- Getis-Ord Gi* (Esri form, REFERENCE.md 3.2) for the week on a 250 m grid anchored at the
-- SWEREF 99 TM origin. Study grid = every cell of the bounding box of all areas (est hotspots
-- --extent bbox); binary weights over the 3 × 3 neighbourhood (band 354 m, the cell itself
-- included, only study cells are neighbours); zero cells count in n, X̄ and S.
-- The contract: cell (ix, iy) = (floor(E / 250), floor(N / 250)).
-- Zero cells add nothing to a local sum, so local sums are spread from the non-empty cells only,
-- and W_i (the neighbour count) follows from the cell's place in the grid.
WITH g AS (
  SELECT floor(min(ST_XMin(geom)) / 250)::int AS ix0, floor(min(ST_YMin(geom)) / 250)::int AS iy0,
         floor(max(ST_XMax(geom)) / 250)::int AS ix1, floor(max(ST_YMax(geom)) / 250)::int AS iy1
  FROM areas),
c AS (
  SELECT floor(r.x / 250)::int AS ix, floor(r.y / 250)::int AS iy,
         count(*)::float8 AS x
  FROM reports r
  WHERE r.local_ts >= :'cur'::timestamp AND r.local_ts < :'cur'::timestamp + interval '7 days'
  GROUP BY 1, 2),
cg AS (
  SELECT c.* FROM c, g WHERE c.ix BETWEEN g.ix0 AND g.ix1 AND c.iy BETWEEN g.iy0 AND g.iy1),
n AS (
  SELECT (g.ix1 - g.ix0 + 1)::float8 * (g.iy1 - g.iy0 + 1) AS n FROM g),
m AS MATERIALIZED (
  SELECT n.n, coalesce(sum(cg.x), 0) / n.n AS mean, count(cg.x) AS nonzero
  FROM n LEFT JOIN cg ON true GROUP BY n.n),
s AS MATERIALIZED (
  SELECT m.n, m.mean,
         sqrt((coalesce((SELECT sum((cg.x - m.mean) ^ 2) FROM cg), 0) + (m.n - m.nonzero) * m.mean ^ 2) / m.n) AS s
  FROM m),
loc AS (
  SELECT cg.ix + dx AS ix, cg.iy + dy AS iy, sum(cg.x) AS local_sum
  FROM cg CROSS JOIN generate_series(-1, 1) AS dx CROSS JOIN generate_series(-1, 1) AS dy CROSS JOIN g
  WHERE cg.ix + dx BETWEEN g.ix0 AND g.ix1 AND cg.iy + dy BETWEEN g.iy0 AND g.iy1
  GROUP BY 1, 2),
w AS (
  SELECT loc.ix, loc.iy, loc.local_sum,
         ((least(loc.ix + 1, g.ix1) - greatest(loc.ix - 1, g.ix0) + 1)
          * (least(loc.iy + 1, g.iy1) - greatest(loc.iy - 1, g.iy0) + 1))::float8 AS w
  FROM loc CROSS JOIN g)
SELECT w.ix, w.iy, coalesce(cg.x, 0)::bigint AS count, w.local_sum, w.w::int AS n_neigh,
       CASE WHEN s.s > 0 AND (s.n * w.w - w.w * w.w) > 0
            THEN (w.local_sum - s.mean * w.w) / (s.s * sqrt((s.n * w.w - w.w * w.w) / (s.n - 1)))
            ELSE 0 END AS gi_star
FROM w CROSS JOIN s LEFT JOIN cg ON cg.ix = w.ix AND cg.iy = w.iy
ORDER BY w.iy, w.ix
