-- Matter rules (issue 9, item 1): matters formed from the write path by rules of kind matter_when,
-- evaluated by the same engine, watch mapping and batch pass as the monitoring rules. A large payment
-- forms one matter at FUND.PAY.LARGE with the people responsible on the day of the act, its
-- obligations, their deadlines in working days and their ladder; loading the record again forms no
-- second matter, a correction shows on it; the single-row path and the multi-row path form the same
-- matters; a held payment cannot be paid before its report is approved; a bad condition is refused
-- when the version is saved, naming the problem; a new approved version applies to new records; the
-- default matter rules of procurement, contracts, special funds and penalties; a date the calendar does
-- not cover is an engine fault, never a failed write or lost alerts; row-level security; no one forges
-- a matter by calling the internals.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(57);
SELECT oversight.set_clock('2024-09-30 10:00+08', true);
SELECT oversight.install_default_rules();
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind, parent_code) VALUES
  ('CZJ', '财政局', 'bureau', NULL), ('CZJ.GKK', '国库科', 'section', 'CZJ'), ('CZJ.CGK', '采购科', 'section', 'CZJ'),
  ('EDU', '教育局', 'budget_unit', 'CZJ'), ('HLT', '卫健委', 'budget_unit', 'CZJ');
CREATE ROLE ov225_l2 NOLOGIN IN ROLE oversight_official;
CREATE ROLE ov225_h1 NOLOGIN IN ROLE oversight_official;
CREATE ROLE ov225_edu NOLOGIN IN ROLE oversight_analyst;
CREATE ROLE ov225_hlt NOLOGIN IN ROLE oversight_analyst;
CREATE ROLE ov225_loader NOLOGIN IN ROLE oversight_loader;
GRANT USAGE ON SCHEMA tap TO ov225_l2, ov225_h1, ov225_edu, ov225_hlt, ov225_loader;
INSERT INTO oversight.person (person_code, full_name, login_role) VALUES
  ('L2', '林领导', 'ov225_l2'), ('C2', '蔡科长', NULL), ('H1', '韩经办', 'ov225_h1'), ('E1', '教育局长', NULL), ('E2', '教育分管', NULL);
INSERT INTO oversight.assignment (person_code, unit_code, assignment_role, valid_from) VALUES
  ('L2', 'CZJ.GKK', 'leader_in_charge', '2024-01-01'), ('C2', 'CZJ.GKK', 'section_chief', '2024-01-01'), ('H1', 'CZJ.GKK', 'handler', '2024-01-01'),
  ('E1', 'EDU', 'unit_head', '2024-01-01'), ('E2', 'EDU', 'leader_in_charge', '2024-01-01');
-- Large payments are signed off by the treasury section (it owns the node); special funds have no owner.
INSERT INTO oversight.node_owner (node_code, unit_code, valid_from) VALUES ('FUND.PAY.LARGE', 'CZJ.GKK', '2024-01-01');
INSERT INTO oversight.unit_access (role_name, unit_code) VALUES ('ov225_edu', 'EDU'), ('ov225_hlt', 'HLT');

-------------------------------------------------------------------------------------------------------
-- The default matter rules: data, of one kind, which forms matters and not alerts.
-------------------------------------------------------------------------------------------------------
SELECT set_eq($$ SELECT r.rule_code FROM oversight.rule r JOIN oversight.rule_version v ON v.rule_code = r.rule_code AND v.status = 'approved'
                 WHERE r.rule_kind = 'matter_when' $$,
  ARRAY['MATTER.PROC.NONOPEN', 'MATTER.PROC.CONTRACT', 'MATTER.PROC.TOPUP', 'MATTER.PAY.LARGE', 'MATTER.SPEC.ALLOCATE', 'MATTER.ENF.PENALTY'],
  'install_default_rules() installs and approves the default matter rules with the rest');
SELECT is((SELECT forms_matters FROM oversight.rule_kinds WHERE rule_kind = 'matter_when'), true, 'their kind forms matters (view rule_kinds)');

