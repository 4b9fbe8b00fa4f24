-- Payment rules of the default set, each with cases that must fire and near misses that must not
-- (threshold boundaries, other currency, other month, other payee or invoice, moved working days), and
-- what each rule does with refunds and credit notes (payment_kind; the amount is the magnitude,
-- refund_of the payment reversed): a refund is never a duplicate, contract sums are net of refunds, the
-- cash, official-card, staff-payee, round-amount and approval-day rules judge payments only, segregation
-- of duties judges every kind. Deadline rules (SME payments, sign-offs) are in 208_sweep.sql.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(59);
\ir include/rules_u1.psql
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind)
SELECT 'U' || i, '单位' || i, 'budget_unit' FROM generate_series(2, 9) i;
INSERT INTO oversight.person (person_code, full_name) VALUES ('S1', 'Staff One'), ('H1', 'Handler'), ('A1', 'Approver');
INSERT INTO oversight.person_account (account_no, person_code, relation, holder_name) VALUES
  ('ACC-SPOUSE', 'S1', 'spouse', 'Spouse'), ('ACC-SELF', 'S1', 'self', 'Staff One');
INSERT INTO oversight.party (party_code, name) VALUES ('SUP1', 'Supplier One');
INSERT INTO oversight.contract (contract_code, buyer_unit_code, supplier_party_code, amount, currency, signed_on) VALUES
  ('K1', 'U1', 'SUP1', 100000, 'CNY', '2025-06-01'), ('K2', 'U1', 'SUP1', 500000, 'CNY', '2025-06-10'),
  ('K3', 'U1', 'SUP1', 500000, 'CNY', NULL), ('K4', 'U1', 'SUP1', 100000, 'CNY', '2025-06-01');

CREATE FUNCTION pg_temp.pay(p_code text, p_amount numeric, p_method text DEFAULT 'transfer', p_unit text DEFAULT 'U1', p_payee text DEFAULT NULL,
                            p_account text DEFAULT NULL, p_invoice text DEFAULT NULL, p_paid date DEFAULT '2025-06-04', p_currency text DEFAULT 'CNY',
                            p_expense text DEFAULT NULL, p_contract text DEFAULT NULL, p_approved timestamptz DEFAULT '2025-06-04 10:00+08',
                            p_handler text DEFAULT NULL, p_approver text DEFAULT NULL, p_status text DEFAULT 'paid',
                            p_kind text DEFAULT 'payment', p_refund_of text DEFAULT NULL) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, payee_account, amount, currency, expense_type, payment_method,
                                 contract_code, invoice_no, approved_at, paid_on, handler_code, approver_code, status, payment_kind, refund_of)
  VALUES (p_code, p_unit, COALESCE(p_payee, 'payee of ' || p_code), p_account, p_amount, p_currency, p_expense, p_method, p_contract, p_invoice,
          p_approved, p_paid, p_handler, p_approver, p_status, p_kind, p_refund_of)
$$;
CREATE FUNCTION pg_temp.fired(p_rule text, p_key jsonb) RETURNS boolean LANGUAGE sql AS $$
  SELECT EXISTS (SELECT FROM oversight.alert WHERE rule_code = p_rule AND object_key = p_key)
$$;
CREATE FUNCTION pg_temp.pk(p_code text) RETURNS jsonb LANGUAGE sql AS $$ SELECT jsonb_build_object('payment_code', p_code) $$;

-- PAY.DUPLICATE
SELECT pg_temp.pay('DUP-1', 1234.56, p_payee => 'Dup Co', p_account => 'D-ACC', p_invoice => 'INV-1', p_paid => '2025-06-02');
SELECT pg_temp.pay('DUP-2', 1234.56, p_payee => 'Dup Co', p_account => 'D-ACC', p_invoice => 'INV-1', p_paid => '2025-06-20');
SELECT pg_temp.pay('DUP-3', 1234.56, p_payee => 'Dup Co', p_account => 'D-ACC', p_invoice => 'INV-2', p_paid => '2025-06-21');
SELECT pg_temp.pay('DUP-4', 1234.56, p_payee => 'Dup Co', p_account => 'D-ACC', p_invoice => 'INV-1', p_paid => '2025-06-22', p_currency => 'USD');
SELECT pg_temp.pay('DUP-5', 1234.56, p_payee => 'Other Co', p_account => 'O-ACC', p_invoice => 'INV-1', p_paid => '2025-06-22');
SELECT ok(pg_temp.fired('PAY.DUPLICATE', pg_temp.pk('DUP-2')), 'duplicate: same payee, amount and invoice fires on the later payment');
SELECT ok(NOT pg_temp.fired('PAY.DUPLICATE', pg_temp.pk('DUP-1')), 'duplicate: the first payment is not the duplicate');
SELECT ok(NOT pg_temp.fired('PAY.DUPLICATE', pg_temp.pk('DUP-3')), 'duplicate: another invoice does not fire');
SELECT ok(NOT pg_temp.fired('PAY.DUPLICATE', pg_temp.pk('DUP-4')), 'duplicate: another currency does not fire');
SELECT ok(NOT pg_temp.fired('PAY.DUPLICATE', pg_temp.pk('DUP-5')), 'duplicate: another payee does not fire');

