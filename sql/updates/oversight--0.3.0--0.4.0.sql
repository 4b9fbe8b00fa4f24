-- oversight 0.3.0 → 0.4.0 — the engine, second round: one rule kind = one unit, shipped rules as rows,
-- one definition of each record kind, Chinese first.
--
-- Hardening as before: every reference schema-qualified, every SQL function pins
-- search_path = pg_catalog, pg_temp, every object has a COMMENT, PUBLIC executes nothing new.

\echo Use "ALTER EXTENSION oversight UPDATE TO '0.4.0'" to load this file. \quit

SET LOCAL search_path = pg_catalog, pg_temp;

-------------------------------------------------------------------------------------------------------
-- Shipped rules as rows: the default rule set is data (oversight.rule_default), like the shipped
-- settings; a new default rule is one row in the next upgrade script. install_default_rules() reads it.
-- Rule titles in Chinese (the default) and English.
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.rule_default (
  rule_code     text PRIMARY KEY CONSTRAINT rule_default_code_format CHECK (rule_code ~ '^[A-Z][A-Z0-9_.-]{1,63}$'),
  rule_kind     text NOT NULL,
  record_kind   text NOT NULL,
  node_code     text NOT NULL,
  title_zh      text NOT NULL CONSTRAINT rule_default_title_zh_present CHECK (btrim(title_zh) <> ''),
  title_en      text NOT NULL CONSTRAINT rule_default_title_en_present CHECK (btrim(title_en) <> ''),
  severity      text NOT NULL CONSTRAINT rule_default_severity_known CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
  params        jsonb NOT NULL DEFAULT '{}',
  source        text,
  since_version text NOT NULL
);
COMMENT ON TABLE oversight.rule_default IS
  'The shipped default rule set, one row per rule (installed by oversight.install_default_rules()): each rule''s kind, the key node it guards, its titles in Chinese and English, severity, parameters and the statute or practice it rests on. Shipped data: a new default rule is a row in the next upgrade script; a bureau changes its own rules, not this table.';
COMMENT ON COLUMN oversight.rule_default.rule_code IS 'Code the rule is installed under.';
COMMENT ON COLUMN oversight.rule_default.rule_kind IS 'Engine rule kind (view oversight.rule_kinds).';
COMMENT ON COLUMN oversight.rule_default.record_kind IS 'Kind of records checked.';
COMMENT ON COLUMN oversight.rule_default.node_code IS 'Key node of the default catalog the rule guards.';
COMMENT ON COLUMN oversight.rule_default.title_zh IS 'Title in Chinese (shown by default).';
COMMENT ON COLUMN oversight.rule_default.title_en IS 'Title in English.';
COMMENT ON COLUMN oversight.rule_default.severity IS 'Severity of the first version.';
COMMENT ON COLUMN oversight.rule_default.params IS 'Parameters of the first version (validated by the C++ core when installed).';
COMMENT ON COLUMN oversight.rule_default.source IS 'Statute or practice (DOMAIN.md §7).';
COMMENT ON COLUMN oversight.rule_default.since_version IS 'Extension version that first shipped the rule.';
GRANT SELECT ON oversight.rule_default TO oversight_admin, oversight_loader, oversight_analyst, oversight_inspector;

