-- Row path and bulk path give identical alerts: the same payments written one row at a time into a
-- table watched with row triggers (in a shuffled order) and in one multi-row statement into a table
-- watched with statement triggers over transition tables produce the same (rule, object, period) set,
-- for every default payment rule that fires on writes (row-local C++ rules and set-based history rules).
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(7);
SELECT oversight.set_clock('2025-06-30 10:00+08', true);
SELECT oversight.install_default_rules();

INSERT INTO oversight.person (person_code, full_name) VALUES ('S1', 'Staff One'), ('H1', 'Handler'), ('A1', 'Approver');
INSERT INTO oversight.person_account (account_no, person_code, relation, holder_name) VALUES ('ACC-SPOUSE', 'S1', 'spouse', 'Spouse of S1');

CREATE SCHEMA t;
CREATE TABLE t.pay_row (
  payment_code text PRIMARY KEY, payer_unit_code text, payee_name text, payee_account text, amount numeric(16,2), currency text,
  expense_type text, payment_method text, invoice_no text, paid_on date, approved_at timestamptz, handler_code text, approver_code text, status text);
CREATE TABLE t.pay_stmt (LIKE t.pay_row INCLUDING ALL);
CREATE TABLE t.data (LIKE t.pay_row);
INSERT INTO t.data VALUES
  ('D2', 'U1', 'ACME', 'ACC-1', 12345.67, 'CNY', 'goods', 'transfer', 'INV-9', '2025-06-10', '2025-06-10 09:00+08', 'H1', 'A1', 'paid'),
  ('D1', 'U1', 'ACME', 'ACC-1', 12345.67, 'CNY', 'goods', 'transfer', 'INV-9', '2025-06-09', '2025-06-09 09:00+08', 'H1', 'A1', 'paid'),
  ('N1', 'U2', 'Beta', 'ACC-2', 20000.00, 'CNY', 'goods', 'transfer', 'INV-1', '2025-06-03', '2025-06-03 09:00+08', 'H1', 'A1', 'paid'),
  ('N2', 'U2', 'Beta', 'ACC-2', 20100.00, 'CNY', 'goods', 'transfer', 'INV-2', '2025-06-05', '2025-06-05 09:00+08', 'H1', 'A1', 'paid'),
  ('C1', 'U3', 'Cash desk', NULL, 80000.00, 'CNY', 'misc', 'cash', NULL, '2025-06-04', '2025-06-04 09:00+08', 'H1', 'A1', 'paid'),
  ('C2', 'U3', 'Cash desk', NULL, 45000.00, 'CNY', 'misc', 'cash', NULL, '2025-06-16', '2025-06-16 09:00+08', 'H1', 'A1', 'paid'),
  ('C3', 'U3', 'Cash desk', NULL, 90000.00, 'CNY', 'misc', 'cash', NULL, '2025-06-20', '2025-06-20 09:00+08', 'H1', 'A1', 'paid'),
  ('T1', 'U3', 'Hotel', NULL, 800.00, 'CNY', 'travel', 'cash', NULL, '2025-06-04', '2025-06-04 09:00+08', 'H1', 'A1', 'paid'),
  ('S1', 'U4', 'Spouse', 'ACC-SPOUSE', 3000.00, 'CNY', 'consulting', 'transfer', 'INV-S', '2025-06-04', '2025-06-04 09:00+08', 'H1', 'H1', 'paid'),
  ('R1', 'U4', 'Round Co', 'ACC-R', 100000.00, 'CNY', 'goods', 'transfer', 'INV-R', '2025-06-07', '2025-06-07 11:00+08', 'H1', 'A1', 'paid'),
  ('X1', 'U5', 'Foreign', 'ACC-F', 90000.00, 'USD', 'goods', 'cash', 'INV-F', '2025-06-04', '2025-06-04 09:00+08', 'H1', 'A1', 'paid');

SELECT oversight.watch('t.pay_row', 'payment', '{}', 'row');
SELECT oversight.watch('t.pay_stmt', 'payment');

-- Row path: one INSERT per row, in an order different from the statement's.
DO $$
DECLARE r t.data;
BEGIN
  FOR r IN SELECT * FROM t.data ORDER BY payment_code DESC LOOP
    INSERT INTO t.pay_row SELECT r.*;
  END LOOP;
END $$;
-- Bulk path: one statement.
INSERT INTO t.pay_stmt SELECT * FROM t.data ORDER BY payment_code;

SELECT is((SELECT count(DISTINCT last_path)::int FROM oversight.alert WHERE object_table = 't.pay_row' AND last_path = 'row'), 1, 'row path used for t.pay_row');
SELECT is((SELECT count(*)::int FROM oversight.alert WHERE object_table = 't.pay_stmt' AND last_path <> 'statement'), 0, 'statement path used for t.pay_stmt');
SELECT set_eq($$ SELECT rule_code, object_key::text, period FROM oversight.alert WHERE object_table = 't.pay_row' $$,
              $$ SELECT rule_code, object_key::text, period FROM oversight.alert WHERE object_table = 't.pay_stmt' $$,
              'row path and statement path raise the same alerts');
SELECT set_eq($$ SELECT DISTINCT rule_code FROM oversight.alert WHERE object_table = 't.pay_stmt' $$,
              ARRAY['PAY.DUPLICATE', 'PAY.NEAR_DUPLICATE', 'CASH.SINGLE', 'CASH.MONTHLY', 'CASH.OFFICIAL_CARD', 'PAY.STAFF_PAYEE',
                    'PAY.ROUND_AMOUNT', 'PAY.NONWORKING_APPROVAL', 'SOD.PAYMENT'],
              'the comparison covers row-local and history rules');
SELECT is((SELECT object_key FROM oversight.alert WHERE object_table = 't.pay_row' AND rule_code = 'PAY.DUPLICATE'),
          '{"payment_code": "D2"}'::jsonb, 'a duplicate is reported on the later payment whichever arrives first');
SELECT is((SELECT count(*)::int FROM oversight.alert WHERE object_table = 't.pay_row' AND object_key = '{"payment_code": "X1"}' AND rule_code LIKE 'CASH.%'), 0,
          'a foreign-currency cash payment is not compared with CNY limits');
SELECT is((SELECT count(*)::int FROM oversight.engine_fault), 0, 'no engine fault');

SELECT * FROM finish();
ROLLBACK;
