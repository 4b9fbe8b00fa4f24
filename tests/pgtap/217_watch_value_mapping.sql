-- Value mappings and constants in watch() (issue 13): a treasury table the DBA already has, with Chinese
-- codes in its method (支付方式), expense-type (支出类别) and status (状态) columns and no currency column,
-- watched with value aliases, a default and a constant, raises exactly the alerts the canonical
-- oversight.payment raises for the same facts — on the statement path and on the row path. Refusals name
-- the field and the value; a changed mapping takes effect; the mapping's values never become SQL; the
-- checking function is the administrator's only. Mappings are versioned like rules (each distinct mapping of a
-- table is a version, never overwritten, recorded by its alerts) and can be stored by name (oversight.mapping)
-- and watched by name; the attacks on both are replayed as the unprivileged roles.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(60);
\ir include/city_roles.psql
CREATE ROLE oversight_test_admin217 NOLOGIN IN ROLE oversight_admin;
GRANT USAGE ON SCHEMA tap TO oversight_test_admin217;

INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind, parent_code) VALUES
  ('U1', '一局', 'budget_unit', 'CITY'), ('U2', '二局', 'budget_unit', 'CITY'), ('U3', '三局', 'budget_unit', 'CITY'), ('U4', '四局', 'budget_unit', 'CITY');
INSERT INTO oversight.person (person_code, full_name) VALUES ('S1', 'Staff One'), ('H1', 'Handler'), ('A1', 'Approver');
INSERT INTO oversight.person_account (account_no, person_code, relation, holder_name) VALUES ('ACC-SPOUSE', 'S1', 'spouse', 'Spouse of S1');

-- The DBA's tables: their own column names, Chinese codes (method and status in char(n), padded), no currency; one
-- watched per statement, one per row.
CREATE SCHEMA treasury;
CREATE TABLE treasury.zfpz_stmt (
  pzh text PRIMARY KEY, dwbm text NOT NULL, skr text NOT NULL, zh text, je numeric(14,2) NOT NULL, zclx text,
  zffs char(40) NOT NULL, fph text, zfrq date, spsj timestamptz, jbr text, spr text, zt char(4));
CREATE TABLE treasury.zfpz_row (LIKE treasury.zfpz_stmt INCLUDING ALL);
CREATE TEMP TABLE zfpz_rows (LIKE treasury.zfpz_stmt);
-- The same facts in the bureau's words: 现金 cash, 转账 transfer, 公务卡 official card; 货物 goods, 其他 misc,
-- 差旅费 travel, 咨询费 consulting, 办公费 office; 已支付 paid, 已审批 approved; R1 has no status (default paid).
INSERT INTO zfpz_rows VALUES
  ('D2', 'U1', 'ACME', 'ACC-1', 12345.67, '货物', '转账', 'INV-9', '2025-06-10', '2025-06-10 09:00+08', 'H1', 'A1', '已支付'),
  ('D1', 'U1', 'ACME', 'ACC-1', 12345.67, '货物', '转账', 'INV-9', '2025-06-09', '2025-06-09 09:00+08', 'H1', 'A1', '已支付'),
  ('N1', 'U2', 'Beta', 'ACC-2', 20000.00, '货物', '转账', 'INV-1', '2025-06-03', '2025-06-03 09:00+08', 'H1', 'A1', '已支付'),
  ('N2', 'U2', 'Beta', 'ACC-2', 20100.00, '货物', '转账', 'INV-2', '2025-06-05', '2025-06-05 09:00+08', 'H1', 'A1', '已支付'),
  ('C1', 'U3', 'Cash desk', NULL, 80000.00, '其他', '现金', NULL, '2025-06-04', '2025-06-04 09:00+08', 'H1', 'A1', '已支付'),
  ('C2', 'U3', 'Cash desk', NULL, 45000.00, '其他', '现金', NULL, '2025-06-16', '2025-06-16 09:00+08', 'H1', 'A1', '已支付'),
  ('C3', 'U3', 'Cash desk', NULL, 90000.00, '其他', '现金', NULL, '2025-06-20', '2025-06-20 09:00+08', 'H1', 'A1', '已支付'),
  ('T1', 'U3', 'Hotel', NULL, 800.00, '差旅费', '现金', NULL, '2025-06-04', '2025-06-04 09:00+08', 'H1', 'A1', '已支付'),
  ('K1', 'U3', 'Advisers', NULL, 6000.00, '咨询费', '现金', NULL, '2025-06-05', '2025-06-05 09:00+08', 'H1', 'A1', '已审批'),
  ('O1', 'U4', 'Stationer', NULL, 480.00, '办公费', '公务卡', NULL, '2025-06-06', '2025-06-06 09:00+08', 'H1', 'A1', '已支付'),
  ('S1', 'U4', 'Spouse', 'ACC-SPOUSE', 3000.00, '咨询费', '转账', 'INV-S', '2025-06-04', '2025-06-04 09:00+08', 'H1', 'H1', '已支付'),
  ('R1', 'U4', 'Round Co', 'ACC-R', 100000.00, '货物', '转账', 'INV-R', '2025-06-07', '2025-06-07 11:00+08', 'H1', 'A1', NULL);

