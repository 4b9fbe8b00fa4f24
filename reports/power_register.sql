-- Power register (权力清单) with today's responsibility, and the gaps a bureau must close: nodes
-- nobody owns, owners without a leader in charge or a chief.
-- Run: psql -d finance -f reports/power_register.sql   (the date is oversight.today(); set
-- oversight.now to report as of another day: PGOPTIONS='-c oversight.now=2025-06-30T17:00+08').
\pset footer off
\echo '== Power register by area'
SELECT area_code, node_code, node_name_zh, risk_grade, array_to_string(supervision_modes, ', ') AS supervision,
       owner_unit_code, primary_responsible, first_responsible
  FROM oversight.node_register ORDER BY area_code, risk_grade, node_code;

\echo '== Gaps: nodes without an owner or without a responsible person today'
SELECT node_code, node_name_zh,
       CASE WHEN owner_unit_code IS NULL THEN 'no owning unit'
            WHEN primary_responsible IS NULL AND first_responsible IS NULL THEN 'no leader in charge and no chief'
            WHEN primary_responsible IS NULL THEN 'no leader in charge'
            ELSE 'no chief' END AS gap
  FROM oversight.node_register
 WHERE owner_unit_code IS NULL OR primary_responsible IS NULL OR first_responsible IS NULL
 ORDER BY node_code;
