-- Data coverage (issue 11): rules never judge data the source did not provide. Each rule kind declares
-- its inputs (oversight.rule_kinds); a rule whose required input a load did not provide
-- (oversight.load.fields_provided), or a watch does not map, records "cannot evaluate" in
-- oversight.coverage_gap — one row per rule version, table, load and reason, with the number of records —
-- instead of firing or staying silent, on writes (row rules, set-based rules, their history) and in the
-- sweep; a required link table without rows, a load none of whose payments has sign-offs and records in
-- another currency than a rule's thresholds are counted the same way; oversight.rule_coverage says which
-- rules watch a table, which are blind, and why. Loads before 0.4.0 (fields_provided NULL) and rows
-- written by something else than the loader (load_id NULL) are judged as before.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(49);
\ir include/rules_u1.psql
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) VALUES ('ENF', '执法科', 'section');
INSERT INTO oversight.person (person_code, full_name) VALUES ('H1', 'Handler'), ('C1', 'Chief'), ('L1', 'Leader');
INSERT INTO oversight.budget_project (project_code, fiscal_year, unit_code, name, category_code, budget_amount) VALUES
  ('BP1', 2025, 'U1', 'IT', 'A02', 9000000);

CREATE FUNCTION pg_temp.gap(p_rule text, p_reason text, p_load bigint DEFAULT NULL) RETURNS oversight.coverage_gap LANGUAGE sql AS $$
  SELECT g FROM oversight.coverage_gap g WHERE g.rule_code = p_rule AND g.reason = p_reason AND g.load_id IS NOT DISTINCT FROM p_load
$$;
-- "records/missing" of a gap, to compare in one test.
CREATE FUNCTION pg_temp.said(p_rule text, p_reason text, p_load bigint DEFAULT NULL) RETURNS text LANGUAGE sql AS $$
  SELECT g.records || '/' || g.missing::text FROM oversight.coverage_gap g
   WHERE g.rule_code = p_rule AND g.reason = p_reason AND g.load_id IS NOT DISTINCT FROM p_load
$$;
-- Records a rule could not judge for a reason, whatever their load.
CREATE FUNCTION pg_temp.records(p_rule text, p_reason text) RETURNS bigint LANGUAGE sql AS $$
  SELECT sum(g.records)::bigint FROM oversight.coverage_gap g WHERE g.rule_code = p_rule AND g.reason = p_reason
$$;
-- A load of the ledger, as oversight-load writes it: the canonical fields it provided.
CREATE FUNCTION pg_temp.load(p_kind text, p_fields text[]) RETURNS bigint LANGUAGE sql AS $$
  INSERT INTO oversight.load (record_kind, file_name, file_sha256, started_at, status, fields_provided)
  VALUES (p_kind, p_kind || '.csv', pg_catalog.md5(pg_catalog.random()::text) || pg_catalog.md5(pg_catalog.random()::text), oversight.now(), 'running',
          (SELECT array_agg(p_kind || '.' || f) FROM unnest(p_fields) f))
  RETURNING load_id
$$;

-------------------------------------------------------------------------------------------------------
-- The catalogue: what each kind judges a record by.
-------------------------------------------------------------------------------------------------------
SELECT is_empty($$ SELECT rule_kind FROM oversight.rule_kinds WHERE rule_kind <> 'test_failure' AND NOT forms_matters AND cardinality(required_inputs) = 0 $$,
  'every rule kind declares its required inputs (matter rules read the fields their condition names)');
SELECT ok((SELECT 'paid_on' = ANY (required_inputs) FROM oversight.rule_kinds WHERE rule_kind = 'fine_unpaid'),
  'an unpaid fine needs the payment date (without it every fine looks unpaid)');
SELECT is((SELECT required_links FROM oversight.rule_kinds WHERE rule_kind = 'missing_signoff'), ARRAY['oversight.payment_signoff'],
  'missing sign-offs need the sign-offs');
SELECT is((SELECT required_links FROM oversight.rule_kinds WHERE rule_kind = 'penalty_outside_band'), ARRAY['oversight.discretion_band'],
  'fines outside the band need the discretion bands');