\set zfpz_mapping '{"payment_code": "pzh", "payer_unit_code": "dwbm", "payee_name": "skr", "payee_account": "zh", "amount": "je", "invoice_no": "fph", "paid_on": "zfrq", "approved_at": "spsj", "handler_code": "jbr", "approver_code": "spr", "expense_type": {"column": "zclx", "values": {"货物": "goods", "其他": "misc", "差旅费": "travel", "咨询费": "consulting", "办公费": "office"}}, "payment_method": {"column": "zffs", "values": {"转账": "transfer", "现金": "cash", "公务卡": "official_card"}}, "status": {"column": "zt", "values": {"已支付": "paid", "已审批": "approved"}, "default": "paid"}, "currency": {"const": "CNY"}}'

\set zfpz_mapping2 '{"payment_code": "pzh", "payer_unit_code": "dwbm", "payee_name": "skr", "amount": "je", "paid_on": "zfrq", "payment_method": {"column": "zffs", "values": {"转账": "transfer", "现金": "cash", "备用金": "cash", "x''); DELETE FROM oversight.alert; --\\\\": "cash"}}, "currency": {"const": "CNY"}}'
-- The mappings as data (psql does not expand variables inside dollar quotes).
CREATE TEMP TABLE mapping AS SELECT :'zfpz_mapping'::jsonb AS first, :'zfpz_mapping2'::jsonb AS second;

SELECT results_eq($$ SELECT mapped_fields, value_mapped_fields, constant_fields, unmapped_fields
                       FROM oversight.watch('treasury.zfpz_stmt', 'payment', (SELECT first FROM mapping)) $$,
  $$ VALUES (ARRAY['amount', 'approved_at', 'approver_code', 'expense_type', 'handler_code', 'invoice_no', 'paid_on', 'payee_account',
                   'payee_name', 'payer_unit_code', 'payment_code', 'payment_method', 'status'],
             ARRAY['expense_type', 'payment_method', 'status'], ARRAY['currency'],
             ARRAY['allocation_code', 'budget_project_code', 'contract_code', 'delivered_on', 'payee_party_code', 'payment_kind', 'purpose',
                   'refund_of', 'requested_on']) $$,
  'watch() reports the value-mapped fields, the constant one and the blind ones');
SELECT lives_ok($$ SELECT oversight.watch('treasury.zfpz_row', 'payment', (SELECT first FROM mapping), 'row') $$,
  'the same mapping watches a table at row level');