-------------------------------------------------------------------------------------------------------
-- A large payment approved on Monday 30 September 2024, the eve of the National Day holidays.
-------------------------------------------------------------------------------------------------------
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, approved_at, status, handler_code)
VALUES ('BIG-1', 'EDU', '某建设公司', 3000000, 'transfer', '2024-09-30 01:00+08', 'approved', 'H1'),
       ('UNDER-1', 'EDU', '某建设公司', 499999.99, 'transfer', '2024-09-30 09:00+08', 'approved', 'H1');
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, approved_at, status, handler_code, payment_kind, refund_of)
VALUES ('REFUND-1', 'EDU', '某建设公司', 3000000, 'transfer', '2024-09-30 09:00+08', 'approved', 'H1', 'refund', 'BIG-1');
SELECT matter_id AS big FROM oversight.matter WHERE source_key = '{"payment_code": "BIG-1"}' \gset
SELECT results_eq($$ SELECT node_code, matter_rule_code, source_table, unit_code, event_date, title, title_en, handler_code, first_responsible, primary_responsible
                      FROM oversight.matter WHERE source_table = 'oversight.payment' $$,
  $$ VALUES ('FUND.PAY.LARGE', 'MATTER.PAY.LARGE', 'oversight.payment', 'EDU', '2024-09-30'::date, '大额支付：某建设公司 3000000 元',
             'Large payment: 3000000 CNY to 某建设公司', 'H1', 'C2', 'L2') $$,
  'a payment over the threshold forms one matter: its node, record, unit, date of the act (the local date of approval), titles, handler, and the people responsible that day for the node''s owning unit');
SELECT is((SELECT fingerprint FROM oversight.matter WHERE matter_id = :big), md5('FUND.PAY.LARGE|oversight.payment|{"payment_code": "BIG-1"}'),
  'its identity is node | table | key');
SELECT is((SELECT rule_version_id FROM oversight.matter WHERE matter_id = :big),
          (SELECT rule_version_id FROM oversight.rule_version WHERE rule_code = 'MATTER.PAY.LARGE' AND status = 'approved'), 'it records the rule version that formed it');
SELECT is((SELECT details ->> 'amount' FROM oversight.matter WHERE matter_id = :big), '3000000', 'its details keep the facts of the record');
SELECT results_eq($$ SELECT o.kind, o.due_on, o.person_code, e.next_step_on FROM oversight.obligation o
                      JOIN oversight.escalation e ON e.subject_kind = 'obligation' AND e.subject_id = o.obligation_id
                     WHERE o.matter_id = $$ || :big,
  $$ VALUES ('leader_report', '2024-10-10'::date, 'H1', '2024-10-09'::date) $$,
  'the node''s layer becomes an obligation of the handler, due 3 working days after the act (1–7 October are holidays), on its ladder from the prompt a working day before');
SELECT is_empty($$ SELECT FROM oversight.matter WHERE source_key IN ('{"payment_code": "UNDER-1"}', '{"payment_code": "REFUND-1"}') $$,
  'a payment a cent under the threshold forms none, nor does a refund (a refund is not a large payment)');
SELECT is_empty($$ SELECT FROM oversight.alert WHERE rule_code LIKE 'MATTER.%' $$, 'matter rules raise no alerts');
SELECT isnt_empty($$ SELECT FROM oversight.alert WHERE rule_code = 'PAY.ROUND_AMOUNT' AND object_key = '{"payment_code": "BIG-1"}' $$,
  'while the monitoring rules go on in the same pass');

-- Loading the same record again: no second matter, obligation or step; a correction shows on the matter.
SELECT oversight.set_clock('2024-10-08 10:00+08', true);
UPDATE oversight.payment SET payee_name = payee_name WHERE payment_code = 'BIG-1';
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, approved_at, status, handler_code)
VALUES ('BIG-1', 'EDU', '某建设公司', 3000000, 'transfer', '2024-09-30 01:00+08', 'approved', 'H1')
ON CONFLICT (payment_code) DO UPDATE SET amount = EXCLUDED.amount;
SELECT results_eq($$ SELECT count(*)::int, count(updated_at)::int FROM oversight.matter WHERE source_key = '{"payment_code": "BIG-1"}' $$,
  $$ VALUES (1, 0) $$, 'writing the same record twice more forms no second matter and changes nothing on it');