INSERT INTO oversight.rule_default (rule_code, rule_kind, record_kind, node_code, title_zh, title_en, severity, params, source, since_version) VALUES
  ('PAY.DUPLICATE', 'payment_duplicate', 'payment', 'FUND.PAY.REVIEW', '重复支付（同一收款人、金额和发票）', 'Duplicate payment (same payee, amount and invoice)', 'high', '{}', 'local treasury practice', '0.2.0'),
  ('PAY.NEAR_DUPLICATE', 'payment_near_duplicate', 'payment', 'FUND.PAY.REVIEW', '数日内向同一收款人支付相近金额', 'Near-identical payments to one payee within days', 'medium', '{}', 'local treasury practice', '0.2.0'),
  ('PAY.OVER_CONTRACT', 'payment_exceeds_contract', 'payment', 'FUND.PAY.REVIEW', '支付超过合同金额', 'Payments exceed the contract amount', 'high', '{}', '政府采购法; local treasury practice', '0.2.0'),
  ('PAY.BEFORE_SIGNATURE', 'payment_before_contract_signed', 'payment', 'FUND.PAY.REVIEW', '合同签订前支付', 'Payment before the contract was signed', 'high', '{}', 'local treasury practice', '0.2.0'),
  ('CASH.SINGLE', 'cash_single', 'payment', 'DEPT.CASH.WITHDRAW', '单笔大额提取现金', 'Large single cash withdrawal', 'medium', '{"limit": 50000}', 'local treasury practice', '0.2.0'),
  ('CASH.MONTHLY', 'cash_cumulative', 'payment', 'DEPT.CASH.WITHDRAW', '单位当月累计提取现金超限', 'Cumulative cash withdrawals of a unit in a month', 'medium', '{"limit": 200000, "period": "month"}', 'local treasury practice', '0.2.0'),
  ('CASH.ANNUAL', 'cash_cumulative', 'payment', 'DEPT.CASH.WITHDRAW', '单位全年累计提取现金超限', 'Annual cash withdrawals of a unit', 'high', '{"limit": 1000000, "period": "year"}', 'local treasury practice', '0.2.0'),
  ('CASH.OFFICIAL_CARD', 'cash_official_card_type', 'payment', 'DEPT.CASH.WITHDRAW', '公务卡强制结算目录内的支出使用现金', 'Cash used for an official-card expense type', 'medium', '{}', '公务卡强制结算目录', '0.2.0'),
  ('PAY.SME_OVERDUE_30', 'sme_payment_overdue', 'payment', 'FUND.PAY.REVIEW', '未在30日（或约定期限）内向中小企业付款', 'SME not paid within 30 days (or the agreed term)', 'medium', '{"days": 30, "use_contract_term": true, "max_term_days": 60}', '保障中小企业款项支付条例', '0.2.0'),
  ('PAY.SME_OVERDUE_60', 'sme_payment_overdue', 'payment', 'FUND.PAY.REVIEW', '未在60日内向中小企业付款', 'SME not paid within 60 days', 'high', '{"days": 60, "use_contract_term": false}', '保障中小企业款项支付条例', '0.2.0'),
  ('PAY.STAFF_PAYEE', 'payee_staff_account', 'payment', 'FUND.PAY.REVIEW', '收款账户属于本单位职工或其亲属', 'Payee account of a staff member or relative', 'high', '{}', 'integrity-risk practice', '0.2.0'),
  ('PAY.ROUND_AMOUNT', 'round_amount', 'payment', 'FUND.PAY.REVIEW', '整数金额支付', 'Round amount', 'low', '{}', 'audit practice', '0.2.0'),
  ('PAY.NONWORKING_APPROVAL', 'nonworking_day_approval', 'payment', 'FUND.PAY.REVIEW', '节假日或周末审批支付', 'Payment approved on a weekend or holiday', 'low', '{}', 'audit practice', '0.2.0'),
  ('PAY.MISSING_SIGNOFF', 'missing_signoff', 'payment', 'FUND.PAY.LARGE', '大额支付缺少逐级审签', 'Large payment without every sign-off level', 'high', '{}', 'integrity-risk practice', '0.2.0'),
  ('SOD.PAYMENT', 'handler_is_approver', 'payment', 'FUND.PAY.REVIEW', '支付的经办人与审批人为同一人', 'Payment handled and approved by the same person', 'high', '{}', 'integrity-risk practice', '0.2.0'),
  ('SOD.PROCUREMENT', 'handler_is_approver', 'procurement', 'PROC.METHOD.NONOPEN', '采购的经办人与审批人为同一人', 'Procurement handled and approved by the same person', 'high', '{}', 'integrity-risk practice', '0.2.0'),
  ('SOD.ALLOCATION', 'handler_is_approver', 'fund_allocation', 'FUND.INDICATOR.ALLOCATE', '资金分配的经办人与审批人为同一人', 'Allocation handled and approved by the same person', 'high', '{}', 'integrity-risk practice', '0.2.0'),
  ('SOD.ENFORCEMENT', 'handler_is_approver', 'enforcement', 'ENF.PENALTY.DISCRETION', '行政处罚的经办人与审批人为同一人', 'Penalty handled and approved by the same person', 'high', '{}', 'integrity-risk practice', '0.2.0'),
  ('PROC.METHOD_THRESHOLD', 'method_threshold', 'procurement', 'PROC.METHOD.NONOPEN', '达到公开招标数额标准却未经批准采用非公开方式', 'Non-open method at or above the threshold without approval', 'high', '{}', '政府采购法 第27条; 国办发〔2019〕55号', '0.2.0'),
  ('PROC.SPLITTING', 'purchase_splitting', 'procurement', 'PROC.PLAN.SPLIT', '化整为零规避公开招标', 'Purchase splitting (化整为零)', 'high', '{}', '政府采购法实施条例 第28条', '0.2.0'),
  ('PROC.NEAR_THRESHOLD', 'near_threshold_purchases', 'procurement', 'PROC.PLAN.SPLIT', '多次采购金额略低于限额标准', 'Repeated purchases just under the threshold', 'medium', '{}', '政府采购法实施条例 第28条', '0.2.0'),
  ('PROC.TOPUP', 'single_source_topup', 'contract', 'PROC.METHOD.SINGLE_TOPUP', '单一来源追加采购超过合同金额10%', 'Single-source top-ups over 10% of the contract', 'high', '{}', '政府采购法 第31条', '0.2.0'),
  ('PROC.TENDER_PERIOD', 'tender_period_short', 'procurement', 'PROC.TENDER.PERIOD', '招标文件发出至投标截止不足法定期限', 'Tender period under the legal minimum', 'high', '{}', '政府采购法 第35条; 财库〔2014〕214号', '0.2.0'),
  ('PROC.SINGLE_BID', 'single_bid', 'procurement', 'PROC.TENDER.EVAL', '竞争性采购仅一家投标', 'Single bid in a competitive tender', 'medium', '{}', 'OCP R018', '0.2.0'),
  ('PROC.COLLUSION_CONTACT', 'collusion_same_contact', 'bid', 'PROC.TENDER.EVAL', '串标迹象：不同投标人的联系人相同', 'Collusion signal: same contact in bids of different tenderers', 'high', '{}', '财政部令第87号 第37条', '0.2.0'),
  ('PROC.COLLUSION_BOND', 'collusion_same_bond_account', 'bid', 'PROC.TENDER.EVAL', '串标迹象：投标保证金出自同一账户', 'Collusion signal: bid bonds from the same account', 'high', '{}', '财政部令第87号 第37条', '0.2.0'),
  ('PROC.COLLUSION_PRICE', 'collusion_identical_price', 'bid', 'PROC.TENDER.EVAL', '串标迹象：投标报价相同', 'Collusion signal: identical bid prices', 'medium', '{}', 'OCP R028; 财政部令第87号 第37条', '0.2.0'),
  ('FUND.NO_BUDGET', 'allocation_without_budget', 'fund_allocation', 'FUND.INDICATOR.ALLOCATE', '无预算安排资金', 'Allocation without budget', 'high', '{}', '预算法', '0.2.0'),
  ('FUND.OVER_BUDGET', 'allocation_over_budget', 'fund_allocation', 'FUND.INDICATOR.ALLOCATE', '超预算安排资金', 'Allocations beyond the budget', 'high', '{}', '预算法', '0.2.0'),
  ('FUND.SPECIAL_PURPOSE', 'special_fund_misuse', 'fund_allocation', 'SPEC.PAY.DISBURSE', '专项资金未按规定用途使用', 'Special fund used outside its purpose', 'high', '{}', '专项资金管理办法', '0.2.0'),
  ('ENF.OUTSIDE_BAND', 'penalty_outside_band', 'enforcement', 'ENF.PENALTY.DISCRETION', '罚款超出裁量基准', 'Fine outside the discretion band', 'high', '{}', '行政处罚裁量基准', '0.2.0'),
  ('ENF.AGENCY_COLLECTED', 'fine_collected_by_agency', 'enforcement', 'ENF.PENALTY.COLLECT', '作出处罚决定的机关自行收缴罚款（违反罚缴分离）', 'Fine collected by the deciding agency (罚缴分离)', 'high', '{}', '行政处罚法 第67条', '0.2.0'),
  ('ENF.FINE_UNPAID', 'fine_unpaid', 'enforcement', 'ENF.PENALTY.COLLECT', '罚款逾期15日未缴纳', 'Fine unpaid after 15 days', 'medium', '{}', '行政处罚法 第67、72条', '0.2.0'),
  ('PAY.SPLIT_UNDER_LIMIT', 'payment_split_under_limit', 'payment', 'FUND.PAY.LARGE', '同日向同一收款人拆分支付规避审批限额', 'Payments to one payee split under the approval limit on one day', 'high', '{"approval_limit": 500000}', 'integrity-risk practice (拆分支付规避审批; the limit of PAY.MISSING_SIGNOFF)', '0.4.0');