-- The canonical table, with the same facts in canonical codes.
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, payee_account, amount, currency, expense_type, payment_method,
                               invoice_no, paid_on, approved_at, handler_code, approver_code, status) VALUES
  ('D2', 'U1', 'ACME', 'ACC-1', 12345.67, 'CNY', 'goods', 'transfer', 'INV-9', '2025-06-10', '2025-06-10 09:00+08', 'H1', 'A1', 'paid'),
  ('D1', 'U1', 'ACME', 'ACC-1', 12345.67, 'CNY', 'goods', 'transfer', 'INV-9', '2025-06-09', '2025-06-09 09:00+08', 'H1', 'A1', 'paid'),
  ('N1', 'U2', 'Beta', 'ACC-2', 20000.00, 'CNY', 'goods', 'transfer', 'INV-1', '2025-06-03', '2025-06-03 09:00+08', 'H1', 'A1', 'paid'),
  ('N2', 'U2', 'Beta', 'ACC-2', 20100.00, 'CNY', 'goods', 'transfer', 'INV-2', '2025-06-05', '2025-06-05 09:00+08', 'H1', 'A1', 'paid'),
  ('C1', 'U3', 'Cash desk', NULL, 80000.00, 'CNY', 'misc', 'cash', NULL, '2025-06-04', '2025-06-04 09:00+08', 'H1', 'A1', 'paid'),
  ('C2', 'U3', 'Cash desk', NULL, 45000.00, 'CNY', 'misc', 'cash', NULL, '2025-06-16', '2025-06-16 09:00+08', 'H1', 'A1', 'paid'),
  ('C3', 'U3', 'Cash desk', NULL, 90000.00, 'CNY', 'misc', 'cash', NULL, '2025-06-20', '2025-06-20 09:00+08', 'H1', 'A1', 'paid'),
  ('T1', 'U3', 'Hotel', NULL, 800.00, 'CNY', 'travel', 'cash', NULL, '2025-06-04', '2025-06-04 09:00+08', 'H1', 'A1', 'paid'),
  ('K1', 'U3', 'Advisers', NULL, 6000.00, 'CNY', 'consulting', 'cash', NULL, '2025-06-05', '2025-06-05 09:00+08', 'H1', 'A1', 'approved'),
  ('O1', 'U4', 'Stationer', NULL, 480.00, 'CNY', 'office', 'official_card', NULL, '2025-06-06', '2025-06-06 09:00+08', 'H1', 'A1', 'paid'),
  ('S1', 'U4', 'Spouse', 'ACC-SPOUSE', 3000.00, 'CNY', 'consulting', 'transfer', 'INV-S', '2025-06-04', '2025-06-04 09:00+08', 'H1', 'H1', 'paid'),
  ('R1', 'U4', 'Round Co', 'ACC-R', 100000.00, 'CNY', 'goods', 'transfer', 'INV-R', '2025-06-07', '2025-06-07 11:00+08', 'H1', 'A1', 'paid');
-- The DBA's table: one statement, and one row at a time in another order.
INSERT INTO treasury.zfpz_stmt SELECT * FROM zfpz_rows;
DO $$
DECLARE r treasury.zfpz_row;
BEGIN
  FOR r IN SELECT * FROM zfpz_rows ORDER BY pzh DESC LOOP
    INSERT INTO treasury.zfpz_row SELECT r.*;
  END LOOP;
END $$;

-- An alert as compared: rule, the key's values (the DBA's key column is pzh, the canonical one payment_code,
-- which the English message of a duplicate names), unit, period and both messages.
CREATE FUNCTION pg_temp.alerts(p_table text) RETURNS TABLE (rule_code text, key_values text, unit_code text, period text, message text, message_zh text)
  LANGUAGE sql AS $$
  SELECT a.rule_code, (SELECT string_agg(e.value, ',' ORDER BY e.key) FROM jsonb_each_text(a.object_key) e), a.unit_code, a.period,
         replace(a.message, '"pzh"', '"payment_code"'), a.message_zh
    FROM oversight.alert a WHERE a.object_table = p_table
