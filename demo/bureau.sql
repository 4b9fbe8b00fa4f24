-- The demo bureau: a municipal finance bureau (市财政局), its sections and the budget units it pays for,
-- its officials and who answers for what since when. Run by demo/run.sh after CREATE EXTENSION.
\set ON_ERROR_STOP 1
SELECT oversight.set_clock('2025-06-30 17:00+08');
SELECT * FROM oversight.install_default_catalog();

INSERT INTO oversight.org_unit (unit_code, name_zh, name_en, unit_kind, parent_code) VALUES
  ('CZJ', '市财政局', 'Municipal Finance Bureau', 'bureau', NULL),
  ('CZJ.CGK', '政府采购管理科', 'Procurement Management Section', 'section', 'CZJ'),
  ('CZJ.GKK', '国库科', 'Treasury Section', 'section', 'CZJ'),
  ('CZJ.JDJ', '财政监督检查局', 'Fiscal Inspection Office', 'section', 'CZJ'),
  ('CZJ.JJZ', '派驻纪检监察组', 'Discipline Inspection Group', 'discipline_office', 'CZJ'),
  ('CZJ.CGZX', '政府采购中心', 'Government Procurement Centre', 'affiliated_unit', 'CZJ'),
  ('JYJ', '市教育局', 'Education Bureau', 'budget_unit', NULL),
  ('JYJ.YZ', '市第一中学', 'No. 1 Middle School', 'budget_unit', 'JYJ'),
  ('WJW', '市卫生健康委员会', 'Health Commission', 'budget_unit', NULL),
  ('ZJJ', '市住房和城乡建设局', 'Housing and Construction Bureau', 'budget_unit', NULL);

INSERT INTO oversight.person (person_code, full_name) VALUES
  ('E001', '周建国'), ('E002', '吴敏'), ('E003', '郑海涛'), ('E004', '王丽'), ('E005', '冯志强'),
  ('E006', '陈静'), ('E007', '褚明'), ('E008', '卫东'), ('E009', '蒋华'), ('E010', '沈洁');

INSERT INTO oversight.assignment (person_code, unit_code, assignment_role, valid_from, valid_to) VALUES
  ('E001', 'CZJ.CGK', 'leader_in_charge', '2023-01-01', '2025-04-01'),   -- deputy director until the April reshuffle
  ('E002', 'CZJ.CGK', 'leader_in_charge', '2025-04-01', NULL),
  ('E002', 'CZJ.GKK', 'leader_in_charge', '2023-01-01', NULL),
  ('E001', 'CZJ.JDJ', 'leader_in_charge', '2025-04-01', NULL),
  ('E003', 'CZJ.CGK', 'section_chief', '2022-03-01', NULL),
  ('E004', 'CZJ.GKK', 'section_chief', '2021-07-01', NULL),
  ('E005', 'CZJ.JDJ', 'section_chief', '2024-01-01', NULL),
  ('E006', 'CZJ.CGZX', 'unit_head', '2020-01-01', NULL),
  ('E002', 'CZJ.CGZX', 'leader_in_charge', '2023-01-01', NULL),
  ('E007', 'CZJ.GKK', 'handler', '2023-01-01', NULL),
  ('E008', 'CZJ.CGK', 'handler', '2023-01-01', NULL),
  ('E009', 'CZJ.JJZ', 'inspector', '2023-01-01', NULL),
  ('E010', 'CZJ.JDJ', 'handler', '2024-01-01', NULL);

-- Who owns which key node; award confirmation moved to the procurement centre on 2025-05-01.
INSERT INTO oversight.node_owner (node_code, unit_code, valid_from, valid_to)
SELECT k.node_code,
       CASE a.area_code WHEN 'PROCUREMENT' THEN 'CZJ.CGK' WHEN 'ENFORCEMENT' THEN 'CZJ.JDJ' ELSE 'CZJ.GKK' END,
       '2023-01-01', CASE WHEN k.node_code = 'PROC.AWARD.CONFIRM' THEN '2025-05-01'::date END
  FROM oversight.key_node k JOIN oversight.power_item i USING (item_code) JOIN oversight.area a USING (area_code);
INSERT INTO oversight.node_owner (node_code, unit_code, valid_from) VALUES ('PROC.AWARD.CONFIRM', 'CZJ.CGZX', '2025-05-01');

-- A risk re-grading after the reshuffle, with its reason (kept in the history and the audit trail).
SELECT oversight.regrade_node('PROC.ACCEPT.CHECK', ARRAY['weak_rules', 'concentrated_power'],
                              'acceptance of works now signed by a single official');
