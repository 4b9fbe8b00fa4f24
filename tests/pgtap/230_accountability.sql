-- Accountability (issue 10): a red card opens a case against the people responsible on the day of the
-- act, across a reassignment; the section chief's own liability; aggravation on a second case in the
-- year; decisions by an inspector who is not a subject; rectification verified by someone other than its
-- owner, by running the rule again, and reopened when the finding recurs; complaints; reproducible spot
-- checks; monthly scores checked against values worked out by hand, each deduction traced to its card;
-- democratic evaluation; closing a quarter; what each role may see and do.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(78);
SELECT oversight.set_clock('2024-09-02 10:00+08', true);
SELECT oversight.install_default_rules();
INSERT INTO oversight.org_unit (unit_code, name_zh, name_en, unit_kind, parent_code) VALUES
  ('CZJ', '财政局', 'Finance bureau', 'bureau', NULL), ('CZJ.CGK', '采购科', 'Procurement section', 'section', 'CZJ'),
  ('CZJ.ZFK', '执法科', 'Enforcement section', 'section', 'CZJ'), ('CZJ.JJZ', '纪检组', 'Discipline office', 'discipline_office', 'CZJ');
CREATE ROLE ov_acc_h1 NOLOGIN IN ROLE oversight_official;
CREATE ROLE ov_acc_h2 NOLOGIN IN ROLE oversight_official;
CREATE ROLE ov_acc_c2 NOLOGIN IN ROLE oversight_official;
CREATE ROLE ov_acc_i1 NOLOGIN IN ROLE oversight_inspector;
CREATE ROLE ov_acc_i2 NOLOGIN IN ROLE oversight_inspector;
CREATE ROLE ov_acc_zfk NOLOGIN IN ROLE oversight_analyst;
GRANT USAGE ON SCHEMA tap TO ov_acc_h1, ov_acc_h2, ov_acc_c2, ov_acc_i1, ov_acc_i2, ov_acc_zfk;
INSERT INTO oversight.person (person_code, full_name, login_role) VALUES
  ('L1', '李领导', NULL), ('C1', '陈科长', NULL), ('C2', '周科长', 'ov_acc_c2'), ('C3', '吴科长', NULL), ('H1', '韩经办', 'ov_acc_h1'),
  ('H2', '何经办', 'ov_acc_h2'), ('H3', '胡经办', NULL), ('A1', '安审批', NULL), ('I1', '纪检甲', 'ov_acc_i1'), ('I2', '纪检乙', 'ov_acc_i2');
-- 陈 (C1) is the procurement section's chief until 30 September; 周 (C2) from 1 October.
INSERT INTO oversight.assignment (person_code, unit_code, assignment_role, valid_from, valid_to) VALUES
  ('L1', 'CZJ.CGK', 'leader_in_charge', '2024-01-01', NULL), ('C1', 'CZJ.CGK', 'section_chief', '2024-01-01', '2024-10-01'),
  ('C2', 'CZJ.CGK', 'section_chief', '2024-10-01', NULL), ('H1', 'CZJ.CGK', 'handler', '2024-01-01', NULL),
  ('L1', 'CZJ.ZFK', 'leader_in_charge', '2024-01-01', NULL), ('C3', 'CZJ.ZFK', 'section_chief', '2024-01-01', NULL),
  ('H2', 'CZJ.ZFK', 'handler', '2024-01-01', NULL), ('H3', 'CZJ.ZFK', 'handler', '2024-01-01', NULL),
  ('I1', 'CZJ.JJZ', 'inspector', '2024-01-01', NULL), ('I2', 'CZJ.JJZ', 'inspector', '2024-01-01', NULL);
INSERT INTO oversight.node_owner (node_code, unit_code, valid_from) VALUES ('PROC.METHOD.NONOPEN', 'CZJ.CGK', '2024-01-01');
INSERT INTO oversight.unit_access (role_name, unit_code) VALUES ('ov_acc_zfk', 'CZJ.ZFK'), ('ov_acc_h1', 'CZJ.CGK');