$$;
SELECT ok((SELECT bool_and(last_path = 'statement') AND count(*) > 0 FROM oversight.alert WHERE object_table = 'treasury.zfpz_stmt'),
  'the statement path judged treasury.zfpz_stmt');
SELECT ok((SELECT bool_and(last_path = 'row') AND count(*) > 0 FROM oversight.alert WHERE object_table = 'treasury.zfpz_row'),
  'the row path judged treasury.zfpz_row');
SELECT set_eq($$ SELECT * FROM pg_temp.alerts('treasury.zfpz_stmt') $$, $$ SELECT * FROM pg_temp.alerts('oversight.payment') $$,
  'statement path: the Chinese-coded table raises exactly the alerts of oversight.payment (rule, key, unit, period, messages)');
SELECT set_eq($$ SELECT * FROM pg_temp.alerts('treasury.zfpz_row') $$, $$ SELECT * FROM pg_temp.alerts('oversight.payment') $$,
  'row path: the same alerts');
SELECT set_eq($$ SELECT DISTINCT rule_code FROM oversight.alert WHERE object_table = 'treasury.zfpz_stmt' $$,
  ARRAY['PAY.DUPLICATE', 'PAY.NEAR_DUPLICATE', 'CASH.SINGLE', 'CASH.MONTHLY', 'CASH.OFFICIAL_CARD', 'PAY.STAFF_PAYEE',
        'PAY.ROUND_AMOUNT', 'PAY.NONWORKING_APPROVAL', 'SOD.PAYMENT'],
  'the comparison covers row-local and history rules reading the mapped method, expense type and constant currency');
SELECT set_eq($$ SELECT object_key ->> 'pzh' FROM oversight.alert WHERE object_table = 'treasury.zfpz_stmt' AND rule_code = 'CASH.OFFICIAL_CARD' $$,
  ARRAY['K1', 'T1'], '咨询费 paid in 现金 is cash for a consulting expense (CASH.OFFICIAL_CARD); 公务卡 is not cash');
SELECT is((SELECT string_agg(zffs || '/' || zclx || '/' || coalesce(zt, '-'), ',' ORDER BY pzh) FROM treasury.zfpz_stmt),
          (SELECT string_agg(zffs || '/' || zclx || '/' || coalesce(zt, '-'), ',' ORDER BY pzh) FROM zfpz_rows),
  'the DBA''s rows keep their own codes: nothing is rewritten');
SELECT is((SELECT count(*)::int FROM oversight.engine_fault), 0, 'no engine fault');

-- A constant provides a required input: a petty-cash ledger (备用金) has no method column at all.
CREATE TABLE treasury.byj (djh text PRIMARY KEY, dwbm text, je numeric, rq date);
SELECT oversight.watch('treasury.byj', 'payment', '{"payment_code": "djh", "payer_unit_code": "dwbm", "amount": "je", "paid_on": "rq", "payment_method": {"const": "cash"}}');
INSERT INTO treasury.byj VALUES ('B1', 'U3', 60000, '2025-06-05');
SELECT is((SELECT status || '/' || cardinality(unmapped_inputs) FROM oversight.rule_coverage WHERE object_table = 'treasury.byj' AND rule_code = 'CASH.SINGLE'),
  'watching/0', 'a constant payment method counts as provided: the cash rule is watching, not blind');
SELECT ok(EXISTS (SELECT FROM oversight.alert WHERE object_table = 'treasury.byj' AND rule_code = 'CASH.SINGLE' AND object_key = '{"djh": "B1"}'),
  'and judges the ledger''s rows as cash');
SELECT is((SELECT status FROM oversight.rule_coverage WHERE object_table = 'treasury.byj' AND rule_code = 'CASH.OFFICIAL_CARD'), 'blind',
  'a field neither mapped nor constant (expense_type) still makes its rule blind');