SELECT is((SELECT count(*)::int FROM oversight.obligation WHERE matter_id = :big), 1, 'nor a second obligation');
UPDATE oversight.payment SET amount = 3000000.5 WHERE payment_code = 'BIG-1';
SELECT results_eq($$ SELECT count(*)::int, max(title), max(details ->> 'amount'), max(updated_at) FROM oversight.matter WHERE source_key = '{"payment_code": "BIG-1"}' $$,
  $$ VALUES (1, '大额支付：某建设公司 3000000.5 元', '3000000.5', '2024-10-08 10:00+08'::timestamptz) $$,
  'a correction of the record updates the matter''s title and details, and when');
SELECT results_eq($$ SELECT count(*)::int, min(due_on) FROM oversight.obligation WHERE matter_id = $$ || :big,
  $$ VALUES (1, '2024-10-10'::date) $$, 'its obligations stay as they were');
SELECT isnt_empty($$ SELECT FROM oversight.audit_log WHERE table_name = 'oversight.payment' AND action = 'update'
                      AND object_key ->> 'payment_code' = 'BIG-1' AND new_row ->> 'amount' = '3000000.5' $$,
  'the correction behind the matter is in the audit trail');

-------------------------------------------------------------------------------------------------------
-- Row path = statement path: the same payments one row at a time into a table watched with row
-- triggers, and in one multi-row statement into a table watched with statement triggers.
-------------------------------------------------------------------------------------------------------
CREATE SCHEMA t;
CREATE TABLE t.pay_row (payment_code text PRIMARY KEY, payer_unit_code text, payee_name text, amount numeric(16,2), currency text,
                        payment_method text, paid_on date, approved_at timestamptz, handler_code text, status text);
CREATE TABLE t.pay_stmt (LIKE t.pay_row INCLUDING ALL);
CREATE TABLE t.data (LIKE t.pay_row);
INSERT INTO t.data VALUES
  ('A1', 'EDU', '甲公司', 500000, 'CNY', 'transfer', '2024-10-09', NULL, 'H1', 'paid'),
  ('A2', 'EDU', '乙公司', 800000, NULL, 'transfer', NULL, '2024-10-08 15:00+08', 'H9', 'approved'),
  ('A3', 'HLT', '丙公司', 1200000, 'USD', 'transfer', '2024-10-09', NULL, 'H1', 'paid'),
  ('A4', 'NOWHERE', '丁公司', 2500000, 'CNY', 'transfer', NULL, NULL, NULL, NULL),
  ('A5', 'HLT', '戊公司', 499999.99, 'CNY', 'transfer', '2024-10-09', NULL, 'H1', 'paid');
SELECT oversight.watch('t.pay_row', 'payment', '{}', 'row');
SELECT oversight.watch('t.pay_stmt', 'payment');
DO $$
DECLARE r t.data;
BEGIN
  FOR r IN SELECT * FROM t.data ORDER BY payment_code DESC LOOP
    INSERT INTO t.pay_row SELECT r.*;
  END LOOP;
END $$;
INSERT INTO t.pay_stmt SELECT * FROM t.data ORDER BY payment_code;
SELECT set_eq($$ SELECT m.node_code, m.source_key::text, m.unit_code, m.event_date, m.title, m.title_en, m.details::text, m.handler_code,
                        m.first_responsible, m.primary_responsible, o.kind, o.due_on, o.person_code
                   FROM oversight.matter m JOIN oversight.obligation o USING (matter_id) WHERE m.source_table = 't.pay_row' $$,
              $$ SELECT m.node_code, m.source_key::text, m.unit_code, m.event_date, m.title, m.title_en, m.details::text, m.handler_code,
                        m.first_responsible, m.primary_responsible, o.kind, o.due_on, o.person_code
                   FROM oversight.matter m JOIN oversight.obligation o USING (matter_id) WHERE m.source_table = 't.pay_stmt' $$,
  'single-row inserts and a multi-row insert form the same matters and obligations');
