-- The working-day calendar exists twice: in SQL (oversight.is_working_day, for people and reports) and in
-- the C++ rule core (in memory, for PAY.NONWORKING_APPROVAL on the write path). This file proves they
-- agree on every day of every loaded year: one payment approved at noon each day, in one bulk statement
-- and row by row, and the rule must fire exactly on the days SQL calls non-working.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(3);
SELECT oversight.set_clock('2026-12-31 18:00+08', true);
SELECT oversight.install_default_rules();
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) VALUES ('U1', '单位一', 'budget_unit');

-- Bulk path: one statement, one batch for the C++ row pass.
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, approved_at, paid_on)
SELECT 'D-' || c.calendar_date, 'U1', 'payee ' || c.calendar_date, 100.01, 'transfer',
       (c.calendar_date + time '12:00') AT TIME ZONE 'Asia/Shanghai', c.calendar_date
  FROM oversight.calendar c;

SELECT is_empty($$
  SELECT c.calendar_date, c.is_working_day, oversight.is_working_day(c.calendar_date) AS sql_working,
         EXISTS (SELECT FROM oversight.alert a WHERE a.rule_code = 'PAY.NONWORKING_APPROVAL'
                   AND a.object_key = jsonb_build_object('payment_code', 'D-' || c.calendar_date)) AS rule_fired
    FROM oversight.calendar c
   WHERE oversight.is_working_day(c.calendar_date) = EXISTS (
           SELECT FROM oversight.alert a WHERE a.rule_code = 'PAY.NONWORKING_APPROVAL'
              AND a.object_key = jsonb_build_object('payment_code', 'D-' || c.calendar_date)) $$,
  'bulk path: the C++ rule fires on exactly the days the SQL calendar calls non-working, every loaded day');

SELECT is((SELECT count(*)::int FROM oversight.alert WHERE rule_code = 'PAY.NONWORKING_APPROVAL'),
          (SELECT count(*)::int FROM oversight.calendar WHERE NOT is_working_day),
          'one alert per non-working day of 2024–2026');

-- Row path: the same days, one INSERT each (a few per kind of day is enough to cover the row pass).
CREATE TEMP TABLE row_days AS
  SELECT calendar_date FROM oversight.calendar
   WHERE calendar_date IN ('2024-02-04', '2024-02-10', '2025-01-26', '2025-10-08', '2026-02-14', '2026-02-16', '2026-03-01', '2026-03-02');
DO $$
DECLARE d date;
BEGIN
  FOR d IN SELECT calendar_date FROM row_days LOOP
    INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, approved_at, paid_on)
    VALUES ('R-' || d, 'U1', 'row payee ' || d, 100.01, 'transfer', (d + time '12:00') AT TIME ZONE 'Asia/Shanghai', d);
  END LOOP;
END $$;
SELECT is_empty($$
  SELECT r.calendar_date FROM row_days r
   WHERE oversight.is_working_day(r.calendar_date) = EXISTS (
           SELECT FROM oversight.alert a WHERE a.rule_code = 'PAY.NONWORKING_APPROVAL'
              AND a.object_key = jsonb_build_object('payment_code', 'R-' || r.calendar_date)) $$,
  'row path: single-row inserts agree too (moved working weekends and holiday weekdays included)');

SELECT * FROM finish();
ROLLBACK;
