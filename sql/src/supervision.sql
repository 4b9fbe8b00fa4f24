-------------------------------------------------------------------------------------------------------
-- Supervision (issue 9): matters, their obligations (一事一报 report to the leader in charge, 备案 filing
-- with the discipline office, 政务公开 public or internal disclosure), the escalation ladder that runs by
-- itself (提示 → 预警 → 黄牌 → 红牌 → 问责), cards, the notification outbox and preventive holds.
-------------------------------------------------------------------------------------------------------

-- Officials act on their own matters (submit reports, record filings and disclosures; leaders decide).
DO $roles$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'oversight_official') THEN
    CREATE ROLE oversight_official NOLOGIN;
  END IF;
END
$roles$;
GRANT USAGE ON SCHEMA oversight TO oversight_official;

INSERT INTO oversight.setting_default (setting_key, default_value, description, source) VALUES
  ('supervision.alert_ack_days.high', '1', 'Working days an open high or critical alert may wait for acknowledgement before it climbs the ladder.', 'DOMAIN.md §4'),
  ('supervision.alert_ack_days.medium', '3', 'Working days an open medium alert may wait for acknowledgement before it climbs the ladder.', 'DOMAIN.md §4'),
  ('supervision.alert_ack_days.low', '5', 'Working days an open low or info alert may wait for acknowledgement before it climbs the ladder.', 'DOMAIN.md §4');

-- The acting person: the person whose login role is the session user.
CREATE FUNCTION oversight.acting_person() RETURNS text
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$ SELECT p.person_code FROM oversight.person p WHERE p.login_role = session_user $$;
COMMENT ON FUNCTION oversight.acting_person() IS 'The person (oversight.person.login_role) of the session user; NULL when the login is nobody''s.';

-------------------------------------------------------------------------------------------------------
-- The escalation ladder, versioned: a running obligation or alert keeps the version it started with.
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.ladder (
  ladder_code text PRIMARY KEY CONSTRAINT ladder_code_format CHECK (ladder_code ~ '^[A-Z][A-Z0-9_.-]{1,63}$'),
  title_zh    text NOT NULL,
  title_en    text NOT NULL,
  description text
);
COMMENT ON TABLE oversight.ladder IS 'Escalation ladders (提示 → 预警 → 黄牌 → 红牌 → 问责); their steps live in versions (oversight.ladder_version).';
COMMENT ON COLUMN oversight.ladder.ladder_code IS 'Code (e.g. OBLIGATION, ALERT).';
COMMENT ON COLUMN oversight.ladder.title_zh IS 'Title in Chinese.';
COMMENT ON COLUMN oversight.ladder.title_en IS 'Title in English.';
COMMENT ON COLUMN oversight.ladder.description IS 'What the ladder is for.';

CREATE TABLE oversight.ladder_version (
  ladder_version_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ladder_code  text NOT NULL REFERENCES oversight.ladder ON UPDATE CASCADE,
  version      integer NOT NULL CONSTRAINT ladder_version_positive CHECK (version >= 1),
  is_current   boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL,
  created_by   text NOT NULL,
  change_note  text,
  CONSTRAINT ladder_version_unique UNIQUE (ladder_code, version)
);
CREATE UNIQUE INDEX ladder_version_one_current ON oversight.ladder_version (ladder_code) WHERE is_current;
COMMENT ON INDEX oversight.ladder_version_one_current IS 'One version of each ladder in force.';
COMMENT ON TABLE oversight.ladder_version IS
  'Versions of a ladder. A new version (oversight.new_ladder_version()) applies to obligations and alerts that start climbing after it; those already climbing keep theirs. Steps of a version in use cannot change.';
COMMENT ON COLUMN oversight.ladder_version.ladder_version_id IS 'Surrogate key, kept by every escalation.';
COMMENT ON COLUMN oversight.ladder_version.ladder_code IS 'Ladder.';
COMMENT ON COLUMN oversight.ladder_version.version IS 'Version number.';
COMMENT ON COLUMN oversight.ladder_version.is_current IS 'True for the version new escalations use.';
COMMENT ON COLUMN oversight.ladder_version.created_at IS 'oversight.now() at creation.';
COMMENT ON COLUMN oversight.ladder_version.created_by IS 'session_user who created it.';
COMMENT ON COLUMN oversight.ladder_version.change_note IS 'Why the ladder changed.';

CREATE TABLE oversight.ladder_step (
  ladder_version_id bigint NOT NULL REFERENCES oversight.ladder_version ON DELETE CASCADE,
  step_no      smallint NOT NULL CONSTRAINT ladder_step_no_positive CHECK (step_no >= 1),
  step         text NOT NULL CONSTRAINT ladder_step_known CHECK (step IN ('prompt', 'warning', 'yellow_card', 'red_card', 'accountability')),
  anchor       text NOT NULL CONSTRAINT ladder_step_anchor_known CHECK (anchor IN ('due', 'previous')),
  offset_working_days integer NOT NULL,
  target_role  text NOT NULL CONSTRAINT ladder_step_target_known
                 CHECK (target_role IN ('handler', 'section_chief', 'leader_in_charge', 'discipline_office')),
  deduction    numeric(6,2) NOT NULL DEFAULT 0 CONSTRAINT ladder_step_deduction_non_negative CHECK (deduction >= 0),
  text_zh      text NOT NULL CONSTRAINT ladder_step_text_zh_present CHECK (btrim(text_zh) <> ''),
  text_en      text NOT NULL CONSTRAINT ladder_step_text_en_present CHECK (btrim(text_en) <> ''),
  PRIMARY KEY (ladder_version_id, step_no),
  CONSTRAINT ladder_step_first_is_anchored CHECK (step_no > 1 OR anchor = 'due')
);
COMMENT ON TABLE oversight.ladder_step IS
  'Steps of a ladder version, in order: when each is due (working days from the deadline, or from the previous step), whom it targets, its score deduction and its text. Texts may use {title}, {due_on}, {days_over}, {node} and {unit}.';
COMMENT ON COLUMN oversight.ladder_step.ladder_version_id IS 'Ladder version.';
COMMENT ON COLUMN oversight.ladder_step.step_no IS 'Order of the step, 1, 2, …';
COMMENT ON COLUMN oversight.ladder_step.step IS 'prompt (提示), warning (预警), yellow_card (黄牌), red_card (红牌) or accountability (问责).';
COMMENT ON COLUMN oversight.ladder_step.anchor IS 'due: counted from the deadline; previous: from the date the previous step was due.';
COMMENT ON COLUMN oversight.ladder_step.offset_working_days IS 'Working days from the anchor (negative: before the deadline).';
COMMENT ON COLUMN oversight.ladder_step.target_role IS 'Who is notified: the handler, the section chief (first responsible), the leader in charge (primary responsible) or the discipline office.';
COMMENT ON COLUMN oversight.ladder_step.deduction IS 'Points deducted from the unit''s and the responsible person''s assessment (cards).';
COMMENT ON COLUMN oversight.ladder_step.text_zh IS 'Notification text in Chinese.';
COMMENT ON COLUMN oversight.ladder_step.text_en IS 'Notification text in English.';

CREATE FUNCTION oversight.ladder_step_locked() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE v bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.ladder_version_id ELSE NEW.ladder_version_id END;
BEGIN
  IF EXISTS (SELECT FROM oversight.escalation e WHERE e.ladder_version_id = v) THEN
    RAISE EXCEPTION '阶梯版本 % 已在使用，不能修改；请新建版本 / ladder version % is in use and cannot change: create a new version', v, v
      USING ERRCODE = '55000', HINT = 'oversight.new_ladder_version() copies the steps into a new version to edit.';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
COMMENT ON FUNCTION oversight.ladder_step_locked() IS 'BEFORE trigger function of oversight.ladder_step: the steps of a version that an escalation uses are locked.';

CREATE TABLE oversight.ladder_binding (
  subject_kind text NOT NULL CONSTRAINT ladder_binding_subject_known
                 CHECK (subject_kind IN ('obligation', 'alert', 'rectification', 'complaint_acceptance', 'complaint_handling')),
  selector     text NOT NULL,
  ladder_code  text NOT NULL REFERENCES oversight.ladder ON UPDATE CASCADE,
  PRIMARY KEY (subject_kind, selector)
);
COMMENT ON TABLE oversight.ladder_binding IS
  'Which ladder drives which items: obligations by kind (leader_report, filing, public_disclosure, internal_disclosure), open alerts by severity (info, low, medium, high, critical), overdue rectifications and complaints; selector * matches any.';
COMMENT ON COLUMN oversight.ladder_binding.subject_kind IS 'obligation, alert, rectification, complaint_acceptance or complaint_handling.';
COMMENT ON COLUMN oversight.ladder_binding.selector IS 'Obligation kind or alert severity (or *); * for the others.';
COMMENT ON COLUMN oversight.ladder_binding.ladder_code IS 'Ladder used.';

-------------------------------------------------------------------------------------------------------
-- Matters and obligations.
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.matter (
  matter_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  fingerprint      text COLLATE "C" NOT NULL CONSTRAINT matter_fingerprint_unique UNIQUE,
  node_code        text NOT NULL REFERENCES oversight.key_node ON UPDATE CASCADE,
  matter_rule_code text,
  rule_version_id  bigint,
  source_table     text,
  source_key       jsonb,
  unit_code        text REFERENCES oversight.org_unit ON UPDATE CASCADE,
  event_date       date NOT NULL,
  title            text NOT NULL CONSTRAINT matter_title_present CHECK (btrim(title) <> ''),
  title_en         text,
  details          jsonb,
  confidential     boolean NOT NULL DEFAULT false,
  handler_code     text REFERENCES oversight.person ON UPDATE CASCADE,
  first_responsible text REFERENCES oversight.person ON UPDATE CASCADE,
  primary_responsible text REFERENCES oversight.person ON UPDATE CASCADE,
  status           text NOT NULL DEFAULT 'open' CONSTRAINT matter_status_known CHECK (status IN ('open', 'completed', 'cancelled')),
  registered_at    timestamptz NOT NULL,
  registered_by    text NOT NULL,
  updated_at       timestamptz
);
COMMENT ON TABLE oversight.matter IS
  'Matters: one exercise of power at a key node (a non-open method chosen, a contract signed, a large payment approved, a special-fund allocation, an enforcement decision, a cadre decision…), formed by a matter rule from a record, or registered by hand. One per node and record (fingerprint); a correction of the record shows in details and updated_at. Each creates the obligations its node''s supervision layers require.';
COMMENT ON COLUMN oversight.matter.matter_id IS 'Matter number.';
COMMENT ON COLUMN oversight.matter.fingerprint IS 'md5(node | table | key) for a matter formed from a record, so loading the record again never makes a second matter; a generated one for a matter registered by hand. Compared byte by byte (collation "C"), whatever the database''s collation.';
COMMENT ON COLUMN oversight.matter.node_code IS 'Key node where the power was exercised.';
COMMENT ON COLUMN oversight.matter.matter_rule_code IS 'Matter rule that formed it (NULL: registered by hand).';
COMMENT ON COLUMN oversight.matter.rule_version_id IS 'Version of that rule.';
COMMENT ON COLUMN oversight.matter.source_table IS 'Table of the record it came from.';
COMMENT ON COLUMN oversight.matter.source_key IS 'Key of that record.';
COMMENT ON COLUMN oversight.matter.unit_code IS 'Unit that exercised the power (row-level security).';
COMMENT ON COLUMN oversight.matter.event_date IS 'Date of the act: the deadlines of its obligations count from it, in working days.';
COMMENT ON COLUMN oversight.matter.title IS 'What was decided, in a line (in Chinese for a matter formed by a rule: its title_zh).';
COMMENT ON COLUMN oversight.matter.title_en IS 'The same in English (a matter rule''s title_en); NULL: the title serves both languages.';
COMMENT ON COLUMN oversight.matter.details IS 'The facts of the record as last seen (amount, method, counterparty…): for a matter formed by a rule, the fields the rule reads (and its detail_fields), updated when the record is corrected.';
COMMENT ON COLUMN oversight.matter.confidential IS 'True when the matter may only be disclosed internally (enforced).';
COMMENT ON COLUMN oversight.matter.handler_code IS 'Official who handled it (who must report, file and disclose).';
COMMENT ON COLUMN oversight.matter.first_responsible IS 'Section chief or unit head responsible on the event date (第一责任人).';
COMMENT ON COLUMN oversight.matter.primary_responsible IS 'Leader in charge on the event date (主要责任人), who receives the report.';
COMMENT ON COLUMN oversight.matter.status IS 'open, completed (every obligation met) or cancelled.';
COMMENT ON COLUMN oversight.matter.registered_at IS 'oversight.now() when registered.';
COMMENT ON COLUMN oversight.matter.registered_by IS 'session_user who registered it (the writer whose record formed it).';
COMMENT ON COLUMN oversight.matter.updated_at IS 'When its record was last corrected.';

