-- Cardinal's indicators in SQL (issue 12, items 4–5): a run over the stored compiled releases gives
-- Cardinal's documented output (R028, R058 demonstrations), is recorded with its settings, scope and
-- counts, is repeatable, refuses unknown settings in both languages, and raises each process-level result
-- as one alert of its CARDINAL rule (a second run confirms it, never duplicates it). Then the attacks, as
-- the unprivileged roles: only administrators run (the run reads every process, bypassing row-level
-- security), nobody writes or rewrites runs and results, an analyst sees the results of its own units'
-- processes only and no organisation-level result, a role outside the oversight roles sees nothing.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(26);
\ir include/city_roles.psql
CREATE ROLE oversight_test_ind_admin NOLOGIN IN ROLE oversight_admin;
GRANT USAGE ON SCHEMA tap TO oversight_test_ind_admin;

-- Cardinal's R058 demonstration (docs/examples/R/058.jsonl): F in EDU, the others in HEALTH; its R028
-- demonstration as EDU's process R028-F; a cancelled tender in HEALTH.
CREATE FUNCTION pg_temp.priced(p_ocid text, p_unit text, p_loser numeric) RETURNS void LANGUAGE sql AS $f$
  INSERT INTO oversight.procurement_process (ocid, buyer_unit_code, published_at, source_document) VALUES (p_ocid, p_unit, '2025-03-01',
    jsonb_build_object('ocid', p_ocid, 'bids', jsonb_build_object('details', jsonb_build_array(
      jsonb_build_object('status', 'valid', 'tenderers', '[{"id": "W"}]'::jsonb, 'value', jsonb_build_object('amount', 1, 'currency', 'USD')),
      jsonb_build_object('status', 'valid', 'tenderers', '[{"id": "L"}]'::jsonb, 'value', jsonb_build_object('amount', p_loser, 'currency', 'USD')))),
      'awards', '[{"status": "active", "suppliers": [{"id": "W"}]}]'::jsonb))
$f$;
SELECT pg_temp.priced('F', 'EDU', 100);
SELECT pg_temp.priced(o, 'HEALTH', 2) FROM unnest(ARRAY['1', '2', '3', '4']) AS o;
INSERT INTO oversight.procurement_process (ocid, buyer_unit_code, published_at, source_document) VALUES
  ('R028-F', 'EDU', '2025-05-01', '{"ocid":"R028-F","bids":{"details":[{"status":"valid","value":{"amount":1,"currency":"USD"},"tenderers":[{"id":"V"}]},{"status":"disqualified","value":{"amount":1,"currency":"USD"},"tenderers":[{"id":"D"}]}]}}'),
  ('X-CANCELLED', 'HEALTH', '2025-05-01', '{"ocid":"X-CANCELLED","tender":{"status":"cancelled","numberOfTenderers":1,"procurementMethod":"open"}}');

