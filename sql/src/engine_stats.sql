-- What the engine did in this session (extension/src/engine/evaluate.cpp): diagnostics for a DBA, read by the
-- tests that prove a large batch's duplicate rules were split (oversight.batch_split_rows).
CREATE FUNCTION oversight.engine_session_stats() RETURNS jsonb
  AS 'MODULE_PATHNAME', 'oversight_engine_session_stats' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION oversight.engine_session_stats() IS
  'This session''s batches judged by the engine: batches (every batch of written rows), split_batches (large batches whose duplicate rules paired the written rows in C++ and joined the batch only with those and with the rows stored before the statement; setting oversight.batch_split_rows) and paired_rows (written rows found pairable) and candidate_reads (rule evaluations of large batches that read only the rows the rule''s C++ pre-filter passed, when those were at most a third of the batch). 本会话引擎处理的批次统计。';
REVOKE ALL ON FUNCTION oversight.engine_session_stats() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION oversight.engine_session_stats() TO oversight_admin, oversight_loader;
