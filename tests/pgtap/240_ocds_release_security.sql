-- The store of OCDS releases as received (oversight.ocds_release, issue 12): replayed as the unprivileged
-- roles, each check fails if the attack works. Nobody rewrites or removes a received release (the loader
-- appends, the admin reads), an analyst reads only the releases of the processes of its units (the
-- procurement_process policy, through the store's own), a role outside the oversight roles reads nothing,
-- and a release cannot be filed under another process's ocid. The processes' mentions of parties are
-- scoped as the releases.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(13);
\ir include/city_roles.psql
CREATE ROLE oversight_test_release_admin NOLOGIN IN ROLE oversight_admin;
INSERT INTO oversight.procurement_process (ocid, title, buyer_unit_code) VALUES
  ('ocds-edu-1', 'Desks', 'EDU'), ('ocds-health-1', 'Beds', 'HEALTH');
CREATE FUNCTION pg_temp.release_row(p_ocid text, p_doc jsonb) RETURNS text LANGUAGE sql AS $f$
  SELECT pg_catalog.format('(%L, %L, ''release'', %L, %L::jsonb)', p_ocid,
           pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(p_doc::text, 'UTF8')), 'hex'), p_doc ->> 'id', p_doc)
$f$;

SET LOCAL ROLE oversight_test_loader;
SELECT lives_ok('INSERT INTO oversight.ocds_release (ocid, release_hash, release_kind, release_id, document) VALUES '
                || pg_temp.release_row('ocds-edu-1', '{"ocid": "ocds-edu-1", "id": "1", "date": "2024-01-01T00:00:00Z"}') || ', '
                || pg_temp.release_row('ocds-health-1', '{"ocid": "ocds-health-1", "id": "1", "date": "2024-01-01T00:00:00Z"}'),
  'the loader stores releases');
SELECT throws_ok($$ UPDATE oversight.ocds_release SET document = document || '{"tender": {"title": "forged"}}' $$,
  '42501', NULL, 'the loader cannot rewrite a received release');
SELECT throws_ok($$ DELETE FROM oversight.ocds_release $$, '42501', NULL, 'the loader cannot remove a received release');
SELECT throws_ok($$ TRUNCATE oversight.ocds_release $$, '42501', NULL, 'nor empty the store');
SELECT throws_ok('INSERT INTO oversight.ocds_release (ocid, release_hash, release_kind, release_id, document) VALUES '
                 || pg_temp.release_row('ocds-edu-1', '{"ocid": "ocds-health-1", "id": "2", "tender": {"title": "planted"}}'),
  '23514', NULL, 'a release cannot be filed under another process''s ocid');
INSERT INTO oversight.ocds_party_mention (party_code, ocid, name) VALUES ('S1', 'ocds-edu-1', 'Desk Co'), ('S1', 'ocds-health-1', 'Bed Co');
RESET ROLE;

SET LOCAL ROLE oversight_test_release_admin;
SELECT throws_ok($$ DELETE FROM oversight.ocds_release $$, '42501', NULL, 'an administrator cannot remove a received release either');
SELECT is((SELECT pg_catalog.count(*) FROM oversight.ocds_release), 2::bigint, 'the administrator reads every release');
RESET ROLE;

SET LOCAL ROLE oversight_test_edu;
SELECT set_eq($$ SELECT ocid FROM oversight.ocds_release $$, ARRAY['ocds-edu-1'],
  'an analyst granted EDU reads the releases of EDU''s processes only');
SELECT set_eq($$ SELECT ocid || ' ' || name FROM oversight.ocds_party_mention $$, ARRAY['ocds-edu-1 Desk Co'],
  'and only those processes'' mentions of a party (that S1 also bid elsewhere stays hidden)');
SELECT throws_ok('INSERT INTO oversight.ocds_release (ocid, release_hash, release_kind, release_id, document) VALUES '
                 || pg_temp.release_row('ocds-edu-1', '{"ocid": "ocds-edu-1", "id": "3"}'),
  '42501', NULL, 'analysts cannot store releases');
RESET ROLE;

SET LOCAL ROLE oversight_test_outsider;
SELECT throws_ok($$ SELECT * FROM oversight.ocds_release $$, '42501', NULL, 'a role outside the oversight roles reads nothing');
RESET ROLE;

-- The loader may delete what a compilation no longer names, but never a payment's contract out from under it:
-- that is the loader's own rule (NOT EXISTS); here, only that the deletions it may make are audited.
SET LOCAL ROLE oversight_test_loader;
INSERT INTO oversight.bid (ocid, bid_id, source_document) VALUES ('ocds-edu-1', 'b1', '{"id": "b1"}');
DELETE FROM oversight.bid WHERE ocid = 'ocds-edu-1' AND bid_id = 'b1';
RESET ROLE;
SELECT is((SELECT pg_catalog.count(*) FROM oversight.audit_log WHERE table_name = 'oversight.bid' AND action = 'delete'
            AND old_row ->> 'bid_id' = 'b1' AND acting_role = 'oversight_test_loader'), 1::bigint,
  'a bid the loader deletes is in the audit trail, with who deleted it');
SELECT is((SELECT pg_catalog.count(*) FROM oversight.audit_log WHERE table_name = 'oversight.ocds_release' AND action = 'insert'), 1::bigint,
  'storing releases is in the audit trail');

SELECT * FROM finish();
ROLLBACK;
