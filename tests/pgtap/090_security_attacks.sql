-- Issue 7, replayed as the unprivileged roles (each check fails if the attack works): a writer turning
-- the engine's elevated SQL against the database (pg_temp types, functions and operators of a schema
-- the writer owns), readers attaching the extension's trigger functions to tables of their own, PUBLIC
-- execution rights, analysts reading bids, awards, sign-offs and faults of other units, the four-eyes
-- bypass, a forged clock, and watched tables altered or dropped under the engine. Attacks that need
-- several sessions (LISTEN, REPEATABLE READ, lock waits, sealing) are in tests/server/*.t.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(47);
\ir include/city_roles.psql
INSERT INTO oversight.person (person_code, full_name) VALUES ('P1', '张三');
CREATE ROLE oversight_test_schema_owner NOLOGIN IN ROLE oversight_loader;
CREATE ROLE oversight_test_admin1 NOLOGIN IN ROLE oversight_admin;
CREATE ROLE oversight_test_admin2 NOLOGIN IN ROLE oversight_admin;
GRANT USAGE ON SCHEMA tap TO oversight_test_schema_owner, oversight_test_admin1, oversight_test_admin2;
GRANT CREATE ON DATABASE tap TO oversight_test_schema_owner;
-- Whatever a trap catches, as whom: a trap running as anyone but the writer is an escalation.
CREATE TABLE public.trap_log (caught text, ran_as name);
GRANT INSERT ON public.trap_log TO PUBLIC;

-------------------------------------------------------------------------------------------------------
-- Critical: a writer's objects must never run inside the engine's elevated SQL.
-------------------------------------------------------------------------------------------------------
-- 1. A type planted in pg_temp (the issue's reproduction): a domain "text" whose check runs a function.
SET LOCAL ROLE oversight_test_loader;
CREATE FUNCTION pg_temp.escalate(pg_catalog.text) RETURNS boolean LANGUAGE plpgsql AS $f$
BEGIN
  INSERT INTO public.trap_log VALUES ('pg_temp.text', current_user);
  EXECUTE 'ALTER ROLE oversight_test_loader SUPERUSER';
  RETURN true;
EXCEPTION WHEN insufficient_privilege THEN RETURN true;
END $f$;
CREATE DOMAIN pg_temp.text AS pg_catalog.text CHECK (pg_temp.escalate(VALUE));
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
VALUES ('ESC-3', 'EDU', 'x', 100000, 'transfer', '2024-07-06');
DROP DOMAIN pg_temp.text;
RESET ROLE;
SELECT is_empty($$ SELECT * FROM public.trap_log WHERE ran_as <> 'oversight_test_loader' $$,
  'a pg_temp domain named text is never resolved inside the engine''s elevated SQL');
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'oversight_test_loader'), false, 'the writer did not become superuser');
SELECT isnt_empty($$ SELECT FROM oversight.alert WHERE object_key = '{"payment_code": "ESC-3"}' $$, 'the rules still ran on that write');

-- 2. Functions and an operator in a schema the writer owns, first on the writer's search_path.
SET LOCAL ROLE oversight_test_schema_owner;
CREATE SCHEMA trap AUTHORIZATION oversight_test_schema_owner;
CREATE FUNCTION trap.abs(integer) RETURNS integer LANGUAGE plpgsql AS $f$
BEGIN INSERT INTO public.trap_log VALUES ('trap.abs', current_user); RETURN pg_catalog.abs($1); END $f$;
CREATE FUNCTION trap.lower(text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN INSERT INTO public.trap_log VALUES ('trap.lower', current_user); RETURN pg_catalog.lower($1); END $f$;
CREATE FUNCTION trap.text_eq(text, text) RETURNS boolean LANGUAGE plpgsql AS $f$
BEGIN INSERT INTO public.trap_log VALUES ('trap.=', current_user); RETURN $1 OPERATOR(pg_catalog.=) $2; END $f$;
CREATE OPERATOR trap.= (LEFTARG = text, RIGHTARG = text, FUNCTION = trap.text_eq);
SET LOCAL search_path = trap, pg_catalog;
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on, invoice_no)
VALUES ('DUP-1', 'EDU', 'y', 5000, 'transfer', '2024-07-08', 'INV-9'), ('DUP-2', 'EDU', 'y', 5000, 'transfer', '2024-07-09', 'INV-9');
RESET search_path;
RESET ROLE;
SELECT is_empty($$ SELECT * FROM public.trap_log WHERE ran_as <> 'oversight_test_schema_owner' AND caught LIKE 'trap.%' $$,
  'functions and operators of a schema on the writer''s search_path never run inside the engine');
SELECT isnt_empty($$ SELECT FROM oversight.alert WHERE rule_code = 'PAY.DUPLICATE' AND object_key = '{"payment_code": "DUP-2"}' $$,
  'the duplicate payment was still found');

-- 3. The engine refuses any SQL of its own that names a function or type without a schema.
SELECT ok(pg_get_functiondef('oversight.engine_trigger()'::regprocedure) ~ 'LANGUAGE c', 'the engine is C (its SQL is checked by core::unqualified_names before it runs)');

-------------------------------------------------------------------------------------------------------
-- High 1: trigger functions that write trusted tables cannot be used from other tables.
-------------------------------------------------------------------------------------------------------
SET LOCAL ROLE oversight_test_edu;
CREATE TEMP TABLE fake_payment AS SELECT * FROM oversight.payment WITH NO DATA;
CREATE TEMP TABLE fake_node AS SELECT * FROM oversight.key_node WITH NO DATA;
SELECT throws_ok($$ CREATE TRIGGER forge AFTER INSERT ON fake_payment FOR EACH ROW EXECUTE FUNCTION oversight.audit_row_change('payment_code') $$,
  '42501', NULL, 'an analyst cannot attach the audit trigger to a table of their own');
SELECT throws_ok($$ CREATE TRIGGER forge AFTER INSERT ON fake_node FOR EACH ROW EXECUTE FUNCTION oversight.key_node_record_grading() $$,
  '42501', NULL, 'an analyst cannot attach the grading-history trigger to a table of their own');
RESET ROLE;
-- Even a role allowed to execute them (here the superuser) cannot make them write from another table.
CREATE TEMP TABLE su_fake_payment AS SELECT * FROM oversight.payment WITH NO DATA;
CREATE TRIGGER forge AFTER INSERT ON su_fake_payment FOR EACH ROW EXECUTE FUNCTION oversight.audit_row_change('payment_code');
SELECT throws_ok($$ INSERT INTO su_fake_payment (payment_code, payer_unit_code, payee_name, amount, payment_method) VALUES ('F', 'EDU', 'x', 1, 'cash') $$,
  '42501', NULL, 'the audit trigger refuses a table outside schema oversight');
CREATE TEMP TABLE su_fake_node AS SELECT * FROM oversight.key_node WITH NO DATA;
CREATE TRIGGER forge AFTER INSERT ON su_fake_node FOR EACH ROW EXECUTE FUNCTION oversight.key_node_record_grading();
SELECT throws_ok($$ INSERT INTO su_fake_node (node_code, item_code, name_zh, risk_basis, risk_grade) VALUES ('N', 'I', 'n', 'criteria_count', 3) $$,
  '42501', NULL, 'the grading-history trigger refuses any table but oversight.key_node');

-- No function of the extension is executable by PUBLIC; SECURITY DEFINER functions all pin search_path;
-- every function in a procedural or SQL language pins it too.
SELECT is_empty($$ SELECT p.oid::regprocedure FROM pg_proc p WHERE p.pronamespace = 'oversight'::regnamespace
                   AND has_function_privilege('public', p.oid, 'EXECUTE') $$, 'PUBLIC executes no function of the extension');
SELECT is_empty($$ SELECT p.oid::regprocedure FROM pg_proc p WHERE p.pronamespace = 'oversight'::regnamespace
                   AND (p.prosecdef OR p.prolang <> (SELECT oid FROM pg_language WHERE lanname = 'c'))
                   AND NOT COALESCE(p.proconfig, '{}') @> ARRAY['search_path=pg_catalog, pg_temp'] $$,
  'every SECURITY DEFINER, SQL and PL/pgSQL function pins search_path = pg_catalog, pg_temp');
SELECT is_empty($$ SELECT p.oid::regprocedure, r.rolname FROM pg_proc p CROSS JOIN pg_roles r
                   WHERE p.pronamespace = 'oversight'::regnamespace AND p.prorettype IN ('trigger'::regtype, 'event_trigger'::regtype)
                     AND r.rolname IN ('oversight_loader', 'oversight_analyst', 'oversight_inspector')
                     AND has_function_privilege(r.oid, p.oid, 'EXECUTE') $$,
  'no trigger function is executable by loaders, analysts or inspectors');
SELECT set_eq($$ SELECT p.proname::text FROM pg_proc p WHERE p.pronamespace = 'oversight'::regnamespace AND p.prosecdef $$,
  ARRAY['audit', 'key_node_record_grading', 'transition_alert', 'acknowledge_alert', 'correct_alert', 'justify_alert', 'mark_false_positive',
        'close_alert', 'reopen_alert', 'snooze_alert', 'unsnooze_alert', 'request_waiver', 'decide_waiver', 'sweep', 'seal_audit', 'watch_follow_ddl',
        'register_matter', 'submit_report', 'decide_report', 'record_filing', 'publish_disclosure', 'release_hold', 'payment_hold_check',
        -- accountability (attacks in 230_accountability.sql)
        'open_case_by_hand', 'decide_case', 'cases_of_acting_person', 'order_rectification', 'rectification_progress', 'receive_complaint',
        'decide_complaint', 'close_complaint', 'draw_spot_check', 'record_spot_check', 'rate_dimension', 'record_evaluation', 'refresh_scores',
        'close_assessment_quarter_by_hand',
        -- rules on complete facts (attacks in 218_complete_facts.sql)
        'queue_tenderer_change',
        -- Cardinal's indicators (attacks in 245_indicators.sql)
        'run_indicators'],
  'the SECURITY DEFINER functions are exactly the reviewed ones');
SET LOCAL ROLE oversight_test_admin1;
SELECT throws_ok($$ SELECT oversight.audit('update', 'oversight.payment', '{"payment_code": "X"}', NULL, NULL, 'forged') $$, '42501', NULL,
  'not even an administrator writes audit entries of their own');
RESET ROLE;
SET LOCAL ROLE oversight_test_outsider;
SELECT throws_ok($$ SELECT oversight.now() $$, '42501', NULL, 'a role outside the oversight roles executes nothing');
RESET ROLE;

-------------------------------------------------------------------------------------------------------
-- Medium: row-level security on every table carrying a unit's data.
-------------------------------------------------------------------------------------------------------
INSERT INTO oversight.party (party_code, name) VALUES ('S1', '供应商一'), ('S2', '供应商二');
INSERT INTO oversight.procurement_process (ocid, buyer_unit_code) VALUES ('ocds-edu-1', 'EDU'), ('ocds-hlt-1', 'HEALTH');
INSERT INTO oversight.procurement_lot (ocid, lot_id) VALUES ('ocds-edu-1', 'L1'), ('ocds-hlt-1', 'L1');
INSERT INTO oversight.bid (ocid, bid_id, amount, currency) VALUES ('ocds-edu-1', 'B1', 10, 'CNY'), ('ocds-hlt-1', 'B1', 10, 'CNY');
INSERT INTO oversight.bid_tenderer (ocid, bid_id, party_code) VALUES ('ocds-edu-1', 'B1', 'S1'), ('ocds-hlt-1', 'B1', 'S2');
INSERT INTO oversight.award (ocid, award_id) VALUES ('ocds-edu-1', 'A1'), ('ocds-hlt-1', 'A1');
INSERT INTO oversight.award_supplier (ocid, award_id, party_code) VALUES ('ocds-edu-1', 'A1', 'S1'), ('ocds-hlt-1', 'A1', 'S2');
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on) VALUES
  ('SIG-EDU', 'EDU', 'z', 1, 'transfer', '2025-06-02'), ('SIG-HLT', 'HEALTH', 'z', 1, 'transfer', '2025-06-02');
INSERT INTO oversight.payment_signoff (payment_code, signoff_level, person_code, signed_at) VALUES
  ('SIG-EDU', 'handler', 'P1', '2025-06-02 09:00+08'), ('SIG-HLT', 'handler', 'P1', '2025-06-02 09:00+08');
SELECT oversight.record_fault(NULL, 'oversight.payment', '{"payment_code": "SIG-HLT"}', 'XX000', 'a fault on a health payment', NULL, 'statement', 1);
SET LOCAL ROLE oversight_test_edu;
SELECT set_eq($$ SELECT ocid FROM oversight.procurement_lot $$, ARRAY['ocds-edu-1'], 'lots of invisible processes are hidden');
SELECT set_eq($$ SELECT ocid FROM oversight.bid $$, ARRAY['ocds-edu-1'], 'bids of invisible processes are hidden');
SELECT set_eq($$ SELECT ocid FROM oversight.bid_tenderer $$, ARRAY['ocds-edu-1'], 'tenderers of invisible processes are hidden');
SELECT set_eq($$ SELECT ocid FROM oversight.award $$, ARRAY['ocds-edu-1'], 'awards of invisible processes are hidden');
SELECT set_eq($$ SELECT ocid FROM oversight.award_supplier $$, ARRAY['ocds-edu-1'], 'suppliers of invisible processes are hidden');
SELECT set_eq($$ SELECT payment_code FROM oversight.payment_signoff $$, ARRAY['SIG-EDU'], 'sign-offs of invisible payments are hidden');
SELECT is_empty($$ SELECT * FROM oversight.engine_fault $$, 'engine faults are for bureau-wide roles only');
RESET ROLE;

-------------------------------------------------------------------------------------------------------
-- Medium: four-eyes cannot be bypassed by writing the rule_version row directly.
-------------------------------------------------------------------------------------------------------
INSERT INTO oversight.setting (setting_key, setting_value, changed_reason) VALUES ('rules.four_eyes', 'true', 'test');
SET LOCAL SESSION AUTHORIZATION oversight_test_admin1;
SELECT oversight.create_rule('T.FOUR_EYES', 'cash_single', 'payment', 'DEPT.CASH.WITHDRAW', 'four eyes');
SELECT throws_ok($$ INSERT INTO oversight.rule_version (rule_code, version, status, params, severity, authored_by, authored_at, approved_by, approved_at)
                    VALUES ('T.FOUR_EYES', 1, 'approved', '{}', 'high', 'oversight_test_admin2', now(), 'oversight_test_admin2', now()) $$,
  '42501', NULL, 'an approved version cannot be inserted, whoever it names as approver');
SELECT lives_ok($$ INSERT INTO oversight.rule_version (rule_code, version, status, params, severity, authored_by, authored_at)
                   VALUES ('T.FOUR_EYES', 1, 'draft', '{}', 'high', 'oversight_test_admin2', now()) $$, 'a draft can be inserted…');
SELECT is((SELECT authored_by FROM oversight.rule_version WHERE rule_code = 'T.FOUR_EYES'), 'oversight_test_admin1',
  '…but its author is the session that wrote it, not the name in the row');
SELECT throws_ok($$ UPDATE oversight.rule_version SET authored_by = 'oversight_test_admin2' WHERE rule_code = 'T.FOUR_EYES' $$,
  '42501', NULL, 'the author of a draft cannot be rewritten');
SELECT throws_ok($$ UPDATE oversight.rule_version SET status = 'approved', approved_by = 'oversight_test_admin2', approved_at = now()
                    WHERE rule_code = 'T.FOUR_EYES' $$,
  '42501', NULL, 'the author cannot approve by writing the row, whoever it names as approver');
RESET SESSION AUTHORIZATION;
SET LOCAL SESSION AUTHORIZATION oversight_test_admin2;
SELECT lives_ok($$ SELECT oversight.approve_rule_version((SELECT rule_version_id FROM oversight.rule_version WHERE rule_code = 'T.FOUR_EYES')) $$,
  'another administrator approves');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT approved_by FROM oversight.rule_version WHERE rule_code = 'T.FOUR_EYES'), 'oversight_test_admin2', 'and is recorded as the approver');

-------------------------------------------------------------------------------------------------------
-- Medium: nobody writes false times through oversight.now (production: clock.injectable is false).
-------------------------------------------------------------------------------------------------------
SELECT set_config('oversight.now', '', true);
UPDATE oversight.setting SET setting_value = 'false', changed_reason = 'production' WHERE setting_key = 'clock.injectable';
SET LOCAL ROLE oversight_test_loader;
SELECT set_config('oversight.now', '2018-01-01 09:00+08', true);
SELECT throws_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
                    VALUES ('CLOCK-1', 'EDU', 'x', 7, 'transfer', '2025-06-01') $$,
  'OV002', NULL, 'a writer who sets oversight.now cannot write: the audit entry would carry a false time');
SELECT throws_ok($$ INSERT INTO oversight.setting (setting_key, setting_value, changed_reason) VALUES ('clock.injectable', 'true', 'x')
                    ON CONFLICT (setting_key) DO UPDATE SET setting_value = 'true' $$, '42501', NULL, 'and cannot allow the injected clock');
SELECT set_config('oversight.now', '', true);
RESET ROLE;
SELECT set_config('oversight.now', '2099-01-01 00:00+08', true);
SELECT throws_ok($$ SELECT oversight.request_waiver((SELECT min(alert_id) FROM oversight.alert), 'forever', '2099-06-01 00:00+08') $$,
  'OV002', NULL, 'a waiver cannot be requested under a forged clock');
SELECT set_config('oversight.now', '', true);
SELECT throws_ok($$ SELECT oversight.request_waiver((SELECT min(alert_id) FROM oversight.alert), 'forever', '2099-06-01 00:00+08') $$,
  '22023', NULL, 'under the real clock a waiver to 2099 is beyond the 366-day limit');
SELECT throws_ok($$ SELECT oversight.sweep('2099-01-01 00:00+08') $$, '22023', NULL, 'a sweep as of a future time is refused (it would expire waivers early)');
SELECT throws_ok($$ SELECT oversight.set_clock('2018-01-01 00:00+08', true) $$, 'OV002', NULL, 'set_clock says so at once');
SELECT set_config('oversight.now', '', true);
UPDATE oversight.setting SET setting_value = 'true', changed_reason = 'tests' WHERE setting_key = 'clock.injectable';
SELECT is((SELECT count(*)::int FROM oversight.audit_log WHERE table_name = 'oversight.setting' AND new_row ->> 'setting_key' = 'clock.injectable'
             AND transaction_id = txid_current()), 2,
  'every change of clock.injectable is in the audit trail');
SELECT oversight.set_clock('2025-06-30 10:00+08', true);

-------------------------------------------------------------------------------------------------------
-- Medium: watched tables altered or dropped never block writes or the sweeper.
-------------------------------------------------------------------------------------------------------
CREATE SCHEMA treasury;
CREATE TABLE treasury.zfpz (pzh text PRIMARY KEY, dwbm text, skr text, je numeric, zffs text, zfrq date, fph text);
CREATE TABLE treasury.zfpz2 (pzh text PRIMARY KEY, dwbm text, skr text, je numeric, zffs text, zfrq date);
CREATE TABLE treasury.zfpz3 (pzh text PRIMARY KEY, dwbm text, skr text, je numeric, zffs text, zfrq date);
SELECT oversight.watch(t, 'payment', '{"payment_code": "pzh", "payer_unit_code": "dwbm", "payee_name": "skr", "amount": "je", "payment_method": "zffs", "paid_on": "zfrq"}')
  FROM unnest(ARRAY['treasury.zfpz', 'treasury.zfpz2', 'treasury.zfpz3']::regclass[]) t;
ALTER TABLE treasury.zfpz RENAME COLUMN je TO amount_cny;
SELECT lives_ok($$ INSERT INTO treasury.zfpz (pzh, dwbm, skr, amount_cny, zffs, zfrq) VALUES ('Z1', 'EDU', 'x', 60000, 'cash', '2025-06-03') $$,
  'a renamed mapped column does not break writes');
SELECT isnt_empty($$ SELECT FROM oversight.alert WHERE rule_code = 'CASH.SINGLE' AND object_table = 'treasury.zfpz' $$, 'and the rules still read it');
SELECT is((SELECT column_mapping ->> 'amount' FROM oversight.watched_table WHERE relid = 'treasury.zfpz'::regclass), 'amount_cny',
  'the mapping follows the rename');
ALTER TABLE treasury.zfpz DROP COLUMN zffs;
SELECT lives_ok($$ INSERT INTO treasury.zfpz (pzh, dwbm, skr, amount_cny, zfrq) VALUES ('Z2', 'EDU', 'x', 60000, '2025-06-03') $$,
  'a dropped mapped column does not break writes');
SELECT ok((SELECT disabled_reason LIKE '%zffs%' FROM oversight.watched_table WHERE relid = 'treasury.zfpz'::regclass), 'the watch is disabled, saying why');
SELECT isnt_empty($$ SELECT FROM oversight.engine_fault WHERE object_table = 'treasury.zfpz' AND message LIKE '%watch disabled%' $$, 'with a recorded fault');
DROP TABLE treasury.zfpz2;
SELECT is_empty($$ SELECT FROM oversight.watched_table WHERE relid::oid NOT IN (SELECT oid FROM pg_class) $$, 'a dropped table''s watch is forgotten');
-- Event triggers are off in replica mode (restores): the engine and the sweeper still cope.
SET LOCAL session_replication_role = replica;
DROP TABLE treasury.zfpz3;
SET LOCAL session_replication_role = origin;
SELECT lives_ok($$ SELECT oversight.sweep() $$, 'the sweeper runs with a watched table dropped behind its back');
SELECT is_empty($$ SELECT FROM oversight.watched_table WHERE relid::oid NOT IN (SELECT oid FROM pg_class) $$, 'and removes its watch');
CREATE TYPE treasury.method AS ENUM ('cash', 'transfer');
CREATE TABLE treasury.typed (pzh text PRIMARY KEY, je numeric, zffs treasury.method);
SELECT throws_ok($$ SELECT oversight.watch('treasury.typed', 'payment', '{"payment_code": "pzh", "amount": "je", "payment_method": "zffs"}') $$,
  '42804', NULL, 'a mapped column of a type that is not built in is refused (its casts would run as the owner)');

SELECT * FROM finish();
ROLLBACK;