-------------------------------------------------------------------------------------------------------
-- Refusals: 22023, in Chinese and English, naming the field and the value.
-------------------------------------------------------------------------------------------------------
SELECT throws_ok($$ SELECT oversight.watch('treasury.zfpz_stmt', 'payment', '{"payment_code": "pzh", "amount": "je", "payment_method": {"column": "zffs", "values": {"现金": "cash", "银行": "bank"}}}') $$,
  '22023', '字段 payment_method 的值映射 "银行" → "bank"：目标值不是 transfer、cash、official_card 之一 / value mapping of field payment_method: "银行" → "bank": the target is not one of transfer, cash, official_card',
  'a value mapping onto a method the field cannot take is refused, naming field and value');
SELECT throws_ok($$ SELECT oversight.watch('treasury.zfpz_stmt', 'payment', '{"payment_code": "pzh", "amount": "je", "status": {"column": "zt", "values": {"已支付": "settled"}}}') $$,
  '22023', '字段 status 的值映射 "已支付" → "settled"：目标值不是 requested、approved、held、paid、returned 之一 / value mapping of field status: "已支付" → "settled": the target is not one of requested, approved, held, paid, returned',
  'a status outside the table''s CHECK is refused');
SELECT throws_ok($$ SELECT oversight.watch('treasury.zfpz_stmt', 'payment', '{"payment_code": "pzh", "amount": "je", "currency": {"const": "人民币"}}') $$,
  '22023', '字段 currency 的常量 "人民币" 不是 ISO 4217 币种代码（三个大写字母） / the const "人民币" of field currency is not an ISO 4217 currency code (three capital letters)',
  'a constant currency that is not a currency code is refused');
SELECT throws_ok($$ SELECT oversight.watch('treasury.zfpz_stmt', 'payment', '{"payment_code": "pzh", "amount": {"const": "一万"}}') $$,
  '22023', '字段 amount 的常量 "一万" 不是数值 / the const "一万" of field amount is not a number', 'a constant of the wrong type is refused');
SELECT throws_ok($$ SELECT oversight.watch('treasury.zfpz_stmt', 'payment', '{"payment_code": "pzh", "amount": "je", "fkfs": {"column": "zffs"}}') $$,
  '22023', NULL, 'a mapping for an unknown field is refused');
SELECT throws_ok($$ SELECT oversight.watch('treasury.zfpz_stmt', 'payment', '{"payment_code": "pzh", "amount": "je", "purpose": {"values": {"工资": "salary"}}}') $$,
  '22023', NULL, 'a value mapping of a field without a column is refused');
SELECT throws_ok($$ SELECT oversight.watch('treasury.zfpz_stmt', 'payment', '{"payment_code": "pzh", "amount": "je", "payment_method": {"column": "zffs", "const": "cash"}}') $$,
  '22023', NULL, 'a constant combined with a column is refused');
SELECT is((SELECT value_mapping -> 'currency' FROM oversight.watched_table WHERE relid = 'treasury.zfpz_stmt'::regclass), '{"const": "CNY"}'::jsonb,
  'a refused watch() leaves the previous watch as it was');

-------------------------------------------------------------------------------------------------------
-- Unwatch and watch again with a changed mapping: the next writes are judged by the new one (the engine's
-- saved plans are keyed by the mapping). Its values stay data, even when they look like SQL.
-------------------------------------------------------------------------------------------------------
INSERT INTO treasury.zfpz_stmt VALUES ('P1', 'U2', 'Petty', NULL, 60000, '其他', '备用金', NULL, '2025-06-12', '2025-06-12 09:00+08', 'H1', 'A1', '已支付');
INSERT INTO treasury.zfpz_row VALUES ('P1', 'U2', 'Petty', NULL, 60000, '其他', '备用金', NULL, '2025-06-12', '2025-06-12 09:00+08', 'H1', 'A1', '已支付');
SELECT is((SELECT count(*)::int FROM oversight.alert WHERE object_key = '{"pzh": "P1"}' AND rule_code = 'CASH.SINGLE'), 0,
  'a code the mapping does not know (备用金) is not cash');