SELECT is((SELECT optional_links FROM oversight.rule_kinds WHERE rule_kind = 'collusion_same_contact'), ARRAY['oversight.bid_tenderer'],
  'collusion signals read the bid tenderers when loaded');
SELECT results_eq($$ SELECT rule_kind, threshold_currency FROM oversight.rule_kinds WHERE threshold_currency IS NOT NULL ORDER BY 1 $$,
  $$ VALUES ('cash_cumulative', 'param'), ('cash_single', 'param'), ('method_threshold', 'param'), ('missing_signoff', 'param'),
            ('near_threshold_purchases', 'param'), ('payment_near_duplicate', 'base'), ('payment_split_under_limit', 'param'), ('purchase_splitting', 'param'), ('round_amount', 'base') $$,
  'the kinds with amount thresholds say the currency they are in');
SELECT ok((SELECT 'payee_account|payee_name' = ANY (required_inputs) FROM oversight.rule_kinds WHERE rule_kind = 'payment_duplicate'),
  'an input may be satisfied by either of two fields');

-------------------------------------------------------------------------------------------------------
-- ENF.FINE_UNPAID (sweep): an export without the payment date cannot be judged; one with it is.
-------------------------------------------------------------------------------------------------------
SELECT pg_temp.load('enforcement', ARRAY['case_code', 'deciding_unit_code', 'violation_code', 'decided_on', 'penalty_kind', 'fine_amount', 'collected_by',
                                         'handler_code', 'approver_code']) AS no_paid_on \gset
SELECT pg_temp.load('enforcement', ARRAY['case_code', 'deciding_unit_code', 'violation_code', 'decided_on', 'penalty_kind', 'fine_amount', 'collected_by',
                                         'handler_code', 'approver_code', 'paid_on']) AS with_paid_on \gset
INSERT INTO oversight.load (record_kind, file_name, file_sha256, started_at, status) VALUES ('enforcement', 'old.csv', repeat('0', 64), oversight.now(), 'committed')
RETURNING load_id AS old_load \gset
INSERT INTO oversight.enforcement_case (case_code, deciding_unit_code, subject_name, violation_code, decided_on, penalty_kind, fine_amount, collected_by, load_id)
SELECT 'NP-' || i, 'ENF', 's', 'V1', '2025-05-01', 'fine', 1000, 'designated_bank', :no_paid_on FROM generate_series(1, 208) i;
INSERT INTO oversight.enforcement_case (case_code, deciding_unit_code, subject_name, violation_code, decided_on, penalty_kind, fine_amount, collected_by, paid_on, load_id) VALUES
  ('WP-1', 'ENF', 's', 'V1', '2025-05-01', 'fine', 1000, 'designated_bank', NULL, :with_paid_on),
  ('WP-2', 'ENF', 's', 'V1', '2025-05-01', 'fine', 1000, 'designated_bank', '2025-05-10', :with_paid_on),
  ('OLD-1', 'ENF', 's', 'V1', '2025-05-01', 'fine', 1000, 'designated_bank', NULL, :old_load),
  ('HAND-1', 'ENF', 's', 'V1', '2025-05-01', 'fine', 1000, 'designated_bank', NULL, NULL);
SELECT oversight.sweep('2025-06-30 10:00+08');
SELECT is((SELECT count(*)::int FROM oversight.alert WHERE rule_code = 'ENF.FINE_UNPAID' AND object_key ->> 'case_code' LIKE 'NP-%'), 0,
  'fines of an export without paid_on do not fire (not 208 of 208)');
SELECT is(pg_temp.said('ENF.FINE_UNPAID', 'not_provided', :no_paid_on), '208/{paid_on}',
  'they are counted once as cannot-evaluate: 208 records, paid_on missing');
SELECT set_eq($$ SELECT object_key ->> 'case_code' FROM oversight.alert WHERE rule_code = 'ENF.FINE_UNPAID' $$, ARRAY['WP-1', 'OLD-1', 'HAND-1'],
  'a load with paid_on is judged, as are loads before 0.4.0 (fields_provided unknown) and rows written without a load');
