-- Demo, step 2 (after the organisation is loaded): the default power catalog and rule set, who owns
-- which key node, and one risk re-grading with its reason. Run by demo/run.sh.
\set ON_ERROR_STOP 1
\o /dev/null
SELECT * FROM oversight.install_default_catalog();
SELECT * FROM oversight.install_default_rules();

-- Procurement nodes belong to the procurement section, enforcement to the discipline office's
-- inspectors, the rest to the treasury section.
INSERT INTO oversight.node_owner (node_code, unit_code, valid_from)
SELECT k.node_code, CASE a.area_code WHEN 'PROCUREMENT' THEN 'FIN-PROC' WHEN 'ENFORCEMENT' THEN 'FIN-DISC' ELSE 'FIN-TREAS' END, '2022-01-01'
  FROM oversight.key_node k JOIN oversight.power_item i USING (item_code) JOIN oversight.area a USING (area_code);

SELECT oversight.regrade_node('PROC.ACCEPT.CHECK', ARRAY['weak_rules', 'concentrated_power'],
                              'acceptance of IT services now signed by a single official');
\o
