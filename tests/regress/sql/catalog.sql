-- The shipped default catalog: five areas from the seed document, their items, nodes, grades and
-- supervision layers, as a reviewer reads them.
SELECT * FROM oversight.install_default_catalog();
SELECT a.area_code, a.name_zh, count(DISTINCT i.item_code) AS items, count(k.node_code) AS nodes,
       count(k.node_code) FILTER (WHERE k.risk_grade = 1) AS grade1_nodes
  FROM oversight.area a
  JOIN oversight.power_item i USING (area_code)
  LEFT JOIN oversight.key_node k USING (item_code)
 GROUP BY a.area_code, a.name_zh, a.sort_order ORDER BY a.sort_order;
SELECT k.node_code, k.risk_grade, cardinality(k.risk_criteria) AS criteria, k.identified_by,
       string_agg(s.supervision_mode || COALESCE('(' || s.due_working_days || ')', ''), ', ' ORDER BY s.supervision_mode) AS supervision
  FROM oversight.key_node k LEFT JOIN oversight.node_supervision s USING (node_code)
 GROUP BY k.node_code, k.risk_grade, k.risk_criteria, k.identified_by ORDER BY k.node_code;
-- A second call adds nothing and keeps the bureau's edits.
UPDATE oversight.area SET name_en = 'Public procurement' WHERE area_code = 'PROCUREMENT';
SELECT * FROM oversight.install_default_catalog();
SELECT name_en FROM oversight.area WHERE area_code = 'PROCUREMENT';