-- PAY.NEAR_DUPLICATE (1% within 7 days, from 10000)
SELECT pg_temp.pay('ND-1', 20000, p_payee => 'Near Co', p_invoice => 'N1', p_paid => '2025-06-02');
SELECT pg_temp.pay('ND-2', 20190, p_payee => 'Near Co', p_invoice => 'N2', p_paid => '2025-06-09');
SELECT pg_temp.pay('ND-3', 20500, p_payee => 'Near Co', p_invoice => 'N3', p_paid => '2025-06-17');
SELECT pg_temp.pay('ND-4', 9000, p_payee => 'Small Co', p_invoice => 'S1', p_paid => '2025-06-02');
SELECT pg_temp.pay('ND-5', 9000, p_payee => 'Small Co', p_invoice => 'S2', p_paid => '2025-06-03');
SELECT ok(pg_temp.fired('PAY.NEAR_DUPLICATE', pg_temp.pk('ND-2')), 'near duplicate: within 1% and 7 days fires');
SELECT ok(NOT pg_temp.fired('PAY.NEAR_DUPLICATE', pg_temp.pk('ND-3')), 'near duplicate: 8 days after and 1.5% more does not fire');
SELECT ok(NOT pg_temp.fired('PAY.NEAR_DUPLICATE', pg_temp.pk('ND-5')), 'near duplicate: below the minimum amount does not fire');

-- PAY.OVER_CONTRACT (contract K1 = 100000)
SELECT pg_temp.pay('OC-1', 60000, p_contract => 'K1', p_payee => 'Supplier One');
SELECT pg_temp.pay('OC-2', 40000, p_contract => 'K1', p_payee => 'Supplier One', p_paid => '2025-06-12');
SELECT ok(NOT pg_temp.fired('PAY.OVER_CONTRACT', '{"contract_code": "K1"}'), 'over contract: payments equal to the contract do not fire');
SELECT pg_temp.pay('OC-3', 0.01, p_contract => 'K1', p_payee => 'Supplier One', p_paid => '2025-06-13');
SELECT ok(pg_temp.fired('PAY.OVER_CONTRACT', '{"contract_code": "K1"}'), 'over contract: one cent more fires on the contract');

-- PAY.BEFORE_SIGNATURE (K2 signed 2025-06-10, K3 unsigned)
SELECT pg_temp.pay('BS-1', 1000, p_contract => 'K2', p_paid => '2025-06-09');
SELECT pg_temp.pay('BS-2', 1000, p_contract => 'K2', p_paid => '2025-06-10');
SELECT pg_temp.pay('BS-3', 1000, p_contract => 'K3', p_paid => '2025-06-10');
SELECT ok(pg_temp.fired('PAY.BEFORE_SIGNATURE', pg_temp.pk('BS-1')), 'before signature: paid the day before signing fires');
SELECT ok(NOT pg_temp.fired('PAY.BEFORE_SIGNATURE', pg_temp.pk('BS-2')), 'before signature: paid on the signing day does not fire');
SELECT ok(pg_temp.fired('PAY.BEFORE_SIGNATURE', pg_temp.pk('BS-3')), 'before signature: a contract without signature date fires');

