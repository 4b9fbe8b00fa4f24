-- Procurement rules of the default set with must-fire cases and near misses: method vs threshold,
-- purchase splitting (化整为零, 政府采购法实施条例 第28条: one fiscal year, one budget project, one category,
-- non-open purchases whose total exceeds the threshold — groups all under it, and groups with a non-open
-- purchase over it) and its near-threshold variant, single-source top-ups, tender period, single bid, and
-- the collusion signals on bids (same contact, same bond account, identical prices).
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(39);
\ir include/rules_u1.psql
INSERT INTO oversight.person (person_code, full_name) VALUES ('H1', 'Handler'), ('A1', 'Approver');
INSERT INTO oversight.budget_project (project_code, fiscal_year, unit_code, name, category_code, budget_amount) VALUES
  ('BP1', 2025, 'U1', 'IT', 'A02', 9000000), ('BP2', 2025, 'U1', 'Furniture', 'A05', 9000000), ('BP3', 2025, 'U1', 'Adjusted', 'A06', 9000000),
  ('BP4', 2025, 'U1', 'Vehicles', 'A07', 9000000), ('BP5', 2025, 'U1', 'Printing', 'A08', 9000000);
UPDATE oversight.budget_project SET adjusted_on = '2025-05-01' WHERE project_code = 'BP3';
INSERT INTO oversight.party (party_code, name) VALUES ('T1', 'Tenderer 1'), ('T2', 'Tenderer 2'), ('T3', 'Tenderer 3'), ('SUP', 'Supplier');

CREATE FUNCTION pg_temp.proc(p_ocid text, p_value numeric, p_method text, p_project text DEFAULT NULL, p_category text DEFAULT NULL,
                             p_year integer DEFAULT 2025, p_main text DEFAULT 'goods', p_approval text DEFAULT NULL, p_currency text DEFAULT 'CNY',
                             p_start timestamptz DEFAULT NULL, p_end timestamptz DEFAULT NULL, p_tenderers integer DEFAULT NULL,
                             p_handler text DEFAULT NULL, p_approver text DEFAULT NULL) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO oversight.procurement_process (ocid, buyer_unit_code, budget_project_code, fiscal_year, category_code, main_procurement_category,
    procurement_method, method_approval_ref, estimated_value, currency, tender_period_start, tender_period_end, number_of_tenderers, handler_code, approver_code)
  VALUES (p_ocid, 'U1', p_project, p_year, p_category, p_main, p_method, p_approval, p_value, p_currency, p_start, p_end, p_tenderers, p_handler, p_approver)
$$;
CREATE FUNCTION pg_temp.fired(p_rule text, p_key jsonb) RETURNS boolean LANGUAGE sql AS $$
  SELECT EXISTS (SELECT FROM oversight.alert WHERE rule_code = p_rule AND object_key = p_key)
$$;
CREATE FUNCTION pg_temp.ok_(p_ocid text) RETURNS jsonb LANGUAGE sql AS $$ SELECT jsonb_build_object('ocid', p_ocid) $$;

-- PROC.METHOD_THRESHOLD (goods/services 2000000, works 4000000; open method or approval reference exempts)
SELECT pg_temp.proc('MT-1', 2000000, 'limited');
SELECT pg_temp.proc('MT-2', 1999999.99, 'limited');
SELECT pg_temp.proc('MT-3', 2500000, 'open');
SELECT pg_temp.proc('MT-4', 2500000, 'direct', p_approval => '财采〔2025〕12号');
SELECT pg_temp.proc('MT-5', 3000000, 'limited', p_main => 'works');
SELECT pg_temp.proc('MT-6', 4000000, 'selective', p_main => 'works');
SELECT pg_temp.proc('MT-7', 2500000, 'limited', p_currency => 'USD');
SELECT ok(pg_temp.fired('PROC.METHOD_THRESHOLD', pg_temp.ok_('MT-1')), 'method vs threshold: at the goods threshold without approval fires');
SELECT ok(NOT pg_temp.fired('PROC.METHOD_THRESHOLD', pg_temp.ok_('MT-2')), 'method vs threshold: one cent under does not fire');
SELECT ok(NOT pg_temp.fired('PROC.METHOD_THRESHOLD', pg_temp.ok_('MT-3')), 'method vs threshold: an open tender does not fire');
SELECT ok(NOT pg_temp.fired('PROC.METHOD_THRESHOLD', pg_temp.ok_('MT-4')), 'method vs threshold: a prior approval exempts');
SELECT ok(NOT pg_temp.fired('PROC.METHOD_THRESHOLD', pg_temp.ok_('MT-5')), 'method vs threshold: works under the works threshold do not fire');
SELECT ok(pg_temp.fired('PROC.METHOD_THRESHOLD', pg_temp.ok_('MT-6')), 'method vs threshold: works at the works threshold fire');
SELECT ok(NOT pg_temp.fired('PROC.METHOD_THRESHOLD', pg_temp.ok_('MT-7')), 'method vs threshold: another currency does not fire');

