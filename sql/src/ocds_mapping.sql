-------------------------------------------------------------------------------------------------------
-- OCDS mapping completeness (issue 12, item 3): what a compiled release holds beyond the canonical
-- procurement tables — items with quantities and unit prices, planning.budget and the periods, the
-- tenderers tender.tenderers lists, amendments, implementation.transactions, relatedProcesses — and the
-- mapping notes: each value read as absent (a placeholder amount of 0, a period ending before it starts)
-- and each entry left out (an award, contract, item or transaction without an id), with its reason,
-- naming ocid, release and field. oversight-load writes them all from the compiled release of each
-- process it compiles, replacing that process's rows: the same releases give the same rows, whatever
-- the files and their order (loader/README.md, "OCDS").
-------------------------------------------------------------------------------------------------------

ALTER TABLE oversight.ocds_party_mention ADD COLUMN roles text[];
COMMENT ON COLUMN oversight.ocds_party_mention.roles IS
  'Roles of the party in that process (OCDS party roles: buyer, procuringEntity, tenderer, supplier, payer, payee, …), from parties[].roles and from where the release names it; sorted.';

ALTER TABLE oversight.bid ADD COLUMN published_status text;
COMMENT ON COLUMN oversight.bid.published_status IS
  'The bid status as published; status holds its OCDS codelist value (qualified → valid, not-qualified → disqualified, InTreatment → pending; Cardinal''s prepare step is the reference), or NULL when it has none (a mapping note says so).';

ALTER TABLE oversight.award ADD COLUMN related_bid_id text;
COMMENT ON COLUMN oversight.award.related_bid_id IS 'The bid the award was made on (OCDS awards[].relatedBid), as published.';

CREATE TABLE oversight.ocds_process_detail (
  ocid                   text PRIMARY KEY REFERENCES oversight.procurement_process ON UPDATE CASCADE,
  budget_id              text,
  budget_description     text,
  budget_amount          oversight.amount,
  budget_currency        oversight.currency,
  budget_project         text,
  budget_project_id      text,
  tenderers_source       text CONSTRAINT ocds_process_detail_tenderers_source_known
                           CHECK (tenderers_source IN ('numberOfTenderers', 'tenderers')),
  award_criteria         text,
  award_criteria_details text,
  enquiry_period_start   timestamptz,
  enquiry_period_end     timestamptz,
  award_period_start     timestamptz,
  award_period_end       timestamptz,
  CONSTRAINT ocds_process_detail_budget_currency CHECK (budget_amount IS NULL OR budget_currency IS NOT NULL),
  CONSTRAINT ocds_process_detail_enquiry_ordered CHECK (enquiry_period_end >= enquiry_period_start),
  CONSTRAINT ocds_process_detail_award_ordered CHECK (award_period_end >= award_period_start)
);
COMMENT ON TABLE oversight.ocds_process_detail IS
  'What an OCDS process says beyond oversight.procurement_process (OCDS 流程补充信息): planning.budget, how its number of tenderers was found, award criteria, enquiry and award periods. One row per compiled process.';
COMMENT ON COLUMN oversight.ocds_process_detail.ocid IS 'Contracting process.';
COMMENT ON COLUMN oversight.ocds_process_detail.budget_id IS 'planning.budget.id.';
COMMENT ON COLUMN oversight.ocds_process_detail.budget_description IS 'planning.budget.description.';
COMMENT ON COLUMN oversight.ocds_process_detail.budget_amount IS 'planning.budget.amount (NULL when 0, a placeholder: see oversight.ocds_mapping_note).';
COMMENT ON COLUMN oversight.ocds_process_detail.budget_currency IS 'Currency of planning.budget.amount.';
COMMENT ON COLUMN oversight.ocds_process_detail.budget_project IS 'planning.budget.project (the project''s name).';
COMMENT ON COLUMN oversight.ocds_process_detail.budget_project_id IS 'planning.budget.projectID; procurement_process.budget_project_code takes it when the bureau''s budget has that project.';
COMMENT ON COLUMN oversight.ocds_process_detail.tenderers_source IS 'Where procurement_process.number_of_tenderers comes from: numberOfTenderers as published, or tenderers (the distinct organisations tender.tenderers lists).';
COMMENT ON COLUMN oversight.ocds_process_detail.award_criteria IS 'tender.awardCriteria (priceOnly, costOnly, qualityOnly, ratedCriteria, …).';
COMMENT ON COLUMN oversight.ocds_process_detail.award_criteria_details IS 'tender.awardCriteriaDetails.';
COMMENT ON COLUMN oversight.ocds_process_detail.enquiry_period_start IS 'tender.enquiryPeriod.startDate.';
COMMENT ON COLUMN oversight.ocds_process_detail.enquiry_period_end IS 'tender.enquiryPeriod.endDate.';
COMMENT ON COLUMN oversight.ocds_process_detail.award_period_start IS 'tender.awardPeriod.startDate.';
COMMENT ON COLUMN oversight.ocds_process_detail.award_period_end IS 'tender.awardPeriod.endDate.';

