-- Least privilege around the engine: loaders write records that fire rules without any right on the
-- alert tables (the engine records as the schema owner), nobody else can call the recorder or forge
-- alerts, analysts read alerts of their own units only (row-level security consistent with 0.1.0),
-- inspectors transition alerts, analysts cannot, and only administrators author rules.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(11);
\ir include/city_roles.psql

SET LOCAL ROLE oversight_test_loader;
SELECT lives_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on) VALUES
                   ('P-EDU', 'EDU', 'a', 60000, 'cash', '2025-06-03'), ('P-HEALTH', 'HEALTH', 'b', 70000, 'cash', '2025-06-03') $$,
                'a loader writes payments that fire rules');
SELECT throws_ok($$ SELECT * FROM oversight.alert $$, '42501', NULL, 'the loader cannot read alerts');
SELECT throws_ok($$ SELECT oversight.record_hits(ARRAY[1::bigint], ARRAY['t'], ARRAY['{}'::jsonb], ARRAY[''], ARRAY['EDU'], ARRAY['forged'], ARRAY['伪造'], ARRAY[NULL::jsonb], 'row') $$,
                 '42501', NULL, 'the loader cannot call the recorder');
SELECT throws_ok($$ INSERT INTO oversight.alert (fingerprint, rule_code, rule_version_id, first_rule_version_id, node_code, severity, object_table, object_key, message, first_fired_at, last_fired_at, last_path)
                    VALUES ('x', 'CASH.SINGLE', 1, 1, 'N', 'low', 't', '{}', 'forged', now(), now(), 'row') $$, '42501', NULL, 'the loader cannot forge alerts');
RESET ROLE;
SELECT is((SELECT count(*)::int FROM oversight.alert WHERE rule_code = 'CASH.SINGLE'), 2, 'both payments alerted');

SET LOCAL ROLE oversight_test_edu;
SELECT set_eq($$ SELECT object_key ->> 'payment_code' FROM oversight.alert $$, ARRAY['P-EDU'], 'an analyst sees only the alerts of the units granted');
SELECT set_eq($$ SELECT object_key ->> 'payment_code' FROM oversight.open_alerts $$, ARRAY['P-EDU'], 'the analyst views apply the same scope');
SELECT throws_ok($$ SELECT oversight.acknowledge_alert(1) $$, '42501', NULL, 'analysts cannot transition alerts');
SELECT throws_ok($$ SELECT oversight.create_rule('X.Y', 'cash_single', 'payment', 'DEPT.CASH.WITHDRAW', 'x') $$, '42501', NULL, 'analysts cannot author rules');
RESET ROLE;

SET LOCAL ROLE oversight_test_inspector;
SELECT is((SELECT count(*)::int FROM oversight.alert WHERE rule_code = 'CASH.SINGLE'), 2, 'inspectors see every unit');
SELECT is(oversight.acknowledge_alert((SELECT min(alert_id) FROM oversight.alert)), 'acknowledged', 'inspectors transition alerts');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