-- PROC.SPLITTING: BP1/A02/2025, non-open purchases each under 2000000, together above it.
SELECT pg_temp.proc('SP-1', 900000, 'limited', 'BP1', 'A02');
SELECT pg_temp.proc('SP-2', 900000, 'direct', 'BP1', 'A02');
SELECT pg_temp.proc('SP-X', 900000, 'open', 'BP1', 'A02');            -- open: does not count
SELECT pg_temp.proc('SP-Y', 900000, 'limited', 'BP1', 'A03');         -- other category
SELECT pg_temp.proc('SP-Z', 900000, 'limited', 'BP1', 'A02', 2024);   -- other fiscal year
SELECT ok(NOT pg_temp.fired('PROC.SPLITTING', '{"budget_project_code": "BP1", "category_code": "A02"}'),
          'splitting: 1800000 of non-open purchases (open, other category, other year excluded) does not fire');
SELECT pg_temp.proc('SP-3', 200000, 'limited', 'BP1', 'A02');
SELECT ok(NOT pg_temp.fired('PROC.SPLITTING', '{"budget_project_code": "BP1", "category_code": "A02"}'),
          'splitting: a total of exactly 2000000 does not exceed the threshold (超过, article 28)');
SELECT pg_temp.proc('SP-3C', 0.01, 'limited', 'BP1', 'A02');
SELECT is((SELECT period FROM oversight.alert WHERE rule_code = 'PROC.SPLITTING' AND object_key = '{"budget_project_code": "BP1", "category_code": "A02"}'),
          'FY2025', 'splitting: exceeding 2000000 in FY2025 fires once per project, category and year');
SELECT is((SELECT jsonb_array_length(details -> 'purchases') FROM oversight.alert WHERE rule_code = 'PROC.SPLITTING'), 4, 'splitting: the alert lists the purchases');
SELECT pg_temp.proc('SP-4', 100000, 'limited', 'BP1', 'A02');
SELECT is((SELECT repeat_count FROM oversight.alert WHERE rule_code = 'PROC.SPLITTING'), 2, 'splitting: a further split repeats the same alert');
-- A group with a non-open purchase over the threshold (BP4/A07): the over-threshold purchase is a member of
-- the split (before issue 11 such a group was dropped, so its other members were never flagged) and, without
-- approval, the method-vs-threshold finding too.
SELECT pg_temp.proc('OV-1', 2500000, 'limited', 'BP4', 'A07');
SELECT ok(NOT pg_temp.fired('PROC.SPLITTING', '{"budget_project_code": "BP4", "category_code": "A07"}'),
          'splitting: one non-open purchase over the threshold alone is no split (at least two purchases)');
SELECT ok(pg_temp.fired('PROC.METHOD_THRESHOLD', pg_temp.ok_('OV-1')), 'splitting: the over-threshold non-open purchase is the method-vs-threshold finding');
SELECT pg_temp.proc('OV-2', 300000, 'direct', 'BP4', 'A07');
SELECT ok(pg_temp.fired('PROC.SPLITTING', '{"budget_project_code": "BP4", "category_code": "A07"}'),
          'splitting: a further non-open purchase in the group of an over-threshold one fires');
SELECT is((SELECT details -> 'purchases' FROM oversight.alert WHERE rule_code = 'PROC.SPLITTING' AND object_key ->> 'budget_project_code' = 'BP4'),
          '[{"ocid": "OV-1"}, {"ocid": "OV-2"}]'::jsonb, 'splitting: the group lists the over-threshold member with the others');
SELECT ok(NOT pg_temp.fired('PROC.METHOD_THRESHOLD', pg_temp.ok_('OV-2')), 'splitting: the member under the threshold is not a method-vs-threshold finding');
-- An over-threshold purchase with approval (BP5/A08) is not part of a split: the approval covers it.
SELECT pg_temp.proc('OA-1', 2500000, 'limited', 'BP5', 'A08', p_approval => '财采〔2025〕30号');
SELECT pg_temp.proc('OA-2', 300000, 'direct', 'BP5', 'A08');
SELECT ok(NOT pg_temp.fired('PROC.SPLITTING', '{"budget_project_code": "BP5", "category_code": "A08"}'),
          'splitting: an approved non-open purchase does not count, so the group does not exceed the threshold');
