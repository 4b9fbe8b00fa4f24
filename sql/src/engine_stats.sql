-- What the engine did in this session (extension/src/engine/evaluate.cpp): diagnostics for a DBA, read by the
-- tests that prove a large batch's duplicate rules were split (oversight.batch_split_rows), a small one's
-- rules looked past and a larger one's link tables read (oversight.index_lookups).
CREATE FUNCTION oversight.engine_session_stats() RETURNS jsonb
  AS 'MODULE_PATHNAME', 'oversight_engine_session_stats' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION oversight.engine_session_stats() IS
  'This session''s batches judged by the engine: batches (every batch of written rows), split_batches (large batches whose duplicate rules paired the written rows in C++ and joined the batch only with those and with the rows stored before the statement; setting oversight.batch_split_rows) and paired_rows (written rows found pairable) and candidate_reads (rule evaluations of large batches that read only the rows the rule''s C++ pre-filter passed, when those were at most a third of the batch), lookups (index look-ups of small batches, setting oversight.index_lookups) and rules_looked_past (rule evaluations of small batches skipped because the look-ups found no row the rule''s SQL could join a written row with), link_rows_read (rows of link tables read once per larger batch, e.g. oversight.person_account for PAY.STAFF_PAYEE, so that only the written rows whose value is there are the rule''s candidates; same setting) and config_loads (times the session read a watch''s configuration, which it keeps until a table it was read from changes). 本会话引擎处理的批次统计。';
REVOKE ALL ON FUNCTION oversight.engine_session_stats() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION oversight.engine_session_stats() TO oversight_admin, oversight_loader;

-- The engine keeps each watch's configuration and the calendar per backend (extension/src/engine/config.cpp)
-- until a table they are read from changes: this trigger on each of those tables says so, to every backend.
CREATE FUNCTION oversight.engine_config_changed() RETURNS trigger
  AS 'MODULE_PATHNAME', 'oversight_engine_config_changed' LANGUAGE C;
COMMENT ON FUNCTION oversight.engine_config_changed() IS
  'Statement trigger of the tables the rule engine''s configuration is read from (watched_table, rule, rule_version, calendar_day, calendar_year, setting, setting_default): invalidates the table''s relcache entry, so that every backend reads the watches, rules and calendar again (this one at its next command, the others once the change commits). Engine-internal.';
REVOKE ALL ON FUNCTION oversight.engine_config_changed() FROM PUBLIC;
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['watched_table', 'rule', 'rule_version', 'calendar_day', 'calendar_year', 'setting', 'setting_default'] LOOP
    EXECUTE pg_catalog.format('CREATE TRIGGER engine_config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON oversight.%I '
                              'FOR EACH STATEMENT EXECUTE FUNCTION oversight.engine_config_changed()', t);
    EXECUTE pg_catalog.format('COMMENT ON TRIGGER engine_config_changed ON oversight.%I IS %L', t,
                              'Tells every backend that the rule engine''s cached configuration is stale.');
  END LOOP;
END $$;
