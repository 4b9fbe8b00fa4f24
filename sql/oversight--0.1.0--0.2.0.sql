-- oversight 0.1.0 → 0.2.0 — real-time monitoring: rules as versioned data, the C++ rule engine in the
-- write path (row and statement triggers over transition tables), the finance rule library, alerts with
-- fingerprints, a small explicit lifecycle, snoozes, waivers, engine faults and the deadline sweeper.
--
-- Hardening as in 0.1.0: every reference schema-qualified, every SQL function pins
-- search_path = pg_catalog, pg_temp, nothing is CREATE OR REPLACE'd, every object has a COMMENT.

\echo Use "ALTER EXTENSION oversight UPDATE TO '0.2.0'" to load this file. \quit

SET LOCAL search_path = pg_catalog, pg_temp;

INSERT INTO oversight.setting_default (setting_key, default_value, description, source) VALUES
  ('rules.four_eyes', 'false', 'When true, a rule version must be approved by someone other than its author (session user).', 'DOMAIN.md §9'),
  ('alerts.waiver_max_days', '366', 'Longest a waiver may run, in days from its approval.', 'DOMAIN.md §9');

-------------------------------------------------------------------------------------------------------
-- C++ entry points of the rule core and engine.
-------------------------------------------------------------------------------------------------------
CREATE FUNCTION oversight.validate_rule_params(p_rule_kind text, p_record_kind text, p_params jsonb) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'oversight_validate_rule_params' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION oversight.validate_rule_params(text, text, jsonb) IS
  'Validates the parameters of a rule kind for a record kind (C++ rule core) and returns them with defaults filled in; a bad parameter is an error 22023 naming it.';

CREATE FUNCTION oversight.rule_kind_catalog() RETURNS jsonb
  AS 'MODULE_PATHNAME', 'oversight_rule_kind_catalog' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION oversight.rule_kind_catalog() IS 'Every rule kind the engine implements, with its record kinds, evaluation (row, batch, sweep) and parameter specifications, as jsonb.';

CREATE FUNCTION oversight.record_kind_fields(p_record_kind text) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'oversight_record_kind_fields' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION oversight.record_kind_fields(text) IS 'Canonical fields (name → SQL type) of a record kind: what oversight.watch() maps a table''s columns onto.';

CREATE FUNCTION oversight.engine_trigger() RETURNS trigger
  AS 'MODULE_PATHNAME', 'oversight_engine_trigger' LANGUAGE C;
COMMENT ON FUNCTION oversight.engine_trigger() IS
  'The C++ rule engine as an AFTER trigger: at statement level it evaluates the transition table in one batch; at row level a one-row batch. Attached by oversight.watch().';
REVOKE ALL ON FUNCTION oversight.engine_trigger() FROM PUBLIC;

CREATE FUNCTION oversight.sweep_table(p_table regclass, p_as_of timestamptz) RETURNS integer
  AS 'MODULE_PATHNAME', 'oversight_sweep_table' LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION oversight.sweep_table(regclass, timestamptz) IS 'Runs the deadline (sweep) rules of one watched table as of a timestamp; returns how many rules ran. Called by oversight.sweep().';
REVOKE ALL ON FUNCTION oversight.sweep_table(regclass, timestamptz) FROM PUBLIC;

CREATE VIEW oversight.rule_kinds AS
  SELECT k ->> 'kind' AS rule_kind, k ->> 'evaluation' AS evaluation,
         ARRAY(SELECT pg_catalog.jsonb_array_elements_text(k -> 'record_kinds')) AS record_kinds,
         k -> 'params' AS params, k ->> 'description' AS description
    FROM pg_catalog.jsonb_array_elements(oversight.rule_kind_catalog()) AS k;
COMMENT ON VIEW oversight.rule_kinds IS 'The rule kinds of the engine: how each is evaluated, which record kinds it applies to and its parameters (name, type, default, bounds).';
COMMENT ON COLUMN oversight.rule_kinds.rule_kind IS 'Kind name, used in oversight.rule.rule_kind.';
COMMENT ON COLUMN oversight.rule_kinds.evaluation IS 'row (C++, per written row), batch (one set-based query per statement) or sweep (oversight.sweep()).';
COMMENT ON COLUMN oversight.rule_kinds.record_kinds IS 'Record kinds the kind applies to.';
COMMENT ON COLUMN oversight.rule_kinds.params IS 'Parameter specifications.';
COMMENT ON COLUMN oversight.rule_kinds.description IS 'What the kind detects.';

-------------------------------------------------------------------------------------------------------
-- Rules as versioned data.
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.rule (
  rule_code   text PRIMARY KEY CONSTRAINT rule_code_format CHECK (rule_code ~ '^[A-Z][A-Z0-9_.-]{1,63}$'),
  rule_kind   text NOT NULL,
  record_kind text NOT NULL CONSTRAINT rule_record_kind_known
                CHECK (record_kind IN ('payment', 'procurement', 'bid', 'contract', 'fund_allocation', 'enforcement')),
  node_code   text NOT NULL REFERENCES oversight.key_node ON UPDATE CASCADE,
  title       text NOT NULL CONSTRAINT rule_title_present CHECK (btrim(title) <> ''),
  description text,
  source      text,
  is_enabled  boolean NOT NULL DEFAULT true,
  shipped     boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL,
  created_by  text NOT NULL
);
COMMENT ON TABLE oversight.rule IS 'Monitoring rules: what is checked (kind, record kind) and which key node it guards. Parameters, severity and blocking live in versions (oversight.rule_version).';
COMMENT ON COLUMN oversight.rule.rule_code IS 'Stable code (e.g. PAY.DUPLICATE); part of every alert fingerprint.';
COMMENT ON COLUMN oversight.rule.rule_kind IS 'Engine rule kind (view oversight.rule_kinds); fixed once the rule exists.';
COMMENT ON COLUMN oversight.rule.record_kind IS 'Kind of records checked: payment, procurement, bid, contract, fund_allocation or enforcement.';
COMMENT ON COLUMN oversight.rule.node_code IS 'Key power node the rule guards.';
COMMENT ON COLUMN oversight.rule.title IS 'Short title shown with alerts.';
COMMENT ON COLUMN oversight.rule.description IS 'What the rule detects and why.';
COMMENT ON COLUMN oversight.rule.source IS 'Statute or practice the rule rests on.';
COMMENT ON COLUMN oversight.rule.is_enabled IS 'False pauses the rule without retiring its version.';
COMMENT ON COLUMN oversight.rule.shipped IS 'True for rules installed by oversight.install_default_rules().';
COMMENT ON COLUMN oversight.rule.created_at IS 'oversight.now() at creation.';
COMMENT ON COLUMN oversight.rule.created_by IS 'session_user who created it.';

CREATE TABLE oversight.rule_version (
  rule_version_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rule_code   text NOT NULL REFERENCES oversight.rule ON UPDATE CASCADE,
  version     integer NOT NULL CONSTRAINT rule_version_positive CHECK (version > 0),
  status      text NOT NULL DEFAULT 'draft' CONSTRAINT rule_version_status_known CHECK (status IN ('draft', 'approved', 'retired')),
  params      jsonb NOT NULL DEFAULT '{}',
  severity    text NOT NULL CONSTRAINT rule_version_severity_known CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
  blocking    boolean NOT NULL DEFAULT false,
  change_note text,
  authored_by text NOT NULL,
  authored_at timestamptz NOT NULL,
  approved_by text,
  approved_at timestamptz,
  retired_at  timestamptz,
  CONSTRAINT rule_version_natural_key UNIQUE (rule_code, version),
  CONSTRAINT rule_version_approval_recorded CHECK (status = 'draft' OR (approved_by IS NOT NULL AND approved_at IS NOT NULL)),
  CONSTRAINT rule_version_retirement_recorded CHECK ((status = 'retired') = (retired_at IS NOT NULL))
);
CREATE UNIQUE INDEX rule_version_one_approved ON oversight.rule_version (rule_code) WHERE status = 'approved';
COMMENT ON INDEX oversight.rule_version_one_approved IS 'At most one approved (in force) version per rule.';
COMMENT ON TABLE oversight.rule_version IS
  'Versions of a rule: draft → approved → retired. Parameters are validated by the C++ core when a version is saved; an approved or retired version is locked (only approved → retired is allowed). Alerts record the version that fired.';
COMMENT ON COLUMN oversight.rule_version.rule_version_id IS 'Surrogate key, recorded in alerts and faults.';
COMMENT ON COLUMN oversight.rule_version.rule_code IS 'Rule versioned.';
COMMENT ON COLUMN oversight.rule_version.version IS 'Version number, 1, 2, … per rule.';
COMMENT ON COLUMN oversight.rule_version.status IS 'draft (editable), approved (in force, locked) or retired (locked).';
COMMENT ON COLUMN oversight.rule_version.params IS 'Parameters (thresholds, lists, windows) as validated and completed with defaults.';
COMMENT ON COLUMN oversight.rule_version.severity IS 'info, low, medium, high or critical.';
COMMENT ON COLUMN oversight.rule_version.blocking IS 'Preventive hold: when true, a write that fires the rule fails with SQLSTATE OV100 (unless the alert is waived). Explicit per version; false by default.';
COMMENT ON COLUMN oversight.rule_version.change_note IS 'Why this version was made.';
COMMENT ON COLUMN oversight.rule_version.authored_by IS 'session_user who drafted it.';
COMMENT ON COLUMN oversight.rule_version.authored_at IS 'oversight.now() of the draft.';
COMMENT ON COLUMN oversight.rule_version.approved_by IS 'session_user who approved it.';
COMMENT ON COLUMN oversight.rule_version.approved_at IS 'oversight.now() of approval.';
COMMENT ON COLUMN oversight.rule_version.retired_at IS 'oversight.now() of retirement.';

CREATE FUNCTION oversight.rule_check() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE allowed text[];
BEGIN
  IF NEW.rule_kind = 'test_failure' AND NOT (pg_catalog.pg_has_role(session_user, 'oversight_admin', 'MEMBER')
      OR (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user)) THEN
    RAISE EXCEPTION 'rule kind test_failure is reserved to administrators' USING ERRCODE = '42501';
  END IF;
  SELECT ARRAY(SELECT pg_catalog.jsonb_array_elements_text(k -> 'record_kinds')) INTO allowed
    FROM pg_catalog.jsonb_array_elements(oversight.rule_kind_catalog()) AS k WHERE k ->> 'kind' = NEW.rule_kind;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown rule kind "%"', NEW.rule_kind USING ERRCODE = '22023',
      HINT = 'The kinds are listed in view oversight.rule_kinds.';
  END IF;
  IF NOT NEW.record_kind = ANY (allowed) THEN
    RAISE EXCEPTION 'rule kind % does not apply to record kind "%"', NEW.rule_kind, NEW.record_kind USING ERRCODE = '22023',
      HINT = pg_catalog.format('It applies to: %s.', pg_catalog.array_to_string(allowed, ', '));
  END IF;
  IF TG_OP = 'UPDATE' AND (OLD.rule_kind, OLD.record_kind) IS DISTINCT FROM (NEW.rule_kind, NEW.record_kind)
     AND EXISTS (SELECT FROM oversight.rule_version v WHERE v.rule_code = OLD.rule_code) THEN
    RAISE EXCEPTION 'rule %: kind and record kind are fixed once the rule has versions', OLD.rule_code USING ERRCODE = '55000',
      HINT = 'Create a new rule instead.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION oversight.rule_check() IS 'BEFORE trigger function of oversight.rule: the kind must exist and apply to the record kind, is fixed once versioned, and test_failure is for administrators only.';
CREATE TRIGGER rule_check BEFORE INSERT OR UPDATE ON oversight.rule
  FOR EACH ROW EXECUTE FUNCTION oversight.rule_check();
COMMENT ON TRIGGER rule_check ON oversight.rule IS 'Validates the rule kind against the engine''s catalogue.';