SET LOCAL ROLE oversight_test_ind_admin;
-- (A run, then its document: a stable function sees the data as of its statement's start.)
SELECT oversight.run_indicators('{"R058": {}}', ARRAY['F', '1', '2', '3', '4']) AS run_r058 \gset
SELECT oversight.run_indicators('{"R028": {}}', ARRAY['R028-F']) AS run_r028 \gset
SELECT is(oversight.indicator_document(:run_r058, false),
          '{"OCID": {"F": {"R058": 99.0}}}'::jsonb, 'R058: Cardinal''s demonstration, key for key');
SELECT is(oversight.indicator_document(:run_r028, false),
          '{"OCID": {"R028-F": {"R028": 1.0}}, "Tenderer": {"D": {"R028": 1.0}, "V": {"R028": 1.0}}}'::jsonb,
          'R028: Cardinal''s demonstration, process and tenderers');
SELECT is((SELECT meta FROM oversight.indicator_run WHERE run_id = 1),
          '{"R058": {"q1": 1.0, "q3": 33.6667, "upper_fence": 82.6667}}'::jsonb, 'the run keeps Cardinal''s Meta (quartiles and fence, 4 decimals)');
SELECT is(oversight.indicator_document(1) -> 'Meta', (SELECT meta FROM oversight.indicator_run WHERE run_id = 1),
          'the document carries the Meta key unless asked not to');
SELECT is((SELECT jsonb_build_object('indicators', indicators, 'ocids', scope -> 'ocids', 'read', processes_read, 'results', result_count,
                                      'settings', settings, 'run_by', run_by) FROM oversight.indicator_run WHERE run_id = 1),
          jsonb_build_object('indicators', ARRAY['R058'], 'ocids', ARRAY['F', '1', '2', '3', '4'], 'read', 5, 'results', 1,
                             'settings', '{"R058": {}}'::jsonb, 'run_by', session_user),
                  'the run records its indicators, scope, counts, settings and who ran it');

-- Every indicator with its defaults over all processes: the cancelled tender is excluded, not judged.
SELECT lives_ok($$ SELECT oversight.run_indicators() $$, 'a run with Cardinal''s defaults over every process');
SELECT is((SELECT ARRAY[processes_read, processes_excluded, documents_invalid, cardinality(indicators)] FROM oversight.indicator_run WHERE run_id = 3),
          ARRAY[7, 1, 0, 11]::bigint[], 'seven processes read, the cancelled tender excluded, all eleven indicators');
SELECT ok(NOT EXISTS (SELECT FROM oversight.indicator_result WHERE identifier = 'X-CANCELLED'), 'a cancelled tender raises no R018');
SELECT is((SELECT settings FROM oversight.indicator_run WHERE run_id = 3), oversight.indicator_settings(NULL),
          'the recorded settings are the effective ones, Cardinal''s defaults written out');
SELECT is((SELECT settings -> 'R003' FROM oversight.indicator_run WHERE run_id = 3), '{"threshold": 15}'::jsonb, 'R003''s default threshold: 15 days');

-- Repeatable: the same data and settings give the same rows.
SELECT lives_ok($$ SELECT oversight.run_indicators() $$, 'a second run');
SELECT is_empty($$ (SELECT indicator, group_name, identifier, result_value FROM oversight.indicator_result WHERE run_id = 3
                    EXCEPT SELECT indicator, group_name, identifier, result_value FROM oversight.indicator_result WHERE run_id = 4)
                   UNION ALL
                   (SELECT indicator, group_name, identifier, result_value FROM oversight.indicator_result WHERE run_id = 4
                    EXCEPT SELECT indicator, group_name, identifier, result_value FROM oversight.indicator_result WHERE run_id = 3) $$,
                'same data, same settings: same results');

-- Alerts: one per flagged process and rule, whatever the number of runs.
SELECT is((SELECT jsonb_agg(jsonb_build_array(rule_code, object_key, node_code, repeat_count) ORDER BY rule_code) FROM oversight.alert WHERE rule_code LIKE 'CARDINAL.%'),
          '[["CARDINAL.R028", {"ocid": "R028-F"}, "PROC.TENDER.EVAL", 3], ["CARDINAL.R058", {"ocid": "F"}, "PROC.TENDER.EVAL", 3]]'::jsonb,
                  'each flagged process is one alert on its key node, confirmed by each run that flags it, never duplicated');
SELECT is((SELECT message_zh || ' / ' || message FROM oversight.alert WHERE rule_code = 'CARDINAL.R058'),
          '采购项目 F 触发红旗指标 R058，指标值 99（指标运行 4） / process F raised red flag R058, value 99 (indicator run 4)',
          'the alert''s message in Chinese and English, from the latest run');
SELECT is((SELECT alerts FROM oversight.indicator_run WHERE run_id = 4), 2, 'the run counts the alerts it raised or confirmed');
SELECT throws_like($$ SELECT oversight.run_indicators('{"R024": {"treshold": 0.05}}') $$,
                   '未知的指标设置 "R024.treshold" / unknown indicator setting "R024.treshold"', 'an unknown setting is refused, in Chinese and English');
RESET ROLE;

-- Attacks.
SET LOCAL ROLE oversight_test_edu;
SELECT throws_ok($$ SELECT oversight.run_indicators() $$, '42501', NULL, 'an analyst cannot run the indicators (the run reads every unit''s processes)');
SELECT throws_ok($$ SELECT oversight.indicator_compute(NULL, NULL, NULL, NULL) $$, '42501', NULL,
                 'nor call the computation directly to read every unit''s releases');
SELECT throws_ok($$ INSERT INTO oversight.indicator_result VALUES (1, 'R003', 'OCID', '1', 1) $$, '42501', NULL, 'an analyst cannot plant a result');
SELECT throws_ok($$ UPDATE oversight.indicator_run SET result_count = 0 $$, '42501', NULL, 'nor rewrite a run');
SELECT throws_ok($$ SELECT scope FROM oversight.indicator_run $$, '42501', NULL,
                 'nor read a run''s scope, whose ocids may name another unit''s processes');
SELECT is((SELECT array_agg(DISTINCT group_name || ':' || identifier) FROM oversight.indicator_results), ARRAY['OCID:F', 'OCID:R028-F'],
                  'an analyst of EDU sees the results of EDU''s processes only, and no organisation-level result');
SELECT is(oversight.indicator_document(4, false), '{"OCID": {"F": {"R058": 99.0}, "R028-F": {"R028": 1.0}}}'::jsonb,
          'the document too shows the analyst only what it may see');
RESET ROLE;
SET LOCAL ROLE oversight_test_loader;
SELECT throws_ok($$ SELECT oversight.run_indicators() $$, '42501', NULL, 'the loader cannot run the indicators');
RESET ROLE;
SET LOCAL ROLE oversight_test_outsider;
SELECT throws_ok($$ SELECT * FROM oversight.indicator_results $$, '42501', NULL, 'a role outside the oversight roles reads no result');
RESET ROLE;
SET LOCAL ROLE oversight_test_inspector;
SELECT ok((SELECT count(*) FROM oversight.indicator_result WHERE run_id = 2 AND group_name = 'Tenderer') = 2,
          'a bureau-wide inspector sees the organisation-level results');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