SELECT ok(NOT pg_temp.fired('PROC.METHOD_THRESHOLD', pg_temp.ok_('OA-1')), 'splitting: nor is the approved purchase a method finding');
SELECT pg_temp.proc('SA-1', 1500000, 'limited', 'BP3', 'A06');
SELECT pg_temp.proc('SA-2', 1500000, 'limited', 'BP3', 'A06');
SELECT ok(NOT pg_temp.fired('PROC.SPLITTING', '{"budget_project_code": "BP3", "category_code": "A06"}'), 'splitting: an approved budget adjustment exempts');

-- PROC.NEAR_THRESHOLD: two non-open purchases ≥ 90% of the threshold and under it, same project/category/year.
SELECT pg_temp.proc('NT-1', 1800000, 'limited', 'BP2', 'A05');
SELECT pg_temp.proc('NT-2', 1799999.99, 'limited', 'BP2', 'A05');
SELECT ok(NOT pg_temp.fired('PROC.NEAR_THRESHOLD', '{"budget_project_code": "BP2", "category_code": "A05"}'), 'near threshold: one purchase at 90% and one just under 90% do not fire');
SELECT pg_temp.proc('NT-3', 1999999, 'direct', 'BP2', 'A05');
SELECT ok(pg_temp.fired('PROC.NEAR_THRESHOLD', '{"budget_project_code": "BP2", "category_code": "A05"}'), 'near threshold: a second purchase just under the threshold fires');

-- PROC.TENDER_PERIOD (open 20 days, limited 10 days; whole days truncated)
SELECT pg_temp.proc('TP-1', 100, 'open', p_start => '2025-06-01 09:00+08', p_end => '2025-06-21 08:59+08');
SELECT pg_temp.proc('TP-2', 100, 'open', p_start => '2025-06-01 09:00+08', p_end => '2025-06-21 09:00+08');
SELECT pg_temp.proc('TP-3', 100, 'limited', p_start => '2025-06-01 09:00+08', p_end => '2025-06-11 09:00+08');
SELECT pg_temp.proc('TP-4', 100, 'limited', p_start => '2025-06-01 09:00+08', p_end => '2025-06-10 09:00+08');
SELECT ok(pg_temp.fired('PROC.TENDER_PERIOD', pg_temp.ok_('TP-1')), 'tender period: 19 days 23 hours for an open tender fires');
SELECT ok(NOT pg_temp.fired('PROC.TENDER_PERIOD', pg_temp.ok_('TP-2')), 'tender period: exactly 20 days does not fire');
SELECT ok(NOT pg_temp.fired('PROC.TENDER_PERIOD', pg_temp.ok_('TP-3')), 'tender period: 10 days of competitive consultation do not fire');
SELECT ok(pg_temp.fired('PROC.TENDER_PERIOD', pg_temp.ok_('TP-4')), 'tender period: 9 days of competitive consultation fire');

-- PROC.SINGLE_BID
SELECT pg_temp.proc('SB-1', 100, 'open', p_tenderers => 1);
SELECT pg_temp.proc('SB-2', 100, 'open', p_tenderers => 2);
SELECT pg_temp.proc('SB-3', 100, 'direct', p_tenderers => 1);
SELECT ok(pg_temp.fired('PROC.SINGLE_BID', pg_temp.ok_('SB-1')), 'single bid: one tenderer in an open tender fires');
SELECT ok(NOT pg_temp.fired('PROC.SINGLE_BID', pg_temp.ok_('SB-2')), 'single bid: two tenderers do not fire');
SELECT ok(NOT pg_temp.fired('PROC.SINGLE_BID', pg_temp.ok_('SB-3')), 'single bid: a direct award does not fire');

-- SOD.PROCUREMENT
SELECT pg_temp.proc('SD-1', 100, 'open', p_handler => 'H1', p_approver => 'H1');
SELECT ok(pg_temp.fired('SOD.PROCUREMENT', pg_temp.ok_('SD-1')), 'segregation: procurement handled and approved by one person fires');