-- Matter rules (issue 9): which records form a matter at which node is data too. Each is a rule of the
-- generic kind matter_when (C++ core, src/core/rules/matter.cpp), evaluated by the same engine, watch
-- mapping and batch pass as the monitoring rules; its findings form matters (oversight.record_matters),
-- not alerts. Thresholds are named constants of the condition.
INSERT INTO oversight.rule_default (rule_code, rule_kind, record_kind, node_code, title_zh, title_en, severity, params, source, since_version) VALUES
  ('MATTER.PROC.NONOPEN', 'matter_when', 'procurement', 'PROC.METHOD.NONOPEN', '事项：达到公开招标数额标准采用非公开招标方式', 'Matter: a non-open method chosen at or above the public-tender threshold', 'info',
   $${"condition": "procurement_method IN ('selective', 'limited', 'direct') AND (estimated_value IS NULL OR (main_procurement_category = 'works' AND estimated_value >= :threshold_works) OR ((main_procurement_category IS NULL OR main_procurement_category <> 'works') AND estimated_value >= :threshold_goods_services))",
      "constants": {"threshold_goods_services": 2000000, "threshold_works": 4000000},
      "title_zh": "采用非公开招标方式采购（{procurement_method}）：{ocid}，估算金额 {estimated_value}",
      "title_en": "Non-open procurement method ({procurement_method}): {ocid}, estimated at {estimated_value}",
      "event_date": ["tender_period_start"], "handler": "handler_code", "detail_fields": ["buyer_unit_code", "method_approval_ref", "currency"]}$$,
   '政府采购法 第27条; 国办发〔2019〕55号 (goods and services 2,000,000; works 4,000,000: 发改委令第16号); a value not given is supervised too', '0.4.0'),
  ('MATTER.PROC.CONTRACT', 'matter_when', 'contract', 'PROC.CONTRACT.SIGN', '事项：签订政府采购合同', 'Matter: a procurement contract signed', 'info',
   $${"condition": "signed_on IS NOT NULL AND (status IS NULL OR status <> 'cancelled')",
      "title_zh": "签订采购合同：{contract_code}，金额 {amount} {currency}", "title_en": "Contract {contract_code} signed: {amount} {currency}",
      "event_date": ["signed_on"], "detail_fields": ["ocid", "supplier_party_code", "parent_contract_code"]}$$,
   '政府采购法 第47条 (filing); 政府采购法实施条例 第50条 (publication)', '0.4.0'),
  ('MATTER.PROC.TOPUP', 'matter_when', 'contract', 'PROC.METHOD.SINGLE_TOPUP', '事项：单一来源追加采购（补充合同）', 'Matter: a single-source top-up (supplementary contract)', 'info',
   $${"condition": "parent_contract_code IS NOT NULL AND (status IS NULL OR status <> 'cancelled')",
      "title_zh": "单一来源追加采购：{contract_code}（原合同 {parent_contract_code}），金额 {amount} {currency}",
      "title_en": "Single-source top-up {contract_code} to contract {parent_contract_code}: {amount} {currency}",
      "event_date": ["signed_on"], "detail_fields": ["supplier_party_code"]}$$,
   '政府采购法 第31条、第49条', '0.4.0'),
  ('MATTER.PAY.LARGE', 'matter_when', 'payment', 'FUND.PAY.LARGE', '事项：审批大额支付', 'Matter: a large payment approved', 'info',
   $${"condition": "amount >= :large_payment AND (currency IS NULL OR currency = 'CNY') AND (payment_kind IS NULL OR payment_kind = 'payment') AND (status IS NULL OR status IN ('approved', 'held', 'paid'))",
      "constants": {"large_payment": 500000},
      "title_zh": "大额支付：{payee_name} {amount} 元", "title_en": "Large payment: {amount} CNY to {payee_name}",
      "event_date": ["approved_at", "paid_on", "requested_on"], "handler": "handler_code", "hold": false,
      "detail_fields": ["payer_unit_code", "contract_code", "approver_code"]}$$,
   'integrity-risk practice: large payments signed handler → section chief → leader in charge (DOMAIN.md §7), the threshold of PAY.MISSING_SIGNOFF; refunds and credit notes are not payments', '0.4.0'),
  ('MATTER.SPEC.ALLOCATE', 'matter_when', 'fund_allocation', 'SPEC.PAY.DISBURSE', '事项：拨付专项资金', 'Matter: a special-fund allocation', 'info',
   $${"condition": "fund_kind = 'special' AND amount > 0",
      "title_zh": "专项资金拨付：{recipient_name} {amount} 元（{purpose}）", "title_en": "Special-fund allocation: {amount} to {recipient_name} ({purpose})",
      "event_date": ["allocated_on"], "handler": "handler_code", "detail_fields": ["budget_project_code", "recipient_unit_code", "currency"]}$$,
   '专项资金管理办法', '0.4.0'),
  ('MATTER.ENF.PENALTY', 'matter_when', 'enforcement', 'ENF.PENALTY.DISCRETION', '事项：作出行政处罚决定', 'Matter: an administrative penalty decided', 'info',
   $${"condition": "decided_on IS NOT NULL AND penalty_kind IS NOT NULL AND (status IS NULL OR status <> 'revoked')",
      "title_zh": "行政处罚决定：{case_code}（{penalty_kind}，罚款 {fine_amount}）", "title_en": "Penalty decided: {case_code} ({penalty_kind}, fine {fine_amount})",
      "event_date": ["decided_on"], "handler": "handler_code", "detail_fields": ["violation_code", "currency"]}$$,
   '行政处罚法 第48条 (publication of penalty decisions)', '0.4.0');

