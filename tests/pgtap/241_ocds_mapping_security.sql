-- The mapped OCDS details and the mapping notes (sql/src/ocds_mapping.sql, issue 12 item 3), attacked as
-- the unprivileged roles: each check fails if the attack works. The loader writes them; an analyst reads
-- only the rows of the processes of its units and writes nothing; an inspector reads and writes nothing
-- it is not granted; a role outside the oversight roles reads nothing; the loader's writes are audited.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(12);
\ir include/city_roles.psql
INSERT INTO oversight.procurement_process (ocid, title, buyer_unit_code) VALUES
  ('ocds-edu-1', 'Desks', 'EDU'), ('ocds-health-1', 'Beds', 'HEALTH');
INSERT INTO oversight.party (party_code, name) VALUES ('S1', 'Desk Co');
INSERT INTO oversight.contract (contract_code, ocid) VALUES ('ocds-edu-1/c1', 'ocds-edu-1'), ('ocds-health-1/c1', 'ocds-health-1');

-- One row of each table for each process, as the loader writes them; read through a view with the reader's own rights.
CREATE TEMP VIEW mapped_rows WITH (security_invoker = true) AS
  SELECT 'detail ' || ocid AS r FROM oversight.ocds_process_detail UNION ALL
  SELECT 'tenderer ' || ocid FROM oversight.ocds_tenderer UNION ALL
  SELECT 'item ' || ocid FROM oversight.ocds_item UNION ALL
  SELECT 'amendment ' || ocid FROM oversight.ocds_amendment UNION ALL
  SELECT 'transaction ' || ocid FROM oversight.ocds_transaction UNION ALL
  SELECT 'related ' || ocid FROM oversight.ocds_related_process UNION ALL
  SELECT 'note ' || ocid FROM oversight.ocds_mapping_note;
GRANT SELECT ON mapped_rows TO oversight_test_loader, oversight_test_edu, oversight_test_inspector, oversight_test_outsider;

SET LOCAL ROLE oversight_test_loader;
SELECT lives_ok($$
  INSERT INTO oversight.ocds_process_detail (ocid, budget_amount, budget_currency) VALUES ('ocds-edu-1', 100, 'CNY'), ('ocds-health-1', 200, 'CNY');
  INSERT INTO oversight.ocds_tenderer (ocid, party_code) VALUES ('ocds-edu-1', 'S1'), ('ocds-health-1', 'S1');
  INSERT INTO oversight.ocds_item (ocid, scope, parent_id, item_id, quantity) VALUES ('ocds-edu-1', 'tender', '', '1', 3), ('ocds-health-1', 'tender', '', '1', 4);
  INSERT INTO oversight.ocds_amendment (ocid, scope, parent_id, position, rationale) VALUES ('ocds-edu-1', 'tender', '', 1, 'x'), ('ocds-health-1', 'tender', '', 1, 'y');
  INSERT INTO oversight.ocds_transaction (contract_code, transaction_id, ocid, amount, currency) VALUES ('ocds-edu-1/c1', 't1', 'ocds-edu-1', 5, 'CNY'), ('ocds-health-1/c1', 't1', 'ocds-health-1', 6, 'CNY');
  INSERT INTO oversight.ocds_related_process (ocid, scope, parent_id, position, identifier) VALUES ('ocds-edu-1', 'process', '', 1, 'ocds-fw'), ('ocds-health-1', 'process', '', 1, 'ocds-fw');
  INSERT INTO oversight.ocds_mapping_note (ocid, path, reason_code, reason, reason_zh) VALUES
    ('ocds-edu-1', 'tender.value.amount', 'zero_amount', 'an amount of 0', '金额为 0'), ('ocds-health-1', 'awards[0]', 'missing_id', 'no id', '缺少 id') $$,
  'the loader writes the mapped details and the notes');
SELECT lives_ok($$ DELETE FROM oversight.ocds_item WHERE ocid = 'ocds-edu-1' AND item_id = '1';
                   INSERT INTO oversight.ocds_item (ocid, scope, parent_id, item_id, quantity) VALUES ('ocds-edu-1', 'tender', '', '1', 3) $$,
  'and replaces a compiled process''s rows');
SELECT throws_ok($$ INSERT INTO oversight.ocds_mapping_note (ocid, path, reason_code, reason, reason_zh) VALUES ('ocds-edu-1', 'x', 'looks fine', 'a', '甲') $$,
  '23514', NULL, 'a note has one of the known reasons');
SELECT throws_ok($$ INSERT INTO oversight.ocds_item (ocid, scope, parent_id, item_id) VALUES ('ocds-edu-1', 'award', '', '9') $$,
  '23514', NULL, 'an award''s item names its award');
RESET ROLE;

SET LOCAL ROLE oversight_test_edu;
SELECT set_eq($$ SELECT r FROM mapped_rows $$,
  ARRAY['detail ocds-edu-1', 'tenderer ocds-edu-1', 'item ocds-edu-1', 'amendment ocds-edu-1', 'transaction ocds-edu-1', 'related ocds-edu-1', 'note ocds-edu-1'],
  'an analyst granted EDU reads the mapped rows and notes of EDU''s processes only');
SELECT throws_ok($$ INSERT INTO oversight.ocds_mapping_note (ocid, path, reason_code, reason, reason_zh) VALUES ('ocds-edu-1', 'y', 'missing_id', 'a', '甲') $$,
  '42501', NULL, 'an analyst cannot write a note');
SELECT throws_ok($$ DELETE FROM oversight.ocds_mapping_note $$, '42501', NULL, 'nor remove the notes that say what was left out');
SELECT throws_ok($$ UPDATE oversight.ocds_transaction SET amount = 1 $$, '42501', NULL, 'nor change a transaction');
RESET ROLE;

SET LOCAL ROLE oversight_test_inspector;
SELECT is((SELECT pg_catalog.count(*) FROM mapped_rows), 14::bigint, 'an inspector reads every process''s rows');
SELECT throws_ok($$ UPDATE oversight.ocds_item SET quantity = 0 $$, '42501', NULL, 'but changes none');
RESET ROLE;

SET LOCAL ROLE oversight_test_outsider;
SELECT throws_ok($$ SELECT * FROM oversight.ocds_item $$, '42501', NULL, 'a role outside the oversight roles reads nothing');
RESET ROLE;

SELECT is((SELECT pg_catalog.count(*) FROM oversight.audit_log WHERE table_name = 'oversight.ocds_item' AND action = 'delete'
            AND acting_role = 'oversight_test_loader'), 1::bigint,
  'an item the loader deletes is in the audit trail, with who deleted it');

SELECT * FROM finish();
ROLLBACK;