SELECT oversight.sweep('2025-07-01 10:00+08');
SELECT is((SELECT records || ' in ' || evaluations FROM oversight.coverage_gap WHERE rule_code = 'ENF.FINE_UNPAID'), '208 in 2',
  'a second sweep counts the records it holds again (208, not 416) and the evaluation');
SELECT is((SELECT count(*)::int FROM oversight.coverage_gap WHERE rule_code = 'ENF.FINE_UNPAID'), 1, 'one row per rule, table and load, not one per record');
-- The same export judged on write: enforcement rules of the batch that need an input it lacks.
SELECT is((pg_temp.gap('SOD.ENFORCEMENT', 'not_provided', :no_paid_on)).records, NULL::bigint,
  'a load that provided the inputs of a rule leaves no gap for it');

-------------------------------------------------------------------------------------------------------
-- ENF.OUTSIDE_BAND: a case with no applicable band is counted, never silent.
-------------------------------------------------------------------------------------------------------
SELECT is(pg_temp.records('ENF.OUTSIDE_BAND', 'no_link_rows'), 212::bigint,
  'without any discretion band, every fine is cannot-evaluate (no_link_rows)');
INSERT INTO oversight.discretion_band (violation_code, valid_from, min_fine, max_fine) VALUES ('V1', '2024-01-01', 500, 5000);
INSERT INTO oversight.enforcement_case (case_code, deciding_unit_code, subject_name, violation_code, decided_on, penalty_kind, fine_amount, collected_by, paid_on) VALUES
  ('B-1', 'ENF', 's', 'V1', '2025-06-01', 'fine', 6000, 'designated_bank', '2025-06-02'),
  ('B-2', 'ENF', 's', 'V2', '2025-06-01', 'fine', 6000, 'designated_bank', '2025-06-02'),
  ('B-3', 'ENF', 's', 'V3', '2025-06-01', 'fine', 6000, 'designated_bank', '2025-06-02');
SELECT ok(EXISTS (SELECT FROM oversight.alert WHERE rule_code = 'ENF.OUTSIDE_BAND' AND object_key = '{"case_code": "B-1"}'), 'a fine above its band fires');
SELECT is((pg_temp.gap('ENF.OUTSIDE_BAND', 'no_band')).records, 2::bigint, 'the two fines whose violation has no band are counted (no_band)');

-------------------------------------------------------------------------------------------------------
-- PAY.MISSING_SIGNOFF: blind without sign-offs; a load whose payments have none did not bring them.
-------------------------------------------------------------------------------------------------------
SELECT pg_temp.load('payment', ARRAY['payment_code', 'payer_unit_code', 'payee_name', 'amount', 'payment_method', 'paid_on', 'status']) AS pay_a \gset
SELECT pg_temp.load('payment', ARRAY['payment_code', 'payer_unit_code', 'payee_name', 'amount', 'payment_method', 'paid_on', 'status']) AS pay_b \gset
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on, load_id) VALUES
  ('LA-1', 'U1', 'x', 800000, 'transfer', '2025-06-20', :pay_a), ('LA-2', 'U1', 'x', 900000, 'transfer', '2025-06-20', :pay_a),
  ('LB-1', 'U1', 'x', 800000, 'transfer', '2025-06-20', :pay_b), ('LB-2', 'U1', 'x', 900000, 'transfer', '2025-06-20', :pay_b),
  ('LB-3', 'U1', 'x', 100, 'transfer', '2025-06-20', :pay_b), ('LN-1', 'U1', 'x', 700000, 'transfer', '2025-06-20', NULL);
SELECT oversight.sweep('2025-06-30 10:00+08');
SELECT is((SELECT count(*)::int FROM oversight.alert WHERE rule_code = 'PAY.MISSING_SIGNOFF'), 0, 'no sign-off loaded at all: no payment "lacks every level"');
SELECT is(pg_temp.said('PAY.MISSING_SIGNOFF', 'no_link_rows', :pay_b), '3/{oversight.payment_signoff}',
  'each load''s payments are counted as cannot-evaluate, naming the sign-offs');
