-- Supervision (issue 9): a matter's obligations and their deadlines in working days, one matter walked up
-- every step of its ladder across the 2024 National Day holidays and their 调休 weekend days (date,
-- recipient, text, deduction of each step), exactly once however often the sweeper runs; ladder
-- versions; reports decided only by the leader in charge; confidential matters never disclosed
-- publicly; preventive holds; unacknowledged alerts climbing their own ladder; row-level security.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(37);
SELECT oversight.set_clock('2024-09-25 10:00+08', true);
SELECT oversight.install_default_rules();
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind, parent_code) VALUES
  ('CZJ', '财政局', 'bureau', NULL), ('CZJ.CGK', '采购科', 'section', 'CZJ'), ('CZJ.GKK', '国库科', 'section', 'CZJ'),
  ('CZJ.JJZ', '纪检组', 'discipline_office', 'CZJ');
CREATE ROLE ov_test_l1 NOLOGIN IN ROLE oversight_official;
CREATE ROLE ov_test_c1 NOLOGIN IN ROLE oversight_official;
CREATE ROLE ov_test_h1 NOLOGIN IN ROLE oversight_official;
CREATE ROLE ov_test_gkk NOLOGIN IN ROLE oversight_analyst;
GRANT USAGE ON SCHEMA tap TO ov_test_l1, ov_test_c1, ov_test_h1, ov_test_gkk;
INSERT INTO oversight.person (person_code, full_name, login_role) VALUES
  ('L1', '李领导', 'ov_test_l1'), ('C1', '陈科长', 'ov_test_c1'), ('H1', '韩经办', 'ov_test_h1');
INSERT INTO oversight.assignment (person_code, unit_code, assignment_role, valid_from) VALUES
  ('L1', 'CZJ.CGK', 'leader_in_charge', '2024-01-01'), ('C1', 'CZJ.CGK', 'section_chief', '2024-01-01'), ('H1', 'CZJ.CGK', 'handler', '2024-01-01');
INSERT INTO oversight.node_owner (node_code, unit_code, valid_from) VALUES
  ('PROC.METHOD.NONOPEN', 'CZJ.CGK', '2024-01-01'), ('FUND.PAY.LARGE', 'CZJ.CGK', '2024-01-01');
INSERT INTO oversight.unit_access (role_name, unit_code) VALUES
  ('ov_test_l1', 'CZJ.CGK'), ('ov_test_c1', 'CZJ.CGK'), ('ov_test_h1', 'CZJ.CGK'), ('ov_test_gkk', 'CZJ.GKK');

-- A single-source purchase decided on Wednesday 2024-09-25, five days before the National Day holidays.
SELECT oversight.register_matter('PROC.METHOD.NONOPEN', 'CZJ.CGK', '2024-09-25', '单一来源采购：实验设备', '{"amount": 1200000}', false, 'H1') AS m \gset
SELECT results_eq($$ SELECT kind, due_on, person_code FROM oversight.obligation WHERE matter_id = $$ || :m || $$ ORDER BY due_on $$,
  $$ VALUES ('leader_report', '2024-09-29'::date, 'H1'), ('filing', '2024-10-08'::date, 'H1'), ('public_disclosure', '2024-10-28'::date, 'H1') $$,
  'the node''s layers become obligations due 3, 5 and 20 working days after the act (Sunday 29 September was a 调休 working day; 1–7 October were not)');
SELECT results_eq($$ SELECT first_responsible, primary_responsible FROM oversight.matter WHERE matter_id = $$ || :m,
  $$ VALUES ('C1', 'L1') $$, 'the people responsible on the day of the act are on the matter');

CREATE TEMP TABLE report_ob AS SELECT obligation_id FROM oversight.obligation WHERE matter_id = :m AND kind = 'leader_report';
-- The sweeper runs at the end of every calendar day from 26 September to 17 October, on the clock of that day.
CREATE TEMP TABLE sweeps (day date, steps integer);
DO $$
DECLARE d date;
BEGIN
  FOR d IN SELECT g::date FROM generate_series('2024-09-26'::date, '2024-10-17'::date, interval '1 day') g LOOP
    PERFORM oversight.set_clock((d + time '18:00') AT TIME ZONE 'Asia/Shanghai', true);
    INSERT INTO sweeps SELECT d, ladder_steps FROM oversight.sweep();
  END LOOP;
