-- Canonical finance records: natural keys, foreign keys and CHECKs refuse bad values with messages
-- that name the rule broken; good records go in.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(19);

INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) VALUES ('U1', '市教育局', 'budget_unit');
INSERT INTO oversight.person (person_code, full_name) VALUES ('P1', '经办人甲');
INSERT INTO oversight.party (party_code, name, is_sme) VALUES ('91320000MA1X', '某科技有限公司', true);
INSERT INTO oversight.budget_project (project_code, fiscal_year, unit_code, name, budget_amount) VALUES ('BP-2025-001', 2025, 'U1', '办公设备购置', 500000);

SELECT lives_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, payee_party_code, amount, payment_method, paid_on, handler_code)
  VALUES ('PAY-1', 'U1', '某科技有限公司', '91320000MA1X', 12345.67, 'transfer', '2025-05-06', 'P1') $$, 'a good payment goes in');
SELECT throws_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
  VALUES ('PAY-1', 'U1', 'x', 1, 'transfer', '2025-05-06') $$, '23505', NULL, 'the natural key is unique');
SELECT throws_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
  VALUES ('PAY-2', 'U1', 'x', -5, 'transfer', '2025-05-06') $$, '23514', 'value for domain oversight.amount violates check constraint "amount_non_negative"',
  'a negative amount is refused by name');
SELECT lives_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on, payment_kind, refund_of)
  VALUES ('PAY-1R', 'U1', '某科技有限公司', 345.67, 'transfer', '2025-05-20', 'refund', 'PAY-1') $$, 'a refund goes in, its amount counting against the payment it reverses');
SELECT throws_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on, refund_of)
  VALUES ('PAY-3', 'U1', 'x', 1, 'transfer', '2025-05-06', 'PAY-3') $$, '23514', 'new row for relation "payment" violates check constraint "payment_refund_of_other"',
  'a payment does not reverse itself');
SELECT throws_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
  VALUES ('PAY-2', 'U1', 'x', 0, 'transfer', '2025-05-06') $$, '23514', 'new row for relation "payment" violates check constraint "payment_amount_positive"',
  'a zero payment is refused by name');
SELECT throws_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
  VALUES ('PAY-2', 'U1', 'x', 1e16, 'transfer', '2025-05-06') $$, '23514', 'value for domain oversight.amount violates check constraint "amount_below_limit"',
  'an overflowing amount is refused by name');
SELECT throws_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
  VALUES ('PAY-2', 'U1', 'x', 1.23456, 'transfer', '2025-05-06') $$, '23514', 'value for domain oversight.amount violates check constraint "amount_at_most_4_decimals"',
  'sub-cent noise is refused');
SELECT throws_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, currency, payment_method, paid_on)
  VALUES ('PAY-2', 'U1', 'x', 1, 'rmb', 'transfer', '2025-05-06') $$, '23514', 'value for domain oversight.currency violates check constraint "currency_iso_4217"',
  'a currency that is not ISO 4217 is refused');
SELECT throws_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
  VALUES ('PAY-2', 'U1', 'x', 1, 'cheque', '2025-05-06') $$, '23514', 'new row for relation "payment" violates check constraint "payment_method_known"',
  'an unknown payment method is refused');
SELECT throws_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method)
  VALUES ('PAY-2', 'U1', 'x', 1, 'cash') $$, '23514', 'new row for relation "payment" violates check constraint "payment_paid_has_date"',
  'a paid payment needs its date');
SELECT throws_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
  VALUES ('PAY-2', 'NO_UNIT', 'x', 1, 'cash', '2025-05-06') $$, '23503', NULL, 'an unknown payer unit is refused');
SELECT throws_ok($$ INSERT INTO oversight.budget_project (project_code, fiscal_year, unit_code, name, budget_amount) VALUES ('BP-X', 1899, 'U1', 'x', 1) $$,
  '23514', 'value for domain oversight.fiscal_year violates check constraint "fiscal_year_range"', 'an implausible fiscal year is refused');
SELECT throws_ok($$ INSERT INTO oversight.budget_project (project_code, fiscal_year, unit_code, name, budget_amount, is_special_fund) VALUES ('BP-X', 2025, 'U1', 'x', 1, true) $$,
  '23514', 'new row for relation "budget_project" violates check constraint "budget_project_special_purpose_stated"', 'a special fund states its purpose');

INSERT INTO oversight.procurement_process (ocid, title, buyer_unit_code, procurement_method, estimated_value, currency, tender_period_start, tender_period_end)
  VALUES ('ocds-test-1', '办公设备', 'U1', 'open', 480000, 'CNY', '2025-03-01 09:00+08', '2025-03-21 09:00+08');
SELECT throws_ok($$ INSERT INTO oversight.procurement_process (ocid, tender_period_start, tender_period_end) VALUES ('ocds-test-2', '2025-03-21', '2025-03-01') $$,
  '23514', 'new row for relation "procurement_process" violates check constraint "procurement_tender_period_ordered"', 'a tender period cannot end before it starts');
SELECT throws_ok($$ INSERT INTO oversight.procurement_process (ocid, procurement_method) VALUES ('ocds-test-2', 'auction') $$,
  '23514', NULL, 'an unknown procurement method is refused');
INSERT INTO oversight.award (ocid, award_id, status, amount, currency) VALUES ('ocds-test-1', 'A1', 'active', 470000, 'CNY');
INSERT INTO oversight.procurement_process (ocid) VALUES ('ocds-test-3');
SELECT throws_ok($$ INSERT INTO oversight.contract (contract_code, ocid, award_id, amount, currency) VALUES ('C-1', 'ocds-test-3', 'A1', 1, 'CNY') $$,
  '23503', 'contract C-1: award A1 does not exist in process ocds-test-3', 'a contract cannot implement an award of another process');
SELECT throws_ok($$ INSERT INTO oversight.enforcement_case (case_code, deciding_unit_code, subject_name, violation_code, decided_on, penalty_kind)
  VALUES ('CASE-1', 'U1', 'x', 'V1', '2025-01-01', 'fine') $$, '23514',
  'new row for relation "enforcement_case" violates check constraint "enforcement_fine_has_amount"', 'a fine states its amount');
SELECT throws_ok($$ INSERT INTO oversight.enforcement_case (case_code, deciding_unit_code, subject_name, violation_code, decided_on, penalty_kind, fine_amount, paid_on)
  VALUES ('CASE-1', 'U1', 'x', 'V1', '2025-01-10', 'fine', 100, '2025-01-01') $$, '23514',
  'new row for relation "enforcement_case" violates check constraint "enforcement_paid_after_decision"', 'a fine cannot be paid before the decision');

SELECT * FROM finish();
ROLLBACK;