-- CASH.SINGLE (limit 50000, CNY)
SELECT pg_temp.pay('CS-1', 50000, 'cash', 'U2', p_paid => '2025-05-05');
SELECT pg_temp.pay('CS-2', 50000.01, 'cash', 'U3', p_paid => '2025-05-05');
SELECT pg_temp.pay('CS-3', 90000, 'cash', 'U4', p_currency => 'USD', p_paid => '2025-05-05');
SELECT ok(NOT pg_temp.fired('CASH.SINGLE', pg_temp.pk('CS-1')), 'cash single: exactly the limit does not fire');
SELECT ok(pg_temp.fired('CASH.SINGLE', pg_temp.pk('CS-2')), 'cash single: one cent above fires');
SELECT ok(NOT pg_temp.fired('CASH.SINGLE', pg_temp.pk('CS-3')), 'cash single: another currency does not fire');

-- CASH.MONTHLY (200000 per unit and month)
SELECT pg_temp.pay('CM-1', 45000, 'cash', 'U5', p_paid => '2025-03-03');
SELECT pg_temp.pay('CM-2', 45000, 'cash', 'U5', p_paid => '2025-03-10');
SELECT pg_temp.pay('CM-3', 45000, 'cash', 'U5', p_paid => '2025-03-17');
SELECT pg_temp.pay('CM-4', 45000, 'cash', 'U5', p_paid => '2025-04-01');
SELECT pg_temp.pay('CM-5', 65000, 'transfer', 'U5', p_paid => '2025-03-24');
SELECT pg_temp.pay('CM-6', 20000, 'cash', 'U5', p_paid => '2025-03-24', p_currency => 'USD');
SELECT pg_temp.pay('CM-7', 20000, 'cash', 'U5', p_paid => '2025-03-25');
SELECT ok(NOT pg_temp.fired('CASH.MONTHLY', '{"payer_unit_code": "U5"}'), 'cash monthly: 155000 in March (other month, other method, other currency excluded) does not fire');
SELECT pg_temp.pay('CM-8', 45000, 'cash', 'U5', p_paid => '2025-03-26');
SELECT ok(NOT pg_temp.fired('CASH.MONTHLY', '{"payer_unit_code": "U5"}'), 'cash monthly: exactly 200000 does not fire');
SELECT pg_temp.pay('CM-9', 0.01, 'cash', 'U5', p_paid => '2025-03-27');
SELECT is((SELECT period FROM oversight.alert WHERE rule_code = 'CASH.MONTHLY' AND object_key = '{"payer_unit_code": "U5"}'), '2025-03',
          'cash monthly: one cent above fires once for the unit and month');

-- CASH.ANNUAL (1000000 per unit and year): 22 × 45000 = 990000, then 23 × 45000.
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
SELECT 'CA-' || i, 'U6', 'cashier', 45000, 'cash', make_date(2024, 1 + (i - 1) / 2, 1 + 10 * ((i - 1) % 2)) FROM generate_series(1, 22) i;
SELECT ok(NOT pg_temp.fired('CASH.ANNUAL', '{"payer_unit_code": "U6"}'), 'cash annual: 990000 does not fire');
SELECT pg_temp.pay('CA-23', 45000, 'cash', 'U6', p_paid => '2024-12-20');
SELECT ok(EXISTS (SELECT FROM oversight.alert WHERE rule_code = 'CASH.ANNUAL' AND object_key = '{"payer_unit_code": "U6"}' AND period = '2024'),
          'cash annual: 1035000 in 2024 fires for the unit and year');
SELECT pg_temp.pay('CA-24', 45000, 'cash', 'U6', p_paid => '2025-01-20');
SELECT ok(NOT EXISTS (SELECT FROM oversight.alert WHERE rule_code = 'CASH.ANNUAL' AND object_key = '{"payer_unit_code": "U6"}' AND period = '2025'),
          'cash annual: the next fiscal year starts from zero');

-- CASH.OFFICIAL_CARD
SELECT pg_temp.pay('OF-1', 800, 'cash', 'U7', p_expense => 'travel');
SELECT pg_temp.pay('OF-2', 800, 'official_card', 'U7', p_expense => 'travel');
SELECT pg_temp.pay('OF-3', 800, 'cash', 'U7', p_expense => 'salary');
SELECT ok(pg_temp.fired('CASH.OFFICIAL_CARD', pg_temp.pk('OF-1')), 'official card: travel paid in cash fires');
SELECT ok(NOT pg_temp.fired('CASH.OFFICIAL_CARD', pg_temp.pk('OF-2')), 'official card: travel by official card does not fire');
SELECT ok(NOT pg_temp.fired('CASH.OFFICIAL_CARD', pg_temp.pk('OF-3')), 'official card: a non-listed expense type in cash does not fire');

