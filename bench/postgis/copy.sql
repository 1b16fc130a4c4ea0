-- Run with reports.csv on standard input.
\copy reports_raw (id, occurred_at, x, y, category, org, severity, count, description) FROM pstdin WITH (FORMAT csv, HEADER true)
