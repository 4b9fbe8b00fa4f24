-- Fund-allocation and enforcement rules with must-fire cases and near misses: allocation without
-- budget (none, unknown, other fiscal year), beyond budget (boundary, other currency), special funds
-- outside their purpose, fines outside the discretion band (boundaries, band validity; a fine with no band
-- in force is counted as cannot-evaluate, and with flag_missing_band also an alert), fines collected by
-- the deciding agency (罚缴分离), and segregation of duties on both.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(21);
\ir include/rules_u1.psql
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) VALUES ('ENF', '执法科', 'section');
INSERT INTO oversight.person (person_code, full_name) VALUES ('H1', 'Handler'), ('A1', 'Approver');
INSERT INTO oversight.budget_project (project_code, fiscal_year, unit_code, name, budget_amount, currency, is_special_fund, special_purpose) VALUES
  ('BP1', 2025, 'U1', 'General', 1000000, 'CNY', false, NULL),
  ('BP2', 2024, 'U1', 'Last year', 1000000, 'CNY', false, NULL),
  ('SF1', 2025, 'U1', '农村饮水安全专项', 500000, 'CNY', true, '饮水安全');

CREATE FUNCTION pg_temp.alloc(p_code text, p_amount numeric, p_project text, p_purpose text DEFAULT 'operations', p_on date DEFAULT '2025-06-03',
                              p_currency text DEFAULT 'CNY', p_handler text DEFAULT NULL, p_approver text DEFAULT NULL) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO oversight.fund_allocation (allocation_code, budget_project_code, recipient_unit_code, recipient_name, amount, currency, purpose, allocated_on,
                                         handler_code, approver_code)
  VALUES (p_code, p_project, 'U1', 'recipient', p_amount, p_currency, p_purpose, p_on, p_handler, p_approver)
$$;
CREATE FUNCTION pg_temp.fired(p_rule text, p_key jsonb) RETURNS boolean LANGUAGE sql AS $$
  SELECT EXISTS (SELECT FROM oversight.alert WHERE rule_code = p_rule AND object_key = p_key)
$$;

-- FUND.NO_BUDGET
SELECT pg_temp.alloc('NB-1', 1000, NULL);
SELECT pg_temp.alloc('NB-2', 1000, 'BP2');
SELECT pg_temp.alloc('NB-3', 1000, 'BP1');
SELECT ok(pg_temp.fired('FUND.NO_BUDGET', '{"allocation_code": "NB-1"}'), 'no budget: an allocation without budget project fires');
SELECT ok(pg_temp.fired('FUND.NO_BUDGET', '{"allocation_code": "NB-2"}'), 'no budget: a project of another fiscal year fires');
SELECT ok(NOT pg_temp.fired('FUND.NO_BUDGET', '{"allocation_code": "NB-3"}'), 'no budget: a project of the same year does not fire');

-- FUND.OVER_BUDGET (BP1 = 1000000, 1000 already allocated)
SELECT pg_temp.alloc('OB-1', 999000, 'BP1');
SELECT ok(NOT pg_temp.fired('FUND.OVER_BUDGET', '{"project_code": "BP1"}'), 'over budget: exactly the budget does not fire');
SELECT pg_temp.alloc('OB-2', 500, 'BP1', p_currency => 'USD');
SELECT ok(NOT pg_temp.fired('FUND.OVER_BUDGET', '{"project_code": "BP1"}'), 'over budget: an allocation in another currency is not added');
SELECT pg_temp.alloc('OB-3', 0.01, 'BP1');
SELECT ok(pg_temp.fired('FUND.OVER_BUDGET', '{"project_code": "BP1"}'), 'over budget: one cent more fires on the project');

-- FUND.SPECIAL_PURPOSE
SELECT pg_temp.alloc('SF-1', 1000, 'SF1', '村级饮水安全工程改造');
SELECT pg_temp.alloc('SF-2', 1000, 'SF1', '办公楼装修');
SELECT ok(NOT pg_temp.fired('FUND.SPECIAL_PURPOSE', '{"allocation_code": "SF-1"}'), 'special fund: a purpose within the fund''s purpose does not fire');
SELECT ok(pg_temp.fired('FUND.SPECIAL_PURPOSE', '{"allocation_code": "SF-2"}'), 'special fund: another purpose fires');

-- SOD.ALLOCATION
SELECT pg_temp.alloc('SD-1', 10, 'BP1', p_handler => 'H1', p_approver => 'H1');
SELECT ok(pg_temp.fired('SOD.ALLOCATION', '{"allocation_code": "SD-1"}'), 'segregation: allocation handled and approved by one person fires');