CREATE TABLE oversight.obligation (
  obligation_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  matter_id        bigint NOT NULL REFERENCES oversight.matter ON DELETE CASCADE,
  kind             text NOT NULL CONSTRAINT obligation_kind_known
                     CHECK (kind IN ('leader_report', 'filing', 'public_disclosure', 'internal_disclosure')),
  due_on           date NOT NULL,
  person_code      text REFERENCES oversight.person ON UPDATE CASCADE,
  status           text NOT NULL DEFAULT 'open' CONSTRAINT obligation_status_known CHECK (status IN ('open', 'fulfilled', 'cancelled')),
  fulfilled_at     timestamptz,
  fulfilled_by     text,
  CONSTRAINT obligation_one_per_kind UNIQUE (matter_id, kind),
  CONSTRAINT obligation_fulfilment_recorded CHECK ((status = 'fulfilled') = (fulfilled_at IS NOT NULL))
);
COMMENT ON TABLE oversight.obligation IS
  'What a matter requires, per supervision layer of its node: a report to the leader in charge (一事一报), a filing with the discipline office (备案), a public or internal disclosure (政务公开/内部公开), each due a number of working days after the event. Fulfilled by the records oversight.matter_report, matter_filing and matter_disclosure.';
COMMENT ON COLUMN oversight.obligation.obligation_id IS 'Obligation number.';
COMMENT ON COLUMN oversight.obligation.matter_id IS 'Matter.';
COMMENT ON COLUMN oversight.obligation.kind IS 'leader_report, filing, public_disclosure or internal_disclosure (a confidential matter''s public disclosure becomes internal).';
COMMENT ON COLUMN oversight.obligation.due_on IS 'Deadline: the event date plus the node''s due_working_days, in working days (the calendar must cover it: OV001 otherwise).';
COMMENT ON COLUMN oversight.obligation.person_code IS 'Who must act (the handler, else the first responsible).';
COMMENT ON COLUMN oversight.obligation.status IS 'open, fulfilled or cancelled.';
COMMENT ON COLUMN oversight.obligation.fulfilled_at IS 'When it was met.';
COMMENT ON COLUMN oversight.obligation.fulfilled_by IS 'session_user who met it.';
CREATE INDEX obligation_person_open ON oversight.obligation (person_code) WHERE status = 'open';
COMMENT ON INDEX oversight.obligation_person_open IS 'Open obligations of a person.';

CREATE TABLE oversight.matter_report (
  report_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  matter_id     bigint NOT NULL REFERENCES oversight.matter ON DELETE CASCADE,
  submitted_by  text NOT NULL REFERENCES oversight.person ON UPDATE CASCADE,
  submitted_at  timestamptz NOT NULL,
  approver_code text NOT NULL REFERENCES oversight.person ON UPDATE CASCADE,
  snapshot      jsonb NOT NULL,
  report_text   text,
  decision      text CONSTRAINT matter_report_decision_known CHECK (decision IN ('approved', 'rejected')),
  decided_at    timestamptz,
  decision_note text,
  CONSTRAINT matter_report_decision_recorded CHECK ((decision IS NULL) = (decided_at IS NULL)),
  CONSTRAINT matter_report_not_self_approved CHECK (approver_code <> submitted_by)
);
COMMENT ON TABLE oversight.matter_report IS
  'Written reports of matters to the leader in charge (一事一报): who reported, to whom, a frozen snapshot of the matter as it stood, and the leader''s decision. A decided report fulfils the matter''s leader_report obligation; an approval releases a preventive hold.';
COMMENT ON COLUMN oversight.matter_report.report_id IS 'Report number.';
COMMENT ON COLUMN oversight.matter_report.matter_id IS 'Matter reported.';
COMMENT ON COLUMN oversight.matter_report.submitted_by IS 'Person who reported.';
COMMENT ON COLUMN oversight.matter_report.submitted_at IS 'When.';
COMMENT ON COLUMN oversight.matter_report.approver_code IS 'Leader in charge who must decide (the matter''s primary responsible).';
COMMENT ON COLUMN oversight.matter_report.snapshot IS 'The matter as it stood when reported (frozen).';
COMMENT ON COLUMN oversight.matter_report.report_text IS 'The report.';
COMMENT ON COLUMN oversight.matter_report.decision IS 'approved or rejected (NULL: awaiting decision).';
COMMENT ON COLUMN oversight.matter_report.decided_at IS 'When decided.';
COMMENT ON COLUMN oversight.matter_report.decision_note IS 'The leader''s note.';

CREATE TABLE oversight.matter_filing (
  filing_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  matter_id        bigint NOT NULL REFERENCES oversight.matter ON DELETE CASCADE,
  reference        text NOT NULL CONSTRAINT matter_filing_reference_present CHECK (btrim(reference) <> ''),
  receiving_office text NOT NULL REFERENCES oversight.org_unit ON UPDATE CASCADE,
  filed_at         timestamptz NOT NULL,
  filed_by         text NOT NULL REFERENCES oversight.person ON UPDATE CASCADE,
  CONSTRAINT matter_filing_reference_unique UNIQUE (receiving_office, reference)
);
COMMENT ON TABLE oversight.matter_filing IS 'Filings of matters (备案) with the discipline office, with the office''s reference; a filing fulfils the matter''s filing obligation and is the population of random spot checks.';
COMMENT ON COLUMN oversight.matter_filing.filing_id IS 'Filing number.';
COMMENT ON COLUMN oversight.matter_filing.matter_id IS 'Matter filed.';
COMMENT ON COLUMN oversight.matter_filing.reference IS 'Reference given by the receiving office.';
COMMENT ON COLUMN oversight.matter_filing.receiving_office IS 'Unit that received it (the discipline office).';
COMMENT ON COLUMN oversight.matter_filing.filed_at IS 'When.';
COMMENT ON COLUMN oversight.matter_filing.filed_by IS 'Person who filed.';

CREATE TABLE oversight.matter_disclosure (
  disclosure_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  matter_id      bigint NOT NULL REFERENCES oversight.matter ON DELETE CASCADE,
  scope          text NOT NULL CONSTRAINT matter_disclosure_scope_known CHECK (scope IN ('public', 'internal')),
  channel        text NOT NULL CONSTRAINT matter_disclosure_channel_present CHECK (btrim(channel) <> ''),
  index_no       text,
  published_at   timestamptz NOT NULL,
  published_by   text NOT NULL REFERENCES oversight.person ON UPDATE CASCADE
);
COMMENT ON TABLE oversight.matter_disclosure IS 'Disclosures of matters (政务公开/内部公开): channel, scope and the index number of the publication. A confidential matter can only be disclosed internally (enforced).';
COMMENT ON COLUMN oversight.matter_disclosure.disclosure_id IS 'Disclosure number.';
COMMENT ON COLUMN oversight.matter_disclosure.matter_id IS 'Matter disclosed.';
COMMENT ON COLUMN oversight.matter_disclosure.scope IS 'public or internal.';
COMMENT ON COLUMN oversight.matter_disclosure.channel IS 'Where (portal, notice board, intranet…).';
COMMENT ON COLUMN oversight.matter_disclosure.index_no IS 'Index number of the publication (索引号).';
COMMENT ON COLUMN oversight.matter_disclosure.published_at IS 'When.';
COMMENT ON COLUMN oversight.matter_disclosure.published_by IS 'Person who published.';

CREATE FUNCTION oversight.matter_disclosure_scope() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NEW.scope = 'public' AND (SELECT m.confidential FROM oversight.matter m WHERE m.matter_id = NEW.matter_id) THEN
    RAISE EXCEPTION '事项 % 涉密，只能内部公开 / matter % is confidential: it can only be disclosed internally', NEW.matter_id, NEW.matter_id
      USING ERRCODE = 'OV200';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION oversight.matter_disclosure_scope() IS 'BEFORE trigger function of oversight.matter_disclosure: a confidential matter is never disclosed publicly (OV200).';
CREATE TRIGGER matter_disclosure_scope BEFORE INSERT OR UPDATE ON oversight.matter_disclosure
  FOR EACH ROW EXECUTE FUNCTION oversight.matter_disclosure_scope();
COMMENT ON TRIGGER matter_disclosure_scope ON oversight.matter_disclosure IS 'Refuses the public disclosure of a confidential matter.';

CREATE TABLE oversight.hold (
  hold_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  matter_id      bigint NOT NULL REFERENCES oversight.matter ON DELETE CASCADE CONSTRAINT hold_one_per_matter UNIQUE,
  source_table   text NOT NULL,
  source_key     jsonb NOT NULL,
  held_at        timestamptz NOT NULL,
  released_at    timestamptz,
  released_by    text,
  release_reason text,
  CONSTRAINT hold_release_recorded CHECK ((released_at IS NULL) = (released_by IS NULL) AND (released_at IS NULL) = (release_reason IS NULL))
);
CREATE INDEX hold_active ON oversight.hold (source_table, source_key) WHERE released_at IS NULL;
COMMENT ON INDEX oversight.hold_active IS 'Active holds of a record.';
COMMENT ON TABLE oversight.hold IS
  'Preventive holds: a record (a payment) that may not proceed until its matter''s report is approved; released by the approval or by a person, with who and why. oversight.payment refuses status paid while held (OV101).';
COMMENT ON COLUMN oversight.hold.hold_id IS 'Hold number.';
COMMENT ON COLUMN oversight.hold.matter_id IS 'Matter whose report the hold waits for.';
COMMENT ON COLUMN oversight.hold.source_table IS 'Table of the record held.';
COMMENT ON COLUMN oversight.hold.source_key IS 'Key of the record held.';
COMMENT ON COLUMN oversight.hold.held_at IS 'When the hold started.';
COMMENT ON COLUMN oversight.hold.released_at IS 'When released (NULL: still held).';
COMMENT ON COLUMN oversight.hold.released_by IS 'session_user who released it.';
COMMENT ON COLUMN oversight.hold.release_reason IS 'Why (the report''s approval, or the reason given).';

CREATE FUNCTION oversight.payment_hold_check() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF TG_RELID <> 'oversight.payment'::pg_catalog.regclass THEN
    RAISE EXCEPTION 'oversight.payment_hold_check() 只能挂在 oversight.payment 上 / may only be attached to oversight.payment' USING ERRCODE = '42501';
  END IF;
  IF NEW.status = 'paid' AND OLD.status IS DISTINCT FROM 'paid'
     AND EXISTS (SELECT FROM oversight.hold h WHERE h.source_table = 'oversight.payment' AND h.released_at IS NULL
                   AND h.source_key = pg_catalog.jsonb_build_object('payment_code', NEW.payment_code)) THEN
    RAISE EXCEPTION '支付 % 处于预防性暂停，须先经分管领导批准报告 / payment % is held until its matter''s report is approved',
      NEW.payment_code, NEW.payment_code USING ERRCODE = 'OV101',
      HINT = 'The leader in charge approves the report (oversight.decide_report), or an inspector releases the hold with a reason (oversight.release_hold).';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION oversight.payment_hold_check() IS 'BEFORE UPDATE trigger function of oversight.payment (refuses any other table): a held payment cannot become paid (OV101).';
CREATE TRIGGER payment_hold_check BEFORE UPDATE OF status ON oversight.payment
  FOR EACH ROW EXECUTE FUNCTION oversight.payment_hold_check();
COMMENT ON TRIGGER payment_hold_check ON oversight.payment IS 'Preventive hold: a held payment stays unpaid until its report is approved or the hold is released.';

-------------------------------------------------------------------------------------------------------
-- Escalations: where each obligation or open alert stands on its ladder; the steps taken; cards; outbox.
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.escalation (
  subject_kind      text NOT NULL CONSTRAINT escalation_subject_known
                      CHECK (subject_kind IN ('obligation', 'alert', 'rectification', 'complaint_acceptance', 'complaint_handling')),
  subject_id        bigint NOT NULL,
  ladder_version_id bigint NOT NULL REFERENCES oversight.ladder_version,
  due_on            date NOT NULL,
  next_step_no      smallint,
  next_step_on      date,
  stopped_at        timestamptz,
  stop_reason       text,
  PRIMARY KEY (subject_kind, subject_id)
);
CREATE INDEX escalation_next ON oversight.escalation (next_step_on) WHERE stopped_at IS NULL AND next_step_on IS NOT NULL;
COMMENT ON INDEX oversight.escalation_next IS 'What is due next: the sweeper''s cost follows the items due, not the items open.';
COMMENT ON TABLE oversight.escalation IS
  'Where each obligation and each open, unacknowledged alert stands on its ladder (the version it started with), and when its next step is due. Fulfilling the obligation or acknowledging the alert stops it (not the evaluation).';