CREATE FUNCTION oversight.rule_version_check() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE r oversight.rule;
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'rule % version % is %: it is locked and cannot be deleted', OLD.rule_code, OLD.version, OLD.status
        USING ERRCODE = '55000', HINT = 'Retire it with oversight.retire_rule_version().';
    END IF;
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.status <> 'draft' THEN
    IF OLD.status = 'approved' AND NEW.status = 'retired'
       AND (OLD.rule_code, OLD.version, OLD.params, OLD.severity, OLD.blocking, OLD.change_note, OLD.authored_by, OLD.authored_at, OLD.approved_by, OLD.approved_at)
           IS NOT DISTINCT FROM
           (NEW.rule_code, NEW.version, NEW.params, NEW.severity, NEW.blocking, NEW.change_note, NEW.authored_by, NEW.authored_at, NEW.approved_by, NEW.approved_at) THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'rule % version % is %: it is locked', OLD.rule_code, OLD.version, OLD.status
      USING ERRCODE = '55000', HINT = 'Draft a new version with oversight.draft_rule_version().';
  END IF;
  SELECT * INTO r FROM oversight.rule WHERE rule_code = NEW.rule_code;
  -- Validation when saved (C++ core): a bad parameter fails here, naming it, never at evaluation time.
  NEW.params := oversight.validate_rule_params(r.rule_kind, r.record_kind, NEW.params);
  RETURN NEW;
END $$;
COMMENT ON FUNCTION oversight.rule_version_check() IS 'BEFORE trigger function of oversight.rule_version: validates and completes the parameters of drafts (C++ core) and locks approved and retired versions.';
CREATE TRIGGER rule_version_check BEFORE INSERT OR UPDATE OR DELETE ON oversight.rule_version
  FOR EACH ROW EXECUTE FUNCTION oversight.rule_version_check();
COMMENT ON TRIGGER rule_version_check ON oversight.rule_version IS 'Parameter validation on save; immutability once approved.';

CREATE TRIGGER rule_audit AFTER INSERT OR UPDATE OR DELETE ON oversight.rule
  FOR EACH ROW EXECUTE FUNCTION oversight.audit_row_change('rule_code');
COMMENT ON TRIGGER rule_audit ON oversight.rule IS 'Audits every change to rule definitions.';
CREATE TRIGGER rule_version_audit AFTER INSERT OR UPDATE OR DELETE ON oversight.rule_version
  FOR EACH ROW EXECUTE FUNCTION oversight.audit_row_change('rule_code', 'version');
COMMENT ON TRIGGER rule_version_audit ON oversight.rule_version IS 'Audits drafts, approvals and retirements.';

CREATE FUNCTION oversight.create_rule(p_rule_code text, p_rule_kind text, p_record_kind text, p_node_code text, p_title text,
                                      p_description text DEFAULT NULL, p_source text DEFAULT NULL)
  RETURNS text
  LANGUAGE sql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
  INSERT INTO oversight.rule (rule_code, rule_kind, record_kind, node_code, title, description, source, created_at, created_by)
  VALUES (p_rule_code, p_rule_kind, p_record_kind, p_node_code, p_title, p_description, p_source, oversight.now(), session_user)
  RETURNING rule_code
$$;
COMMENT ON FUNCTION oversight.create_rule(text, text, text, text, text, text, text) IS 'Creates a rule (no version yet: draft one with oversight.draft_rule_version()).';

CREATE FUNCTION oversight.draft_rule_version(p_rule_code text, p_params jsonb, p_severity text, p_blocking boolean DEFAULT false,
                                             p_change_note text DEFAULT NULL)
  RETURNS bigint
  LANGUAGE sql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
  INSERT INTO oversight.rule_version (rule_code, version, status, params, severity, blocking, change_note, authored_by, authored_at)
  SELECT p_rule_code, COALESCE(max(v.version), 0) + 1, 'draft', p_params, p_severity, p_blocking, p_change_note, session_user, oversight.now()
    FROM oversight.rule_version v WHERE v.rule_code = p_rule_code
  RETURNING rule_version_id
$$;
COMMENT ON FUNCTION oversight.draft_rule_version(text, jsonb, text, boolean, text) IS 'Saves a new draft version of a rule (parameters validated now); returns its rule_version_id.';

CREATE FUNCTION oversight.approve_rule_version(p_rule_version_id bigint, p_note text DEFAULT NULL) RETURNS bigint
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE v oversight.rule_version;
BEGIN
  SELECT * INTO v FROM oversight.rule_version WHERE rule_version_id = p_rule_version_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown rule version %', p_rule_version_id USING ERRCODE = '22023';
  END IF;
  IF v.status <> 'draft' THEN
    RAISE EXCEPTION 'rule % version % is % and cannot be approved', v.rule_code, v.version, v.status USING ERRCODE = '55000';
  END IF;
  IF oversight.setting_value('rules.four_eyes')::boolean AND v.authored_by = session_user THEN
    RAISE EXCEPTION 'rule % version %: the author (%) cannot approve it (four-eyes setting rules.four_eyes)', v.rule_code, v.version, v.authored_by
      USING ERRCODE = '42501';
  END IF;
  PERFORM pg_catalog.set_config('oversight.reason', COALESCE(p_note, 'rule version approved'), true);
  UPDATE oversight.rule_version SET status = 'retired', retired_at = oversight.now()
   WHERE rule_code = v.rule_code AND status = 'approved';
  UPDATE oversight.rule_version SET status = 'approved', approved_by = session_user, approved_at = oversight.now()
   WHERE rule_version_id = p_rule_version_id;
  PERFORM pg_catalog.set_config('oversight.reason', '', true);
  RETURN p_rule_version_id;
END $$;
COMMENT ON FUNCTION oversight.approve_rule_version(bigint, text) IS 'Approves a draft: it comes into force and is locked; the previously approved version of the rule is retired in the same step.';

CREATE FUNCTION oversight.retire_rule_version(p_rule_version_id bigint, p_note text DEFAULT NULL) RETURNS bigint
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM pg_catalog.set_config('oversight.reason', COALESCE(p_note, 'rule version retired'), true);
  UPDATE oversight.rule_version SET status = 'retired', retired_at = oversight.now()
   WHERE rule_version_id = p_rule_version_id AND status = 'approved';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'rule version % is not an approved version', p_rule_version_id USING ERRCODE = '55000';
  END IF;
  PERFORM pg_catalog.set_config('oversight.reason', '', true);
  RETURN p_rule_version_id;
END $$;
COMMENT ON FUNCTION oversight.retire_rule_version(bigint, text) IS 'Retires an approved version: the rule stops firing until another version is approved.';

CREATE FUNCTION oversight.define_rule(p_rule_code text, p_rule_kind text, p_record_kind text, p_node_code text, p_title text,
                                      p_params jsonb, p_severity text, p_blocking boolean DEFAULT false)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE id bigint;
BEGIN
  IF NOT EXISTS (SELECT FROM oversight.rule WHERE rule_code = p_rule_code) THEN
    PERFORM oversight.create_rule(p_rule_code, p_rule_kind, p_record_kind, p_node_code, p_title);
  END IF;
  id := oversight.draft_rule_version(p_rule_code, p_params, p_severity, p_blocking);
  RETURN oversight.approve_rule_version(id, 'defined with oversight.define_rule');
END $$;
COMMENT ON FUNCTION oversight.define_rule(text, text, text, text, text, jsonb, text, boolean) IS 'Shortcut: creates the rule if needed, drafts a version and approves it; returns the version id. Not usable with the four-eyes setting.';

-------------------------------------------------------------------------------------------------------
-- Discretion bands (裁量基准) for the enforcement rules.
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.discretion_band (
  violation_code text NOT NULL CONSTRAINT discretion_band_violation_present CHECK (btrim(violation_code) <> ''),
  valid_from     date NOT NULL,
  valid_to       date,
  min_fine       oversight.amount NOT NULL,
  max_fine       oversight.amount NOT NULL,
  currency       oversight.currency NOT NULL DEFAULT 'CNY',
  legal_basis    text,
  source         text,
  PRIMARY KEY (violation_code, valid_from),
  CONSTRAINT discretion_band_ordered CHECK (min_fine <= max_fine),
  CONSTRAINT discretion_band_validity_ordered CHECK (valid_to IS NULL OR valid_to > valid_from)
);
COMMENT ON TABLE oversight.discretion_band IS 'Discretion standard (行政处罚裁量基准): the fine range allowed for each violation code, over time. Rule kind penalty_outside_band compares fines with it.';
COMMENT ON COLUMN oversight.discretion_band.violation_code IS 'Violation as coded in the standard (matches enforcement_case.violation_code).';
COMMENT ON COLUMN oversight.discretion_band.valid_from IS 'First day the band applies (decision date).';
COMMENT ON COLUMN oversight.discretion_band.valid_to IS 'First day it no longer applies (NULL: open-ended).';
COMMENT ON COLUMN oversight.discretion_band.min_fine IS 'Lowest fine allowed.';
COMMENT ON COLUMN oversight.discretion_band.max_fine IS 'Highest fine allowed.';
COMMENT ON COLUMN oversight.discretion_band.currency IS 'Currency of the range.';
COMMENT ON COLUMN oversight.discretion_band.legal_basis IS 'Article the violation falls under.';
COMMENT ON COLUMN oversight.discretion_band.source IS 'Document defining the band.';

-------------------------------------------------------------------------------------------------------
-- Watched tables.
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.watched_table (
  relid          regclass PRIMARY KEY,
  record_kind    text NOT NULL CONSTRAINT watched_table_record_kind_known
                   CHECK (record_kind IN ('payment', 'procurement', 'bid', 'contract', 'fund_allocation', 'enforcement')),
  column_mapping jsonb NOT NULL,
  key_columns    text[] NOT NULL CONSTRAINT watched_table_key_present CHECK (cardinality(key_columns) > 0),
  trigger_level  text NOT NULL CONSTRAINT watched_table_level_known CHECK (trigger_level IN ('statement', 'row')),
  is_canonical   boolean NOT NULL DEFAULT false,
  watched_at     timestamptz NOT NULL,
  watched_by     text NOT NULL
);
COMMENT ON TABLE oversight.watched_table IS 'Tables the rule engine watches: the canonical finance tables, and tables a DBA already has, mapped column by column onto a record kind.';
COMMENT ON COLUMN oversight.watched_table.relid IS 'The watched table.';
COMMENT ON COLUMN oversight.watched_table.record_kind IS 'Record kind its rows are checked as.';
COMMENT ON COLUMN oversight.watched_table.column_mapping IS 'Resolved mapping canonical field → column of the table (unmapped fields are NULL to the rules).';
COMMENT ON COLUMN oversight.watched_table.key_columns IS 'Columns identifying a row (object_key of its alerts).';
COMMENT ON COLUMN oversight.watched_table.trigger_level IS 'statement (transition tables: one batch per statement; default) or row (one-row batches).';
COMMENT ON COLUMN oversight.watched_table.is_canonical IS 'True for the extension''s own finance tables (watched at install).';
COMMENT ON COLUMN oversight.watched_table.watched_at IS 'oversight.now() when watching began.';
COMMENT ON COLUMN oversight.watched_table.watched_by IS 'session_user who attached the watch.';

CREATE FUNCTION oversight.watch(p_table regclass, p_record_kind text, p_column_mapping jsonb DEFAULT '{}', p_trigger_level text DEFAULT 'statement')
  RETURNS TABLE (mapped_fields text[], unmapped_fields text[], key_columns text[])
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  fields jsonb := oversight.record_kind_fields(p_record_kind);
  rel pg_catalog.pg_class;
  qualified text;
  resolved jsonb := '{}';
  keys text[];
  f text;
  col text;
  m record;
