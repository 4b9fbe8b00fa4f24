-- Watching a table the DBA already has, with its own column names: alerts carry its own key, the
-- owner keeps owning it; unwatch removes the triggers and the mapping and leaves the table exactly as
-- it was (digest of rows, physical row positions, columns, constraints, indexes, triggers, owner, ACL).
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(14);
SELECT oversight.set_clock('2025-06-30 10:00+08', true);
SELECT oversight.install_default_rules();

CREATE ROLE oversight_test_treasury NOLOGIN;
CREATE SCHEMA treasury AUTHORIZATION oversight_test_treasury;
CREATE TABLE treasury.payment (
  voucher_no  varchar(20) PRIMARY KEY,
  org         text NOT NULL,
  beneficiary text NOT NULL,
  bank_acct   text,
  amt         numeric(14,2) NOT NULL CHECK (amt > 0),
  pay_way     text NOT NULL DEFAULT 'transfer',
  bill_no     text,
  pay_date    date,
  note        text);
CREATE INDEX payment_bill ON treasury.payment (bill_no, amt);
ALTER TABLE treasury.payment OWNER TO oversight_test_treasury;
GRANT SELECT ON treasury.payment TO oversight_analyst;
INSERT INTO treasury.payment VALUES ('V-001', 'ORG1', 'Alpha', 'A-1', 1200.00, 'transfer', 'B-1', '2025-06-03', 'pre-existing'),
                                    ('V-002', 'ORG1', 'Beta', 'B-1', 99000.00, 'cash', 'B-2', '2025-06-03', 'pre-existing');

CREATE FUNCTION pg_temp.table_digest() RETURNS text LANGUAGE sql AS $$
  SELECT md5(concat_ws('#',
    (SELECT string_agg(p.ctid::text || p.xmin::text || p::text, '|' ORDER BY p.voucher_no) FROM treasury.payment p),
    (SELECT string_agg(a.attname || ':' || format_type(a.atttypid, a.atttypmod) || ':' || a.attnotnull || ':' || coalesce(pg_get_expr(d.adbin, d.adrelid), ''), ',' ORDER BY a.attnum)
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = 'treasury.payment'::regclass AND a.attnum > 0 AND NOT a.attisdropped),
    (SELECT string_agg(conname || pg_get_constraintdef(oid), ',' ORDER BY conname) FROM pg_constraint WHERE conrelid = 'treasury.payment'::regclass),
    (SELECT string_agg(pg_get_indexdef(indexrelid), ',' ORDER BY indexrelid::regclass::text) FROM pg_index WHERE indrelid = 'treasury.payment'::regclass),
    (SELECT coalesce(string_agg(tgname, ',' ORDER BY tgname), '') FROM pg_trigger WHERE tgrelid = 'treasury.payment'::regclass),
    (SELECT relowner::regrole::text || coalesce(relacl::text, '') || relkind::text || coalesce(reloptions::text, '') || relrowsecurity FROM pg_class WHERE oid = 'treasury.payment'::regclass)))
$$;
CREATE TEMP TABLE before_watch AS SELECT pg_temp.table_digest() AS digest;

SELECT throws_ok($$ SELECT oversight.watch('treasury.payment', 'payment', '{"amount": "amt", "payee": "beneficiary"}') $$,
                 '22023', NULL, 'a mapping naming an unknown field is refused');
SELECT throws_ok($$ SELECT oversight.watch('treasury.payment', 'payment', '{"amount": "no_such_column"}') $$,
                 '42703', NULL, 'a mapping naming a missing column is refused');
SELECT throws_ok($$ SELECT oversight.watch('treasury.payment', 'payment', '{}') $$,
                 '22023', 'record kind payment needs the field amount mapped', 'the amount must be mapped');
SELECT throws_ok($$ SELECT oversight.watch('treasury.payment', 'tax', '{}') $$, '22023', NULL, 'unknown record kind refused');

SELECT is((SELECT key_columns FROM oversight.watch('treasury.payment', 'payment',
            '{"payment_code": "voucher_no", "payer_unit_code": "org", "payee_name": "beneficiary", "payee_account": "bank_acct",
              "amount": "amt", "payment_method": "pay_way", "invoice_no": "bill_no", "paid_on": "pay_date"}')),
          ARRAY['voucher_no'], 'watched with its own column names; key from its primary key');
SELECT is((SELECT count(*)::int FROM pg_trigger WHERE tgrelid = 'treasury.payment'::regclass AND tgname LIKE 'oversight_engine_%'), 2,
          'statement-level insert and update triggers attached');
SELECT is((SELECT relowner::regrole::text FROM pg_class WHERE oid = 'treasury.payment'::regclass), 'oversight_test_treasury',
          'the owner still owns the table');

-- The owner writes as usual; rules fire with the table's own key.
SET LOCAL ROLE oversight_test_treasury;
INSERT INTO treasury.payment VALUES ('V-003', 'ORG2', 'Gamma', 'G-1', 70000.00, 'cash', 'B-3', '2025-06-04', 'new'),
                                    ('V-004', 'ORG2', 'Gamma', 'G-1', 70000.00, 'cash', 'B-3', '2025-06-05', 'new');
RESET ROLE;
SELECT set_eq($$ SELECT rule_code, object_key::text FROM oversight.alert WHERE object_table = 'treasury.payment' $$,
              $$ VALUES ('CASH.SINGLE', '{"voucher_no": "V-003"}'), ('CASH.SINGLE', '{"voucher_no": "V-004"}'),
                        ('PAY.DUPLICATE', '{"voucher_no": "V-004"}'), ('PAY.ROUND_AMOUNT', '{"voucher_no": "V-003"}'),
                        ('PAY.ROUND_AMOUNT', '{"voucher_no": "V-004"}') $$,
              'alerts on the watched table carry its own key columns');
SELECT is((SELECT unit_code FROM oversight.alert WHERE object_key = '{"voucher_no": "V-003"}' AND rule_code = 'CASH.SINGLE'), 'ORG2',
          'the mapped unit column feeds row-level security');
SELECT is((SELECT count(*)::int FROM oversight.alert WHERE object_key ? 'voucher_no' AND object_key ->> 'voucher_no' IN ('V-001', 'V-002')), 0,
          'pre-existing rows are not evaluated by watching');

-- An update re-evaluates the new row versions: the same matter is found again, not duplicated.
SET LOCAL ROLE oversight_test_treasury;
UPDATE treasury.payment SET note = 'checked' WHERE voucher_no = 'V-003';
RESET ROLE;
SELECT is((SELECT repeat_count FROM oversight.alert WHERE object_key = '{"voucher_no": "V-003"}' AND rule_code = 'CASH.SINGLE'), 2,
          'an update of an alerted row increments the repeat count of the same alert');

-- Unwatch: the owner removes the new rows, then the watch goes; the table is exactly as before.
SET LOCAL ROLE oversight_test_treasury;
DELETE FROM treasury.payment WHERE voucher_no IN ('V-003', 'V-004');
RESET ROLE;
SELECT ok(oversight.unwatch('treasury.payment'), 'unwatched');
SELECT is((SELECT count(*)::int FROM oversight.watched_table WHERE relid = 'treasury.payment'::regclass), 0, 'mapping forgotten');
SELECT is(pg_temp.table_digest(), (SELECT digest FROM before_watch),
          'rows (contents and physical positions), columns, constraints, indexes, triggers, owner and ACL are as before the watch');
SELECT * FROM finish();
ROLLBACK;