-- PROC.TOPUP: supplementary contracts over 10% of the original.
INSERT INTO oversight.contract (contract_code, buyer_unit_code, supplier_party_code, amount, currency, signed_on) VALUES ('K1', 'U1', 'SUP', 1000000, 'CNY', '2025-01-10');
INSERT INTO oversight.contract (contract_code, buyer_unit_code, supplier_party_code, amount, currency, signed_on, parent_contract_code) VALUES ('K1-S1', 'U1', 'SUP', 60000, 'CNY', '2025-03-01', 'K1');
INSERT INTO oversight.contract (contract_code, buyer_unit_code, supplier_party_code, amount, currency, signed_on, parent_contract_code) VALUES ('K1-S2', 'U1', 'SUP', 40000, 'CNY', '2025-04-01', 'K1');
SELECT ok(NOT pg_temp.fired('PROC.TOPUP', '{"contract_code": "K1"}'), 'top-up: exactly 10% does not fire');
INSERT INTO oversight.contract (contract_code, buyer_unit_code, supplier_party_code, amount, currency, signed_on, parent_contract_code) VALUES ('K1-S3', 'U1', 'SUP', 0.01, 'CNY', '2025-05-01', 'K1');
SELECT ok(pg_temp.fired('PROC.TOPUP', '{"contract_code": "K1"}'), 'top-up: above 10% fires on the original contract');

-- Collusion signals on bids.
SELECT pg_temp.proc('CO-1', 100, 'open');
SELECT pg_temp.proc('CO-2', 100, 'open');
INSERT INTO oversight.bid (ocid, bid_id, amount, currency, status, bond_account, contact_name) VALUES
  ('CO-1', 'b1', 950000, 'CNY', 'valid', 'BOND-1', 'Zhang San'), ('CO-1', 'b2', 970000, 'CNY', 'valid', 'BOND-2', ' zhang san ');
INSERT INTO oversight.bid_tenderer (ocid, bid_id, party_code) VALUES ('CO-1', 'b1', 'T1'), ('CO-1', 'b2', 'T2');
SELECT pg_temp.commit_point();
SELECT ok(pg_temp.fired('PROC.COLLUSION_CONTACT', '{"ocid": "CO-1", "contact": "zhang san"}'), 'collusion: the same contact (case, spaces ignored) fires');
SELECT ok(NOT pg_temp.fired('PROC.COLLUSION_BOND', '{"ocid": "CO-1", "bond_account": "BOND-1"}'), 'collusion: different bond accounts do not fire');
INSERT INTO oversight.bid (ocid, bid_id, amount, currency, status, bond_account, contact_name) VALUES ('CO-1', 'b3', 950000, 'CNY', 'valid', 'BOND-1', 'Li Si');
INSERT INTO oversight.bid_tenderer (ocid, bid_id, party_code) VALUES ('CO-1', 'b3', 'T3');
SELECT pg_temp.commit_point();
SELECT ok(pg_temp.fired('PROC.COLLUSION_BOND', '{"ocid": "CO-1", "bond_account": "BOND-1"}'), 'collusion: bonds from the same account fire');
SELECT ok(pg_temp.fired('PROC.COLLUSION_PRICE', '{"ocid": "CO-1", "lot_id": null, "currency": "CNY", "amount": "950000"}'), 'collusion: identical prices fire');
-- Same tenderer on two bids (e.g. two lots) is not collusion; other process, other currency neither.
INSERT INTO oversight.bid (ocid, bid_id, amount, currency, status, bond_account) VALUES
  ('CO-2', 'c1', 500, 'CNY', 'valid', 'BOND-9'), ('CO-2', 'c2', 500, 'USD', 'valid', NULL);
INSERT INTO oversight.bid_tenderer (ocid, bid_id, party_code) VALUES ('CO-2', 'c1', 'T1');
SELECT pg_temp.commit_point();
SELECT ok(NOT pg_temp.fired('PROC.COLLUSION_PRICE', '{"ocid": "CO-2", "lot_id": null, "currency": "CNY", "amount": "500"}'), 'collusion: the same amount in another currency does not fire');

SELECT is((SELECT count(*)::int FROM oversight.engine_fault), 0, 'no engine fault');
-- Chinese first: every alert's details hold every value its kind's templates read, and its stored
-- messages are those templates filled with them, in English and Chinese.
SELECT is((SELECT count(*)::int FROM oversight.alert a JOIN oversight.rule r USING (rule_code)
            WHERE oversight.finding_messages(r.rule_kind, a.details, true) IS DISTINCT FROM ARRAY[a.message, a.message_zh]), 0,
          'every alert''s messages are its kind''s templates filled with its details, in both languages');

SELECT * FROM finish();
ROLLBACK;