BEGIN
  SELECT * INTO rel FROM pg_catalog.pg_class WHERE oid = p_table;
  IF rel.relkind NOT IN ('r', 'p') THEN
    RAISE EXCEPTION '% is not a table', p_table USING ERRCODE = '42809';
  END IF;
  IF rel.relispartition THEN
    RAISE EXCEPTION '% is a partition: watch its partitioned table instead', p_table USING ERRCODE = '0A000';
  END IF;
  IF p_trigger_level NOT IN ('statement', 'row') THEN
    RAISE EXCEPTION 'trigger level must be statement or row, not "%"', p_trigger_level USING ERRCODE = '22023';
  END IF;
  IF pg_catalog.jsonb_typeof(p_column_mapping) <> 'object' THEN
    RAISE EXCEPTION 'the column mapping must be a JSON object {canonical field: column}' USING ERRCODE = '22023';
  END IF;
  qualified := pg_catalog.format('%I.%I', rel.relnamespace::regnamespace::text, rel.relname);
  FOR m IN SELECT key, value FROM pg_catalog.jsonb_each(p_column_mapping) LOOP
    IF m.key = '@key' THEN
      IF pg_catalog.jsonb_typeof(m.value) <> 'array' THEN
        RAISE EXCEPTION 'mapping "@key" must be an array of column names' USING ERRCODE = '22023';
      END IF;
      keys := ARRAY(SELECT pg_catalog.jsonb_array_elements_text(m.value));
      CONTINUE;
    END IF;
    IF NOT fields ? m.key THEN
      RAISE EXCEPTION 'mapping names "%", which is not a field of record kind %', m.key, p_record_kind USING ERRCODE = '22023',
        HINT = pg_catalog.format('Fields: %s.', (SELECT pg_catalog.string_agg(k, ', ') FROM pg_catalog.jsonb_object_keys(fields) k));
    END IF;
    IF pg_catalog.jsonb_typeof(m.value) <> 'string' THEN
      RAISE EXCEPTION 'mapping of field "%" must be a column name (string)', m.key USING ERRCODE = '22023';
    END IF;
  END LOOP;
  FOR f IN SELECT pg_catalog.jsonb_object_keys(fields) LOOP
    col := COALESCE(p_column_mapping ->> f, CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = p_table AND a.attname = f
                                                                  AND a.attnum > 0 AND NOT a.attisdropped) THEN f END);
    IF col IS NULL THEN
      CONTINUE;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = p_table AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped) THEN
      RAISE EXCEPTION 'table % has no column "%" (mapped from field %)', p_table, col, f USING ERRCODE = '42703';
    END IF;
    resolved := resolved || pg_catalog.jsonb_build_object(f, col);
  END LOOP;
  IF keys IS NULL THEN
    SELECT pg_catalog.array_agg(a.attname::text ORDER BY k.ord) INTO keys
      FROM pg_catalog.pg_constraint c
      CROSS JOIN LATERAL pg_catalog.unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
     WHERE c.conrelid = p_table AND c.contype = 'p';
  END IF;
  IF keys IS NULL OR cardinality(keys) = 0 THEN
    RAISE EXCEPTION 'table % has no primary key: name the columns identifying a row in the mapping as "@key": [...]', p_table
      USING ERRCODE = '22023';
  END IF;
  FOREACH col IN ARRAY keys LOOP
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = p_table AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped) THEN
      RAISE EXCEPTION 'table % has no key column "%"', p_table, col USING ERRCODE = '42703';
    END IF;
  END LOOP;
  IF NOT resolved ? 'amount' AND p_record_kind IN ('payment', 'fund_allocation') THEN
    RAISE EXCEPTION 'record kind % needs the field amount mapped', p_record_kind USING ERRCODE = '22023';
  END IF;

  -- Re-watching replaces the previous watch.
  FOR col IN SELECT t.tgname FROM pg_catalog.pg_trigger t WHERE t.tgrelid = p_table
                AND t.tgname IN ('oversight_engine_insert', 'oversight_engine_update', 'oversight_engine_row') LOOP
    EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', col, qualified);
  END LOOP;
  DELETE FROM oversight.watched_table w WHERE w.relid = p_table;

  IF p_trigger_level = 'statement' THEN
    EXECUTE pg_catalog.format('CREATE TRIGGER oversight_engine_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS oversight_new '
                              'FOR EACH STATEMENT EXECUTE FUNCTION oversight.engine_trigger()', qualified);
    EXECUTE pg_catalog.format('CREATE TRIGGER oversight_engine_update AFTER UPDATE ON %s REFERENCING NEW TABLE AS oversight_new '
                              'FOR EACH STATEMENT EXECUTE FUNCTION oversight.engine_trigger()', qualified);
    EXECUTE pg_catalog.format('COMMENT ON TRIGGER oversight_engine_insert ON %s IS %L', qualified,
                              'oversight rule engine: evaluates each INSERT statement''s rows in one batch (oversight.watch)');
    EXECUTE pg_catalog.format('COMMENT ON TRIGGER oversight_engine_update ON %s IS %L', qualified,
                              'oversight rule engine: evaluates each UPDATE statement''s new rows in one batch (oversight.watch)');
  ELSE
    EXECUTE pg_catalog.format('CREATE TRIGGER oversight_engine_row AFTER INSERT OR UPDATE ON %s '
                              'FOR EACH ROW EXECUTE FUNCTION oversight.engine_trigger()', qualified);
    EXECUTE pg_catalog.format('COMMENT ON TRIGGER oversight_engine_row ON %s IS %L', qualified,
                              'oversight rule engine: evaluates every written row (oversight.watch)');
  END IF;
  INSERT INTO oversight.watched_table (relid, record_kind, column_mapping, key_columns, trigger_level, is_canonical, watched_at, watched_by)
  VALUES (p_table, p_record_kind, resolved, keys, p_trigger_level,
          rel.relnamespace = 'oversight'::regnamespace, oversight.now(), session_user);
  -- The extension script's own watches of the canonical tables are not audited: CREATE EXTENSION
  -- recreates them on restore, and audit rows written by the script would be dumped as user data.
  IF COALESCE(pg_catalog.current_setting('oversight.extension_script', true), '') <> 'on' THEN
    PERFORM oversight.audit('system', 'oversight.watched_table', pg_catalog.jsonb_build_object('relid', qualified), NULL,
                            pg_catalog.jsonb_build_object('record_kind', p_record_kind, 'column_mapping', resolved, 'key_columns', keys,
                                                          'trigger_level', p_trigger_level), 'watch');
  END IF;
  mapped_fields := ARRAY(SELECT pg_catalog.jsonb_object_keys(resolved) ORDER BY 1);
  unmapped_fields := ARRAY(SELECT k FROM pg_catalog.jsonb_object_keys(fields) k WHERE NOT resolved ? k ORDER BY 1);
  key_columns := keys;
  RETURN NEXT;
END $$;
COMMENT ON FUNCTION oversight.watch(regclass, text, jsonb, text) IS
  'Attaches the rule engine to a table: maps its columns onto a record kind ({"canonical field": "column"}, same-named columns map themselves, "@key": [...] overrides the primary key) and creates AFTER triggers (statement level with transition tables by default, or row level). The table, its owner and its rows are not changed.';

CREATE FUNCTION oversight.unwatch(p_table regclass) RETURNS boolean
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  qualified text;
  trigger_name name;
BEGIN
  SELECT pg_catalog.format('%I.%I', c.relnamespace::regnamespace::text, c.relname) INTO qualified FROM pg_catalog.pg_class c WHERE c.oid = p_table;
  IF NOT EXISTS (SELECT FROM oversight.watched_table w WHERE w.relid = p_table) THEN
    RETURN false;
  END IF;
  FOR trigger_name IN SELECT t.tgname FROM pg_catalog.pg_trigger t WHERE t.tgrelid = p_table
                        AND t.tgname IN ('oversight_engine_insert', 'oversight_engine_update', 'oversight_engine_row') LOOP
    EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', trigger_name, qualified);
  END LOOP;
  DELETE FROM oversight.watched_table w WHERE w.relid = p_table;
  PERFORM oversight.audit('system', 'oversight.watched_table', pg_catalog.jsonb_build_object('relid', qualified), NULL, NULL, 'unwatch');
  RETURN true;
END $$;
COMMENT ON FUNCTION oversight.unwatch(regclass) IS 'Removes the rule engine''s triggers from a table and forgets its mapping; the table is left exactly as it was (its alerts are kept). Returns false when it was not watched.';

-------------------------------------------------------------------------------------------------------
-- Alerts, their lifecycle events, waivers and engine faults.
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.alert (
  alert_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  fingerprint     text NOT NULL CONSTRAINT alert_fingerprint_unique UNIQUE,
  -- No foreign keys on the engine's hot path (a bulk load records alerts by the hundred thousand and
  -- foreign-key checks run per row): alerts are written only by oversight.record_hits(), which joins
  -- the approved rule version, and approved or retired versions can never be deleted.
  rule_code       text NOT NULL,
  rule_version_id bigint NOT NULL,
  first_rule_version_id bigint NOT NULL,
  node_code       text NOT NULL,
  severity        text NOT NULL,
  blocking        boolean NOT NULL DEFAULT false,
  object_table    text NOT NULL,
  object_key      jsonb NOT NULL,
  period          text NOT NULL DEFAULT '',
  unit_code       text,
  message         text NOT NULL,
  details         jsonb,
  status          text NOT NULL DEFAULT 'open' CONSTRAINT alert_status_known
                    CHECK (status IN ('open', 'acknowledged', 'corrected', 'justified', 'false_positive', 'closed')),
  repeat_count    integer NOT NULL DEFAULT 1,
  first_fired_at  timestamptz NOT NULL,
  last_fired_at   timestamptz NOT NULL,
  last_path       text NOT NULL CONSTRAINT alert_path_known CHECK (last_path IN ('row', 'statement', 'sweep')),
  status_changed_at timestamptz,
  status_changed_by text,
  snoozed_until   timestamptz,
  muted_count     integer NOT NULL DEFAULT 0,
  last_muted_at   timestamptz
);
CREATE INDEX alert_open_by_rule ON oversight.alert (rule_code, status);
COMMENT ON INDEX oversight.alert_open_by_rule IS 'Alerts by rule and status (noise statistics, open lists).';
CREATE INDEX alert_object ON oversight.alert (object_table, object_key);
COMMENT ON INDEX oversight.alert_object IS 'Alerts of one object.';
COMMENT ON TABLE oversight.alert IS
  'One alert per (rule, object, period) fingerprint. A recurrence increments repeat_count and reopens a closed or corrected alert instead of creating a new one. Lifecycle: open → acknowledged → corrected / justified / false_positive → closed.';
COMMENT ON COLUMN oversight.alert.alert_id IS 'Alert number.';
COMMENT ON COLUMN oversight.alert.fingerprint IS 'md5(rule_code | object_table | object_key | period): identity of the matter.';
COMMENT ON COLUMN oversight.alert.rule_code IS 'Rule that fired.';
COMMENT ON COLUMN oversight.alert.rule_version_id IS 'Rule version that fired last.';
COMMENT ON COLUMN oversight.alert.first_rule_version_id IS 'Rule version that fired first.';
COMMENT ON COLUMN oversight.alert.node_code IS 'Key node the rule guards.';
COMMENT ON COLUMN oversight.alert.severity IS 'Severity of the version that fired last.';
COMMENT ON COLUMN oversight.alert.blocking IS 'True when that version is a preventive hold.';
COMMENT ON COLUMN oversight.alert.object_table IS 'Table of the object (the watched table, or oversight.contract / oversight.budget_project for aggregate rules).';
COMMENT ON COLUMN oversight.alert.object_key IS 'Key of the object as a JSON object (e.g. {"payment_code": "P1"}, or {"budget_project_code": …, "category_code": …}).';
COMMENT ON COLUMN oversight.alert.period IS 'Period of the matter for periodic rules (e.g. FY2025, 2025-06), empty otherwise.';
COMMENT ON COLUMN oversight.alert.unit_code IS 'Organisational unit of the object (row-level security).';
COMMENT ON COLUMN oversight.alert.message IS 'What was found, from the last firing.';
COMMENT ON COLUMN oversight.alert.details IS 'Figures behind the finding (amounts, thresholds, related objects).';
COMMENT ON COLUMN oversight.alert.status IS 'open, acknowledged, corrected, justified, false_positive or closed.';
COMMENT ON COLUMN oversight.alert.repeat_count IS 'Number of evaluations (statements, sweeps) that found the matter.';
COMMENT ON COLUMN oversight.alert.first_fired_at IS 'oversight.now() of the first finding.';
COMMENT ON COLUMN oversight.alert.last_fired_at IS 'oversight.now() of the last finding.';
COMMENT ON COLUMN oversight.alert.last_path IS 'How it was last found: row, statement (batch) or sweep.';
COMMENT ON COLUMN oversight.alert.status_changed_at IS 'When the status last changed.';
COMMENT ON COLUMN oversight.alert.status_changed_by IS 'Who changed it (session_user; "system" for reopenings).';
COMMENT ON COLUMN oversight.alert.snoozed_until IS 'Notifications muted until then; evaluation continues.';
COMMENT ON COLUMN oversight.alert.muted_count IS 'Findings that were muted (snoozed or waived) instead of notified.';
COMMENT ON COLUMN oversight.alert.last_muted_at IS 'When a finding was last muted.';