-- Enforcement: discretion bands (V1: 1000–5000 until 2025-06-01, then 2000–8000).
INSERT INTO oversight.discretion_band (violation_code, valid_from, valid_to, min_fine, max_fine) VALUES
  ('V1', '2024-01-01', '2025-06-01', 1000, 5000), ('V1', '2025-06-01', NULL, 2000, 8000);
CREATE FUNCTION pg_temp.fine(p_code text, p_amount numeric, p_on date, p_by text DEFAULT 'designated_bank', p_violation text DEFAULT 'V1',
                             p_handler text DEFAULT NULL, p_approver text DEFAULT NULL) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO oversight.enforcement_case (case_code, deciding_unit_code, subject_name, violation_code, decided_on, penalty_kind, fine_amount, collected_by,
                                          handler_code, approver_code)
  VALUES (p_code, 'ENF', 'subject', p_violation, p_on, 'fine', p_amount, p_by, p_handler, p_approver)
$$;
SELECT pg_temp.fine('F-1', 8000, '2025-06-10');
SELECT pg_temp.fine('F-2', 8000.01, '2025-06-10');
SELECT pg_temp.fine('F-3', 8000, '2025-05-10');
SELECT pg_temp.fine('F-4', 1999.99, '2025-06-10');
SELECT pg_temp.fine('F-5', 99999, '2025-06-10', p_violation => 'V-UNKNOWN');
SELECT ok(NOT pg_temp.fired('ENF.OUTSIDE_BAND', '{"case_code": "F-1"}'), 'band: the maximum of the band in force does not fire');
SELECT ok(pg_temp.fired('ENF.OUTSIDE_BAND', '{"case_code": "F-2"}'), 'band: one cent above the maximum fires');
SELECT ok(pg_temp.fired('ENF.OUTSIDE_BAND', '{"case_code": "F-3"}'), 'band: the band in force on the decision date applies');
SELECT ok(pg_temp.fired('ENF.OUTSIDE_BAND', '{"case_code": "F-4"}'), 'band: below the minimum fires');
SELECT ok(NOT pg_temp.fired('ENF.OUTSIDE_BAND', '{"case_code": "F-5"}'), 'band: a violation without band raises no alert (flag_missing_band off)…');
SELECT is((SELECT records || ' ' || array_to_string(missing, ',') FROM oversight.coverage_gap WHERE rule_code = 'ENF.OUTSIDE_BAND' AND reason = 'no_band'),
          '1 oversight.discretion_band', '…but is counted as cannot-evaluate (no_band), not passed over in silence');
SELECT oversight.define_rule('ENF.NO_BAND', 'penalty_outside_band', 'enforcement', 'ENF.PENALTY.DISCRETION', 'Fine without a band', '{"flag_missing_band": true}', 'low');
SELECT pg_temp.fine('F-6', 99999, '2025-06-10', p_violation => 'V-UNKNOWN');
SELECT ok(pg_temp.fired('ENF.NO_BAND', '{"case_code": "F-6"}'), 'band: with flag_missing_band a fine without band is also an alert');
SELECT is((SELECT records FROM oversight.coverage_gap WHERE rule_code = 'ENF.NO_BAND' AND reason = 'no_band'), 1::bigint,
          'band: and still counted as cannot-evaluate: the fine was not judged against a band');

-- ENF.AGENCY_COLLECTED
SELECT pg_temp.fine('C-1', 3000, '2025-06-10', 'deciding_agency');
SELECT ok(pg_temp.fired('ENF.AGENCY_COLLECTED', '{"case_code": "C-1"}'), '罚缴分离: collection by the deciding agency fires');
SELECT ok(NOT pg_temp.fired('ENF.AGENCY_COLLECTED', '{"case_code": "F-1"}'), '罚缴分离: collection by the designated bank does not fire');

-- SOD.ENFORCEMENT
SELECT pg_temp.fine('S-1', 3000, '2025-06-10', p_handler => 'H1', p_approver => 'H1');
SELECT ok(pg_temp.fired('SOD.ENFORCEMENT', '{"case_code": "S-1"}'), 'segregation: penalty handled and approved by one person fires');

-- Chinese first: every alert's details hold every value its kind's templates read, and its stored
-- messages are those templates filled with them, in English and Chinese.
SELECT is((SELECT count(*)::int FROM oversight.alert a JOIN oversight.rule r USING (rule_code)
            WHERE oversight.finding_messages(r.rule_kind, a.details, true) IS DISTINCT FROM ARRAY[a.message, a.message_zh]), 0,
          'every alert''s messages are its kind''s templates filled with its details, in both languages');

SELECT * FROM finish();
ROLLBACK;