COMMENT ON COLUMN oversight.escalation.subject_kind IS 'obligation, alert, rectification, complaint_acceptance or complaint_handling.';
COMMENT ON COLUMN oversight.escalation.subject_id IS 'obligation_id, alert_id, rectification_id or complaint_id.';
COMMENT ON COLUMN oversight.escalation.ladder_version_id IS 'Ladder version it climbs (kept when the ladder is edited).';
COMMENT ON COLUMN oversight.escalation.due_on IS 'Deadline the steps count from.';
COMMENT ON COLUMN oversight.escalation.next_step_no IS 'Next step to take (NULL: top of the ladder reached).';
COMMENT ON COLUMN oversight.escalation.next_step_on IS 'Working day it is due.';
COMMENT ON COLUMN oversight.escalation.stopped_at IS 'When it stopped (fulfilled, acknowledged, closed).';
COMMENT ON COLUMN oversight.escalation.stop_reason IS 'Why it stopped.';

CREATE TABLE oversight.escalation_step (
  subject_kind      text NOT NULL,
  subject_id        bigint NOT NULL,
  step_no           smallint NOT NULL,
  step              text NOT NULL,
  ladder_version_id bigint NOT NULL,
  due_on            date NOT NULL,
  taken_at          timestamptz NOT NULL,
  target_role       text NOT NULL,
  person_code       text,
  unit_code         text,
  matter_id         bigint,
  deduction         numeric(6,2) NOT NULL,
  PRIMARY KEY (subject_kind, subject_id, step_no),
  FOREIGN KEY (subject_kind, subject_id) REFERENCES oversight.escalation
);
COMMENT ON TABLE oversight.escalation_step IS 'Every ladder step taken, exactly once per item and step (primary key), with its date, target and deduction.';
COMMENT ON COLUMN oversight.escalation_step.subject_kind IS 'obligation or alert.';
COMMENT ON COLUMN oversight.escalation_step.subject_id IS 'obligation_id or alert_id.';
COMMENT ON COLUMN oversight.escalation_step.step_no IS 'Step of the ladder.';
COMMENT ON COLUMN oversight.escalation_step.step IS 'prompt, warning, yellow_card, red_card or accountability.';
COMMENT ON COLUMN oversight.escalation_step.ladder_version_id IS 'Ladder version.';
COMMENT ON COLUMN oversight.escalation_step.due_on IS 'Working day the step was due.';
COMMENT ON COLUMN oversight.escalation_step.taken_at IS 'oversight.now() when the sweeper took it.';
COMMENT ON COLUMN oversight.escalation_step.target_role IS 'Role notified.';
COMMENT ON COLUMN oversight.escalation_step.person_code IS 'Person notified (NULL: the discipline office as a whole, or nobody holds the role).';
COMMENT ON COLUMN oversight.escalation_step.unit_code IS 'Unit concerned.';
COMMENT ON COLUMN oversight.escalation_step.matter_id IS 'Matter concerned (obligations).';
COMMENT ON COLUMN oversight.escalation_step.deduction IS 'Points deducted.';

CREATE TABLE oversight.card (
  card_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  card_kind     text NOT NULL CONSTRAINT card_kind_known CHECK (card_kind IN ('yellow', 'red')),
  subject_kind  text NOT NULL,
  subject_id    bigint NOT NULL,
  step_no       smallint NOT NULL,
  matter_id     bigint,
  alert_id      bigint,
  unit_code     text,
  person_code   text,
  issued_on     date NOT NULL,
  issued_at     timestamptz NOT NULL,
  deduction     numeric(6,2) NOT NULL,
  reason_zh     text NOT NULL,
  reason_en     text NOT NULL,
  CONSTRAINT card_one_per_step UNIQUE (subject_kind, subject_id, step_no),
  FOREIGN KEY (subject_kind, subject_id, step_no) REFERENCES oversight.escalation_step
);
COMMENT ON TABLE oversight.card IS 'Yellow and red cards (黄牌/红牌): permanent records, never changed or deleted, the input of assessment and accountability.';
COMMENT ON COLUMN oversight.card.card_id IS 'Card number.';
COMMENT ON COLUMN oversight.card.card_kind IS 'yellow or red.';
COMMENT ON COLUMN oversight.card.subject_kind IS 'obligation or alert.';
COMMENT ON COLUMN oversight.card.subject_id IS 'obligation_id or alert_id.';
COMMENT ON COLUMN oversight.card.step_no IS 'Ladder step that issued it.';
COMMENT ON COLUMN oversight.card.matter_id IS 'Matter concerned.';
COMMENT ON COLUMN oversight.card.alert_id IS 'Alert concerned.';
COMMENT ON COLUMN oversight.card.unit_code IS 'Unit carded.';
COMMENT ON COLUMN oversight.card.person_code IS 'Person carded (responsible on the event date).';
COMMENT ON COLUMN oversight.card.issued_on IS 'Working day it was due.';
COMMENT ON COLUMN oversight.card.issued_at IS 'When the sweeper issued it.';
COMMENT ON COLUMN oversight.card.deduction IS 'Points deducted.';
COMMENT ON COLUMN oversight.card.reason_zh IS 'Why, in Chinese.';
COMMENT ON COLUMN oversight.card.reason_en IS 'Why, in English.';
CREATE TRIGGER card_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON oversight.card
  FOR EACH STATEMENT EXECUTE FUNCTION oversight.audit_log_is_append_only();
COMMENT ON TRIGGER card_append_only ON oversight.card IS 'Cards are permanent: UPDATE, DELETE and TRUNCATE are refused.';

CREATE TABLE oversight.outbox (
  outbox_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  created_at    timestamptz NOT NULL,
  subject_kind  text NOT NULL,
  subject_id    bigint NOT NULL,
  step_no       smallint NOT NULL,
  step          text NOT NULL,
  matter_id     bigint,
  alert_id      bigint,
  unit_code     text,
  target_role   text NOT NULL,
  person_code   text,
  channel       text NOT NULL DEFAULT 'system',
  text_zh       text NOT NULL,
  text_en       text NOT NULL,
  CONSTRAINT outbox_one_per_step UNIQUE (subject_kind, subject_id, step_no),
  FOREIGN KEY (subject_kind, subject_id, step_no) REFERENCES oversight.escalation_step
);
COMMENT ON TABLE oversight.outbox IS 'Notifications to deliver, one per ladder step (recipient, texts in Chinese and English); each is also announced on channel oversight_outbox as {"outbox_id": n}. A mail or SMS gateway reads it.';
COMMENT ON COLUMN oversight.outbox.outbox_id IS 'Notification number.';
COMMENT ON COLUMN oversight.outbox.created_at IS 'When written.';
COMMENT ON COLUMN oversight.outbox.subject_kind IS 'obligation or alert.';
COMMENT ON COLUMN oversight.outbox.subject_id IS 'obligation_id or alert_id.';
COMMENT ON COLUMN oversight.outbox.step_no IS 'Ladder step.';
COMMENT ON COLUMN oversight.outbox.step IS 'prompt, warning, yellow_card, red_card or accountability.';
COMMENT ON COLUMN oversight.outbox.matter_id IS 'Matter concerned.';
COMMENT ON COLUMN oversight.outbox.alert_id IS 'Alert concerned.';
COMMENT ON COLUMN oversight.outbox.unit_code IS 'Unit concerned (row-level security).';
COMMENT ON COLUMN oversight.outbox.target_role IS 'Role of the recipient.';
COMMENT ON COLUMN oversight.outbox.person_code IS 'Recipient (NULL: the discipline office, or nobody holds the role).';
COMMENT ON COLUMN oversight.outbox.channel IS 'Delivery channel.';
COMMENT ON COLUMN oversight.outbox.text_zh IS 'Text in Chinese.';
COMMENT ON COLUMN oversight.outbox.text_en IS 'Text in English.';

CREATE TRIGGER ladder_step_locked BEFORE INSERT OR UPDATE OR DELETE ON oversight.ladder_step
  FOR EACH ROW EXECUTE FUNCTION oversight.ladder_step_locked();
COMMENT ON TRIGGER ladder_step_locked ON oversight.ladder_step IS 'Steps of a version in use are locked.';

-------------------------------------------------------------------------------------------------------
-- Ladders: versions, the dates of their steps, and which version an item starts with.
-------------------------------------------------------------------------------------------------------
CREATE FUNCTION oversight.ladder_for(p_subject_kind text, p_selector text) RETURNS bigint
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT v.ladder_version_id FROM oversight.ladder_binding b
    JOIN oversight.ladder_version v ON v.ladder_code = b.ladder_code AND v.is_current
   WHERE b.subject_kind = p_subject_kind AND b.selector IN (p_selector, '*')
   ORDER BY b.selector = '*' LIMIT 1
$$;
COMMENT ON FUNCTION oversight.ladder_for(text, text) IS 'The current ladder version bound to an obligation kind or alert severity (an exact binding before *); NULL when none.';

CREATE FUNCTION oversight.ladder_step_due(p_ladder_version_id bigint, p_step_no smallint, p_due_on date, p_previous_on date) RETURNS date
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT oversight.add_working_days(CASE s.anchor WHEN 'due' THEN p_due_on ELSE p_previous_on END, s.offset_working_days)
    FROM oversight.ladder_step s WHERE s.ladder_version_id = p_ladder_version_id AND s.step_no = p_step_no
$$;
COMMENT ON FUNCTION oversight.ladder_step_due(bigint, smallint, date, date) IS 'The working day a step is due: its offset in working days from the deadline or from the previous step''s day (OV001 when the calendar does not cover it). NULL when the ladder has no such step.';

CREATE FUNCTION oversight.start_escalation(p_subject_kind text, p_subject_id bigint, p_selector text, p_due_on date) RETURNS boolean
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE v bigint := oversight.ladder_for(p_subject_kind, p_selector);
BEGIN
  IF v IS NULL THEN
    RETURN false; -- no ladder bound: nothing climbs
  END IF;
  INSERT INTO oversight.escalation (subject_kind, subject_id, ladder_version_id, due_on, next_step_no, next_step_on)
  VALUES (p_subject_kind, p_subject_id, v, p_due_on, 1, oversight.ladder_step_due(v, 1::smallint, p_due_on, p_due_on))
  ON CONFLICT (subject_kind, subject_id) DO NOTHING;
  RETURN FOUND;
END $$;
COMMENT ON FUNCTION oversight.start_escalation(text, bigint, text, date) IS 'Puts an obligation or alert on the current version of its ladder, with its first step''s day. Internal.';

CREATE FUNCTION oversight.stop_escalation(p_subject_kind text, p_subject_id bigint, p_reason text) RETURNS void
  LANGUAGE sql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
  UPDATE oversight.escalation SET stopped_at = oversight.now(), stop_reason = p_reason
   WHERE subject_kind = p_subject_kind AND subject_id = p_subject_id AND stopped_at IS NULL
$$;
COMMENT ON FUNCTION oversight.stop_escalation(text, bigint, text) IS 'Stops an item''s climb (fulfilled, acknowledged, closed). Internal.';

CREATE FUNCTION oversight.new_ladder_version(p_ladder_code text, p_note text) RETURNS bigint
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE id bigint;
BEGIN
  IF p_note IS NULL OR btrim(p_note) = '' THEN
    RAISE EXCEPTION '修改阶梯须说明理由 / a reason is required to change a ladder' USING ERRCODE = '22023';
  END IF;
  INSERT INTO oversight.ladder_version (ladder_code, version, created_at, created_by, change_note)
  SELECT p_ladder_code, COALESCE(max(v.version), 0) + 1, oversight.now(), session_user, p_note
    FROM oversight.ladder_version v WHERE v.ladder_code = p_ladder_code
  RETURNING ladder_version_id INTO id;
  INSERT INTO oversight.ladder_step (ladder_version_id, step_no, step, anchor, offset_working_days, target_role, deduction, text_zh, text_en)
  SELECT id, s.step_no, s.step, s.anchor, s.offset_working_days, s.target_role, s.deduction, s.text_zh, s.text_en
    FROM oversight.ladder_step s JOIN oversight.ladder_version v ON v.ladder_version_id = s.ladder_version_id
   WHERE v.ladder_code = p_ladder_code AND v.is_current;
  RETURN id;
END $$;
COMMENT ON FUNCTION oversight.new_ladder_version(text, text) IS 'Starts a new version of a ladder as a copy of the current one (edit its steps in oversight.ladder_step, then oversight.activate_ladder_version()); returns its id.';