CREATE TABLE oversight.ocds_tenderer (
  ocid       text NOT NULL REFERENCES oversight.procurement_process ON UPDATE CASCADE,
  party_code text NOT NULL REFERENCES oversight.party ON UPDATE CASCADE,
  PRIMARY KEY (ocid, party_code)
);
COMMENT ON TABLE oversight.ocds_tenderer IS
  'Organisations that tendered in a process (投标人), as tender.tenderers lists them (whether or not bids are published): procurement_process.number_of_tenderers counts them when numberOfTenderers is not given.';
COMMENT ON COLUMN oversight.ocds_tenderer.ocid IS 'Contracting process.';
COMMENT ON COLUMN oversight.ocds_tenderer.party_code IS 'Tenderer.';
CREATE INDEX ocds_tenderer_party ON oversight.ocds_tenderer (party_code);
COMMENT ON INDEX oversight.ocds_tenderer_party IS 'The processes a party tendered in.';

CREATE TABLE oversight.ocds_item (
  ocid                  text NOT NULL REFERENCES oversight.procurement_process ON UPDATE CASCADE,
  scope                 text NOT NULL CONSTRAINT ocds_item_scope_known CHECK (scope IN ('tender', 'award', 'contract')),
  parent_id             text NOT NULL,
  item_id               text NOT NULL,
  classification_scheme text,
  classification_id     text,
  description           text,
  quantity              numeric CONSTRAINT ocds_item_quantity_non_negative CHECK (quantity >= 0),
  unit_name             text,
  unit_value            oversight.amount,
  unit_currency         oversight.currency,
  PRIMARY KEY (ocid, scope, parent_id, item_id),
  CONSTRAINT ocds_item_tender_has_no_parent CHECK ((scope = 'tender') = (parent_id = '')),
  CONSTRAINT ocds_item_unit_value_currency CHECK (unit_value IS NULL OR unit_currency IS NOT NULL)
);
COMMENT ON TABLE oversight.ocds_item IS
  'Every item of a process''s tender, awards and contracts (采购标的): classification, description, quantity, unit and unit price.';
