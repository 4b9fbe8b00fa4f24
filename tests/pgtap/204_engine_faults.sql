-- A rule never breaks a write it was not asked to block: a deliberately failing rule (C++ exception or
-- PostgreSQL error inside its SQL) is recorded as an engine fault, the business rows are kept, and the
-- other rules still fire; the failing-rule kind is reserved to administrators; a blocking rule
-- (preventive hold) makes the write fail with OV100 unless its alert is waived.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(15);
SELECT oversight.set_clock('2025-06-30 10:00+08', true);
SELECT oversight.install_default_catalog();
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) VALUES ('U1', '单位一', 'budget_unit');
SELECT oversight.define_rule('T.CASH', 'cash_single', 'payment', 'DEPT.CASH.WITHDRAW', 'cash', '{"limit": 1000}', 'medium');
SELECT oversight.define_rule('T.FAIL_CPP', 'test_failure', 'payment', 'FUND.PAY.REVIEW', 'fails in C++', '{"mode": "cpp_exception"}', 'low');
SELECT oversight.define_rule('T.FAIL_SQL', 'test_failure', 'payment', 'FUND.PAY.REVIEW', 'fails in SQL', '{"mode": "sql_error"}', 'low');

-- Statement path.
SELECT lives_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
                   VALUES ('P1', 'U1', 'A', 5000, 'cash', '2025-06-03'), ('P2', 'U1', 'B', 10, 'cash', '2025-06-03') $$,
                'the write succeeds although two rules fail');
SELECT is((SELECT count(*)::int FROM oversight.payment WHERE payment_code IN ('P1', 'P2')), 2, 'the business rows are kept');
SELECT is((SELECT count(*)::int FROM oversight.alert WHERE rule_code = 'T.CASH'), 1, 'the healthy rule still fired');
SELECT is((SELECT count(*)::int FROM oversight.engine_fault WHERE rule_code = 'T.FAIL_CPP'), 2, 'a C++ exception is a fault per row, with the row key');
SELECT set_eq($$ SELECT object_key::text FROM oversight.engine_fault WHERE rule_code = 'T.FAIL_CPP' $$,
              ARRAY['{"payment_code": "P1"}', '{"payment_code": "P2"}'], 'faults name the rows');
SELECT is((SELECT sqlstate || ' ' || path || ' ' || batch_rows FROM oversight.engine_fault WHERE rule_code = 'T.FAIL_SQL'), '22012 statement 2',
          'a PostgreSQL error inside a rule''s SQL is rolled back in its subtransaction and recorded with its SQLSTATE');
SELECT is((SELECT faults::int FROM oversight.rule_noise WHERE rule_code = 'T.FAIL_SQL'), 1, 'faults are counted per rule');

-- Row path.
SELECT oversight.watch('oversight.payment', 'payment', '{}', 'row');
SELECT lives_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
                   VALUES ('P3', 'U1', 'C', 7000, 'cash', '2025-06-03') $$, 'row path: the write succeeds');
SELECT is((SELECT count(*)::int FROM oversight.engine_fault WHERE path = 'row'), 2, 'row path: both failures recorded');
SELECT is((SELECT count(*)::int FROM oversight.alert WHERE rule_code = 'T.CASH'), 2, 'row path: the healthy rule still fired');
SELECT oversight.watch('oversight.payment', 'payment');

-- Only administrators may create failing rules.
CREATE ROLE oversight_test_author NOLOGIN;
GRANT oversight_admin TO oversight_test_author;
CREATE ROLE oversight_test_plain NOLOGIN;
GRANT USAGE ON SCHEMA oversight TO oversight_test_plain;
GRANT INSERT, SELECT ON oversight.rule TO oversight_test_plain;
SET SESSION AUTHORIZATION oversight_test_plain;
DO $$
BEGIN
  INSERT INTO oversight.rule (rule_code, rule_kind, record_kind, node_code, title, created_at, created_by)
  VALUES ('T.FAIL2', 'test_failure', 'payment', 'FUND.PAY.REVIEW', 'x', now(), 'me');
  PERFORM set_config('oversight_test.outcome', 'created', true);
EXCEPTION WHEN OTHERS THEN
  PERFORM set_config('oversight_test.outcome', SQLSTATE || ' ' || SQLERRM, true);
END $$;
RESET SESSION AUTHORIZATION;
SELECT is(current_setting('oversight_test.outcome'), '42501 rule kind test_failure is reserved to administrators',
          'non-administrators cannot create a failing rule');

-- Blocking rules: explicit per version; the write fails with OV100 and nothing is stored.
SELECT oversight.retire_rule_version((SELECT rule_version_id FROM oversight.rule_version WHERE rule_code IN ('T.FAIL_CPP') AND status = 'approved'));
SELECT oversight.retire_rule_version((SELECT rule_version_id FROM oversight.rule_version WHERE rule_code IN ('T.FAIL_SQL') AND status = 'approved'));
SELECT oversight.define_rule('T.HOLD', 'cash_single', 'payment', 'DEPT.CASH.WITHDRAW', 'hold big cash', '{"limit": 100000}', 'critical', true);
SELECT throws_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
                    VALUES ('P9', 'U1', 'Z', 200000, 'cash', '2025-06-03') $$,
                 'OV100', NULL, 'a blocking rule stops the write');
SELECT is((SELECT count(*)::int FROM oversight.payment WHERE payment_code = 'P9'), 0, 'the blocked row is not stored');
SELECT lives_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
                   VALUES ('P10', 'U1', 'Z', 99000, 'cash', '2025-06-03') $$, 'below the blocking limit the write passes (non-blocking rules alert)');
SELECT is((SELECT count(*)::int FROM oversight.engine_fault WHERE rule_code IN ('T.FAIL_CPP', 'T.FAIL_SQL') AND object_key = '{"payment_code": "P10"}'), 0,
          'retired rules no longer run');

SELECT * FROM finish();
ROLLBACK;