CREATE FUNCTION oversight.activate_ladder_version(p_ladder_version_id bigint) RETURNS bigint
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE code text;
BEGIN
  SELECT v.ladder_code INTO code FROM oversight.ladder_version v WHERE v.ladder_version_id = p_ladder_version_id;
  IF code IS NULL THEN
    RAISE EXCEPTION 'unknown ladder version %', p_ladder_version_id USING ERRCODE = '22023';
  END IF;
  IF NOT EXISTS (SELECT FROM oversight.ladder_step s WHERE s.ladder_version_id = p_ladder_version_id) THEN
    RAISE EXCEPTION '阶梯版本 % 没有步骤 / ladder version % has no steps', p_ladder_version_id, p_ladder_version_id USING ERRCODE = '22023';
  END IF;
  UPDATE oversight.ladder_version SET is_current = false WHERE ladder_code = code AND is_current;
  UPDATE oversight.ladder_version SET is_current = true WHERE ladder_version_id = p_ladder_version_id;
  RETURN p_ladder_version_id;
END $$;
COMMENT ON FUNCTION oversight.activate_ladder_version(bigint) IS 'Puts a ladder version in force for items that start climbing from now on; items already climbing keep theirs.';

-------------------------------------------------------------------------------------------------------
-- Forming matters: from a record (matter rules, through the engine) or by hand. One path for both.
-------------------------------------------------------------------------------------------------------
CREATE FUNCTION oversight.obligation_label(p_kind text, p_language text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN p_language = 'en' THEN
           CASE p_kind WHEN 'leader_report' THEN 'report to the leader in charge' WHEN 'filing' THEN 'filing'
                       WHEN 'public_disclosure' THEN 'public disclosure' WHEN 'internal_disclosure' THEN 'internal disclosure'
                       WHEN 'alert' THEN 'acknowledgement of the alert' WHEN 'rectification' THEN 'rectification'
                       WHEN 'complaint_acceptance' THEN 'decision on accepting the complaint' WHEN 'complaint_handling' THEN 'handling of the complaint'
                       ELSE p_kind END
         ELSE
           CASE p_kind WHEN 'leader_report' THEN '向分管领导报告' WHEN 'filing' THEN '备案'
                       WHEN 'public_disclosure' THEN '公开' WHEN 'internal_disclosure' THEN '内部公开'
                       WHEN 'alert' THEN '告警确认' WHEN 'rectification' THEN '整改'
                       WHEN 'complaint_acceptance' THEN '投诉受理决定' WHEN 'complaint_handling' THEN '投诉办理' ELSE p_kind END
         END
$$;
COMMENT ON FUNCTION oversight.obligation_label(text, text) IS 'Name of an obligation kind (or alert) in Chinese (zh) or English (en), for texts.';

-- The one path that forms matters, set-based: matter rules hand it every finding of a batch (through
-- oversight.record_matters, from oversight.record_hits: one call per batch, whatever its size), a person
-- one matter (oversight.register_matter, through oversight.open_matter). No PL/pgSQL call per matter or
-- per obligation: deadlines are computed once per distinct (event date, working days), ladders once per
-- obligation kind, first steps once per (ladder, deadline), the people responsible once per (node, date)
-- and (unit, date).
CREATE TYPE oversight.matter_input AS (
  fingerprint      text,
  node_code        text,
  matter_rule_code text,
  rule_version_id  bigint,
  source_table     text,
  source_key       jsonb,
  unit_code        text,
  event_date       date,
  title            text,
  title_en         text,
  details          jsonb,
  confidential     boolean,
  handler_code     text,
  hold             boolean
);
COMMENT ON TYPE oversight.matter_input IS 'A matter to form (or, for a fingerprint seen before, to update): the input of oversight.form_matters().';
COMMENT ON COLUMN oversight.matter_input.fingerprint IS 'Identity: md5(node | table | key) for a record, a generated one for a matter registered by hand.';
COMMENT ON COLUMN oversight.matter_input.node_code IS 'Key node.';
COMMENT ON COLUMN oversight.matter_input.matter_rule_code IS 'Matter rule that formed it (NULL: by hand).';
COMMENT ON COLUMN oversight.matter_input.rule_version_id IS 'Its version.';
COMMENT ON COLUMN oversight.matter_input.source_table IS 'Table of the record.';
COMMENT ON COLUMN oversight.matter_input.source_key IS 'Key of the record.';
COMMENT ON COLUMN oversight.matter_input.unit_code IS 'Unit (unknown units are kept as NULL).';
COMMENT ON COLUMN oversight.matter_input.event_date IS 'Date of the act.';
COMMENT ON COLUMN oversight.matter_input.title IS 'Title (Chinese for rules).';
COMMENT ON COLUMN oversight.matter_input.title_en IS 'Title in English, or NULL.';
COMMENT ON COLUMN oversight.matter_input.details IS 'Facts of the record.';
COMMENT ON COLUMN oversight.matter_input.confidential IS 'Internal disclosure only.';
COMMENT ON COLUMN oversight.matter_input.handler_code IS 'Handler''s person code (unknown people are kept as NULL).';
COMMENT ON COLUMN oversight.matter_input.hold IS 'Hold the record until the report is approved.';

CREATE FUNCTION oversight.working_day_after(p_start date, p_days integer) RETURNS date
  LANGUAGE plpgsql STABLE STRICT
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN oversight.add_working_days(p_start, p_days);
EXCEPTION WHEN SQLSTATE 'OV001' THEN
  RETURN NULL;
END $$;
COMMENT ON FUNCTION oversight.working_day_after(date, integer) IS
  'oversight.add_working_days(), or NULL where the calendar does not cover the way (instead of OV001): lets a batch form the matters it can date. Internal.';

CREATE FUNCTION oversight.first_step_due(p_ladder_version_id bigint, p_due_on date) RETURNS date
  LANGUAGE plpgsql STABLE STRICT
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN oversight.ladder_step_due(p_ladder_version_id, 1::smallint, p_due_on, p_due_on);
EXCEPTION WHEN SQLSTATE 'OV001' THEN
  RETURN NULL;
END $$;
COMMENT ON FUNCTION oversight.first_step_due(bigint, date) IS
  'The day the first step of a ladder version is due for a deadline (oversight.ladder_step_due()), or NULL where the calendar does not cover it. Internal.';

CREATE FUNCTION oversight.matter_layers(p_node_code text, p_confidential boolean)
  RETURNS TABLE (kind text, days integer)
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT DISTINCT ON (l.kind) l.kind, n.due_working_days
    FROM oversight.node_supervision n
   CROSS JOIN LATERAL (SELECT CASE WHEN n.supervision_mode = 'public_disclosure' AND COALESCE(p_confidential, false)
                                   THEN 'internal_disclosure' ELSE n.supervision_mode END AS kind) l
   WHERE n.node_code = p_node_code AND n.supervision_mode <> 'online_monitoring'
   ORDER BY l.kind, n.supervision_mode
$$;
COMMENT ON FUNCTION oversight.matter_layers(text, boolean) IS
  'The obligations a matter at a node owes: one per supervision layer but online monitoring, with its working days (a confidential matter''s public disclosure becomes an internal one). Internal.';

CREATE FUNCTION oversight.form_matters(p_matters oversight.matter_input[])
  RETURNS TABLE (fingerprint text, matter_id bigint, outcome text, event_date date)
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_now timestamptz := oversight.now();
  v_new oversight.matter_input[];
  -- Lookups built once per call, read per matter and obligation by key (no join between the batch's
  -- intermediate results, whose sizes the planner cannot know, and no function call per matter): the
  -- obligations of a node by 'node|confidential', deadlines by 'event date|working days', ladder
  -- versions by obligation kind, first steps by 'ladder version|deadline', the people responsible by
  -- 'node|date' (the node's owning unit) and 'unit|date' (the record's unit), holds by fingerprint.
  v_due jsonb;
  v_ladder jsonb;
  v_first jsonb;
  v_no_first jsonb;
  v_owner jsonb;
  v_unit jsonb;
  v_hold jsonb;
  v_layers jsonb;
BEGIN
  -- The same record again never makes a second matter: its title and details are updated, and
  -- updated_at set, when they changed (a correction of the record shows on the matter).
  RETURN QUERY
  WITH inp AS (
    SELECT DISTINCT ON (u.fingerprint) u.* FROM pg_catalog.unnest(p_matters) WITH ORDINALITY AS u ORDER BY u.fingerprint, u.ordinality),
  upd AS (
    UPDATE oversight.matter m SET title = i.title, title_en = i.title_en, details = i.details, updated_at = v_now
      FROM inp i
     WHERE m.fingerprint = i.fingerprint AND (m.title, m.title_en, m.details) IS DISTINCT FROM (i.title, i.title_en, i.details)
    RETURNING m.fingerprint, m.matter_id, m.event_date)
  SELECT u.fingerprint, u.matter_id, 'updated', u.event_date FROM upd u
  UNION ALL
  SELECT m.fingerprint, m.matter_id, 'unchanged', m.event_date
    FROM inp i JOIN oversight.matter m ON m.fingerprint = i.fingerprint
   WHERE (m.title, m.title_en, m.details) IS NOT DISTINCT FROM (i.title, i.title_en, i.details);

  SELECT pg_catalog.array_agg(x.m ORDER BY x.o) INTO v_new
    FROM (SELECT DISTINCT ON ((u.m).fingerprint) u.m, u.o
            FROM (SELECT pg_catalog.unnest(p_matters) AS m, pg_catalog.generate_series(1, pg_catalog.cardinality(p_matters)) AS o) u
           WHERE NOT EXISTS (SELECT FROM oversight.matter mt WHERE mt.fingerprint = (u.m).fingerprint)
           ORDER BY (u.m).fingerprint, u.o) x;
  IF v_new IS NULL THEN
    RETURN;
  END IF;

  -- New matters: one obligation per supervision layer of the node (a confidential matter's public
  -- disclosure becomes an internal one), due the layer's working days after the event, owed by the
  -- handler (else the section chief), each on the current version of its ladder; the people
  -- responsible on the day of the act (the node's owning unit's leaders, else the unit's own); a hold
  -- when asked. A matter whose deadlines the calendar does not cover is not formed ('undated').
  SELECT pg_catalog.jsonb_object_agg(x.node_code || '|' || x.confidential,
                                     (SELECT COALESCE(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('kind', l.kind, 'days', l.days)), '[]')
                                        FROM oversight.matter_layers(x.node_code, x.confidential) l)) INTO v_layers
    FROM (SELECT DISTINCT u.node_code, COALESCE(u.confidential, false) AS confidential FROM pg_catalog.unnest(v_new) u) x;
  SELECT pg_catalog.jsonb_object_agg(d.event_date || '|' || d.days, oversight.working_day_after(d.event_date, d.days)) INTO v_due
    FROM (SELECT DISTINCT u.event_date, l.days FROM pg_catalog.unnest(v_new) u
           CROSS JOIN LATERAL pg_catalog.jsonb_to_recordset(v_layers -> (u.node_code || '|' || COALESCE(u.confidential, false))) AS l(kind text, days integer)) d;
  SELECT pg_catalog.jsonb_object_agg(k.kind, oversight.ladder_for('obligation', k.kind)) INTO v_ladder
    FROM pg_catalog.unnest(ARRAY['leader_report', 'filing', 'public_disclosure', 'internal_disclosure']) AS k(kind);
  SELECT pg_catalog.jsonb_object_agg(l.v::text, true) INTO v_no_first
    FROM (SELECT DISTINCT (e.value #>> '{}')::bigint AS v FROM pg_catalog.jsonb_each(v_ladder) e WHERE e.value <> 'null') l
   WHERE NOT EXISTS (SELECT FROM oversight.ladder_step s WHERE s.ladder_version_id = l.v AND s.step_no = 1);
  SELECT pg_catalog.jsonb_object_agg(f.v || '|' || f.due, oversight.first_step_due(f.v, f.due)) INTO v_first
    FROM (SELECT DISTINCT (v_ladder ->> l.kind)::bigint AS v, (v_due ->> (u.event_date || '|' || l.days))::date AS due
            FROM pg_catalog.unnest(v_new) u
           CROSS JOIN LATERAL pg_catalog.jsonb_to_recordset(v_layers -> (u.node_code || '|' || COALESCE(u.confidential, false))) AS l(kind text, days integer)) f
   WHERE f.v IS NOT NULL AND f.due IS NOT NULL;
  SELECT pg_catalog.jsonb_object_agg(x.node_code || '|' || x.event_date, x.people) INTO v_owner
    FROM (SELECT o.node_code, o.event_date,
                 pg_catalog.jsonb_build_object('first', pg_catalog.max(r.person_code) FILTER (WHERE r.responsibility = 'first'),
                                               'primary', pg_catalog.max(r.person_code) FILTER (WHERE r.responsibility = 'primary')) AS people
            FROM (SELECT DISTINCT u.node_code, u.event_date FROM pg_catalog.unnest(v_new) u) o
            LEFT JOIN LATERAL oversight.responsible_for(o.node_code, o.event_date) r ON true
           GROUP BY o.node_code, o.event_date) x;
  SELECT pg_catalog.jsonb_object_agg(x.unit_code || '|' || x.event_date, x.people) INTO v_unit
    FROM (SELECT o.unit_code, o.event_date,
                 pg_catalog.jsonb_build_object('first', pg_catalog.max(r.person_code) FILTER (WHERE r.responsibility = 'first'),
                                               'primary', pg_catalog.max(r.person_code) FILTER (WHERE r.responsibility = 'primary')) AS people
            FROM (SELECT DISTINCT u.unit_code, u.event_date FROM pg_catalog.unnest(v_new) u
                   WHERE u.unit_code IS NOT NULL
                     AND v_owner -> (u.node_code || '|' || u.event_date) = '{"first": null, "primary": null}') o
            LEFT JOIN LATERAL oversight.unit_responsible(o.unit_code, o.event_date) r ON true
           GROUP BY o.unit_code, o.event_date) x;
  SELECT pg_catalog.jsonb_object_agg(u.fingerprint, true) INTO v_hold FROM pg_catalog.unnest(v_new) u WHERE u.hold AND u.source_table IS NOT NULL;

  RETURN QUERY
  WITH cand AS (
    SELECT u.*,
           EXISTS (SELECT FROM pg_catalog.jsonb_to_recordset(v_layers -> (u.node_code || '|' || COALESCE(u.confidential, false))) AS l(kind text, days integer)
                    CROSS JOIN LATERAL (SELECT (v_due ->> (u.event_date || '|' || l.days))::date AS due) d
                    WHERE d.due IS NULL
                       OR (v_ladder ->> l.kind IS NOT NULL AND NOT COALESCE(v_no_first ? (v_ladder ->> l.kind), false)
                           AND v_first ->> ((v_ladder ->> l.kind) || '|' || d.due) IS NULL)) AS undated,
           COALESCE(v_owner -> (u.node_code || '|' || u.event_date), '{}') AS owner_people,
           COALESCE(v_unit -> (u.unit_code || '|' || u.event_date), '{}') AS unit_people
      FROM pg_catalog.unnest(v_new) u),
  ins AS (
    INSERT INTO oversight.matter (fingerprint, node_code, matter_rule_code, rule_version_id, source_table, source_key, unit_code, event_date,
                                  title, title_en, details, confidential, handler_code, first_responsible, primary_responsible,
                                  registered_at, registered_by)
    SELECT c.fingerprint, c.node_code, c.matter_rule_code, c.rule_version_id, c.source_table, c.source_key,
           CASE WHEN EXISTS (SELECT FROM oversight.org_unit ou WHERE ou.unit_code = c.unit_code) THEN c.unit_code END,
           c.event_date, c.title, c.title_en, c.details, COALESCE(c.confidential, false),
           CASE WHEN EXISTS (SELECT FROM oversight.person p WHERE p.person_code = c.handler_code) THEN c.handler_code END,
           CASE WHEN c.owner_people = '{"first": null, "primary": null}' THEN c.unit_people ->> 'first' ELSE c.owner_people ->> 'first' END,
           CASE WHEN c.owner_people = '{"first": null, "primary": null}' THEN c.unit_people ->> 'primary' ELSE c.owner_people ->> 'primary' END,
           v_now, session_user
      FROM cand c
     WHERE NOT c.undated
    ON CONFLICT (fingerprint) DO NOTHING -- formed at the same moment by another writer: theirs
    RETURNING matter_id, fingerprint, node_code, event_date, confidential, handler_code, first_responsible, source_table, source_key),
  obl AS (
    INSERT INTO oversight.obligation (matter_id, kind, due_on, person_code)
    SELECT m.matter_id, l.kind, (v_due ->> (m.event_date || '|' || l.days))::date, COALESCE(m.handler_code, m.first_responsible)
      FROM ins m CROSS JOIN LATERAL pg_catalog.jsonb_to_recordset(v_layers -> (m.node_code || '|' || m.confidential)) AS l(kind text, days integer)
    RETURNING obligation_id, kind, due_on),
  esc AS (
    INSERT INTO oversight.escalation (subject_kind, subject_id, ladder_version_id, due_on, next_step_no, next_step_on)
    SELECT 'obligation', o.obligation_id, (v_ladder ->> o.kind)::bigint, o.due_on, 1, (v_first ->> ((v_ladder ->> o.kind) || '|' || o.due_on))::date
      FROM obl o
     WHERE v_ladder ->> o.kind IS NOT NULL
    ON CONFLICT (subject_kind, subject_id) DO NOTHING
    RETURNING subject_id),
  held AS (
    INSERT INTO oversight.hold (matter_id, source_table, source_key, held_at)
    SELECT m.matter_id, m.source_table, m.source_key, v_now FROM ins m WHERE v_hold ? m.fingerprint
    RETURNING hold_id)
  SELECT m.fingerprint, m.matter_id, 'formed', m.event_date FROM ins m
  UNION ALL
  SELECT c.fingerprint, NULL::bigint, 'undated', c.event_date FROM cand c WHERE c.undated;
END $$;
COMMENT ON FUNCTION oversight.form_matters(oversight.matter_input[]) IS
  'Forms matters set-based — the one path of matter rules and of matters registered by hand: for a fingerprint seen before, updates the matter''s title and details when they changed (never a second matter); for a new one, resolves the people responsible on the event date, creates the obligations of its node''s supervision layers with their deadlines in working days and puts them on their ladder, and holds the record when asked. Deadlines are computed once per distinct (event date, working days), first ladder steps once per (ladder, deadline), the people responsible once per (node, date) and (unit, date). Returns each fingerprint''s matter, outcome (formed, updated, unchanged, or undated: the calendar does not cover its deadlines, nothing formed) and event date. Internal.';

CREATE FUNCTION oversight.open_matter(p_node_code text, p_fingerprint text, p_rule_code text, p_rule_version_id bigint,
                                      p_source_table text, p_source_key jsonb, p_unit_code text, p_event_date date, p_title text,
                                      p_details jsonb, p_confidential boolean, p_handler_code text, p_hold boolean)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE f record;
BEGIN
  SELECT x.matter_id, x.outcome INTO f
    FROM oversight.form_matters(ARRAY[ROW(p_fingerprint, p_node_code, p_rule_code, p_rule_version_id, p_source_table, p_source_key,
                                          p_unit_code, p_event_date, p_title, NULL, p_details, COALESCE(p_confidential, false),
                                          p_handler_code, COALESCE(p_hold, false))::oversight.matter_input]) x;
  IF f.outcome = 'undated' THEN
    -- A person is told at once, with the calendar's own error (OV001) naming the year to load.
    PERFORM oversight.add_working_days(p_event_date, n.due_working_days) FROM oversight.node_supervision n
     WHERE n.node_code = p_node_code AND n.supervision_mode <> 'online_monitoring';
    RAISE EXCEPTION 'no working-day calendar for the deadlines of a matter dated %', p_event_date USING ERRCODE = 'OV001',
      HINT = 'Load the holiday arrangement of the years concerned into oversight.calendar_year and oversight.calendar_day.';
  END IF;
  RETURN f.matter_id;
END $$;
COMMENT ON FUNCTION oversight.open_matter(text, text, text, bigint, text, jsonb, text, date, text, jsonb, boolean, text, boolean) IS
  'Forms one matter through oversight.form_matters() (or, for a fingerprint seen before, updates its title and details) and returns its number; a date the calendar does not cover is OV001. The path of oversight.register_matter(). Internal.';

CREATE FUNCTION oversight.record_matters(p_rule_version_ids bigint[], p_object_tables text[], p_object_keys jsonb[], p_unit_codes text[],
                                         p_titles text[], p_details jsonb[], p_path text)
  RETURNS TABLE (formed integer, updated integer, undated integer)
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_inputs oversight.matter_input[];
  v_years text;
  v_first_undated text;
  f record;
BEGIN
  -- One matter per node and record: fingerprint md5(node | table | key). A finding carries what the
  -- matter needs in its details (the C++ kind matter_when): event_date (NULL: the day of the write),
  -- handler_code, title_en, hold, confidential and the facts of the record.
  SELECT pg_catalog.array_agg(ROW(pg_catalog.md5(r.node_code || '|' || u.tb || '|' || u.k::text), r.node_code, r.rule_code, u.rv, u.tb, u.k,
                                  u.unit, COALESCE((u.det ->> 'event_date')::date, oversight.today()),
                                  COALESCE(NULLIF(pg_catalog.btrim(u.title), ''), r.title_zh, r.title),
                                  NULLIF(pg_catalog.btrim(u.det ->> 'title_en'), ''), u.det -> 'facts',
                                  COALESCE((u.det ->> 'confidential')::boolean, false), u.det ->> 'handler_code',
                                  COALESCE((u.det ->> 'hold')::boolean, false))::oversight.matter_input ORDER BY u.ord)
    INTO v_inputs
    FROM ROWS FROM (pg_catalog.unnest(p_rule_version_ids), pg_catalog.unnest(p_object_tables), pg_catalog.unnest(p_object_keys),
                    pg_catalog.unnest(p_unit_codes), pg_catalog.unnest(p_titles), pg_catalog.unnest(p_details))
         WITH ORDINALITY AS u(rv, tb, k, unit, title, det, ord)
    JOIN oversight.rule_version v ON v.rule_version_id = u.rv
    JOIN oversight.rule r ON r.rule_code = v.rule_code;
  SELECT pg_catalog.count(*) FILTER (WHERE x.outcome = 'formed')::integer,
         pg_catalog.count(*) FILTER (WHERE x.outcome = 'updated')::integer,
         pg_catalog.count(*) FILTER (WHERE x.outcome = 'undated')::integer,
         pg_catalog.string_agg(DISTINCT EXTRACT(year FROM x.event_date)::text, ', ') FILTER (WHERE x.outcome = 'undated'),
         pg_catalog.min(x.fingerprint) FILTER (WHERE x.outcome = 'undated')
    INTO formed, updated, undated, v_years, v_first_undated
    FROM oversight.form_matters(v_inputs) x;
  IF undated > 0 THEN
    -- Never a guess and never a failed write: the matters are not formed, and the fault says which
    -- calendar years to load (writing the records again then forms them).
    SELECT i.rule_version_id, i.source_table, i.source_key INTO f FROM pg_catalog.unnest(v_inputs) i WHERE i.fingerprint = v_first_undated LIMIT 1;
    PERFORM oversight.record_fault(f.rule_version_id, f.source_table, f.source_key, 'OV001',
      pg_catalog.format('%s matter(s) not formed: no working-day calendar for their deadlines (event years %s)', undated, v_years),
      'Load the holiday arrangement of those years into oversight.calendar_year and oversight.calendar_day, then write the records again.',
      p_path, pg_catalog.cardinality(p_rule_version_ids));
  END IF;
  RETURN NEXT;
END $$;
COMMENT ON FUNCTION oversight.record_matters(bigint[], text[], jsonb[], text[], text[], jsonb[], text) IS
  'Forms the matters of a batch''s matter-rule findings (from oversight.record_hits) through oversight.form_matters(): one per node and record (fingerprint md5(node | table | key)), the event date the finding gives (else the day of the write). Matters whose deadlines the calendar does not cover are not formed and recorded as one engine fault (OV001). Returns how many were formed, updated and left undated. Engine-internal.';

CREATE FUNCTION oversight.register_matter(p_node_code text, p_unit_code text, p_event_date date, p_title text,
                                          p_details jsonb DEFAULT NULL, p_confidential boolean DEFAULT false, p_handler_code text DEFAULT NULL)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE id bigint;
BEGIN
  IF NOT EXISTS (SELECT FROM oversight.key_node k WHERE k.node_code = p_node_code) THEN
    RAISE EXCEPTION '未知的关键节点 "%" / unknown key node "%"', p_node_code, p_node_code USING ERRCODE = '22023';
  END IF;
  IF p_title IS NULL OR btrim(p_title) = '' THEN
    RAISE EXCEPTION '事项须有标题 / a matter needs a title' USING ERRCODE = '22023';
  END IF;
  IF NOT (oversight.sees_all_units() OR p_unit_code = ANY (oversight.visible_units())) THEN
    RAISE EXCEPTION '无权为单位 % 登记事项 / not allowed to register matters of unit %', p_unit_code, p_unit_code USING ERRCODE = '42501';
  END IF;
  id := oversight.open_matter(p_node_code, 'manual:' || pg_catalog.md5(pg_catalog.clock_timestamp()::text || pg_catalog.random()::text || session_user),
                             NULL, NULL, NULL, NULL, p_unit_code, p_event_date, p_title, p_details, p_confidential, p_handler_code, false);
  -- Matters formed by rules come from audited records; one registered by hand is audited here.
  PERFORM oversight.audit('insert', 'oversight.matter', pg_catalog.jsonb_build_object('matter_id', id), NULL,
                          (SELECT pg_catalog.to_jsonb(m) FROM oversight.matter m WHERE m.matter_id = id), 'registered by hand');
  RETURN id;
END $$;
COMMENT ON FUNCTION oversight.register_matter(text, text, date, text, jsonb, boolean, text) IS
  'Registers by hand a matter of a power that has no table (a cadre decision, a 三重一大 meeting…): its obligations and their ladder follow as for any matter. Returns the matter number.';

CREATE FUNCTION oversight.fulfil_obligation(p_matter_id bigint, p_kinds text[], p_reason text) RETURNS integer
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE n integer := 0; o bigint;
BEGIN
  FOR o IN UPDATE oversight.obligation SET status = 'fulfilled', fulfilled_at = oversight.now(), fulfilled_by = session_user
            WHERE matter_id = p_matter_id AND kind = ANY (p_kinds) AND status = 'open' RETURNING obligation_id LOOP
    PERFORM oversight.stop_escalation('obligation', o, p_reason);
    n := n + 1;
  END LOOP;
  UPDATE oversight.matter SET status = 'completed'
   WHERE matter_id = p_matter_id AND status = 'open'
     AND NOT EXISTS (SELECT FROM oversight.obligation x WHERE x.matter_id = p_matter_id AND x.status = 'open');
  RETURN n;
END $$;
COMMENT ON FUNCTION oversight.fulfil_obligation(bigint, text[], text) IS 'Marks a matter''s open obligations of the given kinds fulfilled, stops their climb, and completes the matter when nothing is left. Internal.';

-- Who is acting, and may they act on this matter (its handler or responsible people, or an inspector)?
CREATE FUNCTION oversight.matter_actor(p_matter_id bigint) RETURNS text
  LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  me text := oversight.acting_person();
  m oversight.matter;
BEGIN
  SELECT * INTO m FROM oversight.matter x WHERE x.matter_id = p_matter_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION '未知事项 % / unknown matter %', p_matter_id, p_matter_id USING ERRCODE = '22023';
  END IF;
  IF me IS NULL THEN
    RAISE EXCEPTION '登录 % 未登记为人员 / login % is not registered as a person (oversight.person.login_role)', session_user, session_user
      USING ERRCODE = '42501';
  END IF;
  IF me IS DISTINCT FROM m.handler_code AND me IS DISTINCT FROM m.first_responsible AND me IS DISTINCT FROM m.primary_responsible
     AND NOT pg_catalog.pg_has_role(session_user, 'oversight_inspector', 'MEMBER') THEN
    RAISE EXCEPTION '% 不是事项 % 的经办人或责任人 / % is neither the handler nor a responsible person of matter %', me, p_matter_id, me, p_matter_id
      USING ERRCODE = '42501';
  END IF;
  RETURN me;
END $$;
COMMENT ON FUNCTION oversight.matter_actor(bigint) IS 'The acting person, checked to be the matter''s handler or one of its responsible people (or an inspector). Internal.';

CREATE FUNCTION oversight.submit_report(p_matter_id bigint, p_report_text text) RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  me text := oversight.matter_actor(p_matter_id);
  m oversight.matter;
  id bigint;
BEGIN
  SELECT * INTO m FROM oversight.matter x WHERE x.matter_id = p_matter_id;
  IF m.primary_responsible IS NULL THEN
    RAISE EXCEPTION '事项 % 发生之日（%）无分管领导，无从报告 / matter %: nobody was leader in charge on % to report to', p_matter_id, m.event_date,
      p_matter_id, m.event_date USING ERRCODE = '55000', HINT = 'Record the assignment (oversight.assignment) of the leader in charge for that day.';
  END IF;
  IF EXISTS (SELECT FROM oversight.matter_report r WHERE r.matter_id = p_matter_id AND r.decision IS DISTINCT FROM 'rejected') THEN
    RAISE EXCEPTION '事项 % 已报告（一事一报）/ matter % has already been reported (one report per matter)', p_matter_id, p_matter_id USING ERRCODE = '55000';
  END IF;
  INSERT INTO oversight.matter_report (matter_id, submitted_by, submitted_at, approver_code, snapshot, report_text)
  VALUES (p_matter_id, me, oversight.now(), m.primary_responsible,
          pg_catalog.to_jsonb(m) || pg_catalog.jsonb_build_object('obligations',
            (SELECT pg_catalog.jsonb_agg(pg_catalog.to_jsonb(o) ORDER BY o.obligation_id) FROM oversight.obligation o WHERE o.matter_id = p_matter_id)),
          p_report_text)
  RETURNING report_id INTO id;
  RETURN id;
END $$;
COMMENT ON FUNCTION oversight.submit_report(bigint, text) IS 'Reports a matter in writing to the leader in charge on its event date (一事一报), freezing a snapshot of the matter; by its handler or a responsible person. Returns the report number.';

CREATE FUNCTION oversight.decide_report(p_report_id bigint, p_decision text, p_note text DEFAULT NULL) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r oversight.matter_report;
  me text := oversight.acting_person();
BEGIN
  SELECT * INTO r FROM oversight.matter_report x WHERE x.report_id = p_report_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION '未知报告 % / unknown report %', p_report_id, p_report_id USING ERRCODE = '22023';
  END IF;
  IF me IS DISTINCT FROM r.approver_code THEN
    RAISE EXCEPTION '报告 % 须由分管领导 % 审批 / report % must be decided by the leader in charge, %', p_report_id, r.approver_code, p_report_id, r.approver_code
      USING ERRCODE = '42501';
  END IF;
  IF r.decision IS NOT NULL THEN
    RAISE EXCEPTION '报告 % 已审批 / report % has already been decided', p_report_id, p_report_id USING ERRCODE = '55000';
  END IF;
  IF p_decision NOT IN ('approved', 'rejected') THEN
    RAISE EXCEPTION 'a decision is approved or rejected, not "%"', p_decision USING ERRCODE = '22023';
  END IF;
  UPDATE oversight.matter_report SET decision = p_decision, decided_at = oversight.now(), decision_note = p_note WHERE report_id = p_report_id;
  PERFORM oversight.fulfil_obligation(r.matter_id, ARRAY['leader_report'], 'report decided');
  IF p_decision = 'approved' THEN
    UPDATE oversight.hold SET released_at = oversight.now(), released_by = session_user, release_reason = 'report ' || p_report_id || ' approved'
     WHERE matter_id = r.matter_id AND released_at IS NULL;
  END IF;
  RETURN p_decision;
END $$;
COMMENT ON FUNCTION oversight.decide_report(bigint, text, text) IS 'The leader in charge decides a report (approved or rejected), which fulfils the matter''s report obligation; an approval releases the matter''s preventive hold.';

CREATE FUNCTION oversight.record_filing(p_matter_id bigint, p_reference text, p_receiving_office text) RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  me text := oversight.matter_actor(p_matter_id);
  id bigint;
BEGIN
  INSERT INTO oversight.matter_filing (matter_id, reference, receiving_office, filed_at, filed_by)
  VALUES (p_matter_id, p_reference, p_receiving_office, oversight.now(), me) RETURNING filing_id INTO id;
  PERFORM oversight.fulfil_obligation(p_matter_id, ARRAY['filing'], 'filed');
  RETURN id;
END $$;
COMMENT ON FUNCTION oversight.record_filing(bigint, text, text) IS 'Records the filing (备案) of a matter with the discipline office, with the office''s reference; fulfils the matter''s filing obligation.';

CREATE FUNCTION oversight.publish_disclosure(p_matter_id bigint, p_scope text, p_channel text, p_index_no text DEFAULT NULL) RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  me text := oversight.matter_actor(p_matter_id);
  id bigint;
BEGIN
  INSERT INTO oversight.matter_disclosure (matter_id, scope, channel, index_no, published_at, published_by)
  VALUES (p_matter_id, p_scope, p_channel, p_index_no, oversight.now(), me) RETURNING disclosure_id INTO id;
  -- A public disclosure also meets an internal one; an internal one never meets a public one.
  PERFORM oversight.fulfil_obligation(p_matter_id,
    CASE p_scope WHEN 'public' THEN ARRAY['public_disclosure', 'internal_disclosure'] ELSE ARRAY['internal_disclosure'] END, 'disclosed');
  RETURN id;
END $$;
COMMENT ON FUNCTION oversight.publish_disclosure(bigint, text, text, text) IS 'Records the disclosure of a matter (public or internal: a confidential matter only internally, OV200), with its channel and index number; fulfils the matching disclosure obligations.';

CREATE FUNCTION oversight.release_hold(p_matter_id bigint, p_reason text) RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE me text := oversight.acting_person();
BEGIN
  IF p_reason IS NULL OR btrim(p_reason) = '' THEN
    RAISE EXCEPTION '解除暂停须说明理由 / a reason is required to release a hold' USING ERRCODE = '22023';
  END IF;
  IF NOT pg_catalog.pg_has_role(session_user, 'oversight_inspector', 'MEMBER')
     AND me IS DISTINCT FROM (SELECT m.primary_responsible FROM oversight.matter m WHERE m.matter_id = p_matter_id) THEN
    RAISE EXCEPTION '只有分管领导或纪检监察人员可以解除暂停 / only the leader in charge or an inspector may release a hold' USING ERRCODE = '42501';
  END IF;
  UPDATE oversight.hold SET released_at = oversight.now(), released_by = session_user, release_reason = p_reason
   WHERE matter_id = p_matter_id AND released_at IS NULL;
  RETURN FOUND;
END $$;
COMMENT ON FUNCTION oversight.release_hold(bigint, text) IS 'Releases a matter''s preventive hold, with a reason (the leader in charge or an inspector); recorded with who and why.';

-------------------------------------------------------------------------------------------------------
-- The ladder, run by the sweeper: every due step exactly once, cost following the items due.
-------------------------------------------------------------------------------------------------------
ALTER TABLE oversight.alert ADD COLUMN escalation_started boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN oversight.alert.escalation_started IS 'True once the sweeper put the alert on its ladder (alerts open before 0.4.0 are not put on one).';
UPDATE oversight.alert SET escalation_started = true;
CREATE INDEX alert_escalation_pending ON oversight.alert (alert_id) WHERE status = 'open' AND NOT escalation_started;
COMMENT ON INDEX oversight.alert_escalation_pending IS 'Open alerts not yet on their ladder: what the sweeper starts, without scanning every open alert.';

CREATE FUNCTION oversight.ladder_text(p_template text, p_title text, p_due_on date, p_days_over integer, p_node text, p_unit text, p_kind text)
  RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(p_template,
           '{title}', COALESCE(p_title, '')), '{due_on}', COALESCE(p_due_on::text, '')), '{days_over}', COALESCE(p_days_over::text, '0')),
           '{node}', COALESCE(p_node, '')), '{unit}', COALESCE(p_unit, '')), '{kind}', COALESCE(p_kind, ''))