SELECT set_eq($$ SELECT source_key ->> 'payment_code' FROM oversight.matter WHERE source_table = 't.pay_stmt' $$, ARRAY['A1', 'A2', 'A4'],
  'a table mapping only some fields: CNY or no currency at or over the threshold (not USD, not a cent under)');
SELECT results_eq($$ SELECT event_date, handler_code, unit_code FROM oversight.matter WHERE source_table = 't.pay_stmt' ORDER BY source_key ->> 'payment_code' $$,
  $$ VALUES ('2024-10-09'::date, 'H1', 'EDU'), ('2024-10-08'::date, NULL, 'EDU'), ('2024-10-08'::date, NULL, NULL) $$,
  'the date of the act is the first date given (else the day of the write); an unknown handler or unit is left empty, never a failed write');
SELECT is((SELECT o.person_code FROM oversight.obligation o JOIN oversight.matter m USING (matter_id)
            WHERE m.source_table = 't.pay_stmt' AND m.source_key = '{"payment_code": "A2"}'), 'C2',
  'with no handler known, the section chief owes the report');
SELECT is((SELECT count(*)::int FROM oversight.engine_fault), 0, 'no engine fault');

-------------------------------------------------------------------------------------------------------
-- Hold: a new version of the rule holds large payments until the leader in charge approves the report.
-------------------------------------------------------------------------------------------------------
SELECT oversight.draft_rule_version('MATTER.PAY.LARGE',
  (SELECT params || '{"hold": true}' FROM oversight.rule_version WHERE rule_code = 'MATTER.PAY.LARGE' AND status = 'approved'), 'info') AS held_v \gset
SELECT oversight.approve_rule_version(:held_v);
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, approved_at, paid_on, status, handler_code)
VALUES ('HOLD-1', 'EDU', '某设备公司', 900000, 'transfer', '2024-10-08 10:00+08', NULL, 'approved', 'H1'),
       ('PAID-1', 'EDU', '某设备公司', 900000, 'transfer', '2024-10-08 10:00+08', '2024-10-08', 'paid', 'H1');
SELECT matter_id AS hold FROM oversight.matter WHERE source_key = '{"payment_code": "HOLD-1"}' \gset
SELECT is((SELECT rule_version_id FROM oversight.matter WHERE matter_id = :hold), :held_v::bigint, 'the new approved version forms the new record''s matter');
SELECT results_eq($$ SELECT h.source_table, h.source_key::text, h.released_at IS NULL FROM oversight.hold h JOIN oversight.matter m USING (matter_id)
                      WHERE m.source_table = 'oversight.payment' $$,
  $$ VALUES ('oversight.payment', '{"payment_code": "HOLD-1"}', true) $$,
  'the approved payment is held; one already paid is not (nor the matters formed under the version before)');
SELECT throws_ok($$ UPDATE oversight.payment SET status = 'paid', paid_on = '2024-10-09' WHERE payment_code = 'HOLD-1' $$, 'OV101', NULL,
  'a held payment cannot be paid before its report is approved');
SET LOCAL SESSION AUTHORIZATION ov225_h1;
SELECT oversight.submit_report(:hold, '按合同进度付款') AS report \gset
RESET SESSION AUTHORIZATION;
SELECT throws_ok($$ UPDATE oversight.payment SET status = 'paid', paid_on = '2024-10-09' WHERE payment_code = 'HOLD-1' $$, 'OV101', NULL,
  'nor once reported, before the decision');
SET LOCAL SESSION AUTHORIZATION ov225_l2;
SELECT is(oversight.decide_report(:report, 'approved', '同意'), 'approved', 'the leader in charge of the owning unit approves the report');
RESET SESSION AUTHORIZATION;
SELECT lives_ok($$ UPDATE oversight.payment SET status = 'paid', paid_on = '2024-10-09' WHERE payment_code = 'HOLD-1' $$,
  'then the payment can be paid');
