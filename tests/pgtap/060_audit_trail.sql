-- The audit trail: inserts (one entry per statement, with the keys), corrections and deletions of
-- records are recorded with who (session user and the role whose privileges were used), when, what
-- and why; the trail and its seals refuse UPDATE, DELETE and TRUNCATE. Sealing, and the detection of
-- edits, removals, truncation and rewriting, need several transactions: tests/server/audit_seal.t.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(12);

SELECT oversight.set_clock('2025-06-30 10:00+08', true);
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) VALUES ('U1', '单位一', 'budget_unit');
CREATE ROLE oversight_test_writer NOLOGIN IN ROLE oversight_loader;
SET LOCAL ROLE oversight_test_writer;
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
  VALUES ('PAY-A', 'U1', '供应商甲', 1000, 'transfer', '2025-06-01'), ('PAY-B', 'U1', '供应商乙', 2000, 'transfer', '2025-06-02');
RESET ROLE;
SELECT results_eq($$ SELECT action, object_key, new_row, actor = session_user, acting_role FROM oversight.audit_log WHERE table_name = 'oversight.payment' $$,
  $$ VALUES ('insert', NULL::jsonb, '{"rows": 2, "key_columns": ["payment_code"], "keys": ["PAY-A", "PAY-B"]}'::jsonb,
             true, 'oversight_test_writer') $$,
  'an INSERT statement is one entry: the number of rows and their keys, the session user and the role whose privileges were used');
SELECT set_config('oversight.reason', 'invoice amount corrected', true);
UPDATE oversight.payment SET amount = 1100 WHERE payment_code = 'PAY-A';
UPDATE oversight.payment SET amount = 1100 WHERE payment_code = 'PAY-A';
SELECT results_eq($$ SELECT action, object_key, (old_row ->> 'amount')::numeric, (new_row ->> 'amount')::numeric, reason, recorded_at
                      FROM oversight.audit_log WHERE table_name = 'oversight.payment' AND action = 'update' $$,
  $$ VALUES ('update', '{"payment_code": "PAY-A"}'::jsonb, 1000::numeric, 1100::numeric, 'invoice amount corrected', '2025-06-30 10:00+08'::timestamptz) $$,
  'a correction is recorded once, with old and new values, reason and the injected time; a no-op update is not');
SELECT is((SELECT acting_role FROM oversight.audit_log WHERE table_name = 'oversight.payment' AND action = 'update'), current_user::text,
  'the acting role is the writer''s role, not the extension''s owner');
DELETE FROM oversight.payment WHERE payment_code = 'PAY-A';
SELECT is((SELECT count(*)::int FROM oversight.audit_log WHERE table_name = 'oversight.payment' AND action = 'delete'), 1, 'a deletion is recorded');
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
  SELECT 'PAY-X', 'U1', 'x', 1, 'cash', '2025-06-03' WHERE false;
SELECT is((SELECT count(*)::int FROM oversight.audit_log WHERE table_name = 'oversight.payment' AND action = 'insert'), 1,
  'an INSERT of no rows writes nothing');
SELECT is((SELECT count(*)::int FROM oversight.audit_log WHERE previous_hash IS NOT NULL OR entry_hash IS NOT NULL), 0,
  'entries are written without a lock or a hash (writers never wait for each other): their seal hashes and chains them');

SELECT throws_ok($$ UPDATE oversight.audit_log SET reason = 'nothing happened' $$, '42501', NULL, 'the trail refuses UPDATE');
SELECT throws_ok($$ DELETE FROM oversight.audit_log $$, '42501', NULL, 'the trail refuses DELETE');
SELECT throws_ok($$ TRUNCATE oversight.audit_log $$, '42501', NULL, 'the trail refuses TRUNCATE');
SELECT throws_ok($$ UPDATE oversight.audit_seal SET sealed_by = 'x' $$, '42501', NULL, 'the seals refuse UPDATE');
SELECT throws_ok($$ TRUNCATE oversight.audit_seal $$, '42501', NULL, 'the seals refuse TRUNCATE');
SELECT results_eq($$ SELECT first_broken_id, pending_entries > 0 FROM oversight.verify_audit_chain() $$, $$ VALUES (NULL::bigint, true) $$,
  'the trail verifies; unsealed entries are reported as pending');

SELECT * FROM finish();
ROLLBACK;