-- PAY.STAFF_PAYEE
SELECT pg_temp.pay('SP-1', 3000, p_account => 'ACC-SPOUSE');
SELECT pg_temp.pay('SP-2', 3000, p_account => 'ACC-OTHER');
SELECT ok(pg_temp.fired('PAY.STAFF_PAYEE', pg_temp.pk('SP-1')), 'staff payee: a relative''s account fires');
SELECT ok((SELECT message LIKE '%Staff One (spouse)%' FROM oversight.alert WHERE rule_code = 'PAY.STAFF_PAYEE'), 'staff payee: the message names the staff member and relation');
SELECT ok(NOT pg_temp.fired('PAY.STAFF_PAYEE', pg_temp.pk('SP-2')), 'staff payee: an unknown account does not fire');

-- PAY.ROUND_AMOUNT (multiples of 10000 from 50000)
SELECT pg_temp.pay('RA-1', 60000, p_unit => 'U8');
SELECT pg_temp.pay('RA-2', 40000, p_unit => 'U8');
SELECT pg_temp.pay('RA-3', 60000.50, p_unit => 'U8');
SELECT ok(pg_temp.fired('PAY.ROUND_AMOUNT', pg_temp.pk('RA-1')), 'round amount: 60000 fires');
SELECT ok(NOT pg_temp.fired('PAY.ROUND_AMOUNT', pg_temp.pk('RA-2')), 'round amount: below 50000 does not fire');
SELECT ok(NOT pg_temp.fired('PAY.ROUND_AMOUNT', pg_temp.pk('RA-3')), 'round amount: 60000.50 does not fire');

-- PAY.NONWORKING_APPROVAL (bureau time zone Asia/Shanghai)
SELECT pg_temp.pay('NW-1', 100, p_approved => '2025-06-07 10:00+08');   -- Saturday
SELECT pg_temp.pay('NW-2', 100, p_approved => '2025-06-02 10:00+08');   -- Dragon Boat Festival (Monday)
SELECT pg_temp.pay('NW-3', 100, p_approved => '2025-09-28 10:00+08');   -- Sunday worked (调休)
SELECT pg_temp.pay('NW-4', 100, p_approved => '2025-06-06 17:30+00');   -- Friday 17:30 UTC = Saturday 01:30 in Shanghai
SELECT pg_temp.pay('NW-5', 100, p_approved => '2025-06-06 15:00+08');   -- Friday
SELECT ok(pg_temp.fired('PAY.NONWORKING_APPROVAL', pg_temp.pk('NW-1')), 'non-working day: a Saturday fires');
SELECT ok(pg_temp.fired('PAY.NONWORKING_APPROVAL', pg_temp.pk('NW-2')), 'non-working day: a public holiday fires');
SELECT ok(NOT pg_temp.fired('PAY.NONWORKING_APPROVAL', pg_temp.pk('NW-3')), 'non-working day: a moved working Sunday does not fire');
SELECT ok(pg_temp.fired('PAY.NONWORKING_APPROVAL', pg_temp.pk('NW-4')), 'non-working day: judged in the bureau''s time zone');
SELECT ok(NOT pg_temp.fired('PAY.NONWORKING_APPROVAL', pg_temp.pk('NW-5')), 'non-working day: a Friday does not fire');

-- SOD.PAYMENT
SELECT pg_temp.pay('SD-1', 100, p_handler => 'H1', p_approver => 'H1');
SELECT pg_temp.pay('SD-2', 100, p_handler => 'H1', p_approver => 'A1');
SELECT ok(pg_temp.fired('SOD.PAYMENT', pg_temp.pk('SD-1')), 'segregation: handler = approver fires');
SELECT ok(NOT pg_temp.fired('SOD.PAYMENT', pg_temp.pk('SD-2')), 'segregation: different approver does not fire');