SELECT results_eq($$ SELECT count(*)::int, max(details ->> 'status') FROM oversight.matter WHERE source_key = '{"payment_code": "HOLD-1"}' $$,
  $$ VALUES (1, 'paid') $$, 'and paying it shows on its one matter');
SELECT is((SELECT count(*)::int FROM oversight.hold WHERE matter_id = :hold), 1, 'without a second hold');

-- A version of the rule with a higher threshold applies to the records written after its approval.
SELECT oversight.draft_rule_version('MATTER.PAY.LARGE',
  (SELECT params || '{"constants": {"large_payment": 1000000}}' FROM oversight.rule_version WHERE rule_code = 'MATTER.PAY.LARGE' AND status = 'approved'),
  'info', false, 'threshold 1,000,000 from October') AS v3 \gset
SELECT oversight.approve_rule_version(:v3);
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, approved_at, status, handler_code)
VALUES ('V3-1', 'EDU', '某公司', 900000, 'transfer', '2024-10-08 10:00+08', 'approved', 'H1'),
       ('V3-2', 'EDU', '某公司', 1000000, 'transfer', '2024-10-08 10:00+08', 'approved', 'H1');
SELECT results_eq($$ SELECT source_key ->> 'payment_code', rule_version_id FROM oversight.matter WHERE source_key ->> 'payment_code' LIKE 'V3-%' $$,
  format($$ VALUES ('V3-2', %s::bigint) $$, :v3), 'a new approved version applies to new records: 900,000 is no longer a large payment, 1,000,000 is');
SELECT is((SELECT count(*)::int FROM oversight.matter WHERE source_key = '{"payment_code": "HOLD-1"}'), 1,
  'matters formed under earlier versions stay');

-------------------------------------------------------------------------------------------------------
-- A bad matter rule is refused when its version is saved, naming the parameter and the problem.
-------------------------------------------------------------------------------------------------------
SELECT oversight.create_rule('T.MATTER', 'matter_when', 'payment', 'FUND.PAY.LARGE', 'test matter rule');
SELECT throws_ok($$ SELECT oversight.draft_rule_version('T.MATTER', '{"condition": "amout >= 1000000", "title_zh": "x"}', 'info') $$, '22023',
  'rule kind matter_when: parameter "condition": unknown field "amout" of payment at character 1', 'an unknown field is refused at save time, where it is');
SELECT throws_ok($$ SELECT oversight.draft_rule_version('T.MATTER', '{"condition": "amount >= ''a lot''", "title_zh": "x"}', 'info') $$, '22023',
  'rule kind matter_when: parameter "condition": cannot compare field amount (number) with ''a lot'' (text) at character 8', 'a type mismatch too');
SELECT throws_ok($$ SELECT oversight.draft_rule_version('T.MATTER', '{"condition": "payment_method = ''cheque''", "title_zh": "x"}', 'info') $$, '22023',
  'rule kind matter_when: parameter "condition": ''cheque'' is never a value of payment_method (transfer, cash, official_card) at character 18',
  'and a value the field can never take');
SELECT throws_ok($$ SELECT oversight.draft_rule_version('T.MATTER', '{"condition": "amount >= 1 AND", "title_zh": "x"}', 'info') $$, '22023',
  'rule kind matter_when: parameter "condition": expected a field or a value, found end of the condition at character 16', 'and a syntax error');
SELECT throws_ok($$ SELECT oversight.draft_rule_version('T.MATTER', '{"condition": "amount >= 1", "title_zh": "支付 {payee}"}', 'info') $$, '22023',
  NULL, 'an unknown field in a title is refused too');
SELECT is((SELECT count(*)::int FROM oversight.rule_version WHERE rule_code = 'T.MATTER'), 0, 'nothing was saved');
SELECT oversight.create_rule('T.MATTER_CONTRACT', 'matter_when', 'contract', 'PROC.CONTRACT.SIGN', 'test');
SELECT throws_ok($$ SELECT oversight.draft_rule_version('T.MATTER_CONTRACT', '{"condition": "amount > 0", "title_zh": "x", "hold": true}', 'info') $$,
  '22023', NULL, 'a hold is for payments only');

