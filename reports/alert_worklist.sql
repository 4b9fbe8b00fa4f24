-- Alert work list for the discipline office (纪检监察): open alerts by severity, each with the date of
-- the event behind it (payment date, tender start; the firing date otherwise) and the people primary
-- and first responsible for the key node on that date — who answers for it (责任追究).
-- Run: psql -d finance -v limit=50 -f reports/alert_worklist.sql   (default: 50 rows)
\if :{?limit}
\else
\set limit 50
\endif
SELECT a.alert_id, a.severity, a.rule_code, a.object_key ->> (SELECT min(k) FROM jsonb_object_keys(a.object_key) k) AS object,
       e.event_on, left(a.message, 60) AS finding,
       (SELECT string_agg(r.full_name || ' (' || r.responsibility || ')', ', ' ORDER BY r.responsibility DESC)
          FROM oversight.responsible_for(a.node_code, e.event_on) r) AS responsible
  FROM oversight.open_alerts a
  CROSS JOIN LATERAL (SELECT COALESCE(
           (SELECT p.paid_on FROM oversight.payment p
             WHERE a.object_table = 'oversight.payment' AND p.payment_code = a.object_key ->> 'payment_code'),
           (SELECT (t.tender_period_start AT TIME ZONE oversight.setting_value('timezone'))::date FROM oversight.procurement_process t
             WHERE a.object_table IN ('oversight.procurement_process', 'oversight.bid') AND t.ocid = a.object_key ->> 'ocid'),
           (a.first_fired_at AT TIME ZONE oversight.setting_value('timezone'))::date) AS event_on) e
 ORDER BY CASE a.severity WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, a.rule_code, a.alert_id
 LIMIT :limit;
