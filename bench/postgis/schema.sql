-- Tables for bench/postgis_compare.sh. Areas come from the same areas.geojson as `est bench`,
-- reports from the same reports.csv. Run with areas.geojson on standard input.
CREATE EXTENSION IF NOT EXISTS postgis;
DROP TABLE IF EXISTS areas_json, areas, reports_raw, reports;

CREATE TABLE areas_json (doc jsonb);
-- The GeoJSON is one line; CSV mode with quote/delimiter bytes that never occur reads it verbatim.
\copy areas_json FROM pstdin WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02')

-- id = position in the file (est gives ids in import order, and breaks ties by smallest area, then id).
CREATE TABLE areas AS
SELECT ord::int AS id,
       f -> 'properties' ->> 'code' AS code,
       f -> 'properties' ->> 'name' AS name,
       f -> 'properties' ->> 'parent' AS parent,
       0 AS level,
       ST_SetSRID(ST_GeomFromGeoJSON(f -> 'geometry'), 3006) AS geom
FROM areas_json, jsonb_array_elements(doc -> 'features') WITH ORDINALITY AS e(f, ord);
-- Level = depth under the root (the bench has region = 0 and its areas = 1).
WITH RECURSIVE d AS (
  SELECT code, 0 AS level FROM areas WHERE parent IS NULL
  UNION ALL
  SELECT a.code, d.level + 1 FROM areas a JOIN d ON a.parent = d.code)
UPDATE areas a SET level = d.level FROM d WHERE a.code = d.code;
ALTER TABLE areas ADD COLUMN area_m2 float8;
UPDATE areas SET area_m2 = ST_Area(geom);
ALTER TABLE areas ADD PRIMARY KEY (id);
CREATE INDEX areas_geom ON areas USING gist (geom);
VACUUM ANALYZE areas;

-- Reports as loaded: the point and the Stockholm local time are generated while COPY runs.
CREATE TABLE reports_raw (
  id text,
  occurred_at timestamptz NOT NULL,
  x float8 NOT NULL,
  y float8 NOT NULL,
  category text NOT NULL,
  org text NOT NULL,
  severity int,
  count int,
  description text,
  geom geometry(Point, 3006) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(x, y), 3006)) STORED,
  local_ts timestamp GENERATED ALWAYS AS (occurred_at AT TIME ZONE 'Europe/Stockholm') STORED
);