SELECT ok(oversight.unwatch('treasury.zfpz_stmt') AND oversight.unwatch('treasury.zfpz_row'), 'unwatched');
SELECT oversight.watch('treasury.zfpz_stmt', 'payment', (SELECT second FROM mapping));
SELECT oversight.watch('treasury.zfpz_row', 'payment', (SELECT second FROM mapping), 'row');
SELECT is((SELECT value_mapping -> 'payment_method' -> 'values' ->> '备用金' FROM oversight.watched_table WHERE relid = 'treasury.zfpz_stmt'::regclass), 'cash',
  'the new mapping is stored');
SELECT ok(EXISTS (SELECT FROM oversight.audit_log WHERE table_name = 'oversight.watched_table' AND action = 'delete'
                     AND old_row -> 'value_mapping' -> 'payment_method' -> 'values' ? '现金'
                     AND NOT old_row -> 'value_mapping' -> 'payment_method' -> 'values' ? '备用金')
          AND EXISTS (SELECT FROM oversight.audit_log WHERE table_name = 'oversight.watched_table' AND action = 'insert'
                        AND new_row -> 'value_mapping' -> 'payment_method' -> 'values' ? '备用金'),
  'the audit trail keeps the mapping before and after the change');
UPDATE treasury.zfpz_stmt SET zfrq = '2025-06-13' WHERE pzh = 'P1';
UPDATE treasury.zfpz_row SET zfrq = '2025-06-13' WHERE pzh = 'P1';
SELECT set_eq($$ SELECT object_table FROM oversight.alert WHERE object_key = '{"pzh": "P1"}' AND rule_code = 'CASH.SINGLE' $$,
  ARRAY['treasury.zfpz_stmt', 'treasury.zfpz_row'], 'after watching again, 备用金 is cash on both paths');
SELECT cmp_ok((SELECT count(*)::int FROM oversight.alert), '>', 0, 'alerts are still there');
INSERT INTO treasury.zfpz_stmt VALUES ('Q1', 'U2', 'Quote', NULL, 70000, '其他', E'x\'); DELETE FROM oversight.alert; --\\', NULL, '2025-06-12', NULL, 'H1', 'A1', NULL);
INSERT INTO treasury.zfpz_row VALUES ('Q1', 'U2', 'Quote', NULL, 70000, '其他', E'x\'); DELETE FROM oversight.alert; --\\', NULL, '2025-06-12', NULL, 'H1', 'A1', NULL);
SELECT set_eq($$ SELECT object_table FROM oversight.alert WHERE object_key = '{"pzh": "Q1"}' AND rule_code = 'CASH.SINGLE' $$,
  ARRAY['treasury.zfpz_stmt', 'treasury.zfpz_row'], 'a source value with quotes and a backslash is matched as data on both paths, never run');
SELECT cmp_ok((SELECT count(*)::int FROM oversight.alert WHERE object_table = 'oversight.payment'), '>', 0, 'and deleted nothing');
SELECT is((SELECT count(*)::int FROM oversight.engine_fault), 0, 'still no engine fault');

-------------------------------------------------------------------------------------------------------
-- Least privilege: checking a mapping is the administrator's, as watch() is.
-------------------------------------------------------------------------------------------------------
SET LOCAL ROLE oversight_test_edu;
SELECT throws_ok($$ SELECT oversight.check_watch_mapping('payment', '{"payment_method": {"const": "cash"}}') $$, '42501', NULL,
  'an analyst cannot call check_watch_mapping()');
SELECT throws_ok($$ SELECT oversight.watch('treasury.byj', 'payment', '{"payment_code": "djh", "amount": "je"}') $$, '42501', NULL,
  'nor watch()');
