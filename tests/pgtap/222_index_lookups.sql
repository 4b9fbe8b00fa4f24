-- Small batches (issue 8, speed: a clerk's single-row write). Before a rule's SQL runs, the engine looks the
-- written row's possible partners up through the table's indexes (core::LookupSpec): another payment with the
-- same invoice number (PAY.DUPLICATE), with the same payee name and, through an index on (payee_name, paid_on),
-- a payment date in the window or none (PAY.NEAR_DUPLICATE), a staff account with the payee account
-- (PAY.STAFF_PAYEE). When no written row has any, the rule's SQL does not run. The look-up is a necessary
-- condition only: the same statements give the same alerts and the same cannot-evaluate counts with the
-- look-ups (table t.look) and without them (oversight.index_lookups = off, table t.plain), including partners
-- without a payment date, partners within a two-row statement, updates, an empty staff-account table, and
-- tables where no look-up can be made exactly (no index, a value mapping). Larger statements read the staff-account
-- table once instead (link sets), when it has no more rows than the statement: same alerts and counts again.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(30);
\ir include/rules_u1.psql
INSERT INTO oversight.person (person_code, full_name) VALUES ('S1', 'Staff One');
INSERT INTO oversight.person_account (account_no, person_code, relation, holder_name) VALUES ('ACC7', 'S1', 'self', 'Staff One');
CREATE SCHEMA t;
-- Indexes: 'columns' as a DBA writes them; 'canonical' as oversight.payment has them (a partial invoice index, the
-- payee's day as coalesce(paid_on, requested_on)); 'none'.
CREATE FUNCTION pg_temp.make_table(p_name text, p_indexes text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE TABLE t.%I (payment_code text PRIMARY KEY, payer_unit_code text, payee_name text, payee_account text,
                  amount numeric(16,2), currency text, invoice_no text, paid_on date, requested_on date, status text,
                  payment_kind text, payment_method text)', p_name);
  IF p_indexes = 'columns' THEN
    EXECUTE format('CREATE INDEX ON t.%I (invoice_no, amount)', p_name);
    EXECUTE format('CREATE INDEX ON t.%I (payee_name, paid_on)', p_name);
  ELSIF p_indexes = 'canonical' THEN
    EXECUTE format('CREATE INDEX ON t.%I (invoice_no, amount) WHERE invoice_no IS NOT NULL', p_name);
    EXECUTE format('CREATE INDEX ON t.%I (payee_name, (coalesce(paid_on, requested_on)))', p_name);
  END IF;
  PERFORM oversight.watch(('t.' || p_name)::regclass, 'payment', '{}');
END $$;
-- Rows n of a deterministic population (as in pgTAP 221): 37 payees, amounts often within 1 % of each other,
-- every 40th row re-paid under another code a few days later; some returned, refunds, in dollars, without a
-- payee account or without a payment date (requested only).
CREATE FUNCTION pg_temp.rows(p_from int, p_to int) RETURNS TABLE (payment_code text, payer_unit_code text, payee_name text,
    payee_account text, amount numeric, currency text, invoice_no text, paid_on date, requested_on date, status text,
    payment_kind text, payment_method text)
LANGUAGE sql AS $$
  SELECT 'P' || g, 'U1', 'Payee ' || (g % 37), CASE WHEN g % 11 = 0 THEN NULL ELSE 'ACC' || (g % 37) END,
         20000 + ((g * 7) % 13) * 50, CASE WHEN g % 23 = 0 THEN 'USD' ELSE 'CNY' END, 'INV' || g,
         CASE WHEN g % 19 = 0 THEN NULL ELSE DATE '2025-01-01' + (g / 20) % 180 END, DATE '2025-01-01' + (g / 20) % 180 - 1,
         CASE WHEN g % 29 = 0 THEN 'returned' END, CASE WHEN g % 31 = 0 THEN 'refund' END, 'transfer'
    FROM generate_series(p_from, p_to) g
  UNION ALL
  SELECT 'D' || g, 'U1', 'Payee ' || (g % 37), CASE WHEN g % 11 = 0 THEN NULL ELSE 'ACC' || (g % 37) END,
         20000 + ((g * 7) % 13) * 50, CASE WHEN g % 23 = 0 THEN 'USD' ELSE 'CNY' END, 'INV' || g,
         DATE '2025-01-01' + (g / 20) % 180 + 3, NULL, NULL, NULL, 'transfer'
    FROM generate_series(p_from, p_to) g WHERE g % 40 = 0
$$;
-- Writes each row of the population on its own (a statement per row), then a few updates and two-row statements.
CREATE FUNCTION pg_temp.write_singly(p_table text, p_from int, p_to int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  code text;
BEGIN
  FOR code IN SELECT payment_code FROM pg_temp.rows(p_from, p_to) ORDER BY 1 LOOP
    EXECUTE format('INSERT INTO t.%I SELECT * FROM pg_temp.rows($1, $2) WHERE payment_code = $3', p_table) USING p_from, p_to, code;
  END LOOP;
  -- Updates: one moves a payment next to a payment to another payee, one only changes a status (no pair with itself).
  EXECUTE format($q$INSERT INTO t.%I VALUES ('MV1', 'U1', 'Mover', 'ACCMV', 40000, 'CNY', 'INVMV1', DATE '2025-04-01', NULL, NULL, NULL, 'transfer')$q$, p_table);
  EXECUTE format($q$UPDATE t.%I SET payee_name = 'Mover', payee_account = 'ACCMV', amount = 40100, paid_on = DATE '2025-04-03' WHERE payment_code = 'P350'$q$, p_table);
  EXECUTE format('UPDATE t.%I SET status = ''approved'' WHERE payment_code = ''P351''', p_table);
  -- A pair within one two-row statement, a payee seen nowhere else; and a payment with no date at all.
  EXECUTE format($q$INSERT INTO t.%I VALUES ('N1', 'U1', 'Newcomer', 'ACCN', 30000, 'CNY', 'INVN1', DATE '2025-05-01', NULL, NULL, NULL, 'transfer'),
                                           ('N2', 'U1', 'Newcomer', 'ACCN', 30100, 'CNY', 'INVN2', DATE '2025-05-03', NULL, NULL, NULL, 'transfer')$q$, p_table);
  EXECUTE format($q$INSERT INTO t.%I VALUES ('N3', 'U1', 'Payee 5', 'ACC5', 20000, 'CNY', 'INVN3', NULL, NULL, NULL, NULL, 'transfer')$q$, p_table);
  -- A payment requested but not yet paid (no payment date), then one paid two days after its request.
  EXECUTE format($q$INSERT INTO t.%I VALUES ('NL1', 'U1', 'Nodate', 'ACCNL', 30000, 'CNY', 'INVNL1', NULL, DATE '2025-05-10', NULL, NULL, 'transfer')$q$, p_table);
  EXECUTE format($q$INSERT INTO t.%I VALUES ('NL2', 'U1', 'Nodate', 'ACCNL', 30050, 'CNY', 'INVNL2', DATE '2025-05-12', NULL, NULL, NULL, 'transfer')$q$, p_table);
END $$;
CREATE FUNCTION pg_temp.alerts(p_table text) RETURNS TABLE (rule_code text, object_key jsonb, unit_code text, details jsonb,
    message text, message_zh text) LANGUAGE sql AS $$
  SELECT rule_code, object_key, unit_code, details, message, message_zh FROM oversight.alert WHERE object_table = p_table
$$;
CREATE FUNCTION pg_temp.gaps(p_table text) RETURNS TABLE (rule_code text, reason text, missing text[], records bigint)
LANGUAGE sql AS $$
  SELECT rule_code, reason, missing, records FROM oversight.coverage_gap WHERE object_table = p_table
$$;
CREATE FUNCTION pg_temp.stat(p_name text) RETURNS bigint LANGUAGE sql AS $$
  SELECT (oversight.engine_session_stats() ->> p_name)::bigint
$$;
SELECT pg_temp.make_table(n, 'columns') FROM unnest(ARRAY['look', 'plain', 'empty_link_look', 'empty_link_plain', 'batch_look', 'batch_plain',
                                                           'wide_look', 'wide_plain', 'empty_batch_look', 'empty_batch_plain']) n;
SELECT pg_temp.make_table(n, 'canonical') FROM unnest(ARRAY['canonical_look', 'canonical_plain']) n;
SELECT pg_temp.make_table('no_index', 'none');

-- 300 rows stored in one statement (not a small batch), then 120 written one by one, with and without look-ups.
INSERT INTO t.look SELECT * FROM pg_temp.rows(1, 300);
INSERT INTO t.plain SELECT * FROM pg_temp.rows(1, 300);
SELECT is(current_setting('oversight.index_lookups'), 'on', 'small batches look their partners up by default');
SELECT pg_temp.stat('lookups') AS lookups_before, pg_temp.stat('rules_looked_past') AS past_before \gset
SET oversight.index_lookups = off;
SELECT pg_temp.write_singly('plain', 301, 420);
SELECT is(pg_temp.stat('lookups'), :lookups_before::bigint, 'oversight.index_lookups = off: no look-up is made');
RESET oversight.index_lookups;
SELECT pg_temp.write_singly('look', 301, 420);
SELECT cmp_ok(pg_temp.stat('lookups'), '>', :lookups_before::bigint, 'single-row writes look their partners up');
SELECT cmp_ok(pg_temp.stat('rules_looked_past') - :past_before, '>=', 100::bigint,
              'and most of them skip the SQL of rules that have no partner to find');
SELECT ok((SELECT count(*) FILTER (WHERE rule_code = 'PAY.DUPLICATE') >= 2 AND count(*) FILTER (WHERE rule_code = 'PAY.NEAR_DUPLICATE') >= 20
                AND count(*) FILTER (WHERE rule_code = 'PAY.STAFF_PAYEE') >= 2
             FROM pg_temp.alerts('t.look') WHERE (object_key ->> 'payment_code') NOT IN (SELECT payment_code FROM pg_temp.rows(1, 300))),
          'the single-row writes give duplicates, near-duplicates and staff payees to compare');
SELECT set_eq($$ SELECT * FROM pg_temp.alerts('t.look') $$, $$ SELECT * FROM pg_temp.alerts('t.plain') $$,
              'with or without look-ups: the same alerts (rule, key, unit, details, messages)');
SELECT set_eq($$ SELECT * FROM pg_temp.gaps('t.look') $$, $$ SELECT * FROM pg_temp.gaps('t.plain') $$,
              'and the same counts of what the rules could not judge');

-- The cases the look-ups must not miss, one by one.
SELECT ok(EXISTS (SELECT FROM pg_temp.alerts('t.look') WHERE rule_code = 'PAY.NEAR_DUPLICATE' AND object_key ->> 'payment_code' = 'NL2'
                     AND details -> 'similar_to' ->> 'payment_code' = 'NL1'),
          'a stored partner without a payment date (its request date in the window) is found');
SELECT ok(EXISTS (SELECT FROM pg_temp.alerts('t.look') WHERE rule_code = 'PAY.NEAR_DUPLICATE' AND object_key ->> 'payment_code' = 'N2'
                     AND details -> 'similar_to' ->> 'payment_code' = 'N1'),
          'two rows of one statement that pair only with each other');
SELECT ok(EXISTS (SELECT FROM pg_temp.alerts('t.look') WHERE rule_code = 'PAY.NEAR_DUPLICATE' AND 'P350' IN (object_key ->> 'payment_code', details -> 'similar_to' ->> 'payment_code')),
          'an update that moves a payment next to another one of its payee');
SELECT is((SELECT count(*) FROM pg_temp.alerts('t.look') WHERE object_key ->> 'payment_code' = details -> 'similar_to' ->> 'payment_code'), 0::bigint,
          'no payment pairs with itself after an update');
SELECT ok(EXISTS (SELECT FROM pg_temp.alerts('t.look') WHERE rule_code = 'PAY.STAFF_PAYEE' AND details ->> 'payee_account' = 'ACC7'),
          'a payee account of a staff member, found in oversight.person_account');

-- Indexes shaped like oversight.payment's: the partial invoice index serves the look-up (its predicate holds for
-- every row with an invoice), the index on the payee and coalesce(paid_on, requested_on) bounds the window.
INSERT INTO t.canonical_look SELECT * FROM pg_temp.rows(1, 300);
INSERT INTO t.canonical_plain SELECT * FROM pg_temp.rows(1, 300);
SELECT pg_temp.stat('rules_looked_past') AS past_before \gset
SELECT pg_temp.write_singly('canonical_look', 301, 420);
SELECT cmp_ok(pg_temp.stat('rules_looked_past') - :past_before, '>=', 100::bigint,
              'indexes shaped like oversight.payment''s serve the look-ups too');
SET oversight.index_lookups = off;
SELECT pg_temp.write_singly('canonical_plain', 301, 420);
RESET oversight.index_lookups;
SELECT set_eq($$ SELECT * FROM pg_temp.alerts('t.canonical_look') $$, $$ SELECT * FROM pg_temp.alerts('t.canonical_plain') $$,
              'and give the same alerts as without look-ups, the partner without a payment date included');
SELECT set_eq($$ SELECT * FROM pg_temp.gaps('t.canonical_look') $$, $$ SELECT * FROM pg_temp.gaps('t.canonical_plain') $$,
              'and the same cannot-evaluate counts');
SELECT ok(EXISTS (SELECT FROM pg_temp.alerts('t.canonical_look') WHERE rule_code = 'PAY.NEAR_DUPLICATE' AND object_key ->> 'payment_code' = 'NL2'),
          'through the coalesce index: a stored partner without a payment date, by its request date');

-- The product's own table, as oversight-load fills it: its writes are looked up.
SELECT pg_temp.stat('lookups') AS lookups_before, pg_temp.stat('rules_looked_past') AS past_before \gset
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, invoice_no, paid_on)
VALUES ('OP1', 'U1', 'Own table payee', 52000, 'transfer', 'OPINV1', DATE '2025-06-02');
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, invoice_no, paid_on)
VALUES ('OP2', 'U1', 'Own table payee', 52100, 'transfer', 'OPINV2', DATE '2025-06-04');
SELECT is(pg_temp.stat('lookups') - :lookups_before, 4::bigint,
          'oversight.payment: each single-row write looks up its invoice number and its payee');
SELECT is(pg_temp.stat('rules_looked_past') - :past_before, 3::bigint,
          'the first finds nothing for either rule; the second no invoice, but the first payment to its payee');
SELECT ok(EXISTS (SELECT FROM oversight.alert WHERE object_table = 'oversight.payment' AND rule_code = 'PAY.NEAR_DUPLICATE'
                     AND object_key ->> 'payment_code' = 'OP2'),
          'and is judged a near-duplicate of it');

-- Larger batches read a link table once (LinkSets): PAY.STAFF_PAYEE's candidates are then only the written rows
-- whose payee account is in oversight.person_account, and the same statement gives the same alerts and counts
-- with it and without (index_lookups = off).
-- pg_temp.insert_both(name, from, to): rows from..to in one statement into t.<name>_look, then, with
-- oversight.index_lookups = off, into t.<name>_plain.
CREATE FUNCTION pg_temp.insert_both(p_name text, p_from int, p_to int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  was text := current_setting('oversight.index_lookups');
BEGIN
  EXECUTE format('INSERT INTO t.%I SELECT * FROM pg_temp.rows($1, $2)', p_name || '_look') USING p_from, p_to;
  PERFORM set_config('oversight.index_lookups', 'off', false);
  EXECUTE format('INSERT INTO t.%I SELECT * FROM pg_temp.rows($1, $2)', p_name || '_plain') USING p_from, p_to;
  PERFORM set_config('oversight.index_lookups', was, false);
END $$;
SELECT pg_temp.stat('link_rows_read') AS links_before \gset
SELECT pg_temp.insert_both('batch', 1, 2000);
SELECT is(pg_temp.stat('link_rows_read') - :links_before, 1::bigint,
          'a 2,050-row statement reads the one staff account once (and not at all with oversight.index_lookups = off)');
SELECT is((SELECT count(*) FROM pg_temp.alerts('t.batch_look') WHERE rule_code = 'PAY.STAFF_PAYEE'),
          (SELECT count(*) FROM t.batch_look WHERE payee_account = 'ACC7' AND coalesce(payment_kind, 'payment') = 'payment'),
          'every payment of the large batch to the staff account is found (48)');
SELECT set_eq($$ SELECT * FROM pg_temp.alerts('t.batch_look') $$, $$ SELECT * FROM pg_temp.alerts('t.batch_plain') $$,
              'with or without the link set: the same alerts');
SELECT set_eq($$ SELECT * FROM pg_temp.gaps('t.batch_look') $$, $$ SELECT * FROM pg_temp.gaps('t.batch_plain') $$,
              'and the same cannot-evaluate counts');
-- A link table with more rows than the batch is not kept (reading it would cost more than it spares).
INSERT INTO oversight.person_account (account_no, person_code, relation, holder_name)
SELECT 'ACC0X' || g, 'S1', 'spouse', 'Relative ' || g FROM generate_series(1, 40) g; -- read first, in the index's order
INSERT INTO oversight.person_account (account_no, person_code, relation, holder_name) VALUES ('ACC9', 'S1', 'child', 'Child');
SELECT pg_temp.insert_both('wide', 1, 30);
SELECT set_eq($$ SELECT * FROM pg_temp.alerts('t.wide_look') $$, $$ SELECT * FROM pg_temp.alerts('t.wide_plain') $$,
              'a 30-row statement and 42 staff accounts: the same alerts, ACC7 and ACC9 among them');

-- An empty staff-account table: the rule cannot judge, and says so the same way.
DELETE FROM oversight.person_account;
SELECT pg_temp.write_singly('empty_link_look', 301, 330);
SET oversight.index_lookups = off;
SELECT pg_temp.write_singly('empty_link_plain', 301, 330);
RESET oversight.index_lookups;
SELECT set_eq($$ SELECT * FROM pg_temp.gaps('t.empty_link_look') $$, $$ SELECT * FROM pg_temp.gaps('t.empty_link_plain') $$,
              'no staff account at all: the same cannot-evaluate counts (no_link_rows) with or without look-ups');
SELECT ok(EXISTS (SELECT FROM pg_temp.gaps('t.empty_link_look') WHERE rule_code = 'PAY.STAFF_PAYEE' AND reason = 'no_link_rows'),
          'counted as no_link_rows');
SELECT pg_temp.insert_both('empty_batch', 1, 100);
SELECT set_eq($$ SELECT * FROM pg_temp.gaps('t.empty_batch_look') $$, $$ SELECT * FROM pg_temp.gaps('t.empty_batch_plain') $$,
              'and so does a 100-row statement: an empty link table is no link set');

-- Where no look-up can be made exactly, none is: a table without the indexes, a watch mapping payee names. (The
-- staff accounts are empty now: that rule is looked up but never skipped.)
SELECT pg_temp.stat('rules_looked_past') AS past_before \gset
INSERT INTO t.no_index SELECT * FROM pg_temp.rows(1, 50);
SELECT pg_temp.write_singly('no_index', 51, 60);
SELECT is(pg_temp.stat('rules_looked_past'), :past_before::bigint,
          'without the indexes, the duplicate rules are not looked up: their SQL runs for every write');

CREATE TABLE t.mapped (LIKE t.look INCLUDING INDEXES);
SELECT oversight.watch('t.mapped'::regclass, 'payment', '{"payee_name": {"column": "payee_name", "values": {"Payee 5 Ltd": "Payee 5"}}}');
SELECT pg_temp.stat('lookups') AS lookups_before \gset
INSERT INTO t.mapped SELECT * FROM pg_temp.rows(1, 50);
INSERT INTO t.mapped VALUES ('M1', 'U1', 'Payee 5 Ltd', NULL, 20420, 'CNY', 'INVM1', DATE '2025-01-02', NULL, NULL, NULL, 'transfer');
SELECT is(pg_temp.stat('lookups'), :lookups_before::bigint + 1,
          'a mapped payee name is not looked up (the duplicate rule''s invoice number still is)');
SELECT ok(EXISTS (SELECT FROM oversight.alert WHERE object_table = 't.mapped' AND rule_code = 'PAY.NEAR_DUPLICATE'
                     AND 'M1' IN (object_key ->> 'payment_code', details -> 'similar_to' ->> 'payment_code')),
          'and the payment to "Payee 5 Ltd" is still judged a near-duplicate of one to "Payee 5"');

SELECT * FROM finish();
ROLLBACK;