-------------------------------------------------------------------------------------------------------
-- The other default matter rules.
-------------------------------------------------------------------------------------------------------
INSERT INTO oversight.procurement_process (ocid, buyer_unit_code, procurement_method, main_procurement_category, estimated_value, currency,
                                           tender_period_start, handler_code) VALUES
  ('ocds-p-1', 'EDU', 'direct', 'goods', 2000000, 'CNY', '2024-10-08 09:00+08', 'H1'),
  ('ocds-p-2', 'EDU', 'direct', 'goods', 1999999, 'CNY', '2024-10-08 09:00+08', 'H1'),
  ('ocds-p-3', 'EDU', 'limited', 'works', 3999999, 'CNY', '2024-10-08 09:00+08', 'H1'),
  ('ocds-p-4', 'EDU', 'open', 'goods', 9000000, 'CNY', '2024-10-08 09:00+08', 'H1');
SELECT results_eq($$ SELECT m.source_key ->> 'ocid', m.node_code, array_agg(o.kind ORDER BY o.kind), array_agg(o.due_on ORDER BY o.kind)
                      FROM oversight.matter m JOIN oversight.obligation o USING (matter_id) WHERE m.source_table = 'oversight.procurement_process'
                     GROUP BY 1, 2 $$,
  $$ VALUES ('ocds-p-1', 'PROC.METHOD.NONOPEN', ARRAY['filing', 'leader_report', 'public_disclosure'],
             ARRAY['2024-10-14', '2024-10-11', '2024-11-04']::date[]) $$,
  'a non-open method at the goods threshold forms a matter with a report, a filing and a public disclosure; under it (or under the works threshold for works), or an open tender, none');
INSERT INTO oversight.party (party_code, name) VALUES ('SUP1', '供应商');
INSERT INTO oversight.contract (contract_code, buyer_unit_code, supplier_party_code, amount, currency, signed_on) VALUES ('K-1', 'EDU', 'SUP1', 1000000, 'CNY', '2024-10-09');
INSERT INTO oversight.contract (contract_code, buyer_unit_code, supplier_party_code, amount, currency, signed_on, parent_contract_code)
VALUES ('K-1-A', 'EDU', 'SUP1', 90000, 'CNY', '2024-10-10', 'K-1');
INSERT INTO oversight.contract (contract_code, buyer_unit_code, supplier_party_code, amount, currency) VALUES ('K-2', 'EDU', 'SUP1', 5, 'CNY');
SELECT set_eq($$ SELECT source_key ->> 'contract_code', node_code, title FROM oversight.matter WHERE source_table = 'oversight.contract' $$,
  $$ VALUES ('K-1', 'PROC.CONTRACT.SIGN', '签订采购合同：K-1，金额 1000000 CNY'), ('K-1-A', 'PROC.CONTRACT.SIGN', '签订采购合同：K-1-A，金额 90000 CNY'),
            ('K-1-A', 'PROC.METHOD.SINGLE_TOPUP', '单一来源追加采购：K-1-A（原合同 K-1），金额 90000 CNY') $$,
  'a signed contract forms a matter; a supplementary contract one more, at the top-up node; an unsigned contract none');
INSERT INTO oversight.fund_allocation (allocation_code, recipient_unit_code, recipient_name, amount, purpose, fund_kind, allocated_on, handler_code) VALUES
  ('FA-1', 'EDU', '某学校', 300000, '校舍维修', 'special', '2024-10-08', 'H1'), ('FA-2', 'EDU', '某学校', 300000, '日常经费', 'general', '2024-10-08', 'H1');
SELECT results_eq($$ SELECT m.source_key ->> 'allocation_code', m.node_code, m.first_responsible, m.primary_responsible, o.kind, o.due_on
                      FROM oversight.matter m JOIN oversight.obligation o USING (matter_id) WHERE m.source_table = 'oversight.fund_allocation' $$,
  $$ VALUES ('FA-1', 'SPEC.PAY.DISBURSE', 'E1', 'E2', 'filing', '2024-10-14'::date) $$,
  'a special-fund allocation forms a matter (a general one does not); with no owner of the node, the recipient unit''s leaders answer for it');