-- Which kinds form matters: view oversight.rule_kinds, column forms_matters (src/language.sql).

ALTER TABLE oversight.rule ADD COLUMN title_zh text CONSTRAINT rule_title_zh_present CHECK (title_zh IS NULL OR btrim(title_zh) <> '');
COMMENT ON COLUMN oversight.rule.title IS 'Short title shown with alerts, in English (and the only title of a rule that has no Chinese one).';
COMMENT ON COLUMN oversight.rule.title_zh IS 'Short title in Chinese, shown by default (setting language); NULL: the English title is shown.';
-- Shipped rules of earlier versions get their Chinese title (where the bureau kept the shipped title).
UPDATE oversight.rule r SET title_zh = d.title_zh
  FROM oversight.rule_default d WHERE d.rule_code = r.rule_code AND r.shipped AND r.title = d.title_en AND r.title_zh IS NULL;

CREATE OR REPLACE FUNCTION oversight.install_default_rules()
  RETURNS TABLE (rules_added integer, versions_approved integer)
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d oversight.rule_default;
  id bigint;
  four_eyes boolean := oversight.setting_value('rules.four_eyes')::boolean;
BEGIN
  PERFORM oversight.install_default_catalog();
  PERFORM oversight.install_default_ladders();
  PERFORM oversight.install_default_assessment();
  rules_added := 0; versions_approved := 0;
  FOR d IN SELECT * FROM oversight.rule_default ORDER BY rule_code LOOP
    IF EXISTS (SELECT FROM oversight.rule r WHERE r.rule_code = d.rule_code) THEN
      CONTINUE; -- the bureau's rule, possibly edited: left alone
    END IF;
    INSERT INTO oversight.rule (rule_code, rule_kind, record_kind, node_code, title, title_zh, description, source, shipped, created_at, created_by)
    SELECT d.rule_code, d.rule_kind, d.record_kind, d.node_code, d.title_en, d.title_zh, k.description, d.source, true, oversight.now(), session_user
      FROM oversight.rule_kinds k WHERE k.rule_kind = d.rule_kind;
    rules_added := rules_added + 1;
    INSERT INTO oversight.rule_version (rule_code, version, status, params, severity, blocking, change_note)
    VALUES (d.rule_code, 1, 'draft', d.params, d.severity, false, 'shipped default')
    RETURNING rule_version_id INTO id;
    -- Under four-eyes the shipped versions wait, as drafts, for another administrator's approval.
    IF NOT four_eyes THEN
      UPDATE oversight.rule_version SET status = 'approved' WHERE rule_version_id = id;
      versions_approved := versions_approved + 1;
    END IF;
  END LOOP;
  RETURN NEXT;
