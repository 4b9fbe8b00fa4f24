-- Alert lifecycle: one alert per fingerprint with a repeat counter, recurrence reopens instead of
-- duplicating, the explicit status set with mandatory reasons, every step in alert_event and the audit
-- chain, snoozes (muted, evaluation continues), waivers (requester ≠ approver, expiry back to review),
-- the documented NOTIFY payload, and the analyst views.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(40);
SELECT oversight.set_clock('2025-06-30 10:00+08', true);
SELECT oversight.install_default_catalog();
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) VALUES ('U1', '单位一', 'budget_unit');
SELECT oversight.define_rule('T.CASH', 'cash_single', 'payment', 'DEPT.CASH.WITHDRAW', 'cash', '{"limit": 1000}', 'medium');
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on) VALUES ('P1', 'U1', 'A', 5000, 'cash', '2025-06-03');
CREATE TEMP TABLE a1 AS SELECT alert_id FROM oversight.alert WHERE object_key = '{"payment_code": "P1"}';

SELECT is((SELECT count(*)::int FROM a1), 1, 'one alert');
-- "Alerts of one object" is an index lookup on the key (the hash index alert_object), whatever the table's size.
CREATE FUNCTION pg_temp.plan_lines(p_query text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || p_query; END $$;
SET LOCAL enable_seqscan = off;
SELECT ok((SELECT string_agg(line, ' ') FROM pg_temp.plan_lines($$SELECT alert_id FROM oversight.alert WHERE object_key = '{"payment_code": "P1"}'$$) AS line)
          ~ 'Index Scan using alert_object|Bitmap Index Scan on alert_object', 'alerts of one object are found through the index alert_object');
RESET enable_seqscan;
-- Fingerprints (md5 in hex) compare byte by byte, not through a zh-CN collation, on every probe.
SELECT set_eq($$SELECT c.relname::text || '.' || a.attname || ' ' || coll.collname::text FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                 JOIN pg_collation coll ON coll.oid = a.attcollation
                WHERE c.relnamespace = 'oversight'::regnamespace AND c.relkind = 'r' AND a.attname = 'fingerprint'$$,
              ARRAY['alert.fingerprint C', 'matter.fingerprint C'], 'fingerprint columns have collation "C"');
SELECT is((SELECT status FROM oversight.alert WHERE alert_id = (SELECT alert_id FROM a1)), 'open', 'it is open');
SELECT is((SELECT fingerprint FROM oversight.alert WHERE alert_id = (SELECT alert_id FROM a1)),
          md5('T.CASH|oversight.payment|{"payment_code": "P1"}|'), 'fingerprint = md5(rule | object table | object key | period)');
UPDATE oversight.payment SET purpose = 'x' WHERE payment_code = 'P1';
SELECT is((SELECT repeat_count FROM oversight.alert WHERE alert_id = (SELECT alert_id FROM a1)), 2, 'a recurrence increments the repeat counter');
SELECT is((SELECT count(*)::int FROM oversight.alert WHERE rule_code = 'T.CASH'), 1, '... instead of duplicating');

-- Transitions.
SELECT throws_ok(format('SELECT oversight.close_alert(%s)', (SELECT alert_id FROM a1)), '55000', NULL, 'open → closed is not permitted');
SELECT throws_ok(format('SELECT oversight.justify_alert(%s, %L)', (SELECT alert_id FROM a1), ' '), '22023', NULL, 'justified needs a reason');
SELECT throws_ok(format('SELECT oversight.mark_false_positive(%s, NULL)', (SELECT alert_id FROM a1)), '22023', NULL, 'false_positive needs a reason');
SELECT is(oversight.acknowledge_alert((SELECT alert_id FROM a1)), 'acknowledged', 'open → acknowledged');
SELECT is(oversight.correct_alert((SELECT alert_id FROM a1), 'refund requested from the payee'), 'corrected', 'acknowledged → corrected');
SELECT is(oversight.close_alert((SELECT alert_id FROM a1), 'refund received'), 'closed', 'corrected → closed');
SELECT throws_ok(format('SELECT oversight.transition_alert(%s, %L, %L)', (SELECT alert_id FROM a1), 'bogus', 'x'), '55000', NULL, 'unknown status refused');

-- Recurrence reopens a closed alert (system transition, audited).
SELECT oversight.set_clock('2025-07-01 09:00+08', true);
UPDATE oversight.payment SET purpose = 'y' WHERE payment_code = 'P1';
SELECT is((SELECT status || '/' || repeat_count || '/' || status_changed_by FROM oversight.alert WHERE alert_id = (SELECT alert_id FROM a1)), 'open/3/system',
          'a recurrence reopens the closed alert');
SELECT is((SELECT array_agg(event || ':' || coalesce(from_status, '-') || '>' || coalesce(to_status, '') ORDER BY event_id) FROM oversight.alert_event WHERE alert_id = (SELECT alert_id FROM a1)),
          ARRAY['opened:->open', 'transition:open>acknowledged', 'transition:acknowledged>corrected', 'transition:corrected>closed', 'reopened:closed>open'],
          'every step is an alert_event, with the status it left');
SELECT is((SELECT count(*)::int FROM oversight.audit_log WHERE table_name = 'oversight.alert' AND action = 'transition'
            AND object_key = jsonb_build_object('alert_id', (SELECT alert_id FROM a1))), 4, 'transitions and the reopening are in the audit chain');
SELECT is((SELECT checked > 0 AND first_broken_id IS NULL FROM oversight.verify_audit_chain()), true, 'the audit chain verifies');
SELECT is((SELECT actor || '@' || event_at FROM oversight.alert_event WHERE alert_id = (SELECT alert_id FROM a1) AND event = 'reopened'),
          session_user || '@' || '2025-07-01 09:00:00+08'::timestamptz, 'events record actor and oversight.now()');

-- justified and false_positive are not reopened by recurrence (accepted matters); the counter still grows.
SELECT oversight.justify_alert((SELECT alert_id FROM a1), 'emergency cash payment authorised by the bureau meeting');
UPDATE oversight.payment SET purpose = 'z' WHERE payment_code = 'P1';
SELECT is((SELECT status || '/' || repeat_count FROM oversight.alert WHERE alert_id = (SELECT alert_id FROM a1)), 'justified/4', 'a justified alert stays justified on recurrence');

-- Snooze: muted, evaluation continues.
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on) VALUES ('P2', 'U1', 'B', 5000, 'cash', '2025-06-03');
CREATE TEMP TABLE a2 AS SELECT alert_id FROM oversight.alert WHERE object_key = '{"payment_code": "P2"}';
SELECT throws_ok(format('SELECT oversight.snooze_alert(%s, %L, %L)', (SELECT alert_id FROM a2), '2025-06-01', 'x'), '22023', NULL, 'a snooze must end in the future');
SELECT oversight.snooze_alert((SELECT alert_id FROM a2), '2025-07-08 00:00+08', 'under review with the unit');
UPDATE oversight.payment SET purpose = 'again' WHERE payment_code = 'P2';
SELECT is((SELECT repeat_count || '/' || muted_count FROM oversight.alert WHERE alert_id = (SELECT alert_id FROM a2)), '2/1',
          'while snoozed, findings are counted and recorded as muted');