-- A single-source purchase decided on 25 September (while 陈 was chief) is never reported.
SELECT oversight.register_matter('PROC.METHOD.NONOPEN', 'CZJ.CGK', '2024-09-25', '单一来源采购：实验设备', '{"amount": 1200000}', false, 'H1') AS m \gset
CREATE TEMP TABLE ob AS SELECT kind, obligation_id FROM oversight.obligation WHERE matter_id = :m;
DO $$
DECLARE d date;
BEGIN
  FOR d IN SELECT g::date FROM generate_series('2024-09-26'::date, '2024-10-16'::date, interval '1 day') g LOOP
    PERFORM oversight.set_clock((d + time '18:00') AT TIME ZONE 'Asia/Shanghai', true);
    PERFORM oversight.sweep();
  END LOOP;
END $$;
SELECT oversight.set_clock('2024-10-17 09:00+08', true);
SET LOCAL SESSION AUTHORIZATION ov_acc_h1;
SELECT oversight.record_filing(:m, '纪检备〔2024〕21号', 'CZJ.JJZ');
SELECT oversight.publish_disclosure(:m, 'public', '政府采购网', 'CZJ-2024-1017');
RESET SESSION AUTHORIZATION;
SELECT oversight.set_clock('2024-10-17 18:00+08', true);
SELECT oversight.sweep();

SELECT results_eq($$ SELECT origin, act_date, card_id IS NOT NULL FROM oversight.accountability_case WHERE obligation_id = (SELECT obligation_id FROM ob WHERE kind = 'leader_report') $$,
  $$ VALUES ('red_card', '2024-09-25'::date, true) $$, 'the red card of the unreported matter opened a case, dated the day of the act');
SELECT :'m' AS m_id \gset
SELECT case_id AS red_case FROM oversight.accountability_case WHERE obligation_id = (SELECT obligation_id FROM ob WHERE kind = 'leader_report') \gset
SELECT results_eq($$ SELECT person_code, subject_role FROM oversight.case_subject WHERE case_id = $$ || :red_case || $$ ORDER BY subject_role $$,
  $$ VALUES ('C1', 'directly_in_charge'), ('H1', 'directly_responsible'), ('L1', 'leadership') $$,
  'its subjects are those responsible on 25 September: the handler, 陈 (chief then, reassigned since) and the leader in charge — not 周, chief on the day of the card');
SELECT is((SELECT count(*)::int FROM oversight.accountability_case WHERE matter_id = :m), 1,
  'the accountability step after the red card finds the case open: one case per missed obligation');
SELECT results_eq($$ SELECT origin, owner_code, due_on FROM oversight.rectification WHERE card_id = (SELECT card_id FROM oversight.accountability_case WHERE case_id = $$ || :red_case || $$) $$,
  $$ VALUES ('card', 'H1', '2024-10-29'::date) $$, 'the red card is also a rectification notice to the handler, due in 10 working days');