END $$;
COMMENT ON FUNCTION oversight.install_default_rules() IS
  'Installs the default rule set of oversight.rule_default (DOMAIN.md §7 thresholds as parameters), each rule guarding a key node of the default catalog (installed first if missing, with the default escalation ladders and assessment schemes), and approves the versions — unless rules.four_eyes is on, when they wait as drafts for another administrator. Idempotent: existing rules are left as the bureau edited them.';

-------------------------------------------------------------------------------------------------------
-- Exports as they come (issue 11): refunds and credit notes, which load wrote a record, units with an
-- English name only, amounts in the base currency unless a record says otherwise, and what each load
-- provided (its mapping file and the canonical fields it filled).
-------------------------------------------------------------------------------------------------------
-- Refunds and credit notes are payments in the other direction: the amount stays the magnitude (so
-- the column's type, and every view a DBA built on it, are unchanged), payment_kind gives the sign.
ALTER TABLE oversight.payment
  ADD COLUMN payment_kind text NOT NULL DEFAULT 'payment'
    CONSTRAINT payment_kind_known CHECK (payment_kind IN ('payment', 'refund', 'credit_note')),
  ADD COLUMN refund_of text REFERENCES oversight.payment ON UPDATE CASCADE,
  ADD CONSTRAINT payment_refund_of_other CHECK (refund_of IS DISTINCT FROM payment_code);
COMMENT ON COLUMN oversight.payment.amount IS 'Amount, positive: paid out for a payment, coming back for a refund or a credit note (payment_kind), which count against the payment.';
COMMENT ON COLUMN oversight.payment.payment_kind IS 'payment; refund (money coming back, 退款) or credit_note (a correction by reversal, 冲红), whose amount counts negative. A loaded negative or bracketed amount, -50 or (50.00), is a refund of 50 unless the file says credit note.';
COMMENT ON COLUMN oversight.payment.refund_of IS 'The payment a refund or credit note reverses, when the export says.';
CREATE INDEX payment_refund_of ON oversight.payment (refund_of) WHERE refund_of IS NOT NULL;
COMMENT ON INDEX oversight.payment_refund_of IS 'Refunds of a payment (and the foreign key''s checks when a payment is renamed or deleted).';

-- Provenance: the load that last inserted or changed a record. No foreign key, like the alerts: a
-- million-row load would check one per row; the ledger's rows are never deleted.
DO $provenance$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['payment', 'procurement_process', 'bid', 'contract', 'fund_allocation', 'enforcement_case'] LOOP
    EXECUTE pg_catalog.format('ALTER TABLE oversight.%I ADD COLUMN load_id bigint', t);
    EXECUTE pg_catalog.format('COMMENT ON COLUMN oversight.%I.load_id IS %L', t,
      'Load (oversight.load) that last inserted or changed the record; NULL: not written by oversight-load.');
  END LOOP;
END
$provenance$;

-- The canonical payments table is watched again: its mapping takes the new canonical fields.
SELECT oversight.watch('oversight.payment', 'payment');

ALTER TABLE oversight.org_unit
  ALTER COLUMN name_zh DROP NOT NULL,
  DROP CONSTRAINT org_unit_name_zh_present,
  ADD CONSTRAINT org_unit_named CHECK (pg_catalog.btrim(COALESCE(name_zh, '')) <> '' OR pg_catalog.btrim(COALESCE(name_en, '')) <> '');
COMMENT ON COLUMN oversight.org_unit.name_zh IS 'Name in Chinese (a unit has a Chinese or an English name, or both).';

CREATE FUNCTION oversight.base_currency() RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$ SELECT oversight.setting_value('base_currency') $$;
COMMENT ON FUNCTION oversight.base_currency() IS 'The bureau''s currency (setting base_currency): the default currency of every amount a record gives without one.';
-- Column defaults run as the inserting role.
GRANT EXECUTE ON FUNCTION oversight.base_currency() TO oversight_admin, oversight_loader, oversight_analyst, oversight_inspector;
DO $currency$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['payment', 'budget_project', 'fund_allocation', 'enforcement_case', 'discretion_band'] LOOP
    EXECUTE pg_catalog.format('ALTER TABLE oversight.%I ALTER COLUMN currency SET DEFAULT oversight.base_currency()', t);
  END LOOP;
END
$currency$;

ALTER TABLE oversight.load
  ADD COLUMN mapping_sha256 text CONSTRAINT load_mapping_sha256_format CHECK (mapping_sha256 ~ '^[0-9a-f]{64}$'),
  ADD COLUMN fields_provided text[];
COMMENT ON COLUMN oversight.load.mapping_sha256 IS 'SHA-256 of the mapping file used, hex: with file_sha256, what makes a load reproducible (NULL: OCDS, or a load before 0.4.0).';
COMMENT ON COLUMN oversight.load.fields_provided IS 'Canonical fields the load filled (from a column, a constant, a default or a derivation); a rule needing a field not in it cannot judge the records of this load (oversight.rule_coverage).';
-- An administrator loads the discretion standard (oversight.discretion_band) and writes its ledger.
GRANT SELECT, INSERT, UPDATE ON oversight.load TO oversight_admin;
GRANT SELECT, INSERT ON oversight.quarantine TO oversight_admin;

-------------------------------------------------------------------------------------------------------
-- Chinese first (issue 8): the language of titles, messages and texts is a setting of the database
-- ("language", zh by default) that a session may override (SET oversight.language = 'en'); every alert
-- keeps its message in both languages, rendered from its details with its kind's templates.
-------------------------------------------------------------------------------------------------------
INSERT INTO oversight.setting_default (setting_key, default_value, description, source) VALUES
  ('language', 'zh', 'Language of rule titles, alert messages, notices and texts: zh (Chinese) or en (English). A session may override it with SET oversight.language = ''en'' (or ''zh''); both languages stay stored and queryable.', 'issue 8: Chinese first');
ALTER TABLE oversight.setting ADD CONSTRAINT setting_language_known CHECK (setting_key <> 'language' OR setting_value IN ('zh', 'en'));

CREATE FUNCTION oversight.finding_messages(p_rule_kind text, p_details jsonb, p_strict boolean DEFAULT false) RETURNS text[]
  AS 'MODULE_PATHNAME', 'oversight_finding_messages' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION oversight.finding_messages(text, jsonb, boolean) IS
  'The messages of a finding of a rule kind, {English, Chinese}: the kind''s templates (view oversight.rule_kinds, column messages) filled with the finding''s values (an alert''s details) by the C++ renderer the row pass uses too. With p_strict, NULL when the details lack a value a template reads.';

ALTER TABLE oversight.alert ADD COLUMN message_zh text;
COMMENT ON COLUMN oversight.alert.message IS 'What was found, in English, from the last firing (the kind''s English template filled with details).';
COMMENT ON COLUMN oversight.alert.message_zh IS 'What was found, in Chinese, from the last firing (the kind''s Chinese template filled with details); shown by default (setting language).';
-- Alerts recorded before 0.4.0 get their Chinese message rendered from their details where these hold
-- every value the kind's Chinese template reads; the others (details of earlier versions lacked some
-- values, e.g. the currency) get the rule's Chinese title with the English message they were recorded
-- with. The next firing of the rule renders both messages afresh.
UPDATE oversight.alert a
   SET message_zh = COALESCE((oversight.finding_messages(r.rule_kind, a.details, true))[2],
                             COALESCE(r.title_zh, k.k ->> 'title_zh', r.title) || '（0.4.0 之前记录的告警，英文原文：' || a.message || '）')
  FROM oversight.rule r
  LEFT JOIN pg_catalog.jsonb_array_elements(oversight.rule_kind_catalog()) AS k(k) ON k.k ->> 'kind' = r.rule_kind
 WHERE r.rule_code = a.rule_code;