END $$;
SELECT results_eq($$ SELECT step, due_on, target_role, person_code, deduction FROM oversight.escalation_step
                      WHERE subject_kind = 'obligation' AND subject_id = (SELECT obligation_id FROM report_ob) ORDER BY step_no $$,
  $$ VALUES ('prompt', '2024-09-27'::date, 'handler', 'H1', 0.00), ('warning', '2024-09-30'::date, 'handler', 'H1', 0.00),
            ('yellow_card', '2024-10-09'::date, 'section_chief', 'C1', 5.00), ('red_card', '2024-10-15'::date, 'leader_in_charge', 'L1', 10.00),
            ('accountability', '2024-10-16'::date, 'discipline_office', NULL, 0.00) $$,
  'the unreported matter climbs every step on its working day: prompt a working day before, warning after, yellow card 3 working days late, red card after the 5-working-day follow-up (Saturday 12 October worked), then accountability');
SELECT is((SELECT (taken_at AT TIME ZONE 'Asia/Shanghai')::date FROM oversight.escalation_step
            WHERE subject_id = (SELECT obligation_id FROM report_ob) AND step = 'yellow_card' AND subject_kind = 'obligation'), '2024-10-09'::date,
  'each step is taken by the sweep of its own day, not before');
SELECT is((SELECT text_zh FROM oversight.outbox WHERE subject_id = (SELECT obligation_id FROM report_ob) AND subject_kind = 'obligation' AND step = 'yellow_card'),
  '黄牌：「单一来源采购：实验设备」的向分管领导报告逾期3个工作日，请在督办期限内办结。', 'the notification speaks Chinese…');
SELECT is((SELECT text_en FROM oversight.outbox WHERE subject_id = (SELECT obligation_id FROM report_ob) AND subject_kind = 'obligation' AND step = 'red_card'),
  'Red card: the report to the leader in charge of "单一来源采购：实验设备" is still not done after the follow-up period (8 working days overdue); rectification notice and accountability.',
  '…and English');
SELECT results_eq($$ SELECT card_kind, person_code, issued_on, deduction FROM oversight.card WHERE matter_id = $$ || :m || $$ AND subject_id = (SELECT obligation_id FROM report_ob) ORDER BY card_id $$,
  $$ VALUES ('yellow', 'C1', '2024-10-09'::date, 5.00), ('red', 'L1', '2024-10-15'::date, 10.00) $$, 'the yellow and red cards are on record, with their deductions');
SELECT is((SELECT count(*)::int FROM oversight.escalation_step), (SELECT sum(steps)::int FROM sweeps), 'every step was taken by exactly one sweep');
SELECT is((SELECT ladder_steps FROM oversight.sweep()), 0, 'sweeping the same day again takes nothing');
SELECT throws_ok($$ UPDATE oversight.card SET deduction = 0 $$, '42501', NULL, 'cards are permanent');
SELECT throws_ok($$ DELETE FROM oversight.card $$, '42501', NULL, 'cards cannot be deleted');

-- Reports: by the handler, decided by the leader in charge only; the decision fulfils the obligation.
SELECT oversight.set_clock('2024-10-18 09:00+08', true);
SET LOCAL SESSION AUTHORIZATION ov_test_h1;
SELECT oversight.submit_report(:m, '采用单一来源方式的理由：仅此一家供应商') AS r \gset
SELECT throws_ok(format('SELECT oversight.submit_report(%s, %L)', :m, 'again'), '55000', NULL, 'one report per matter (一事一报)');
SELECT throws_ok(format('SELECT oversight.decide_report(%s, %L)', :r, 'approved'), '42501', NULL, 'the handler cannot decide the report');
RESET SESSION AUTHORIZATION;
SET LOCAL SESSION AUTHORIZATION ov_test_c1;
SELECT throws_ok(format('SELECT oversight.decide_report(%s, %L)', :r, 'approved'), '42501', NULL, 'nor can the section chief');
RESET SESSION AUTHORIZATION;
SET LOCAL SESSION AUTHORIZATION ov_test_l1;
SELECT is(oversight.decide_report(:r, 'approved', '同意'), 'approved', 'the leader in charge decides');
RESET SESSION AUTHORIZATION;
SELECT results_eq($$ SELECT approver_code, snapshot ->> 'title', decision FROM oversight.matter_report WHERE report_id = $$ || :r,
  $$ VALUES ('L1', '单一来源采购：实验设备', 'approved') $$, 'the report keeps the approver, a frozen snapshot of the matter and the decision');