RESET ROLE;
SET LOCAL ROLE oversight_test_outsider;
SELECT throws_ok($$ SELECT oversight.check_watch_mapping('payment', '{}') $$, '42501', NULL, 'a role outside the oversight roles cannot either');
RESET ROLE;
SET LOCAL ROLE oversight_test_admin217;
SELECT is(oversight.check_watch_mapping('payment', '{"currency": {"const": "CNY"}, "payment_method": {"column": "zffs", "values": {"现金": "cash"}}}'),
  '{"columns": {"payment_method": "zffs"}, "values": {"currency": {"const": "CNY"}, "payment_method": {"values": {"现金": "cash"}}}}'::jsonb,
  'an administrator checks a mapping and gets it normalised');
RESET ROLE;


-------------------------------------------------------------------------------------------------------
-- Mapping versions: each distinct mapping of a table is a version (who, when, why, the mapping, its
-- SHA-256), reused when the same mapping comes back, never changed; alerts record theirs.
-------------------------------------------------------------------------------------------------------
SELECT results_eq($$ SELECT version, created_by = session_user, mapping -> 'values' -> 'payment_method' -> 'values' ->> '备用金', mapping_name IS NULL
                       FROM oversight.watch_mapping_version WHERE table_name = 'treasury.zfpz_stmt' ORDER BY version $$,
  $$ VALUES (1, true, NULL, true), (2, true, 'cash', true) $$,
  'the table''s two mappings are versions 1 and 2, by who watched');
SELECT is((SELECT mapping_version FROM oversight.watch('treasury.zfpz_stmt', 'payment', (SELECT second FROM mapping), p_reason => 'same again')), 2,
  'watching again with the same mapping reuses its version');
SELECT is((SELECT count(*)::int FROM oversight.watch_mapping_version WHERE table_name = 'treasury.zfpz_stmt'), 2, 'and adds none');
SELECT is((SELECT v.version FROM oversight.alert a JOIN oversight.watch_mapping_version v USING (mapping_version_id)
            WHERE a.object_table = 'treasury.zfpz_stmt' AND a.object_key = '{"pzh": "Q1"}' AND a.rule_code = 'CASH.SINGLE'), 2,
  'an alert records the mapping version it was computed under (statement path)');
SELECT is((SELECT v.version FROM oversight.alert a JOIN oversight.watch_mapping_version v USING (mapping_version_id)
            WHERE a.object_table = 'treasury.zfpz_row' AND a.object_key = '{"pzh": "Q1"}' AND a.rule_code = 'CASH.SINGLE'), 2,
  'and on the row path');
SELECT is((SELECT count(*)::int FROM oversight.alert WHERE object_table = 'oversight.payment' AND mapping_version_id IS NOT NULL), 0,
  'alerts on the extension''s own tables have no mapping version');
SELECT is((SELECT mapping_version_id FROM oversight.watched_table WHERE relid = 'oversight.payment'::regclass), NULL, 'nor has their watch');
SELECT throws_ok($$ UPDATE oversight.watch_mapping_version SET mapping = '{}' $$, '42501', NULL, 'a mapping version is never changed');
SELECT throws_ok($$ DELETE FROM oversight.watch_mapping_version $$, '42501', NULL, 'nor deleted');
SELECT ok(EXISTS (SELECT FROM oversight.audit_log WHERE table_name = 'oversight.watch_mapping_version' AND action = 'insert'), 'versions are audited');

-------------------------------------------------------------------------------------------------------
-- A mapping stored by name, watched by name.
-------------------------------------------------------------------------------------------------------
GRANT SELECT ON mapping TO oversight_test_admin217;
SET LOCAL ROLE oversight_test_admin217;
SELECT results_eq($$ SELECT version, created FROM oversight.save_mapping('zfpz', 'payment', (SELECT second FROM mapping), NULL, 'first dictionary') $$,
  $$ VALUES (1, true) $$, 'an administrator stores a mapping: version 1');
SELECT results_eq($$ SELECT version, created FROM oversight.save_mapping('zfpz', 'payment', (SELECT second FROM mapping)) $$,
  $$ VALUES (1, false) $$, 'the same definition again changes nothing');