-------------------------------------------------------------------------------------------------------
-- Refunds and credit notes, rule by rule.
-------------------------------------------------------------------------------------------------------
-- PAY.DUPLICATE and PAY.NEAR_DUPLICATE: a refund of a payment is not a duplicate of it, nor of another refund.
SELECT pg_temp.pay('RF-1', 1234.56, p_payee => 'Refund Co', p_account => 'R-ACC', p_invoice => 'INV-R', p_paid => '2025-06-02');
SELECT pg_temp.pay('RF-2', 1234.56, p_payee => 'Refund Co', p_account => 'R-ACC', p_invoice => 'INV-R', p_paid => '2025-06-05', p_kind => 'refund', p_refund_of => 'RF-1');
SELECT pg_temp.pay('RF-3', 1234.56, p_payee => 'Refund Co', p_account => 'R-ACC', p_invoice => 'INV-R', p_paid => '2025-06-06', p_kind => 'credit_note', p_refund_of => 'RF-1');
SELECT ok(NOT pg_temp.fired('PAY.DUPLICATE', pg_temp.pk('RF-2')) AND NOT pg_temp.fired('PAY.DUPLICATE', pg_temp.pk('RF-3')),
          'duplicate: a refund or credit note with the payee, amount and invoice of a payment is not a duplicate');
SELECT pg_temp.pay('RF-4', 1234.56, p_payee => 'Refund Co', p_account => 'R-ACC', p_invoice => 'INV-R', p_paid => '2025-06-09');
SELECT ok(pg_temp.fired('PAY.DUPLICATE', pg_temp.pk('RF-4')), 'duplicate: a second payment of the invoice still is one (refunds in between do not hide it)');
SELECT is((SELECT details ->> 'duplicate_of' FROM oversight.alert WHERE rule_code = 'PAY.DUPLICATE' AND object_key = pg_temp.pk('RF-4')), '{"payment_code": "RF-1"}',
          'duplicate: of the payment, not of its refunds');
SELECT pg_temp.pay('RN-1', 30000, p_payee => 'Near Refund Co', p_invoice => 'NR1', p_paid => '2025-06-02');
SELECT pg_temp.pay('RN-2', 29900, p_payee => 'Near Refund Co', p_invoice => 'NR2', p_paid => '2025-06-04', p_kind => 'refund', p_refund_of => 'RN-1');
SELECT ok(NOT pg_temp.fired('PAY.NEAR_DUPLICATE', pg_temp.pk('RN-2')), 'near duplicate: a refund of a near-identical amount within days is not a double payment');

-- PAY.OVER_CONTRACT: payments net of their refunds count against the contract (K4 = 100000).
SELECT pg_temp.pay('OR-1', 80000, p_contract => 'K4', p_payee => 'Supplier One', p_paid => '2025-06-03');
SELECT pg_temp.pay('OR-R', 20000, p_payee => 'Supplier One', p_paid => '2025-06-04', p_kind => 'refund', p_refund_of => 'OR-1');  -- no contract_code: that of OR-1
SELECT pg_temp.pay('OR-2', 35000, p_contract => 'K4', p_payee => 'Supplier One', p_paid => '2025-06-05');
SELECT ok(NOT pg_temp.fired('PAY.OVER_CONTRACT', '{"contract_code": "K4"}'), 'over contract: 115000 paid less 20000 refunded is within the contract');
SELECT pg_temp.pay('OR-C', 10000, p_contract => 'K4', p_payee => 'Supplier One', p_paid => '2025-06-06', p_kind => 'credit_note');
SELECT pg_temp.pay('OR-3', 15000, p_contract => 'K4', p_payee => 'Supplier One', p_paid => '2025-06-07');
SELECT ok(NOT pg_temp.fired('PAY.OVER_CONTRACT', '{"contract_code": "K4"}'), 'over contract: a credit note on the contract counts against it too (130000 − 30000)');
SELECT pg_temp.pay('OR-4', 0.01, p_contract => 'K4', p_payee => 'Supplier One', p_paid => '2025-06-08');
SELECT is((SELECT details - 'tolerance_pct' FROM oversight.alert WHERE rule_code = 'PAY.OVER_CONTRACT' AND object_key = '{"contract_code": "K4"}'),
          '{"paid": 100000.01, "payments": 4, "refunded": 30000, "paid_gross": 130000.01, "contract_amount": 100000, "contract_code": "K4", "currency": "CNY"}'::jsonb,
          'over contract: one cent above net fires, the alert giving gross, refunded and net');
SELECT ok((SELECT message LIKE 'payments on contract K4 total 100000.01 CNY, above%' FROM oversight.alert WHERE rule_code = 'PAY.OVER_CONTRACT' AND object_key = '{"contract_code": "K4"}'),
          'over contract: the message gives the net amount');