$$;
COMMENT ON FUNCTION oversight.ladder_text(text, text, date, integer, text, text, text) IS 'A ladder step''s text with its placeholders filled ({title}, {due_on}, {days_over}, {node}, {unit}, {kind}).';

CREATE FUNCTION oversight.escalation_subject(p_kind text, p_id bigint, p_on date)
  RETURNS TABLE (is_open boolean, unit_code text, matter_id bigint, alert_id bigint, title text, label text, node_code text,
                 handler text, chief text, leader text, title_en text)
  LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- Whatever climbs a ladder: whether it is still open, where it belongs, and whom each step targets
  -- (the people responsible on the day of the act where there is one, else those of the unit today).
  IF p_kind = 'obligation' THEN
    RETURN QUERY SELECT o.status = 'open', m.unit_code, m.matter_id, NULL::bigint, m.title, o.kind, m.node_code,
                        o.person_code, m.first_responsible, m.primary_responsible, COALESCE(m.title_en, m.title)
                   FROM oversight.obligation o JOIN oversight.matter m ON m.matter_id = o.matter_id WHERE o.obligation_id = p_id;
  ELSIF p_kind = 'alert' THEN
    RETURN QUERY SELECT a.status = 'open', a.unit_code, NULL::bigint, a.alert_id, pg_catalog.left(a.message_zh, 200), 'alert'::text, a.node_code,
                        r.chief, r.chief, r.leader, pg_catalog.left(a.message, 200)
                   FROM oversight.alert a
                  CROSS JOIN LATERAL (SELECT max(u.person_code) FILTER (WHERE u.responsibility = 'first') AS chief,
                                             max(u.person_code) FILTER (WHERE u.responsibility = 'primary') AS leader
                                        FROM oversight.unit_responsible(a.unit_code, p_on) u) r
                  WHERE a.alert_id = p_id;
  ELSIF p_kind = 'rectification' THEN
    RETURN QUERY SELECT x.status <> 'closed', x.unit_code, x.matter_id, x.alert_id, pg_catalog.left(x.plan, 200), 'rectification'::text,
                        NULL::text, x.owner_code, r.chief, r.leader, pg_catalog.left(x.plan, 200)
                   FROM oversight.rectification x
                  CROSS JOIN LATERAL (SELECT max(u.person_code) FILTER (WHERE u.responsibility = 'first') AS chief,
                                             max(u.person_code) FILTER (WHERE u.responsibility = 'primary') AS leader
                                        FROM oversight.unit_responsible(x.unit_code, p_on) u) r
                  WHERE x.rectification_id = p_id;
  ELSIF p_kind IN ('complaint_acceptance', 'complaint_handling') THEN
    RETURN QUERY SELECT CASE WHEN p_kind = 'complaint_acceptance' THEN c.accepted IS NULL ELSE c.accepted AND c.outcome IS NULL END,
                        COALESCE(c.routed_unit_code, c.subject_unit_code), NULL::bigint, NULL::bigint, pg_catalog.left(c.summary, 200), p_kind,
                        c.node_code, r.chief, r.chief, r.leader, pg_catalog.left(c.summary, 200)
                   FROM oversight.complaint c
                  CROSS JOIN LATERAL (SELECT max(u.person_code) FILTER (WHERE u.responsibility = 'first') AS chief,
                                             max(u.person_code) FILTER (WHERE u.responsibility = 'primary') AS leader
                                        FROM oversight.unit_responsible(COALESCE(c.routed_unit_code, c.subject_unit_code), p_on) u) r
                  WHERE c.complaint_id = p_id;
  END IF;