CREATE TABLE oversight.alert_event (
  event_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id    bigint NOT NULL, -- no foreign key: written with its alert by the engine or the lifecycle functions (see oversight.alert)
  event_at    timestamptz NOT NULL,
  actor       text NOT NULL,
  event       text NOT NULL CONSTRAINT alert_event_known
                CHECK (event IN ('opened', 'reopened', 'transition', 'snoozed', 'unsnoozed', 'snooze_expired',
                                 'waiver_requested', 'waiver_approved', 'waiver_rejected', 'waiver_revoked', 'waiver_expired')),
  from_status text,
  to_status   text,
  reason      text,
  rule_version_id bigint,
  waiver_id   bigint
);
CREATE INDEX alert_event_alert ON oversight.alert_event (alert_id, event_id);
COMMENT ON INDEX oversight.alert_event_alert IS 'History of one alert in order.';
COMMENT ON TABLE oversight.alert_event IS 'Every step in an alert''s life: opened, reopened by recurrence, transitions, snoozes, waivers; with actor, time (oversight.now()) and reason.';
COMMENT ON COLUMN oversight.alert_event.event_id IS 'Event number.';
COMMENT ON COLUMN oversight.alert_event.alert_id IS 'Alert concerned.';
COMMENT ON COLUMN oversight.alert_event.event_at IS 'oversight.now() of the event.';
COMMENT ON COLUMN oversight.alert_event.actor IS 'session_user who acted (the writer whose statement fired the rule, for opened/reopened).';
COMMENT ON COLUMN oversight.alert_event.event IS 'Kind of event.';
COMMENT ON COLUMN oversight.alert_event.from_status IS 'Status before.';
COMMENT ON COLUMN oversight.alert_event.to_status IS 'Status after.';
COMMENT ON COLUMN oversight.alert_event.reason IS 'Reason given (mandatory for justified, false_positive, reopening, snoozes and waivers).';
COMMENT ON COLUMN oversight.alert_event.rule_version_id IS 'Rule version that fired (opened, reopened).';
COMMENT ON COLUMN oversight.alert_event.waiver_id IS 'Waiver concerned (waiver events).';

CREATE TABLE oversight.waiver (
  waiver_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id     bigint NOT NULL REFERENCES oversight.alert ON DELETE CASCADE,
  reason       text NOT NULL CONSTRAINT waiver_reason_present CHECK (btrim(reason) <> ''),
  requested_by text NOT NULL,
  requested_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  status       text NOT NULL DEFAULT 'requested' CONSTRAINT waiver_status_known
                 CHECK (status IN ('requested', 'approved', 'rejected', 'revoked', 'expired')),
  decided_by   text,
  decided_at   timestamptz,
  decision_note text,
  CONSTRAINT waiver_requester_is_not_approver CHECK (decided_by IS DISTINCT FROM requested_by),
  CONSTRAINT waiver_expires_after_request CHECK (expires_at > requested_at)
);
CREATE INDEX waiver_alert ON oversight.waiver (alert_id, status);
COMMENT ON INDEX oversight.waiver_alert IS 'Waivers of one alert.';
COMMENT ON TABLE oversight.waiver IS 'Waivers (accepted exceptions) of an alert: requested, then approved by someone else (requester ≠ approver, enforced), until an expiry; an expired waiver sends the alert back to review (status open).';
COMMENT ON COLUMN oversight.waiver.waiver_id IS 'Waiver number.';
COMMENT ON COLUMN oversight.waiver.alert_id IS 'Alert waived.';
COMMENT ON COLUMN oversight.waiver.reason IS 'Why the exception is accepted.';
COMMENT ON COLUMN oversight.waiver.requested_by IS 'session_user who asked.';
COMMENT ON COLUMN oversight.waiver.requested_at IS 'oversight.now() of the request.';
COMMENT ON COLUMN oversight.waiver.expires_at IS 'End of the waiver.';
COMMENT ON COLUMN oversight.waiver.status IS 'requested, approved, rejected, revoked or expired.';
COMMENT ON COLUMN oversight.waiver.decided_by IS 'session_user who approved, rejected or revoked it (never the requester).';
COMMENT ON COLUMN oversight.waiver.decided_at IS 'When.';
COMMENT ON COLUMN oversight.waiver.decision_note IS 'Note of the decision.';

CREATE TABLE oversight.engine_fault (
  fault_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at     timestamptz NOT NULL,
  rule_version_id bigint REFERENCES oversight.rule_version,
  rule_code       text,
  object_table    text NOT NULL,
  object_key      jsonb,
  sqlstate        text NOT NULL,
  message         text NOT NULL,
  detail          text,
  path            text NOT NULL CONSTRAINT engine_fault_path_known CHECK (path IN ('row', 'statement', 'sweep')),
  batch_rows      bigint,
  actor           text NOT NULL
);
CREATE INDEX engine_fault_rule ON oversight.engine_fault (rule_code, occurred_at);
COMMENT ON INDEX oversight.engine_fault_rule IS 'Faults by rule over time.';
COMMENT ON TABLE oversight.engine_fault IS 'Evaluation errors of the rule engine (a C++ exception or PostgreSQL error inside a rule). The rule''s work was rolled back; the business rows were kept.';
COMMENT ON COLUMN oversight.engine_fault.fault_id IS 'Fault number.';
COMMENT ON COLUMN oversight.engine_fault.occurred_at IS 'oversight.now() of the fault.';
COMMENT ON COLUMN oversight.engine_fault.rule_version_id IS 'Rule version that failed (NULL: the engine''s row pass as a whole).';
COMMENT ON COLUMN oversight.engine_fault.rule_code IS 'Rule that failed.';
COMMENT ON COLUMN oversight.engine_fault.object_table IS 'Watched table being evaluated.';
COMMENT ON COLUMN oversight.engine_fault.object_key IS 'Row that failed, for a row-local rule.';
COMMENT ON COLUMN oversight.engine_fault.sqlstate IS 'SQLSTATE of the error.';
COMMENT ON COLUMN oversight.engine_fault.message IS 'Error message.';
COMMENT ON COLUMN oversight.engine_fault.detail IS 'Error detail.';
COMMENT ON COLUMN oversight.engine_fault.path IS 'row, statement or sweep.';
COMMENT ON COLUMN oversight.engine_fault.batch_rows IS 'Rows in the batch being evaluated.';
COMMENT ON COLUMN oversight.engine_fault.actor IS 'session_user whose write (or sweep) was evaluated.';

CREATE FUNCTION oversight.alert_payload(p_alert_id bigint, p_rule_code text, p_rule_version integer, p_rule_version_id bigint, p_severity text,
                                        p_status text, p_object_table text, p_object_key jsonb, p_period text, p_unit_code text,
                                        p_fingerprint text, p_repeat_count integer, p_message text, p_fired_at timestamptz, p_path text,
                                        p_node_code text, p_blocking boolean)
  RETURNS jsonb
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.jsonb_build_object(
    'alert_id', p_alert_id, 'rule_code', p_rule_code, 'rule_version', p_rule_version, 'rule_version_id', p_rule_version_id,
    'severity', p_severity, 'status', p_status, 'object_table', p_object_table, 'object_key', p_object_key, 'period', p_period,
    'unit_code', p_unit_code, 'fingerprint', p_fingerprint, 'repeat_count', p_repeat_count,
    'message', pg_catalog.left(p_message, 1000), 'fired_at', p_fired_at, 'path', p_path, 'node_code', p_node_code, 'blocking', p_blocking)
$$;
COMMENT ON FUNCTION oversight.alert_payload(bigint, text, integer, bigint, text, text, text, jsonb, text, text, text, integer, text, timestamptz, text, text, boolean) IS
  'The documented NOTIFY payload on channel oversight_alerts (JSON): alert_id, rule_code, rule_version, rule_version_id, severity, status, object_table, object_key (JSON object), period, unit_code, fingerprint, repeat_count, message (first 1000 characters), fired_at, path, node_code, blocking. Sent for every finding that is not muted by a snooze or waiver, at commit.';

-------------------------------------------------------------------------------------------------------
-- Recording findings (called by the engine as the schema owner; nobody else may call these).
-------------------------------------------------------------------------------------------------------
CREATE FUNCTION oversight.record_hits(p_rule_version_ids bigint[], p_object_tables text[], p_object_keys jsonb[], p_periods text[],
                                      p_unit_codes text[], p_messages text[], p_details jsonb[], p_path text)
  RETURNS TABLE (hits integer, opened integer, reopened integer, notified integer, muted integer, blocking_message text)
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
  SET jit = off -- the array sizes are unknown to the planner; JIT compilation would cost more than the statement
  -- Every table access here is a keyed lookup (fingerprint, alert id, rule version): never a scan. Its
  -- cached plan would otherwise keep the sequential scan of oversight.alert chosen while the table was
  -- small, and row-level evaluation of a long load would slow down as the alerts grow.
  SET enable_seqscan = off
AS $$
DECLARE
  v_now timestamptz := oversight.now();
  v_reopened bigint[];
  reopened_alert record;
