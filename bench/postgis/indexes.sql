-- GiST on the points (for ST_Contains in a query) and a btree on the Stockholm local time that
-- also carries what the week queries read, so the precomputed lägesbild and Gi* are index-only
-- scans (the rows lie in file order, i.e. random in time, so heap fetches would be one page each).
CREATE INDEX reports_geom ON reports USING gist (geom);
CREATE INDEX reports_local_ts ON reports (local_ts) INCLUDE (area_id, category, x, y);