-- Scores of October, worked out by hand from the ladder: the unit lost 5 + 5 for two yellow cards (the
-- report on 9 October, the filing on 11 October) and 10 for the red card of 15 October, and gained 0.5
-- for the disclosure done 7 working days early; one warning in October (the filing's) is not a run.
SELECT oversight.rate_dimension('person', 'H1', '2024-10-01', 'satisfaction', 80, '窗口满意度调查');
SELECT oversight.refresh_scores();
SELECT results_eq($$ SELECT weighted, deductions, bonus, score FROM oversight.unit_monthly_score WHERE unit_code = 'CZJ.CGK' AND month = '2024-10-01' $$,
  $$ VALUES (100.00, 20.00, 0.50, 80.50) $$, 'procurement section, October 2024: 100 − 5 − 5 − 10 + 0.5 = 80.50');
SELECT results_eq($$ SELECT e.source_kind, e.points, c.card_kind, c.issued_on FROM oversight.score_event e JOIN oversight.card c ON c.card_id = e.card_id
                      WHERE e.scope = 'unit' AND e.subject_code = 'CZJ.CGK' AND e.month = '2024-10-01' ORDER BY c.issued_on $$,
  $$ VALUES ('yellow_card', -5.00, 'yellow', '2024-10-09'::date), ('yellow_card', -5.00, 'yellow', '2024-10-11'::date), ('red_card', -10.00, 'red', '2024-10-15'::date) $$,
  'each deduction is traced to its card');
SELECT results_eq($$ SELECT source_kind, points, obligation_id FROM oversight.score_event
                      WHERE scope = 'unit' AND subject_code = 'CZJ.CGK' AND month = '2024-10-01' AND card_id IS NULL $$,
  $$ SELECT 'early_completion', 0.50, obligation_id FROM ob WHERE kind = 'public_disclosure' $$, 'and the bonus to the obligation met early');
SELECT results_eq($$ SELECT person_code, weighted, deductions, bonus, score FROM oversight.person_monthly_score WHERE month = '2024-10-01' AND person_code IN ('C1', 'H1', 'L1') ORDER BY 1 $$,
  $$ VALUES ('C1', 100.00, 10.00, 0.00, 90.00), ('H1', 98.00, 0.00, 0.50, 98.50), ('L1', 100.00, 10.00, 0.00, 90.00) $$,
  'officials in October: 陈 got both yellow cards (−10), the leader the red one (−10); the handler''s satisfaction rated 80 costs 10% × 20 = 2, and the early disclosure adds 0.5');
SELECT is((SELECT count(*)::int FROM oversight.person_monthly_score WHERE person_code IN ('I1', 'I2')), 0, 'inspectors without a post of power are not scored');
SELECT results_eq($$ SELECT view_name, concurrent_refresh FROM oversight.score_refresh ORDER BY 1 $$,
  $$ VALUES ('person_monthly_score', true), ('personal_file_summary', true), ('unit_monthly_score', true) $$, 'each refresh is recorded with its time, concurrently');

-- The section chief's liability: a substantiated complaint about a power never identified as a node.
SET LOCAL SESSION AUTHORIZATION ov_acc_h2;
SELECT oversight.receive_complaint('staff', false, '王某', '13800000000', 'CZJ.CGK', '采购科以“应急”为由指定供应商', NULL, 'H2', '2024-09-10') AS cpl \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT accept_due_on FROM oversight.complaint WHERE complaint_id = :cpl), '2024-10-24'::date, 'acceptance is due within 5 working days');
SET LOCAL SESSION AUTHORIZATION ov_acc_i1;
SELECT ok(oversight.decide_complaint(:cpl, true, 'CZJ.CGK', 15), 'the discipline office accepts it and routes it, with a deadline');
SELECT throws_ok(format('SELECT oversight.close_complaint(%s, %L, %L)', :cpl, 'substantiated', '查实'), '22023', NULL,
  'a real-name complainant must be told the outcome');
SELECT oversight.close_complaint(:cpl, 'substantiated', '查实：未经审批指定供应商', '已电话告知处理结果') AS cpl_case \gset
RESET SESSION AUTHORIZATION;
SELECT results_eq($$ SELECT person_code, subject_role FROM oversight.case_subject WHERE case_id = $$ || :cpl_case || $$ ORDER BY subject_role, person_code $$,
  $$ VALUES ('C1', 'chief_liability'), ('C1', 'directly_in_charge'), ('H2', 'directly_responsible'), ('L1', 'leadership') $$,
  'the substantiated complaint opens a case: the official named, and 陈, chief on 10 September, also answers for the power never identified as a node');

-- Decisions: an inspector who is not a subject; aggravation on a second case in the year.
SET LOCAL SESSION AUTHORIZATION ov_acc_i1;
SELECT oversight.open_case_by_hand('CZJ.CGK', '2024-09-20', '采购文件未按规定归档', 'PROC.METHOD.NONOPEN', NULL, '{"I1": "directly_responsible"}') AS hand_case \gset
RESET SESSION AUTHORIZATION;
SELECT results_eq($$ SELECT person_code, subject_role FROM oversight.case_subject WHERE case_id = $$ || :hand_case || $$ ORDER BY subject_role, person_code $$,
  $$ VALUES ('C1', 'directly_in_charge'), ('I1', 'directly_responsible'), ('L1', 'leadership') $$,
  'a case opened by hand takes the node owner''s chief and leader on the day of the act, and the people the office names');