BEGIN
  WITH h AS (
    SELECT DISTINCT ON (f.fp) u.rv, u.tb, u.k, COALESCE(u.per, '') AS per, u.unit, u.msg, u.det, v.rule_code, v.version, v.severity,
           v.blocking, r.node_code, f.fp
      FROM ROWS FROM (pg_catalog.unnest(p_rule_version_ids), pg_catalog.unnest(p_object_tables), pg_catalog.unnest(p_object_keys),
                      pg_catalog.unnest(p_periods), pg_catalog.unnest(p_unit_codes), pg_catalog.unnest(p_messages), pg_catalog.unnest(p_details))
             WITH ORDINALITY AS u(rv, tb, k, per, unit, msg, det, ord)
      JOIN oversight.rule_version v ON v.rule_version_id = u.rv
      JOIN oversight.rule r ON r.rule_code = v.rule_code
     CROSS JOIN LATERAL (SELECT pg_catalog.md5(v.rule_code || '|' || u.tb || '|' || u.k::text || '|' || COALESCE(u.per, ''))) AS f(fp)
     ORDER BY f.fp, u.ord),
  prev AS (
    SELECT a.alert_id, a.fingerprint, a.status,
           (a.snoozed_until IS NOT NULL AND a.snoozed_until > v_now) AS snoozed,
           EXISTS (SELECT FROM oversight.waiver w WHERE w.alert_id = a.alert_id AND w.status = 'approved' AND w.expires_at > v_now) AS waived
      -- one probe of the fingerprint index per finding (LIMIT keeps the lookup a parameterised index
      -- scan: a join could hash the whole alert table, per written row at row level)
      FROM h CROSS JOIN LATERAL (SELECT * FROM oversight.alert x WHERE x.fingerprint = h.fp LIMIT 1) a),
  up AS (
    INSERT INTO oversight.alert AS a (fingerprint, rule_code, rule_version_id, first_rule_version_id, node_code, severity, blocking,
                                      object_table, object_key, period, unit_code, message, details, status, repeat_count,
                                      first_fired_at, last_fired_at, last_path)
    SELECT h.fp, h.rule_code, h.rv, h.rv, h.node_code, h.severity, h.blocking, h.tb, h.k, h.per, h.unit, h.msg, h.det, 'open', 1,
           v_now, v_now, p_path
      FROM h
    ON CONFLICT (fingerprint) DO UPDATE SET
      repeat_count = a.repeat_count + 1,
      last_fired_at = EXCLUDED.last_fired_at,
      rule_version_id = EXCLUDED.rule_version_id,
      severity = EXCLUDED.severity,
      blocking = EXCLUDED.blocking,
      message = EXCLUDED.message,
      details = EXCLUDED.details,
      unit_code = EXCLUDED.unit_code,
      last_path = EXCLUDED.last_path,
      status = CASE WHEN a.status IN ('closed', 'corrected')
                     AND NOT EXISTS (SELECT FROM oversight.waiver w WHERE w.alert_id = a.alert_id AND w.status = 'approved' AND w.expires_at > v_now)
                    THEN 'open' ELSE a.status END,
      status_changed_at = CASE WHEN a.status IN ('closed', 'corrected')
                     AND NOT EXISTS (SELECT FROM oversight.waiver w WHERE w.alert_id = a.alert_id AND w.status = 'approved' AND w.expires_at > v_now)
                    THEN v_now ELSE a.status_changed_at END,
      status_changed_by = CASE WHEN a.status IN ('closed', 'corrected')
                     AND NOT EXISTS (SELECT FROM oversight.waiver w WHERE w.alert_id = a.alert_id AND w.status = 'approved' AND w.expires_at > v_now)
                    THEN 'system' ELSE a.status_changed_by END,
      muted_count = a.muted_count + CASE WHEN (a.snoozed_until IS NOT NULL AND a.snoozed_until > v_now)
                     OR EXISTS (SELECT FROM oversight.waiver w WHERE w.alert_id = a.alert_id AND w.status = 'approved' AND w.expires_at > v_now)
                    THEN 1 ELSE 0 END,
      last_muted_at = CASE WHEN (a.snoozed_until IS NOT NULL AND a.snoozed_until > v_now)
                     OR EXISTS (SELECT FROM oversight.waiver w WHERE w.alert_id = a.alert_id AND w.status = 'approved' AND w.expires_at > v_now)
                    THEN v_now ELSE a.last_muted_at END
    RETURNING a.*),
  classified AS (
    -- (the rule version's number by its id: no join back to h on the fingerprint, which sorted every
    -- upserted row on bulk loads)
    SELECT up.*, p.alert_id IS NULL AS is_new, (p.status IS NOT NULL AND p.status <> up.status) AS is_reopened,
           COALESCE(p.snoozed OR p.waived, false) AS is_muted, v.version
      FROM up JOIN oversight.rule_version v ON v.rule_version_id = up.rule_version_id
      LEFT JOIN prev p ON p.fingerprint = up.fingerprint),
  ev AS (
    INSERT INTO oversight.alert_event (alert_id, event_at, actor, event, from_status, to_status, reason, rule_version_id)
    SELECT c.alert_id, v_now, session_user, CASE WHEN c.is_new THEN 'opened' ELSE 'reopened' END,
           CASE WHEN c.is_new THEN NULL ELSE (SELECT p.status FROM prev p WHERE p.alert_id = c.alert_id) END, c.status,
           CASE WHEN c.is_new THEN 'rule fired' ELSE 'the matter recurred' END, c.rule_version_id
      FROM classified c WHERE c.is_new OR c.is_reopened
    RETURNING 1),
  nt AS (
    -- The payload of oversight.alert_payload(), written out here: a function with a SET clause is not
    -- inlined and would cost a call per finding on bulk loads. Test 209 pins the two together.
    SELECT pg_catalog.pg_notify('oversight_alerts', pg_catalog.jsonb_build_object(
             'alert_id', c.alert_id, 'rule_code', c.rule_code, 'rule_version', c.version, 'rule_version_id', c.rule_version_id,
             'severity', c.severity, 'status', c.status, 'object_table', c.object_table, 'object_key', c.object_key, 'period', c.period,
             'unit_code', c.unit_code, 'fingerprint', c.fingerprint, 'repeat_count', c.repeat_count,
             'message', pg_catalog.left(c.message, 1000), 'fired_at', c.last_fired_at, 'path', c.last_path, 'node_code', c.node_code,
             'blocking', c.blocking)::text) AS sent
      FROM classified c WHERE NOT c.is_muted)
  SELECT (SELECT count(*) FROM h)::integer,
         (SELECT count(*) FROM classified WHERE is_new)::integer,
         (SELECT count(*) FROM classified WHERE is_reopened)::integer,
         (SELECT count(*) FROM nt)::integer + (SELECT count(*) FROM ev)::integer * 0,
         (SELECT count(*) FROM classified WHERE is_muted)::integer,
         (SELECT 'rule ' || c.rule_code || ' v' || c.version || ': ' || c.message FROM classified c
           WHERE c.blocking AND NOT EXISTS (SELECT FROM oversight.waiver w WHERE w.alert_id = c.alert_id AND w.status = 'approved' AND w.expires_at > v_now)
           ORDER BY c.alert_id LIMIT 1),
         (SELECT pg_catalog.array_agg(alert_id) FROM classified WHERE is_reopened)
    INTO hits, opened, reopened, notified, muted, blocking_message, v_reopened;
  -- Reopenings are lifecycle steps taken by the system: audited like manual transitions.
  FOR reopened_alert IN SELECT al.alert_id, al.rule_code, al.object_table, al.object_key FROM oversight.alert al
                         WHERE al.alert_id = ANY (COALESCE(v_reopened, '{}')) LOOP
    PERFORM oversight.audit('transition', 'oversight.alert', pg_catalog.jsonb_build_object('alert_id', reopened_alert.alert_id),
                            NULL, pg_catalog.jsonb_build_object('status', 'open', 'rule_code', reopened_alert.rule_code,
                                                                'object_key', reopened_alert.object_key),
                            'reopened: the matter recurred');
  END LOOP;
  RETURN NEXT;
END $$;
COMMENT ON FUNCTION oversight.record_hits(bigint[], text[], jsonb[], text[], text[], text[], jsonb[], text) IS
  'Records the findings of one rule evaluation set-based: upserts alerts by fingerprint (repeat count, reopening), logs opened/reopened events, and notifies channel oversight_alerts unless the alert is snoozed or waived. Returns counts and the first unwaived blocking finding. Engine-internal.';
REVOKE ALL ON FUNCTION oversight.record_hits(bigint[], text[], jsonb[], text[], text[], text[], jsonb[], text) FROM PUBLIC;

CREATE FUNCTION oversight.record_fault(p_rule_version_id bigint, p_object_table text, p_object_key jsonb, p_sqlstate text,
                                       p_message text, p_detail text, p_path text, p_batch_rows bigint)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  id bigint;
  code text;
BEGIN
  SELECT v.rule_code INTO code FROM oversight.rule_version v WHERE v.rule_version_id = p_rule_version_id;
  INSERT INTO oversight.engine_fault (occurred_at, rule_version_id, rule_code, object_table, object_key, sqlstate, message, detail, path, batch_rows, actor)
  VALUES (oversight.now(), p_rule_version_id, code, p_object_table, p_object_key, p_sqlstate, p_message, p_detail, p_path, p_batch_rows, session_user)
  RETURNING fault_id INTO id;
  PERFORM pg_catalog.pg_notify('oversight_faults', pg_catalog.json_build_object('fault_id', id, 'rule_code', code, 'object_table', p_object_table,
                                 'object_key', p_object_key, 'sqlstate', p_sqlstate, 'message', pg_catalog.left(p_message, 1000))::text);
  RAISE WARNING 'oversight: rule % failed on %: % (SQLSTATE %); the row was kept, see oversight.engine_fault %',
    COALESCE(code, '(row pass)'), p_object_table, p_message, p_sqlstate, id;
  RETURN id;
END $$;
COMMENT ON FUNCTION oversight.record_fault(bigint, text, jsonb, text, text, text, text, bigint) IS 'Records an engine fault, notifies channel oversight_faults and warns the writer. Engine-internal.';
REVOKE ALL ON FUNCTION oversight.record_fault(bigint, text, jsonb, text, text, text, text, bigint) FROM PUBLIC;

-------------------------------------------------------------------------------------------------------
-- Alert lifecycle (inspectors). Every step is an alert_event and an audit entry.
-------------------------------------------------------------------------------------------------------
CREATE FUNCTION oversight.transition_alert(p_alert_id bigint, p_to_status text, p_reason text DEFAULT NULL)
  RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  a oversight.alert;
  allowed text[];
BEGIN
  SELECT * INTO a FROM oversight.alert WHERE alert_id = p_alert_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown alert %', p_alert_id USING ERRCODE = '22023';
  END IF;
  allowed := CASE a.status
    WHEN 'open' THEN ARRAY['acknowledged', 'corrected', 'justified', 'false_positive']
    WHEN 'acknowledged' THEN ARRAY['corrected', 'justified', 'false_positive']
    WHEN 'corrected' THEN ARRAY['closed', 'open']
    WHEN 'justified' THEN ARRAY['closed', 'open']
    WHEN 'false_positive' THEN ARRAY['closed', 'open']
    WHEN 'closed' THEN ARRAY['open'] END;
  IF NOT p_to_status = ANY (allowed) THEN
    RAISE EXCEPTION 'alert %: % → % is not a permitted transition', p_alert_id, a.status, p_to_status USING ERRCODE = '55000',
      HINT = pg_catalog.format('From %s: %s.', a.status, pg_catalog.array_to_string(allowed, ', '));
  END IF;
  IF p_to_status IN ('justified', 'false_positive', 'open', 'corrected') AND (p_reason IS NULL OR btrim(p_reason) = '') THEN
    RAISE EXCEPTION 'alert %: a reason is required to set status %', p_alert_id, p_to_status USING ERRCODE = '22023';
  END IF;
  UPDATE oversight.alert SET status = p_to_status, status_changed_at = oversight.now(), status_changed_by = session_user
   WHERE alert_id = p_alert_id;
  INSERT INTO oversight.alert_event (alert_id, event_at, actor, event, from_status, to_status, reason)
  VALUES (p_alert_id, oversight.now(), session_user, 'transition', a.status, p_to_status, p_reason);
  PERFORM oversight.audit('transition', 'oversight.alert', pg_catalog.jsonb_build_object('alert_id', p_alert_id),
                          pg_catalog.jsonb_build_object('status', a.status), pg_catalog.jsonb_build_object('status', p_to_status), p_reason);
  RETURN p_to_status;
END $$;
COMMENT ON FUNCTION oversight.transition_alert(bigint, text, text) IS
  'Moves an alert along its lifecycle: open → acknowledged → corrected / justified / false_positive → closed, and back to open (reopen). A reason is mandatory for corrected, justified, false_positive and reopening. Recorded in alert_event and the audit chain.';

CREATE FUNCTION oversight.acknowledge_alert(p_alert_id bigint, p_note text DEFAULT NULL) RETURNS text
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT oversight.transition_alert(p_alert_id, 'acknowledged', p_note) $$;
COMMENT ON FUNCTION oversight.acknowledge_alert(bigint, text) IS 'open → acknowledged (stops escalation, not evaluation).';
CREATE FUNCTION oversight.correct_alert(p_alert_id bigint, p_reason text) RETURNS text
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT oversight.transition_alert(p_alert_id, 'corrected', p_reason) $$;
COMMENT ON FUNCTION oversight.correct_alert(bigint, text) IS '→ corrected: the matter was remedied (say how). A recurrence reopens it.';
CREATE FUNCTION oversight.justify_alert(p_alert_id bigint, p_reason text) RETURNS text
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT oversight.transition_alert(p_alert_id, 'justified', p_reason) $$;
COMMENT ON FUNCTION oversight.justify_alert(bigint, text) IS '→ justified: the finding is real but accepted, with a mandatory reason (not the same as remedied).';
CREATE FUNCTION oversight.mark_false_positive(p_alert_id bigint, p_reason text) RETURNS text
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT oversight.transition_alert(p_alert_id, 'false_positive', p_reason) $$;
COMMENT ON FUNCTION oversight.mark_false_positive(bigint, text) IS '→ false_positive: the rule was wrong here (reason mandatory); counted in oversight.rule_noise.';
CREATE FUNCTION oversight.close_alert(p_alert_id bigint, p_note text DEFAULT NULL) RETURNS text
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT oversight.transition_alert(p_alert_id, 'closed', p_note) $$;
COMMENT ON FUNCTION oversight.close_alert(bigint, text) IS 'corrected / justified / false_positive → closed.';
CREATE FUNCTION oversight.reopen_alert(p_alert_id bigint, p_reason text) RETURNS text
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT oversight.transition_alert(p_alert_id, 'open', p_reason) $$;
COMMENT ON FUNCTION oversight.reopen_alert(bigint, text) IS 'Reopens a resolved or closed alert by hand (reason mandatory).';