COMMENT ON COLUMN oversight.ocds_item.ocid IS 'Contracting process.';
COMMENT ON COLUMN oversight.ocds_item.scope IS 'Where the item is listed: tender, award or contract.';
COMMENT ON COLUMN oversight.ocds_item.parent_id IS 'The award''s or contract''s id (OCDS id, not contract_code); '''' for the tender.';
COMMENT ON COLUMN oversight.ocds_item.item_id IS 'items[].id.';
COMMENT ON COLUMN oversight.ocds_item.classification_scheme IS 'items[].classification.scheme (CPV, UNSPSC, …).';
COMMENT ON COLUMN oversight.ocds_item.classification_id IS 'items[].classification.id.';
COMMENT ON COLUMN oversight.ocds_item.description IS 'items[].description.';
COMMENT ON COLUMN oversight.ocds_item.quantity IS 'items[].quantity.';
COMMENT ON COLUMN oversight.ocds_item.unit_name IS 'items[].unit.name.';
COMMENT ON COLUMN oversight.ocds_item.unit_value IS 'items[].unit.value.amount: the unit price (NULL when 0, a placeholder).';
COMMENT ON COLUMN oversight.ocds_item.unit_currency IS 'Currency of the unit price.';

CREATE TABLE oversight.ocds_amendment (
  ocid         text NOT NULL REFERENCES oversight.procurement_process ON UPDATE CASCADE,
  scope        text NOT NULL CONSTRAINT ocds_amendment_scope_known CHECK (scope IN ('tender', 'award', 'contract')),
  parent_id    text NOT NULL,
  position     integer NOT NULL CONSTRAINT ocds_amendment_position_positive CHECK (position > 0),
  amendment_id text,
  amended_at   timestamptz,
  rationale    text,
  description  text,
  PRIMARY KEY (ocid, scope, parent_id, position),
  CONSTRAINT ocds_amendment_tender_has_no_parent CHECK ((scope = 'tender') = (parent_id = ''))
);
COMMENT ON TABLE oversight.ocds_amendment IS
  'Amendments of a process''s tender, awards and contracts (变更), in the order published (OCDS 1.1 amendments[], OCDS 1.0 amendment).';
COMMENT ON COLUMN oversight.ocds_amendment.ocid IS 'Contracting process.';
COMMENT ON COLUMN oversight.ocds_amendment.scope IS 'What was amended: tender, award or contract.';
COMMENT ON COLUMN oversight.ocds_amendment.parent_id IS 'The award''s or contract''s id; '''' for the tender.';
COMMENT ON COLUMN oversight.ocds_amendment.position IS 'Position in the amendments array (1 = first).';
COMMENT ON COLUMN oversight.ocds_amendment.amendment_id IS 'amendments[].id.';
COMMENT ON COLUMN oversight.ocds_amendment.amended_at IS 'amendments[].date.';
COMMENT ON COLUMN oversight.ocds_amendment.rationale IS 'amendments[].rationale.';
COMMENT ON COLUMN oversight.ocds_amendment.description IS 'amendments[].description.';

CREATE TABLE oversight.ocds_transaction (
  contract_code    text NOT NULL REFERENCES oversight.contract ON UPDATE CASCADE,
  transaction_id   text NOT NULL,
  ocid             text NOT NULL REFERENCES oversight.procurement_process ON UPDATE CASCADE,
  transaction_date timestamptz,
  amount           oversight.amount,
  currency         oversight.currency,
  payer_party_code text REFERENCES oversight.party ON UPDATE CASCADE,
  payee_party_code text REFERENCES oversight.party ON UPDATE CASCADE,
  source           text,
  uri              text,
  PRIMARY KEY (contract_code, transaction_id),
  CONSTRAINT ocds_transaction_amount_currency CHECK (amount IS NULL OR currency IS NOT NULL)
);
COMMENT ON TABLE oversight.ocds_transaction IS
  'Payments OCDS reports under a contract (contracts[].implementation.transactions, 合同支付交易), linked to the contract. Not rows of oversight.payment: a payment needs a paying budget unit and a payment method that OCDS does not give, and none is invented (each transaction has a mapping note saying so).';
COMMENT ON COLUMN oversight.ocds_transaction.contract_code IS 'Contract paid under (oversight.contract).';
COMMENT ON COLUMN oversight.ocds_transaction.transaction_id IS 'transactions[].id.';
COMMENT ON COLUMN oversight.ocds_transaction.ocid IS 'Contracting process.';
COMMENT ON COLUMN oversight.ocds_transaction.transaction_date IS 'transactions[].date.';
COMMENT ON COLUMN oversight.ocds_transaction.amount IS 'transactions[].value.amount (OCDS 1.0: amount.amount); NULL when 0, a placeholder.';
COMMENT ON COLUMN oversight.ocds_transaction.currency IS 'Currency of the amount.';
COMMENT ON COLUMN oversight.ocds_transaction.payer_party_code IS 'transactions[].payer.';
COMMENT ON COLUMN oversight.ocds_transaction.payee_party_code IS 'transactions[].payee.';
COMMENT ON COLUMN oversight.ocds_transaction.source IS 'transactions[].source (the data source of the payment).';
COMMENT ON COLUMN oversight.ocds_transaction.uri IS 'transactions[].uri.';
CREATE INDEX ocds_transaction_ocid ON oversight.ocds_transaction (ocid);
COMMENT ON INDEX oversight.ocds_transaction_ocid IS 'The transactions of a process, replaced when it is compiled again.';