ALTER TABLE oversight.alert ALTER COLUMN message_zh SET NOT NULL;

-- The recorder takes the Chinese messages too, and the documented payload names the rule's title and the
-- language of its texts (re-created in src/functions/record_hits.sql and src/language.sql).
DROP FUNCTION oversight.record_hits(bigint[], text[], jsonb[], text[], text[], text[], jsonb[], text);
DROP FUNCTION oversight.alert_payload(bigint, text, integer, bigint, text, text, text, jsonb, text, text, text, integer, text, timestamptz, text, text, boolean);

-- "Alerts of one object" by a hash of the object's key: the btree on (object_table, object_key) compared
-- jsonb values a dozen times per new alert, and was a quarter of the recorder's time (9,000 findings:
-- 265 -> 210 ms; issue 8). Equality on object_key is the only lookup it served, and a hash serves it.
DROP INDEX oversight.alert_object;
CREATE INDEX alert_object ON oversight.alert USING hash (object_key);
COMMENT ON INDEX oversight.alert_object IS 'Alerts of one object (WHERE object_key = ''{"payment_code": "P1"}''): a hash of the key, cheap to keep up on every new alert.';
-- A fingerprint is an md5 in hex: compared byte by byte, not by the database's collation. In a zh-CN
-- database every probe of the fingerprint index (the upsert's, the recurrences' look-up) went through the
-- collation: 9,000 findings, ICU zh-CN: 262-266 -> 223-233 ms. Equality is the same under any
-- deterministic collation. (Rewrites oversight.alert once.)
ALTER TABLE oversight.alert ALTER COLUMN fingerprint TYPE text COLLATE "C";
COMMENT ON COLUMN oversight.alert.fingerprint IS 'md5(rule_code | object_table | object_key | period): identity of the matter. Compared byte by byte (collation "C"), whatever the database''s collation.';