SET LOCAL SESSION AUTHORIZATION ov_acc_i1;
SELECT throws_ok(format('SELECT oversight.decide_case(%s, %L, %L)', :hand_case, '[]', 'x'), '42501', NULL, 'an inspector who is a subject cannot decide the case');
RESET SESSION AUTHORIZATION;
SELECT oversight.set_clock('2024-11-05 10:00+08', true);
SET LOCAL SESSION AUTHORIZATION ov_acc_h1;
SELECT throws_ok(format('SELECT oversight.decide_case(%s, %L, %L)', :red_case, '[]', 'x'), '42501', NULL, 'an official cannot decide a case');
RESET SESSION AUTHORIZATION;
SET LOCAL SESSION AUTHORIZATION ov_acc_i2;
SELECT throws_ok(format('SELECT oversight.decide_case(%s, %L, %L)', :red_case, '[{"person": "C2", "sanctions": ["caution"]}]', 'x'), '22023', NULL,
  'only subjects are sanctioned');
SELECT is(oversight.decide_case(:red_case, '[{"person": "H1", "sanctions": ["caution"]}, {"person": "L1", "sanctions": ["written_self_examination", "circulated_criticism"]}]',
                                '未按规定一事一报'), 3, 'sanctions are combinable');
RESET SESSION AUTHORIZATION;
SELECT results_eq($$ SELECT person_code, sanction_code, aggravated, aggravation, deduction FROM oversight.case_sanction WHERE case_id = $$ || :red_case || $$ ORDER BY 1, 2 $$,
  $$ VALUES ('H1', 'caution', false, '{}'::text[], 10.00), ('L1', 'circulated_criticism', true, '{repeat}'::text[], 30.00),
            ('L1', 'written_self_examination', true, '{repeat}'::text[], 22.50) $$,
  'the handler''s first case of the year is not aggravated; the leader''s third case of 2024 is (repeat), its deductions × 1.5');
SELECT results_eq($$ SELECT status, decided_by FROM oversight.accountability_case WHERE case_id = $$ || :red_case,
  $$ VALUES ('decided', 'I2') $$, 'the decision records who decided');
SELECT throws_ok(format('SELECT oversight.decide_case(%s, %L, %L)', :red_case, '[]', 'again'), '55000', NULL, 'a decided case stays decided');

-- Rectification: verified by someone other than its owner.
SELECT rectification_id AS red_rect FROM oversight.rectification WHERE card_id = (SELECT card_id FROM oversight.accountability_case WHERE case_id = :red_case) \gset
SET LOCAL SESSION AUTHORIZATION ov_acc_h1;
SELECT is(oversight.rectification_progress(:red_rect, 'submitted', '已补报并建立一事一报台账'), 'submitted', 'the owner reports it done');
SELECT throws_ok(format('SELECT oversight.rectification_progress(%s, %L, %L)', :red_rect, 'verified', 'ok'), '42501', NULL,
  'a rectification cannot be closed by its owner');
RESET SESSION AUTHORIZATION;
SET LOCAL SESSION AUTHORIZATION ov_acc_c2;
SELECT throws_ok(format('SELECT oversight.rectification_progress(%s, %L, %L)', :red_rect, 'progress', 'x'), '42501', NULL, 'nor reported on by anyone else');
SELECT is(oversight.rectification_progress(:red_rect, 'verified', '台账已核查'), 'closed', 'the new chief verifies and closes it');
RESET SESSION AUTHORIZATION;
SELECT isnt((SELECT stopped_at FROM oversight.escalation WHERE subject_kind = 'rectification' AND subject_id = :red_rect), NULL, 'and its ladder stops');

-- A rectification of a rule's finding: verification runs the rule again; a recurrence reopens it.
INSERT INTO oversight.enforcement_case (case_code, deciding_unit_code, subject_name, violation_code, decided_on, penalty_kind, fine_amount, collected_by,
                                        handler_code, approver_code)
  VALUES ('S-1', 'CZJ.ZFK', '某商贸公司', 'V-01', '2024-11-04', 'fine', 3000, 'designated_bank', 'H2', 'H2');
SELECT alert_id AS sod FROM oversight.alert WHERE rule_code = 'SOD.ENFORCEMENT' AND object_key = '{"case_code": "S-1"}' \gset
SET LOCAL SESSION AUTHORIZATION ov_acc_h1;
SELECT throws_ok(format('SELECT oversight.order_rectification(%L, %s, %L, %L, %L)', 'alert', :sod, 'CZJ.ZFK', 'H2', 'x'), '42501', NULL,
  'an official cannot order a rectification');
