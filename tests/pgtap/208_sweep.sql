-- The deadline sweeper oversight.sweep(as_of): overdue SME payments (30 days or the contract term,
-- capped at 60; and the 60-day rule), unpaid fines after 15 days, large payments missing sign-off
-- levels; deadlines are evaluated by the sweep as of a time, never as a side effect of writes. Refunds
-- and credit notes are neither SME payments owed nor payments needing sign-offs.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(18);
\ir include/rules_u1.psql
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) VALUES ('ENF', '执法科', 'section');
INSERT INTO oversight.person (person_code, full_name) VALUES ('H1', 'Handler'), ('C1', 'Chief'), ('L1', 'Leader');
INSERT INTO oversight.party (party_code, name, is_sme) VALUES ('SME', 'Small Co', true), ('BIG', 'Big Co', false);
INSERT INTO oversight.contract (contract_code, buyer_unit_code, supplier_party_code, amount, currency, signed_on, payment_term_days) VALUES
  ('K45', 'U1', 'SME', 100000, 'CNY', '2025-01-01', 45), ('K90', 'U1', 'SME', 100000, 'CNY', '2025-01-01', 90);

-- Unpaid (requested) payments to SMEs delivered on 2025-05-01.
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, payee_party_code, amount, payment_method, delivered_on, status, contract_code, paid_on) VALUES
  ('SME-1', 'U1', 'Small Co', 'SME', 1000, 'transfer', '2025-05-01', 'requested', NULL, NULL),
  ('SME-2', 'U1', 'Small Co', 'SME', 1000, 'transfer', '2025-05-01', 'requested', 'K45', NULL),
  ('SME-3', 'U1', 'Small Co', 'SME', 1000, 'transfer', '2025-05-01', 'requested', 'K90', NULL),
  ('BIG-1', 'U1', 'Big Co', 'BIG', 1000, 'transfer', '2025-05-01', 'requested', NULL, NULL),
  ('SME-R', 'U1', 'Small Co', 'SME', 1000, 'transfer', '2025-05-01', 'requested', NULL, NULL),
  ('SME-4', 'U1', 'Small Co', 'SME', 1000, 'transfer', '2025-05-01', 'paid', NULL, '2025-06-05');
UPDATE oversight.payment SET payment_kind = 'refund' WHERE payment_code = 'SME-R';
SELECT is((SELECT count(*)::int FROM oversight.alert WHERE rule_code LIKE 'PAY.SME%'), 0, 'writes do not evaluate deadlines');

SELECT oversight.sweep('2025-05-31 23:00+08');
SELECT is((SELECT count(*)::int FROM oversight.alert WHERE rule_code LIKE 'PAY.SME%' AND object_key <> '{"payment_code": "SME-4"}'), 0,
          'day 30 (the due date) is not overdue (only the payment already paid late fires)');
SELECT oversight.sweep('2025-06-01 09:00+08');
SELECT set_eq($$ SELECT object_key ->> 'payment_code' FROM oversight.alert WHERE rule_code = 'PAY.SME_OVERDUE_30' $$, ARRAY['SME-1', 'SME-4'],
              'day 31: the 30-day SME payment is overdue; paid late counts too; a non-SME never');
SELECT oversight.sweep('2025-06-16 09:00+08');
SELECT ok(EXISTS (SELECT FROM oversight.alert WHERE rule_code = 'PAY.SME_OVERDUE_30' AND object_key = '{"payment_code": "SME-2"}'),
          'a 45-day contract term is honoured (overdue on day 46)');
SELECT ok(NOT EXISTS (SELECT FROM oversight.alert WHERE rule_code = 'PAY.SME_OVERDUE_30' AND object_key = '{"payment_code": "SME-3"}'),
          'a 90-day term is capped at 60 days: not yet overdue on day 46');
SELECT oversight.sweep('2025-07-01 09:00+08');
SELECT ok(EXISTS (SELECT FROM oversight.alert WHERE rule_code = 'PAY.SME_OVERDUE_30' AND object_key = '{"payment_code": "SME-3"}'),
          'the capped term ends on day 60');
SELECT set_eq($$ SELECT object_key ->> 'payment_code' FROM oversight.alert WHERE rule_code = 'PAY.SME_OVERDUE_60' $$, ARRAY['SME-1', 'SME-2', 'SME-3'],
              'the 60-day rule fires on day 61 for every unpaid SME payment');
SELECT ok(NOT EXISTS (SELECT FROM oversight.alert WHERE object_key = '{"payment_code": "SME-R"}'), 'a refund from an SME is not a payment owed to it');
SELECT is((SELECT repeat_count FROM oversight.alert WHERE rule_code = 'PAY.SME_OVERDUE_30' AND object_key = '{"payment_code": "SME-1"}'), 3,
          'each sweep that finds the matter again repeats the same alert');