INSERT INTO oversight.enforcement_case (case_code, deciding_unit_code, subject_name, violation_code, decided_on, penalty_kind, fine_amount, handler_code) VALUES
  ('ENF-1', 'EDU', '某代理记账公司', 'V1', '2024-10-08', 'fine', 20000, 'H1');
SELECT results_eq($$ SELECT node_code, title, title_en FROM oversight.matter WHERE source_table = 'oversight.enforcement_case' $$,
  $$ VALUES ('ENF.PENALTY.DISCRETION', '行政处罚决定：ENF-1（fine，罚款 20000）', 'Penalty decided: ENF-1 (fine, fine 20000)') $$,
  'a penalty decision forms a matter, titled in Chinese and English');

-- A confidential matter rule: its public disclosure becomes an internal one.
SELECT oversight.define_rule('T.SECRET_PROC', 'matter_when', 'procurement', 'PROC.METHOD.NONOPEN', 'secret purchases',
  '{"condition": "method_details = ''涉密采购''", "title_zh": "涉密采购：{ocid}", "event_date": ["tender_period_start"], "confidential": true}', 'info');
INSERT INTO oversight.procurement_process (ocid, buyer_unit_code, procurement_method, method_details, estimated_value, currency, tender_period_start)
VALUES ('ocds-secret', 'EDU', 'direct', '涉密采购', 100, 'CNY', '2024-10-08 09:00+08');
SELECT results_eq($$ SELECT m.confidential, array_agg(o.kind ORDER BY o.kind) FROM oversight.matter m JOIN oversight.obligation o USING (matter_id)
                      WHERE m.matter_rule_code = 'T.SECRET_PROC' GROUP BY 1 $$,
  $$ VALUES (true, ARRAY['filing', 'internal_disclosure', 'leader_report']) $$, 'a confidential matter owes an internal disclosure, not a public one');

-------------------------------------------------------------------------------------------------------
-- A date the calendar does not cover: the matter is not formed, the fault says why; the write and the
-- batch's alerts are kept.
-------------------------------------------------------------------------------------------------------
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on, status, handler_code)
VALUES ('Y2031', 'EDU', '某公司', 3000000, 'transfer', '2031-03-03', 'paid', 'H1'),
       ('Y2024', 'EDU', '某公司', 3000000, 'transfer', '2024-10-09', 'paid', 'H1');
SELECT is_empty($$ SELECT FROM oversight.matter WHERE source_key = '{"payment_code": "Y2031"}' $$, 'a matter dated 2031 (no calendar) is not formed');
SELECT results_eq($$ SELECT rule_code, sqlstate, message FROM oversight.engine_fault WHERE object_key = '{"payment_code": "Y2031"}' $$,
  $$ VALUES ('MATTER.PAY.LARGE', 'OV001', '1 matter(s) not formed: no working-day calendar for their deadlines (event years 2031)') $$,
  'an engine fault says so, naming the year to load');
SELECT isnt_empty($$ SELECT FROM oversight.matter WHERE source_key = '{"payment_code": "Y2024"}' $$, 'the other matters of the batch are formed');
SELECT isnt_empty($$ SELECT FROM oversight.alert WHERE rule_code = 'PAY.ROUND_AMOUNT' AND object_key = '{"payment_code": "Y2031"}' $$,
  'and the batch''s alerts recorded, the row kept');

-------------------------------------------------------------------------------------------------------
-- Security: matters are row-level-secured by unit; nobody forms or forges one but through a record.
-------------------------------------------------------------------------------------------------------
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on, status)
VALUES ('HLT-1', 'HLT', '某医药公司', 2000000, 'transfer', '2024-10-09', 'paid');
SET LOCAL ROLE ov225_hlt;
SELECT is_empty($$ SELECT FROM oversight.matter WHERE unit_code = 'EDU' UNION ALL SELECT FROM oversight.obligation o
                   JOIN oversight.matter m USING (matter_id) WHERE m.unit_code = 'EDU' $$,
  'an analyst of another unit sees none of the education bureau''s matters or obligations');