CREATE FUNCTION oversight.snooze_alert(p_alert_id bigint, p_until timestamptz, p_reason text) RETURNS timestamptz
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF p_reason IS NULL OR btrim(p_reason) = '' THEN
    RAISE EXCEPTION 'a reason is required to snooze alert %', p_alert_id USING ERRCODE = '22023';
  END IF;
  IF p_until IS NULL OR p_until <= oversight.now() THEN
    RAISE EXCEPTION 'a snooze must end in the future (now is %)', oversight.now() USING ERRCODE = '22023';
  END IF;
  UPDATE oversight.alert SET snoozed_until = p_until WHERE alert_id = p_alert_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown alert %', p_alert_id USING ERRCODE = '22023';
  END IF;
  INSERT INTO oversight.alert_event (alert_id, event_at, actor, event, reason)
  VALUES (p_alert_id, oversight.now(), session_user, 'snoozed', p_reason || ' (until ' || p_until || ')');
  PERFORM oversight.audit('transition', 'oversight.alert', pg_catalog.jsonb_build_object('alert_id', p_alert_id), NULL,
                          pg_catalog.jsonb_build_object('snoozed_until', p_until), p_reason);
  RETURN p_until;
END $$;
COMMENT ON FUNCTION oversight.snooze_alert(bigint, timestamptz, text) IS 'Mutes an alert''s notifications until a time; evaluation continues and every muted finding is counted (muted_count, last_muted_at).';

CREATE FUNCTION oversight.unsnooze_alert(p_alert_id bigint, p_reason text DEFAULT NULL) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  UPDATE oversight.alert SET snoozed_until = NULL WHERE alert_id = p_alert_id AND snoozed_until IS NOT NULL;
  IF FOUND THEN
    INSERT INTO oversight.alert_event (alert_id, event_at, actor, event, reason) VALUES (p_alert_id, oversight.now(), session_user, 'unsnoozed', p_reason);
    PERFORM oversight.audit('transition', 'oversight.alert', pg_catalog.jsonb_build_object('alert_id', p_alert_id), NULL,
                            pg_catalog.jsonb_build_object('snoozed_until', NULL), p_reason);
  END IF;
END $$;
COMMENT ON FUNCTION oversight.unsnooze_alert(bigint, text) IS 'Ends a snooze early.';

CREATE FUNCTION oversight.request_waiver(p_alert_id bigint, p_reason text, p_expires_at timestamptz) RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE id bigint;
BEGIN
  IF NOT EXISTS (SELECT FROM oversight.alert WHERE alert_id = p_alert_id) THEN
    RAISE EXCEPTION 'unknown alert %', p_alert_id USING ERRCODE = '22023';
  END IF;
  IF p_reason IS NULL OR btrim(p_reason) = '' THEN
    RAISE EXCEPTION 'a waiver needs a reason' USING ERRCODE = '22023';
  END IF;
  IF p_expires_at IS NULL OR p_expires_at <= oversight.now()
     OR p_expires_at > oversight.now() + pg_catalog.make_interval(days => oversight.setting_value('alerts.waiver_max_days')::integer) THEN
    RAISE EXCEPTION 'a waiver must expire in the future and within % days', oversight.setting_value('alerts.waiver_max_days') USING ERRCODE = '22023';
  END IF;
  INSERT INTO oversight.waiver (alert_id, reason, requested_by, requested_at, expires_at)
  VALUES (p_alert_id, p_reason, session_user, oversight.now(), p_expires_at) RETURNING waiver_id INTO id;
  INSERT INTO oversight.alert_event (alert_id, event_at, actor, event, reason, waiver_id)
  VALUES (p_alert_id, oversight.now(), session_user, 'waiver_requested', p_reason, id);
  PERFORM oversight.audit('transition', 'oversight.waiver', pg_catalog.jsonb_build_object('waiver_id', id), NULL,
                          pg_catalog.jsonb_build_object('alert_id', p_alert_id, 'status', 'requested', 'expires_at', p_expires_at), p_reason);
  RETURN id;
END $$;
COMMENT ON FUNCTION oversight.request_waiver(bigint, text, timestamptz) IS 'Asks for a waiver of an alert until an expiry (at most setting alerts.waiver_max_days); someone else must approve it.';

CREATE FUNCTION oversight.decide_waiver(p_waiver_id bigint, p_decision text, p_note text DEFAULT NULL) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE w oversight.waiver;
BEGIN
  SELECT * INTO w FROM oversight.waiver WHERE waiver_id = p_waiver_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown waiver %', p_waiver_id USING ERRCODE = '22023';
  END IF;
  IF NOT ((w.status = 'requested' AND p_decision IN ('approved', 'rejected')) OR (w.status = 'approved' AND p_decision = 'revoked')) THEN
    RAISE EXCEPTION 'waiver % is %: it cannot be %', p_waiver_id, w.status, p_decision USING ERRCODE = '55000';
  END IF;
  IF w.requested_by = session_user THEN
    RAISE EXCEPTION 'waiver %: the requester (%) cannot decide on it', p_waiver_id, w.requested_by USING ERRCODE = '42501',
      HINT = 'Another inspector must approve, reject or revoke it.';
  END IF;
  IF p_decision = 'approved' AND w.expires_at <= oversight.now() THEN
    RAISE EXCEPTION 'waiver % has already expired', p_waiver_id USING ERRCODE = '55000';
  END IF;
  UPDATE oversight.waiver SET status = p_decision, decided_by = session_user, decided_at = oversight.now(), decision_note = p_note
   WHERE waiver_id = p_waiver_id;
  INSERT INTO oversight.alert_event (alert_id, event_at, actor, event, reason, waiver_id)
  VALUES (w.alert_id, oversight.now(), session_user, 'waiver_' || p_decision, p_note, p_waiver_id);
  PERFORM oversight.audit('transition', 'oversight.waiver', pg_catalog.jsonb_build_object('waiver_id', p_waiver_id),
                          pg_catalog.jsonb_build_object('status', w.status), pg_catalog.jsonb_build_object('status', p_decision), p_note);
  RETURN p_decision;
END $$;
COMMENT ON FUNCTION oversight.decide_waiver(bigint, text, text) IS 'Approves or rejects a requested waiver, or revokes an approved one; the requester can never decide (also enforced by a CHECK constraint).';

-------------------------------------------------------------------------------------------------------
-- The sweeper: deadline rules, expired snoozes and waivers.
-------------------------------------------------------------------------------------------------------
CREATE FUNCTION oversight.sweep(p_as_of timestamptz DEFAULT NULL)
  RETURNS TABLE (tables_swept integer, rules_run integer, snoozes_expired integer, waivers_expired integer, faults integer)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  as_of timestamptz := COALESCE(p_as_of, oversight.now());
  t regclass;
  first_fault bigint := COALESCE((SELECT max(fault_id) FROM oversight.engine_fault), 0);
  w record;
BEGIN
  tables_swept := 0; rules_run := 0; snoozes_expired := 0; waivers_expired := 0;
  FOR t IN SELECT relid FROM oversight.watched_table ORDER BY relid::text LOOP
    rules_run := rules_run + oversight.sweep_table(t, as_of);
    tables_swept := tables_swept + 1;
  END LOOP;
  WITH s AS (UPDATE oversight.alert SET snoozed_until = NULL WHERE snoozed_until IS NOT NULL AND snoozed_until <= as_of RETURNING alert_id),
       e AS (INSERT INTO oversight.alert_event (alert_id, event_at, actor, event, reason)
             SELECT alert_id, oversight.now(), session_user, 'snooze_expired', 'snooze ended' FROM s RETURNING 1)
  SELECT count(*) INTO snoozes_expired FROM e;
  FOR w IN UPDATE oversight.waiver SET status = 'expired' WHERE status = 'approved' AND expires_at <= as_of RETURNING waiver_id, alert_id LOOP
    waivers_expired := waivers_expired + 1;
    INSERT INTO oversight.alert_event (alert_id, event_at, actor, event, from_status, to_status, reason, waiver_id)
    SELECT w.alert_id, oversight.now(), session_user, 'waiver_expired', a.status, 'open', 'waiver expired: back to review', w.waiver_id
      FROM oversight.alert a WHERE a.alert_id = w.alert_id;
    UPDATE oversight.alert SET status = 'open', status_changed_at = oversight.now(), status_changed_by = 'system'
     WHERE alert_id = w.alert_id AND status <> 'open';
    PERFORM oversight.audit('transition', 'oversight.waiver', pg_catalog.jsonb_build_object('waiver_id', w.waiver_id),
                            pg_catalog.jsonb_build_object('status', 'approved'), pg_catalog.jsonb_build_object('status', 'expired'),
                            'waiver expired: alert back to review');
  END LOOP;
  SELECT count(*) INTO faults FROM oversight.engine_fault f WHERE f.fault_id > first_fault;
  RETURN NEXT;
END $$;
COMMENT ON FUNCTION oversight.sweep(timestamptz) IS
  'The deadline sweeper: runs the sweep rules (overdue SME payments, unpaid fines, missing sign-offs) of every watched table as of p_as_of (default oversight.now()), ends expired snoozes and sends alerts whose waiver expired back to review. Run it on a schedule (e.g. pg_cron, hourly).';

-------------------------------------------------------------------------------------------------------
-- The default rule set (installed on request, like the default catalog).
-------------------------------------------------------------------------------------------------------
CREATE FUNCTION oversight.install_default_rules()
  RETURNS TABLE (rules_added integer, versions_approved integer)
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d record;
  id bigint;