INSERT INTO oversight.payment_signoff (payment_code, signoff_level, person_code, signed_at) VALUES
  ('LA-1', 'handler', 'H1', '2025-06-19'), ('LA-1', 'section_chief', 'C1', '2025-06-19');
SELECT oversight.sweep('2025-06-30 10:00+08');
SELECT set_eq($$ SELECT object_key ->> 'payment_code' FROM oversight.alert WHERE rule_code = 'PAY.MISSING_SIGNOFF' $$, ARRAY['LA-1', 'LA-2', 'LN-1'],
  'sign-offs loaded for load A: its payments are judged (one signed in part, one not at all), and a payment written without a load too');
SELECT is(pg_temp.said('PAY.MISSING_SIGNOFF', 'link_not_loaded', :pay_b), '2/{oversight.payment_signoff}',
  'load B, none of whose large payments has a sign-off, is cannot-evaluate (2 payments)');

-------------------------------------------------------------------------------------------------------
-- Write path: a row rule, a set-based rule and its history, for a load that lacks an input.
-------------------------------------------------------------------------------------------------------
SELECT pg_temp.load('procurement', ARRAY['ocid', 'buyer_unit_code', 'budget_project_code', 'fiscal_year', 'category_code', 'procurement_method',
                                         'estimated_value', 'currency']) AS no_ref \gset
SELECT pg_temp.load('procurement', ARRAY['ocid', 'buyer_unit_code', 'budget_project_code', 'fiscal_year', 'category_code', 'procurement_method',
                                         'estimated_value', 'currency', 'method_approval_ref']) AS with_ref \gset
INSERT INTO oversight.procurement_process (ocid, buyer_unit_code, budget_project_code, fiscal_year, category_code, procurement_method, estimated_value, currency, load_id) VALUES
  ('NR-1', 'U1', 'BP1', 2025, 'A02', 'limited', 3000000, 'CNY', :no_ref), ('NR-2', 'U1', 'BP1', 2025, 'A02', 'direct', 1500000, 'CNY', :no_ref);
SELECT ok(NOT EXISTS (SELECT FROM oversight.alert WHERE rule_code IN ('PROC.METHOD_THRESHOLD', 'PROC.SPLITTING')),
  'without method_approval_ref, neither the method-vs-threshold nor the splitting rule judges the purchases');
SELECT is((pg_temp.gap('PROC.METHOD_THRESHOLD', 'not_provided', :no_ref)).records, 2::bigint, 'the row rule counts both records of the load');
SELECT is((pg_temp.gap('PROC.SPLITTING', 'not_provided', :no_ref)).missing, ARRAY['method_approval_ref'], 'so does the set-based rule, naming the input');
SELECT ok((pg_temp.gap('PROC.NEAR_THRESHOLD', 'not_provided', :no_ref)).gap_id IS NULL AND (pg_temp.gap('SOD.PROCUREMENT', 'not_provided', :no_ref)).gap_id IS NOT NULL,
  'a rule whose inputs the load provided judges it; one whose inputs it lacks (handler, approver) does not');
INSERT INTO oversight.procurement_process (ocid, buyer_unit_code, budget_project_code, fiscal_year, category_code, procurement_method, estimated_value, currency, load_id) VALUES
  ('WR-1', 'U1', 'BP1', 2025, 'A02', 'limited', 1200000, 'CNY', :with_ref);
SELECT ok(NOT EXISTS (SELECT FROM oversight.alert WHERE rule_code = 'PROC.SPLITTING'),
  'a later purchase of a load with the input is judged, without the history of the load that lacked it (1200000 alone)');
INSERT INTO oversight.procurement_process (ocid, buyer_unit_code, budget_project_code, fiscal_year, category_code, procurement_method, estimated_value, currency, load_id) VALUES
  ('WR-2', 'U1', 'BP1', 2025, 'A02', 'direct', 1200000, 'CNY', :with_ref), ('WR-3', 'U1', 'BP1', 2025, 'A02', 'limited', 2500000, 'CNY', :with_ref);