--#include src/supervision.sql
--#include src/accountability.sql
--#include src/functions/sweep.sql
--#include src/functions/record_hits.sql
--#include src/language.sql
--#include src/watch_mapping.sql
--#include src/coverage.sql
--#include src/ocds_releases.sql

-------------------------------------------------------------------------------------------------------
-- Whatever this version added: PUBLIC executes nothing of the extension.
-------------------------------------------------------------------------------------------------------
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA oversight FROM PUBLIC;

-------------------------------------------------------------------------------------------------------
-- Record kinds: the one definition of each canonical table the rules watch (C++ core, shared with the
-- loader), readable from SQL; tests/pgtap/212_record_kind_drift.sql compares it with the tables.
-------------------------------------------------------------------------------------------------------
CREATE FUNCTION oversight.record_kind_definition(p_record_kind text) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'oversight_record_kind_definition' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION oversight.record_kind_definition(text) IS
  'The definition of a record kind the rules and the loader share: its canonical table, natural key, unit field, every column of the table with its SQL type (columns), their domains, the canonical fields oversight.watch() maps onto (canonical_fields, as oversight.record_kind_fields()) and the enumerated columns with their values (enumerations, the tables'' CHECK constraints).';
REVOKE ALL ON FUNCTION oversight.record_kind_definition(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION oversight.record_kind_definition(text)
  TO oversight_admin, oversight_loader, oversight_analyst, oversight_inspector;
--#include src/at_commit.sql
--#include src/indicators.sql
--#include src/ocds_mapping.sql
--#include src/engine_stats.sql