-- PAY.BEFORE_SIGNATURE: a refund dated before the signature is not a payment before it.
SELECT pg_temp.pay('BR-1', 1000, p_contract => 'K2', p_paid => '2025-06-09', p_kind => 'refund');
SELECT ok(NOT pg_temp.fired('PAY.BEFORE_SIGNATURE', pg_temp.pk('BR-1')), 'before signature: a refund does not fire');

-- Cash, official card, staff payee, round amount, approval day: payments only.
SELECT pg_temp.pay('CR-1', 60000, 'cash', 'U9', p_paid => '2025-05-06', p_kind => 'refund');
SELECT ok(NOT pg_temp.fired('CASH.SINGLE', pg_temp.pk('CR-1')), 'cash single: cash coming back is not a withdrawal');
SELECT ok(NOT pg_temp.fired('PAY.ROUND_AMOUNT', pg_temp.pk('CR-1')), 'round amount: a round refund is not signalled');
SELECT pg_temp.pay('CR-2', 190000, 'cash', 'U9', p_paid => '2025-05-07');
SELECT pg_temp.pay('CR-3', 20000, 'cash', 'U9', p_paid => '2025-05-08', p_kind => 'credit_note');
SELECT ok(NOT pg_temp.fired('CASH.MONTHLY', '{"payer_unit_code": "U9"}'), 'cash monthly: refunds and credit notes are not withdrawals (190000 withdrawn)');
SELECT pg_temp.pay('CR-4', 15000, 'cash', 'U9', p_paid => '2025-05-09');
SELECT ok(pg_temp.fired('CASH.MONTHLY', '{"payer_unit_code": "U9"}'), 'cash monthly: nor do they reduce the withdrawals (205000 withdrawn)');
SELECT pg_temp.pay('CR-5', 800, 'cash', 'U9', p_expense => 'travel', p_kind => 'refund');
SELECT ok(NOT pg_temp.fired('CASH.OFFICIAL_CARD', pg_temp.pk('CR-5')), 'official card: a cash refund of travel does not fire');
SELECT pg_temp.pay('CR-6', 3000, p_account => 'ACC-SELF', p_kind => 'refund');
SELECT ok(NOT pg_temp.fired('PAY.STAFF_PAYEE', pg_temp.pk('CR-6')), 'staff payee: money coming back from a staff account is not a payment to staff');
SELECT pg_temp.pay('CR-7', 100, p_approved => '2025-06-07 10:00+08', p_kind => 'credit_note');
SELECT ok(NOT pg_temp.fired('PAY.NONWORKING_APPROVAL', pg_temp.pk('CR-7')), 'non-working day: a credit note approved on a Saturday is not signalled');

-- SOD.PAYMENT: segregation of duties holds for every kind (a credit note can hide a payment as well).
SELECT pg_temp.pay('CR-8', 100, p_handler => 'H1', p_approver => 'H1', p_kind => 'credit_note');
SELECT ok(pg_temp.fired('SOD.PAYMENT', pg_temp.pk('CR-8')), 'segregation: a credit note handled and approved by one person fires');
SELECT is((SELECT string_agg(DISTINCT reason || ' ' || array_to_string(missing, ','), '; ') || ', ' || sum(records) FILTER (WHERE rule_code = 'CASH.SINGLE')
             FROM oversight.coverage_gap), 'other_currency USD, 3',
          'the USD payments above are counted as cannot-evaluate by the CNY limits (three by CASH.SINGLE); refunds, not judged by their nature, are not');

SELECT is((SELECT count(*)::int FROM oversight.engine_fault), 0, 'no engine fault');
SELECT ok((SELECT bool_and(severity = 'low') FROM oversight.alert WHERE rule_code IN ('PAY.ROUND_AMOUNT', 'PAY.NONWORKING_APPROVAL')),
          'round amounts and non-working-day approvals are low-severity signals');

-- Chinese first: every alert's details hold every value its kind's templates read, and its stored
-- messages are those templates filled with them, in English and Chinese.
SELECT is((SELECT count(*)::int FROM oversight.alert a JOIN oversight.rule r USING (rule_code)
            WHERE oversight.finding_messages(r.rule_kind, a.details, true) IS DISTINCT FROM ARRAY[a.message, a.message_zh]), 0,
          'every alert''s messages are its kind''s templates filled with its details, in both languages');

SELECT * FROM finish();
ROLLBACK;