SELECT is((SELECT muted FROM oversight.record_hits(ARRAY[(SELECT rule_version_id FROM oversight.rule_version WHERE rule_code = 'T.CASH')], ARRAY['oversight.payment'],
                                                   ARRAY['{"payment_code": "P2"}'::jsonb], ARRAY[''], ARRAY['U1'], ARRAY['m'], ARRAY['m'], ARRAY[NULL::jsonb], 'row')), 1,
          'the recorder reports the finding muted (no notification)');
SELECT oversight.sweep('2025-07-09 00:00+08');
SELECT is((SELECT snoozed_until FROM oversight.alert WHERE alert_id = (SELECT alert_id FROM a2)), NULL, 'the sweeper ends expired snoozes');

-- Waivers: requester ≠ approver; expiry sends the alert back to review.
CREATE ROLE oversight_test_insp1 NOLOGIN IN ROLE oversight_inspector;
CREATE ROLE oversight_test_insp2 NOLOGIN IN ROLE oversight_inspector;
GRANT USAGE ON SCHEMA tap TO oversight_test_insp1, oversight_test_insp2;
SELECT oversight.acknowledge_alert((SELECT alert_id FROM a2));
SELECT alert_id AS a2 FROM a2 \gset
SET SESSION AUTHORIZATION oversight_test_insp1;
SELECT oversight.request_waiver(:a2, 'recurring petty-cash exception agreed with the treasury', '2025-07-31 00:00+08') AS w \gset
SELECT set_config('oversight_test.waiver', :'w', true);
DO $$ BEGIN
  PERFORM oversight.decide_waiver(current_setting('oversight_test.waiver')::bigint, 'approved');
  PERFORM set_config('oversight_test.outcome', 'approved', true);