CREATE TABLE oversight.ocds_related_process (
  ocid         text NOT NULL REFERENCES oversight.procurement_process ON UPDATE CASCADE,
  scope        text NOT NULL CONSTRAINT ocds_related_process_scope_known CHECK (scope IN ('process', 'contract')),
  parent_id    text NOT NULL,
  position     integer NOT NULL CONSTRAINT ocds_related_process_position_positive CHECK (position > 0),
  related_id   text,
  relationship text[],
  title        text,
  scheme       text,
  identifier   text,
  uri          text,
  PRIMARY KEY (ocid, scope, parent_id, position),
  CONSTRAINT ocds_related_process_process_has_no_parent CHECK ((scope = 'process') = (parent_id = ''))
);
COMMENT ON TABLE oversight.ocds_related_process IS
  'Processes a process or one of its contracts names as related (关联流程: framework, parent, prior, replacementProcess, renewalProcess, …), as published in relatedProcesses.';
COMMENT ON COLUMN oversight.ocds_related_process.ocid IS 'Contracting process.';
COMMENT ON COLUMN oversight.ocds_related_process.scope IS 'process (relatedProcesses of the release) or contract (contracts[].relatedProcesses).';
COMMENT ON COLUMN oversight.ocds_related_process.parent_id IS 'The contract''s id; '''' for the process.';
COMMENT ON COLUMN oversight.ocds_related_process.position IS 'Position in the relatedProcesses array (1 = first).';
COMMENT ON COLUMN oversight.ocds_related_process.related_id IS 'relatedProcesses[].id (local to the release).';
COMMENT ON COLUMN oversight.ocds_related_process.relationship IS 'relatedProcesses[].relationship codes.';
COMMENT ON COLUMN oversight.ocds_related_process.title IS 'relatedProcesses[].title.';
COMMENT ON COLUMN oversight.ocds_related_process.scheme IS 'relatedProcesses[].scheme (ocid when identifier is an ocid).';
COMMENT ON COLUMN oversight.ocds_related_process.identifier IS 'relatedProcesses[].identifier: the related process (an ocid under scheme ocid).';
COMMENT ON COLUMN oversight.ocds_related_process.uri IS 'relatedProcesses[].uri.';

CREATE TABLE oversight.ocds_mapping_note (
  ocid        text NOT NULL REFERENCES oversight.procurement_process ON UPDATE CASCADE,
  release_id  text,
  path        text NOT NULL,
  reason_code text NOT NULL CONSTRAINT ocds_mapping_note_reason_known CHECK (reason_code IN
                ('zero_amount', 'negative_amount', 'unreadable_amount', 'amount_without_currency', 'period_end_before_start',
                 'missing_id', 'duplicate_id', 'unknown_bid_status', 'unknown_award', 'transaction_not_payment')),
  reason      text NOT NULL,
  reason_zh   text NOT NULL,
  value       text,
  PRIMARY KEY (ocid, path, reason_code)
);
COMMENT ON TABLE oversight.ocds_mapping_note IS
  'Data-quality notes of the OCDS mapping (OCDS 映射数据质量说明): every value of a compiled release read as absent rather than judged as real (an amount of 0, a period ending before it starts, a negative or unreadable amount) and every entry not loaded (an award, contract, item or transaction without an id, an id given twice), with the reason in Chinese and English. Replaced with each compilation of the process.';
COMMENT ON COLUMN oversight.ocds_mapping_note.ocid IS 'Contracting process.';
COMMENT ON COLUMN oversight.ocds_mapping_note.release_id IS 'id of the compiled release the note was made on (its latest release).';
COMMENT ON COLUMN oversight.ocds_mapping_note.path IS 'The field, as a path in the compiled release (awards[2], tender.value.amount, contracts[0].period).';
COMMENT ON COLUMN oversight.ocds_mapping_note.reason_code IS 'What was found: zero_amount, negative_amount, unreadable_amount, amount_without_currency, period_end_before_start, missing_id, duplicate_id, unknown_bid_status, unknown_award, transaction_not_payment.';
COMMENT ON COLUMN oversight.ocds_mapping_note.reason IS 'What was found and what the mapping did, in English.';
COMMENT ON COLUMN oversight.ocds_mapping_note.reason_zh IS 'What was found and what the mapping did, in Chinese.';
COMMENT ON COLUMN oversight.ocds_mapping_note.value IS 'The value as published (NULL: the field is missing).';
CREATE INDEX ocds_mapping_note_reason ON oversight.ocds_mapping_note (reason_code);
COMMENT ON INDEX oversight.ocds_mapping_note_reason IS 'Notes by reason (how many placeholders, entries without ids, …).';

-- Audited as the other loaded tables, and scoped as the process they belong to (as bids and awards);
-- the loader replaces a compiled process's rows, the readers read.
DO $mapping$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES
      ('ocds_process_detail', ARRAY['ocid']),
      ('ocds_tenderer', ARRAY['ocid', 'party_code']),
      ('ocds_item', ARRAY['ocid', 'scope', 'parent_id', 'item_id']),
      ('ocds_amendment', ARRAY['ocid', 'scope', 'parent_id', 'position']),
      ('ocds_transaction', ARRAY['contract_code', 'transaction_id']),
      ('ocds_related_process', ARRAY['ocid', 'scope', 'parent_id', 'position']),
      ('ocds_mapping_note', ARRAY['ocid', 'path', 'reason_code'])) AS v(name, keys) LOOP
    EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER UPDATE OR DELETE ON oversight.%I FOR EACH ROW EXECUTE FUNCTION oversight.audit_row_change(%s)',
      t.name || '_audit', t.name, (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(k), ', ') FROM pg_catalog.unnest(t.keys) k));
    EXECUTE pg_catalog.format('COMMENT ON TRIGGER %I ON oversight.%I IS %L', t.name || '_audit', t.name, 'Audits corrections and deletions, row by row.');
    EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT ON oversight.%I REFERENCING NEW TABLE AS oversight_inserted FOR EACH STATEMENT EXECUTE FUNCTION oversight.audit_row_change(%s)',
      t.name || '_audit_insert', t.name, (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(k), ', ') FROM pg_catalog.unnest(t.keys) k));
    EXECUTE pg_catalog.format('COMMENT ON TRIGGER %I ON oversight.%I IS %L', t.name || '_audit_insert', t.name,
      'Audits each INSERT statement: one entry with the number of rows and their keys.');
    EXECUTE pg_catalog.format('ALTER TABLE oversight.%I ENABLE ROW LEVEL SECURITY', t.name);
    EXECUTE pg_catalog.format(
      'CREATE POLICY parent_scope ON oversight.%I USING ((SELECT oversight.sees_all_units()) OR EXISTS '
      '(SELECT FROM oversight.procurement_process p WHERE p.ocid = %I.ocid)) WITH CHECK ((SELECT oversight.sees_all_units()))', t.name, t.name);
    EXECUTE pg_catalog.format('COMMENT ON POLICY parent_scope ON oversight.%I IS %L', t.name,
      'Rows of the process the role can see (row-level security of oversight.procurement_process); bureau-wide roles see and write all.');
    EXECUTE pg_catalog.format('REVOKE ALL ON oversight.%I FROM PUBLIC', t.name);
    EXECUTE pg_catalog.format('GRANT SELECT, INSERT, UPDATE, DELETE ON oversight.%I TO oversight_loader', t.name);
    EXECUTE pg_catalog.format('GRANT SELECT ON oversight.%I TO oversight_admin, oversight_analyst, oversight_inspector', t.name);
    PERFORM pg_catalog.pg_extension_config_dump(pg_catalog.format('oversight.%I', t.name)::regclass, '');
  END LOOP;
END
$mapping$;
