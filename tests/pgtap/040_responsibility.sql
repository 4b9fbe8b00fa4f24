-- Organisation and responsibility: who is primary (leader in charge) and first (section chief)
-- responsible for a key node on a date, across reassignments and a reorganisation that moves the node.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(13);

SELECT oversight.install_default_catalog();
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind, parent_code) VALUES
  ('BUREAU', '市财政局', 'bureau', NULL),
  ('PROC_SEC', '政府采购管理科', 'section', 'BUREAU'),
  ('TREASURY_SEC', '国库科', 'section', 'BUREAU'),
  ('PROC_CENTER', '政府采购中心', 'affiliated_unit', 'BUREAU');
INSERT INTO oversight.person (person_code, full_name) VALUES
  ('L1', '王副局长'), ('L2', '李副局长'), ('C1', '张科长'), ('C2', '赵科长'), ('C3', '陈主任');
INSERT INTO oversight.assignment (person_code, unit_code, assignment_role, valid_from, valid_to) VALUES
  ('L1', 'PROC_SEC', 'leader_in_charge', '2024-01-01', '2025-03-01'),
  ('L2', 'PROC_SEC', 'leader_in_charge', '2025-03-01', NULL),
  ('C1', 'PROC_SEC', 'section_chief', '2024-01-01', '2025-07-01'),
  ('C2', 'PROC_SEC', 'section_chief', '2025-07-01', NULL),
  ('L2', 'PROC_CENTER', 'leader_in_charge', '2024-01-01', NULL),
  ('C3', 'PROC_CENTER', 'unit_head', '2024-01-01', NULL);
-- The node moves from the section to the procurement centre on 2025-09-01 (reorganisation).
INSERT INTO oversight.node_owner (node_code, unit_code, valid_from, valid_to) VALUES
  ('PROC.AWARD.CONFIRM', 'PROC_SEC', '2024-01-01', '2025-09-01'),
  ('PROC.AWARD.CONFIRM', 'PROC_CENTER', '2025-09-01', NULL);

SELECT results_eq($$ SELECT responsibility, person_code FROM oversight.responsible_for('PROC.AWARD.CONFIRM', '2024-06-01') $$,
  $$ VALUES ('primary', 'L1'), ('first', 'C1') $$, 'mid-2024: the first leader and chief');
SELECT results_eq($$ SELECT responsibility, person_code FROM oversight.responsible_for('PROC.AWARD.CONFIRM', '2025-02-28') $$,
  $$ VALUES ('primary', 'L1'), ('first', 'C1') $$, 'the last day of the first leader''s term');
SELECT results_eq($$ SELECT responsibility, person_code FROM oversight.responsible_for('PROC.AWARD.CONFIRM', '2025-03-01') $$,
  $$ VALUES ('primary', 'L2'), ('first', 'C1') $$, 'the new leader from the first day of the term (valid_to is exclusive)');
SELECT results_eq($$ SELECT responsibility, person_code FROM oversight.responsible_for('PROC.AWARD.CONFIRM', '2025-08-31') $$,
  $$ VALUES ('primary', 'L2'), ('first', 'C2') $$, 'after the chief changed');
SELECT results_eq($$ SELECT responsibility, person_code, unit_code, assignment_role FROM oversight.responsible_for('PROC.AWARD.CONFIRM', '2025-09-01') $$,
  $$ VALUES ('primary', 'L2', 'PROC_CENTER', 'leader_in_charge'), ('first', 'C3', 'PROC_CENTER', 'unit_head') $$,
  'after the reorganisation the centre''s head is first responsible');
SELECT is_empty($$ SELECT * FROM oversight.responsible_for('PROC.AWARD.CONFIRM', '2023-12-31') $$,
  'before anyone owned the node nobody is responsible (a gap, not a guess)');
SELECT throws_ok($$ SELECT * FROM oversight.responsible_for('NO.SUCH.NODE', '2025-01-01') $$, '22023', 'unknown key node "NO.SUCH.NODE"',
  'an unknown node is an error');

SELECT throws_ok($$ INSERT INTO oversight.assignment (person_code, unit_code, assignment_role, valid_from) VALUES ('C3', 'PROC_SEC', 'section_chief', '2025-10-01') $$,
  '23P01', NULL, 'a second chief overlapping the current one is refused');
SELECT throws_ok($$ INSERT INTO oversight.assignment (person_code, unit_code, assignment_role, valid_from) VALUES ('C1', 'PROC_CENTER', 'section_chief', '2024-05-01') $$,
  '23P01', NULL, 'section_chief and unit_head count as the same chief seat');
SELECT lives_ok($$ INSERT INTO oversight.assignment (person_code, unit_code, assignment_role, valid_from) VALUES ('C1', 'PROC_SEC', 'handler', '2025-07-01') $$,
  'handlers are not exclusive');
SELECT lives_ok($$ INSERT INTO oversight.assignment (person_code, unit_code, assignment_role, valid_from, valid_to) VALUES ('C2', 'PROC_SEC', 'section_chief', '2025-07-01', '2026-01-01')
                   ON CONFLICT (person_code, unit_code, assignment_role, valid_from) DO UPDATE SET valid_to = EXCLUDED.valid_to $$,
  'an upsert re-stating an assignment (to close it) does not clash with itself');
SELECT throws_ok($$ INSERT INTO oversight.node_owner (node_code, unit_code, valid_from) VALUES ('PROC.AWARD.CONFIRM', 'TREASURY_SEC', '2025-10-01') $$,
  '23P01', NULL, 'a node has one owner on any day');
SELECT throws_ok($$ UPDATE oversight.org_unit SET parent_code = 'PROC_CENTER' WHERE unit_code = 'BUREAU' $$,
  '23514', 'org unit BUREAU: parent PROC_CENTER would make the unit tree a cycle', 'the unit tree stays a tree');

SELECT * FROM finish();
ROLLBACK;