EXCEPTION WHEN OTHERS THEN PERFORM set_config('oversight_test.outcome', SQLSTATE, true);
END $$;
RESET SESSION AUTHORIZATION;
SELECT is(current_setting('oversight_test.outcome'), '42501', 'the requester cannot approve the waiver');
SELECT throws_ok(format('UPDATE oversight.waiver SET status = %L, decided_by = requested_by WHERE waiver_id = %s', 'approved', :w), '23514', NULL,
                 'requester ≠ approver is also a table constraint');
SET SESSION AUTHORIZATION oversight_test_insp2;
DO $$ BEGIN PERFORM oversight.decide_waiver(current_setting('oversight_test.waiver')::bigint, 'approved', 'agreed'); END $$;
RESET SESSION AUTHORIZATION;
SELECT is((SELECT status || '/' || decided_by FROM oversight.waiver WHERE waiver_id = :w), 'approved/oversight_test_insp2', 'another inspector approves');
UPDATE oversight.payment SET purpose = 'waived' WHERE payment_code = 'P2';
SELECT is((SELECT muted_count FROM oversight.alert WHERE alert_id = (SELECT alert_id FROM a2)), 3, 'a waived alert''s findings are muted');
SELECT is((SELECT is_waived FROM oversight.open_alerts WHERE alert_id = (SELECT alert_id FROM a2)), true, 'open_alerts shows the waiver');
SELECT is((SELECT waivers_expired FROM oversight.sweep('2025-08-01 00:00+08')), 1, 'the sweeper expires the waiver');
SELECT is((SELECT status FROM oversight.alert WHERE alert_id = (SELECT alert_id FROM a2)), 'open', 'the expired waiver sends the alert back to review');

-- NOTIFY payload (channel oversight_alerts): the documented keys.
SELECT is((SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(oversight.alert_payload(1, 'R', 2, 10, 'high', 'open', 'oversight.payment',
             '{"payment_code": "P"}', '', 'U1', 'fp', 3, 'msg', '2025-06-30 10:00+08', 'row', 'N', false, 'title', 'zh')) k),
          ARRAY['alert_id', 'blocking', 'fingerprint', 'fired_at', 'language', 'message', 'node_code', 'object_key', 'object_table', 'path', 'period',
                'repeat_count', 'rule_code', 'rule_title', 'rule_version', 'rule_version_id', 'severity', 'status', 'unit_code'],
          'the payload carries the documented keys');
SELECT is(jsonb_typeof(oversight.alert_payload(1, 'R', 2, 10, 'high', 'open', 't', '{"k": 1}', '', NULL, 'fp', 3, 'msg', now(), 'row', 'N', false, 'title', 'zh') -> 'object_key'),
          'object', 'object_key is a JSON object');