RESET SESSION AUTHORIZATION;
SET LOCAL SESSION AUTHORIZATION ov_acc_i1;
SELECT oversight.order_rectification('alert', :sod, 'CZJ.ZFK', 'H2', '处罚决定由他人审批', 5) AS sod_rect \gset
RESET SESSION AUTHORIZATION;
SET LOCAL SESSION AUTHORIZATION ov_acc_h2;
SELECT oversight.rectification_progress(:sod_rect, 'submitted', '已整改');
RESET SESSION AUTHORIZATION;
SET LOCAL SESSION AUTHORIZATION ov_acc_c2;
SELECT is(oversight.rectification_progress(:sod_rect, 'verified', '核验'), 'reopened',
  'verifying while the record is unchanged: the rule, run again, still finds it — not closed');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT kind FROM oversight.rectification_note WHERE rectification_id = :sod_rect ORDER BY note_id DESC LIMIT 1), 'failed', 'the failed verification is on record');
UPDATE oversight.enforcement_case SET approver_code = 'A1' WHERE case_code = 'S-1';
SELECT oversight.correct_alert(:sod, '改由安审批审批');
SET LOCAL SESSION AUTHORIZATION ov_acc_h2;
SELECT oversight.rectification_progress(:sod_rect, 'submitted', '已改由他人审批');
RESET SESSION AUTHORIZATION;
SET LOCAL SESSION AUTHORIZATION ov_acc_c2;
SELECT is(oversight.rectification_progress(:sod_rect, 'verified', '核验通过'), 'closed', 'once the record is corrected the rule finds nothing: closed');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT status FROM oversight.alert WHERE alert_id = :sod), 'corrected', 'running the rule again did not disturb the corrected alert');
UPDATE oversight.enforcement_case SET approver_code = 'H2' WHERE case_code = 'S-1';
SELECT is((SELECT status FROM oversight.alert WHERE alert_id = :sod), 'open', 'the finding recurs: the engine reopens the alert…');
SELECT is((SELECT status FROM oversight.rectification WHERE rectification_id = :sod_rect), 'reopened', '…and the closed rectification reopens');
SELECT is((SELECT stopped_at FROM oversight.escalation WHERE subject_kind = 'rectification' AND subject_id = :sod_rect), NULL, 'back on its ladder');

-- Random spot checks of filings: the population frozen, the draw reproducible from it and the seed.
SET LOCAL SESSION AUTHORIZATION ov_acc_h2;
DO $$
DECLARE i integer; id bigint;
BEGIN
  FOR i IN 1..8 LOOP
    id := oversight.register_matter('PROC.METHOD.NONOPEN', 'CZJ.ZFK', '2024-11-04', '抽查样本 ' || i, NULL, false, 'H2');
    PERFORM oversight.record_filing(id, '纪检备〔2024〕' || (100 + i) || '号', 'CZJ.JJZ');
  END LOOP;
END $$;
RESET SESSION AUTHORIZATION;
SET LOCAL SESSION AUTHORIZATION ov_acc_i1;
SELECT oversight.draw_spot_check('2024年11月备案', '2024-11-01', '2024-11-30', 3, '福彩3D 2024305期 719') AS chk \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT cardinality(population) FROM oversight.spot_check WHERE spot_check_id = :chk), 8, 'the population is every filing in scope when drawn');
SET LOCAL SESSION AUTHORIZATION ov_acc_h2;
SELECT oversight.register_matter('PROC.METHOD.NONOPEN', 'CZJ.ZFK', '2024-11-04', '抽查后新增', NULL, false, 'H2') AS late \gset
SELECT oversight.record_filing(:late, '纪检备〔2024〕200号', 'CZJ.JJZ');
RESET SESSION AUTHORIZATION;
SELECT results_eq($$ SELECT same_sample, cardinality(sample) FROM oversight.redraw_spot_check($$ || :chk || $$) $$, $$ VALUES (true, 3) $$,
  'redrawn later from the stored population and seed, the sample is the same (a filing added since changes nothing)');