SELECT is((SELECT details -> 'purchases' FROM oversight.alert WHERE rule_code = 'PROC.SPLITTING'), '[{"ocid": "WR-1"}, {"ocid": "WR-2"}, {"ocid": "WR-3"}]'::jsonb,
  'a split judged on the loads that provided the input only');
SELECT ok(EXISTS (SELECT FROM oversight.alert WHERE rule_code = 'PROC.METHOD_THRESHOLD' AND object_key = '{"ocid": "WR-3"}'),
  'and the row rule judges the load with the input');

-------------------------------------------------------------------------------------------------------
-- Currency: rules whose thresholds are in one currency report themselves blind on others.
-------------------------------------------------------------------------------------------------------
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, currency, payment_method, paid_on) VALUES
  ('GBP-1', 'U1', 'Council supplier', 997788.89, 'GBP', 'cash', '2025-06-02'), ('GBP-2', 'U1', 'Council supplier', 60000, 'GBP', 'cash', '2025-06-03');
SELECT ok(NOT EXISTS (SELECT FROM oversight.alert WHERE object_key ->> 'payment_code' LIKE 'GBP-%'),
  'GBP payments are not judged by thresholds in CNY (cash limits, round amounts)');
SELECT is(pg_temp.said('CASH.SINGLE', 'other_currency'), '2/{GBP}', 'they are counted as cannot-evaluate, with their currency');
SELECT is((pg_temp.gap('PAY.ROUND_AMOUNT', 'other_currency')).records, 2::bigint, 'also by rules whose thresholds are in the base currency');
SELECT oversight.sweep('2025-06-30 10:00+08');
SELECT ok(NOT EXISTS (SELECT FROM oversight.alert WHERE rule_code = 'PAY.MISSING_SIGNOFF' AND message LIKE '%997788.89%'),
  'no "payment of 997788.89 CNY lacks sign-off" for a GBP payment');
SELECT is((pg_temp.gap('PAY.MISSING_SIGNOFF', 'other_currency')).records, 1::bigint, 'the sweep counts them too (the large one: only large payments need every sign-off)');
SELECT oversight.define_rule('CASH.SINGLE_GBP', 'cash_single', 'payment', 'DEPT.CASH.WITHDRAW', 'Cash over £50,000', '{"limit": 50000, "currency": "GBP"}', 'medium');
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, currency, payment_method, paid_on) VALUES
  ('GBP-3', 'U1', 'Council supplier', 60000, 'GBP', 'cash', '2025-06-04');
SELECT ok(EXISTS (SELECT FROM oversight.alert WHERE rule_code = 'CASH.SINGLE_GBP' AND object_key = '{"payment_code": "GBP-3"}'),
  'a rule with thresholds in GBP judges GBP payments');

-------------------------------------------------------------------------------------------------------
-- A watch that does not map an input: the rule is blind on the table, and says why.
-------------------------------------------------------------------------------------------------------
CREATE SCHEMA treasury;
CREATE TABLE treasury.zf (pzh text PRIMARY KEY, dwbm text, skr text, je numeric, zffs text, zfrq date);
SELECT oversight.watch('treasury.zf', 'payment', '{"payment_code": "pzh", "payer_unit_code": "dwbm", "payee_name": "skr", "amount": "je", "payment_method": "zffs", "paid_on": "zfrq"}');
INSERT INTO treasury.zf VALUES ('Z1', 'U1', 'p', 60000, 'cash', '2025-06-03'), ('Z2', 'U1', 'p', 60000, 'cash', '2025-06-04');
SELECT results_eq($$ SELECT status, unmapped_inputs FROM oversight.rule_coverage WHERE object_table = 'treasury.zf' AND rule_code = 'PAY.DUPLICATE' $$,
  $$ VALUES ('blind', ARRAY['invoice_no']) $$, 'the duplicate rule is blind on a table that maps no invoice number');