-- ENF.FINE_UNPAID (15 days from the decision)
INSERT INTO oversight.enforcement_case (case_code, deciding_unit_code, subject_name, violation_code, decided_on, penalty_kind, fine_amount, collected_by, paid_on) VALUES
  ('F-1', 'ENF', 's', 'V1', '2025-06-01', 'fine', 1000, 'designated_bank', NULL),
  ('F-2', 'ENF', 's', 'V1', '2025-06-01', 'fine', 1000, 'designated_bank', '2025-06-16'),
  ('F-3', 'ENF', 's', 'V1', '2025-06-01', 'fine', 1000, 'designated_bank', '2025-06-17'),
  ('W-1', 'ENF', 's', 'V1', '2025-06-01', 'warning', NULL, NULL, NULL);
SELECT oversight.sweep('2025-06-16 12:00+08');
SELECT is((SELECT count(*)::int FROM oversight.alert WHERE rule_code = 'ENF.FINE_UNPAID' AND object_key <> '{"case_code": "F-3"}'), 0,
          'a fine is due on day 15: not yet unpaid (only the one already paid late fires)');
SELECT oversight.sweep('2025-06-17 12:00+08');
SELECT set_eq($$ SELECT object_key ->> 'case_code' FROM oversight.alert WHERE rule_code = 'ENF.FINE_UNPAID' $$, ARRAY['F-1', 'F-3'],
              'day 16: unpaid and late-paid fines fire; paid on time and warnings do not');
SELECT is((SELECT (details ->> 'surcharge')::numeric FROM oversight.alert WHERE rule_code = 'ENF.FINE_UNPAID' AND object_key = '{"case_code": "F-1"}'), 30.00,
          'the late surcharge (3% a day, capped at the fine) is computed');

-- PAY.MISSING_SIGNOFF (500000 and above: handler, section chief, leader in charge)
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, status, paid_on) VALUES
  ('L-1', 'U1', 'x', 500000, 'transfer', 'paid', '2025-06-20'), ('L-2', 'U1', 'x', 499999.99, 'transfer', 'paid', '2025-06-20'),
  ('L-3', 'U1', 'x', 800000, 'transfer', 'paid', '2025-06-20');
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, status, paid_on, payment_kind, refund_of) VALUES
  ('L-R', 'U1', 'x', 800000, 'transfer', 'paid', '2025-06-21', 'refund', 'L-3');
INSERT INTO oversight.payment_signoff (payment_code, signoff_level, person_code, signed_at) VALUES
  ('L-1', 'handler', 'H1', '2025-06-19'), ('L-3', 'handler', 'H1', '2025-06-19'), ('L-3', 'section_chief', 'C1', '2025-06-19'),
  ('L-3', 'leader_in_charge', 'L1', '2025-06-19');
SELECT oversight.sweep('2025-06-30 12:00+08');
SELECT is((SELECT details -> 'missing_levels' FROM oversight.alert WHERE rule_code = 'PAY.MISSING_SIGNOFF' AND object_key = '{"payment_code": "L-1"}'),
          '["section_chief", "leader_in_charge"]'::jsonb, 'a large payment lacking levels fires, naming them');
SELECT ok(NOT EXISTS (SELECT FROM oversight.alert WHERE rule_code = 'PAY.MISSING_SIGNOFF' AND object_key ->> 'payment_code' IN ('L-2', 'L-3')),
          'below the amount, or fully signed, does not fire');
SELECT ok(NOT EXISTS (SELECT FROM oversight.alert WHERE rule_code = 'PAY.MISSING_SIGNOFF' AND object_key = '{"payment_code": "L-R"}'),
          'a large refund needs no sign-off levels (money coming back)');
SELECT is((SELECT last_path FROM oversight.alert WHERE rule_code = 'PAY.MISSING_SIGNOFF' LIMIT 1), 'sweep', 'alerts found by the sweeper are marked so');
SELECT is((SELECT faults FROM oversight.sweep('2025-06-30 12:00+08')), 0, 'the sweep reports no fault');

-- Chinese first: every alert's details hold every value its kind's templates read, and its stored
-- messages are those templates filled with them, in English and Chinese.
SELECT is((SELECT count(*)::int FROM oversight.alert a JOIN oversight.rule r USING (rule_code)
            WHERE oversight.finding_messages(r.rule_kind, a.details, true) IS DISTINCT FROM ARRAY[a.message, a.message_zh]), 0,
          'every alert''s messages are its kind''s templates filled with its details, in both languages');

SELECT * FROM finish();
ROLLBACK;
