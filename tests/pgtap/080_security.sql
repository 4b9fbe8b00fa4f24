-- Least privilege and row-level security: analysts read only what they are granted (units, not the
-- audit trail), loaders write records, nobody but the admin edits the catalog.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(11);

SELECT has_role(r) FROM unnest(ARRAY['oversight_admin', 'oversight_loader', 'oversight_analyst', 'oversight_inspector']) r;

INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind, parent_code) VALUES
  ('CITY', '市本级', 'bureau', NULL), ('EDU', '教育局', 'budget_unit', 'CITY'), ('EDU_SCHOOL', '第一中学', 'budget_unit', 'EDU'),
  ('HEALTH', '卫健委', 'budget_unit', 'CITY');
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on) VALUES
  ('P-EDU', 'EDU', 'a', 1, 'transfer', '2025-01-02'), ('P-SCHOOL', 'EDU_SCHOOL', 'b', 2, 'transfer', '2025-01-02'),
  ('P-HEALTH', 'HEALTH', 'c', 3, 'transfer', '2025-01-02');
CREATE ROLE oversight_test_edu_analyst NOLOGIN IN ROLE oversight_analyst;
CREATE ROLE oversight_test_loader NOLOGIN IN ROLE oversight_loader;
CREATE ROLE oversight_test_outsider NOLOGIN;
INSERT INTO oversight.unit_access (role_name, unit_code) VALUES ('oversight_test_edu_analyst', 'EDU');

SET LOCAL ROLE oversight_test_edu_analyst;
SELECT set_eq($$ SELECT payment_code FROM oversight.payment $$, ARRAY['P-EDU', 'P-SCHOOL'],
  'an analyst granted a unit sees its records and those of the units below it, no others');
SELECT throws_ok($$ SELECT * FROM oversight.audit_log $$, '42501', NULL, 'analysts cannot read the audit trail');
SELECT throws_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on) VALUES ('X', 'EDU', 'x', 1, 'cash', '2025-01-02') $$,
  '42501', NULL, 'analysts cannot write records');
SELECT throws_ok($$ UPDATE oversight.key_node SET risk_grade = 3 $$, '42501', NULL, 'analysts cannot edit the catalog');
RESET ROLE;

SET LOCAL ROLE oversight_test_loader;
SELECT lives_ok($$ INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on) VALUES ('P-NEW', 'HEALTH', 'd', 4, 'cash', '2025-01-03') $$,
  'loaders write records of any unit');
SELECT throws_ok($$ DELETE FROM oversight.payment $$, '42501', NULL, 'loaders cannot delete records');
RESET ROLE;

SET LOCAL ROLE oversight_test_outsider;
SELECT throws_ok($$ SELECT * FROM oversight.payment $$, '42501', NULL, 'a role outside the oversight roles reads nothing');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
