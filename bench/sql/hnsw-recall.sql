-- HNSW recall@10 against a sequential scan for 30 random unit 512-dim queries (Gaussian directions) over a
-- keyframes table such as a VidPress.Bench database. Usage: psql -d DB -v ef=200 -f bench/sql/hnsw-recall.sql
\timing off
CREATE TEMP TABLE q AS
SELECT i, l2_normalize(('[' || string_agg((sqrt(-2*ln(1-random()))*cos(2*pi()*random()))::text, ',') || ']')::vector) AS v
FROM generate_series(1,30) i, generate_series(1,512) d GROUP BY i;
SET enable_seqscan = on; SET enable_indexscan = off; SET enable_bitmapscan = off;
CREATE TEMP TABLE truth AS
SELECT q.i, t.id FROM q CROSS JOIN LATERAL (SELECT "Id" id FROM keyframes ORDER BY "Embedding" <=> q.v LIMIT 10) t;
RESET enable_indexscan; SET enable_seqscan = off;
SET hnsw.ef_search = :ef;
CREATE TEMP TABLE approx AS
SELECT q.i, t.id FROM q CROSS JOIN LATERAL (SELECT "Id" id FROM keyframes ORDER BY "Embedding" <=> q.v LIMIT 10) t;
SELECT :ef AS ef_search, round(count(*)::numeric / (SELECT count(*) FROM truth), 3) AS recall FROM approx JOIN truth USING (i, id);
EXPLAIN (ANALYZE, COSTS OFF) SELECT "Id" FROM keyframes ORDER BY "Embedding" <=> (SELECT v FROM q WHERE i = 1) LIMIT 10;