SELECT ok((SELECT count(*) FROM oversight.matter) > 0 AND NOT EXISTS (SELECT FROM oversight.matter WHERE unit_code IS DISTINCT FROM 'HLT'),
  'only those of their own unit');
RESET ROLE;
SET LOCAL ROLE ov225_edu;
SELECT isnt_empty($$ SELECT FROM oversight.matter WHERE source_key = '{"payment_code": "BIG-1"}' $$, 'the education bureau''s analyst sees its matter');
RESET ROLE;
SET LOCAL ROLE ov225_loader;
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on, status)
VALUES ('LOADED-1', 'EDU', '某公司', 5000000, 'transfer', '2024-10-09', 'paid');
SELECT throws_ok($$ SELECT oversight.record_matters(ARRAY[1]::bigint[], ARRAY['oversight.payment'], ARRAY['{"payment_code": "X"}']::jsonb[],
                                                   ARRAY['EDU'], ARRAY['forged'], ARRAY['{}']::jsonb[], 'statement') $$,
  '42501', NULL, 'a loader cannot call the matter recorder to forge a matter');
SELECT throws_ok($$ SELECT oversight.open_matter('FUND.PAY.LARGE', 'forged', NULL, NULL, NULL, NULL, 'EDU', '2024-10-09', 'forged', NULL, false, NULL, false) $$,
  '42501', NULL, 'nor open one');
SELECT throws_ok($$ INSERT INTO oversight.matter (fingerprint, node_code, event_date, title, registered_at, registered_by)
                    VALUES ('forged', 'FUND.PAY.LARGE', '2024-10-09', 'forged', now(), 'x') $$, '42501', NULL, 'nor write the table');
RESET ROLE;
SELECT results_eq($$ SELECT registered_by FROM oversight.matter WHERE source_key = '{"payment_code": "LOADED-1"}' $$,
  $$ VALUES ('postgres'::text) $$, 'but the loader''s write forms its matter, recorded as registered by the session that wrote the record');
SELECT is_empty($$ SELECT FROM oversight.matter WHERE fingerprint = 'forged' OR title = 'forged' $$, 'and nothing forged');

-------------------------------------------------------------------------------------------------------
-- Data coverage: a matter rule cannot judge a record without the fields its condition can never hold
-- without; a load that did not provide one says so instead of silently forming no matter.
-------------------------------------------------------------------------------------------------------
SELECT is(oversight.rule_required_inputs(r.rule_kind, r.record_kind, v.params), ARRAY['amount'],
          'the large-payment matter rule needs the amount (currency, kind and status have their IS NULL branches)')
  FROM oversight.rule r JOIN oversight.rule_version v ON v.rule_code = r.rule_code AND v.status = 'approved' WHERE r.rule_code = 'MATTER.PAY.LARGE';
INSERT INTO oversight.load (record_kind, file_name, file_sha256, started_at, status, fields_provided)
VALUES ('procurement', 'no-method.csv', repeat('a', 64), oversight.now(), 'running',
        ARRAY['procurement.ocid', 'procurement.buyer_unit_code', 'procurement.estimated_value', 'procurement.currency']);
INSERT INTO oversight.procurement_process (ocid, buyer_unit_code, estimated_value, currency, load_id)
VALUES ('ocds-p-nomethod', 'EDU', 5000000, 'CNY', (SELECT max(load_id) FROM oversight.load));
SELECT is((SELECT records || '/' || missing::text FROM oversight.coverage_gap
            WHERE rule_code = 'MATTER.PROC.NONOPEN' AND reason = 'not_provided' AND load_id = (SELECT max(load_id) FROM oversight.load)),
          '1/{procurement_method}', 'a load without procurement methods: the non-open-method matter rule counts its process as cannot-evaluate');
SELECT is((SELECT count(*)::int FROM oversight.matter WHERE source_key ->> 'ocid' = 'ocds-p-nomethod'), 0, 'and forms no matter on a guess');

SELECT * FROM finish();
ROLLBACK;
