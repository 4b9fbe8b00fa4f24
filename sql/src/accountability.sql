-------------------------------------------------------------------------------------------------------
-- Accountability (issue 10): cases (责任追究) with their subjects resolved at the time of the act and
-- graded sanctions, rectification (整改) verified by someone else, complaints from staff and the public,
-- random spot checks of filings (备案抽查), assessment scores and democratic evaluation, and each
-- official's power-use file (个人运权档案). DOMAIN.md §5–6.
-------------------------------------------------------------------------------------------------------
INSERT INTO oversight.setting_default (setting_key, default_value, description, source) VALUES
  ('accountability.open_on_red_card', 'true', 'A red card opens an accountability case by itself.', 'DOMAIN.md §4, §6'),
  ('accountability.open_on_missed_obligation', 'true', 'An obligation that reaches the accountability step of its ladder (never reported, filed or disclosed) opens a case by itself.', 'seed document; DOMAIN.md §2'),
  ('accountability.aggravation_factor', '1.5', 'Deductions of a sanction are multiplied by this when the case is aggravated (two or more cases of the person in a year, obstruction, retaliation).', 'DOMAIN.md §6'),
  ('rectification.due_working_days', '10', 'Working days given for a rectification when none is set.', 'DOMAIN.md §5'),
  ('complaint.accept_working_days', '5', 'Working days to decide whether a complaint is accepted.', 'DOMAIN.md §6'),
  ('complaint.handle_working_days', '20', 'Working days to handle an accepted complaint when none is set.', 'local practice'),
  ('accountability.rectify_on_red_card', 'true', 'A red card on an obligation or an alert also orders a rectification (整改通知), owned by the person carded.', 'DOMAIN.md §4'),
  ('assessment.first_month', '', 'First month of formal assessment (YYYY-MM-01): quarters from then on are closed and graded by the sweeper, and failing units are ordered to rectify. Empty: not started (scores are still computed from the first month with any record).', 'local practice'),
  ('assessment.close_after_working_days', '5', 'Working days after the end of a quarter before the sweeper closes it (late records still count).', 'local practice'),
  ('assessment.failing_rectification_days', '20', 'Working days a failing unit is given to rectify.', 'DOMAIN.md §5');

