-- What the audit trail promises, checked against the catalog: every table that one of the extension's
-- roles may write has an audit trigger for updates and deletes (row by row) and for inserts (row by
-- row, or one entry per statement with the keys); the only exceptions are the load ledger and its
-- quarantine, which are themselves the record of each load. And the entries say who did it.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(6);

CREATE TEMP VIEW written_tables AS
  SELECT DISTINCT c.oid::regclass AS tbl, c.relname
    FROM pg_class c CROSS JOIN pg_roles r
   WHERE c.relnamespace = 'oversight'::regnamespace AND c.relkind = 'r'
     AND r.rolname IN ('oversight_admin', 'oversight_loader', 'oversight_analyst', 'oversight_inspector')
     AND (has_table_privilege(r.oid, c.oid, 'INSERT') OR has_table_privilege(r.oid, c.oid, 'UPDATE') OR has_table_privilege(r.oid, c.oid, 'DELETE'));
-- tgtype bits (pg_trigger.h): 1 row, 2 before, 4 insert, 8 delete, 16 update
CREATE TEMP VIEW audit_triggers AS
  SELECT t.tgrelid AS tbl, t.tgtype::int AS tgtype, t.tgnewtable FROM pg_trigger t
   WHERE NOT t.tgisinternal AND t.tgfoid = 'oversight.audit_row_change()'::regprocedure;

SELECT set_eq($$ SELECT relname::text FROM written_tables w
                  WHERE NOT EXISTS (SELECT FROM audit_triggers a WHERE a.tbl = w.tbl AND a.tgtype & 1 = 1 AND a.tgtype & 16 = 16 AND a.tgtype & 8 = 8) $$,
  ARRAY['load', 'quarantine'], 'every table the roles write audits updates and deletes row by row (but the load ledger and quarantine)');
SELECT set_eq($$ SELECT relname::text FROM written_tables w
                  WHERE NOT EXISTS (SELECT FROM audit_triggers a WHERE a.tbl = w.tbl AND a.tgtype & 4 = 4
                                       AND (a.tgtype & 1 = 1 OR a.tgnewtable IS NOT NULL)) $$,
  ARRAY['load', 'quarantine'], 'and audits inserts, row by row or per statement with the rows inserted');
SELECT is_empty($$ SELECT FROM audit_triggers WHERE tgtype & 2 = 2 $$, 'audit triggers fire after the change (never before it)');

SELECT oversight.set_clock('2025-06-30 10:00+08', true);
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) VALUES ('U1', '单位一', 'budget_unit');
CREATE ROLE oversight_test_admin NOLOGIN IN ROLE oversight_admin;
CREATE ROLE oversight_test_reader NOLOGIN IN ROLE oversight_analyst;
CREATE ROLE oversight_test_loader NOLOGIN IN ROLE oversight_loader;
SET LOCAL ROLE oversight_test_admin;
INSERT INTO oversight.unit_access (role_name, unit_code) VALUES ('oversight_test_reader', 'U1');
RESET ROLE;
SELECT results_eq($$ SELECT action, new_row ->> 'role_name', acting_role FROM oversight.audit_log WHERE table_name = 'oversight.unit_access' $$,
  $$ VALUES ('insert', 'oversight_test_reader', 'oversight_test_admin') $$, 'granting sight of a unit is recorded, with who granted it');
SET LOCAL ROLE oversight_test_loader;
INSERT INTO oversight.party (party_code, name) VALUES ('S1', '供应商一'), ('S2', '供应商二'), ('S3', '供应商三');
UPDATE oversight.party SET name = '供应商二（更名）' WHERE party_code = 'S2';
RESET ROLE;
SELECT results_eq($$ SELECT action, (new_row ->> 'rows')::int, object_key ->> 'party_code', acting_role FROM oversight.audit_log
                     WHERE table_name = 'oversight.party' ORDER BY audit_id $$,
  $$ VALUES ('insert', 3, NULL, 'oversight_test_loader'), ('update', NULL, 'S2', 'oversight_test_loader') $$,
  'a loader''s bulk insert is one entry with its row count; a correction is one entry per row');
SELECT is((SELECT count(*)::int FROM oversight.audit_log WHERE table_name IN ('oversight.alert', 'oversight.alert_event')), 0,
  'the engine''s own alert bookkeeping is not duplicated into the trail');

SELECT * FROM finish();
ROLLBACK;