SELECT ok(pg_get_functiondef('oversight.record_hits(bigint[], text[], jsonb[], text[], text[], text[], text[], jsonb[], text, bigint)'::regprocedure)
            ~ $re$pg_notify\('oversight_alerts', '\{"alert_id": ' \|\| c.alert_id \|\| '\}'\)$re$,
          'the recorder''s notification carries the alert number only (LISTEN needs no privilege)');
SELECT is((SELECT notice FROM oversight.alert_notices(ARRAY[(SELECT alert_id FROM a2)])),
          (SELECT oversight.alert_payload(a.alert_id, a.rule_code, v.version, a.rule_version_id, a.severity, a.status, a.object_table, a.object_key,
                                          a.period, a.unit_code, a.fingerprint, a.repeat_count, a.message_zh, a.last_fired_at, a.last_path, a.node_code, a.blocking,
                                          COALESCE(r.title_zh, r.title), 'zh')
             FROM oversight.alert a JOIN oversight.rule_version v USING (rule_version_id) JOIN oversight.rule r ON r.rule_code = a.rule_code
            WHERE a.alert_id = (SELECT alert_id FROM a2)),
          'a listener reads the documented payload of the alert behind a notification (its message in the session''s language: Chinese by default)');
-- Noise statistics.
SELECT oversight.mark_false_positive((SELECT alert_id FROM a2), 'petty cash float, not a withdrawal');
SELECT is((SELECT alerts || '/' || false_positives || '/' || justified || '/' || false_positive_rate FROM oversight.rule_noise WHERE rule_code = 'T.CASH'),
          '2/1/1/0.500', 'rule_noise counts alerts by status and the false-positive rate');
SELECT is((SELECT count(*)::int FROM oversight.open_alerts), 0, 'nothing left open');

-- What the recorder counts: a recurrence of a corrected alert reopens it (not a new alert), and one of an
-- open alert is only a hit; a new finding is opened.
SELECT rule_version_id AS cash_rv FROM oversight.rule_version WHERE rule_code = 'T.CASH' ORDER BY version DESC LIMIT 1 \gset
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on) VALUES ('P7', 'U1', 'C', 5000, 'cash', '2025-06-03');
SELECT oversight.acknowledge_alert((SELECT alert_id FROM oversight.alert WHERE object_key = '{"payment_code": "P7"}'));
SELECT oversight.correct_alert((SELECT alert_id FROM oversight.alert WHERE object_key = '{"payment_code": "P7"}'), 'the cash is being returned');
SELECT is((SELECT hits || '/' || opened || '/' || reopened || '/' || notified
             FROM oversight.record_hits(ARRAY[:cash_rv], ARRAY['oversight.payment'], ARRAY['{"payment_code": "P7"}'::jsonb], ARRAY[''], ARRAY['U1'],
                                        ARRAY['m'], ARRAY['m'], ARRAY[NULL::jsonb], 'row')),
          '1/0/1/1', 'a recurrence of a corrected alert: one hit, reopened, notified');
SELECT is((SELECT event || ':' || from_status || '>' || to_status FROM oversight.alert_event
            WHERE alert_id = (SELECT alert_id FROM oversight.alert WHERE object_key = '{"payment_code": "P7"}') ORDER BY event_id DESC LIMIT 1),
          'reopened:corrected>open', '... with the status it left');
SELECT is((SELECT hits || '/' || opened || '/' || reopened || '/' || notified
             FROM oversight.record_hits(ARRAY[:cash_rv, :cash_rv], ARRAY['oversight.payment', 'oversight.payment'],
                                        ARRAY['{"payment_code": "P7"}'::jsonb, '{"payment_code": "P9"}'::jsonb], ARRAY['', ''], ARRAY['U1', 'U1'],
                                        ARRAY['m', 'm'], ARRAY['m', 'm'], ARRAY[NULL::jsonb, NULL], 'row')),
          '2/1/0/2', 'an open alert recurring and a new finding: two hits, one opened');

SELECT * FROM finish();
ROLLBACK;