BEGIN
  PERFORM oversight.install_default_catalog();
  rules_added := 0; versions_approved := 0;
  FOR d IN SELECT * FROM (VALUES
    ('PAY.DUPLICATE', 'payment_duplicate', 'payment', 'FUND.PAY.REVIEW', 'Duplicate payment (same payee, amount and invoice)', 'high', '{}'::jsonb, 'local treasury practice'),
    ('PAY.NEAR_DUPLICATE', 'payment_near_duplicate', 'payment', 'FUND.PAY.REVIEW', 'Near-identical payments to one payee within days', 'medium', '{}', 'local treasury practice'),
    ('PAY.OVER_CONTRACT', 'payment_exceeds_contract', 'payment', 'FUND.PAY.REVIEW', 'Payments exceed the contract amount', 'high', '{}', '政府采购法; local treasury practice'),
    ('PAY.BEFORE_SIGNATURE', 'payment_before_contract_signed', 'payment', 'FUND.PAY.REVIEW', 'Payment before the contract was signed', 'high', '{}', 'local treasury practice'),
    ('CASH.SINGLE', 'cash_single', 'payment', 'DEPT.CASH.WITHDRAW', 'Large single cash withdrawal', 'medium', '{"limit": 50000}', 'local treasury practice'),
    ('CASH.MONTHLY', 'cash_cumulative', 'payment', 'DEPT.CASH.WITHDRAW', 'Cumulative cash withdrawals of a unit in a month', 'medium', '{"limit": 200000, "period": "month"}', 'local treasury practice'),
    ('CASH.ANNUAL', 'cash_cumulative', 'payment', 'DEPT.CASH.WITHDRAW', 'Annual cash withdrawals of a unit', 'high', '{"limit": 1000000, "period": "year"}', 'local treasury practice'),
    ('CASH.OFFICIAL_CARD', 'cash_official_card_type', 'payment', 'DEPT.CASH.WITHDRAW', 'Cash used for an official-card expense type', 'medium', '{}', '公务卡强制结算目录'),
    ('PAY.SME_OVERDUE_30', 'sme_payment_overdue', 'payment', 'FUND.PAY.REVIEW', 'SME not paid within 30 days (or the agreed term)', 'medium', '{"days": 30, "use_contract_term": true, "max_term_days": 60}', '保障中小企业款项支付条例'),
    ('PAY.SME_OVERDUE_60', 'sme_payment_overdue', 'payment', 'FUND.PAY.REVIEW', 'SME not paid within 60 days', 'high', '{"days": 60, "use_contract_term": false}', '保障中小企业款项支付条例'),
    ('PAY.STAFF_PAYEE', 'payee_staff_account', 'payment', 'FUND.PAY.REVIEW', 'Payee account of a staff member or relative', 'high', '{}', 'integrity-risk practice'),
    ('PAY.ROUND_AMOUNT', 'round_amount', 'payment', 'FUND.PAY.REVIEW', 'Round amount', 'low', '{}', 'audit practice'),
    ('PAY.NONWORKING_APPROVAL', 'nonworking_day_approval', 'payment', 'FUND.PAY.REVIEW', 'Payment approved on a weekend or holiday', 'low', '{}', 'audit practice'),
    ('PAY.MISSING_SIGNOFF', 'missing_signoff', 'payment', 'FUND.PAY.LARGE', 'Large payment without every sign-off level', 'high', '{}', 'integrity-risk practice'),
    ('SOD.PAYMENT', 'handler_is_approver', 'payment', 'FUND.PAY.REVIEW', 'Payment handled and approved by the same person', 'high', '{}', 'integrity-risk practice'),
    ('SOD.PROCUREMENT', 'handler_is_approver', 'procurement', 'PROC.METHOD.NONOPEN', 'Procurement handled and approved by the same person', 'high', '{}', 'integrity-risk practice'),
    ('SOD.ALLOCATION', 'handler_is_approver', 'fund_allocation', 'FUND.INDICATOR.ALLOCATE', 'Allocation handled and approved by the same person', 'high', '{}', 'integrity-risk practice'),
    ('SOD.ENFORCEMENT', 'handler_is_approver', 'enforcement', 'ENF.PENALTY.DISCRETION', 'Penalty handled and approved by the same person', 'high', '{}', 'integrity-risk practice'),
    ('PROC.METHOD_THRESHOLD', 'method_threshold', 'procurement', 'PROC.METHOD.NONOPEN', 'Non-open method at or above the threshold without approval', 'high', '{}', '政府采购法 第27条; 国办发〔2019〕55号'),
    ('PROC.SPLITTING', 'purchase_splitting', 'procurement', 'PROC.PLAN.SPLIT', 'Purchase splitting (化整为零)', 'high', '{}', '政府采购法实施条例 第28条'),
    ('PROC.NEAR_THRESHOLD', 'near_threshold_purchases', 'procurement', 'PROC.PLAN.SPLIT', 'Repeated purchases just under the threshold', 'medium', '{}', '政府采购法实施条例 第28条'),
    ('PROC.TOPUP', 'single_source_topup', 'contract', 'PROC.METHOD.SINGLE_TOPUP', 'Single-source top-ups over 10% of the contract', 'high', '{}', '政府采购法 第31条'),
    ('PROC.TENDER_PERIOD', 'tender_period_short', 'procurement', 'PROC.TENDER.PERIOD', 'Tender period under the legal minimum', 'high', '{}', '政府采购法 第35条; 财库〔2014〕214号'),
    ('PROC.SINGLE_BID', 'single_bid', 'procurement', 'PROC.TENDER.EVAL', 'Single bid in a competitive tender', 'medium', '{}', 'OCP R018'),
    ('PROC.COLLUSION_CONTACT', 'collusion_same_contact', 'bid', 'PROC.TENDER.EVAL', 'Collusion signal: same contact in bids of different tenderers', 'high', '{}', '财政部令第87号 第37条'),
    ('PROC.COLLUSION_BOND', 'collusion_same_bond_account', 'bid', 'PROC.TENDER.EVAL', 'Collusion signal: bid bonds from the same account', 'high', '{}', '财政部令第87号 第37条'),
    ('PROC.COLLUSION_PRICE', 'collusion_identical_price', 'bid', 'PROC.TENDER.EVAL', 'Collusion signal: identical bid prices', 'medium', '{}', 'OCP R028; 财政部令第87号 第37条'),
    ('FUND.NO_BUDGET', 'allocation_without_budget', 'fund_allocation', 'FUND.INDICATOR.ALLOCATE', 'Allocation without budget', 'high', '{}', '预算法'),
    ('FUND.OVER_BUDGET', 'allocation_over_budget', 'fund_allocation', 'FUND.INDICATOR.ALLOCATE', 'Allocations beyond the budget', 'high', '{}', '预算法'),
    ('FUND.SPECIAL_PURPOSE', 'special_fund_misuse', 'fund_allocation', 'SPEC.PAY.DISBURSE', 'Special fund used outside its purpose', 'high', '{}', '专项资金管理办法'),
    ('ENF.OUTSIDE_BAND', 'penalty_outside_band', 'enforcement', 'ENF.PENALTY.DISCRETION', 'Fine outside the discretion band', 'high', '{}', '行政处罚裁量基准'),
    ('ENF.AGENCY_COLLECTED', 'fine_collected_by_agency', 'enforcement', 'ENF.PENALTY.COLLECT', 'Fine collected by the deciding agency (罚缴分离)', 'high', '{}', '行政处罚法 第67条'),
    ('ENF.FINE_UNPAID', 'fine_unpaid', 'enforcement', 'ENF.PENALTY.COLLECT', 'Fine unpaid after 15 days', 'medium', '{}', '行政处罚法 第67、72条')
  ) AS v(rule_code, rule_kind, record_kind, node_code, title, severity, params, source) LOOP
    IF EXISTS (SELECT FROM oversight.rule r WHERE r.rule_code = d.rule_code) THEN
      CONTINUE; -- the bureau's rule, possibly edited: left alone
    END IF;
    INSERT INTO oversight.rule (rule_code, rule_kind, record_kind, node_code, title, description, source, shipped, created_at, created_by)
    SELECT d.rule_code, d.rule_kind, d.record_kind, d.node_code, d.title, k.description, d.source, true, oversight.now(), session_user
      FROM oversight.rule_kinds k WHERE k.rule_kind = d.rule_kind;
    rules_added := rules_added + 1;
    INSERT INTO oversight.rule_version (rule_code, version, status, params, severity, blocking, change_note, authored_by, authored_at,
                                        approved_by, approved_at)
    VALUES (d.rule_code, 1, 'draft', d.params, d.severity, false, 'shipped default', session_user, oversight.now(), NULL, NULL)
    RETURNING rule_version_id INTO id;
    UPDATE oversight.rule_version SET status = 'approved', approved_by = session_user, approved_at = oversight.now()
     WHERE rule_version_id = id;
    versions_approved := versions_approved + 1;
  END LOOP;
  RETURN NEXT;
END $$;
COMMENT ON FUNCTION oversight.install_default_rules() IS
  'Installs and approves the default rule set (DOMAIN.md §7 thresholds as parameters), each rule guarding a key node of the default catalog (installed first if missing). Idempotent: existing rules are left as the bureau edited them.';

-------------------------------------------------------------------------------------------------------
-- Views for analysts (security_invoker: row-level security of the reader applies).
-------------------------------------------------------------------------------------------------------
CREATE VIEW oversight.rules WITH (security_invoker = true) AS
  SELECT r.rule_code, r.rule_kind, r.record_kind, r.node_code, r.title, r.is_enabled, v.rule_version_id, v.version, v.severity,
         v.blocking, v.params, v.approved_by, v.approved_at,
         (SELECT max(d.version) FROM oversight.rule_version d WHERE d.rule_code = r.rule_code AND d.status = 'draft') AS draft_version
    FROM oversight.rule r
    LEFT JOIN oversight.rule_version v ON v.rule_code = r.rule_code AND v.status = 'approved';
COMMENT ON VIEW oversight.rules IS 'Every rule with its version in force (NULL when none is approved) and any pending draft.';
COMMENT ON COLUMN oversight.rules.rule_code IS 'Rule.';
COMMENT ON COLUMN oversight.rules.rule_kind IS 'Engine kind.';
COMMENT ON COLUMN oversight.rules.record_kind IS 'Records checked.';
COMMENT ON COLUMN oversight.rules.node_code IS 'Key node guarded.';
COMMENT ON COLUMN oversight.rules.title IS 'Title.';
COMMENT ON COLUMN oversight.rules.is_enabled IS 'False when paused.';
COMMENT ON COLUMN oversight.rules.rule_version_id IS 'Version in force.';
COMMENT ON COLUMN oversight.rules.version IS 'Its number.';
COMMENT ON COLUMN oversight.rules.severity IS 'Its severity.';
COMMENT ON COLUMN oversight.rules.blocking IS 'Whether it blocks writes.';
COMMENT ON COLUMN oversight.rules.params IS 'Its parameters.';
COMMENT ON COLUMN oversight.rules.approved_by IS 'Who approved it.';
COMMENT ON COLUMN oversight.rules.approved_at IS 'When.';
COMMENT ON COLUMN oversight.rules.draft_version IS 'Highest draft version awaiting approval.';

CREATE VIEW oversight.open_alerts WITH (security_invoker = true) AS
  SELECT a.alert_id, a.status, a.severity, a.rule_code, r.title AS rule_title, v.version AS rule_version, a.node_code, k.name_zh AS node_name_zh,
         a.object_table, a.object_key, a.period, a.unit_code, a.message, a.details, a.repeat_count, a.first_fired_at, a.last_fired_at,
         a.snoozed_until, a.muted_count,
         EXISTS (SELECT FROM oversight.waiver w WHERE w.alert_id = a.alert_id AND w.status = 'approved' AND w.expires_at > oversight.now()) AS is_waived
    FROM oversight.alert a
    JOIN oversight.rule r ON r.rule_code = a.rule_code
    JOIN oversight.rule_version v ON v.rule_version_id = a.rule_version_id
    LEFT JOIN oversight.key_node k ON k.node_code = a.node_code
   WHERE a.status IN ('open', 'acknowledged');
COMMENT ON VIEW oversight.open_alerts IS 'Alerts awaiting work (open or acknowledged), with rule, version and key node; ordered work lists sort by severity and last_fired_at.';
COMMENT ON COLUMN oversight.open_alerts.alert_id IS 'Alert.';
COMMENT ON COLUMN oversight.open_alerts.status IS 'open or acknowledged.';
COMMENT ON COLUMN oversight.open_alerts.severity IS 'Severity.';
COMMENT ON COLUMN oversight.open_alerts.rule_code IS 'Rule.';
COMMENT ON COLUMN oversight.open_alerts.rule_title IS 'Rule title.';
COMMENT ON COLUMN oversight.open_alerts.rule_version IS 'Version that fired last.';
COMMENT ON COLUMN oversight.open_alerts.node_code IS 'Key node.';
COMMENT ON COLUMN oversight.open_alerts.node_name_zh IS 'Key node name.';
COMMENT ON COLUMN oversight.open_alerts.object_table IS 'Table of the object.';
COMMENT ON COLUMN oversight.open_alerts.object_key IS 'Key of the object.';
COMMENT ON COLUMN oversight.open_alerts.period IS 'Period, for periodic rules.';
COMMENT ON COLUMN oversight.open_alerts.unit_code IS 'Unit.';
COMMENT ON COLUMN oversight.open_alerts.message IS 'Finding.';
COMMENT ON COLUMN oversight.open_alerts.details IS 'Figures.';
COMMENT ON COLUMN oversight.open_alerts.repeat_count IS 'Times found.';
COMMENT ON COLUMN oversight.open_alerts.first_fired_at IS 'First found.';
COMMENT ON COLUMN oversight.open_alerts.last_fired_at IS 'Last found.';
COMMENT ON COLUMN oversight.open_alerts.snoozed_until IS 'Muted until.';
COMMENT ON COLUMN oversight.open_alerts.muted_count IS 'Findings muted.';
COMMENT ON COLUMN oversight.open_alerts.is_waived IS 'True while an approved waiver runs.';

