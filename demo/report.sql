-- Demo, last step: what the analysts and the discipline office see after the loads and the sweep.
\pset footer off
\echo
\echo '== Loads: every row read is loaded, updated, unchanged or quarantined'
SELECT load_id, record_kind, regexp_replace(file_name, '^.*/', '') AS file, file_encoding AS encoding,
       rows_read AS read, rows_loaded AS loaded, rows_updated AS updated, rows_unchanged AS unchanged, rows_quarantined AS quarantined
  FROM oversight.load ORDER BY load_id;

\echo '== Quarantine: why rows were refused (fix them in the reject file and load it again)'
SELECT q.load_id, q.line_no, COALESCE(q.field, '(row)') AS field, q.reason
  FROM oversight.quarantine q ORDER BY q.load_id, q.line_no;

\echo '== Alerts by rule (real time on load, deadlines by the sweeper)'
SELECT a.rule_code, a.severity, k.name_zh AS key_node, count(*) AS alerts, sum(a.repeat_count) AS findings,
       string_agg(DISTINCT a.last_path, ', ') AS raised_by
  FROM oversight.alert a LEFT JOIN oversight.key_node k USING (node_code)
 GROUP BY a.rule_code, a.severity, k.name_zh ORDER BY min(CASE a.severity WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END), a.rule_code;

\echo '== 无法判断 What the rules could not judge: "no alert" is not "cannot tell" (oversight.rule_coverage)'
SELECT rule_code, object_table, status_zh AS 状态, status, records_not_judged AS records, loads_not_judged AS loads, why_zh AS 原因
  FROM oversight.rule_coverage WHERE status <> 'watching'
 ORDER BY object_table, CASE status WHEN 'blind' THEN 1 ELSE 2 END, rule_code;

\echo '== Highest-severity open alerts, with who answered for the key node on the day of the event'
\set limit 12
\ir ../reports/alert_worklist.sql

\echo '== Who answered for procurement approvals before and after the April 2024 reshuffle'
SELECT d AS on_date, r.responsibility, r.full_name, r.unit_code, r.assignment_role
  FROM unnest(ARRAY['2024-03-15', '2024-07-15']::date[]) d, oversight.responsible_for('PROC.METHOD.NONOPEN', d) r
 ORDER BY d, r.responsibility DESC;

\echo '== Deadlines in working days: a filing due 5 working days after 2024-09-27 skips National Day'
SELECT s.node_code, s.supervision_mode, s.due_working_days, oversight.add_working_days('2024-09-27', s.due_working_days) AS due_on
  FROM oversight.node_supervision s WHERE s.node_code = 'PROC.METHOD.NONOPEN' AND s.due_working_days IS NOT NULL
 ORDER BY s.due_working_days;

\echo '== Engine health: faults recorded instead of lost writes'
SELECT count(*) AS engine_faults FROM oversight.engine_fault;
\echo '== 审计轨迹 Audit trail: every change recorded, sealed into a hash chain; the head to keep outside the database'
SELECT seal_no, first_audit_id, last_audit_id, entry_count, pending_entries FROM oversight.seal_audit();
SELECT oversight.audit_head() ->> 'seal_no' AS head_seal_no, left(oversight.audit_head() ->> 'seal_hash', 16) || '…' AS head_seal_hash;
SELECT checked, sealed_entries, pending_entries, coalesce(problem, 'ok') AS problem FROM oversight.verify_audit_chain(oversight.audit_head());
