-- The audit trail: corrections of records and catalog changes are recorded with who, when, what and
-- why; the trail refuses UPDATE, DELETE and TRUNCATE; the hash chain exposes tampering.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(11);

SELECT oversight.set_clock('2025-06-30 10:00+08', true);
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) VALUES ('U1', '单位一', 'budget_unit');
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
  VALUES ('PAY-A', 'U1', '供应商甲', 1000, 'transfer', '2025-06-01');
SELECT is((SELECT count(*)::int FROM oversight.audit_log WHERE table_name = 'oversight.payment'), 0,
  'inserts of records are not audited row by row (the load ledger accounts for them)');
SELECT set_config('oversight.reason', 'invoice amount corrected', true);
UPDATE oversight.payment SET amount = 1100 WHERE payment_code = 'PAY-A';
UPDATE oversight.payment SET amount = 1100 WHERE payment_code = 'PAY-A';
SELECT results_eq($$ SELECT action, object_key, (old_row ->> 'amount')::numeric, (new_row ->> 'amount')::numeric, reason, recorded_at
                      FROM oversight.audit_log WHERE table_name = 'oversight.payment' $$,
  $$ VALUES ('update', '{"payment_code": "PAY-A"}'::jsonb, 1000::numeric, 1100::numeric, 'invoice amount corrected', '2025-06-30 10:00+08'::timestamptz) $$,
  'a correction is recorded once, with old and new values, reason and the injected time; a no-op update is not');
SELECT is((SELECT actor FROM oversight.audit_log WHERE table_name = 'oversight.payment'), session_user::text, 'the actor is the session user');
DELETE FROM oversight.payment WHERE payment_code = 'PAY-A';
SELECT is((SELECT count(*)::int FROM oversight.audit_log WHERE table_name = 'oversight.payment' AND action = 'delete'), 1, 'a deletion is recorded');

SELECT throws_ok($$ UPDATE oversight.audit_log SET reason = 'nothing happened' $$, '42501', NULL, 'the trail refuses UPDATE');
SELECT throws_ok($$ DELETE FROM oversight.audit_log $$, '42501', NULL, 'the trail refuses DELETE');
SELECT throws_ok($$ TRUNCATE oversight.audit_log $$, '42501', NULL, 'the trail refuses TRUNCATE');
SELECT results_eq($$ SELECT first_broken_id FROM oversight.verify_audit_chain() $$, $$ VALUES (NULL::bigint) $$, 'the chain verifies');
SELECT ok((SELECT count(*) FROM oversight.audit_log a JOIN oversight.audit_log b ON b.previous_hash = a.entry_hash) =
          (SELECT count(*) - 1 FROM oversight.audit_log), 'each entry links to the one before');

-- A superuser bypassing the triggers to rewrite history is caught by the chain.
ALTER TABLE oversight.audit_log DISABLE TRIGGER audit_log_no_update_delete;
UPDATE oversight.audit_log SET reason = 'typo fixed' WHERE table_name = 'oversight.payment' AND action = 'update';
SELECT is((SELECT problem FROM oversight.verify_audit_chain()), 'entry_hash does not match the entry''s content (the entry was altered)',
  'an altered entry is detected');
UPDATE oversight.audit_log SET reason = 'invoice amount corrected' WHERE table_name = 'oversight.payment' AND action = 'update';
DELETE FROM oversight.audit_log WHERE table_name = 'oversight.payment' AND action = 'update';
SELECT is((SELECT problem FROM oversight.verify_audit_chain()), 'previous_hash does not match the entry before (an entry was removed or altered)',
  'a removed entry is detected');

SELECT * FROM finish();
ROLLBACK;