END $$;
COMMENT ON FUNCTION oversight.escalation_subject(text, bigint, date) IS
  'For the sweeper: whether an item on a ladder (obligation, alert, rectification, complaint) is still open, its unit, matter or alert, title (a matter''s title; an alert''s message in Chinese) and title_en (the matter''s English title, else the same; the alert''s message in English; the same text for rectifications and complaints, written by people in one language), and the handler, section chief and leader in charge its steps target. Internal.';

CREATE FUNCTION oversight.escalate(p_as_of timestamptz)
  RETURNS TABLE (alerts_started integer, steps_taken integer, cards_issued integer, escalations_stopped integer)
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  tz text := oversight.setting_value('timezone');
  as_of_date date := (p_as_of AT TIME ZONE tz)::date;
  a oversight.alert;
  e oversight.escalation;
  st oversight.ladder_step;
  unit text; matter bigint; alert bigint; title text; title_en text; kind text; node text; handler text; chief text; leader text;
  target text; open_subject boolean; taken integer; box bigint; next_no smallint; next_on date; days_over integer; advanced integer;
BEGIN
  alerts_started := 0; steps_taken := 0; cards_issued := 0; escalations_stopped := 0;
  -- Open alerts nobody has acknowledged start climbing, from their first firing plus the days allowed.
  FOR a IN SELECT * FROM oversight.alert x WHERE x.status = 'open' AND NOT x.escalation_started ORDER BY x.alert_id FOR UPDATE SKIP LOCKED LOOP
    PERFORM oversight.start_escalation('alert', a.alert_id, a.severity,
      oversight.add_working_days((a.first_fired_at AT TIME ZONE tz)::date,
        oversight.setting_value('supervision.alert_ack_days.' || CASE WHEN a.severity IN ('high', 'critical') THEN 'high'
                                                                      WHEN a.severity = 'medium' THEN 'medium' ELSE 'low' END)::integer));
    UPDATE oversight.alert SET escalation_started = true WHERE alert_id = a.alert_id;
    alerts_started := alerts_started + 1;
  END LOOP;
  -- One step per item per round, until nothing is due: an item several steps behind takes them all,
  -- each on its own due day. Rows another sweeper holds are skipped (it takes those steps), and the
  -- primary key of the steps makes any step exactly once.
  LOOP
    advanced := 0;
    FOR e IN SELECT * FROM oversight.escalation x WHERE x.stopped_at IS NULL AND x.next_step_on <= as_of_date
              ORDER BY x.next_step_on, x.subject_kind, x.subject_id FOR UPDATE SKIP LOCKED LOOP
      SELECT x.is_open, x.unit_code, x.matter_id, x.alert_id, x.title, x.label, x.node_code, x.handler, x.chief, x.leader, x.title_en
        INTO open_subject, unit, matter, alert, title, kind, node, handler, chief, leader, title_en
        FROM oversight.escalation_subject(e.subject_kind, e.subject_id, as_of_date) x;
      IF NOT COALESCE(open_subject, false) THEN -- fulfilled, acknowledged or closed meanwhile
        UPDATE oversight.escalation SET stopped_at = p_as_of, stop_reason = 'no longer open'
         WHERE subject_kind = e.subject_kind AND subject_id = e.subject_id;
        escalations_stopped := escalations_stopped + 1;
        CONTINUE;
      END IF;
      SELECT * INTO st FROM oversight.ladder_step s WHERE s.ladder_version_id = e.ladder_version_id AND s.step_no = e.next_step_no;
      target := CASE st.target_role WHEN 'handler' THEN handler WHEN 'section_chief' THEN chief WHEN 'leader_in_charge' THEN leader END;
      INSERT INTO oversight.escalation_step (subject_kind, subject_id, step_no, step, ladder_version_id, due_on, taken_at, target_role, person_code,
                                             unit_code, matter_id, deduction)
      VALUES (e.subject_kind, e.subject_id, st.step_no, st.step, e.ladder_version_id, e.next_step_on, oversight.now(), st.target_role, target,
              unit, matter, st.deduction)
      ON CONFLICT DO NOTHING;
      GET DIAGNOSTICS taken = ROW_COUNT;
      IF taken = 1 THEN
        days_over := GREATEST(oversight.working_days_between(e.due_on, e.next_step_on), 0);
        INSERT INTO oversight.outbox (created_at, subject_kind, subject_id, step_no, step, matter_id, alert_id, unit_code, target_role, person_code,
                                      text_zh, text_en)
        VALUES (oversight.now(), e.subject_kind, e.subject_id, st.step_no, st.step, matter, alert, unit, st.target_role, target,
                oversight.ladder_text(st.text_zh, title, e.due_on, days_over, node, unit, oversight.obligation_label(kind, 'zh')),
                oversight.ladder_text(st.text_en, title_en, e.due_on, days_over, node, unit, oversight.obligation_label(kind, 'en')))
        RETURNING outbox_id INTO box;
        PERFORM pg_catalog.pg_notify('oversight_outbox', pg_catalog.jsonb_build_object('outbox_id', box)::text);
        IF st.step IN ('yellow_card', 'red_card') THEN
          INSERT INTO oversight.card (card_kind, subject_kind, subject_id, step_no, matter_id, alert_id, unit_code, person_code, issued_on, issued_at,
                                      deduction, reason_zh, reason_en)
          VALUES (CASE st.step WHEN 'yellow_card' THEN 'yellow' ELSE 'red' END, e.subject_kind, e.subject_id, st.step_no, matter, alert, unit, target,
                  e.next_step_on, oversight.now(), st.deduction,
                  oversight.ladder_text(st.text_zh, title, e.due_on, days_over, node, unit, oversight.obligation_label(kind, 'zh')),
                  oversight.ladder_text(st.text_en, title_en, e.due_on, days_over, node, unit, oversight.obligation_label(kind, 'en')));
          cards_issued := cards_issued + 1;
        END IF;
        IF st.step IN ('red_card', 'accountability') THEN
          PERFORM oversight.act_on_step(e.subject_kind, e.subject_id, st.step,
                                        (SELECT c.card_id FROM oversight.card c WHERE c.subject_kind = e.subject_kind AND c.subject_id = e.subject_id
                                            AND c.step_no = st.step_no), e.next_step_on);
        END IF;
        steps_taken := steps_taken + 1;
      END IF;
      next_no := e.next_step_no + 1;
      next_on := oversight.ladder_step_due(e.ladder_version_id, next_no, e.due_on, e.next_step_on);
      UPDATE oversight.escalation SET next_step_no = CASE WHEN next_on IS NULL THEN NULL ELSE next_no END, next_step_on = next_on
       WHERE subject_kind = e.subject_kind AND subject_id = e.subject_id;
      advanced := advanced + 1;
    END LOOP;
    EXIT WHEN advanced = 0;
  END LOOP;
  RETURN NEXT;