SELECT is((SELECT sample FROM oversight.spot_check WHERE spot_check_id = :chk),
          (SELECT array_agg(f ORDER BY sha256(convert_to('福彩3D 2024305期 719:' || f, 'UTF8')), f) FROM
             (SELECT f FROM unnest((SELECT population FROM oversight.spot_check WHERE spot_check_id = :chk)) f
               ORDER BY sha256(convert_to('福彩3D 2024305期 719:' || f, 'UTF8')), f LIMIT 3) s),
  'anyone can check the draw: the three filings with the lowest sha256(seed:number)');
SELECT is(oversight.spot_check_sample(ARRAY[5, 1, 3, 2, 4]::bigint[], 's', 2), oversight.spot_check_sample(ARRAY[4, 2, 5, 3, 1]::bigint[], 's', 2),
  'the draw does not depend on the order of the population');
SELECT (sample)[1] AS drawn FROM oversight.spot_check WHERE spot_check_id = :chk \gset
SET LOCAL SESSION AUTHORIZATION ov_acc_i1;
SELECT throws_ok(format('SELECT oversight.record_spot_check(%s, %s, false, %L)', :chk, :drawn, '资料不全'), '22023', NULL, 'a failed check needs an owner and a plan');
SELECT oversight.record_spot_check(:chk, :drawn, false, '备案资料缺少评审意见', 'H2', '补齐评审意见并重新备案') AS chk_rect \gset
RESET SESSION AUTHORIZATION;
SELECT results_eq($$ SELECT origin, unit_code, owner_code FROM oversight.rectification WHERE rectification_id = $$ || :chk_rect,
  $$ VALUES ('spot_check', 'CZJ.ZFK', 'H2') $$, 'a failed spot check orders a rectification of the unit that filed');

-- Three warnings in a month cost 3 points: three unreported matters handled by 胡 in November.
DO $$
DECLARE i integer;
BEGIN
  FOR i IN 1..3 LOOP
    PERFORM oversight.register_matter('PROC.METHOD.NONOPEN', 'CZJ.ZFK', '2024-11-06', '未报告事项 ' || i, NULL, false, 'H3');
  END LOOP;
END $$;
SELECT oversight.set_clock('2024-11-12 18:00+08', true);
SELECT oversight.sweep();
SELECT oversight.refresh_scores();
SELECT results_eq($$ SELECT deductions, score FROM oversight.person_monthly_score WHERE person_code = 'H3' AND month = '2024-11-01' $$,
  $$ VALUES (3.00, 97.00) $$, '胡, November: three warnings make a run, −3');
SELECT results_eq($$ SELECT source_kind, points, step_subject_kind FROM oversight.score_event WHERE scope = 'person' AND subject_code = 'H3' $$,
  $$ VALUES ('warning_run', -3.00, 'obligation') $$, 'traced to the warning that completed the run');
SELECT results_eq($$ SELECT source_kind, points FROM oversight.score_event WHERE scope = 'person' AND subject_code = 'L1' AND month = '2024-11-01' AND case_id IS NOT NULL ORDER BY points $$,
  $$ VALUES ('sanction', -30.00), ('sanction', -22.50) $$, 'sanctions are deducted in the month decided');

-- Democratic evaluation: the lowest option weighs 0.
SELECT throws_ok($$ SELECT oversight.define_evaluation_scheme('bad', '旧测评表', 'old form',
                      '[{"zh": "满意", "en": "satisfied", "weight": 1}, {"zh": "不满意", "en": "dissatisfied", "weight": 0.5}]') $$,
  '22023', NULL, 'a form that weights "dissatisfied" 0.5 is refused');
SELECT throws_ok($$ INSERT INTO oversight.evaluation_scheme VALUES ('bad', 'x', 'x', '{a,b}', '{a,b}', '{1,0.5}') $$, '23514', NULL, 'also when written directly');
SELECT oversight.record_evaluation('satisfaction', 'person', 'H1', '2024', '2024-12-20', ARRAY[0, 0, 25], 2) AS ev \gset
SELECT results_eq($$ SELECT score, valid_ballots, invalid_ballots, distribution -> 2 ->> 'ballots' FROM oversight.evaluation_result WHERE evaluation_id = $$ || :ev,
  $$ VALUES (0.00, 25, 2, '25') $$, 'unanimous "dissatisfied": 0 points, shown with the 25 valid ballots and their distribution');