CREATE VIEW oversight.rule_noise WITH (security_invoker = true) AS
  SELECT r.rule_code, r.title, r.node_code,
         count(a.alert_id) AS alerts,
         count(a.alert_id) FILTER (WHERE a.status IN ('open', 'acknowledged')) AS open_alerts,
         count(a.alert_id) FILTER (WHERE a.status = 'corrected') AS corrected,
         count(a.alert_id) FILTER (WHERE a.status = 'justified') AS justified,
         count(a.alert_id) FILTER (WHERE a.status = 'false_positive') AS false_positives,
         count(a.alert_id) FILTER (WHERE a.status = 'closed') AS closed,
         round(count(a.alert_id) FILTER (WHERE a.status = 'false_positive')::numeric
               / NULLIF(count(a.alert_id) FILTER (WHERE a.status IN ('corrected', 'justified', 'false_positive', 'closed')), 0), 3) AS false_positive_rate,
         COALESCE(sum(a.repeat_count), 0) AS findings,
         COALESCE(sum(a.muted_count), 0) AS muted_findings,
         (SELECT count(*) FROM oversight.engine_fault f WHERE f.rule_code = r.rule_code) AS faults
    FROM oversight.rule r LEFT JOIN oversight.alert a ON a.rule_code = r.rule_code
   GROUP BY r.rule_code, r.title, r.node_code;
COMMENT ON VIEW oversight.rule_noise IS 'Per-rule noise statistics for pruning the rule base (有进有出): alerts by status, false-positive rate among resolved alerts (false_positive / resolved; closed alerts count as resolved), findings, muted findings and engine faults.';
COMMENT ON COLUMN oversight.rule_noise.rule_code IS 'Rule.';
COMMENT ON COLUMN oversight.rule_noise.title IS 'Title.';
COMMENT ON COLUMN oversight.rule_noise.node_code IS 'Key node.';
COMMENT ON COLUMN oversight.rule_noise.alerts IS 'Alerts (distinct fingerprints) ever raised.';
COMMENT ON COLUMN oversight.rule_noise.open_alerts IS 'Open or acknowledged.';
COMMENT ON COLUMN oversight.rule_noise.corrected IS 'Corrected.';
COMMENT ON COLUMN oversight.rule_noise.justified IS 'Justified.';
COMMENT ON COLUMN oversight.rule_noise.false_positives IS 'Marked false positive.';
COMMENT ON COLUMN oversight.rule_noise.closed IS 'Closed.';
COMMENT ON COLUMN oversight.rule_noise.false_positive_rate IS 'false_positives / resolved alerts (NULL when none resolved).';
COMMENT ON COLUMN oversight.rule_noise.findings IS 'Total findings (sum of repeat counts).';
COMMENT ON COLUMN oversight.rule_noise.muted_findings IS 'Findings muted by snoozes or waivers.';
COMMENT ON COLUMN oversight.rule_noise.faults IS 'Engine faults of the rule.';

CREATE VIEW oversight.engine_fault_summary WITH (security_invoker = true) AS
  SELECT f.rule_code, f.object_table, f.sqlstate, f.path, count(*) AS faults, min(f.occurred_at) AS first_at, max(f.occurred_at) AS last_at,
         (pg_catalog.array_agg(f.message ORDER BY f.fault_id DESC))[1] AS last_message
    FROM oversight.engine_fault f
   GROUP BY f.rule_code, f.object_table, f.sqlstate, f.path;
COMMENT ON VIEW oversight.engine_fault_summary IS 'Engine faults counted by rule, table, SQLSTATE and path, with the latest message.';
COMMENT ON COLUMN oversight.engine_fault_summary.rule_code IS 'Rule (NULL: the row pass as a whole).';
COMMENT ON COLUMN oversight.engine_fault_summary.object_table IS 'Watched table.';
COMMENT ON COLUMN oversight.engine_fault_summary.sqlstate IS 'SQLSTATE.';
COMMENT ON COLUMN oversight.engine_fault_summary.path IS 'row, statement or sweep.';
COMMENT ON COLUMN oversight.engine_fault_summary.faults IS 'Number of faults.';
COMMENT ON COLUMN oversight.engine_fault_summary.first_at IS 'First.';
COMMENT ON COLUMN oversight.engine_fault_summary.last_at IS 'Latest.';
COMMENT ON COLUMN oversight.engine_fault_summary.last_message IS 'Latest message.';

-------------------------------------------------------------------------------------------------------
-- Row-level security of alerts, consistent with the finance tables: a role sees the alerts of its units.
-------------------------------------------------------------------------------------------------------
ALTER TABLE oversight.alert ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_scope ON oversight.alert
  USING ((SELECT oversight.sees_all_units()) OR unit_code = ANY ((SELECT oversight.visible_units())::text[]))
  WITH CHECK ((SELECT oversight.sees_all_units()));
COMMENT ON POLICY unit_scope ON oversight.alert IS 'Alerts of units granted to the role in oversight.unit_access (and below); bureau-wide roles see all.';
ALTER TABLE oversight.alert_event ENABLE ROW LEVEL SECURITY;
CREATE POLICY alert_scope ON oversight.alert_event
  USING (EXISTS (SELECT FROM oversight.alert a WHERE a.alert_id = alert_event.alert_id));
COMMENT ON POLICY alert_scope ON oversight.alert_event IS 'Events of the alerts the role can see.';
ALTER TABLE oversight.waiver ENABLE ROW LEVEL SECURITY;
CREATE POLICY alert_scope ON oversight.waiver
  USING (EXISTS (SELECT FROM oversight.alert a WHERE a.alert_id = waiver.alert_id));
COMMENT ON POLICY alert_scope ON oversight.waiver IS 'Waivers of the alerts the role can see.';

-------------------------------------------------------------------------------------------------------
-- Privileges.
-------------------------------------------------------------------------------------------------------
GRANT SELECT ON oversight.rule, oversight.rule_version, oversight.discretion_band, oversight.watched_table, oversight.alert,
  oversight.alert_event, oversight.waiver, oversight.engine_fault, oversight.rule_kinds, oversight.rules, oversight.open_alerts,
  oversight.rule_noise, oversight.engine_fault_summary
  TO oversight_analyst, oversight_inspector, oversight_admin;
GRANT INSERT, UPDATE, DELETE ON oversight.rule, oversight.rule_version, oversight.discretion_band TO oversight_admin;
GRANT SELECT ON oversight.rule, oversight.rule_version, oversight.discretion_band, oversight.watched_table TO oversight_loader;

REVOKE ALL ON FUNCTION oversight.create_rule(text, text, text, text, text, text, text),
  oversight.draft_rule_version(text, jsonb, text, boolean, text), oversight.approve_rule_version(bigint, text),
  oversight.retire_rule_version(bigint, text), oversight.define_rule(text, text, text, text, text, jsonb, text, boolean),
  oversight.install_default_rules(), oversight.watch(regclass, text, jsonb, text), oversight.unwatch(regclass) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION oversight.create_rule(text, text, text, text, text, text, text),
  oversight.draft_rule_version(text, jsonb, text, boolean, text), oversight.approve_rule_version(bigint, text),
  oversight.retire_rule_version(bigint, text), oversight.define_rule(text, text, text, text, text, jsonb, text, boolean),
  oversight.install_default_rules(), oversight.watch(regclass, text, jsonb, text), oversight.unwatch(regclass),
  oversight.engine_trigger() TO oversight_admin;
-- watch() runs with the caller's rights and writes the watch list and the audit chain.
GRANT INSERT, DELETE ON oversight.watched_table TO oversight_admin;
GRANT EXECUTE ON FUNCTION oversight.audit(text, text, jsonb, jsonb, jsonb, text) TO oversight_admin;

REVOKE ALL ON FUNCTION oversight.transition_alert(bigint, text, text), oversight.acknowledge_alert(bigint, text),
  oversight.correct_alert(bigint, text), oversight.justify_alert(bigint, text), oversight.mark_false_positive(bigint, text),
  oversight.close_alert(bigint, text), oversight.reopen_alert(bigint, text), oversight.snooze_alert(bigint, timestamptz, text),
  oversight.unsnooze_alert(bigint, text), oversight.request_waiver(bigint, text, timestamptz), oversight.decide_waiver(bigint, text, text),
  oversight.sweep(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION oversight.transition_alert(bigint, text, text), oversight.acknowledge_alert(bigint, text),
  oversight.correct_alert(bigint, text), oversight.justify_alert(bigint, text), oversight.mark_false_positive(bigint, text),
  oversight.close_alert(bigint, text), oversight.reopen_alert(bigint, text), oversight.snooze_alert(bigint, timestamptz, text),
  oversight.unsnooze_alert(bigint, text), oversight.request_waiver(bigint, text, timestamptz), oversight.decide_waiver(bigint, text, text),
  oversight.sweep(timestamptz) TO oversight_inspector, oversight_admin;

-------------------------------------------------------------------------------------------------------
-- pg_dump: rules, bands, watches of the bureau's own tables, alerts and their history are user data.
-------------------------------------------------------------------------------------------------------
SELECT pg_catalog.pg_extension_config_dump('oversight.rule', '');
SELECT pg_catalog.pg_extension_config_dump('oversight.rule_version', '');
SELECT pg_catalog.pg_extension_config_dump('oversight.rule_version_rule_version_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('oversight.discretion_band', '');
SELECT pg_catalog.pg_extension_config_dump('oversight.watched_table', 'WHERE NOT is_canonical');
SELECT pg_catalog.pg_extension_config_dump('oversight.alert', '');
SELECT pg_catalog.pg_extension_config_dump('oversight.alert_alert_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('oversight.alert_event', '');
SELECT pg_catalog.pg_extension_config_dump('oversight.alert_event_event_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('oversight.waiver', '');
SELECT pg_catalog.pg_extension_config_dump('oversight.waiver_waiver_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('oversight.engine_fault', '');
SELECT pg_catalog.pg_extension_config_dump('oversight.engine_fault_fault_id_seq', '');

-------------------------------------------------------------------------------------------------------
-- History lookups of the set-based rules on the canonical tables, index-driven: a rule joins each
-- written row to the rows sharing these columns (a single-row write probes the index instead of
-- scanning the table).
-------------------------------------------------------------------------------------------------------
CREATE INDEX payment_invoice_amount ON oversight.payment (invoice_no, amount) WHERE invoice_no IS NOT NULL;
COMMENT ON INDEX oversight.payment_invoice_amount IS 'Rule lookups: payments with the same invoice and amount (duplicate payments).';
CREATE INDEX payment_payee_day ON oversight.payment (payee_name, (COALESCE(paid_on, requested_on)));
COMMENT ON INDEX oversight.payment_payee_day IS 'Rule lookups: payments to the same payee around a date (near-duplicate payments).';
CREATE INDEX payment_contract ON oversight.payment (contract_code) WHERE contract_code IS NOT NULL;
COMMENT ON INDEX oversight.payment_contract IS 'Rule lookups: payments on a contract (payments exceeding the contract).';
CREATE INDEX payment_cash_unit_day ON oversight.payment (payer_unit_code, paid_on) WHERE payment_method = 'cash';
COMMENT ON INDEX oversight.payment_cash_unit_day IS 'Rule lookups: cash paid by a unit in a period (cumulative cash limits).';
CREATE INDEX procurement_project_category_year ON oversight.procurement_process (budget_project_code, category_code, fiscal_year);
COMMENT ON INDEX oversight.procurement_project_category_year IS 'Rule lookups: purchases of one category on one budget project in one fiscal year (purchase splitting).';
CREATE INDEX contract_parent ON oversight.contract (parent_contract_code) WHERE parent_contract_code IS NOT NULL;
COMMENT ON INDEX oversight.contract_parent IS 'Rule lookups: supplementary contracts of a contract (single-source top-ups).';
CREATE INDEX fund_allocation_project ON oversight.fund_allocation (budget_project_code) WHERE budget_project_code IS NOT NULL;
COMMENT ON INDEX oversight.fund_allocation_project IS 'Rule lookups: allocations charged to a budget project (over budget).';

-------------------------------------------------------------------------------------------------------
-- The canonical finance tables are watched from the start (statement-level triggers: bulk loads are
-- evaluated in batches). With no approved rule the triggers only look the rules up.
-------------------------------------------------------------------------------------------------------
SELECT pg_catalog.set_config('oversight.extension_script', 'on', true);
SELECT oversight.watch('oversight.payment', 'payment');
SELECT oversight.watch('oversight.procurement_process', 'procurement');
SELECT oversight.watch('oversight.bid', 'bid');
SELECT oversight.watch('oversight.contract', 'contract');
SELECT oversight.watch('oversight.fund_allocation', 'fund_allocation');
SELECT oversight.watch('oversight.enforcement_case', 'enforcement');
SELECT pg_catalog.set_config('oversight.extension_script', '', true);