SELECT results_eq($$ SELECT version, created FROM oversight.save_mapping('zfpz', 'payment', (SELECT first FROM mapping)) $$,
  $$ VALUES (2, true) $$, 'a changed definition is version 2');
SELECT throws_ok($$ SELECT oversight.save_mapping('zfpz', 'contract', '{}') $$, '22023', NULL, 'a name keeps its record kind');
SELECT throws_ok($$ SELECT oversight.save_mapping('bad', 'payment', '{"payment_method": {"values": {"现金": "kash"}}}') $$, '22023', NULL,
  'a stored mapping is checked like a watch() mapping');
RESET ROLE;
SELECT is((SELECT mapping_version FROM oversight.watch('treasury.zfpz_stmt', 'payment', p_mapping_name => 'zfpz', p_mapping_version => 1)), 3,
  'watching by name is a new version of the table''s mapping (it records the name)');
SELECT results_eq($$ SELECT mapping_name, mapping_name_version, mapping -> 'mapping' = '{"name": "zfpz", "version": 1}'
                       FROM oversight.watch_mapping_version WHERE table_name = 'treasury.zfpz_stmt' AND version = 3 $$,
  $$ VALUES ('zfpz', 1, true) $$, 'the version records the stored mapping''s name and version');
SELECT results_eq($$ SELECT 'payee_name' = ANY (mapped_fields), 'payee_account' = ANY (unmapped_fields), 'payment_method' = ANY (unmapped_fields)
                       FROM oversight.watch('treasury.zfpz_stmt', 'payment', '{"payment_code": "pzh", "amount": "je", "payee_name": {"column": ["收款人", "skr"]},
                         "payee_account": {"column": ["账号", "账户"]}, "payment_method": {"column": ["支付方式"], "values": {"现金": "cash"}}}') $$,
  $$ VALUES (true, true, true) $$,
  'a list of columns maps the first the table has; none present is blind (reported), even with value aliases');
SELECT throws_ok($$ SELECT oversight.watch('treasury.zfpz_stmt', 'payment', '{"amount": "je"}', p_mapping_name => 'zfpz') $$, '22023', NULL,
  'a JSON mapping and a stored one together are refused');
SELECT throws_ok($$ SELECT oversight.watch('treasury.zfpz_stmt', 'contract', p_mapping_name => 'zfpz') $$, '22023', NULL,
  'a stored mapping of another record kind is refused');
SELECT throws_ok($$ UPDATE oversight.mapping SET definition = '{}' $$, '42501', NULL, 'a stored mapping is never overwritten');
SET LOCAL ROLE oversight_test_loader;
SELECT is((SELECT count(*)::int FROM oversight.mapping WHERE mapping_name = 'zfpz'), 2, 'a loader reads the stored mappings (to load files with them)');
SELECT throws_ok($$ SELECT oversight.save_mapping('zfpz', 'payment', '{}') $$, '42501', NULL, 'but cannot store one');
SELECT throws_ok($$ INSERT INTO oversight.mapping (mapping_name, version, record_kind, definition, sha256, saved_at, saved_by)
                    VALUES ('zfpz', 9, 'payment', '{}', repeat('0', 64), now(), 'me') $$, '42501', NULL, 'nor write the table');
SELECT throws_ok($$ INSERT INTO oversight.watch_mapping_version (table_name, version, record_kind, mapping, mapping_sha256, created_at, created_by)
                    VALUES ('treasury.zfpz_stmt', 9, 'payment', '{}', repeat('0', 64), now(), 'me') $$, '42501', NULL, 'nor forge a mapping version');
RESET ROLE;
SET LOCAL ROLE oversight_test_outsider;
SELECT throws_ok($$ SELECT count(*) FROM oversight.mapping $$, '42501', NULL, 'a role outside the oversight roles reads no stored mapping');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