END $$;
COMMENT ON FUNCTION oversight.escalate(timestamptz) IS
  'Runs the ladders as of a time: puts newly open, unacknowledged alerts on theirs, then takes every step due by that day — each exactly once, on its own due day, however often and however many sweepers run — writing the step, a card for yellow and red, and a notification (outbox, channel oversight_outbox). Items fulfilled, acknowledged or closed meanwhile stop. Called by oversight.sweep().';

-------------------------------------------------------------------------------------------------------
-- The default ladders (DOMAIN.md §4), installed with the default rules.
-------------------------------------------------------------------------------------------------------
CREATE FUNCTION oversight.install_default_ladders() RETURNS integer
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE v bigint; n integer := 0;
BEGIN
  IF NOT EXISTS (SELECT FROM oversight.ladder WHERE ladder_code = 'OBLIGATION') THEN
    INSERT INTO oversight.ladder VALUES ('OBLIGATION', '报告、备案、公开义务督办阶梯', 'Ladder of reporting, filing and disclosure obligations',
                                         'DOMAIN.md §4: prompt a day before the deadline, warning when overdue, yellow card, red card after the follow-up period, accountability.');
    INSERT INTO oversight.ladder_version (ladder_code, version, is_current, created_at, created_by, change_note)
    VALUES ('OBLIGATION', 1, true, oversight.now(), session_user, 'shipped default') RETURNING ladder_version_id INTO v;
    INSERT INTO oversight.ladder_step (ladder_version_id, step_no, step, anchor, offset_working_days, target_role, deduction, text_zh, text_en) VALUES
      (v, 1, 'prompt', 'due', -1, 'handler', 0,
       '提示：「{title}」的{kind}将于{due_on}到期，请按时办理。', 'Prompt: the {kind} of "{title}" is due on {due_on}.'),
      (v, 2, 'warning', 'due', 1, 'handler', 0,
       '预警：「{title}」的{kind}已于{due_on}到期，仍未办理。', 'Warning: the {kind} of "{title}" was due on {due_on} and is still not done.'),
      (v, 3, 'yellow_card', 'due', 3, 'section_chief', 5,
       '黄牌：「{title}」的{kind}逾期{days_over}个工作日，请在督办期限内办结。', 'Yellow card: the {kind} of "{title}" is {days_over} working days overdue; finish it within the follow-up period.'),
      (v, 4, 'red_card', 'previous', 5, 'leader_in_charge', 10,
       '红牌：「{title}」的{kind}督办期满仍未办结（逾期{days_over}个工作日），发出整改通知并追究责任。',
       'Red card: the {kind} of "{title}" is still not done after the follow-up period ({days_over} working days overdue); rectification notice and accountability.'),
      (v, 5, 'accountability', 'previous', 1, 'discipline_office', 0,
       '问责：「{title}」的{kind}未办结，移交纪检监察机构追究责任。', 'Accountability: the {kind} of "{title}" was never done; passed to the discipline office.');
    n := n + 1;
  END IF;
  IF NOT EXISTS (SELECT FROM oversight.ladder WHERE ladder_code = 'ALERT') THEN
    INSERT INTO oversight.ladder VALUES ('ALERT', '告警确认督办阶梯', 'Ladder of alerts nobody acknowledged',
                                         'An open alert unacknowledged after the days allowed for its severity climbs to the leader in charge and the discipline office.');
    INSERT INTO oversight.ladder_version (ladder_code, version, is_current, created_at, created_by, change_note)
    VALUES ('ALERT', 1, true, oversight.now(), session_user, 'shipped default') RETURNING ladder_version_id INTO v;
    INSERT INTO oversight.ladder_step (ladder_version_id, step_no, step, anchor, offset_working_days, target_role, deduction, text_zh, text_en) VALUES
      (v, 1, 'warning', 'due', 0, 'section_chief', 0,
       '预警：告警「{title}」至{due_on}仍无人确认。', 'Warning: nobody has acknowledged the alert "{title}" by {due_on}.'),
      (v, 2, 'yellow_card', 'due', 2, 'leader_in_charge', 5,
       '黄牌：告警「{title}」逾期{days_over}个工作日仍无人确认。', 'Yellow card: the alert "{title}" is still unacknowledged, {days_over} working days late.'),
      (v, 3, 'red_card', 'previous', 5, 'discipline_office', 10,
       '红牌：告警「{title}」督办期满仍无人确认，移交纪检监察机构。', 'Red card: the alert "{title}" is still unacknowledged after the follow-up period; passed to the discipline office.');
    n := n + 1;
  END IF;
  -- Overdue rectifications and complaints climb the obligations' ladder (DOMAIN.md §4, §6).
  INSERT INTO oversight.ladder_binding (subject_kind, selector, ladder_code) VALUES ('obligation', '*', 'OBLIGATION'), ('alert', '*', 'ALERT'),
    ('rectification', '*', 'OBLIGATION'), ('complaint_acceptance', '*', 'OBLIGATION'), ('complaint_handling', '*', 'OBLIGATION')
  ON CONFLICT DO NOTHING;
  RETURN n;
