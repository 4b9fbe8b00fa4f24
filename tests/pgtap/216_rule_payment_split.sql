-- PAY.SPLIT_UNDER_LIMIT (kind payment_split_under_limit, added in 0.4.0 as one C++ function, one
-- registration line, one row of oversight.rule_default and these tests): payments of one unit to one
-- payee on one day, each under the approval limit (500,000), together at or above it. Firing cases and
-- the near misses at each edge: total just under the limit, another day, another payee, another unit, a
-- payment at the limit, refunds and returned payments, another currency. Judged by the sweeper over the
-- recent days (lookback_days), not on the write: each pay() below writes, then sweeps.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(17);
\ir include/rules_u1.psql
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind)
SELECT 'U' || i, '单位' || i, 'budget_unit' FROM generate_series(2, 9) i;

CREATE FUNCTION pg_temp.pay(p_code text, p_amount numeric, p_unit text, p_payee text, p_paid date DEFAULT '2025-06-05',
                            p_currency text DEFAULT 'CNY', p_kind text DEFAULT 'payment', p_status text DEFAULT 'paid') RETURNS void
LANGUAGE sql AS $$
  INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, currency, payment_method, paid_on, payment_kind, status)
  VALUES (p_code, p_unit, p_payee, p_amount, p_currency, 'transfer', p_paid, p_kind, p_status);
  -- The rule is judged by the sweeper (over the 31 days before its date), not on the write.
  SELECT oversight.sweep('2025-06-30 10:00+08');
$$;
CREATE FUNCTION pg_temp.split(p_unit text, p_payee text, p_day text DEFAULT '2025-06-05') RETURNS oversight.alert LANGUAGE sql AS $$
  SELECT * FROM oversight.alert WHERE rule_code = 'PAY.SPLIT_UNDER_LIMIT' AND period = p_day
     AND object_key = jsonb_build_object('payer_unit_code', p_unit, 'payee_name', p_payee)
$$;

SELECT is((SELECT severity || ' ' || title_zh FROM oversight.rule_default WHERE rule_code = 'PAY.SPLIT_UNDER_LIMIT'),
          'high 同日向同一收款人拆分支付规避审批限额', 'the rule is shipped as one row of rule_default, installed with the default set');

-- Fires: two payments of one statement, 300,000 + 200,000 = the limit exactly.
SELECT pg_temp.pay('SP-1', 300000, 'U1', '拆分公司');
SELECT pg_temp.pay('SP-2', 200000, 'U1', '拆分公司');
SELECT ok((pg_temp.split('U1', '拆分公司')).alert_id IS NOT NULL, 'two payments under the limit totalling the limit on one day fire');
SELECT is((pg_temp.split('U1', '拆分公司')).message_zh,
          '单位 U1 于 2025-06-05 向 拆分公司 分 2 笔付款，每笔均低于审批限额 500000，合计 500000 元，涉嫌拆分支付规避审批',
          'its message in Chinese…');
SELECT is((pg_temp.split('U1', '拆分公司')).message,
          '2 payments of unit U1 to 拆分公司 on 2025-06-05, each under the approval limit 500000, total 500000 CNY (split to avoid the approval)',
          '…and in English');
SELECT is((pg_temp.split('U1', '拆分公司')).details -> 'payments', '[{"payment_code": "SP-1"}, {"payment_code": "SP-2"}]'::jsonb,
          'the details list the payments');
-- Fires: three payments, the third written later (the history completes the split); one alert.
SELECT pg_temp.pay('SP-3', 200000, 'U9', 'Three Co');
SELECT pg_temp.pay('SP-4', 150000, 'U9', 'Three Co');
SELECT ok((pg_temp.split('U9', 'Three Co')).alert_id IS NULL, 'two payments totalling 350,000: not yet');
SELECT pg_temp.pay('SP-5', 160000, 'U9', 'Three Co');
SELECT is((pg_temp.split('U9', 'Three Co')).details ->> 'count', '3', 'a third payment the same day completes the split: fires, counting three');

-- Near misses.
SELECT pg_temp.pay('NM-1', 300000, 'U2', 'Under Co');
SELECT pg_temp.pay('NM-2', 199999.99, 'U2', 'Under Co');
SELECT ok((pg_temp.split('U2', 'Under Co')).alert_id IS NULL, 'a total a cent under the limit does not fire');
SELECT pg_temp.pay('NM-3', 300000, 'U3', 'Day Co', '2025-06-05');
SELECT pg_temp.pay('NM-4', 250000, 'U3', 'Day Co', '2025-06-06');
SELECT ok(NOT EXISTS (SELECT FROM oversight.alert WHERE rule_code = 'PAY.SPLIT_UNDER_LIMIT' AND unit_code = 'U3'), 'payments on two days do not fire');
SELECT pg_temp.pay('NM-5', 300000, 'U4', 'Payee A');
SELECT pg_temp.pay('NM-6', 250000, 'U4', 'Payee B');
SELECT ok(NOT EXISTS (SELECT FROM oversight.alert WHERE rule_code = 'PAY.SPLIT_UNDER_LIMIT' AND unit_code = 'U4'), 'payments to two payees do not fire');
SELECT pg_temp.pay('NM-7', 300000, 'U5', 'Shared Co');
SELECT pg_temp.pay('NM-8', 250000, 'U6', 'Shared Co');
SELECT ok(NOT EXISTS (SELECT FROM oversight.alert WHERE rule_code = 'PAY.SPLIT_UNDER_LIMIT' AND object_key ->> 'payee_name' = 'Shared Co'),
          'payments of two units to one payee do not fire');
SELECT pg_temp.pay('NM-9', 500000, 'U7', 'Limit Co');
SELECT pg_temp.pay('NM-10', 100, 'U7', 'Limit Co');
SELECT ok((pg_temp.split('U7', 'Limit Co')).alert_id IS NULL, 'a payment at the limit is not split (it needs the full approval)');
SELECT pg_temp.pay('NM-11', 300000, 'U8', 'Refund Co');
SELECT pg_temp.pay('NM-12', 250000, 'U8', 'Refund Co', p_kind => 'refund');
SELECT ok((pg_temp.split('U8', 'Refund Co')).alert_id IS NULL, 'a refund does not count');
SELECT pg_temp.pay('NM-13', 300000, 'U8', 'Returned Co');
SELECT pg_temp.pay('NM-14', 250000, 'U8', 'Returned Co', p_status => 'returned');
SELECT ok((pg_temp.split('U8', 'Returned Co')).alert_id IS NULL, 'a returned payment does not count');
SELECT pg_temp.pay('NM-15', 300000, 'U6', 'Dollar Co', p_currency => 'USD');
SELECT pg_temp.pay('NM-16', 250000, 'U6', 'Dollar Co', p_currency => 'USD');
SELECT ok((pg_temp.split('U6', 'Dollar Co')).alert_id IS NULL, 'payments in another currency than the limit''s do not fire');

SELECT is((SELECT count(*)::int FROM oversight.engine_fault), 0, 'no engine fault');
SELECT is((SELECT count(*)::int FROM oversight.alert a JOIN oversight.rule r USING (rule_code)
            WHERE oversight.finding_messages(r.rule_kind, a.details, true) IS DISTINCT FROM ARRAY[a.message, a.message_zh]), 0,
          'every alert''s messages are its kind''s templates filled with its details');

SELECT * FROM finish();
ROLLBACK;
