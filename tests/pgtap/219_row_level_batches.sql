-- Row-level watches judged in batches (src/engine/row_buffer.cpp): the row trigger takes each written
-- row, the statement triggers judge the statement's rows as one batch when its row events are done —
-- what a writer sees is unchanged (findings at the end of the statement), the cost is a batch's. Rows
-- taken by work that was rolled back (a savepoint released by an error between row events) are never
-- judged later; a table where transition tables are not allowed (a foreign table) is watched at row
-- level; a row-level watch attached before 0.4.0 (row trigger only) still judges every row.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(10);
SELECT oversight.set_clock('2025-06-30 10:00+08', true);
SELECT oversight.install_default_rules();
CREATE SCHEMA t;
CREATE TABLE t.pay (payment_code text PRIMARY KEY, payer_unit_code text, payee_name text, amount numeric(16,2),
                    payment_method text, expense_type text, paid_on date);
SELECT oversight.watch('t.pay', 'payment', '{}', 'row');
CREATE FUNCTION pg_temp.fired(p_rule text, p_code text) RETURNS boolean LANGUAGE sql AS $$
  SELECT EXISTS (SELECT FROM oversight.alert WHERE rule_code = p_rule AND object_table = 't.pay' AND object_key ->> 'payment_code' = p_code)
$$;

SELECT set_eq($$ SELECT tgname::text || CASE WHEN (tgtype & 1) = 1 THEN ' row' ELSE ' statement' END FROM pg_trigger
                  WHERE tgrelid = 't.pay'::regclass AND NOT tgisinternal $$,
              ARRAY['oversight_engine_row row', 'oversight_engine_insert statement', 'oversight_engine_update statement'],
              'a row-level watch has its row trigger and the statement triggers that judge the rows it took');

-- One statement, three rows: judged together (one batch: the near-duplicate pair is found within it).
INSERT INTO t.pay VALUES ('R1', 'U1', 'Cash desk', 60000, 'cash', 'misc', '2025-06-03'),
                         ('R2', 'U1', 'ACME', 20000, 'transfer', 'goods', '2025-06-03'),
                         ('R3', 'U1', 'ACME', 20100, 'transfer', 'goods', '2025-06-05');
SELECT ok(pg_temp.fired('CASH.SINGLE', 'R1'), 'a row-level watch judges the statement''s rows at its end');
SELECT ok(pg_temp.fired('PAY.NEAR_DUPLICATE', 'R3') OR pg_temp.fired('PAY.NEAR_DUPLICATE', 'R2'), 'history rules see the statement''s other rows');
SELECT is((SELECT array_agg(DISTINCT last_path) FROM oversight.alert WHERE object_table = 't.pay'), ARRAY['row'], 'the findings carry the watch''s level');

-- An error between row events rolls back the savepoint: the row the engine had taken is never judged.
CREATE FUNCTION pg_temp.refuse_13() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN IF NEW.amount = 13 THEN RAISE EXCEPTION 'refused'; END IF; RETURN NULL; END $$;
CREATE TRIGGER zz_refuse_13 AFTER INSERT ON t.pay FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse_13();
DO $$
BEGIN
  INSERT INTO t.pay VALUES ('GHOST', 'U1', 'Cash desk', 70000, 'cash', 'misc', '2025-06-04'), ('BAD', 'U1', 'x', 13, 'transfer', 'goods', '2025-06-04');
EXCEPTION WHEN raise_exception THEN NULL;
END $$;
INSERT INTO t.pay VALUES ('R4', 'U1', 'Cash desk', 55000, 'cash', 'misc', '2025-06-06');
SELECT ok(pg_temp.fired('CASH.SINGLE', 'R4'), 'the next statement is judged');
SELECT ok(NOT pg_temp.fired('CASH.SINGLE', 'GHOST'), 'a row of a rolled-back statement is never judged');
DROP TRIGGER zz_refuse_13 ON t.pay;

-- UPDATE goes through the same batch.
UPDATE t.pay SET amount = 65000, payment_method = 'cash' WHERE payment_code = 'R2';
SELECT ok(pg_temp.fired('CASH.SINGLE', 'R2') AND (SELECT repeat_count FROM oversight.alert WHERE rule_code = 'CASH.SINGLE' AND object_key ->> 'payment_code' = 'R1') = 1,
          'an update judges the updated rows, and only them');

-- Transition tables are not allowed on a foreign table (a treasury system's table through postgres_fdw):
-- such a table is watched at row level.
CREATE EXTENSION IF NOT EXISTS postgres_fdw;
CREATE SERVER treasury_system FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname 'treasury');
CREATE FOREIGN TABLE t.remote_pay (payment_code text, payer_unit_code text, payee_name text, amount numeric(16,2),
                                   payment_method text, expense_type text, paid_on date) SERVER treasury_system;
SELECT throws_ok($$ SELECT oversight.watch('t.remote_pay', 'payment', '{"@key": ["payment_code"]}') $$, '42809', NULL,
                 'statement level needs transition tables, which a foreign table cannot have');
SELECT lives_ok($$ SELECT oversight.watch('t.remote_pay', 'payment', '{"@key": ["payment_code"]}', 'row') $$,
                'a foreign table is watched at row level');

-- A row-level watch attached before 0.4.0 had only its row trigger: each row is still judged, on its own.
DROP TRIGGER oversight_engine_insert ON t.pay;
DROP TRIGGER oversight_engine_update ON t.pay;
INSERT INTO t.pay VALUES ('R5', 'U1', 'Cash desk', 52000, 'cash', 'misc', '2025-06-07');
SELECT ok(pg_temp.fired('CASH.SINGLE', 'R5'), 'a row trigger without its statement triggers judges the row by itself');

SELECT * FROM finish();
ROLLBACK;
