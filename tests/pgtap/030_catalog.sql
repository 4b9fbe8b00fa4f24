-- Power catalog: the default catalog's integrity, risk grading from criteria with re-grading history,
-- and a sixth area (tax refunds) added as data alone.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(16);
SELECT oversight.set_clock('2025-01-01 09:00+08', true);

SELECT results_eq($$ SELECT areas_added, items_added, nodes_added FROM oversight.install_default_catalog() $$,
  $$ VALUES (5, 19, 23) $$, 'the default catalog installs five areas, 19 power items and 23 key nodes');
SELECT results_eq($$ SELECT areas_added + items_added + nodes_added + supervision_modes_added FROM oversight.install_default_catalog() $$,
  $$ VALUES (0) $$, 'installing it again adds nothing');
SELECT set_eq($$ SELECT area_code FROM oversight.area $$,
  ARRAY['PROCUREMENT', 'DEPT_FINANCE', 'FUND_ALLOCATION', 'SPECIAL_FUND', 'ENFORCEMENT'], 'the seed document''s five areas');
SELECT is_empty($$ SELECT node_code FROM oversight.key_node k WHERE NOT EXISTS (SELECT FROM oversight.node_supervision s WHERE s.node_code = k.node_code) $$,
  'every key node has at least one supervision layer');
SELECT is_empty($$ SELECT node_code FROM oversight.key_node WHERE rule_doc_code IS NULL $$,
  'every default key node rests on an implementing rule');
SELECT is_empty($$ SELECT node_code FROM oversight.key_node WHERE risk_grade <> oversight.risk_grade_from_criteria(risk_criteria) $$,
  'every grade is derived from its criteria');
SELECT is((SELECT count(*)::int FROM oversight.risk_grading), 23, 'each node''s initial grading is in the history');

-- Re-grading keeps history and needs a reason.
SELECT throws_ok($$ SELECT oversight.regrade_node('PROC.ACCEPT.CHECK', ARRAY['weak_rules', 'high_frequency', 'large_fund_flow'], '') $$,
  '22023', NULL, 're-grading without a reason is refused');
SELECT oversight.set_clock('2025-04-01 09:00+08', true);
SELECT is(oversight.regrade_node('PROC.ACCEPT.CHECK', ARRAY['weak_rules', 'high_frequency', 'large_fund_flow'], 'acceptance now handled by one person'),
  1::smallint, 're-grading with three criteria gives grade 1');
SELECT results_eq($$ SELECT risk_grade::int, reason FROM oversight.risk_grading WHERE node_code = 'PROC.ACCEPT.CHECK' ORDER BY graded_at $$,
  $$ VALUES (3, 'initial grading'), (1, 'acceptance now handled by one person') $$, 'the old and new grades are both kept, with the reason');
INSERT INTO oversight.setting (setting_key, setting_value, changed_reason) VALUES ('risk.grade1_min_criteria', '4', 'provincial scheme');
SELECT is(oversight.risk_grade_from_criteria(ARRAY['a', 'b', 'c']), 2::smallint, 'the grading cut-offs are settings');

-- A sixth area as data alone.
INSERT INTO oversight.area (area_code, name_zh, name_en, sort_order) VALUES ('TAX_REFUND', '退税返还', 'Tax refunds', 60);
INSERT INTO oversight.power_item (item_code, area_code, name_zh, name_en, power_kind)
  VALUES ('TAX.REFUND', 'TAX_REFUND', '退库审核', 'Review of tax refunds', 'review');
INSERT INTO oversight.key_node (node_code, item_code, name_zh, name_en, risk_criteria, risk_grade, identified_by)
  VALUES ('TAX.REFUND.APPROVE', 'TAX.REFUND', '退库审批', 'Approval of refunds', ARRAY['large_fund_flow', 'concentrated_power'], 3, 'superior_decision');
INSERT INTO oversight.node_supervision (node_code, supervision_mode, due_working_days) VALUES ('TAX.REFUND.APPROVE', 'filing', 5);
SELECT is((SELECT risk_grade::int FROM oversight.key_node WHERE node_code = 'TAX.REFUND.APPROVE'), 2,
  'a node of the new area is graded like any other (the given grade is replaced by the derived one)');
SELECT is((SELECT count(*)::int FROM oversight.area), 6, 'the sixth area is there, added as rows');

SELECT throws_ok($$ INSERT INTO oversight.key_node (node_code, item_code, name_zh, name_en, risk_criteria, risk_grade, identified_by)
  VALUES ('TAX.X', 'TAX.REFUND', 'x', 'x', ARRAY['bribery'], 3, 'self_examination') $$, '23514',
  'new row for relation "key_node" violates check constraint "key_node_risk_criteria_known"', 'an unknown risk criterion is refused by name');
SELECT throws_ok($$ INSERT INTO oversight.node_supervision (node_code, supervision_mode) VALUES ('TAX.REFUND.APPROVE', 'leader_report') $$,
  '23514', NULL, 'a report, filing or disclosure layer needs its deadline');
SELECT throws_ok($$ INSERT INTO oversight.area (area_code, name_zh, name_en) VALUES ('tax refund', 'x', 'x') $$,
  '23514', 'new row for relation "area" violates check constraint "area_code_format"', 'area codes have one shape');

SELECT * FROM finish();
ROLLBACK;
