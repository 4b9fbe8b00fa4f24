-- Benchmark schema for the rule engine: a DBA-style payment table (canonical column names, no foreign
-- keys, the indexes a DBA adds for the history rules), reference data the rules read (contracts, staff
-- accounts, calendar from the extension), and a deterministic data generator.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION oversight;
INSERT INTO oversight.setting (setting_key, setting_value, changed_reason) VALUES ('clock.injectable', 'true', 'benchmark data are dated 2025');
SELECT oversight.set_clock('2025-12-31 10:00+08');
SELECT * FROM oversight.install_default_rules();

CREATE SCHEMA bench;
CREATE TABLE bench.payment (
  payment_code        text PRIMARY KEY,
  payer_unit_code     text NOT NULL,
  payee_name          text NOT NULL,
  payee_account       text,
  amount              numeric(16,2) NOT NULL,
  currency            text NOT NULL DEFAULT 'CNY',
  purpose             text,
  expense_type        text,
  payment_method      text NOT NULL,
  contract_code       text,
  invoice_no          text,
  paid_on             date,
  requested_on        date,
  approved_at         timestamptz,
  handler_code        text,
  approver_code       text,
  status              text NOT NULL DEFAULT 'paid');
CREATE INDEX payment_invoice ON bench.payment (invoice_no, amount);
CREATE INDEX payment_payee_day ON bench.payment (payee_name, paid_on);
CREATE INDEX payment_contract ON bench.payment (contract_code) WHERE contract_code IS NOT NULL;
CREATE INDEX payment_cash ON bench.payment (payer_unit_code, paid_on) WHERE payment_method = 'cash';
CREATE SEQUENCE bench.latency_seq;

-- Reference data read by the rules: 5000 contracts (some over-paid by the data), 100 staff accounts.
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) VALUES ('BENCH', 'bench', 'bureau');
INSERT INTO oversight.party (party_code, name) VALUES ('SUP', 'supplier');
INSERT INTO oversight.contract (contract_code, buyer_unit_code, supplier_party_code, amount, currency, signed_on)
SELECT 'K' || k, 'BENCH', 'SUP', 150000 + (k % 7) * 50000, 'CNY', date '2025-01-01' + (k % 60) FROM generate_series(0, 4999) k;
INSERT INTO oversight.person (person_code, full_name) SELECT 'S' || s, 'staff ' || s FROM generate_series(0, 99) s;
INSERT INTO oversight.person_account (account_no, person_code, relation, holder_name)
SELECT 'ACC' || s, 'S' || s, CASE WHEN s % 2 = 0 THEN 'self' ELSE 'spouse' END, 'holder ' || s FROM generate_series(0, 99) s;

-- Deterministic payments: 200 units, 50000 payees, 2% cash, 10% on contracts, one duplicate per 1000,
-- round amounts every 97th, handler = approver every 500th, paid and approved on working days (one in 200 on a Saturday).
CREATE TABLE bench.working_days_2025 AS
  SELECT array_agg(calendar_date ORDER BY calendar_date) AS days FROM oversight.calendar WHERE calendar_year = 2025 AND is_working_day;
CREATE FUNCTION bench.generate(p_from bigint, p_to bigint) RETURNS SETOF bench.payment
LANGUAGE sql STABLE AS $$
  SELECT 'P' || lpad(i::text, 9, '0'),
         'U' || (b % 200),
         'payee ' || (h % 50000),
         'ACC' || (h % 50000),
         CASE WHEN b % 97 = 0 THEN 60000 WHEN b % 50 = 0 THEN 5000 + (h % 60000) ELSE round(100 + (h % 2000000) / 100.0, 2) END,
         'CNY',
         NULL::text,
         (ARRAY['office', 'travel', 'goods', 'works', 'consulting', 'salary'])[1 + (b % 6)],
         CASE WHEN b % 50 = 0 THEN 'cash' ELSE 'transfer' END,
         CASE WHEN b % 10 = 3 THEN 'K' || (h % 5000) END,
         'INV' || b,
         d.paid_on,
         NULL::date,
         d.paid_on + time '10:00' AT TIME ZONE 'Asia/Shanghai',
         'H' || (b % 300),
         CASE WHEN b % 500 = 0 THEN 'H' || (b % 300) ELSE 'A' || (b % 300) END,
         'paid'
    FROM generate_series(p_from, p_to) AS i
   CROSS JOIN LATERAL (SELECT CASE WHEN i % 1000 = 0 THEN i - 1 ELSE i END AS b) bb
   CROSS JOIN LATERAL (SELECT ((bb.b * 2654435761) % 1000000007) AS h) hh
   -- payments on the 247 working days of 2025 (the treasury is closed on holidays), one in 200 on a Saturday
   CROSS JOIN LATERAL (SELECT CASE WHEN bb.b % 200 = 7 THEN date '2025-01-04' + ((bb.b / 200) % 52)::integer * 7
                                   ELSE (SELECT wd.days[1 + (bb.b % 247)::integer] FROM bench.working_days_2025 wd) END AS paid_on) d
$$;