SELECT ok((SELECT why_zh LIKE '%监控表未映射所需字段 invoice_no%' AND why_en LIKE '%the watch does not map invoice_no%'
             FROM oversight.rule_coverage WHERE object_table = 'treasury.zf' AND rule_code = 'PAY.DUPLICATE'), 'and says why, in Chinese and English');
SELECT is((pg_temp.gap('PAY.DUPLICATE', 'not_mapped')).records, 2::bigint, 'its evaluations count the records it could not judge');
SELECT is((SELECT status FROM oversight.rule_coverage WHERE object_table = 'treasury.zf' AND rule_code = 'CASH.SINGLE'), 'watching',
  'a rule whose inputs are all mapped is watching');
SELECT ok(EXISTS (SELECT FROM oversight.alert WHERE rule_code = 'CASH.SINGLE' AND object_table = 'treasury.zf'), 'and judging');
SELECT is((SELECT status FROM oversight.rule_coverage WHERE object_table = 'oversight.enforcement_case' AND rule_code = 'ENF.FINE_UNPAID'), 'partial',
  'a rule some of whose loads it could not judge is partial…');
SELECT is((SELECT loads_not_judged FROM oversight.rule_coverage WHERE object_table = 'oversight.enforcement_case' AND rule_code = 'ENF.FINE_UNPAID'),
  ARRAY[:no_paid_on::bigint], '…naming the loads');
SELECT is((SELECT status FROM oversight.rule_coverage WHERE object_table = 'oversight.payment' AND rule_code = 'PAY.STAFF_PAYEE'), 'blind',
  'a rule whose link table is empty (staff accounts) is blind');
INSERT INTO oversight.setting (setting_key, setting_value, changed_reason) VALUES ('base_currency', 'GBP', 'a UK council');
SELECT is((SELECT status || ': ' || why_en FROM oversight.rule_coverage WHERE object_table = 'oversight.payment' AND rule_code = 'CASH.MONTHLY'),
  'partial: amount thresholds in CNY, base currency GBP: only records in CNY are judged; 3 records: records in GBP, not the currency of the rule''s amount thresholds',
  'with thresholds in CNY and a GBP base currency, the view says the rule judges CNY records only');

-------------------------------------------------------------------------------------------------------
-- Notifications carry the gap's number; analysts read gaps and coverage.
-------------------------------------------------------------------------------------------------------
SELECT is((SELECT notice ->> 'text_en' FROM oversight.coverage_notices(ARRAY[(pg_temp.gap('ENF.FINE_UNPAID', 'not_provided', :no_paid_on)).gap_id])),
  'the load did not provide paid_on', 'coverage_notices() gives the gap behind a notification, in English…');
SELECT is((SELECT notice ->> 'text_zh' FROM oversight.coverage_notices(ARRAY[(pg_temp.gap('ENF.FINE_UNPAID', 'not_provided', :no_paid_on)).gap_id])),
  '该批导入未提供所需字段 paid_on', '…and in Chinese');
CREATE ROLE oversight_test_cov_analyst NOLOGIN IN ROLE oversight_analyst;
SET LOCAL ROLE oversight_test_cov_analyst;
SELECT ok((SELECT count(*) FROM oversight.rule_coverage) > 0 AND (SELECT count(*) FROM oversight.coverage_gap) > 0, 'an analyst reads the coverage');
SELECT throws_ok($$ SELECT oversight.record_coverage('[]', 'statement') $$, '42501', NULL, 'but cannot record gaps (the engine does, as the schema owner)');
SELECT throws_ok($$ DELETE FROM oversight.coverage_gap $$, '42501', NULL, 'nor erase them');
RESET ROLE;
CREATE ROLE oversight_test_cov_loader NOLOGIN IN ROLE oversight_loader;
SET LOCAL ROLE oversight_test_cov_loader;
SELECT throws_ok($$ UPDATE oversight.coverage_gap SET records = 0 $$, '42501', NULL, 'a loader cannot hide what its loads lacked');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM oversight.engine_fault), 0, 'no engine fault');

SELECT * FROM finish();
ROLLBACK;