SELECT oversight.record_evaluation('satisfaction', 'unit', 'CZJ.CGK', '2024', '2024-12-20', ARRAY[10, 5, 5]) AS ev2 \gset
SELECT is((SELECT score FROM oversight.evaluation_result WHERE evaluation_id = :ev2), 65.00, '(10 × 1 + 5 × 0.6 + 5 × 0) / 20 × 100 = 65');
SELECT throws_ok($$ SELECT oversight.record_evaluation('satisfaction', 'person', 'H2', '2024', '2024-12-20', ARRAY[1, 2]) $$, '22023', NULL,
  'one count per option of the form');

-- The personal file.
SELECT oversight.refresh_scores();
SELECT results_eq($$ SELECT matters_handled, obligations_met, obligations_met_late, yellow_cards, red_cards, cases, sanctions, rectifications,
                            evaluation_score, award_eligible
                       FROM oversight.personal_file_summary WHERE person_code = 'H1' AND year = 2024 $$,
  $$ VALUES (1, 1, 1, 0, 0, 1, 1, 1, 0.00, false) $$,
  'the handler''s 2024 file: one matter, the disclosure met and the filing met late, a case and its sanction, the rectification, the evaluation — and no award this year');
SELECT is((SELECT obligations_missed FROM oversight.personal_file_summary WHERE person_code = 'H1' AND year = 2024), 1, 'the report never made is a missed obligation');
SELECT ok((SELECT award_eligible FROM oversight.personal_file_summary WHERE person_code = 'C2' AND year = 2024), 'a chief with no case keeps eligibility');
SELECT isnt_empty($$ SELECT FROM oversight.personal_file WHERE person_code = 'L1' AND entry_kind = 'red_card' $$, 'each entry of the file is there to read');

-- Closing a quarter: a failing unit gets a supervision recommendation and a rectification.
DO $$
DECLARE mon date; dim text;
BEGIN
  FOR mon IN SELECT g::date FROM generate_series('2024-10-01'::date, '2024-12-01'::date, interval '1 month') g LOOP
    FOR dim IN SELECT dimension_code FROM oversight.assessment_dimension WHERE scheme_id = oversight.scheme_in_force('unit', mon) LOOP
      PERFORM oversight.rate_dimension('unit', 'CZJ.ZFK', mon, dim, 40, '季度检查');
    END LOOP;
  END LOOP;
END $$;
INSERT INTO oversight.setting (setting_key, setting_value, changed_reason) VALUES ('assessment.first_month', '2024-10-01', 'formal assessment from Q4 2024');
SELECT oversight.set_clock('2025-01-07 18:00+08', true);
SELECT is((SELECT quarters_closed FROM oversight.sweep()), 0, 'a quarter is not closed before the working days allowed for late records');
SELECT oversight.set_clock('2025-01-09 18:00+08', true);
SELECT cmp_ok((SELECT quarters_closed FROM oversight.sweep()), '>', 0, 'then the sweeper closes it');
SELECT results_eq($$ SELECT months, grade_code, failing FROM oversight.assessment_result WHERE scope = 'unit' AND subject_code = 'CZJ.ZFK' AND period = '2024-Q4' $$,
  $$ VALUES (3::smallint, 'fail', true) $$, 'the enforcement section, rated 40 on every dimension, fails 2024-Q4');
SELECT results_eq($$ SELECT r.owner_code, r.origin, s.period FROM oversight.supervision_recommendation s JOIN oversight.rectification r USING (rectification_id)
                      WHERE s.unit_code = 'CZJ.ZFK' $$,
  $$ VALUES ('C3', 'assessment', '2024-Q4') $$, 'and gets a written recommendation and a rectification owned by its chief');
SELECT is((SELECT quarters_closed FROM oversight.sweep()), 0, 'a quarter is closed once');
SELECT ok((SELECT NOT failing FROM oversight.assessment_result WHERE scope = 'unit' AND subject_code = 'CZJ.CGK' AND period = '2024-Q4'), 'the procurement section passes');