END $$;
COMMENT ON FUNCTION oversight.install_default_ladders() IS
  'Installs the default ladders (DOMAIN.md §4: obligations and unacknowledged alerts) and binds them to every obligation kind and alert severity, and the obligations'' ladder to overdue rectifications and complaints; returns how many ladders it added. Idempotent; called by oversight.install_default_rules().';

-------------------------------------------------------------------------------------------------------
-- What people look at.
-------------------------------------------------------------------------------------------------------
CREATE VIEW oversight.open_obligations WITH (security_invoker = true) AS
  SELECT o.obligation_id, o.matter_id, m.node_code, k.name_zh AS node_name_zh, k.name_en AS node_name_en, m.unit_code, m.title, o.kind,
         oversight.obligation_label(o.kind, 'zh') AS kind_zh, o.due_on, o.person_code, p.full_name,
         oversight.working_days_between(oversight.today(), o.due_on) AS working_days_left,
         (SELECT s.step FROM oversight.escalation_step s WHERE s.subject_kind = 'obligation' AND s.subject_id = o.obligation_id
           ORDER BY s.step_no DESC LIMIT 1) AS ladder_step,
         m.first_responsible, m.primary_responsible, m.confidential, COALESCE(m.title_en, m.title) AS title_en
    FROM oversight.obligation o
    JOIN oversight.matter m ON m.matter_id = o.matter_id
    JOIN oversight.key_node k ON k.node_code = m.node_code
    LEFT JOIN oversight.person p ON p.person_code = o.person_code
   WHERE o.status = 'open';
COMMENT ON VIEW oversight.open_obligations IS 'Obligations still to be met, per person and unit, with the working days left before the deadline (negative: overdue) and the ladder step reached.';
COMMENT ON COLUMN oversight.open_obligations.obligation_id IS 'Obligation.';
COMMENT ON COLUMN oversight.open_obligations.matter_id IS 'Matter.';
COMMENT ON COLUMN oversight.open_obligations.node_code IS 'Key node.';
COMMENT ON COLUMN oversight.open_obligations.node_name_zh IS 'Key node, in Chinese.';
COMMENT ON COLUMN oversight.open_obligations.node_name_en IS 'Key node, in English.';
COMMENT ON COLUMN oversight.open_obligations.unit_code IS 'Unit.';
COMMENT ON COLUMN oversight.open_obligations.title IS 'Matter.';
COMMENT ON COLUMN oversight.open_obligations.kind IS 'leader_report, filing, public_disclosure or internal_disclosure.';
COMMENT ON COLUMN oversight.open_obligations.kind_zh IS 'The same, in Chinese.';
COMMENT ON COLUMN oversight.open_obligations.due_on IS 'Deadline.';
COMMENT ON COLUMN oversight.open_obligations.person_code IS 'Who must act.';
COMMENT ON COLUMN oversight.open_obligations.full_name IS 'Their name.';
COMMENT ON COLUMN oversight.open_obligations.working_days_left IS 'Working days from today to the deadline (negative: overdue by that many).';
COMMENT ON COLUMN oversight.open_obligations.ladder_step IS 'Last ladder step taken (NULL: none yet).';
COMMENT ON COLUMN oversight.open_obligations.first_responsible IS 'Section chief responsible on the event date.';
COMMENT ON COLUMN oversight.open_obligations.primary_responsible IS 'Leader in charge on the event date.';
COMMENT ON COLUMN oversight.open_obligations.confidential IS 'Disclosed internally only.';
COMMENT ON COLUMN oversight.open_obligations.title_en IS 'Matter, in English (the title where it has no English one).';

-------------------------------------------------------------------------------------------------------
-- Row-level security, audit, privileges.
-------------------------------------------------------------------------------------------------------
ALTER TABLE oversight.matter ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_scope ON oversight.matter
  USING ((SELECT oversight.sees_all_units()) OR unit_code = ANY ((SELECT oversight.visible_units())::text[]))
  WITH CHECK ((SELECT oversight.sees_all_units()));
COMMENT ON POLICY unit_scope ON oversight.matter IS 'Matters of units granted to the role (and below); bureau-wide roles see all.';
DO $rls$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['obligation', 'matter_report', 'matter_filing', 'matter_disclosure', 'hold'] LOOP
    EXECUTE pg_catalog.format('ALTER TABLE oversight.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE pg_catalog.format('CREATE POLICY parent_scope ON oversight.%I USING ((SELECT oversight.sees_all_units()) OR EXISTS '
                              '(SELECT FROM oversight.matter m WHERE m.matter_id = %I.matter_id)) WITH CHECK ((SELECT oversight.sees_all_units()))', t, t);
    EXECUTE pg_catalog.format('COMMENT ON POLICY parent_scope ON oversight.%I IS %L', t,
                              'Rows of the matters the role can see (row-level security of oversight.matter); bureau-wide roles see all.');
  END LOOP;
  FOREACH t IN ARRAY ARRAY['escalation_step', 'card', 'outbox'] LOOP
    EXECUTE pg_catalog.format('ALTER TABLE oversight.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE pg_catalog.format('CREATE POLICY unit_scope ON oversight.%I USING ((SELECT oversight.sees_all_units()) '
                              'OR unit_code = ANY ((SELECT oversight.visible_units())::text[])) WITH CHECK ((SELECT oversight.sees_all_units()))', t);
    EXECUTE pg_catalog.format('COMMENT ON POLICY unit_scope ON oversight.%I IS %L', t,
                              'Rows of units granted to the role in oversight.unit_access (and below); bureau-wide roles see all.');
  END LOOP;
END
$rls$;
ALTER TABLE oversight.escalation ENABLE ROW LEVEL SECURITY;
CREATE POLICY bureau_only ON oversight.escalation USING ((SELECT oversight.sees_all_units()));
COMMENT ON POLICY bureau_only ON oversight.escalation IS 'The ladder''s working state: bureau-wide roles only (others read oversight.open_obligations).';

DO $audit$
DECLARE t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES
      ('ladder', ARRAY['ladder_code']), ('ladder_version', ARRAY['ladder_code', 'version']), ('ladder_step', ARRAY['ladder_version_id', 'step_no']),
      ('ladder_binding', ARRAY['subject_kind', 'selector']), ('matter_report', ARRAY['report_id']), ('matter_filing', ARRAY['filing_id']), ('matter_disclosure', ARRAY['disclosure_id']),
      ('hold', ARRAY['hold_id'])) AS v(table_name, key_columns) LOOP
    EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON oversight.%I FOR EACH ROW '
                              'EXECUTE FUNCTION oversight.audit_row_change(%s)', t.table_name || '_audit', t.table_name,
                              (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(c), ', ') FROM pg_catalog.unnest(t.key_columns) c));
    EXECUTE pg_catalog.format('COMMENT ON TRIGGER %I ON oversight.%I IS %L', t.table_name || '_audit', t.table_name,
                              'Audits every insert, update and delete, row by row.');
  END LOOP;
END
$audit$;


GRANT USAGE ON SCHEMA oversight TO oversight_official;
GRANT SELECT ON oversight.ladder, oversight.ladder_version, oversight.ladder_step, oversight.ladder_binding, oversight.matter, oversight.obligation,
  oversight.matter_report, oversight.matter_filing, oversight.matter_disclosure, oversight.hold, oversight.escalation, oversight.escalation_step,
  oversight.card, oversight.outbox, oversight.open_obligations
  TO oversight_admin, oversight_analyst, oversight_inspector, oversight_official;
GRANT SELECT ON oversight.key_node, oversight.person, oversight.org_unit, oversight.node_supervision, oversight.setting, oversight.setting_default,
  oversight.calendar_day, oversight.calendar_year, oversight.unit_access, oversight.assignment, oversight.node_owner, oversight.rule_default
  TO oversight_official;
GRANT INSERT, UPDATE, DELETE ON oversight.ladder, oversight.ladder_step, oversight.ladder_binding TO oversight_admin;
GRANT INSERT, UPDATE ON oversight.ladder_version TO oversight_admin;
GRANT EXECUTE ON FUNCTION oversight.now(), oversight.today(), oversight.setting_value(text), oversight.is_working_day(date),
  oversight.add_working_days(date, integer), oversight.working_days_between(date, date), oversight.unit_responsible(text, date),
  oversight.responsible_for(text, date), oversight.sees_all_units(), oversight.visible_units(), oversight.set_clock(timestamptz, boolean),
  oversight.reset_clock(), oversight.base_currency()
  TO oversight_official;
GRANT EXECUTE ON FUNCTION oversight.acting_person(), oversight.obligation_label(text, text)
  TO oversight_admin, oversight_loader, oversight_analyst, oversight_inspector, oversight_official;
GRANT EXECUTE ON FUNCTION oversight.register_matter(text, text, date, text, jsonb, boolean, text), oversight.submit_report(bigint, text),
  oversight.decide_report(bigint, text, text), oversight.record_filing(bigint, text, text), oversight.publish_disclosure(bigint, text, text, text),
  oversight.release_hold(bigint, text)
  TO oversight_admin, oversight_inspector, oversight_official;
GRANT EXECUTE ON FUNCTION oversight.new_ladder_version(text, text), oversight.activate_ladder_version(bigint), oversight.install_default_ladders()
  TO oversight_admin;

DO $dump$
DECLARE t text;
BEGIN
  -- One call per statement: pg_extension_config_dump updates pg_extension once per command.
  FOREACH t IN ARRAY ARRAY['ladder', 'ladder_version', 'ladder_step', 'ladder_binding', 'matter', 'obligation', 'matter_report', 'matter_filing',
                           'matter_disclosure', 'hold', 'escalation', 'escalation_step', 'card', 'outbox',
                           'ladder_version_ladder_version_id_seq', 'matter_matter_id_seq', 'obligation_obligation_id_seq',
                           'matter_report_report_id_seq', 'matter_filing_filing_id_seq', 'matter_disclosure_disclosure_id_seq',
                           'hold_hold_id_seq', 'card_card_id_seq', 'outbox_outbox_id_seq'] LOOP
    PERFORM pg_catalog.pg_extension_config_dump(pg_catalog.format('oversight.%I', t)::regclass, '');
  END LOOP;
END
$dump$;

-------------------------------------------------------------------------------------------------------
-- Scheduling the sweeper with pg_cron, when the server has it.
-------------------------------------------------------------------------------------------------------
CREATE FUNCTION oversight.schedule_cron_job(p_job text, p_schedule text, p_command text) RETURNS bigint
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  job text := p_job || '-' || pg_catalog.current_database();
  id bigint;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
    RAISE EXCEPTION '本库未安装 pg_cron / pg_cron is not installed in this database'
      USING ERRCODE = '55000',
            HINT = pg_catalog.format('Install postgresql-15-cron, add pg_cron to shared_preload_libraries; then, in the database named by cron.database_name: SELECT cron.schedule_in_database(%L, %L, %L, %L)',
                                     job, p_schedule, p_command, pg_catalog.current_database());
  END IF;
  -- pg_cron's functions exist only where it is installed: called by name.
  EXECUTE 'SELECT cron.schedule($1, $2, $3)' INTO id USING job, p_schedule, p_command;
  RETURN id;
END $$;
COMMENT ON FUNCTION oversight.schedule_cron_job(text, text, text) IS
  'Schedules a command with pg_cron under the job name p_job-<database> when pg_cron is installed in this database; returns the job id; otherwise says how to schedule it from the cron database. Internal: oversight.schedule_sweeper() and schedule_score_refresh() call it.';

CREATE FUNCTION oversight.schedule_sweeper(p_schedule text DEFAULT '*/5 * * * *') RETURNS bigint
  LANGUAGE sql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$ SELECT oversight.schedule_cron_job('oversight-sweep', p_schedule, 'SELECT oversight.sweep()') $$;
COMMENT ON FUNCTION oversight.schedule_sweeper(text) IS
  'Schedules oversight.sweep() with pg_cron (default every 5 minutes) when pg_cron is installed in this database; returns the job id. Otherwise says how to schedule it from the cron database. The job runs as the role that calls this (an administrator).';
GRANT EXECUTE ON FUNCTION oversight.schedule_cron_job(text, text, text), oversight.schedule_sweeper(text) TO oversight_admin;