-------------------------------------------------------------------------------------------------------
-- Sanctions, cases, their subjects and decisions.
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.sanction_kind (
  sanction_code text PRIMARY KEY CONSTRAINT sanction_code_format CHECK (sanction_code ~ '^[a-z][a-z0-9_]{1,63}$'),
  name_zh       text NOT NULL,
  name_en       text NOT NULL,
  rank          smallint NOT NULL CONSTRAINT sanction_rank_positive CHECK (rank >= 1),
  deduction     numeric(6,2) NOT NULL CONSTRAINT sanction_deduction_non_negative CHECK (deduction >= 0),
  shipped       boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE oversight.sanction_kind IS 'The graded list of sanctions (DOMAIN.md §6), combinable in one decision: rank orders them by gravity; deduction is taken once from the year''s assessment.';
COMMENT ON COLUMN oversight.sanction_kind.sanction_code IS 'Code.';
COMMENT ON COLUMN oversight.sanction_kind.name_zh IS 'Name in Chinese.';
COMMENT ON COLUMN oversight.sanction_kind.name_en IS 'Name in English.';
COMMENT ON COLUMN oversight.sanction_kind.rank IS 'Gravity, 1 = lightest.';
COMMENT ON COLUMN oversight.sanction_kind.deduction IS 'Points deducted from the person''s assessment in the month decided.';
COMMENT ON COLUMN oversight.sanction_kind.shipped IS 'True for the shipped list.';
INSERT INTO oversight.sanction_kind (sanction_code, name_zh, name_en, rank, deduction, shipped) VALUES
  ('caution', '告诫', 'caution', 1, 10, true),
  ('written_self_examination', '书面检查', 'written self-examination', 2, 15, true),
  ('circulated_criticism', '通报批评', 'circulated criticism', 3, 20, true),
  ('transfer', '调离岗位', 'transfer from the post', 4, 30, true),
  ('ordered_resignation', '责令辞职', 'ordered resignation', 5, 40, true),
  ('discipline', '党纪政务处分', 'party or administrative discipline', 6, 50, true);

CREATE TABLE oversight.complaint (
  complaint_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  received_at       timestamptz NOT NULL,
  received_by       text NOT NULL,
  channel           text NOT NULL CONSTRAINT complaint_channel_known CHECK (channel IN ('letter', 'phone', 'online', 'visit', 'staff')),
  anonymous         boolean NOT NULL,
  complainant_name  text,
  complainant_contact text,
  subject_unit_code text NOT NULL REFERENCES oversight.org_unit ON UPDATE CASCADE,
  node_code         text REFERENCES oversight.key_node ON UPDATE CASCADE,
  person_code       text REFERENCES oversight.person ON UPDATE CASCADE,
  act_date          date,
  summary           text NOT NULL CONSTRAINT complaint_summary_present CHECK (btrim(summary) <> ''),
  accept_due_on     date NOT NULL,
  accepted          boolean,
  accepted_at       timestamptz,
  accepted_by       text,
  routed_unit_code  text REFERENCES oversight.org_unit ON UPDATE CASCADE,
  handle_due_on     date,
  outcome           text CONSTRAINT complaint_outcome_known CHECK (outcome IN ('substantiated', 'partly_substantiated', 'unsubstantiated')),
  outcome_at        timestamptz,
  outcome_note      text,
  feedback_at       timestamptz,
  feedback_note     text,
  CONSTRAINT complaint_named_unless_anonymous CHECK (anonymous OR complainant_name IS NOT NULL),
  CONSTRAINT complaint_outcome_after_acceptance CHECK (outcome IS NULL OR accepted)
);
COMMENT ON TABLE oversight.complaint IS
  'Complaints and reports from staff and the public (anonymous or real-name): decided whether accepted within complaint.accept_working_days, routed to a unit with a deadline, answered with an outcome, and fed back to real-name complainants; overdue handling climbs the ladder; a substantiated complaint can open a case.';
COMMENT ON COLUMN oversight.complaint.complaint_id IS 'Complaint number.';
COMMENT ON COLUMN oversight.complaint.received_at IS 'When received.';
COMMENT ON COLUMN oversight.complaint.received_by IS 'session_user who recorded it.';
COMMENT ON COLUMN oversight.complaint.channel IS 'letter, phone, online, visit or staff.';
COMMENT ON COLUMN oversight.complaint.anonymous IS 'True when the complainant gave no name (no feedback is owed).';
COMMENT ON COLUMN oversight.complaint.complainant_name IS 'Name of a real-name complainant.';
COMMENT ON COLUMN oversight.complaint.complainant_contact IS 'How to reach them for the feedback.';
COMMENT ON COLUMN oversight.complaint.subject_unit_code IS 'Unit complained about.';
COMMENT ON COLUMN oversight.complaint.node_code IS 'Key node concerned (NULL: a power never identified as a node).';
COMMENT ON COLUMN oversight.complaint.person_code IS 'Official complained about, if named.';
COMMENT ON COLUMN oversight.complaint.act_date IS 'When the act complained about happened.';
COMMENT ON COLUMN oversight.complaint.summary IS 'What is complained about.';
COMMENT ON COLUMN oversight.complaint.accept_due_on IS 'Deadline of the acceptance decision.';
COMMENT ON COLUMN oversight.complaint.accepted IS 'The acceptance decision (NULL: pending).';
COMMENT ON COLUMN oversight.complaint.accepted_at IS 'When decided.';
COMMENT ON COLUMN oversight.complaint.accepted_by IS 'session_user who decided.';
COMMENT ON COLUMN oversight.complaint.routed_unit_code IS 'Unit it was routed to for handling.';
COMMENT ON COLUMN oversight.complaint.handle_due_on IS 'Deadline of the handling.';
COMMENT ON COLUMN oversight.complaint.outcome IS 'substantiated, partly_substantiated or unsubstantiated.';
COMMENT ON COLUMN oversight.complaint.outcome_at IS 'When.';
COMMENT ON COLUMN oversight.complaint.outcome_note IS 'Findings.';
COMMENT ON COLUMN oversight.complaint.feedback_at IS 'When the real-name complainant was answered.';
COMMENT ON COLUMN oversight.complaint.feedback_note IS 'What they were told.';

CREATE TABLE oversight.accountability_case (
  case_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  origin         text NOT NULL CONSTRAINT case_origin_known CHECK (origin IN ('red_card', 'missed_obligation', 'complaint', 'spot_check', 'manual')),
  card_id        bigint REFERENCES oversight.card CONSTRAINT case_one_per_card UNIQUE,
  obligation_id  bigint REFERENCES oversight.obligation CONSTRAINT case_one_per_obligation UNIQUE,
  alert_id       bigint,
  complaint_id   bigint REFERENCES oversight.complaint CONSTRAINT case_one_per_complaint UNIQUE,
  matter_id      bigint REFERENCES oversight.matter,
  node_code      text REFERENCES oversight.key_node ON UPDATE CASCADE,
  unit_code      text NOT NULL REFERENCES oversight.org_unit ON UPDATE CASCADE,
  act_date       date NOT NULL,
  summary        text NOT NULL CONSTRAINT case_summary_present CHECK (btrim(summary) <> ''),
  obstruction    boolean NOT NULL DEFAULT false,
  retaliation    boolean NOT NULL DEFAULT false,
  status         text NOT NULL DEFAULT 'open' CONSTRAINT case_status_known CHECK (status IN ('open', 'decided', 'dismissed')),
  opened_at      timestamptz NOT NULL,
  opened_by      text NOT NULL,
  decided_at     timestamptz,
  decided_by     text,
  decision_note  text,
  CONSTRAINT case_decision_recorded CHECK ((status = 'open') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX case_one_per_alert ON oversight.accountability_case (alert_id) WHERE alert_id IS NOT NULL AND card_id IS NULL;
COMMENT ON INDEX oversight.case_one_per_alert IS 'One case per alert opened by hand.';
COMMENT ON TABLE oversight.accountability_case IS
  'Accountability cases (责任追究): opened by a red card or a missed obligation (settings accountability.open_on_*), by a substantiated complaint, a failed spot check, or by hand; subjects resolved from the dated assignments at the time of the act; decided by someone who is not a subject, with graded sanctions.';
COMMENT ON COLUMN oversight.accountability_case.case_id IS 'Case number.';
COMMENT ON COLUMN oversight.accountability_case.origin IS 'red_card, missed_obligation, complaint, spot_check or manual.';
COMMENT ON COLUMN oversight.accountability_case.card_id IS 'Red card that opened it.';
COMMENT ON COLUMN oversight.accountability_case.obligation_id IS 'Obligation missed.';
COMMENT ON COLUMN oversight.accountability_case.alert_id IS 'Alert concerned.';
COMMENT ON COLUMN oversight.accountability_case.complaint_id IS 'Complaint that opened it.';
COMMENT ON COLUMN oversight.accountability_case.matter_id IS 'Matter concerned.';
COMMENT ON COLUMN oversight.accountability_case.node_code IS 'Key node concerned (NULL: a power never identified as a node, which makes the section chief liable too).';
COMMENT ON COLUMN oversight.accountability_case.unit_code IS 'Unit concerned (row-level security).';
COMMENT ON COLUMN oversight.accountability_case.act_date IS 'Date of the act: whoever was responsible that day answers for it.';
COMMENT ON COLUMN oversight.accountability_case.summary IS 'What happened.';
COMMENT ON COLUMN oversight.accountability_case.obstruction IS 'The investigation was obstructed (aggravates).';
COMMENT ON COLUMN oversight.accountability_case.retaliation IS 'A complainant or witness was retaliated against (aggravates).';
COMMENT ON COLUMN oversight.accountability_case.status IS 'open, decided or dismissed.';
COMMENT ON COLUMN oversight.accountability_case.opened_at IS 'When opened.';
COMMENT ON COLUMN oversight.accountability_case.opened_by IS 'session_user who opened it (the sweeper''s role for automatic cases).';
COMMENT ON COLUMN oversight.accountability_case.decided_at IS 'When decided.';
COMMENT ON COLUMN oversight.accountability_case.decided_by IS 'Person (person_code) who decided: never a subject.';
COMMENT ON COLUMN oversight.accountability_case.decision_note IS 'Reasons.';

CREATE TABLE oversight.case_subject (
  case_id      bigint NOT NULL REFERENCES oversight.accountability_case ON DELETE CASCADE,
  person_code  text NOT NULL REFERENCES oversight.person ON UPDATE CASCADE,
  subject_role text NOT NULL CONSTRAINT case_subject_role_known
                 CHECK (subject_role IN ('directly_responsible', 'directly_in_charge', 'leadership', 'chief_liability')),
  PRIMARY KEY (case_id, person_code, subject_role)
);
COMMENT ON TABLE oversight.case_subject IS
  'Who answers in a case, and as what: directly responsible (直接责任人, the handler), directly in charge (直接负责人, the section chief), leadership (the leader in charge), or the section chief''s own liability when the power was never identified or monitored — each as assigned on the date of the act.';
COMMENT ON COLUMN oversight.case_subject.case_id IS 'Case.';
COMMENT ON COLUMN oversight.case_subject.person_code IS 'Person.';
COMMENT ON COLUMN oversight.case_subject.subject_role IS 'directly_responsible, directly_in_charge, leadership or chief_liability.';

CREATE TABLE oversight.case_sanction (
  case_id       bigint NOT NULL REFERENCES oversight.accountability_case ON DELETE CASCADE,
  person_code   text NOT NULL REFERENCES oversight.person ON UPDATE CASCADE,
  sanction_code text NOT NULL REFERENCES oversight.sanction_kind ON UPDATE CASCADE,
  aggravated    boolean NOT NULL,
  aggravation   text[] NOT NULL DEFAULT '{}',
  deduction     numeric(6,2) NOT NULL,
  decided_on    date NOT NULL,
  PRIMARY KEY (case_id, person_code, sanction_code)
);
COMMENT ON TABLE oversight.case_sanction IS 'Sanctions decided in a case, per person (combinable), with the aggravation found and the resulting deduction.';
COMMENT ON COLUMN oversight.case_sanction.case_id IS 'Case.';
COMMENT ON COLUMN oversight.case_sanction.person_code IS 'Person sanctioned (a subject of the case).';
COMMENT ON COLUMN oversight.case_sanction.sanction_code IS 'Sanction.';
COMMENT ON COLUMN oversight.case_sanction.aggravated IS 'True when aggravated.';
COMMENT ON COLUMN oversight.case_sanction.aggravation IS 'Why: repeat (two or more cases in the year), obstruction, retaliation.';
COMMENT ON COLUMN oversight.case_sanction.deduction IS 'Points deducted (the sanction''s, times accountability.aggravation_factor when aggravated).';
COMMENT ON COLUMN oversight.case_sanction.decided_on IS 'Date of the decision (the month it counts in).';

CREATE FUNCTION oversight.add_case_subjects(p_case_id bigint, p_directly_responsible text) RETURNS integer
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  c oversight.accountability_case;
  m oversight.matter;
  chief text;
  leader text;
  n integer;
BEGIN
  SELECT * INTO c FROM oversight.accountability_case x WHERE x.case_id = p_case_id;
  SELECT * INTO m FROM oversight.matter x WHERE x.matter_id = c.matter_id;
  -- The chief and the leader in charge on the day of the act: of the node's owner that day when the
  -- node had one, else of the unit concerned.
  SELECT max(r.person_code) FILTER (WHERE r.responsibility = 'first'), max(r.person_code) FILTER (WHERE r.responsibility = 'primary')
    INTO chief, leader
    FROM (SELECT * FROM oversight.responsible_for(c.node_code, c.act_date) WHERE c.node_code IS NOT NULL
          UNION ALL SELECT * FROM oversight.unit_responsible(c.unit_code, c.act_date)
           WHERE c.node_code IS NULL OR NOT EXISTS (SELECT FROM oversight.responsible_for(c.node_code, c.act_date))) r;
  INSERT INTO oversight.case_subject (case_id, person_code, subject_role)
  SELECT p_case_id, s.person_code, s.subject_role FROM (VALUES
      (COALESCE(p_directly_responsible, m.handler_code), 'directly_responsible'),
      (COALESCE(m.first_responsible, chief), 'directly_in_charge'),
      (COALESCE(m.primary_responsible, leader), 'leadership')) AS s(person_code, subject_role)
   WHERE s.person_code IS NOT NULL
  ON CONFLICT DO NOTHING;
  -- The chief's own liability: a power never identified as a node, or a node never monitored.
  chief := COALESCE(m.first_responsible, chief);
  IF chief IS NOT NULL AND (c.node_code IS NULL OR NOT EXISTS (SELECT FROM oversight.node_supervision s WHERE s.node_code = c.node_code)
                            OR NOT (SELECT k.is_active FROM oversight.key_node k WHERE k.node_code = c.node_code)) THEN
    INSERT INTO oversight.case_subject (case_id, person_code, subject_role) VALUES (p_case_id, chief, 'chief_liability') ON CONFLICT DO NOTHING;
  END IF;
  SELECT count(*) INTO n FROM oversight.case_subject s WHERE s.case_id = p_case_id;
  RETURN n;
END $$;
COMMENT ON FUNCTION oversight.add_case_subjects(bigint, text) IS
  'Resolves a case''s subjects as of the date of the act (not today): the person directly responsible (given, else the matter''s handler), the chief and the leader in charge recorded on the matter, else those of the node''s owning unit, else of the unit, on that date; and the section chief''s own liability when the power was never identified as a node or never monitored. Internal.';

CREATE FUNCTION oversight.open_case(p_origin text, p_unit_code text, p_act_date date, p_summary text, p_node_code text DEFAULT NULL,
                                    p_matter_id bigint DEFAULT NULL, p_obligation_id bigint DEFAULT NULL, p_card_id bigint DEFAULT NULL,
                                    p_alert_id bigint DEFAULT NULL, p_complaint_id bigint DEFAULT NULL, p_directly_responsible text DEFAULT NULL)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE id bigint;
BEGIN
  INSERT INTO oversight.accountability_case (origin, card_id, obligation_id, alert_id, complaint_id, matter_id, node_code, unit_code, act_date,
                                             summary, opened_at, opened_by)
  VALUES (p_origin, p_card_id, p_obligation_id, p_alert_id, p_complaint_id, p_matter_id, p_node_code, p_unit_code, p_act_date, p_summary,
          oversight.now(), session_user)
  ON CONFLICT DO NOTHING
  RETURNING case_id INTO id;
  IF id IS NOT NULL THEN
    PERFORM oversight.add_case_subjects(id, p_directly_responsible);
  END IF;
  RETURN id;
END $$;
COMMENT ON FUNCTION oversight.open_case(text, text, date, text, text, bigint, bigint, bigint, bigint, bigint, text) IS
  'Opens a case (at most one per card, missed obligation or complaint) and resolves its subjects; returns its number, or NULL when the item already has one. Internal: the sweeper, complaints and oversight.open_case_by_hand() call it.';

CREATE FUNCTION oversight.act_on_step(p_subject_kind text, p_subject_id bigint, p_step text, p_card_id bigint, p_as_of date)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  s record;
  o oversight.obligation;
  m oversight.matter;
  act date;
  responsible text;
  case_no bigint;
BEGIN
  IF NOT (p_step = 'red_card' AND oversight.setting_value('accountability.open_on_red_card')::boolean
          OR p_step = 'accountability' AND p_subject_kind = 'obligation' AND oversight.setting_value('accountability.open_on_missed_obligation')::boolean) THEN
    RETURN NULL;
  END IF;
  SELECT * INTO s FROM oversight.escalation_subject(p_subject_kind, p_subject_id, p_as_of);
  IF s.unit_code IS NULL THEN
    RETURN NULL; -- nothing to hold to account (an alert of no unit)
  END IF;
  -- The act answered for, and its date: the matter's event, the alert's first finding, the missed
  -- deadline of a rectification or a complaint.
  CASE p_subject_kind
    WHEN 'obligation' THEN
      SELECT * INTO o FROM oversight.obligation x WHERE x.obligation_id = p_subject_id;
      SELECT * INTO m FROM oversight.matter x WHERE x.matter_id = o.matter_id;
      act := m.event_date; responsible := o.person_code;
    WHEN 'alert' THEN
      act := (SELECT (a.first_fired_at AT TIME ZONE oversight.setting_value('timezone'))::date FROM oversight.alert a WHERE a.alert_id = p_subject_id);
      responsible := s.handler;
    ELSE
      act := (SELECT e.due_on FROM oversight.escalation e WHERE e.subject_kind = p_subject_kind AND e.subject_id = p_subject_id);
      responsible := s.handler;
  END CASE;
  case_no := oversight.open_case(CASE WHEN p_step = 'accountability' THEN 'missed_obligation' ELSE 'red_card' END, s.unit_code, act,
               pg_catalog.format('%s：%s / %s: %s', oversight.obligation_label(s.label, 'zh'), s.title, oversight.obligation_label(s.label, 'en'), s.title_en),
               s.node_code, s.matter_id, o.obligation_id,
               -- a missed obligation's red card opens its case; the accountability step after it finds the case open
               p_card_id, s.alert_id, NULL, responsible);
  -- A red card on an obligation or an alert is also a rectification notice (DOMAIN.md §4).
  IF p_step = 'red_card' AND p_subject_kind IN ('obligation', 'alert') AND responsible IS NOT NULL
     AND oversight.setting_value('accountability.rectify_on_red_card')::boolean THEN
    PERFORM oversight.new_rectification('card', p_card_id, s.unit_code, responsible,
              pg_catalog.format('红牌整改：%s / rectify after a red card: %s', s.title, s.title), NULL);
  END IF;
  RETURN case_no;
END $$;
COMMENT ON FUNCTION oversight.act_on_step(text, bigint, text, bigint, date) IS
  'What a red card or an accountability step sets in motion (settings accountability.*): an accountability case against the people responsible at the time of the act (one per card or missed obligation), and for an obligation or an alert a rectification notice owned by the person responsible. Called by the sweeper; internal.';

CREATE FUNCTION oversight.open_case_by_hand(p_unit_code text, p_act_date date, p_summary text, p_node_code text DEFAULT NULL,
                                            p_matter_id bigint DEFAULT NULL, p_people jsonb DEFAULT NULL)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE id bigint; p record;
BEGIN
  IF NOT pg_catalog.pg_has_role(session_user, 'oversight_inspector', 'MEMBER') THEN
    RAISE EXCEPTION '只有纪检监察人员可以立案 / only the discipline office (inspectors) opens cases' USING ERRCODE = '42501';
  END IF;
  id := oversight.open_case('manual', p_unit_code, p_act_date, p_summary, p_node_code, p_matter_id);
  -- Further people named by the office, e.g. {"P7": "directly_responsible"}.
  FOR p IN SELECT key, value #>> '{}' AS subject_role FROM pg_catalog.jsonb_each(COALESCE(p_people, '{}')) LOOP
    INSERT INTO oversight.case_subject (case_id, person_code, subject_role) VALUES (id, p.key, p.subject_role) ON CONFLICT DO NOTHING;
  END LOOP;
  RETURN id;
END $$;
COMMENT ON FUNCTION oversight.open_case_by_hand(text, date, text, text, bigint, jsonb) IS
  'The discipline office opens a case by hand (subjects resolved at the date of the act, plus any it names as {"person": "role"}); returns its number.';

CREATE FUNCTION oversight.decide_case(p_case_id bigint, p_sanctions jsonb, p_note text) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  c oversight.accountability_case;
  me text := oversight.acting_person();
  s record;
  reasons text[];
  n integer := 0;
BEGIN
  SELECT * INTO c FROM oversight.accountability_case x WHERE x.case_id = p_case_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION '未知案件 % / unknown case %', p_case_id, p_case_id USING ERRCODE = '22023';
  END IF;
  IF c.status <> 'open' THEN
    RAISE EXCEPTION '案件 % 已处理 / case % has already been decided', p_case_id, p_case_id USING ERRCODE = '55000';
  END IF;
  IF NOT pg_catalog.pg_has_role(session_user, 'oversight_inspector', 'MEMBER') OR me IS NULL THEN
    RAISE EXCEPTION '案件由纪检监察人员处理 / cases are decided by an inspector registered as a person' USING ERRCODE = '42501';
  END IF;
  IF EXISTS (SELECT FROM oversight.case_subject x WHERE x.case_id = p_case_id AND x.person_code = me) THEN
    RAISE EXCEPTION '% 是案件 % 的当事人，不能处理 / % is a subject of case % and cannot decide it', me, p_case_id, me, p_case_id USING ERRCODE = '42501';
  END IF;
  IF p_note IS NULL OR btrim(p_note) = '' THEN
    RAISE EXCEPTION '处理决定须说明理由 / a decision needs its reasons' USING ERRCODE = '22023';
  END IF;
  -- p_sanctions: [{"person": "H1", "sanctions": ["caution", "written_self_examination"]}, …]; [] dismisses.
  FOR s IN SELECT e ->> 'person' AS person_code, pg_catalog.jsonb_array_elements_text(e -> 'sanctions') AS sanction_code
             FROM pg_catalog.jsonb_array_elements(COALESCE(p_sanctions, '[]')) e LOOP
    IF NOT EXISTS (SELECT FROM oversight.case_subject x WHERE x.case_id = p_case_id AND x.person_code = s.person_code) THEN
      RAISE EXCEPTION '% 不是案件 % 的当事人 / % is not a subject of case %', s.person_code, p_case_id, s.person_code, p_case_id USING ERRCODE = '22023';
    END IF;
    -- Aggravation: a second case in the year of the act, obstruction, retaliation.
    reasons := ARRAY(SELECT r FROM pg_catalog.unnest(ARRAY[
                 CASE WHEN (SELECT pg_catalog.count(DISTINCT x.case_id) FROM oversight.case_subject x JOIN oversight.accountability_case y USING (case_id)
                             WHERE x.person_code = s.person_code AND y.status <> 'dismissed'
                               AND pg_catalog.date_part('year', y.act_date) = pg_catalog.date_part('year', c.act_date)) >= 2 THEN 'repeat' END,
                 CASE WHEN c.obstruction THEN 'obstruction' END, CASE WHEN c.retaliation THEN 'retaliation' END]) r WHERE r IS NOT NULL);
    INSERT INTO oversight.case_sanction (case_id, person_code, sanction_code, aggravated, aggravation, deduction, decided_on)
    SELECT p_case_id, s.person_code, k.sanction_code, pg_catalog.cardinality(reasons) > 0, reasons,
           k.deduction * CASE WHEN pg_catalog.cardinality(reasons) > 0 THEN oversight.setting_value('accountability.aggravation_factor')::numeric ELSE 1 END,
           oversight.today()
      FROM oversight.sanction_kind k WHERE k.sanction_code = s.sanction_code;
    IF NOT FOUND THEN
      RAISE EXCEPTION '未知处理方式 "%" / unknown sanction "%"', s.sanction_code, s.sanction_code USING ERRCODE = '22023';
    END IF;
    n := n + 1;
  END LOOP;
  UPDATE oversight.accountability_case SET status = CASE WHEN n = 0 THEN 'dismissed' ELSE 'decided' END, decided_at = oversight.now(),
         decided_by = me, decision_note = p_note WHERE case_id = p_case_id;
  RETURN n;
END $$;
COMMENT ON FUNCTION oversight.decide_case(bigint, jsonb, text) IS
  'The discipline office decides a case: sanctions per subject from the graded list, combinable ([{"person": …, "sanctions": [...]}]; none dismisses it), by an inspector who is not a subject, with reasons; aggravation (a second case of the person in the year, obstruction, retaliation) is found and multiplies the deduction. Returns the sanctions recorded.';

-------------------------------------------------------------------------------------------------------
-- Rectification (整改): owner, plan, deadline, notes; closed only after verification by someone else.
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.rectification (
  rectification_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  origin        text NOT NULL CONSTRAINT rectification_origin_known CHECK (origin IN ('alert', 'card', 'case', 'spot_check', 'assessment')),
  alert_id      bigint,
  card_id       bigint REFERENCES oversight.card,
  case_id       bigint REFERENCES oversight.accountability_case,
  spot_check_id bigint,
  matter_id     bigint REFERENCES oversight.matter,
  unit_code     text NOT NULL REFERENCES oversight.org_unit ON UPDATE CASCADE,
  owner_code    text NOT NULL REFERENCES oversight.person ON UPDATE CASCADE,
  plan          text NOT NULL CONSTRAINT rectification_plan_present CHECK (btrim(plan) <> ''),
  due_on        date NOT NULL,
  status        text NOT NULL DEFAULT 'open' CONSTRAINT rectification_status_known CHECK (status IN ('open', 'submitted', 'closed', 'reopened')),
  opened_at     timestamptz NOT NULL,
  opened_by     text NOT NULL,
  submitted_at  timestamptz,
  verified_by   text REFERENCES oversight.person ON UPDATE CASCADE,
  verified_at   timestamptz,
  CONSTRAINT rectification_verified_by_another CHECK (verified_by IS DISTINCT FROM owner_code)
);
COMMENT ON TABLE oversight.rectification IS
  'Rectifications (整改) ordered from an alert, a card, a case, a failed spot check or a failing assessment: an owner, a plan and a deadline in working days; closed only when someone other than the owner verifies it, and reopened if the alert''s finding comes back; overdue ones climb the ladder.';
COMMENT ON COLUMN oversight.rectification.rectification_id IS 'Rectification number.';
COMMENT ON COLUMN oversight.rectification.origin IS 'alert, card, case, spot_check or assessment.';
COMMENT ON COLUMN oversight.rectification.alert_id IS 'Alert to correct.';
COMMENT ON COLUMN oversight.rectification.card_id IS 'Card that ordered it.';
COMMENT ON COLUMN oversight.rectification.case_id IS 'Case that ordered it.';
COMMENT ON COLUMN oversight.rectification.spot_check_id IS 'Spot check that failed.';
COMMENT ON COLUMN oversight.rectification.matter_id IS 'Matter concerned.';
COMMENT ON COLUMN oversight.rectification.unit_code IS 'Unit that must rectify (row-level security).';
COMMENT ON COLUMN oversight.rectification.owner_code IS 'Person who owns it.';
COMMENT ON COLUMN oversight.rectification.plan IS 'What will be done.';
COMMENT ON COLUMN oversight.rectification.due_on IS 'Deadline.';
COMMENT ON COLUMN oversight.rectification.status IS 'open, submitted (owner says done), closed (verified) or reopened (the finding recurred, or verification failed).';
COMMENT ON COLUMN oversight.rectification.opened_at IS 'When ordered.';
COMMENT ON COLUMN oversight.rectification.opened_by IS 'session_user who ordered it.';
COMMENT ON COLUMN oversight.rectification.submitted_at IS 'When the owner reported it done.';
COMMENT ON COLUMN oversight.rectification.verified_by IS 'Person who verified it (never the owner).';
COMMENT ON COLUMN oversight.rectification.verified_at IS 'When.';

CREATE TABLE oversight.rectification_note (
  note_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rectification_id bigint NOT NULL REFERENCES oversight.rectification ON DELETE CASCADE,
  noted_at         timestamptz NOT NULL,
  noted_by         text NOT NULL,
  kind             text NOT NULL CONSTRAINT rectification_note_kind_known CHECK (kind IN ('progress', 'submitted', 'verified', 'failed', 'reopened')),
  note             text NOT NULL
);
COMMENT ON TABLE oversight.rectification_note IS 'Progress notes of a rectification, and its submission, verification and reopenings.';
COMMENT ON COLUMN oversight.rectification_note.note_id IS 'Note number.';
COMMENT ON COLUMN oversight.rectification_note.rectification_id IS 'Rectification.';
COMMENT ON COLUMN oversight.rectification_note.noted_at IS 'When.';
COMMENT ON COLUMN oversight.rectification_note.noted_by IS 'Person or session user.';
COMMENT ON COLUMN oversight.rectification_note.kind IS 'progress, submitted, verified, failed or reopened.';
COMMENT ON COLUMN oversight.rectification_note.note IS 'Text.';

CREATE FUNCTION oversight.new_rectification(p_origin text, p_ref bigint, p_unit_code text, p_owner_code text, p_plan text,
                                            p_working_days integer)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE id bigint; due date;
BEGIN
  due := oversight.add_working_days(oversight.today(), COALESCE(p_working_days, oversight.setting_value('rectification.due_working_days')::integer));
  INSERT INTO oversight.rectification (origin, alert_id, card_id, case_id, spot_check_id, matter_id, unit_code, owner_code, plan, due_on, opened_at, opened_by)
  VALUES (p_origin,
          CASE p_origin WHEN 'alert' THEN p_ref WHEN 'card' THEN (SELECT c.alert_id FROM oversight.card c WHERE c.card_id = p_ref) END,
          CASE p_origin WHEN 'card' THEN p_ref END, CASE p_origin WHEN 'case' THEN p_ref END, CASE p_origin WHEN 'spot_check' THEN p_ref END,
          CASE p_origin WHEN 'card' THEN (SELECT c.matter_id FROM oversight.card c WHERE c.card_id = p_ref)
                        WHEN 'case' THEN (SELECT c.matter_id FROM oversight.accountability_case c WHERE c.case_id = p_ref) END,
          p_unit_code, p_owner_code, p_plan, due, oversight.now(), session_user)
  RETURNING rectification_id INTO id;
  PERFORM oversight.start_escalation('rectification', id, '*', due);
  RETURN id;
END $$;
COMMENT ON FUNCTION oversight.new_rectification(text, bigint, text, text, text, integer) IS
  'Creates a rectification and puts it on its ladder (deadline: today plus p_working_days, default rectification.due_working_days). Internal: oversight.order_rectification(), red cards, spot checks and failing assessments call it.';

CREATE FUNCTION oversight.order_rectification(p_origin text, p_ref bigint, p_unit_code text, p_owner_code text, p_plan text,
                                              p_working_days integer DEFAULT NULL)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NOT pg_catalog.pg_has_role(session_user, 'oversight_inspector', 'MEMBER') THEN
    RAISE EXCEPTION '整改由纪检监察人员下达 / rectifications are ordered by the discipline office (inspectors)' USING ERRCODE = '42501';
  END IF;
  IF p_origin NOT IN ('alert', 'card', 'case') THEN
    RAISE EXCEPTION '整改来源须为告警、红黄牌或案件 / a rectification is ordered from an alert, a card or a case, not "%"', p_origin USING ERRCODE = '22023';
  END IF;
  IF NOT (CASE p_origin WHEN 'alert' THEN EXISTS (SELECT FROM oversight.alert a WHERE a.alert_id = p_ref AND a.unit_code = p_unit_code)
                        WHEN 'card' THEN EXISTS (SELECT FROM oversight.card c WHERE c.card_id = p_ref AND c.unit_code = p_unit_code)
                        ELSE EXISTS (SELECT FROM oversight.accountability_case c WHERE c.case_id = p_ref AND c.unit_code = p_unit_code) END) THEN
    RAISE EXCEPTION '% % 不存在或不属于单位 % / no % % of unit %', p_origin, p_ref, p_unit_code, p_origin, p_ref, p_unit_code USING ERRCODE = '22023';
  END IF;
  RETURN oversight.new_rectification(p_origin, p_ref, p_unit_code, p_owner_code, p_plan, p_working_days);
END $$;
COMMENT ON FUNCTION oversight.order_rectification(text, bigint, text, text, text, integer) IS
  'The discipline office orders a rectification from an alert, a card or a case of a unit (p_ref is its number), with an owner, a plan and a deadline in working days (default rectification.due_working_days); an overdue one climbs the ladder. Returns its number.';

CREATE FUNCTION oversight.recheck_rows(p_table regclass, p_key_names text[], p_key_values text[]) RETURNS bigint
  AS 'MODULE_PATHNAME', 'oversight_recheck_rows' LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION oversight.recheck_rows(regclass, text[], text[]) IS
  'Runs every approved rule of a watched table again over the rows whose key columns (or mapped canonical fields) equal the values given, as if they had just been written; returns the rows evaluated, or -1 when the names are not columns of the table or it is not watched. Internal: oversight.recheck_alert() calls it.';

CREATE FUNCTION oversight.recheck_alert(p_alert_id bigint) RETURNS boolean
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  a oversight.alert;
  before integer;
  names text[];
  key_values text[];
  t record;
BEGIN
  SELECT * INTO a FROM oversight.alert x WHERE x.alert_id = p_alert_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION '未知告警 % / unknown alert %', p_alert_id, p_alert_id USING ERRCODE = '22023';
  END IF;
  before := a.repeat_count;
  SELECT pg_catalog.array_agg(k.key ORDER BY k.key), pg_catalog.array_agg(k.value #>> '{}' ORDER BY k.key) INTO names, key_values
    FROM pg_catalog.jsonb_each(a.object_key) k;
  FOR t IN SELECT w.relid, k.evaluation FROM oversight.watched_table w
             JOIN oversight.rule r ON r.record_kind = w.record_kind
             JOIN oversight.rule_kinds k ON k.rule_kind = r.rule_kind
            WHERE r.rule_code = a.rule_code AND w.disabled_reason IS NULL ORDER BY w.relid::text LOOP
    IF t.evaluation = 'sweep' THEN
      PERFORM oversight.sweep_table(t.relid, oversight.now());
    ELSE
      PERFORM oversight.recheck_rows(t.relid, names, key_values);
    END IF;
  END LOOP;
  RETURN (SELECT x.repeat_count FROM oversight.alert x WHERE x.alert_id = p_alert_id) > before;
END $$;
COMMENT ON FUNCTION oversight.recheck_alert(bigint) IS
  'Runs the rule of an alert again on its records as they are now (every watched table of the rule''s record kind; deadline rules by a sweep as of now); true when it found the matter again (the alert''s repeat_count rose, and a corrected alert reopened). Internal: verifying a rectification calls it.';

CREATE FUNCTION oversight.rectification_progress(p_rectification_id bigint, p_kind text, p_note text) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r oversight.rectification;
  me text := oversight.acting_person();
  a oversight.alert;
  recurred boolean;
BEGIN
  SELECT * INTO r FROM oversight.rectification x WHERE x.rectification_id = p_rectification_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION '未知整改 % / unknown rectification %', p_rectification_id, p_rectification_id USING ERRCODE = '22023';
  END IF;
  IF p_note IS NULL OR btrim(p_note) = '' THEN
    RAISE EXCEPTION '须填写说明 / a note is required' USING ERRCODE = '22023';
  END IF;
  IF p_kind IN ('progress', 'submitted') THEN
    IF me IS DISTINCT FROM r.owner_code THEN
      RAISE EXCEPTION '只有整改责任人 % 可以填报 / only the owner, %, reports on the rectification', r.owner_code, r.owner_code USING ERRCODE = '42501';
    END IF;
    IF p_kind = 'submitted' THEN
      UPDATE oversight.rectification SET status = 'submitted', submitted_at = oversight.now() WHERE rectification_id = p_rectification_id;
    END IF;
  ELSIF p_kind IN ('verified', 'failed') THEN
    IF me IS NULL OR me = r.owner_code THEN
      RAISE EXCEPTION '整改须由责任人以外的人核验 / a rectification is verified by someone other than its owner' USING ERRCODE = '42501';
    END IF;
    IF r.status <> 'submitted' THEN
      RAISE EXCEPTION '整改 % 尚未报告完成 / rectification % has not been reported done', p_rectification_id, p_rectification_id USING ERRCODE = '55000';
    END IF;
    -- The finding must not recur: the rule that raised the alert runs again on the corrected record;
    -- if it still finds it (or found it again after the owner reported done), verification fails.
    IF p_kind = 'verified' AND r.alert_id IS NOT NULL THEN
      recurred := oversight.recheck_alert(r.alert_id);
      SELECT * INTO a FROM oversight.alert x WHERE x.alert_id = r.alert_id;
      IF recurred OR a.last_fired_at > r.submitted_at OR a.status IN ('open', 'acknowledged') THEN
        p_kind := 'failed';
        p_note := pg_catalog.format('规则复查仍发现问题（告警 %s，最近 %s）：未通过核验。%s / the rule still finds it (alert %s, last %s): not verified. %s',
                                    a.alert_id, a.last_fired_at, p_note, a.alert_id, a.last_fired_at, p_note);
      END IF;
    END IF;
    UPDATE oversight.rectification SET status = CASE p_kind WHEN 'verified' THEN 'closed' ELSE 'reopened' END,
           verified_by = CASE p_kind WHEN 'verified' THEN me END, verified_at = CASE p_kind WHEN 'verified' THEN oversight.now() END
     WHERE rectification_id = p_rectification_id;
    IF p_kind = 'verified' THEN
      PERFORM oversight.stop_escalation('rectification', p_rectification_id, 'verified');
    END IF;
  ELSE
    RAISE EXCEPTION 'a rectification note is progress, submitted, verified or failed, not "%"', p_kind USING ERRCODE = '22023';
  END IF;
  INSERT INTO oversight.rectification_note (rectification_id, noted_at, noted_by, kind, note)
  VALUES (p_rectification_id, oversight.now(), COALESCE(me, session_user), p_kind, p_note);
  RETURN (SELECT x.status FROM oversight.rectification x WHERE x.rectification_id = p_rectification_id);
END $$;
COMMENT ON FUNCTION oversight.rectification_progress(bigint, text, text) IS
  'Records a rectification''s progress or submission (its owner) or its verification (verified / failed: a person other than the owner). Verifying a rectification of an alert runs the rule again on the corrected record (oversight.recheck_alert): if the finding is still there, or came back after the submission, the verification fails and the rectification reopens. Returns the new status (closed, reopened, submitted, open).';

-- A closed rectification whose finding recurs reopens, the moment the engine reopens its alert.
CREATE FUNCTION oversight.rectification_reopen_on_recurrence() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE r record;
BEGIN
  FOR r IN UPDATE oversight.rectification x SET status = 'reopened'
            WHERE x.alert_id = NEW.alert_id AND x.status = 'closed'
           RETURNING x.rectification_id LOOP
    INSERT INTO oversight.rectification_note (rectification_id, noted_at, noted_by, kind, note)
    VALUES (r.rectification_id, oversight.now(), 'system', 'reopened',
            pg_catalog.format('告警 %s 于 %s 再次触发，整改重新打开 / alert %s fired again on %s: the rectification is reopened',
                              NEW.alert_id, NEW.last_fired_at, NEW.alert_id, NEW.last_fired_at));
    -- Back on its ladder, due again today, from the first step it has not taken yet (each step is
    -- taken once: a rectification that already had its red card stays at the top).
    UPDATE oversight.escalation e SET stopped_at = NULL, stop_reason = NULL, due_on = oversight.today(), next_step_no = n.step_no,
           next_step_on = oversight.ladder_step_due(e.ladder_version_id, n.step_no, oversight.today(), oversight.today())
      FROM (SELECT COALESCE(max(s.step_no) + 1, 1)::smallint AS step_no FROM oversight.escalation_step s
             WHERE s.subject_kind = 'rectification' AND s.subject_id = r.rectification_id) n
     WHERE e.subject_kind = 'rectification' AND e.subject_id = r.rectification_id;
  END LOOP;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION oversight.rectification_reopen_on_recurrence() IS
  'AFTER trigger function of oversight.alert: when the engine reopens a corrected or closed alert (its finding recurred), every closed rectification of that alert reopens and goes back on its ladder.';
CREATE TRIGGER rectification_reopen_on_recurrence AFTER UPDATE OF status ON oversight.alert
  FOR EACH ROW WHEN (OLD.status IN ('corrected', 'closed') AND NEW.status = 'open')
  EXECUTE FUNCTION oversight.rectification_reopen_on_recurrence();
COMMENT ON TRIGGER rectification_reopen_on_recurrence ON oversight.alert IS
  'A recurrence reopens the closed rectifications of the alert (the WHEN clause keeps the engine''s other alert updates free of it).';

-------------------------------------------------------------------------------------------------------
-- Complaints.
-------------------------------------------------------------------------------------------------------
CREATE FUNCTION oversight.receive_complaint(p_channel text, p_anonymous boolean, p_complainant_name text, p_complainant_contact text,
                                            p_subject_unit_code text, p_summary text, p_node_code text DEFAULT NULL, p_person_code text DEFAULT NULL,
                                            p_act_date date DEFAULT NULL)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE id bigint; due date;
BEGIN
  due := oversight.add_working_days(oversight.today(), oversight.setting_value('complaint.accept_working_days')::integer);
  INSERT INTO oversight.complaint (received_at, received_by, channel, anonymous, complainant_name, complainant_contact, subject_unit_code,
                                   node_code, person_code, act_date, summary, accept_due_on)
  VALUES (oversight.now(), session_user, p_channel, p_anonymous, CASE WHEN NOT p_anonymous THEN p_complainant_name END,
          CASE WHEN NOT p_anonymous THEN p_complainant_contact END, p_subject_unit_code, p_node_code, p_person_code, p_act_date, p_summary, due)
  RETURNING complaint_id INTO id;
  PERFORM oversight.start_escalation('complaint_acceptance', id, '*', due);
  RETURN id;
END $$;
COMMENT ON FUNCTION oversight.receive_complaint(text, boolean, text, text, text, text, text, text, date) IS
  'Records a complaint or report (anonymous: no name or contact kept), with the deadline of its acceptance decision (complaint.accept_working_days); returns its number.';

CREATE FUNCTION oversight.decide_complaint(p_complaint_id bigint, p_accept boolean, p_routed_unit_code text DEFAULT NULL,
                                           p_working_days integer DEFAULT NULL)
  RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE due date;
BEGIN
  IF NOT pg_catalog.pg_has_role(session_user, 'oversight_inspector', 'MEMBER') THEN
    RAISE EXCEPTION '投诉由纪检监察人员受理 / complaints are accepted by the discipline office (inspectors)' USING ERRCODE = '42501';
  END IF;
  due := CASE WHEN p_accept THEN oversight.add_working_days(oversight.today(),
                COALESCE(p_working_days, oversight.setting_value('complaint.handle_working_days')::integer)) END;
  UPDATE oversight.complaint SET accepted = p_accept, accepted_at = oversight.now(), accepted_by = session_user,
         routed_unit_code = CASE WHEN p_accept THEN COALESCE(p_routed_unit_code, subject_unit_code) END, handle_due_on = due
   WHERE complaint_id = p_complaint_id AND accepted IS NULL;
  IF NOT FOUND THEN
    RAISE EXCEPTION '投诉 % 不存在或已决定受理与否 / complaint % does not exist or has been decided', p_complaint_id, p_complaint_id USING ERRCODE = '55000';
  END IF;
  PERFORM oversight.stop_escalation('complaint_acceptance', p_complaint_id, 'decided');
  IF p_accept THEN
    PERFORM oversight.start_escalation('complaint_handling', p_complaint_id, '*', due);
  END IF;
  RETURN p_accept;
END $$;
COMMENT ON FUNCTION oversight.decide_complaint(bigint, boolean, text, integer) IS 'The discipline office accepts (routing it to a unit, with a deadline in working days) or declines a complaint.';

CREATE FUNCTION oversight.close_complaint(p_complaint_id bigint, p_outcome text, p_note text, p_feedback text DEFAULT NULL) RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE c oversight.complaint; case_no bigint;
BEGIN
  IF NOT pg_catalog.pg_has_role(session_user, 'oversight_inspector', 'MEMBER') THEN
    RAISE EXCEPTION '投诉办理结果由纪检监察人员记录 / outcomes are recorded by the discipline office (inspectors)' USING ERRCODE = '42501';
  END IF;
  SELECT * INTO c FROM oversight.complaint x WHERE x.complaint_id = p_complaint_id FOR UPDATE;
  IF NOT FOUND OR NOT COALESCE(c.accepted, false) OR c.outcome IS NOT NULL THEN
    RAISE EXCEPTION '投诉 % 未受理或已办结 / complaint % is not accepted, or already closed', p_complaint_id, p_complaint_id USING ERRCODE = '55000';
  END IF;
  IF NOT c.anonymous AND (p_feedback IS NULL OR btrim(p_feedback) = '') THEN
    RAISE EXCEPTION '实名投诉须向投诉人反馈 / a real-name complainant must be told the outcome (feedback)' USING ERRCODE = '22023';
  END IF;
  UPDATE oversight.complaint SET outcome = p_outcome, outcome_at = oversight.now(), outcome_note = p_note,
         feedback_at = CASE WHEN p_feedback IS NOT NULL THEN oversight.now() END, feedback_note = p_feedback
   WHERE complaint_id = p_complaint_id;
  PERFORM oversight.stop_escalation('complaint_handling', p_complaint_id, 'closed');
  IF p_outcome IN ('substantiated', 'partly_substantiated') THEN
    case_no := oversight.open_case('complaint', COALESCE(c.routed_unit_code, c.subject_unit_code), COALESCE(c.act_date, (c.received_at AT TIME ZONE
                 oversight.setting_value('timezone'))::date), c.summary, c.node_code, NULL, NULL, NULL, NULL, c.complaint_id);
    IF c.person_code IS NOT NULL THEN
      INSERT INTO oversight.case_subject (case_id, person_code, subject_role) VALUES (case_no, c.person_code, 'directly_responsible') ON CONFLICT DO NOTHING;
    END IF;
  END IF;
  RETURN case_no;
END $$;
COMMENT ON FUNCTION oversight.close_complaint(bigint, text, text, text) IS
  'Records a complaint''s outcome and the feedback (required for a real-name complainant); a substantiated complaint opens a case (the official named, and the people responsible at the date of the act; the section chief too when the power was never identified or monitored). Returns the case number.';

-------------------------------------------------------------------------------------------------------
-- Random spot checks of filings (备案抽查): reproducible from the frozen population and the seed.
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.spot_check (
  spot_check_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  drawn_at        timestamptz NOT NULL,
  drawn_by        text NOT NULL,
  scope           text NOT NULL,
  filed_from      date NOT NULL,
  filed_to        date NOT NULL,
  method          text NOT NULL CONSTRAINT spot_check_method_known CHECK (method = 'sha256_rank'),
  seed            text NOT NULL CONSTRAINT spot_check_seed_present CHECK (btrim(seed) <> ''),
  sample_size     integer NOT NULL CONSTRAINT spot_check_sample_positive CHECK (sample_size > 0),
  population      bigint[] NOT NULL,
  sample          bigint[] NOT NULL
);
COMMENT ON TABLE oversight.spot_check IS
  'Random spot checks of filings (随机抽查): the population frozen when drawn (the filing numbers in scope, in order), the method and the seed, so anyone can redraw it later (oversight.redraw_spot_check) and get the same sample.';
COMMENT ON COLUMN oversight.spot_check.spot_check_id IS 'Spot check number.';
COMMENT ON COLUMN oversight.spot_check.drawn_at IS 'When drawn.';
COMMENT ON COLUMN oversight.spot_check.drawn_by IS 'session_user who drew it.';
COMMENT ON COLUMN oversight.spot_check.scope IS 'Description of the scope.';
COMMENT ON COLUMN oversight.spot_check.filed_from IS 'Filings made on or after this day…';
COMMENT ON COLUMN oversight.spot_check.filed_to IS '…and on or before this day.';
COMMENT ON COLUMN oversight.spot_check.method IS 'sha256_rank: the filings ranked by sha256(seed:filing number), the first sample_size taken.';
COMMENT ON COLUMN oversight.spot_check.seed IS 'The seed (e.g. the serial number of a public lottery draw, or a number drawn in front of witnesses).';
COMMENT ON COLUMN oversight.spot_check.sample_size IS 'How many were to be drawn.';
COMMENT ON COLUMN oversight.spot_check.population IS 'The filing numbers in scope when drawn (frozen).';
COMMENT ON COLUMN oversight.spot_check.sample IS 'The filing numbers drawn, in rank order.';

CREATE TABLE oversight.spot_check_item (
  spot_check_id bigint NOT NULL REFERENCES oversight.spot_check ON DELETE CASCADE,
  filing_id     bigint NOT NULL REFERENCES oversight.matter_filing,
  result        text NOT NULL DEFAULT 'pending' CONSTRAINT spot_check_result_known CHECK (result IN ('pending', 'pass', 'fail')),
  checked_at    timestamptz,
  checked_by    text,
  note          text,
  rectification_id bigint REFERENCES oversight.rectification,
  PRIMARY KEY (spot_check_id, filing_id)
);
COMMENT ON TABLE oversight.spot_check_item IS 'The filings drawn by a spot check and the result of checking each; a failed one orders a rectification.';
COMMENT ON COLUMN oversight.spot_check_item.spot_check_id IS 'Spot check.';
COMMENT ON COLUMN oversight.spot_check_item.filing_id IS 'Filing drawn.';
COMMENT ON COLUMN oversight.spot_check_item.result IS 'pending, pass or fail.';
COMMENT ON COLUMN oversight.spot_check_item.checked_at IS 'When checked.';
COMMENT ON COLUMN oversight.spot_check_item.checked_by IS 'Who checked.';
COMMENT ON COLUMN oversight.spot_check_item.note IS 'Findings.';
COMMENT ON COLUMN oversight.spot_check_item.rectification_id IS 'Rectification ordered when it failed.';

CREATE FUNCTION oversight.spot_check_sample(p_population bigint[], p_seed text, p_size integer) RETURNS bigint[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT COALESCE(pg_catalog.array_agg(f ORDER BY r, f), '{}')
    FROM (SELECT f, pg_catalog.sha256(pg_catalog.convert_to(p_seed || ':' || f, 'UTF8')) AS r
            FROM pg_catalog.unnest(p_population) AS f ORDER BY r, f LIMIT p_size) s
$$;
COMMENT ON FUNCTION oversight.spot_check_sample(bigint[], text, integer) IS 'The sha256_rank draw: the population ranked by sha256(seed:number), the first p_size. Deterministic: the same population and seed give the same sample.';

CREATE FUNCTION oversight.draw_spot_check(p_scope text, p_filed_from date, p_filed_to date, p_sample_size integer, p_seed text) RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE id bigint; pop bigint[];
BEGIN
  IF NOT pg_catalog.pg_has_role(session_user, 'oversight_inspector', 'MEMBER') THEN
    RAISE EXCEPTION '抽查由纪检监察人员进行 / spot checks are drawn by the discipline office (inspectors)' USING ERRCODE = '42501';
  END IF;
  pop := ARRAY(SELECT f.filing_id FROM oversight.matter_filing f
                WHERE (f.filed_at AT TIME ZONE oversight.setting_value('timezone'))::date BETWEEN p_filed_from AND p_filed_to ORDER BY f.filing_id);
  INSERT INTO oversight.spot_check (drawn_at, drawn_by, scope, filed_from, filed_to, method, seed, sample_size, population, sample)
  VALUES (oversight.now(), session_user, p_scope, p_filed_from, p_filed_to, 'sha256_rank', p_seed, p_sample_size, pop,
          oversight.spot_check_sample(pop, p_seed, p_sample_size))
  RETURNING spot_check_id INTO id;
  INSERT INTO oversight.spot_check_item (spot_check_id, filing_id) SELECT id, s FROM pg_catalog.unnest((SELECT c.sample FROM oversight.spot_check c WHERE c.spot_check_id = id)) s;
  RETURN id;
END $$;
COMMENT ON FUNCTION oversight.draw_spot_check(text, date, date, integer, text) IS
  'Draws a spot check of the filings made between two days: freezes the population, draws the sample with the seed (sha256_rank) and lists the items to check; returns its number.';

CREATE FUNCTION oversight.redraw_spot_check(p_spot_check_id bigint) RETURNS TABLE (same_sample boolean, sample bigint[])
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT oversight.spot_check_sample(c.population, c.seed, c.sample_size) = c.sample, oversight.spot_check_sample(c.population, c.seed, c.sample_size)
    FROM oversight.spot_check c WHERE c.spot_check_id = p_spot_check_id
$$;
COMMENT ON FUNCTION oversight.redraw_spot_check(bigint) IS 'Redraws a spot check from its stored population and seed, and says whether it gives the sample recorded (it must).';

CREATE FUNCTION oversight.record_spot_check(p_spot_check_id bigint, p_filing_id bigint, p_passed boolean, p_note text,
                                            p_owner_code text DEFAULT NULL, p_plan text DEFAULT NULL)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE r bigint; m oversight.matter;
BEGIN
  IF NOT pg_catalog.pg_has_role(session_user, 'oversight_inspector', 'MEMBER') THEN
    RAISE EXCEPTION '抽查结果由纪检监察人员记录 / spot-check results are recorded by the discipline office (inspectors)' USING ERRCODE = '42501';
  END IF;
  SELECT x.* INTO m FROM oversight.matter x JOIN oversight.matter_filing f ON f.matter_id = x.matter_id WHERE f.filing_id = p_filing_id;
  IF NOT p_passed THEN
    IF p_owner_code IS NULL OR p_plan IS NULL THEN
      RAISE EXCEPTION '抽查不合格须指定整改责任人和整改要求 / a failed check needs a rectification owner and plan' USING ERRCODE = '22023';
    END IF;
    r := oversight.new_rectification('spot_check', p_spot_check_id, m.unit_code, p_owner_code, p_plan, NULL);
    UPDATE oversight.rectification SET matter_id = m.matter_id WHERE rectification_id = r;
  END IF;
  UPDATE oversight.spot_check_item SET result = CASE WHEN p_passed THEN 'pass' ELSE 'fail' END, checked_at = oversight.now(),
         checked_by = session_user, note = p_note, rectification_id = r
   WHERE spot_check_id = p_spot_check_id AND filing_id = p_filing_id AND result = 'pending';
  IF NOT FOUND THEN
    RAISE EXCEPTION '备案 % 不在抽查 % 的样本中或已检查 / filing % is not in spot check %, or was checked', p_filing_id, p_spot_check_id,
      p_filing_id, p_spot_check_id USING ERRCODE = '55000';
  END IF;
  RETURN r;
END $$;
COMMENT ON FUNCTION oversight.record_spot_check(bigint, bigint, boolean, text, text, text) IS 'Records the check of a drawn filing; a failure orders a rectification (owner and plan required). Returns the rectification number, if any.';

-------------------------------------------------------------------------------------------------------
-- Assessment (绩效评估): schemes as data, versioned; every deduction and bonus traced to its record.
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.assessment_scheme (
  scheme_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scope         text NOT NULL CONSTRAINT assessment_scheme_scope_known CHECK (scope IN ('unit', 'person')),
  version       integer NOT NULL CONSTRAINT assessment_scheme_version_positive CHECK (version >= 1),
  valid_from    date NOT NULL CONSTRAINT assessment_scheme_from_month_start CHECK (valid_from = pg_catalog.date_trunc('month', valid_from)::date),
  name_zh       text NOT NULL,
  name_en       text NOT NULL,
  base_score    numeric(6,2) NOT NULL DEFAULT 100 CONSTRAINT assessment_scheme_base_positive CHECK (base_score > 0),
  coefficient   numeric(6,3) NOT NULL DEFAULT 1 CONSTRAINT assessment_scheme_coefficient_positive CHECK (coefficient > 0),
  warning_run   smallint NOT NULL CONSTRAINT assessment_scheme_warning_run_positive CHECK (warning_run >= 1),
  warning_run_deduction numeric(6,2) NOT NULL CONSTRAINT assessment_scheme_warning_deduction_non_negative CHECK (warning_run_deduction >= 0),
  bonus_early   numeric(6,2) NOT NULL CONSTRAINT assessment_scheme_bonus_non_negative CHECK (bonus_early >= 0),
  bonus_cap     numeric(6,2) NOT NULL CONSTRAINT assessment_scheme_bonus_cap_non_negative CHECK (bonus_cap >= 0),
  defined_at    timestamptz NOT NULL,
  defined_by    text NOT NULL,
  note          text,
  CONSTRAINT assessment_scheme_version_unique UNIQUE (scope, version),
  CONSTRAINT assessment_scheme_one_per_month UNIQUE (scope, valid_from)
);
COMMENT ON TABLE oversight.assessment_scheme IS
  'Scoring schemes of units and of officials (DOMAIN.md §5), versioned: a version applies from its first month until the next one; it is never edited (define a new version). Monthly score = (Σ weight × dimension score) × base/100 − deductions (cards as issued, each run of warnings, sanctions) + bonuses (capped), times the coefficient, never below 0.';
COMMENT ON COLUMN oversight.assessment_scheme.scheme_id IS 'Scheme version number.';
COMMENT ON COLUMN oversight.assessment_scheme.scope IS 'unit or person.';
COMMENT ON COLUMN oversight.assessment_scheme.version IS 'Version of the scope''s scheme.';
COMMENT ON COLUMN oversight.assessment_scheme.valid_from IS 'First month it applies to.';
COMMENT ON COLUMN oversight.assessment_scheme.name_zh IS 'Name in Chinese.';
COMMENT ON COLUMN oversight.assessment_scheme.name_en IS 'Name in English.';
COMMENT ON COLUMN oversight.assessment_scheme.base_score IS 'Full marks (100).';
COMMENT ON COLUMN oversight.assessment_scheme.coefficient IS 'The result is multiplied by it.';
COMMENT ON COLUMN oversight.assessment_scheme.warning_run IS 'Warnings in a month that make a run (3).';
COMMENT ON COLUMN oversight.assessment_scheme.warning_run_deduction IS 'Points deducted per run of warnings (3).';
COMMENT ON COLUMN oversight.assessment_scheme.bonus_early IS 'Points added per obligation met at least one working day before its deadline.';
COMMENT ON COLUMN oversight.assessment_scheme.bonus_cap IS 'Largest bonus in a month.';
COMMENT ON COLUMN oversight.assessment_scheme.defined_at IS 'When defined.';
COMMENT ON COLUMN oversight.assessment_scheme.defined_by IS 'session_user who defined it.';
COMMENT ON COLUMN oversight.assessment_scheme.note IS 'Why this version.';

CREATE TABLE oversight.assessment_dimension (
  scheme_id      bigint NOT NULL REFERENCES oversight.assessment_scheme,
  dimension_code text NOT NULL CONSTRAINT assessment_dimension_code_format CHECK (dimension_code ~ '^[a-z][a-z0-9_]{1,63}$'),
  name_zh        text NOT NULL,
  name_en        text NOT NULL,
  weight         numeric(5,4) NOT NULL CONSTRAINT assessment_dimension_weight_range CHECK (weight > 0 AND weight <= 1),
  PRIMARY KEY (scheme_id, dimension_code)
);
COMMENT ON TABLE oversight.assessment_dimension IS 'Weighted dimensions of a scheme version (weights sum to 1); each is scored 0–100 (100 unless rated in oversight.dimension_rating).';
COMMENT ON COLUMN oversight.assessment_dimension.scheme_id IS 'Scheme version.';
COMMENT ON COLUMN oversight.assessment_dimension.dimension_code IS 'Dimension.';
COMMENT ON COLUMN oversight.assessment_dimension.name_zh IS 'Name in Chinese.';
COMMENT ON COLUMN oversight.assessment_dimension.name_en IS 'Name in English.';
COMMENT ON COLUMN oversight.assessment_dimension.weight IS 'Weight (0–1).';

CREATE TABLE oversight.assessment_grade (
  scheme_id   bigint NOT NULL REFERENCES oversight.assessment_scheme,
  grade_code  text NOT NULL CONSTRAINT assessment_grade_code_format CHECK (grade_code ~ '^[a-z][a-z0-9_]{1,63}$'),
  name_zh     text NOT NULL,
  name_en     text NOT NULL,
  min_score   numeric(6,2) NOT NULL CONSTRAINT assessment_grade_min_non_negative CHECK (min_score >= 0),
  failing     boolean NOT NULL DEFAULT false,
  PRIMARY KEY (scheme_id, grade_code),
  CONSTRAINT assessment_grade_band_unique UNIQUE (scheme_id, min_score)
);
COMMENT ON TABLE oversight.assessment_grade IS 'Grade bands of a scheme version (优秀/良好/合格/不合格): a score gets the band with the highest min_score it reaches; a failing band brings a supervision recommendation and a rectification.';
COMMENT ON COLUMN oversight.assessment_grade.scheme_id IS 'Scheme version.';
COMMENT ON COLUMN oversight.assessment_grade.grade_code IS 'Grade.';
COMMENT ON COLUMN oversight.assessment_grade.name_zh IS 'Name in Chinese.';
COMMENT ON COLUMN oversight.assessment_grade.name_en IS 'Name in English.';
COMMENT ON COLUMN oversight.assessment_grade.min_score IS 'Lowest score of the band.';
COMMENT ON COLUMN oversight.assessment_grade.failing IS 'True for the failing band (不合格).';

CREATE FUNCTION oversight.assessment_scheme_immutable() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION '考核方案版本不可修改，请定义新版本 / an assessment scheme version is never changed: define a new version (oversight.define_assessment_scheme)'
    USING ERRCODE = '55000';
END $$;
COMMENT ON FUNCTION oversight.assessment_scheme_immutable() IS 'BEFORE trigger function: scheme versions, their dimensions and grades are never updated or deleted (scores already given depend on them).';
DO $immutable$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['assessment_scheme', 'assessment_dimension', 'assessment_grade'] LOOP
    EXECUTE pg_catalog.format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON oversight.%I FOR EACH ROW EXECUTE FUNCTION oversight.assessment_scheme_immutable()',
                              t || '_immutable', t);
    EXECUTE pg_catalog.format('COMMENT ON TRIGGER %I ON oversight.%I IS %L', t || '_immutable', t, 'Scheme versions are never changed.');
  END LOOP;
END
$immutable$;

CREATE FUNCTION oversight.define_assessment_scheme(p_scope text, p_valid_from date, p_definition jsonb, p_note text DEFAULT NULL) RETURNS bigint
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  id bigint;
  total numeric;
BEGIN
  IF p_valid_from IS NULL OR p_valid_from <> pg_catalog.date_trunc('month', p_valid_from)::date THEN
    RAISE EXCEPTION '考核方案须从某月1日起适用 / a scheme applies from the first day of a month, not %', p_valid_from USING ERRCODE = '22023';
  END IF;
  SELECT pg_catalog.sum((d ->> 'weight')::numeric) INTO total FROM pg_catalog.jsonb_array_elements(p_definition -> 'dimensions') d;
  IF total IS DISTINCT FROM 1 THEN
    RAISE EXCEPTION '各维度权重之和须为1（现为%） / the weights of the dimensions must sum to 1 (they sum to %)', COALESCE(total, 0), COALESCE(total, 0)
      USING ERRCODE = '22023';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.jsonb_array_elements(p_definition -> 'grades') g WHERE (g ->> 'min_score')::numeric = 0) THEN
    RAISE EXCEPTION '等级须覆盖0分（最低一档下限为0） / the grade bands must start at 0' USING ERRCODE = '22023';
  END IF;
  INSERT INTO oversight.assessment_scheme (scope, version, valid_from, name_zh, name_en, base_score, coefficient, warning_run, warning_run_deduction,
                                           bonus_early, bonus_cap, defined_at, defined_by, note)
  VALUES (p_scope, COALESCE((SELECT max(s.version) FROM oversight.assessment_scheme s WHERE s.scope = p_scope), 0) + 1, p_valid_from,
          p_definition ->> 'name_zh', p_definition ->> 'name_en', COALESCE((p_definition ->> 'base_score')::numeric, 100),
          COALESCE((p_definition ->> 'coefficient')::numeric, 1), (p_definition ->> 'warning_run')::smallint,
          (p_definition ->> 'warning_run_deduction')::numeric, (p_definition ->> 'bonus_early')::numeric, (p_definition ->> 'bonus_cap')::numeric,
          oversight.now(), session_user, p_note)
  RETURNING scheme_id INTO id;
  INSERT INTO oversight.assessment_dimension (scheme_id, dimension_code, name_zh, name_en, weight)
  SELECT id, d ->> 'code', d ->> 'name_zh', d ->> 'name_en', (d ->> 'weight')::numeric FROM pg_catalog.jsonb_array_elements(p_definition -> 'dimensions') d;
  INSERT INTO oversight.assessment_grade (scheme_id, grade_code, name_zh, name_en, min_score, failing)
  SELECT id, g ->> 'code', g ->> 'name_zh', g ->> 'name_en', (g ->> 'min_score')::numeric, COALESCE((g ->> 'failing')::boolean, false)
    FROM pg_catalog.jsonb_array_elements(p_definition -> 'grades') g;
  RETURN id;
END $$;
COMMENT ON FUNCTION oversight.define_assessment_scheme(text, date, jsonb, text) IS
  'Defines the next version of the unit or person scheme, applying from a month: {"name_zh", "name_en", "base_score", "coefficient", "warning_run", "warning_run_deduction", "bonus_early", "bonus_cap", "dimensions": [{"code", "name_zh", "name_en", "weight"}] (weights sum to 1), "grades": [{"code", "name_zh", "name_en", "min_score", "failing"}] (one band from 0)}. Returns the scheme_id.';

CREATE FUNCTION oversight.install_default_assessment() RETURNS integer
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  scheme_scope text;
  n integer := 0;
  definition jsonb := $json$
    {"base_score": 100, "coefficient": 1, "warning_run": 3, "warning_run_deduction": 3, "bonus_early": 0.5, "bonus_cap": 5,
     "dimensions": [
       {"code": "disclosure",   "name_zh": "政务公开", "name_en": "disclosure",          "weight": 0.10},
       {"code": "process",      "name_zh": "办事程序", "name_en": "process",             "weight": 0.14},
       {"code": "time_limits",  "name_zh": "办理时限", "name_en": "time limits",         "weight": 0.14},
       {"code": "fees",         "name_zh": "收费标准", "name_en": "fees",                "weight": 0.08},
       {"code": "satisfaction", "name_zh": "群众满意", "name_en": "satisfaction",        "weight": 0.10},
       {"code": "attitude",     "name_zh": "服务态度", "name_en": "attitude",            "weight": 0.10},
       {"code": "supervision",  "name_zh": "监督制约", "name_en": "supervision",         "weight": 0.14},
       {"code": "liability",    "name_zh": "法律责任", "name_en": "legal liability",     "weight": 0.10},
       {"code": "integrity",    "name_zh": "廉洁自律", "name_en": "integrity",           "weight": 0.10}],
     "grades": [
       {"code": "excellent", "name_zh": "优秀",   "name_en": "excellent", "min_score": 90},
       {"code": "good",      "name_zh": "良好",   "name_en": "good",      "min_score": 80},
       {"code": "pass",      "name_zh": "合格",   "name_en": "pass",      "min_score": 60},
       {"code": "fail",      "name_zh": "不合格", "name_en": "fail",      "min_score": 0, "failing": true}]}
  $json$;
BEGIN
  FOREACH scheme_scope IN ARRAY ARRAY['unit', 'person'] LOOP
    IF NOT EXISTS (SELECT FROM oversight.assessment_scheme s WHERE s.scope = scheme_scope) THEN
      PERFORM oversight.define_assessment_scheme(scheme_scope, '1900-01-01',
        definition || CASE scheme_scope WHEN 'unit' THEN '{"name_zh": "单位月度绩效考核", "name_en": "Monthly assessment of units"}'::jsonb
                                 ELSE '{"name_zh": "个人月度运权考核", "name_en": "Monthly assessment of officials"}'::jsonb END,
        'shipped default (DOMAIN.md §5)');
      n := n + 1;
    END IF;
  END LOOP;
  RETURN n;
END $$;
COMMENT ON FUNCTION oversight.install_default_assessment() IS
  'Installs the shipped unit and person schemes (DOMAIN.md §5: nine weighted dimensions, 3 warnings −3, bonus 0.5 per early completion up to 5, grades 90/80/60) where the scope has none; returns how many it added. Called by oversight.install_default_rules().';

CREATE TABLE oversight.dimension_rating (
  scope          text NOT NULL CONSTRAINT dimension_rating_scope_known CHECK (scope IN ('unit', 'person')),
  subject_code   text NOT NULL,
  month          date NOT NULL CONSTRAINT dimension_rating_month_start CHECK (month = pg_catalog.date_trunc('month', month)::date),
  dimension_code text NOT NULL,
  score          numeric(5,2) NOT NULL CONSTRAINT dimension_rating_range CHECK (score BETWEEN 0 AND 100),
  rated_at       timestamptz NOT NULL,
  rated_by       text NOT NULL,
  note           text NOT NULL,
  PRIMARY KEY (scope, subject_code, month, dimension_code)
);
COMMENT ON TABLE oversight.dimension_rating IS 'Ratings of a dimension for a unit or official in a month (0–100) by the assessment office, e.g. satisfaction from a survey; a dimension not rated scores 100.';
COMMENT ON COLUMN oversight.dimension_rating.scope IS 'unit or person.';
COMMENT ON COLUMN oversight.dimension_rating.subject_code IS 'unit_code or person_code.';
COMMENT ON COLUMN oversight.dimension_rating.month IS 'Month rated (its first day).';
COMMENT ON COLUMN oversight.dimension_rating.dimension_code IS 'Dimension of the scheme in force that month.';
COMMENT ON COLUMN oversight.dimension_rating.score IS 'Score 0–100.';
COMMENT ON COLUMN oversight.dimension_rating.rated_at IS 'When rated.';
COMMENT ON COLUMN oversight.dimension_rating.rated_by IS 'session_user who rated.';
COMMENT ON COLUMN oversight.dimension_rating.note IS 'Basis of the rating.';

CREATE FUNCTION oversight.scheme_in_force(p_scope text, p_month date) RETURNS bigint
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT s.scheme_id FROM oversight.assessment_scheme s WHERE s.scope = p_scope AND s.valid_from <= p_month ORDER BY s.valid_from DESC LIMIT 1
$$;
COMMENT ON FUNCTION oversight.scheme_in_force(text, date) IS 'The scheme version of a scope in force in a month.';

CREATE FUNCTION oversight.rate_dimension(p_scope text, p_subject_code text, p_month date, p_dimension_code text, p_score numeric, p_note text)
  RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NOT (pg_catalog.pg_has_role(session_user, 'oversight_inspector', 'MEMBER') OR pg_catalog.pg_has_role(session_user, 'oversight_admin', 'MEMBER')) THEN
    RAISE EXCEPTION '考核评分由纪检监察或管理人员录入 / ratings are recorded by the discipline office or administrators' USING ERRCODE = '42501';
  END IF;
  IF NOT EXISTS (SELECT FROM oversight.assessment_dimension d
                  WHERE d.scheme_id = oversight.scheme_in_force(p_scope, pg_catalog.date_trunc('month', p_month)::date) AND d.dimension_code = p_dimension_code) THEN
    RAISE EXCEPTION '维度 "%" 不在 % 当月适用的考核方案中 / dimension "%" is not in the % scheme in force that month', p_dimension_code, p_scope,
      p_dimension_code, p_scope USING ERRCODE = '22023';
  END IF;
  INSERT INTO oversight.dimension_rating (scope, subject_code, month, dimension_code, score, rated_at, rated_by, note)
  VALUES (p_scope, p_subject_code, pg_catalog.date_trunc('month', p_month)::date, p_dimension_code, p_score, oversight.now(), session_user, p_note)
  ON CONFLICT (scope, subject_code, month, dimension_code)
  DO UPDATE SET score = EXCLUDED.score, rated_at = EXCLUDED.rated_at, rated_by = EXCLUDED.rated_by, note = EXCLUDED.note;
END $$;
COMMENT ON FUNCTION oversight.rate_dimension(text, text, date, text, numeric, text) IS 'Rates one dimension of a unit or official for a month (0–100, with its basis); a new rating replaces the old one (the audit trail keeps it).';

CREATE FUNCTION oversight.assessment_months() RETURNS SETOF date
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT g::date FROM pg_catalog.generate_series(
           pg_catalog.date_trunc('month', COALESCE(pg_catalog.to_date(NULLIF(oversight.setting_value('assessment.first_month'), ''), 'YYYY-MM-DD'),
                    LEAST((SELECT min(m.event_date) FROM oversight.matter m), (SELECT min(c.issued_on) FROM oversight.card c),
                          (SELECT min(s.decided_on) FROM oversight.case_sanction s)),
                    oversight.today())::timestamp),
           pg_catalog.date_trunc('month', oversight.today()::timestamp), interval '1 month') g
$$;
COMMENT ON FUNCTION oversight.assessment_months() IS 'Months scored: from assessment.first_month (else the first month with a matter, card or sanction) to the current month.';

CREATE VIEW oversight.assessment_scheme_period WITH (security_invoker = true) AS
  SELECT s.scheme_id, s.scope, s.valid_from, pg_catalog.lead(s.valid_from) OVER (PARTITION BY s.scope ORDER BY s.valid_from) AS valid_until,
         s.warning_run, s.warning_run_deduction, s.bonus_early, s.bonus_cap, s.coefficient, s.base_score
    FROM oversight.assessment_scheme s;
COMMENT ON VIEW oversight.assessment_scheme_period IS 'Each scheme version with the months it is in force: from valid_from until the next version''s (valid_until, NULL: still in force).';
COMMENT ON COLUMN oversight.assessment_scheme_period.scheme_id IS 'Scheme version.';
COMMENT ON COLUMN oversight.assessment_scheme_period.scope IS 'unit or person.';
COMMENT ON COLUMN oversight.assessment_scheme_period.valid_from IS 'First month in force.';
COMMENT ON COLUMN oversight.assessment_scheme_period.valid_until IS 'First month of the next version (NULL: none).';
COMMENT ON COLUMN oversight.assessment_scheme_period.warning_run IS 'Warnings that make a run.';
COMMENT ON COLUMN oversight.assessment_scheme_period.warning_run_deduction IS 'Points per run.';
COMMENT ON COLUMN oversight.assessment_scheme_period.bonus_early IS 'Points per obligation met early.';
COMMENT ON COLUMN oversight.assessment_scheme_period.bonus_cap IS 'Largest monthly bonus.';
COMMENT ON COLUMN oversight.assessment_scheme_period.coefficient IS 'Coefficient.';
COMMENT ON COLUMN oversight.assessment_scheme_period.base_score IS 'Full marks.';

CREATE VIEW oversight.score_event WITH (security_invoker = true) AS
  WITH warnings AS (
    SELECT v.scope, v.subject_code, pg_catalog.date_trunc('month', s.due_on)::date AS month, s.due_on, s.subject_kind, s.subject_id, s.step_no,
           pg_catalog.row_number() OVER (PARTITION BY v.scope, v.subject_code, pg_catalog.date_trunc('month', s.due_on)
                                         ORDER BY s.due_on, s.taken_at, s.subject_kind, s.subject_id, s.step_no) AS nth
      FROM oversight.escalation_step s
     CROSS JOIN LATERAL (VALUES ('unit', s.unit_code), ('person', s.person_code)) AS v(scope, subject_code)
     WHERE s.step = 'warning' AND v.subject_code IS NOT NULL)
  SELECT v.scope, v.subject_code, pg_catalog.date_trunc('month', c.issued_on)::date AS month, c.issued_on AS event_date,
         c.card_kind || '_card' AS source_kind, -c.deduction AS points, c.card_id, NULL::bigint AS case_id, NULL::bigint AS obligation_id,
         c.subject_kind AS step_subject_kind, c.subject_id AS step_subject_id, c.step_no,
         pg_catalog.format('%s牌 %s：%s', CASE c.card_kind WHEN 'red' THEN '红' ELSE '黄' END, c.card_id, c.reason_zh) AS detail_zh,
         pg_catalog.format('%s card %s: %s', c.card_kind, c.card_id, c.reason_en) AS detail_en
    FROM oversight.card c
   CROSS JOIN LATERAL (VALUES ('unit', c.unit_code), ('person', c.person_code)) AS v(scope, subject_code)
   WHERE v.subject_code IS NOT NULL AND c.deduction > 0
  UNION ALL
  SELECT w.scope, w.subject_code, w.month, w.due_on, 'warning_run', -sc.warning_run_deduction, NULL, NULL, NULL, w.subject_kind, w.subject_id, w.step_no,
         pg_catalog.format('本月第%s次预警（每%s次扣%s分）', w.nth, sc.warning_run, sc.warning_run_deduction),
         pg_catalog.format('warning no. %s this month (every %s cost %s points)', w.nth, sc.warning_run, sc.warning_run_deduction)
    FROM warnings w
    JOIN oversight.assessment_scheme_period sc ON sc.scope = w.scope AND w.month >= sc.valid_from AND (sc.valid_until IS NULL OR w.month < sc.valid_until)
   WHERE w.nth % sc.warning_run = 0 AND sc.warning_run_deduction > 0
  UNION ALL
  SELECT v.scope, v.subject_code, pg_catalog.date_trunc('month', s.decided_on)::date, s.decided_on, 'sanction', -s.deduction, NULL, s.case_id, NULL,
         NULL, NULL, NULL,
         pg_catalog.format('案件 %s：%s（%s）%s', s.case_id, k.name_zh, s.person_code, CASE WHEN s.aggravated THEN '，从重' ELSE '' END),
         pg_catalog.format('case %s: %s (%s)%s', s.case_id, k.name_en, s.person_code, CASE WHEN s.aggravated THEN ', aggravated' ELSE '' END)
    FROM oversight.case_sanction s
    JOIN oversight.accountability_case c ON c.case_id = s.case_id
    JOIN oversight.sanction_kind k ON k.sanction_code = s.sanction_code
   CROSS JOIN LATERAL (VALUES ('unit', c.unit_code), ('person', s.person_code)) AS v(scope, subject_code)
   WHERE s.deduction > 0
  UNION ALL
  SELECT v.scope, v.subject_code, pg_catalog.date_trunc('month', f.done_on)::date, f.done_on, 'early_completion', sc.bonus_early, NULL, NULL, f.obligation_id,
         NULL, NULL, NULL,
         pg_catalog.format('提前完成：%s（%s，期限 %s）', f.title, oversight.obligation_label(f.kind, 'zh'), f.due_on),
         pg_catalog.format('done early: %s (%s, due %s)', f.title, oversight.obligation_label(f.kind, 'en'), f.due_on)
    FROM (SELECT d.* FROM (
            SELECT o.obligation_id, o.kind, o.due_on, o.person_code, m.unit_code, m.title,
                   (o.fulfilled_at AT TIME ZONE (SELECT oversight.setting_value('timezone')))::date AS done_on
              FROM oversight.obligation o JOIN oversight.matter m ON m.matter_id = o.matter_id
             WHERE o.status = 'fulfilled') d
           -- at least one working day early: a working day after the day it was done, up to the deadline
           -- (the rule of oversight.working_days_between, inlined: this runs for every obligation met)
           WHERE d.done_on < d.due_on
             AND EXISTS (SELECT FROM pg_catalog.generate_series(d.done_on + 1, d.due_on, interval '1 day') g
                           LEFT JOIN oversight.calendar_day c ON c.calendar_date = g::date
                          WHERE COALESCE(c.day_kind = 'adjusted_workday', EXTRACT(isodow FROM g) < 6))) f
   CROSS JOIN LATERAL (VALUES ('unit', f.unit_code), ('person', f.person_code)) AS v(scope, subject_code)
    JOIN oversight.assessment_scheme_period sc ON sc.scope = v.scope AND f.done_on >= sc.valid_from
                                               AND (sc.valid_until IS NULL OR f.done_on < sc.valid_until)
   WHERE v.subject_code IS NOT NULL AND sc.bonus_early > 0;
COMMENT ON VIEW oversight.score_event IS
  'Every deduction and bonus of the assessment, for units and for officials, traced to its record: a yellow or red card (the deduction it was issued with), each completed run of warnings in a month (the step that completed it), a sanction of a case (the deduction decided), an obligation met at least one working day early. Row-level security of the underlying tables applies.';
COMMENT ON COLUMN oversight.score_event.scope IS 'unit or person.';
COMMENT ON COLUMN oversight.score_event.subject_code IS 'unit_code or person_code.';
COMMENT ON COLUMN oversight.score_event.month IS 'Month it counts in.';
COMMENT ON COLUMN oversight.score_event.event_date IS 'Day of the card, warning, decision or completion.';
COMMENT ON COLUMN oversight.score_event.source_kind IS 'yellow_card, red_card, warning_run, sanction or early_completion.';
COMMENT ON COLUMN oversight.score_event.points IS 'Points: negative for a deduction, positive for a bonus (before the monthly cap).';
COMMENT ON COLUMN oversight.score_event.card_id IS 'Card.';
COMMENT ON COLUMN oversight.score_event.case_id IS 'Case of the sanction.';
COMMENT ON COLUMN oversight.score_event.obligation_id IS 'Obligation met early.';
COMMENT ON COLUMN oversight.score_event.step_subject_kind IS 'Ladder item of the card or warning (obligation, alert, …).';
COMMENT ON COLUMN oversight.score_event.step_subject_id IS 'Its number.';
COMMENT ON COLUMN oversight.score_event.step_no IS 'Ladder step.';
COMMENT ON COLUMN oversight.score_event.detail_zh IS 'What it is, in Chinese.';
COMMENT ON COLUMN oversight.score_event.detail_en IS 'What it is, in English.';

CREATE VIEW oversight.monthly_score_live WITH (security_invoker = true) AS
  WITH months AS (SELECT m AS month FROM oversight.assessment_months() m),
  subjects AS (
    SELECT 'unit'::text AS scope, u.unit_code AS subject_code, m.month
      FROM oversight.org_unit u JOIN months m ON u.valid_from < (m.month + interval '1 month')::date AND (u.valid_to IS NULL OR u.valid_to > m.month)
     WHERE u.unit_kind NOT IN ('external', 'discipline_office')
    UNION
    SELECT 'person', a.person_code, m.month
      FROM oversight.assignment a LEFT JOIN oversight.post p ON p.post_code = a.post_code
      JOIN months m ON a.valid_from < (m.month + interval '1 month')::date AND (a.valid_to IS NULL OR a.valid_to > m.month)
     WHERE a.assignment_role <> 'inspector' OR p.power_kinds <> '{}'
    UNION -- and whoever a card, a warning run, a sanction or a bonus names that month (a chief since reassigned)
    SELECT e.scope, e.subject_code, e.month FROM oversight.score_event e JOIN months m ON m.month = e.month),
  events AS (
    SELECT e.scope, e.subject_code, e.month, -COALESCE(pg_catalog.sum(e.points) FILTER (WHERE e.points < 0), 0) AS deductions,
           COALESCE(pg_catalog.sum(e.points) FILTER (WHERE e.points > 0), 0) AS bonus, pg_catalog.count(*) FILTER (WHERE e.points < 0) AS deduction_items
      FROM oversight.score_event e GROUP BY 1, 2, 3)
  SELECT s.scope, s.subject_code, s.month, sc.scheme_id, d.weighted, pg_catalog.round(COALESCE(e.deductions, 0), 2) AS deductions,
         pg_catalog.round(LEAST(COALESCE(e.bonus, 0), sc.bonus_cap), 2) AS bonus, sc.coefficient,
         GREATEST(0, pg_catalog.round((d.weighted - COALESCE(e.deductions, 0) + LEAST(COALESCE(e.bonus, 0), sc.bonus_cap)) * sc.coefficient, 2)) AS score,
         COALESCE(e.deduction_items, 0)::integer AS deduction_items
    FROM subjects s
    JOIN oversight.assessment_scheme_period sc ON sc.scope = s.scope AND s.month >= sc.valid_from AND (sc.valid_until IS NULL OR s.month < sc.valid_until)
   CROSS JOIN LATERAL (SELECT pg_catalog.round(sc.base_score * pg_catalog.sum(x.weight * COALESCE(r.score, 100)) / 100, 2) AS weighted
                         FROM oversight.assessment_dimension x
                         LEFT JOIN oversight.dimension_rating r ON r.scope = s.scope AND r.subject_code = s.subject_code AND r.month = s.month
                                                                AND r.dimension_code = x.dimension_code
                        WHERE x.scheme_id = sc.scheme_id) d
    LEFT JOIN events e ON e.scope = s.scope AND e.subject_code = s.subject_code AND e.month = s.month;
COMMENT ON VIEW oversight.monthly_score_live IS
  'Monthly scores computed now, for every unit (not external, not the discipline office) and every official (anyone assigned, except inspectors without a post of power, and anyone a deduction or bonus names that month) in the months scored: weighted dimensions − deductions + bonus (capped), times the coefficient, never below 0. The materialized views oversight.unit_monthly_score and person_monthly_score hold it for reporting.';
COMMENT ON COLUMN oversight.monthly_score_live.scope IS 'unit or person.';
COMMENT ON COLUMN oversight.monthly_score_live.subject_code IS 'unit_code or person_code.';
COMMENT ON COLUMN oversight.monthly_score_live.month IS 'Month (its first day).';
COMMENT ON COLUMN oversight.monthly_score_live.scheme_id IS 'Scheme version in force.';
COMMENT ON COLUMN oversight.monthly_score_live.weighted IS 'Σ weight × dimension score, on the base (100 when nothing is rated down).';
COMMENT ON COLUMN oversight.monthly_score_live.deductions IS 'Points deducted (oversight.score_event).';
COMMENT ON COLUMN oversight.monthly_score_live.bonus IS 'Bonus points, after the monthly cap.';
COMMENT ON COLUMN oversight.monthly_score_live.coefficient IS 'Coefficient applied.';
COMMENT ON COLUMN oversight.monthly_score_live.score IS 'The month''s score.';
COMMENT ON COLUMN oversight.monthly_score_live.deduction_items IS 'How many deductions.';

-- The reporting layer: materialized, each with a unique index so it refreshes CONCURRENTLY. The unit and
-- the person scores are the same view of monthly_score_live, one scope each.
DO $scores$
DECLARE v record; c record;
BEGIN
  FOR v IN SELECT * FROM (VALUES
      ('unit_monthly_score', 'unit', 'unit_code', 'Unit.', 'unit', 'Monthly score of every unit, as of the last oversight.refresh_scores() (see oversight.score_refresh). Read it through oversight.unit_scores.'),
      ('person_monthly_score', 'person', 'person_code', 'Official.', 'official',
       'Monthly score of every official, as of the last oversight.refresh_scores() (see oversight.score_refresh). Read it through oversight.person_scores.'))
      AS x(view_name, scope, key_column, key_comment, noun, view_comment) LOOP
    EXECUTE pg_catalog.format('CREATE MATERIALIZED VIEW oversight.%I AS SELECT subject_code AS %I, month, scheme_id, weighted, deductions, bonus, '
                              'coefficient, score, deduction_items FROM oversight.monthly_score_live WHERE scope = %L', v.view_name, v.key_column, v.scope);
    EXECUTE pg_catalog.format('CREATE UNIQUE INDEX %I ON oversight.%I (%I, month)', v.view_name || '_key', v.view_name, v.key_column);
    EXECUTE pg_catalog.format('COMMENT ON MATERIALIZED VIEW oversight.%I IS %L', v.view_name, v.view_comment);
    EXECUTE pg_catalog.format('COMMENT ON INDEX oversight.%I IS %L', v.view_name || '_key',
                              'One row per ' || v.noun || ' and month (needed to refresh concurrently).');
    EXECUTE pg_catalog.format('COMMENT ON COLUMN oversight.%I.%I IS %L', v.view_name, v.key_column, v.key_comment);
    -- The other columns mean what they mean in monthly_score_live.
    FOR c IN SELECT a.attname, d.description FROM pg_catalog.pg_attribute a
               JOIN pg_catalog.pg_description d ON d.objoid = a.attrelid AND d.objsubid = a.attnum
              WHERE a.attrelid = 'oversight.monthly_score_live'::regclass AND a.attname NOT IN ('scope', 'subject_code') LOOP
      EXECUTE pg_catalog.format('COMMENT ON COLUMN oversight.%I.%I IS %L', v.view_name, c.attname, c.description);
    END LOOP;
  END LOOP;
END
$scores$;

CREATE FUNCTION oversight.grade_of(p_scheme_id bigint, p_score numeric)
  RETURNS TABLE (grade_code text, name_zh text, name_en text, failing boolean)
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT g.grade_code, g.name_zh, g.name_en, g.failing FROM oversight.assessment_grade g
   WHERE g.scheme_id = p_scheme_id AND g.min_score <= p_score ORDER BY g.min_score DESC LIMIT 1
$$;
COMMENT ON FUNCTION oversight.grade_of(bigint, numeric) IS 'The grade band a score reaches in a scheme version.';

CREATE TABLE oversight.score_refresh (
  view_name     text PRIMARY KEY,
  refreshed_at  timestamptz NOT NULL,
  refreshed_by  text NOT NULL,
  concurrent_refresh boolean NOT NULL,
  duration_ms   numeric(12,3) NOT NULL,
  row_count     bigint NOT NULL
);
COMMENT ON TABLE oversight.score_refresh IS 'Freshness of the materialized views of the assessment: when each was last refreshed (oversight.now()), by whom, how, how long it took and how many rows it holds.';
COMMENT ON COLUMN oversight.score_refresh.view_name IS 'Materialized view (unit_monthly_score, person_monthly_score, personal_file_summary).';
COMMENT ON COLUMN oversight.score_refresh.refreshed_at IS 'oversight.now() of the refresh: the figures are as of then.';
COMMENT ON COLUMN oversight.score_refresh.refreshed_by IS 'session_user who refreshed (the pg_cron job''s role when scheduled).';
COMMENT ON COLUMN oversight.score_refresh.concurrent_refresh IS 'True when refreshed CONCURRENTLY (readers were not blocked).';
COMMENT ON COLUMN oversight.score_refresh.duration_ms IS 'How long the refresh took (wall clock).';
COMMENT ON COLUMN oversight.score_refresh.row_count IS 'Rows after the refresh.';

CREATE FUNCTION oversight.may_see(p_scope text, p_subject_code text) RETURNS boolean
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT (SELECT oversight.sees_all_units())
      OR p_scope = 'unit' AND p_subject_code = ANY ((SELECT oversight.visible_units())::text[])
      OR p_scope = 'person' AND (p_subject_code = (SELECT oversight.acting_person())
                                 OR EXISTS (SELECT FROM oversight.assignment a
                                             WHERE a.person_code = p_subject_code AND a.unit_code = ANY ((SELECT oversight.visible_units())::text[])))
$$;
COMMENT ON FUNCTION oversight.may_see(text, text) IS
  'Whether the current role may see the assessment of a unit (one granted to it, or below) or an official (one assigned to such a unit, or the person logged in); bureau-wide roles see all.';

CREATE VIEW oversight.unit_scores WITH (security_barrier = true) AS
  SELECT s.unit_code, u.name_zh AS unit_name_zh, u.name_en AS unit_name_en, s.month, s.scheme_id, s.weighted, s.deductions, s.bonus, s.coefficient,
         s.score, s.deduction_items, r.refreshed_at AS as_of
    FROM oversight.unit_monthly_score s
    JOIN oversight.org_unit u ON u.unit_code = s.unit_code
    LEFT JOIN oversight.score_refresh r ON r.view_name = 'unit_monthly_score'
   WHERE oversight.may_see('unit', s.unit_code);
COMMENT ON VIEW oversight.unit_scores IS 'Monthly unit scores (oversight.unit_monthly_score) the role may see, with the time of the refresh they come from (as_of). Each deduction is in oversight.score_event.';
COMMENT ON COLUMN oversight.unit_scores.unit_code IS 'Unit.';
COMMENT ON COLUMN oversight.unit_scores.unit_name_zh IS 'Unit, in Chinese.';
COMMENT ON COLUMN oversight.unit_scores.unit_name_en IS 'Unit, in English.';
COMMENT ON COLUMN oversight.unit_scores.month IS 'Month.';
COMMENT ON COLUMN oversight.unit_scores.scheme_id IS 'Scheme version.';
COMMENT ON COLUMN oversight.unit_scores.weighted IS 'Weighted dimensions.';
COMMENT ON COLUMN oversight.unit_scores.deductions IS 'Points deducted.';
COMMENT ON COLUMN oversight.unit_scores.bonus IS 'Bonus.';
COMMENT ON COLUMN oversight.unit_scores.coefficient IS 'Coefficient.';
COMMENT ON COLUMN oversight.unit_scores.score IS 'Score.';
COMMENT ON COLUMN oversight.unit_scores.deduction_items IS 'How many deductions.';
COMMENT ON COLUMN oversight.unit_scores.as_of IS 'When the scores were last refreshed (oversight.now() of the refresh).';

CREATE VIEW oversight.person_scores WITH (security_barrier = true) AS
  SELECT s.person_code, p.full_name, s.month, s.scheme_id, s.weighted, s.deductions, s.bonus, s.coefficient, s.score, s.deduction_items,
         r.refreshed_at AS as_of
    FROM oversight.person_monthly_score s
    JOIN oversight.person p ON p.person_code = s.person_code
    LEFT JOIN oversight.score_refresh r ON r.view_name = 'person_monthly_score'
   WHERE oversight.may_see('person', s.person_code);
COMMENT ON VIEW oversight.person_scores IS 'Monthly scores of officials (oversight.person_monthly_score) the role may see — an official sees their own — with the time of the refresh.';
COMMENT ON COLUMN oversight.person_scores.person_code IS 'Official.';
COMMENT ON COLUMN oversight.person_scores.full_name IS 'Name.';
COMMENT ON COLUMN oversight.person_scores.month IS 'Month.';
COMMENT ON COLUMN oversight.person_scores.scheme_id IS 'Scheme version.';
COMMENT ON COLUMN oversight.person_scores.weighted IS 'Weighted dimensions.';
COMMENT ON COLUMN oversight.person_scores.deductions IS 'Points deducted.';
COMMENT ON COLUMN oversight.person_scores.bonus IS 'Bonus.';
COMMENT ON COLUMN oversight.person_scores.coefficient IS 'Coefficient.';
COMMENT ON COLUMN oversight.person_scores.score IS 'Score.';
COMMENT ON COLUMN oversight.person_scores.deduction_items IS 'How many deductions.';
COMMENT ON COLUMN oversight.person_scores.as_of IS 'When the scores were last refreshed.';

CREATE VIEW oversight.period_scores WITH (security_barrier = true) AS
  WITH monthly AS (
    SELECT 'unit'::text AS scope, unit_code AS subject_code, month, score FROM oversight.unit_monthly_score
    UNION ALL SELECT 'person', person_code, month, score FROM oversight.person_monthly_score),
  periods AS (
    SELECT scope, subject_code, 'quarter'::text AS period_kind, pg_catalog.to_char(month, 'YYYY-"Q"Q') AS period,
           pg_catalog.date_trunc('quarter', month)::date AS first_month, month, score FROM monthly
    UNION ALL
    SELECT scope, subject_code, 'half_year', pg_catalog.to_char(month, 'YYYY') || CASE WHEN pg_catalog.date_part('month', month) <= 6 THEN '-H1' ELSE '-H2' END,
           pg_catalog.make_date(pg_catalog.date_part('year', month)::integer, CASE WHEN pg_catalog.date_part('month', month) <= 6 THEN 1 ELSE 7 END, 1), month, score
      FROM monthly
    UNION ALL
    SELECT scope, subject_code, 'year', pg_catalog.to_char(month, 'YYYY'), pg_catalog.date_trunc('year', month)::date, month, score FROM monthly)
  SELECT a.scope, a.subject_code, a.period_kind, a.period, a.first_month, a.months, a.score,
         g.grade_code, g.name_zh AS grade_zh, g.name_en AS grade_en, g.failing
    FROM (SELECT p.scope, p.subject_code, p.period_kind, p.period, p.first_month, pg_catalog.count(*)::integer AS months,
                 pg_catalog.round(pg_catalog.avg(p.score), 2) AS score
            FROM periods p GROUP BY p.scope, p.subject_code, p.period_kind, p.period, p.first_month) a
    LEFT JOIN LATERAL oversight.grade_of(oversight.scheme_in_force(a.scope, a.first_month), a.score) g ON true
   WHERE oversight.may_see(a.scope, a.subject_code);
COMMENT ON VIEW oversight.period_scores IS 'Quarterly, half-year and annual scores of units and officials the role may see: the mean of the monthly scores so far, with the grade band (优秀/良好/合格/不合格) of the scheme in force at the start of the period. Quarters the sweeper has closed are frozen in oversight.assessment_result.';
COMMENT ON COLUMN oversight.period_scores.scope IS 'unit or person.';
COMMENT ON COLUMN oversight.period_scores.subject_code IS 'unit_code or person_code.';
COMMENT ON COLUMN oversight.period_scores.period_kind IS 'quarter, half_year or year.';
COMMENT ON COLUMN oversight.period_scores.period IS 'e.g. 2024-Q3, 2024-H2, 2024.';
COMMENT ON COLUMN oversight.period_scores.first_month IS 'First month of the period.';
COMMENT ON COLUMN oversight.period_scores.months IS 'Months scored so far.';
COMMENT ON COLUMN oversight.period_scores.score IS 'Mean of the monthly scores.';
COMMENT ON COLUMN oversight.period_scores.grade_code IS 'Grade band.';
COMMENT ON COLUMN oversight.period_scores.grade_zh IS 'Grade, in Chinese.';
COMMENT ON COLUMN oversight.period_scores.grade_en IS 'Grade, in English.';
COMMENT ON COLUMN oversight.period_scores.failing IS 'True for a failing grade.';

-------------------------------------------------------------------------------------------------------
-- Democratic evaluation (民主测评): ballots counted per option; the lowest option weighs 0.
-------------------------------------------------------------------------------------------------------
CREATE FUNCTION oversight.evaluation_weights_valid(p_weights numeric[]) RETURNS boolean
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  -- Options run from the best to the worst: weights between 0 and 1, never rising, the worst exactly 0.
  SELECT pg_catalog.cardinality(p_weights) >= 2
     AND p_weights[pg_catalog.cardinality(p_weights)] = 0
     AND NOT EXISTS (SELECT FROM pg_catalog.generate_subscripts(p_weights, 1) i
                      WHERE p_weights[i] IS NULL OR p_weights[i] < 0 OR p_weights[i] > 1 OR i > 1 AND p_weights[i] > p_weights[i - 1])
$$;
COMMENT ON FUNCTION oversight.evaluation_weights_valid(numeric[]) IS 'True when option weights run from best to worst within 0–1, never rising, and the lowest option weighs exactly 0 (DOMAIN.md §5).';

CREATE TABLE oversight.evaluation_scheme (
  scheme_code   text PRIMARY KEY CONSTRAINT evaluation_scheme_code_format CHECK (scheme_code ~ '^[a-z][a-z0-9_]{1,63}$'),
  name_zh       text NOT NULL,
  name_en       text NOT NULL,
  option_zh     text[] NOT NULL,
  option_en     text[] NOT NULL,
  option_weight numeric(4,3)[] NOT NULL,
  CONSTRAINT evaluation_scheme_options_aligned
    CHECK (pg_catalog.cardinality(option_zh) = pg_catalog.cardinality(option_weight) AND pg_catalog.cardinality(option_en) = pg_catalog.cardinality(option_weight)),
  CONSTRAINT evaluation_scheme_lowest_weighs_zero CHECK (oversight.evaluation_weights_valid(option_weight))
);
COMMENT ON TABLE oversight.evaluation_scheme IS
  'Ballot forms of democratic evaluation: options from the best to the worst with their weights; the lowest option must weigh 0 (a form weighting "dissatisfied" 0.5 gave 50 points to a unanimous "dissatisfied").';
COMMENT ON COLUMN oversight.evaluation_scheme.scheme_code IS 'Code.';
COMMENT ON COLUMN oversight.evaluation_scheme.name_zh IS 'Name in Chinese.';
COMMENT ON COLUMN oversight.evaluation_scheme.name_en IS 'Name in English.';
COMMENT ON COLUMN oversight.evaluation_scheme.option_zh IS 'Options in Chinese, best first.';
COMMENT ON COLUMN oversight.evaluation_scheme.option_en IS 'Options in English, best first.';
COMMENT ON COLUMN oversight.evaluation_scheme.option_weight IS 'Weight of each option (1 … 0; the last is 0).';
INSERT INTO oversight.evaluation_scheme VALUES
  ('satisfaction', '满意度测评', 'Satisfaction', ARRAY['满意', '基本满意', '不满意'], ARRAY['satisfied', 'fairly satisfied', 'dissatisfied'], ARRAY[1, 0.6, 0]),
  ('performance', '述职述廉测评', 'Annual performance and integrity review', ARRAY['好', '较好', '一般', '差'], ARRAY['good', 'fairly good', 'average', 'poor'],
   ARRAY[1, 0.8, 0.6, 0]);

CREATE FUNCTION oversight.define_evaluation_scheme(p_scheme_code text, p_name_zh text, p_name_en text, p_options jsonb) RETURNS text
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE weights numeric[] := ARRAY(SELECT (o ->> 'weight')::numeric FROM pg_catalog.jsonb_array_elements(p_options) WITH ORDINALITY AS x(o, n) ORDER BY n);
BEGIN
  IF weights[pg_catalog.cardinality(weights)] IS DISTINCT FROM 0 THEN
    RAISE EXCEPTION '最低选项的权重须为0（现为 %），否则全票最低也会得分 / the lowest option must weigh 0 (it weighs %): otherwise a unanimous lowest vote still scores points',
      weights[pg_catalog.cardinality(weights)], weights[pg_catalog.cardinality(weights)]
      USING ERRCODE = '22023', HINT = 'DOMAIN.md §5: score = Σ wᵢ·nᵢ / N × 100 with the lowest option weighted 0.';
  END IF;
  IF NOT oversight.evaluation_weights_valid(weights) THEN
    RAISE EXCEPTION '选项须从好到差排列，权重在0到1之间且不递增 / options run from best to worst, weights within 0–1 and never rising: %', weights
      USING ERRCODE = '22023';
  END IF;
  INSERT INTO oversight.evaluation_scheme (scheme_code, name_zh, name_en, option_zh, option_en, option_weight)
  VALUES (p_scheme_code, p_name_zh, p_name_en,
          ARRAY(SELECT o ->> 'zh' FROM pg_catalog.jsonb_array_elements(p_options) WITH ORDINALITY AS x(o, n) ORDER BY n),
          ARRAY(SELECT o ->> 'en' FROM pg_catalog.jsonb_array_elements(p_options) WITH ORDINALITY AS x(o, n) ORDER BY n), weights);
  RETURN p_scheme_code;
END $$;
COMMENT ON FUNCTION oversight.define_evaluation_scheme(text, text, text, jsonb) IS
  'Defines a ballot form: options [{"zh", "en", "weight"}] from the best to the worst; refused unless the lowest weighs 0 and the weights never rise.';

CREATE TABLE oversight.evaluation (
  evaluation_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scheme_code     text NOT NULL REFERENCES oversight.evaluation_scheme ON UPDATE CASCADE,
  scope           text NOT NULL CONSTRAINT evaluation_scope_known CHECK (scope IN ('unit', 'person')),
  subject_code    text NOT NULL,
  period          text NOT NULL,
  held_on         date NOT NULL,
  ballots         integer[] NOT NULL,
  invalid_ballots integer NOT NULL DEFAULT 0 CONSTRAINT evaluation_invalid_non_negative CHECK (invalid_ballots >= 0),
  recorded_at     timestamptz NOT NULL,
  recorded_by     text NOT NULL,
  CONSTRAINT evaluation_counts_non_negative CHECK (0 <= ALL (ballots)),
  CONSTRAINT evaluation_one_per_period UNIQUE (scheme_code, scope, subject_code, period)
);
COMMENT ON TABLE oversight.evaluation IS 'Results of a democratic evaluation of a unit or an official for a period: valid ballots per option (in the order of the form), and the invalid ones.';
COMMENT ON COLUMN oversight.evaluation.evaluation_id IS 'Evaluation number.';
COMMENT ON COLUMN oversight.evaluation.scheme_code IS 'Ballot form.';
COMMENT ON COLUMN oversight.evaluation.scope IS 'unit or person.';
COMMENT ON COLUMN oversight.evaluation.subject_code IS 'unit_code or person_code.';
COMMENT ON COLUMN oversight.evaluation.period IS 'Period evaluated (e.g. 2024).';
COMMENT ON COLUMN oversight.evaluation.held_on IS 'Day of the vote.';
COMMENT ON COLUMN oversight.evaluation.ballots IS 'Valid ballots for each option, best first.';
COMMENT ON COLUMN oversight.evaluation.invalid_ballots IS 'Ballots not counted.';
COMMENT ON COLUMN oversight.evaluation.recorded_at IS 'When recorded.';
COMMENT ON COLUMN oversight.evaluation.recorded_by IS 'session_user who recorded it.';

CREATE FUNCTION oversight.evaluation_ballots_match() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE n integer;
BEGIN
  SELECT pg_catalog.cardinality(s.option_weight) INTO n FROM oversight.evaluation_scheme s WHERE s.scheme_code = NEW.scheme_code;
  IF pg_catalog.cardinality(NEW.ballots) IS DISTINCT FROM n THEN
    RAISE EXCEPTION '测评表 % 有 % 个选项，但记录了 % 个计数 / form % has % options, but % counts were given', NEW.scheme_code, n,
      pg_catalog.cardinality(NEW.ballots), NEW.scheme_code, n, pg_catalog.cardinality(NEW.ballots) USING ERRCODE = '22023';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION oversight.evaluation_ballots_match() IS 'BEFORE trigger function of oversight.evaluation: one count per option of the form.';
CREATE TRIGGER evaluation_ballots_match BEFORE INSERT OR UPDATE ON oversight.evaluation
  FOR EACH ROW EXECUTE FUNCTION oversight.evaluation_ballots_match();
COMMENT ON TRIGGER evaluation_ballots_match ON oversight.evaluation IS 'One count per option.';

CREATE FUNCTION oversight.record_evaluation(p_scheme_code text, p_scope text, p_subject_code text, p_period text, p_held_on date,
                                            p_ballots integer[], p_invalid_ballots integer DEFAULT 0)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE id bigint;
BEGIN
  IF NOT (pg_catalog.pg_has_role(session_user, 'oversight_inspector', 'MEMBER') OR pg_catalog.pg_has_role(session_user, 'oversight_admin', 'MEMBER')) THEN
    RAISE EXCEPTION '测评结果由纪检监察或管理人员录入 / evaluation results are recorded by the discipline office or administrators' USING ERRCODE = '42501';
  END IF;
  INSERT INTO oversight.evaluation (scheme_code, scope, subject_code, period, held_on, ballots, invalid_ballots, recorded_at, recorded_by)
  VALUES (p_scheme_code, p_scope, p_subject_code, p_period, p_held_on, p_ballots, p_invalid_ballots, oversight.now(), session_user)
  RETURNING evaluation_id INTO id;
  RETURN id;
END $$;
COMMENT ON FUNCTION oversight.record_evaluation(text, text, text, text, date, integer[], integer) IS 'Records the count of a democratic evaluation (valid ballots per option, best first; invalid ballots); returns its number.';

CREATE VIEW oversight.evaluation_result WITH (security_invoker = true) AS
  SELECT e.evaluation_id, e.scheme_code, e.scope, e.subject_code, e.period, e.held_on,
         (SELECT pg_catalog.sum(n) FROM pg_catalog.unnest(e.ballots) n)::integer AS valid_ballots, e.invalid_ballots,
         CASE WHEN (SELECT pg_catalog.sum(n) FROM pg_catalog.unnest(e.ballots) n) > 0 THEN
           pg_catalog.round((SELECT pg_catalog.sum(s.option_weight[i] * e.ballots[i]) FROM pg_catalog.generate_subscripts(e.ballots, 1) i)
                            / (SELECT pg_catalog.sum(n) FROM pg_catalog.unnest(e.ballots) n) * 100, 2) END AS score,
         (SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('option_zh', s.option_zh[i], 'option_en', s.option_en[i], 'weight', s.option_weight[i],
                                                                    'ballots', e.ballots[i]) ORDER BY i)
            FROM pg_catalog.generate_subscripts(e.ballots, 1) i) AS distribution
    FROM oversight.evaluation e JOIN oversight.evaluation_scheme s ON s.scheme_code = e.scheme_code;
COMMENT ON VIEW oversight.evaluation_result IS
  'Democratic evaluation results: score = Σ wᵢ·nᵢ / N × 100 over the N valid ballots, always shown with the distribution of the votes and the number of valid and invalid ballots (NULL score when no ballot is valid).';
COMMENT ON COLUMN oversight.evaluation_result.evaluation_id IS 'Evaluation.';
COMMENT ON COLUMN oversight.evaluation_result.scheme_code IS 'Ballot form.';
COMMENT ON COLUMN oversight.evaluation_result.scope IS 'unit or person.';
COMMENT ON COLUMN oversight.evaluation_result.subject_code IS 'unit_code or person_code.';
COMMENT ON COLUMN oversight.evaluation_result.period IS 'Period.';
COMMENT ON COLUMN oversight.evaluation_result.held_on IS 'Day of the vote.';
COMMENT ON COLUMN oversight.evaluation_result.valid_ballots IS 'N: valid ballots.';
COMMENT ON COLUMN oversight.evaluation_result.invalid_ballots IS 'Ballots not counted.';
COMMENT ON COLUMN oversight.evaluation_result.score IS 'Σ wᵢ·nᵢ / N × 100.';
COMMENT ON COLUMN oversight.evaluation_result.distribution IS 'Each option with its weight and ballots, best first.';

-------------------------------------------------------------------------------------------------------
-- The personal power-use file (个人运权档案).
-------------------------------------------------------------------------------------------------------
CREATE VIEW oversight.personal_file WITH (security_invoker = true) AS
  SELECT m.handler_code AS person_code, m.event_date AS entry_date, 'matter'::text AS entry_kind, m.matter_id AS reference, m.unit_code,
         pg_catalog.format('经办事项 %s：%s', m.matter_id, m.title) AS detail_zh, pg_catalog.format('handled matter %s: %s', m.matter_id, m.title) AS detail_en
    FROM oversight.matter m WHERE m.handler_code IS NOT NULL
  UNION ALL
  SELECT o.person_code, o.due_on,
         CASE WHEN o.status = 'fulfilled' AND (o.fulfilled_at AT TIME ZONE (SELECT oversight.setting_value('timezone')))::date <= o.due_on THEN 'obligation_met'
              WHEN o.status = 'fulfilled' THEN 'obligation_met_late' ELSE 'obligation_missed' END,
         o.obligation_id, m.unit_code,
         pg_catalog.format('%s「%s」（期限 %s）：%s', oversight.obligation_label(o.kind, 'zh'), m.title, o.due_on,
                           CASE WHEN o.status = 'fulfilled' THEN '已于 ' || (o.fulfilled_at AT TIME ZONE (SELECT oversight.setting_value('timezone')))::date || ' 完成' ELSE '未完成' END),
         pg_catalog.format('%s of "%s" (due %s): %s', oversight.obligation_label(o.kind, 'en'), m.title, o.due_on,
                           CASE WHEN o.status = 'fulfilled' THEN 'done on ' || (o.fulfilled_at AT TIME ZONE (SELECT oversight.setting_value('timezone')))::date ELSE 'not done' END)
    FROM oversight.obligation o JOIN oversight.matter m ON m.matter_id = o.matter_id
   WHERE o.person_code IS NOT NULL AND o.status <> 'cancelled' AND (o.status = 'fulfilled' OR o.due_on < oversight.today())
  UNION ALL
  SELECT DISTINCT ON (s.person_code, a.alert_id) s.person_code, (a.first_fired_at AT TIME ZONE (SELECT oversight.setting_value('timezone')))::date, 'alert', a.alert_id,
         a.unit_code, pg_catalog.format('告警 %s（%s）：%s', a.alert_id, a.status, a.message_zh), pg_catalog.format('alert %s (%s): %s', a.alert_id, a.status, a.message)
    FROM oversight.escalation_step s JOIN oversight.alert a ON a.alert_id = s.subject_id
   WHERE s.subject_kind = 'alert' AND s.person_code IS NOT NULL
  UNION ALL
  SELECT c.person_code, c.issued_on, c.card_kind || '_card', c.card_id, c.unit_code, c.reason_zh, c.reason_en
    FROM oversight.card c WHERE c.person_code IS NOT NULL
  UNION ALL
  SELECT x.person_code, (x.received_at AT TIME ZONE (SELECT oversight.setting_value('timezone')))::date, 'complaint', x.complaint_id, x.subject_unit_code,
         pg_catalog.format('投诉 %s：%s（%s）', x.complaint_id, x.summary, COALESCE(x.outcome, CASE WHEN x.accepted IS NOT NULL AND NOT x.accepted THEN '不予受理' ELSE '办理中' END)),
         pg_catalog.format('complaint %s: %s (%s)', x.complaint_id, x.summary, COALESCE(x.outcome, CASE WHEN x.accepted IS NOT NULL AND NOT x.accepted THEN 'not accepted' ELSE 'in progress' END))
    FROM oversight.complaint x WHERE x.person_code IS NOT NULL
  UNION ALL
  SELECT s.person_code, c.act_date, 'case', c.case_id, c.unit_code,
         pg_catalog.format('案件 %s（%s，%s）：%s', c.case_id, s.subject_role, c.status, c.summary), pg_catalog.format('case %s (%s, %s): %s', c.case_id, s.subject_role, c.status, c.summary)
    FROM oversight.case_subject s JOIN oversight.accountability_case c ON c.case_id = s.case_id
  UNION ALL
  SELECT s.person_code, s.decided_on, 'sanction', s.case_id, c.unit_code,
         pg_catalog.format('处理 %s（案件 %s%s）', k.name_zh, s.case_id, CASE WHEN s.aggravated THEN '，从重' ELSE '' END),
         pg_catalog.format('sanction: %s (case %s%s)', k.name_en, s.case_id, CASE WHEN s.aggravated THEN ', aggravated' ELSE '' END)
    FROM oversight.case_sanction s JOIN oversight.accountability_case c ON c.case_id = s.case_id JOIN oversight.sanction_kind k ON k.sanction_code = s.sanction_code
  UNION ALL
  SELECT r.owner_code, (r.opened_at AT TIME ZONE (SELECT oversight.setting_value('timezone')))::date, 'rectification', r.rectification_id, r.unit_code,
         pg_catalog.format('整改 %s（%s，期限 %s）：%s', r.rectification_id, r.status, r.due_on, r.plan),
         pg_catalog.format('rectification %s (%s, due %s): %s', r.rectification_id, r.status, r.due_on, r.plan)
    FROM oversight.rectification r;
COMMENT ON VIEW oversight.personal_file IS
  'Each official''s power-use file (个人运权档案), one entry per event: matters handled, obligations met, met late or missed, alerts escalated to them, cards, complaints naming them, cases and sanctions, rectifications they own. Filter by person_code; row-level security of the underlying tables applies. The yearly summary is oversight.personal_file_summary; the monthly scores oversight.person_scores.';
COMMENT ON COLUMN oversight.personal_file.person_code IS 'Official.';
COMMENT ON COLUMN oversight.personal_file.entry_date IS 'Day of the event (a matter''s event, an obligation''s deadline, a card''s day …).';
COMMENT ON COLUMN oversight.personal_file.entry_kind IS 'matter, obligation_met, obligation_met_late, obligation_missed, alert, yellow_card, red_card, complaint, case, sanction or rectification.';
COMMENT ON COLUMN oversight.personal_file.reference IS 'Number of the matter, obligation, alert, card, complaint, case or rectification.';
COMMENT ON COLUMN oversight.personal_file.unit_code IS 'Unit concerned.';
COMMENT ON COLUMN oversight.personal_file.detail_zh IS 'The entry, in Chinese.';
COMMENT ON COLUMN oversight.personal_file.detail_en IS 'The entry, in English.';

CREATE MATERIALIZED VIEW oversight.personal_file_summary AS
  WITH years AS (SELECT DISTINCT pg_catalog.date_part('year', m)::integer AS year FROM oversight.assessment_months() m),
  officials AS (SELECT DISTINCT s.person_code, pg_catalog.date_part('year', s.month)::integer AS year FROM oversight.person_monthly_score s
                UNION SELECT f.person_code, pg_catalog.date_part('year', f.entry_date)::integer FROM oversight.personal_file f),
  entries AS (SELECT f.person_code, pg_catalog.date_part('year', f.entry_date)::integer AS year, f.entry_kind, pg_catalog.count(*)::integer AS n
                FROM oversight.personal_file f GROUP BY 1, 2, 3)
  SELECT o.person_code, o.year,
         COALESCE(max(e.n) FILTER (WHERE e.entry_kind = 'matter'), 0) AS matters_handled,
         COALESCE(max(e.n) FILTER (WHERE e.entry_kind = 'obligation_met'), 0) AS obligations_met,
         COALESCE(max(e.n) FILTER (WHERE e.entry_kind = 'obligation_met_late'), 0) AS obligations_met_late,
         COALESCE(max(e.n) FILTER (WHERE e.entry_kind = 'obligation_missed'), 0) AS obligations_missed,
         COALESCE(max(e.n) FILTER (WHERE e.entry_kind = 'alert'), 0) AS alerts,
         COALESCE(max(e.n) FILTER (WHERE e.entry_kind = 'yellow_card'), 0) AS yellow_cards,
         COALESCE(max(e.n) FILTER (WHERE e.entry_kind = 'red_card'), 0) AS red_cards,
         COALESCE(max(e.n) FILTER (WHERE e.entry_kind = 'complaint'), 0) AS complaints,
         COALESCE(max(e.n) FILTER (WHERE e.entry_kind = 'case'), 0) AS cases,
         COALESCE(max(e.n) FILTER (WHERE e.entry_kind = 'sanction'), 0) AS sanctions,
         COALESCE(max(e.n) FILTER (WHERE e.entry_kind = 'rectification'), 0) AS rectifications,
         (SELECT pg_catalog.round(pg_catalog.avg(s.score), 2) FROM oversight.person_monthly_score s
           WHERE s.person_code = o.person_code AND pg_catalog.date_part('year', s.month) = o.year) AS annual_score,
         (SELECT r.score FROM oversight.evaluation_result r WHERE r.scope = 'person' AND r.subject_code = o.person_code AND r.period = o.year::text
           ORDER BY r.held_on DESC, r.evaluation_id DESC LIMIT 1) AS evaluation_score,
         NOT EXISTS (SELECT FROM oversight.case_subject s JOIN oversight.accountability_case c ON c.case_id = s.case_id
                      WHERE s.person_code = o.person_code AND c.status <> 'dismissed'
                        AND (pg_catalog.date_part('year', c.act_date) = o.year
                             OR pg_catalog.date_part('year', c.opened_at AT TIME ZONE oversight.setting_value('timezone')) = o.year)) AS award_eligible
    FROM officials o
    JOIN years y ON y.year = o.year
    LEFT JOIN entries e ON e.person_code = o.person_code AND e.year = o.year
   GROUP BY o.person_code, o.year;
CREATE UNIQUE INDEX personal_file_summary_key ON oversight.personal_file_summary (person_code, year);
COMMENT ON MATERIALIZED VIEW oversight.personal_file_summary IS
  'The yearly summary of each official''s power-use file, the input of the 述职述廉 review: counts of matters, obligations met / late / missed, alerts, cards, complaints, cases, sanctions and rectifications, the annual score (mean of the months), the democratic evaluation score, and award eligibility (lost by any case of the year that was not dismissed). As of the last oversight.refresh_scores(); read it through oversight.personal_files.';
COMMENT ON INDEX oversight.personal_file_summary_key IS 'One row per official and year (needed to refresh concurrently).';
COMMENT ON COLUMN oversight.personal_file_summary.person_code IS 'Official.';
COMMENT ON COLUMN oversight.personal_file_summary.year IS 'Year.';
COMMENT ON COLUMN oversight.personal_file_summary.matters_handled IS 'Matters handled.';
COMMENT ON COLUMN oversight.personal_file_summary.obligations_met IS 'Obligations met on time.';
COMMENT ON COLUMN oversight.personal_file_summary.obligations_met_late IS 'Obligations met late.';
COMMENT ON COLUMN oversight.personal_file_summary.obligations_missed IS 'Obligations past their deadline and not met.';
COMMENT ON COLUMN oversight.personal_file_summary.alerts IS 'Alerts escalated to them.';
COMMENT ON COLUMN oversight.personal_file_summary.yellow_cards IS 'Yellow cards.';
COMMENT ON COLUMN oversight.personal_file_summary.red_cards IS 'Red cards.';
COMMENT ON COLUMN oversight.personal_file_summary.complaints IS 'Complaints naming them.';
COMMENT ON COLUMN oversight.personal_file_summary.cases IS 'Cases in which they are a subject.';
COMMENT ON COLUMN oversight.personal_file_summary.sanctions IS 'Sanctions decided against them.';
COMMENT ON COLUMN oversight.personal_file_summary.rectifications IS 'Rectifications they own.';
COMMENT ON COLUMN oversight.personal_file_summary.annual_score IS 'Mean of the monthly scores of the year.';
COMMENT ON COLUMN oversight.personal_file_summary.evaluation_score IS 'Democratic evaluation score of the year (latest), if held.';
COMMENT ON COLUMN oversight.personal_file_summary.award_eligible IS 'False when any case of the year (act or opening) was not dismissed.';

CREATE VIEW oversight.personal_files WITH (security_barrier = true) AS
  SELECT s.person_code, p.full_name, s.year, s.matters_handled, s.obligations_met, s.obligations_met_late, s.obligations_missed, s.alerts,
         s.yellow_cards, s.red_cards, s.complaints, s.cases, s.sanctions, s.rectifications, s.annual_score, s.evaluation_score, s.award_eligible,
         r.refreshed_at AS as_of
    FROM oversight.personal_file_summary s
    JOIN oversight.person p ON p.person_code = s.person_code
    LEFT JOIN oversight.score_refresh r ON r.view_name = 'personal_file_summary'
   WHERE oversight.may_see('person', s.person_code);
COMMENT ON VIEW oversight.personal_files IS 'Yearly power-use file summaries (oversight.personal_file_summary) the role may see — an official sees their own — with the time of the refresh.';
DO $comments$
DECLARE c record;
BEGIN
  -- The same meanings as the materialized view's columns.
  FOR c IN SELECT a.attname, d.description FROM pg_catalog.pg_attribute a
             JOIN pg_catalog.pg_description d ON d.objoid = a.attrelid AND d.objsubid = a.attnum
            WHERE a.attrelid = 'oversight.personal_file_summary'::regclass LOOP
    EXECUTE pg_catalog.format('COMMENT ON COLUMN oversight.personal_files.%I IS %L', c.attname, c.description);
  END LOOP;
END
$comments$;
COMMENT ON COLUMN oversight.personal_files.full_name IS 'Name.';
COMMENT ON COLUMN oversight.personal_files.as_of IS 'When the summary was last refreshed.';

-------------------------------------------------------------------------------------------------------
-- Refreshing the reporting layer.
-------------------------------------------------------------------------------------------------------
CREATE FUNCTION oversight.refresh_scores(p_concurrently boolean DEFAULT true)
  RETURNS TABLE (view_name text, concurrent_refresh boolean, duration_ms numeric, row_count bigint)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v text;
  started timestamptz;
  populated boolean;
BEGIN
  -- In dependency order: the summary reads the person scores.
  FOREACH v IN ARRAY ARRAY['unit_monthly_score', 'person_monthly_score', 'personal_file_summary'] LOOP
    SELECT m.ispopulated INTO populated FROM pg_catalog.pg_matviews m WHERE m.schemaname = 'oversight' AND m.matviewname = v;
    concurrent_refresh := p_concurrently AND populated;  -- a view never filled (e.g. after a restore) is filled once, plainly
    started := pg_catalog.clock_timestamp();
    EXECUTE pg_catalog.format('REFRESH MATERIALIZED VIEW %s oversight.%I', CASE WHEN concurrent_refresh THEN 'CONCURRENTLY' ELSE '' END, v);
    duration_ms := pg_catalog.round((EXTRACT(epoch FROM pg_catalog.clock_timestamp() - started) * 1000)::numeric, 3);
    EXECUTE pg_catalog.format('SELECT count(*) FROM oversight.%I', v) INTO row_count;
    view_name := v;
    INSERT INTO oversight.score_refresh AS r (view_name, refreshed_at, refreshed_by, concurrent_refresh, duration_ms, row_count)
    VALUES (v, oversight.now(), session_user, concurrent_refresh, duration_ms, row_count)
    ON CONFLICT ON CONSTRAINT score_refresh_pkey DO UPDATE SET refreshed_at = EXCLUDED.refreshed_at, refreshed_by = EXCLUDED.refreshed_by,
      concurrent_refresh = EXCLUDED.concurrent_refresh, duration_ms = EXCLUDED.duration_ms, row_count = EXCLUDED.row_count;
    RETURN NEXT;
  END LOOP;
END $$;
COMMENT ON FUNCTION oversight.refresh_scores(boolean) IS
  'Refreshes the assessment''s materialized views (unit and person monthly scores, the personal file summaries) — CONCURRENTLY by default, so readers are never blocked — and records their freshness in oversight.score_refresh. Schedule it with oversight.schedule_score_refresh().';

CREATE FUNCTION oversight.schedule_score_refresh(p_schedule text DEFAULT '7 * * * *') RETURNS bigint
  LANGUAGE sql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$ SELECT oversight.schedule_cron_job('oversight-scores', p_schedule, 'SELECT oversight.refresh_scores()') $$;
COMMENT ON FUNCTION oversight.schedule_score_refresh(text) IS
  'Schedules oversight.refresh_scores() with pg_cron (default hourly) when pg_cron is installed in this database; returns the job id. Otherwise says how to schedule it from the cron database.';

-------------------------------------------------------------------------------------------------------
-- Closing a quarter: grades frozen; a failing unit gets a written supervision recommendation and a
-- rectification with a deadline.
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.assessment_result (
  scope        text NOT NULL CONSTRAINT assessment_result_scope_known CHECK (scope IN ('unit', 'person')),
  subject_code text NOT NULL,
  period       text NOT NULL,
  first_month  date NOT NULL,
  scheme_id    bigint NOT NULL REFERENCES oversight.assessment_scheme,
  months       smallint NOT NULL,
  score        numeric(6,2) NOT NULL,
  grade_code   text NOT NULL,
  grade_zh     text NOT NULL,
  grade_en     text NOT NULL,
  failing      boolean NOT NULL,
  closed_at    timestamptz NOT NULL,
  PRIMARY KEY (scope, subject_code, period)
);
COMMENT ON TABLE oversight.assessment_result IS 'Quarterly grades as closed (frozen): what the unit or official was graded, from the monthly scores of the quarter when it closed.';
COMMENT ON COLUMN oversight.assessment_result.scope IS 'unit or person.';
COMMENT ON COLUMN oversight.assessment_result.subject_code IS 'unit_code or person_code.';
COMMENT ON COLUMN oversight.assessment_result.period IS 'Quarter, e.g. 2024-Q3.';
COMMENT ON COLUMN oversight.assessment_result.first_month IS 'Its first month.';
COMMENT ON COLUMN oversight.assessment_result.scheme_id IS 'Scheme version whose bands graded it.';
COMMENT ON COLUMN oversight.assessment_result.months IS 'Months scored.';
COMMENT ON COLUMN oversight.assessment_result.score IS 'Mean of the monthly scores.';
COMMENT ON COLUMN oversight.assessment_result.grade_code IS 'Grade.';
COMMENT ON COLUMN oversight.assessment_result.grade_zh IS 'Grade, in Chinese.';
COMMENT ON COLUMN oversight.assessment_result.grade_en IS 'Grade, in English.';
COMMENT ON COLUMN oversight.assessment_result.failing IS 'True for a failing grade.';
COMMENT ON COLUMN oversight.assessment_result.closed_at IS 'When the quarter was closed.';

CREATE TABLE oversight.supervision_recommendation (
  recommendation_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  unit_code        text NOT NULL REFERENCES oversight.org_unit ON UPDATE CASCADE,
  period           text NOT NULL,
  score            numeric(6,2) NOT NULL,
  text_zh          text NOT NULL,
  text_en          text NOT NULL,
  issued_at        timestamptz NOT NULL,
  rectification_id bigint REFERENCES oversight.rectification,
  CONSTRAINT supervision_recommendation_one_per_period UNIQUE (unit_code, period)
);
COMMENT ON TABLE oversight.supervision_recommendation IS 'Written supervision recommendations (监督建议书) to units that failed a quarter, with the rectification ordered (NULL when the unit had no chief or leader to own it: assign one and order it by hand).';
COMMENT ON COLUMN oversight.supervision_recommendation.recommendation_id IS 'Recommendation number.';
COMMENT ON COLUMN oversight.supervision_recommendation.unit_code IS 'Unit.';
COMMENT ON COLUMN oversight.supervision_recommendation.period IS 'Quarter failed.';
COMMENT ON COLUMN oversight.supervision_recommendation.score IS 'Its score.';
COMMENT ON COLUMN oversight.supervision_recommendation.text_zh IS 'The recommendation, in Chinese.';
COMMENT ON COLUMN oversight.supervision_recommendation.text_en IS 'The recommendation, in English.';
COMMENT ON COLUMN oversight.supervision_recommendation.issued_at IS 'When issued.';
COMMENT ON COLUMN oversight.supervision_recommendation.rectification_id IS 'Rectification ordered.';

CREATE FUNCTION oversight.close_assessment_quarter(p_first_month date) RETURNS integer
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  q date := pg_catalog.date_trunc('quarter', p_first_month)::date;
  label text := pg_catalog.to_char(pg_catalog.date_trunc('quarter', p_first_month), 'YYYY-"Q"Q');
  r record;
  owner text;
  rect bigint;
  n integer := 0;
BEGIN
  FOR r IN SELECT l.scope, l.subject_code, pg_catalog.count(*)::smallint AS months, pg_catalog.round(pg_catalog.avg(l.score), 2) AS score,
                  oversight.scheme_in_force(l.scope, q) AS scheme_id
             FROM oversight.monthly_score_live l
            WHERE l.month >= q AND l.month < (q + interval '3 months')::date
            GROUP BY l.scope, l.subject_code
            ORDER BY l.scope, l.subject_code LOOP
    INSERT INTO oversight.assessment_result (scope, subject_code, period, first_month, scheme_id, months, score, grade_code, grade_zh, grade_en, failing, closed_at)
    SELECT r.scope, r.subject_code, label, q, r.scheme_id, r.months, r.score, g.grade_code, g.name_zh, g.name_en, g.failing, oversight.now()
      FROM oversight.grade_of(r.scheme_id, r.score) g
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      CONTINUE; -- closed already
    END IF;
    n := n + 1;
    IF r.scope = 'unit' AND (SELECT x.failing FROM oversight.assessment_result x WHERE x.scope = 'unit' AND x.subject_code = r.subject_code AND x.period = label) THEN
      SELECT max(u.person_code) FILTER (WHERE u.responsibility = 'first') INTO owner FROM oversight.unit_responsible(r.subject_code, oversight.today()) u;
      owner := COALESCE(owner, (SELECT max(u.person_code) FROM oversight.unit_responsible(r.subject_code, oversight.today()) u));
      rect := CASE WHEN owner IS NOT NULL THEN
                oversight.new_rectification('assessment', NULL, r.subject_code, owner,
                  pg_catalog.format('%s 考核不合格（%s 分）：查找原因，制定并落实整改措施 / failed the %s assessment (%s points): find the causes, plan and carry out the corrections',
                                    label, r.score, label, r.score),
                  oversight.setting_value('assessment.failing_rectification_days')::integer) END;
      INSERT INTO oversight.supervision_recommendation (unit_code, period, score, text_zh, text_en, issued_at, rectification_id)
      VALUES (r.subject_code, label, r.score,
              pg_catalog.format('监督建议书：%s 在 %s 考核中得分 %s，等级不合格。请于 %s 前完成整改并书面报告整改情况。', r.subject_code, label, r.score,
                                COALESCE((SELECT x.due_on::text FROM oversight.rectification x WHERE x.rectification_id = rect), '（待指定整改责任人）')),
              pg_catalog.format('Supervision recommendation: %s scored %s in the %s assessment, a failing grade. Rectify by %s and report in writing.', r.subject_code,
                                r.score, label, COALESCE((SELECT x.due_on::text FROM oversight.rectification x WHERE x.rectification_id = rect), '(owner to be named)')),
              oversight.now(), rect);
    END IF;
  END LOOP;
  RETURN n;
END $$;
COMMENT ON FUNCTION oversight.close_assessment_quarter(date) IS
  'Closes the quarter of a month: freezes the grade of every unit and official (mean of the live monthly scores, bands of the scheme in force at its start) in oversight.assessment_result, and gives each failing unit a supervision recommendation and a rectification owned by its chief (assessment.failing_rectification_days). Idempotent; returns the grades recorded.';

CREATE FUNCTION oversight.close_assessment_quarters(p_as_of timestamptz) RETURNS integer
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  first_month date := pg_catalog.to_date(NULLIF(oversight.setting_value('assessment.first_month'), ''), 'YYYY-MM-DD');
  as_of_date date := (p_as_of AT TIME ZONE oversight.setting_value('timezone'))::date;
  q date;
  n integer := 0;
BEGIN
  IF first_month IS NULL THEN
    RETURN 0; -- formal assessment not started
  END IF;
  FOR q IN SELECT g::date FROM pg_catalog.generate_series(pg_catalog.date_trunc('quarter', first_month), pg_catalog.date_trunc('quarter', as_of_date::timestamp),
                                                          interval '3 months') g LOOP
    -- A quarter closes some working days after its end, so that late records still count; once.
    EXIT WHEN oversight.add_working_days((q + interval '3 months')::date - 1, oversight.setting_value('assessment.close_after_working_days')::integer) > as_of_date;
    CONTINUE WHEN EXISTS (SELECT FROM oversight.assessment_result r WHERE r.first_month = q);
    n := n + oversight.close_assessment_quarter(q);
  END LOOP;
  RETURN n;
END $$;
COMMENT ON FUNCTION oversight.close_assessment_quarters(timestamptz) IS
  'Closes every quarter from assessment.first_month whose end is assessment.close_after_working_days working days past, once (nothing while assessment.first_month is empty). Run by oversight.sweep(); returns the grades recorded.';

CREATE FUNCTION oversight.close_assessment_quarter_by_hand(p_first_month date) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NOT (pg_catalog.pg_has_role(session_user, 'oversight_inspector', 'MEMBER') OR pg_catalog.pg_has_role(session_user, 'oversight_admin', 'MEMBER')) THEN
    RAISE EXCEPTION '考核由纪检监察或管理人员结算 / quarters are closed by the discipline office or administrators' USING ERRCODE = '42501';
  END IF;
  IF (pg_catalog.date_trunc('quarter', p_first_month) + interval '3 months')::date > oversight.today() THEN
    RAISE EXCEPTION '季度 % 尚未结束 / the quarter of % has not ended', p_first_month, p_first_month USING ERRCODE = '22023';
  END IF;
  RETURN oversight.close_assessment_quarter(p_first_month);
END $$;
COMMENT ON FUNCTION oversight.close_assessment_quarter_by_hand(date) IS 'Closes an ended quarter now, without waiting for the sweeper (e.g. before assessment.first_month is set); returns the grades recorded.';

CREATE VIEW oversight.open_cases WITH (security_invoker = true) AS
  SELECT c.case_id, c.origin, c.unit_code, u.name_zh AS unit_name_zh, c.node_code, c.act_date, c.summary, c.opened_at,
         (SELECT pg_catalog.string_agg(pg_catalog.format('%s（%s）', p.full_name,
                   CASE s.subject_role WHEN 'directly_responsible' THEN '直接责任人' WHEN 'directly_in_charge' THEN '直接负责人'
                                       WHEN 'leadership' THEN '领导责任' ELSE '科室负责人责任' END), '、' ORDER BY s.subject_role, s.person_code)
            FROM oversight.case_subject s JOIN oversight.person p ON p.person_code = s.person_code WHERE s.case_id = c.case_id) AS subjects_zh,
         (SELECT pg_catalog.string_agg(pg_catalog.format('%s (%s)', s.person_code, pg_catalog.replace(s.subject_role, '_', ' ')), ', ' ORDER BY s.subject_role, s.person_code)
            FROM oversight.case_subject s WHERE s.case_id = c.case_id) AS subjects_en,
         c.card_id, c.obligation_id, c.alert_id, c.complaint_id, c.matter_id
    FROM oversight.accountability_case c JOIN oversight.org_unit u ON u.unit_code = c.unit_code
   WHERE c.status = 'open';
COMMENT ON VIEW oversight.open_cases IS 'Accountability cases awaiting the discipline office''s decision, with their subjects and roles.';
COMMENT ON COLUMN oversight.open_cases.case_id IS 'Case.';
COMMENT ON COLUMN oversight.open_cases.origin IS 'red_card, missed_obligation, complaint, spot_check or manual.';
COMMENT ON COLUMN oversight.open_cases.unit_code IS 'Unit.';
COMMENT ON COLUMN oversight.open_cases.unit_name_zh IS 'Unit, in Chinese.';
COMMENT ON COLUMN oversight.open_cases.node_code IS 'Key node.';
COMMENT ON COLUMN oversight.open_cases.act_date IS 'Date of the act.';
COMMENT ON COLUMN oversight.open_cases.summary IS 'What happened.';
COMMENT ON COLUMN oversight.open_cases.opened_at IS 'When opened.';
COMMENT ON COLUMN oversight.open_cases.subjects_zh IS 'Subjects and roles, in Chinese.';
COMMENT ON COLUMN oversight.open_cases.subjects_en IS 'Subjects (person codes) and roles, in English.';
COMMENT ON COLUMN oversight.open_cases.card_id IS 'Card that opened it.';
COMMENT ON COLUMN oversight.open_cases.obligation_id IS 'Obligation missed.';
COMMENT ON COLUMN oversight.open_cases.alert_id IS 'Alert.';
COMMENT ON COLUMN oversight.open_cases.complaint_id IS 'Complaint.';
COMMENT ON COLUMN oversight.open_cases.matter_id IS 'Matter.';

-------------------------------------------------------------------------------------------------------
-- Row-level security, audit, privileges.
-------------------------------------------------------------------------------------------------------
CREATE FUNCTION oversight.cases_of_acting_person() RETURNS bigint[]
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT COALESCE(pg_catalog.array_agg(s.case_id), '{}') FROM oversight.case_subject s WHERE s.person_code = oversight.acting_person()
$$;
COMMENT ON FUNCTION oversight.cases_of_acting_person() IS
  'The cases in which the person logged in is a subject (for row-level security: a case''s subjects see it; read with the owner''s rights so the policies of cases and subjects do not refer to each other).';
ALTER TABLE oversight.accountability_case ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_scope ON oversight.accountability_case
  USING ((SELECT oversight.sees_all_units()) OR unit_code = ANY ((SELECT oversight.visible_units())::text[])
         OR case_id = ANY ((SELECT oversight.cases_of_acting_person())::bigint[]))
  WITH CHECK ((SELECT oversight.sees_all_units()));
COMMENT ON POLICY unit_scope ON oversight.accountability_case IS 'Cases of units granted to the role (and below), and those in which the person logged in is a subject; bureau-wide roles see all.';
ALTER TABLE oversight.case_subject ENABLE ROW LEVEL SECURITY;
CREATE POLICY parent_scope ON oversight.case_subject
  USING ((SELECT oversight.sees_all_units()) OR EXISTS (SELECT FROM oversight.accountability_case c WHERE c.case_id = case_subject.case_id))
  WITH CHECK ((SELECT oversight.sees_all_units()));
COMMENT ON POLICY parent_scope ON oversight.case_subject IS 'Subjects of the cases the role can see.';
ALTER TABLE oversight.case_sanction ENABLE ROW LEVEL SECURITY;
CREATE POLICY parent_scope ON oversight.case_sanction
  USING ((SELECT oversight.sees_all_units()) OR EXISTS (SELECT FROM oversight.accountability_case c WHERE c.case_id = case_sanction.case_id))
  WITH CHECK ((SELECT oversight.sees_all_units()));
COMMENT ON POLICY parent_scope ON oversight.case_sanction IS 'Sanctions of the cases the role can see.';
ALTER TABLE oversight.rectification ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_scope ON oversight.rectification
  USING ((SELECT oversight.sees_all_units()) OR unit_code = ANY ((SELECT oversight.visible_units())::text[]) OR owner_code = (SELECT oversight.acting_person()))
  WITH CHECK ((SELECT oversight.sees_all_units()));
COMMENT ON POLICY unit_scope ON oversight.rectification IS 'Rectifications of units granted to the role (and below), and those the person logged in owns; bureau-wide roles see all.';
ALTER TABLE oversight.rectification_note ENABLE ROW LEVEL SECURITY;
CREATE POLICY parent_scope ON oversight.rectification_note
  USING ((SELECT oversight.sees_all_units()) OR EXISTS (SELECT FROM oversight.rectification r WHERE r.rectification_id = rectification_note.rectification_id))
  WITH CHECK ((SELECT oversight.sees_all_units()));
COMMENT ON POLICY parent_scope ON oversight.rectification_note IS 'Notes of the rectifications the role can see.';
ALTER TABLE oversight.complaint ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_scope ON oversight.complaint
  USING ((SELECT oversight.sees_all_units()) OR COALESCE(routed_unit_code, subject_unit_code) = ANY ((SELECT oversight.visible_units())::text[]))
  WITH CHECK ((SELECT oversight.sees_all_units()));
COMMENT ON POLICY unit_scope ON oversight.complaint IS 'Complaints routed to (or about) units granted to the role; the complainant''s name and contact are readable by the discipline office only (column privileges).';
DO $rls$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['spot_check', 'spot_check_item'] LOOP
    EXECUTE pg_catalog.format('ALTER TABLE oversight.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE pg_catalog.format('CREATE POLICY bureau_only ON oversight.%I USING ((SELECT oversight.sees_all_units()))', t);
    EXECUTE pg_catalog.format('COMMENT ON POLICY bureau_only ON oversight.%I IS %L', t, 'Spot checks are the discipline office''s: bureau-wide roles only (a failed check reaches the unit as a rectification).');
  END LOOP;
  FOREACH t IN ARRAY ARRAY['dimension_rating', 'evaluation', 'assessment_result'] LOOP
    EXECUTE pg_catalog.format('ALTER TABLE oversight.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE pg_catalog.format('CREATE POLICY subject_scope ON oversight.%I USING (oversight.may_see(scope, subject_code)) WITH CHECK ((SELECT oversight.sees_all_units()))', t);
    EXECUTE pg_catalog.format('COMMENT ON POLICY subject_scope ON oversight.%I IS %L', t, 'Rows of the units and officials the role may see (oversight.may_see).');
  END LOOP;
END
$rls$;
ALTER TABLE oversight.supervision_recommendation ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_scope ON oversight.supervision_recommendation
  USING ((SELECT oversight.sees_all_units()) OR unit_code = ANY ((SELECT oversight.visible_units())::text[]))
  WITH CHECK ((SELECT oversight.sees_all_units()));
COMMENT ON POLICY unit_scope ON oversight.supervision_recommendation IS 'Recommendations to units granted to the role (and below); bureau-wide roles see all.';

DO $audit$
DECLARE t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES
      ('sanction_kind', ARRAY['sanction_code']), ('complaint', ARRAY['complaint_id']), ('accountability_case', ARRAY['case_id']),
      ('case_subject', ARRAY['case_id', 'person_code', 'subject_role']), ('case_sanction', ARRAY['case_id', 'person_code', 'sanction_code']),
      ('rectification', ARRAY['rectification_id']), ('rectification_note', ARRAY['note_id']), ('spot_check', ARRAY['spot_check_id']),
      ('spot_check_item', ARRAY['spot_check_id', 'filing_id']), ('assessment_scheme', ARRAY['scheme_id']),
      ('assessment_dimension', ARRAY['scheme_id', 'dimension_code']), ('assessment_grade', ARRAY['scheme_id', 'grade_code']),
      ('dimension_rating', ARRAY['scope', 'subject_code', 'month', 'dimension_code']), ('evaluation_scheme', ARRAY['scheme_code']),
      ('evaluation', ARRAY['evaluation_id']), ('assessment_result', ARRAY['scope', 'subject_code', 'period']),
      ('supervision_recommendation', ARRAY['recommendation_id'])) AS v(table_name, key_columns) LOOP
    EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON oversight.%I FOR EACH ROW '
                              'EXECUTE FUNCTION oversight.audit_row_change(%s)', t.table_name || '_audit', t.table_name,
                              (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(c), ', ') FROM pg_catalog.unnest(t.key_columns) c));
    EXECUTE pg_catalog.format('COMMENT ON TRIGGER %I ON oversight.%I IS %L', t.table_name || '_audit', t.table_name,
                              'Audits every insert, update and delete, row by row.');
  END LOOP;
END
$audit$;

-- Configuration everybody reads; records through the functions above only.
GRANT SELECT ON oversight.sanction_kind, oversight.assessment_scheme, oversight.assessment_scheme_period, oversight.assessment_dimension, oversight.assessment_grade,
  oversight.evaluation_scheme, oversight.score_refresh
  TO oversight_admin, oversight_analyst, oversight_inspector, oversight_official;
GRANT SELECT ON oversight.accountability_case, oversight.case_subject, oversight.case_sanction, oversight.rectification, oversight.rectification_note,
  oversight.dimension_rating, oversight.evaluation, oversight.assessment_result, oversight.supervision_recommendation,
  oversight.score_event, oversight.evaluation_result, oversight.personal_file, oversight.open_cases,
  oversight.unit_scores, oversight.person_scores, oversight.period_scores, oversight.personal_files
  TO oversight_admin, oversight_analyst, oversight_inspector, oversight_official;
-- The complainant's identity: the discipline office only.
GRANT SELECT ON oversight.complaint TO oversight_inspector;
GRANT SELECT (complaint_id, received_at, channel, anonymous, subject_unit_code, node_code, person_code, act_date, summary, accept_due_on, accepted,
              accepted_at, routed_unit_code, handle_due_on, outcome, outcome_at, outcome_note, feedback_at)
  ON oversight.complaint TO oversight_admin, oversight_analyst, oversight_official;
GRANT SELECT ON oversight.spot_check, oversight.spot_check_item TO oversight_admin, oversight_inspector;
-- The materialized views hold every unit's figures (no row-level security there): bureau-wide roles
-- read them directly, everybody else through unit_scores, person_scores, period_scores, personal_files.
GRANT SELECT ON oversight.unit_monthly_score, oversight.person_monthly_score, oversight.personal_file_summary, oversight.monthly_score_live
  TO oversight_admin, oversight_inspector;
GRANT INSERT, UPDATE ON oversight.sanction_kind TO oversight_admin;

GRANT EXECUTE ON FUNCTION oversight.may_see(text, text), oversight.cases_of_acting_person(), oversight.grade_of(bigint, numeric), oversight.scheme_in_force(text, date),
  oversight.assessment_months(), oversight.evaluation_weights_valid(numeric[]), oversight.spot_check_sample(bigint[], text, integer)
  TO oversight_admin, oversight_analyst, oversight_inspector, oversight_official;
GRANT EXECUTE ON FUNCTION oversight.open_case_by_hand(text, date, text, text, bigint, jsonb), oversight.decide_case(bigint, jsonb, text),
  oversight.order_rectification(text, bigint, text, text, text, integer), oversight.decide_complaint(bigint, boolean, text, integer),
  oversight.close_complaint(bigint, text, text, text), oversight.draw_spot_check(text, date, date, integer, text),
  oversight.record_spot_check(bigint, bigint, boolean, text, text, text)
  TO oversight_inspector;
GRANT EXECUTE ON FUNCTION oversight.redraw_spot_check(bigint) TO oversight_admin, oversight_inspector;
GRANT EXECUTE ON FUNCTION oversight.rectification_progress(bigint, text, text), oversight.receive_complaint(text, boolean, text, text, text, text, text, text, date)
  TO oversight_admin, oversight_inspector, oversight_official;
GRANT EXECUTE ON FUNCTION oversight.rate_dimension(text, text, date, text, numeric, text),
  oversight.record_evaluation(text, text, text, text, date, integer[], integer), oversight.refresh_scores(boolean),
  oversight.close_assessment_quarter_by_hand(date)
  TO oversight_admin, oversight_inspector;
GRANT EXECUTE ON FUNCTION oversight.define_assessment_scheme(text, date, jsonb, text), oversight.define_evaluation_scheme(text, text, text, jsonb),
  oversight.install_default_assessment(), oversight.schedule_score_refresh(text)
  TO oversight_admin;

DO $dump$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['complaint', 'accountability_case', 'case_subject', 'case_sanction', 'rectification', 'rectification_note', 'spot_check',
                           'spot_check_item', 'assessment_scheme', 'assessment_dimension', 'assessment_grade', 'dimension_rating', 'evaluation',
                           'assessment_result', 'supervision_recommendation', 'score_refresh',
                           'complaint_complaint_id_seq', 'accountability_case_case_id_seq', 'rectification_rectification_id_seq',
                           'rectification_note_note_id_seq', 'spot_check_spot_check_id_seq', 'assessment_scheme_scheme_id_seq',
                           'evaluation_evaluation_id_seq', 'supervision_recommendation_recommendation_id_seq'] LOOP
    PERFORM pg_catalog.pg_extension_config_dump(pg_catalog.format('oversight.%I', t)::regclass, '');
  END LOOP;
  -- Shipped rows stay with the extension; those added here are dumped.
  PERFORM pg_catalog.pg_extension_config_dump('oversight.sanction_kind', 'WHERE NOT shipped');
END
$dump$;
DO $dump$
BEGIN
  PERFORM pg_catalog.pg_extension_config_dump('oversight.evaluation_scheme', 'WHERE scheme_code NOT IN (''satisfaction'', ''performance'')');
END
$dump$;
