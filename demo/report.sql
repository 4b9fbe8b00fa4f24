-- What the demo prints: the catalog, responsibility on two dates, deadlines in working days, the
-- audit trail. (Rule alerts and load summaries are printed by demo/run.sh as they are produced.)
\pset footer off
\echo '== Power catalog: areas, items, key nodes, grade-1 (high-risk) nodes'
SELECT a.area_code, a.name_zh, a.name_en, count(DISTINCT i.item_code) AS items, count(k.node_code) AS nodes,
       count(k.node_code) FILTER (WHERE k.risk_grade = 1) AS grade1
  FROM oversight.area a JOIN oversight.power_item i USING (area_code) LEFT JOIN oversight.key_node k USING (item_code)
 GROUP BY a.area_code, a.name_zh, a.name_en, a.sort_order ORDER BY a.sort_order;

\echo '== Who answers for award confirmation (PROC.AWARD.CONFIRM), before and after the reorganisation'
SELECT d AS on_date, r.responsibility, r.full_name, r.unit_code, r.assignment_role
  FROM unnest(ARRAY['2025-03-15', '2025-06-30']::date[]) d, oversight.responsible_for('PROC.AWARD.CONFIRM', d) r
 ORDER BY d, r.responsibility DESC;

\echo '== Deadlines in working days (calendar with holidays and moved working weekends)'
SELECT m.matter, m.formed_on, s.supervision_mode, s.due_working_days,
       oversight.add_working_days(m.formed_on, s.due_working_days) AS due_on
  FROM (VALUES ('non-open method approved', '2025-09-26'::date, 'PROC.METHOD.NONOPEN'),
               ('special fund project reviewed', '2026-02-12'::date, 'SPEC.PROJECT.REVIEW')) AS m(matter, formed_on, node_code)
  JOIN oversight.node_supervision s USING (node_code)
 WHERE s.due_working_days IS NOT NULL ORDER BY m.formed_on, s.due_working_days;

\echo '== Audit trail (append-only, hash-chained): last entries and chain check'
SELECT audit_id, recorded_at, actor, action, table_name, object_key, reason
  FROM oversight.audit_log ORDER BY audit_id DESC LIMIT 3;
SELECT * FROM oversight.verify_audit_chain();
