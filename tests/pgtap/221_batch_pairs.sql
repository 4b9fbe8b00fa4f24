-- Large batches (issue 8, speed). Each rule with a pre-filter reads only its candidate rows when they are at most a
-- third of the batch (the cash-sum rules: cash payments; the contract rules: payments on a contract), and still
-- counts over every written row what it cannot judge (no staff accounts at all: PAY.STAFF_PAYEE). The duplicate rules (PAY.DUPLICATE, PAY.NEAR_DUPLICATE) of a batch of at
-- least oversight.batch_split_rows rows pair the written rows in C++ (RuleKindSpec::pairs) and join the batch
-- only with those and with the rows stored before the statement (their xmin and cmin are not the
-- statement's), never with itself. The C++ pairing is a necessary condition only; the rule's SQL decides:
-- the same statements give the same alerts (rule, key, unit, details, both messages) split or not, with and
-- without stored rows, and a statement whose stamped rows are not exactly its batch (an upsert) is not split.
-- Every rule of the default set runs; the comparisons are of all their alerts.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(18);
\ir include/rules_u1.psql
INSERT INTO oversight.party (party_code, name) VALUES ('SUP1', 'Supplier One');
INSERT INTO oversight.contract (contract_code, buyer_unit_code, supplier_party_code, amount, currency, signed_on)
SELECT 'K' || i, 'U1', 'SUP1', 300000, 'CNY', DATE '2025-03-01' FROM generate_series(1, 4) i;
CREATE SCHEMA t;
CREATE FUNCTION pg_temp.make_table(p_name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE TABLE t.%I (payment_code text PRIMARY KEY, payer_unit_code text, payee_name text, payee_account text,
                  amount numeric(16,2), currency text, invoice_no text, paid_on date, status text, payment_kind text,
                  payment_method text, contract_code text)', p_name);
  PERFORM oversight.watch(('t.' || p_name)::regclass, 'payment', '{}');
END $$;
-- Rows n of a deterministic population: 37 payees, each paid every two days or so, amounts that often fall
-- within 1 % of each other; every 40th row is re-paid (same payee, amount and invoice) a few days later under another code;
-- some rows are returned, refunds, in dollars, or without a payee account; one in 17 is paid in cash (30,000 more),
-- one in 13 on a contract.
CREATE FUNCTION pg_temp.rows(p_from int, p_to int) RETURNS TABLE (payment_code text, payer_unit_code text, payee_name text,
    payee_account text, amount numeric, currency text, invoice_no text, paid_on date, status text, payment_kind text,
    payment_method text, contract_code text)
LANGUAGE sql AS $$
  SELECT 'P' || g, 'U' || (g % 5), 'Payee ' || (g % 37), CASE WHEN g % 11 = 0 THEN NULL ELSE 'ACC' || (g % 37) END,
         20000 + ((g * 7) % 13) * 50 + CASE WHEN g % 17 = 0 THEN 30000 ELSE 0 END, CASE WHEN g % 23 = 0 THEN 'USD' ELSE 'CNY' END,
         'INV' || g, DATE '2025-01-01' + (g / 20) % 180, CASE WHEN g % 29 = 0 THEN 'returned' END, CASE WHEN g % 31 = 0 THEN 'refund' END,
         CASE WHEN g % 17 = 0 THEN 'cash' ELSE 'transfer' END, CASE WHEN g % 13 = 0 THEN 'K' || (g % 4 + 1) END
    FROM generate_series(p_from, p_to) g
  UNION ALL
  SELECT 'D' || g, 'U' || (g % 5), 'Payee ' || (g % 37), CASE WHEN g % 11 = 0 THEN NULL ELSE 'ACC' || (g % 37) END,
         20000 + ((g * 7) % 13) * 50 + CASE WHEN g % 17 = 0 THEN 30000 ELSE 0 END, CASE WHEN g % 23 = 0 THEN 'USD' ELSE 'CNY' END,
         'INV' || g, DATE '2025-01-01' + (g / 20) % 180 + 3, NULL, NULL, 'transfer', NULL
    FROM generate_series(p_from, p_to) g WHERE g % 40 = 0
$$;
-- The alerts of a table, without the table's name: what must not depend on how the batch was judged.
CREATE FUNCTION pg_temp.alerts(p_table text) RETURNS TABLE (rule_code text, object_key jsonb, unit_code text, details jsonb,
    message text, message_zh text) LANGUAGE sql AS $$
  SELECT rule_code, object_key, unit_code, details, message, message_zh FROM oversight.alert WHERE object_table = p_table
$$;
CREATE FUNCTION pg_temp.stat(p_name text) RETURNS bigint LANGUAGE sql AS $$
  SELECT (oversight.engine_session_stats() ->> p_name)::bigint
$$;
SELECT pg_temp.make_table(n) FROM unnest(ARRAY['split_after', 'whole_after', 'split_first', 'whole_first', 'upsert_split', 'upsert_whole']) n;

-- 300 stored rows, then a batch of 2,700 (with its re-payments) pairing within itself and with them.
SET oversight.batch_split_rows = 0;
INSERT INTO t.whole_after SELECT * FROM pg_temp.rows(1, 300);
INSERT INTO t.whole_after SELECT * FROM pg_temp.rows(301, 3000);
SELECT is(pg_temp.stat('split_batches'), 0::bigint, 'oversight.batch_split_rows = 0: no batch is split');
RESET oversight.batch_split_rows;
SELECT is(current_setting('oversight.batch_split_rows'), '1000', 'batches of 1,000 rows or more are split by default');
INSERT INTO t.split_after SELECT * FROM pg_temp.rows(1, 300);
SELECT is(pg_temp.stat('split_batches'), 0::bigint, 'a batch below the setting is joined with the table in SQL');
INSERT INTO t.split_after SELECT * FROM pg_temp.rows(301, 3000);
SELECT is(pg_temp.stat('split_batches'), 1::bigint, 'a large batch into a table holding rows stored before is split');
SELECT cmp_ok(pg_temp.stat('paired_rows'), '>', 0::bigint, 'its written rows that may pair were found in C++');
SELECT is(pg_temp.stat('candidate_reads'), 4::bigint, 'the two cash-sum and the two contract rules read only their candidate rows');
SELECT ok((SELECT count(*) FILTER (WHERE rule_code = 'PAY.DUPLICATE') >= 50 AND count(*) FILTER (WHERE rule_code = 'PAY.NEAR_DUPLICATE') >= 100
                AND count(*) FILTER (WHERE rule_code IN ('CASH.MONTHLY', 'CASH.ANNUAL')) > 0
             FROM pg_temp.alerts('t.split_after')),
          'the population gives duplicates, near-duplicates and cash sums over the limits to compare');
SELECT ok(EXISTS (SELECT FROM pg_temp.alerts('t.split_after') WHERE rule_code IN ('PAY.DUPLICATE', 'PAY.NEAR_DUPLICATE')
                     AND substr(coalesce(details -> 'similar_to', details -> 'duplicate_of') ->> 'payment_code', 2)::int <= 300)
          AND EXISTS (SELECT FROM pg_temp.alerts('t.split_after') WHERE rule_code IN ('PAY.DUPLICATE', 'PAY.NEAR_DUPLICATE')
                     AND substr(coalesce(details -> 'similar_to', details -> 'duplicate_of') ->> 'payment_code', 2)::int > 300),
          'pairs with stored rows and pairs within the batch both occur');
SELECT set_eq($$ SELECT * FROM pg_temp.alerts('t.split_after') $$, $$ SELECT * FROM pg_temp.alerts('t.whole_after') $$,
              'split or whole, after stored rows: the same alerts (rule, key, unit, details, messages)');
SELECT set_eq($$ SELECT rule_code, reason, missing, records, evaluations FROM oversight.coverage_gap WHERE object_table = 't.split_after' $$,
              $$ SELECT rule_code, reason, missing, records, evaluations FROM oversight.coverage_gap WHERE object_table = 't.whole_after' $$,
              'and the same counts of what the rules could not judge');

-- The first batch of an empty table: no stored row to join with at all.
INSERT INTO t.split_first SELECT * FROM pg_temp.rows(1, 3000);
SELECT is(pg_temp.stat('split_batches'), 2::bigint, 'the first load of a table is split');
SET oversight.batch_split_rows = 0;
INSERT INTO t.whole_first SELECT * FROM pg_temp.rows(1, 3000);
RESET oversight.batch_split_rows;
SELECT set_eq($$ SELECT * FROM pg_temp.alerts('t.split_first') $$, $$ SELECT * FROM pg_temp.alerts('t.whole_first') $$,
              'split or whole, into an empty table: the same alerts');

-- An upsert: the inserted rows' batch and the updated rows' batch share the statement's stamp, so neither is
-- exactly the rows carrying it: not split, and nothing is lost between the two.
SET oversight.batch_split_rows = 0;
INSERT INTO t.upsert_split SELECT * FROM pg_temp.rows(1, 1500);
INSERT INTO t.upsert_whole SELECT * FROM pg_temp.rows(1, 1500);
RESET oversight.batch_split_rows;
CREATE FUNCTION pg_temp.upsert(p_table text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format($q$INSERT INTO t.%I SELECT * FROM pg_temp.rows(1001, 3000)
                    ON CONFLICT (payment_code) DO UPDATE SET amount = excluded.amount + 1, paid_on = excluded.paid_on + 2$q$, p_table);
END $$;
SELECT pg_temp.upsert('upsert_split');
SELECT is(pg_temp.stat('split_batches'), 2::bigint, 'an upsert''s batches are not split');
SET oversight.batch_split_rows = 0;
SELECT pg_temp.upsert('upsert_whole');
RESET oversight.batch_split_rows;
SELECT set_eq($$ SELECT * FROM pg_temp.alerts('t.upsert_split') $$, $$ SELECT * FROM pg_temp.alerts('t.upsert_whole') $$,
              'an upsert: the same alerts as judged whole');

-- Without any contract, the contract rules cannot judge: what they count, over every written row that names a
-- contract, is the same when their SQL reads only their candidates.
DELETE FROM oversight.contract;
SELECT pg_temp.make_table(n) FROM unnest(ARRAY['no_contract_split', 'no_contract_whole']) n;
SELECT pg_temp.stat('candidate_reads') AS reads_before \gset
INSERT INTO t.no_contract_split SELECT * FROM pg_temp.rows(1, 1500);
SELECT is(pg_temp.stat('candidate_reads') - :reads_before, 4::bigint, 'the cash-sum and contract rules read their candidates');
SET oversight.batch_split_rows = 0;
INSERT INTO t.no_contract_whole SELECT * FROM pg_temp.rows(1, 1500);
RESET oversight.batch_split_rows;
SELECT set_eq($$ SELECT rule_code, reason, missing, records FROM oversight.coverage_gap WHERE object_table = 't.no_contract_split' $$,
              $$ SELECT rule_code, reason, missing, records FROM oversight.coverage_gap WHERE object_table = 't.no_contract_whole' $$,
              'without contracts, the same cannot-evaluate counts');
SELECT is((SELECT records FROM oversight.coverage_gap WHERE object_table = 't.no_contract_split' AND rule_code = 'PAY.OVER_CONTRACT'),
          (SELECT count(*) FROM t.no_contract_split WHERE contract_code IS NOT NULL AND coalesce(payment_kind, 'payment') = 'payment'),
          'counted over every written payment naming a contract, not only the rows the rule read');

-- The statistics are the engine's: a role without the grant cannot call them.
CREATE ROLE t_outsider;
SET ROLE t_outsider;
SELECT throws_ok($$ SELECT oversight.engine_session_stats() $$, '42501', NULL, 'an outsider cannot read the engine''s statistics');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