SELECT is((SELECT status FROM oversight.obligation WHERE obligation_id = (SELECT obligation_id FROM report_ob)), 'fulfilled', 'the report obligation is met');
SELECT isnt((SELECT stopped_at FROM oversight.escalation WHERE subject_kind = 'obligation' AND subject_id = (SELECT obligation_id FROM report_ob)), NULL,
  'and its ladder stops');
SELECT isnt_empty($$ SELECT FROM oversight.audit_log WHERE table_name = 'oversight.matter_report' AND action = 'update' $$, 'the decision is in the audit trail');

-- Filing and disclosure meet their obligations; the matter completes.
SET LOCAL SESSION AUTHORIZATION ov_test_h1;
SELECT lives_ok(format('SELECT oversight.record_filing(%s, %L, %L)', :m, '纪检备〔2024〕17号', 'CZJ.JJZ'), 'the handler records the filing');
SELECT lives_ok(format('SELECT oversight.publish_disclosure(%s, %L, %L, %L)', :m, 'public', '政府采购网', 'CZJ-2024-0917'), 'and the disclosure');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT status FROM oversight.matter WHERE matter_id = :m), 'completed', 'every obligation met: the matter is completed');

-- A confidential matter is disclosed internally only, enforced; nothing half-written.
SELECT oversight.register_matter('PROC.METHOD.NONOPEN', 'CZJ.CGK', '2024-10-18', '涉密采购', NULL, true, 'H1') AS secret \gset
SELECT results_eq($$ SELECT kind FROM oversight.obligation WHERE matter_id = $$ || :secret || $$ ORDER BY kind $$,
  $$ VALUES ('filing'), ('internal_disclosure'), ('leader_report') $$, 'a confidential matter owes an internal disclosure, not a public one');
SET LOCAL SESSION AUTHORIZATION ov_test_h1;
SELECT throws_ok(format('SELECT oversight.publish_disclosure(%s, %L, %L)', :secret, 'public', '门户网站'), 'OV200', NULL,
  'publishing a confidential matter is refused');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*)::int FROM oversight.matter_disclosure WHERE matter_id = :secret), 0, 'and nothing was written');

-- Ladders are versioned: running items keep theirs, new ones use the new version; steps in use are locked.
SELECT throws_ok($$ UPDATE oversight.ladder_step SET deduction = 7 WHERE step = 'yellow_card' AND ladder_version_id =
                      (SELECT ladder_version_id FROM oversight.ladder_version WHERE ladder_code = 'OBLIGATION' AND is_current) $$,
  '55000', NULL, 'the steps of a ladder version in use cannot change');
SELECT oversight.new_ladder_version('OBLIGATION', 'yellow card costs 7 points from 2025') AS v2 \gset
UPDATE oversight.ladder_step SET deduction = 7 WHERE ladder_version_id = :v2 AND step = 'yellow_card';
SELECT oversight.activate_ladder_version(:v2);
SELECT oversight.register_matter('PROC.METHOD.NONOPEN', 'CZJ.CGK', '2024-10-21', '新事项', NULL, false, 'H1') AS m2 \gset
SELECT is((SELECT count(DISTINCT e.ladder_version_id)::int FROM oversight.escalation e JOIN oversight.obligation o ON o.obligation_id = e.subject_id
            WHERE e.subject_kind = 'obligation' AND o.matter_id = :secret), 1, 'a matter started before the edit…');
SELECT isnt((SELECT e.ladder_version_id FROM oversight.escalation e JOIN oversight.obligation o ON o.obligation_id = e.subject_id
              WHERE e.subject_kind = 'obligation' AND o.matter_id = :secret LIMIT 1), :v2::bigint, '…keeps the ladder version it started with');
SELECT is((SELECT DISTINCT e.ladder_version_id FROM oversight.escalation e JOIN oversight.obligation o ON o.obligation_id = e.subject_id
            WHERE e.subject_kind = 'obligation' AND o.matter_id = :m2), :v2::bigint, 'a new matter climbs the new version');