-- What each role may see and do.
SET LOCAL SESSION AUTHORIZATION ov_acc_zfk;
SELECT is((SELECT count(*)::int FROM oversight.accountability_case WHERE unit_code = 'CZJ.CGK'), 0, 'an analyst of another unit sees none of its cases');
SELECT throws_ok($$ SELECT complainant_name FROM oversight.complaint $$, '42501', NULL, 'nor any complainant''s name');
SELECT throws_ok($$ SELECT * FROM oversight.unit_monthly_score $$, '42501', NULL, 'nor the materialized scores of every unit');
SELECT results_eq($$ SELECT DISTINCT unit_code FROM oversight.unit_scores $$, $$ VALUES ('CZJ.ZFK') $$, 'only its own unit''s scores');
SELECT throws_ok($$ SELECT oversight.refresh_scores() $$, '42501', NULL, 'and cannot refresh them');
SELECT throws_ok($$ SELECT oversight.receive_complaint('letter', true, NULL, NULL, 'CZJ.CGK', 'x') $$, '42501', NULL,
  'complaints are recorded by officials and the discipline office, not by analysts');
RESET SESSION AUTHORIZATION;
SET LOCAL SESSION AUTHORIZATION ov_acc_h2;
SELECT results_eq($$ SELECT DISTINCT person_code FROM oversight.personal_files $$, $$ VALUES ('H2') $$, 'an official sees their own power-use file only');
SELECT results_eq($$ SELECT count(*) FILTER (WHERE case_id = $$ || :red_case || $$)::int, count(*) FILTER (WHERE case_id = $$ || :cpl_case || $$)::int
                      FROM oversight.accountability_case $$, $$ VALUES (0, 1) $$,
  'of a unit not granted to them, an official sees the case in which they are a subject, not the others');
SELECT is_empty($$ SELECT FROM oversight.accountability_case c WHERE c.unit_code = 'CZJ.CGK' AND NOT EXISTS
                     (SELECT FROM oversight.case_subject s WHERE s.case_id = c.case_id AND s.person_code = 'H2') $$, 'none other of that unit');
SELECT throws_ok(format('SELECT oversight.open_case_by_hand(%L, %L, %L)', 'CZJ.CGK', '2024-11-01', 'x'), '42501', NULL, 'an official cannot open a case');
SELECT throws_ok(format('SELECT oversight.decide_complaint(%s, false)', :cpl), '42501', NULL, 'nor decide on a complaint');
SELECT throws_ok(format('SELECT oversight.close_complaint(%s, %L, %L, %L)', :cpl, 'unsubstantiated', 'x', 'x'), '42501', NULL, 'nor close one');
SELECT throws_ok(format('SELECT oversight.record_spot_check(%s, %s, true, %L)', :chk, :drawn, 'x'), '42501', NULL, 'nor record a spot check');
SELECT throws_ok($$ SELECT oversight.record_evaluation('satisfaction', 'person', 'H2', '2025', '2025-01-01', ARRAY[9, 0, 0]) $$, '42501', NULL,
  'nor record an evaluation of themselves');
SELECT throws_ok($$ SELECT oversight.close_assessment_quarter_by_hand('2024-10-01') $$, '42501', NULL, 'nor close a quarter');
SELECT throws_ok($$ INSERT INTO oversight.accountability_case (origin, unit_code, act_date, summary, opened_at, opened_by)
                    VALUES ('manual', 'CZJ.ZFK', '2024-01-01', 'x', now(), 'x') $$, '42501', NULL, 'nobody writes cases but through the functions');
SELECT throws_ok($$ SELECT oversight.rate_dimension('person', 'H2', '2024-10-01', 'satisfaction', 100, 'me') $$, '42501', NULL, 'an official cannot rate');
SELECT throws_ok($$ SELECT oversight.draw_spot_check('x', '2024-01-01', '2024-12-31', 1, 'x') $$, '42501', NULL, 'nor draw a spot check');
RESET SESSION AUTHORIZATION;
SELECT isnt_empty($$ SELECT FROM oversight.audit_log WHERE table_name = 'oversight.case_sanction' $$, 'every decision is in the audit trail');

SELECT * FROM finish();
ROLLBACK;