-- Preventive hold: a payment held until its matter's report is approved. Here the matter is formed by
-- hand through oversight.open_matter (the default matter rule of large payments, which would form it
-- from the record, is paused; 225_matter_rules.sql forms and holds it by the rule).
UPDATE oversight.rule SET is_enabled = false WHERE rule_code = 'MATTER.PAY.LARGE';
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, requested_on, status)
  VALUES ('BIG-1', 'CZJ.GKK', '某建设公司', 3000000, 'transfer', '2024-10-21', 'approved');
SELECT oversight.open_matter('FUND.PAY.LARGE', 'test:BIG-1', NULL, NULL, 'oversight.payment', '{"payment_code": "BIG-1"}', 'CZJ.GKK',
                             '2024-10-21', '大额支付：某建设公司', '{"amount": 3000000}', false, 'H1', true) AS held \gset
SELECT throws_ok($$ UPDATE oversight.payment SET status = 'paid', paid_on = '2024-10-22' WHERE payment_code = 'BIG-1' $$, 'OV101', NULL,
  'a held payment cannot be paid before its report is approved');
SELECT is(oversight.open_matter('FUND.PAY.LARGE', 'test:BIG-1', NULL, NULL, 'oversight.payment', '{"payment_code": "BIG-1"}', 'CZJ.GKK',
                                '2024-10-21', '大额支付：某建设公司（更正）', '{"amount": 3000001}', false, 'H1', true), :held::bigint,
  'the same record again makes no second matter…');
SELECT is((SELECT title FROM oversight.matter WHERE matter_id = :held), '大额支付：某建设公司（更正）', '…and its correction shows on the matter');
SET LOCAL SESSION AUTHORIZATION ov_test_h1;
SELECT oversight.submit_report(:held, '按合同进度付款') AS r2 \gset
RESET SESSION AUTHORIZATION;
SET LOCAL SESSION AUTHORIZATION ov_test_l1;
SELECT oversight.decide_report(:r2, 'approved');
RESET SESSION AUTHORIZATION;
SELECT lives_ok($$ UPDATE oversight.payment SET status = 'paid', paid_on = '2024-10-22' WHERE payment_code = 'BIG-1' $$,
  'the approval releases the hold, with who and why');

-- An alert nobody acknowledges climbs its own ladder; acknowledging stops the climb, not the evaluation.
SELECT oversight.set_clock('2024-10-21 10:00+08', true);
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
  VALUES ('CASH-1', 'CZJ.CGK', '现金', 60000.5, 'cash', '2024-10-21');
SELECT alert_id AS cash_alert FROM oversight.alert WHERE rule_code = 'CASH.SINGLE' AND object_key ->> 'payment_code' = 'CASH-1' \gset
SELECT oversight.set_clock('2024-10-24 18:00+08', true);
SELECT oversight.sweep();
SELECT results_eq($$ SELECT step, due_on, person_code FROM oversight.escalation_step WHERE subject_kind = 'alert' AND subject_id = $$ || :cash_alert,
  $$ VALUES ('warning', '2024-10-24'::date, 'C1') $$, 'a medium alert unacknowledged 3 working days warns the section chief');
SELECT oversight.acknowledge_alert(:cash_alert, 'looking into it');
SELECT oversight.set_clock('2024-11-15 18:00+08', true);
SELECT oversight.sweep();
SELECT is((SELECT count(*)::int FROM oversight.escalation_step WHERE subject_kind = 'alert' AND subject_id = :cash_alert), 1,
  'once acknowledged it climbs no further');

-- Row-level security: another unit's analyst sees none of it.
SET LOCAL ROLE ov_test_gkk;
SELECT is((SELECT count(*)::int FROM oversight.matter WHERE unit_code = 'CZJ.CGK') + (SELECT count(*)::int FROM oversight.card WHERE unit_code = 'CZJ.CGK')
          + (SELECT count(*)::int FROM oversight.outbox WHERE unit_code = 'CZJ.CGK'), 0, 'an analyst of another unit sees no matter, card or notification of this one');
SELECT ok((SELECT count(*) FROM oversight.matter WHERE unit_code = 'CZJ.GKK') = 1 AND (SELECT count(*) FROM oversight.card WHERE unit_code = 'CZJ.GKK') > 0,
  'but those of their own unit (the large payment''s matter, the cards of its unacknowledged alerts)');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
