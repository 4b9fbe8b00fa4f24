-- oversight 0.1.0 — foundation: clock, settings, audit trail, working-day calendar, power catalog,
-- organisation and responsibility, canonical finance records, load ledger, roles and row-level security.
--
-- Hardening (README "Security"): every reference is schema-qualified, every function pins
-- search_path = pg_catalog, pg_temp, nothing is CREATE OR REPLACE'd, and the schema is created here so
-- that it is an extension member and DROP EXTENSION removes it.

\echo Use "CREATE EXTENSION oversight" to load this file. \quit

SET LOCAL search_path = pg_catalog, pg_temp;

CREATE SCHEMA oversight;
COMMENT ON SCHEMA oversight IS
  'Key power-node monitoring (重要权力节点监控): power catalog, organisation, finance records, calendar, audit trail. Analysts read the documented views; see README.';

-------------------------------------------------------------------------------------------------------
-- Roles. Cluster-wide group roles (NOLOGIN), created when missing and kept on DROP EXTENSION because
-- other databases of the cluster may use them and login roles are granted membership in them.
-------------------------------------------------------------------------------------------------------
DO $roles$
DECLARE
  wanted text[] := ARRAY['oversight_admin', 'oversight_loader', 'oversight_analyst', 'oversight_inspector'];
  r text;
BEGIN
  FOREACH r IN ARRAY wanted LOOP
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN
      EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
    END IF;
  END LOOP;
END
$roles$;

GRANT USAGE ON SCHEMA oversight TO oversight_admin, oversight_loader, oversight_analyst, oversight_inspector;

-------------------------------------------------------------------------------------------------------
-- Settings and the injectable clock.
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.setting_default (
  setting_key   text PRIMARY KEY CONSTRAINT setting_key_format CHECK (setting_key ~ '^[a-z][a-z0-9_.]{1,62}$'),
  default_value text NOT NULL,
  description   text NOT NULL,
  source        text
);
COMMENT ON TABLE oversight.setting_default IS 'Shipped global settings with their default values (bureau time zone, base currency, risk-grading cut-offs). Change a value through oversight.setting, not here. Rule thresholds live with the rules.';
COMMENT ON COLUMN oversight.setting_default.setting_key IS 'Setting name, lower-case dotted.';
COMMENT ON COLUMN oversight.setting_default.default_value IS 'Shipped value, as text.';
COMMENT ON COLUMN oversight.setting_default.description IS 'What the setting controls.';
COMMENT ON COLUMN oversight.setting_default.source IS 'Where the value comes from (statute, local practice).';

INSERT INTO oversight.setting_default (setting_key, default_value, description, source) VALUES
  ('timezone', 'Asia/Shanghai', 'Time zone of the bureau: oversight.today() and working-day deadlines are dates in this zone.', NULL),
  ('base_currency', 'CNY', 'Currency of the bureau''s own records when a record names none.', NULL),
  ('risk.grade1_min_criteria', '3', 'A key node meeting at least this many of the five risk criteria is grade 1 (high).', 'DOMAIN.md §3'),
  ('risk.grade2_min_criteria', '2', 'A key node meeting at least this many of the five risk criteria (and fewer than grade 1) is grade 2.', 'DOMAIN.md §3');

CREATE TABLE oversight.setting (
  setting_key   text PRIMARY KEY REFERENCES oversight.setting_default ON UPDATE CASCADE ON DELETE CASCADE,
  setting_value text NOT NULL,
  changed_reason text NOT NULL CONSTRAINT setting_reason_present CHECK (btrim(changed_reason) <> '')
);
COMMENT ON TABLE oversight.setting IS 'The bureau''s own values for global settings, overriding oversight.setting_default (kept apart so pg_dump saves exactly what the bureau changed).';
COMMENT ON COLUMN oversight.setting.setting_key IS 'Setting overridden.';
COMMENT ON COLUMN oversight.setting.setting_value IS 'Value in force, as text.';
COMMENT ON COLUMN oversight.setting.changed_reason IS 'Why the default was changed.';

CREATE VIEW oversight.settings AS
  SELECT d.setting_key, COALESCE(s.setting_value, d.default_value) AS setting_value, d.default_value,
         s.setting_key IS NOT NULL AS is_overridden, d.description, d.source
    FROM oversight.setting_default d LEFT JOIN oversight.setting s USING (setting_key);
COMMENT ON VIEW oversight.settings IS 'Settings in force: the bureau''s value where it set one, else the default.';
COMMENT ON COLUMN oversight.settings.setting_key IS 'Setting name.';
COMMENT ON COLUMN oversight.settings.setting_value IS 'Value in force.';
COMMENT ON COLUMN oversight.settings.default_value IS 'Shipped value.';
COMMENT ON COLUMN oversight.settings.is_overridden IS 'True when the bureau changed it.';
COMMENT ON COLUMN oversight.settings.description IS 'What it controls.';
COMMENT ON COLUMN oversight.settings.source IS 'Where the default comes from.';

CREATE FUNCTION oversight.setting_value(p_key text) RETURNS text
  LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE v text;
BEGIN
  SELECT COALESCE(s.setting_value, d.default_value) INTO v
    FROM oversight.setting_default d LEFT JOIN oversight.setting s USING (setting_key)
   WHERE d.setting_key = p_key;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown oversight setting "%"', p_key USING ERRCODE = '22023',
      HINT = 'The settings are listed in view oversight.settings.';
  END IF;
  RETURN v;
END $$;
COMMENT ON FUNCTION oversight.setting_value(text) IS 'Value in force of one setting; an unknown key is an error (22023), never NULL.';

CREATE FUNCTION oversight.now() RETURNS timestamptz
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE v text := pg_catalog.current_setting('oversight.now', true);
BEGIN
  IF v IS NULL OR v = '' THEN
    RETURN pg_catalog.now();
  END IF;
  RETURN v::timestamptz;
EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow THEN
  RAISE EXCEPTION 'setting oversight.now = "%" is not a timestamp', v USING ERRCODE = '22007',
    HINT = 'Use an ISO 8601 timestamp with offset, e.g. 2025-03-05 09:30+08, or reset it to use the wall clock.';
END $$;
COMMENT ON FUNCTION oversight.now() IS
  'The one clock of the extension: the setting oversight.now when set (tests, demo, replay), else the transaction''s now(). Everything uses this instead of now().';

CREATE FUNCTION oversight.today() RETURNS date
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$ SELECT (oversight.now() AT TIME ZONE oversight.setting_value('timezone'))::date $$;
COMMENT ON FUNCTION oversight.today() IS 'Today''s date in the bureau''s time zone (setting "timezone"), from oversight.now().';

CREATE FUNCTION oversight.set_clock(p_at timestamptz, p_local boolean DEFAULT false) RETURNS timestamptz
  LANGUAGE sql VOLATILE STRICT
  SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_catalog.set_config('oversight.now', p_at::text, p_local)::timestamptz $$;
COMMENT ON FUNCTION oversight.set_clock(timestamptz, boolean) IS 'Freezes oversight.now() at p_at for the session (or the transaction when p_local); for tests, demos and replays.';

CREATE FUNCTION oversight.reset_clock() RETURNS void
  LANGUAGE sql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_catalog.set_config('oversight.now', '', false); $$;
COMMENT ON FUNCTION oversight.reset_clock() IS 'Returns oversight.now() to the wall clock for this session.';

-------------------------------------------------------------------------------------------------------
-- Append-only, tamper-evident audit trail (hash chain).
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.audit_log (
  audit_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  recorded_at   timestamptz NOT NULL,
  actor         text NOT NULL,
  acting_role   text NOT NULL,
  action        text NOT NULL CONSTRAINT audit_action_known
                  CHECK (action IN ('insert', 'update', 'delete', 'transition', 'system')),
  table_name    text NOT NULL,
  object_key    jsonb,
  old_row       jsonb,
  new_row       jsonb,
  reason        text,
  transaction_id bigint NOT NULL,
  previous_hash bytea,
  entry_hash    bytea NOT NULL
);
COMMENT ON TABLE oversight.audit_log IS
  'Append-only audit trail: who changed what, when and why, system actions included. Each entry hashes the previous one (entry_hash = sha256(previous_hash || entry)), so oversight.verify_audit_chain() detects edits and deletions.';
COMMENT ON COLUMN oversight.audit_log.audit_id IS 'Position in the chain.';
COMMENT ON COLUMN oversight.audit_log.recorded_at IS 'oversight.now() when recorded.';
COMMENT ON COLUMN oversight.audit_log.actor IS 'session_user: the person (login) who acted.';
COMMENT ON COLUMN oversight.audit_log.acting_role IS 'current_user: the role whose privileges were used.';
COMMENT ON COLUMN oversight.audit_log.action IS 'insert, update, delete (row changes), transition (a lifecycle step) or system (done by the extension itself).';
COMMENT ON COLUMN oversight.audit_log.table_name IS 'Schema-qualified table (or subject) concerned.';
COMMENT ON COLUMN oversight.audit_log.object_key IS 'Natural key of the row concerned.';
COMMENT ON COLUMN oversight.audit_log.old_row IS 'Row before the change (updates, deletes).';
COMMENT ON COLUMN oversight.audit_log.new_row IS 'Row after the change (inserts, updates).';
COMMENT ON COLUMN oversight.audit_log.reason IS 'Why: the reason given by the actor (setting oversight.reason or the calling function).';
COMMENT ON COLUMN oversight.audit_log.transaction_id IS 'Transaction that made the change.';
COMMENT ON COLUMN oversight.audit_log.previous_hash IS 'entry_hash of the previous entry (NULL for the first).';
COMMENT ON COLUMN oversight.audit_log.entry_hash IS 'sha256 over previous_hash and this entry''s content.';

CREATE FUNCTION oversight.audit_entry_hash(p_previous bytea, p_entry oversight.audit_log) RETURNS bytea
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.sha256(COALESCE(p_previous, ''::bytea) || pg_catalog.convert_to(pg_catalog.concat_ws(E'\x1f',
    p_entry.audit_id, p_entry.recorded_at AT TIME ZONE 'UTC', p_entry.actor, p_entry.acting_role, p_entry.action,
    p_entry.table_name, p_entry.object_key, p_entry.old_row, p_entry.new_row, p_entry.reason,
    p_entry.transaction_id), 'UTF8'))
$$;
COMMENT ON FUNCTION oversight.audit_entry_hash(bytea, oversight.audit_log) IS 'The chain hash of one audit entry; used when appending and when verifying.';

CREATE FUNCTION oversight.audit(p_action text, p_table text, p_key jsonb, p_old jsonb, p_new jsonb, p_reason text)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  e oversight.audit_log;
  prev bytea;
BEGIN
  -- One writer at a time extends the chain; the lock is held to the end of the transaction.
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('oversight.audit_log'));
  SELECT a.entry_hash INTO prev FROM oversight.audit_log a ORDER BY a.audit_id DESC LIMIT 1;
  e.audit_id := pg_catalog.nextval(pg_catalog.pg_get_serial_sequence('oversight.audit_log', 'audit_id'));
  e.recorded_at := oversight.now();
  e.actor := session_user;
  e.acting_role := current_user;
  e.action := p_action;
  e.table_name := p_table;
  e.object_key := p_key;
  e.old_row := p_old;
  e.new_row := p_new;
  e.reason := COALESCE(p_reason, NULLIF(pg_catalog.current_setting('oversight.reason', true), ''));
  e.transaction_id := pg_catalog.txid_current();
  e.previous_hash := prev;
  e.entry_hash := oversight.audit_entry_hash(prev, e);
  INSERT INTO oversight.audit_log OVERRIDING SYSTEM VALUE SELECT e.*;
  RETURN e.audit_id;
END $$;
COMMENT ON FUNCTION oversight.audit(text, text, jsonb, jsonb, jsonb, text) IS
  'Appends one entry to the audit chain (serialised by an advisory lock). The only way rows enter oversight.audit_log.';
REVOKE ALL ON FUNCTION oversight.audit(text, text, jsonb, jsonb, jsonb, text) FROM PUBLIC;

CREATE FUNCTION oversight.verify_audit_chain()
  RETURNS TABLE (checked bigint, first_broken_id bigint, problem text)
  LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  e oversight.audit_log;
  prev bytea := NULL;
  prev_id bigint := 0;
BEGIN
  checked := 0;
  FOR e IN SELECT * FROM oversight.audit_log ORDER BY audit_id LOOP
    IF e.previous_hash IS DISTINCT FROM prev THEN
      first_broken_id := e.audit_id; problem := 'previous_hash does not match the entry before (an entry was removed or altered)';
      RETURN NEXT; RETURN;
    END IF;
    IF e.entry_hash IS DISTINCT FROM oversight.audit_entry_hash(prev, e) THEN
      first_broken_id := e.audit_id; problem := 'entry_hash does not match the entry''s content (the entry was altered)';
      RETURN NEXT; RETURN;
    END IF;
    prev := e.entry_hash; prev_id := e.audit_id; checked := checked + 1;
  END LOOP;
  RETURN NEXT;
END $$;
COMMENT ON FUNCTION oversight.verify_audit_chain() IS 'Walks the audit chain; returns the number of good entries and, if any, the first broken entry and what is wrong with it.';

CREATE FUNCTION oversight.audit_log_is_append_only() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION 'oversight.audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = '42501';
END $$;
COMMENT ON FUNCTION oversight.audit_log_is_append_only() IS 'Trigger function refusing UPDATE, DELETE and TRUNCATE on the audit trail.';

CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON oversight.audit_log
  FOR EACH ROW EXECUTE FUNCTION oversight.audit_log_is_append_only();
COMMENT ON TRIGGER audit_log_no_update_delete ON oversight.audit_log IS 'Refuses UPDATE and DELETE: the audit trail is append-only.';
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON oversight.audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION oversight.audit_log_is_append_only();
COMMENT ON TRIGGER audit_log_no_truncate ON oversight.audit_log IS 'Refuses TRUNCATE: the audit trail is append-only.';

CREATE FUNCTION oversight.audit_row_change() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  key_columns text[] := TG_ARGV::text[];
  source jsonb := CASE WHEN TG_OP = 'DELETE' THEN pg_catalog.to_jsonb(OLD) ELSE pg_catalog.to_jsonb(NEW) END;
  key jsonb := '{}'::jsonb;
  c text;
BEGIN
  FOREACH c IN ARRAY key_columns LOOP
    key := key || pg_catalog.jsonb_build_object(c, source -> c);
  END LOOP;
  IF TG_OP = 'UPDATE' AND pg_catalog.to_jsonb(OLD) = pg_catalog.to_jsonb(NEW) THEN
    RETURN NULL; -- nothing changed: nothing to record
  END IF;
  PERFORM oversight.audit(pg_catalog.lower(TG_OP), TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, key,
    CASE WHEN TG_OP <> 'INSERT' THEN pg_catalog.to_jsonb(OLD) END,
    CASE WHEN TG_OP <> 'DELETE' THEN pg_catalog.to_jsonb(NEW) END, NULL);
  RETURN NULL;
END $$;
COMMENT ON FUNCTION oversight.audit_row_change() IS 'AFTER ROW trigger function: records the change in the audit chain; its arguments name the key columns.';

-------------------------------------------------------------------------------------------------------
-- Working-day calendar (工作日, 调休).
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.calendar_year (
  calendar_year integer PRIMARY KEY CONSTRAINT calendar_year_range CHECK (calendar_year BETWEEN 1990 AND 2200),
  source        text NOT NULL,
  shipped       boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE oversight.calendar_year IS
  'Years whose holiday arrangement is loaded. Working-day functions refuse dates in other years (SQLSTATE OV001) instead of guessing.';
COMMENT ON COLUMN oversight.calendar_year.calendar_year IS 'The year covered.';
COMMENT ON COLUMN oversight.calendar_year.source IS 'The notice the arrangement comes from (e.g. 国办发明电〔2025〕7号).';
COMMENT ON COLUMN oversight.calendar_year.shipped IS 'True for years shipped with the extension (pg_dump saves only the others).';

CREATE TABLE oversight.calendar_day (
  calendar_date date PRIMARY KEY,
  day_kind      text NOT NULL CONSTRAINT calendar_day_kind_known CHECK (day_kind IN ('holiday', 'adjusted_workday')),
  name_zh       text NOT NULL,
  name_en       text NOT NULL,
  calendar_year integer NOT NULL GENERATED ALWAYS AS ((EXTRACT(year FROM calendar_date))::integer) STORED
                CONSTRAINT calendar_day_year_loaded REFERENCES oversight.calendar_year ON DELETE CASCADE,
  shipped       boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE oversight.calendar_day IS
  'Exceptions to the Monday–Friday week in loaded years: public holidays (including their weekend days) and weekend days moved to be working days (调休). Every other weekday works, every other weekend day rests.';
COMMENT ON COLUMN oversight.calendar_day.calendar_date IS 'The day.';
COMMENT ON COLUMN oversight.calendar_day.day_kind IS 'holiday (no work) or adjusted_workday (a weekend day worked, 调休上班).';
COMMENT ON COLUMN oversight.calendar_day.name_zh IS 'Holiday name in Chinese (e.g. 春节).';
COMMENT ON COLUMN oversight.calendar_day.name_en IS 'Holiday name in English (e.g. Spring Festival).';
COMMENT ON COLUMN oversight.calendar_day.calendar_year IS 'Year of the day; must be a loaded year.';
COMMENT ON COLUMN oversight.calendar_day.shipped IS 'True for days shipped with the extension (pg_dump saves only the others).';

CREATE FUNCTION oversight.is_working_day(p_day date) RETURNS boolean
  LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE kind text;
BEGIN
  IF NOT EXISTS (SELECT FROM oversight.calendar_year y WHERE y.calendar_year = EXTRACT(year FROM p_day)::integer) THEN
    RAISE EXCEPTION 'no working-day calendar for year % (date %)', EXTRACT(year FROM p_day)::integer, p_day
      USING ERRCODE = 'OV001',
            HINT = 'Load the year''s holiday arrangement into oversight.calendar_year and oversight.calendar_day (oversight-load calendar).';
  END IF;
  SELECT d.day_kind INTO kind FROM oversight.calendar_day d WHERE d.calendar_date = p_day;
  IF FOUND THEN
    RETURN kind = 'adjusted_workday';
  END IF;
  RETURN EXTRACT(isodow FROM p_day) < 6;
END $$;
COMMENT ON FUNCTION oversight.is_working_day(date) IS 'True when p_day is a working day under the loaded calendar; a date in a year not loaded is an error (OV001), never a guess.';

CREATE FUNCTION oversight.add_working_days(p_start date, p_days integer) RETURNS date
  LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  d date := p_start;
  remaining integer := abs(p_days);
  step integer := CASE WHEN p_days < 0 THEN -1 ELSE 1 END;
BEGIN
  WHILE remaining > 0 LOOP
    d := d + step;
    IF oversight.is_working_day(d) THEN
      remaining := remaining - 1;
    END IF;
  END LOOP;
  RETURN d;
END $$;
COMMENT ON FUNCTION oversight.add_working_days(date, integer) IS
  'The date p_days working days after p_start (before it when negative); p_start itself is not counted, and 0 returns p_start. Deadlines "within N working days" end on this date.';

CREATE FUNCTION oversight.working_days_between(p_from date, p_to date) RETURNS integer
  LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  lo date := LEAST(p_from, p_to);
  hi date := GREATEST(p_from, p_to);
  missing integer;
  n integer;
BEGIN
  SELECT y INTO missing
    FROM generate_series(EXTRACT(year FROM lo)::integer, EXTRACT(year FROM hi)::integer) AS y
   WHERE NOT EXISTS (SELECT FROM oversight.calendar_year c WHERE c.calendar_year = y)
   ORDER BY y LIMIT 1;
  IF missing IS NOT NULL THEN
    PERFORM oversight.is_working_day(make_date(missing, 1, 1)); -- raises OV001 with the standard message
  END IF;
  SELECT count(*) INTO n
    FROM generate_series(lo + 1, hi, interval '1 day') AS g(day)
    LEFT JOIN oversight.calendar_day c ON c.calendar_date = g.day::date
   WHERE CASE WHEN c.day_kind IS NOT NULL THEN c.day_kind = 'adjusted_workday'
              ELSE EXTRACT(isodow FROM g.day) < 6 END;
  RETURN CASE WHEN p_to >= p_from THEN n ELSE -n END;
END $$;
COMMENT ON FUNCTION oversight.working_days_between(date, date) IS
  'Working days after p_from up to and including p_to (negative when p_to is earlier). add_working_days(d, n) = e implies working_days_between(d, e) = n.';

CREATE VIEW oversight.calendar AS
  SELECT g.day::date AS calendar_date,
         y.calendar_year,
         COALESCE(c.day_kind = 'adjusted_workday', EXTRACT(isodow FROM g.day) < 6) AS is_working_day,
         COALESCE(c.day_kind, CASE WHEN EXTRACT(isodow FROM g.day) < 6 THEN 'workday' ELSE 'weekend' END) AS day_kind,
         c.name_zh, c.name_en
    FROM oversight.calendar_year y
   CROSS JOIN LATERAL pg_catalog.generate_series(pg_catalog.make_date(y.calendar_year, 1, 1),
                                                 pg_catalog.make_date(y.calendar_year, 12, 31), interval '1 day') AS g(day)
    LEFT JOIN oversight.calendar_day c ON c.calendar_date = g.day::date;
COMMENT ON VIEW oversight.calendar IS 'Every day of every loaded year with its kind (workday, weekend, holiday, adjusted_workday) and whether it is worked.';
COMMENT ON COLUMN oversight.calendar.calendar_date IS 'The day.';
COMMENT ON COLUMN oversight.calendar.calendar_year IS 'Its year.';
COMMENT ON COLUMN oversight.calendar.is_working_day IS 'True when the day is worked.';
COMMENT ON COLUMN oversight.calendar.day_kind IS 'workday, weekend, holiday or adjusted_workday.';
COMMENT ON COLUMN oversight.calendar.name_zh IS 'Holiday name (Chinese) for holidays and adjusted working days.';
COMMENT ON COLUMN oversight.calendar.name_en IS 'Holiday name (English).';

-- Chinese public holidays 2024–2026 (State Council notices). Weekend days inside a holiday block are
-- listed too, so the block reads whole; adjusted_workday rows are the moved working weekends.
INSERT INTO oversight.calendar_year (calendar_year, source, shipped) VALUES
  (2024, '国办发明电〔2023〕7号 国务院办公厅关于2024年部分节假日安排的通知', true),
  (2025, '国办发明电〔2024〕12号 国务院办公厅关于2025年部分节假日安排的通知', true),
  (2026, '国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)', true);

INSERT INTO oversight.calendar_day (calendar_date, day_kind, name_zh, name_en, shipped)
SELECT g.day::date, 'holiday', h.name_zh, h.name_en, true
  FROM (VALUES
    ('2024-01-01'::date, '2024-01-01'::date, '元旦', 'New Year''s Day'),
    ('2024-02-10', '2024-02-17', '春节', 'Spring Festival'),
    ('2024-04-04', '2024-04-06', '清明节', 'Qingming Festival'),
    ('2024-05-01', '2024-05-05', '劳动节', 'Labour Day'),
    ('2024-06-10', '2024-06-10', '端午节', 'Dragon Boat Festival'),
    ('2024-09-15', '2024-09-17', '中秋节', 'Mid-Autumn Festival'),
    ('2024-10-01', '2024-10-07', '国庆节', 'National Day'),
    ('2025-01-01', '2025-01-01', '元旦', 'New Year''s Day'),
    ('2025-01-28', '2025-02-04', '春节', 'Spring Festival'),
    ('2025-04-04', '2025-04-06', '清明节', 'Qingming Festival'),
    ('2025-05-01', '2025-05-05', '劳动节', 'Labour Day'),
    ('2025-05-31', '2025-06-02', '端午节', 'Dragon Boat Festival'),
    ('2025-10-01', '2025-10-08', '国庆节、中秋节', 'National Day and Mid-Autumn Festival'),
    ('2026-01-01', '2026-01-03', '元旦', 'New Year''s Day'),
    ('2026-02-15', '2026-02-23', '春节', 'Spring Festival'),
    ('2026-04-04', '2026-04-06', '清明节', 'Qingming Festival'),
    ('2026-05-01', '2026-05-05', '劳动节', 'Labour Day'),
    ('2026-06-19', '2026-06-21', '端午节', 'Dragon Boat Festival'),
    ('2026-09-25', '2026-09-27', '中秋节', 'Mid-Autumn Festival'),
    ('2026-10-01', '2026-10-07', '国庆节', 'National Day')
  ) AS h(first_day, last_day, name_zh, name_en)
  CROSS JOIN LATERAL pg_catalog.generate_series(h.first_day, h.last_day, interval '1 day') AS g(day)
UNION ALL
SELECT w.day, 'adjusted_workday', w.name_zh || '调休上班', w.name_en || ' (moved working day)', true
  FROM (VALUES
    ('2024-02-04'::date, '春节', 'Spring Festival'), ('2024-02-18', '春节', 'Spring Festival'),
    ('2024-04-07', '清明节', 'Qingming Festival'),
    ('2024-04-28', '劳动节', 'Labour Day'), ('2024-05-11', '劳动节', 'Labour Day'),
    ('2024-09-14', '中秋节', 'Mid-Autumn Festival'),
    ('2024-09-29', '国庆节', 'National Day'), ('2024-10-12', '国庆节', 'National Day'),
    ('2025-01-26', '春节', 'Spring Festival'), ('2025-02-08', '春节', 'Spring Festival'),
    ('2025-04-27', '劳动节', 'Labour Day'),
    ('2025-09-28', '国庆节', 'National Day'), ('2025-10-11', '国庆节', 'National Day'),
    ('2026-01-04', '元旦', 'New Year''s Day'),
    ('2026-02-14', '春节', 'Spring Festival'), ('2026-02-28', '春节', 'Spring Festival'),
    ('2026-05-09', '劳动节', 'Labour Day'),
    ('2026-09-20', '国庆节', 'National Day'), ('2026-10-10', '国庆节', 'National Day')
  ) AS w(day, name_zh, name_en);

-------------------------------------------------------------------------------------------------------
-- Power catalog (权力清单): areas → power items → key nodes. Areas are data: a new area is rows.
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.area (
  area_code   text PRIMARY KEY CONSTRAINT area_code_format CHECK (area_code ~ '^[A-Z][A-Z0-9_]{1,31}$'),
  name_zh     text NOT NULL CONSTRAINT area_name_zh_present CHECK (btrim(name_zh) <> ''),
  name_en     text NOT NULL CONSTRAINT area_name_en_present CHECK (btrim(name_en) <> ''),
  description text,
  sort_order  integer NOT NULL DEFAULT 0,
  monitored_since date
);
COMMENT ON TABLE oversight.area IS 'Areas of power (大项): government procurement, departmental financial management, … New areas (tax refunds, accounting, cadre management) are added as rows.';
COMMENT ON COLUMN oversight.area.area_code IS 'Stable code, upper-case (e.g. PROCUREMENT).';
COMMENT ON COLUMN oversight.area.name_zh IS 'Name in Chinese.';
COMMENT ON COLUMN oversight.area.name_en IS 'Name in English.';
COMMENT ON COLUMN oversight.area.description IS 'Scope of the area.';
COMMENT ON COLUMN oversight.area.sort_order IS 'Display order in reports.';
COMMENT ON COLUMN oversight.area.monitored_since IS 'Date monitoring of the area began.';

CREATE TABLE oversight.implementing_rule (
  rule_doc_code text PRIMARY KEY CONSTRAINT implementing_rule_code_format CHECK (rule_doc_code ~ '^[A-Z][A-Z0-9_-]{1,63}$'),
  area_code     text NOT NULL REFERENCES oversight.area ON UPDATE CASCADE,
  title_zh      text NOT NULL,
  title_en      text NOT NULL,
  status        text NOT NULL DEFAULT 'in_force' CONSTRAINT implementing_rule_status_known CHECK (status IN ('trial', 'in_force', 'repealed')),
  issued_on     date
);
COMMENT ON TABLE oversight.implementing_rule IS 'Implementing rules (实施办法) a key node''s monitoring rests on, one or more per area.';
COMMENT ON COLUMN oversight.implementing_rule.rule_doc_code IS 'Stable code of the document.';
COMMENT ON COLUMN oversight.implementing_rule.area_code IS 'Area the rule implements monitoring for.';
COMMENT ON COLUMN oversight.implementing_rule.title_zh IS 'Title in Chinese, e.g. 《关于加强集中采购权力关键节点监控的实施办法》.';
COMMENT ON COLUMN oversight.implementing_rule.title_en IS 'Title in English.';
COMMENT ON COLUMN oversight.implementing_rule.status IS 'trial (试行), in_force or repealed.';
COMMENT ON COLUMN oversight.implementing_rule.issued_on IS 'Date of issue.';

CREATE TABLE oversight.power_item (
  item_code   text PRIMARY KEY CONSTRAINT power_item_code_format CHECK (item_code ~ '^[A-Z][A-Z0-9_.-]{1,63}$'),
  area_code   text NOT NULL REFERENCES oversight.area ON UPDATE CASCADE,
  name_zh     text NOT NULL CONSTRAINT power_item_name_zh_present CHECK (btrim(name_zh) <> ''),
  name_en     text NOT NULL CONSTRAINT power_item_name_en_present CHECK (btrim(name_en) <> ''),
  power_kind  text NOT NULL CONSTRAINT power_item_kind_known
                CHECK (power_kind IN ('approval', 'review', 'allocation', 'payment', 'procurement', 'enforcement', 'management')),
  legal_basis text,
  sort_order  integer NOT NULL DEFAULT 0
);
COMMENT ON TABLE oversight.power_item IS 'Powers (小项) a bureau exercises in an area, as listed in its power catalog.';
COMMENT ON COLUMN oversight.power_item.item_code IS 'Stable code (e.g. PROC.METHOD).';
COMMENT ON COLUMN oversight.power_item.area_code IS 'Area the power belongs to.';
COMMENT ON COLUMN oversight.power_item.name_zh IS 'Name in Chinese.';
COMMENT ON COLUMN oversight.power_item.name_en IS 'Name in English.';
COMMENT ON COLUMN oversight.power_item.power_kind IS 'approval, review, allocation, payment, procurement, enforcement or management.';
COMMENT ON COLUMN oversight.power_item.legal_basis IS 'Law or regulation conferring the power.';
COMMENT ON COLUMN oversight.power_item.sort_order IS 'Display order within the area.';

CREATE TABLE oversight.key_node (
  node_code          text PRIMARY KEY CONSTRAINT key_node_code_format CHECK (node_code ~ '^[A-Z][A-Z0-9_.-]{1,63}$'),
  item_code          text NOT NULL REFERENCES oversight.power_item ON UPDATE CASCADE,
  name_zh            text NOT NULL CONSTRAINT key_node_name_zh_present CHECK (btrim(name_zh) <> ''),
  name_en            text NOT NULL CONSTRAINT key_node_name_en_present CHECK (btrim(name_en) <> ''),
  description        text,
  risk_criteria      text[] NOT NULL CONSTRAINT key_node_risk_criteria_known CHECK (
                       risk_criteria <@ ARRAY['large_fund_flow', 'high_frequency', 'public_attention', 'weak_rules', 'concentrated_power']
                       AND cardinality(risk_criteria) BETWEEN 1 AND 5),
  risk_grade         smallint NOT NULL CONSTRAINT key_node_risk_grade_range CHECK (risk_grade BETWEEN 1 AND 3),
  risk_basis         text NOT NULL DEFAULT 'criteria_count' CONSTRAINT key_node_risk_basis_known
                       CHECK (risk_basis IN ('criteria_count', 'consequence', 'power_type')),
  identified_by      text NOT NULL CONSTRAINT key_node_identified_by_known
                       CHECK (identified_by IN ('self_examination', 'staff_public_rating', 'special_meeting', 'superior_decision')),
  rule_doc_code      text REFERENCES oversight.implementing_rule ON UPDATE CASCADE,
  is_active          boolean NOT NULL DEFAULT true
);
COMMENT ON TABLE oversight.key_node IS
  'Key power nodes (重要权力节点): steps of a power where it concentrates or control is weak. Graded by risk; history in oversight.risk_grading.';
COMMENT ON COLUMN oversight.key_node.node_code IS 'Stable code (e.g. PROC.METHOD.NONOPEN).';
COMMENT ON COLUMN oversight.key_node.item_code IS 'The power the node belongs to.';
COMMENT ON COLUMN oversight.key_node.name_zh IS 'Name in Chinese.';
COMMENT ON COLUMN oversight.key_node.name_en IS 'Name in English.';
COMMENT ON COLUMN oversight.key_node.description IS 'What happens at the node and why it is risky.';
COMMENT ON COLUMN oversight.key_node.risk_criteria IS
  'Which of the five criteria of the seed document the node meets: large_fund_flow (资金流动量大), high_frequency (业务频率高), public_attention (社会关注热点), weak_rules (制度不落实), concentrated_power (权力相对集中难以制衡).';
COMMENT ON COLUMN oversight.key_node.risk_grade IS '1 high, 2 medium, 3 low. With risk_basis criteria_count it is derived from the number of criteria (settings risk.grade1_min_criteria, risk.grade2_min_criteria).';
COMMENT ON COLUMN oversight.key_node.risk_basis IS 'How the grade was set: criteria_count (derived), consequence (1 crime, 2 discipline, 3 minor) or power_type (set by hand).';
COMMENT ON COLUMN oversight.key_node.identified_by IS 'Route by which the node was identified: self_examination (自己找), staff_public_rating (群众评), special_meeting (专题会提), superior_decision (上级定).';
COMMENT ON COLUMN oversight.key_node.rule_doc_code IS 'Implementing rule the node''s monitoring rests on.';
COMMENT ON COLUMN oversight.key_node.is_active IS 'False when the node was retired from monitoring (rows are kept for history).';

CREATE TABLE oversight.risk_grading (
  node_code     text NOT NULL REFERENCES oversight.key_node ON UPDATE CASCADE ON DELETE CASCADE,
  graded_at     timestamptz NOT NULL,
  risk_grade    smallint NOT NULL CONSTRAINT risk_grading_grade_range CHECK (risk_grade BETWEEN 1 AND 3),
  risk_basis    text NOT NULL,
  risk_criteria text[] NOT NULL,
  reason        text,
  graded_by     text NOT NULL,
  PRIMARY KEY (node_code, graded_at)
);
COMMENT ON TABLE oversight.risk_grading IS 'History of every key node''s risk grade: one row each time the grade, basis or criteria change (re-grade when duties, processes or staff change).';
COMMENT ON COLUMN oversight.risk_grading.node_code IS 'The node graded.';
COMMENT ON COLUMN oversight.risk_grading.graded_at IS 'oversight.now() of the grading.';
COMMENT ON COLUMN oversight.risk_grading.risk_grade IS 'Grade given.';
COMMENT ON COLUMN oversight.risk_grading.risk_basis IS 'How it was set.';
COMMENT ON COLUMN oversight.risk_grading.risk_criteria IS 'Criteria met at the time.';
COMMENT ON COLUMN oversight.risk_grading.reason IS 'Why it was (re)graded.';
COMMENT ON COLUMN oversight.risk_grading.graded_by IS 'session_user who graded.';

CREATE FUNCTION oversight.risk_grade_from_criteria(p_criteria text[]) RETURNS smallint
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT (CASE
    WHEN cardinality(p_criteria) >= oversight.setting_value('risk.grade1_min_criteria')::integer THEN 1
    WHEN cardinality(p_criteria) >= oversight.setting_value('risk.grade2_min_criteria')::integer THEN 2
    ELSE 3 END)::smallint
$$;
COMMENT ON FUNCTION oversight.risk_grade_from_criteria(text[]) IS 'Risk grade for a number of criteria met: ≥ risk.grade1_min_criteria → 1, ≥ risk.grade2_min_criteria → 2, else 3.';

CREATE FUNCTION oversight.key_node_grade() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NEW.risk_basis = 'criteria_count' THEN
    NEW.risk_grade := oversight.risk_grade_from_criteria(NEW.risk_criteria);
  ELSIF NEW.risk_grade IS NULL THEN
    RAISE EXCEPTION 'key node %: risk_grade is required when risk_basis is %', NEW.node_code, NEW.risk_basis USING ERRCODE = '23502';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION oversight.key_node_grade() IS 'BEFORE trigger function: derives risk_grade from the criteria when risk_basis is criteria_count.';
CREATE TRIGGER key_node_grade BEFORE INSERT OR UPDATE ON oversight.key_node
  FOR EACH ROW EXECUTE FUNCTION oversight.key_node_grade();
COMMENT ON TRIGGER key_node_grade ON oversight.key_node IS 'Derives the risk grade before the row is stored.';

CREATE FUNCTION oversight.key_node_record_grading() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF TG_OP = 'INSERT' OR (OLD.risk_grade, OLD.risk_basis, OLD.risk_criteria) IS DISTINCT FROM (NEW.risk_grade, NEW.risk_basis, NEW.risk_criteria) THEN
    INSERT INTO oversight.risk_grading (node_code, graded_at, risk_grade, risk_basis, risk_criteria, reason, graded_by)
    VALUES (NEW.node_code, oversight.now(), NEW.risk_grade, NEW.risk_basis, NEW.risk_criteria,
            COALESCE(NULLIF(pg_catalog.current_setting('oversight.reason', true), ''), CASE WHEN TG_OP = 'INSERT' THEN 'initial grading' END),
            session_user)
    ON CONFLICT (node_code, graded_at) DO UPDATE
      SET risk_grade = EXCLUDED.risk_grade, risk_basis = EXCLUDED.risk_basis, risk_criteria = EXCLUDED.risk_criteria, reason = EXCLUDED.reason;
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION oversight.key_node_record_grading() IS 'AFTER trigger function: appends to oversight.risk_grading when a node is created or its grade, basis or criteria change.';
CREATE TRIGGER key_node_record_grading AFTER INSERT OR UPDATE ON oversight.key_node
  FOR EACH ROW EXECUTE FUNCTION oversight.key_node_record_grading();
COMMENT ON TRIGGER key_node_record_grading ON oversight.key_node IS 'Keeps the re-grading history.';

CREATE FUNCTION oversight.regrade_node(p_node_code text, p_criteria text[], p_reason text) RETURNS smallint
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE g smallint;
BEGIN
  IF p_reason IS NULL OR btrim(p_reason) = '' THEN
    RAISE EXCEPTION 'a reason is required to re-grade key node %', p_node_code USING ERRCODE = '22023';
  END IF;
  PERFORM pg_catalog.set_config('oversight.reason', p_reason, true);
  UPDATE oversight.key_node SET risk_criteria = p_criteria, risk_basis = 'criteria_count'
   WHERE node_code = p_node_code RETURNING risk_grade INTO g;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown key node "%"', p_node_code USING ERRCODE = '22023';
  END IF;
  PERFORM pg_catalog.set_config('oversight.reason', '', true);
  RETURN g;
END $$;
COMMENT ON FUNCTION oversight.regrade_node(text, text[], text) IS 'Re-grades a key node from a new set of criteria, with a mandatory reason; the history and the audit trail keep the old grade.';

CREATE TABLE oversight.node_supervision (
  node_code         text NOT NULL REFERENCES oversight.key_node ON UPDATE CASCADE ON DELETE CASCADE,
  supervision_mode  text NOT NULL CONSTRAINT node_supervision_mode_known
                      CHECK (supervision_mode IN ('leader_report', 'filing', 'public_disclosure', 'internal_disclosure', 'online_monitoring')),
  due_working_days  integer CONSTRAINT node_supervision_due_positive CHECK (due_working_days > 0),
  note              text,
  PRIMARY KEY (node_code, supervision_mode),
  CONSTRAINT node_supervision_due_where_needed CHECK ((supervision_mode = 'online_monitoring') = (due_working_days IS NULL))
);
COMMENT ON TABLE oversight.node_supervision IS
  'Which layers of supervision apply to each key node: leader_report (一事一报 to the leader in charge), filing (备案 with the discipline office), public_disclosure or internal_disclosure (政务公开/内部公开), online_monitoring (real-time rules).';
COMMENT ON COLUMN oversight.node_supervision.node_code IS 'The node supervised.';
COMMENT ON COLUMN oversight.node_supervision.supervision_mode IS 'The layer of supervision.';
COMMENT ON COLUMN oversight.node_supervision.due_working_days IS 'Working days after a matter forms by which the report, filing or disclosure is due (e.g. 20 for proactive disclosure, 政府信息公开条例 第26条). NULL for online monitoring.';
COMMENT ON COLUMN oversight.node_supervision.note IS 'Scope or conditions (e.g. "major purchases only").';

-------------------------------------------------------------------------------------------------------
-- Organisation and responsibility: units, people, posts and dated assignments.
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.org_unit (
  unit_code   text PRIMARY KEY CONSTRAINT org_unit_code_format CHECK (unit_code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  name_zh     text NOT NULL CONSTRAINT org_unit_name_zh_present CHECK (btrim(name_zh) <> ''),
  name_en     text,
  unit_kind   text NOT NULL CONSTRAINT org_unit_kind_known
                CHECK (unit_kind IN ('bureau', 'section', 'affiliated_unit', 'discipline_office', 'budget_unit', 'external')),
  parent_code text REFERENCES oversight.org_unit ON UPDATE CASCADE,
  valid_from  date NOT NULL DEFAULT '1900-01-01',
  valid_to    date,
  CONSTRAINT org_unit_validity_ordered CHECK (valid_to IS NULL OR valid_to > valid_from),
  CONSTRAINT org_unit_not_own_parent CHECK (parent_code IS DISTINCT FROM unit_code)
);
COMMENT ON TABLE oversight.org_unit IS 'Organisational units as a tree: the bureau, its sections (科室), affiliated units, the discipline office, and the budget units it pays for. A unit dissolved in a reorganisation keeps its row with valid_to set.';
COMMENT ON COLUMN oversight.org_unit.unit_code IS 'Natural key (e.g. the unit''s code in the budget system).';
COMMENT ON COLUMN oversight.org_unit.name_zh IS 'Name in Chinese.';
COMMENT ON COLUMN oversight.org_unit.name_en IS 'Name in English.';
COMMENT ON COLUMN oversight.org_unit.unit_kind IS 'bureau, section, affiliated_unit, discipline_office, budget_unit or external.';
COMMENT ON COLUMN oversight.org_unit.parent_code IS 'Parent unit in the tree.';
COMMENT ON COLUMN oversight.org_unit.valid_from IS 'First day the unit exists.';
COMMENT ON COLUMN oversight.org_unit.valid_to IS 'First day the unit no longer exists (NULL: still exists).';

CREATE FUNCTION oversight.org_unit_no_cycle() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NEW.parent_code IS NOT NULL AND EXISTS (
      WITH RECURSIVE up(code, depth) AS (
        SELECT NEW.parent_code, 1
        UNION ALL
        SELECT u.parent_code, up.depth + 1 FROM oversight.org_unit u JOIN up ON u.unit_code = up.code
         WHERE u.parent_code IS NOT NULL AND up.depth < 1000)
      SELECT FROM up WHERE code = NEW.unit_code) THEN
    RAISE EXCEPTION 'org unit %: parent % would make the unit tree a cycle', NEW.unit_code, NEW.parent_code USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION oversight.org_unit_no_cycle() IS 'BEFORE trigger function: refuses a parent that would make the unit tree a cycle.';
CREATE TRIGGER org_unit_no_cycle BEFORE INSERT OR UPDATE OF parent_code ON oversight.org_unit
  FOR EACH ROW EXECUTE FUNCTION oversight.org_unit_no_cycle();
COMMENT ON TRIGGER org_unit_no_cycle ON oversight.org_unit IS 'Keeps the unit tree a tree.';

CREATE TABLE oversight.person (
  person_code text PRIMARY KEY CONSTRAINT person_code_format CHECK (person_code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  full_name   text NOT NULL CONSTRAINT person_name_present CHECK (btrim(full_name) <> ''),
  is_staff    boolean NOT NULL DEFAULT true,
  login_role  name UNIQUE,
  note        text
);
COMMENT ON TABLE oversight.person IS 'People: the bureau''s officials (handlers, section chiefs, leaders, inspectors) and other people the rules must recognise.';
COMMENT ON COLUMN oversight.person.person_code IS 'Natural key (staff number).';
COMMENT ON COLUMN oversight.person.full_name IS 'Full name.';
COMMENT ON COLUMN oversight.person.is_staff IS 'True for staff of the bureau or its units.';
COMMENT ON COLUMN oversight.person.login_role IS 'Database login of the person, when they use the system (row-level security and audit).';
COMMENT ON COLUMN oversight.person.note IS 'Free remark.';

CREATE TABLE oversight.person_account (
  account_no   text NOT NULL CONSTRAINT person_account_no_present CHECK (btrim(account_no) <> ''),
  person_code  text NOT NULL REFERENCES oversight.person ON UPDATE CASCADE ON DELETE CASCADE,
  relation     text NOT NULL CONSTRAINT person_account_relation_known
                 CHECK (relation IN ('self', 'spouse', 'child', 'parent', 'sibling', 'other_relative')),
  holder_name  text NOT NULL,
  PRIMARY KEY (account_no, person_code)
);
COMMENT ON TABLE oversight.person_account IS 'Bank accounts of staff and of their close relatives, so payment rules can recognise a payee who is a staff member or relative.';
COMMENT ON COLUMN oversight.person_account.account_no IS 'Bank account number as it appears on payments.';
COMMENT ON COLUMN oversight.person_account.person_code IS 'The staff member it relates to.';
COMMENT ON COLUMN oversight.person_account.relation IS 'self, spouse, child, parent, sibling or other_relative.';
COMMENT ON COLUMN oversight.person_account.holder_name IS 'Name of the account holder.';

CREATE TABLE oversight.post (
  post_code   text PRIMARY KEY CONSTRAINT post_code_format CHECK (post_code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  unit_code   text NOT NULL REFERENCES oversight.org_unit ON UPDATE CASCADE,
  title_zh    text NOT NULL,
  title_en    text,
  power_kinds text[] NOT NULL DEFAULT '{}' CONSTRAINT post_power_kinds_known
                CHECK (power_kinds <@ ARRAY['approval', 'enforcement', 'management'])
);
COMMENT ON TABLE oversight.post IS 'Posts (岗位) in units; a post wielding approval, enforcement or management power makes its holders subject to personal power-use assessment.';
COMMENT ON COLUMN oversight.post.post_code IS 'Natural key.';
COMMENT ON COLUMN oversight.post.unit_code IS 'Unit the post belongs to.';
COMMENT ON COLUMN oversight.post.title_zh IS 'Title in Chinese.';
COMMENT ON COLUMN oversight.post.title_en IS 'Title in English.';
COMMENT ON COLUMN oversight.post.power_kinds IS 'Kinds of power the post wields: approval (审批权), enforcement (执法权), management (行政管理权).';

CREATE TABLE oversight.assignment (
  assignment_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_code   text NOT NULL REFERENCES oversight.person ON UPDATE CASCADE,
  unit_code     text NOT NULL REFERENCES oversight.org_unit ON UPDATE CASCADE,
  assignment_role text NOT NULL CONSTRAINT assignment_role_known
                  CHECK (assignment_role IN ('leader_in_charge', 'section_chief', 'unit_head', 'deputy_chief', 'handler', 'approver', 'inspector')),
  post_code     text REFERENCES oversight.post ON UPDATE CASCADE,
  valid_from    date NOT NULL,
  valid_to      date,
  CONSTRAINT assignment_validity_ordered CHECK (valid_to IS NULL OR valid_to > valid_from),
  CONSTRAINT assignment_natural_key UNIQUE (person_code, unit_code, assignment_role, valid_from)
);
COMMENT ON TABLE oversight.assignment IS
  'Who holds which role in which unit, and when: leader_in_charge (分管领导, primary responsible), section_chief and unit_head (科长/单位负责人, first responsible), deputy_chief, handler (经办人), approver, inspector. A unit has at most one leader in charge and one chief (section_chief or unit_head) on any day.';
COMMENT ON COLUMN oversight.assignment.assignment_id IS 'Surrogate key.';
COMMENT ON COLUMN oversight.assignment.person_code IS 'Who.';
COMMENT ON COLUMN oversight.assignment.unit_code IS 'Which unit (for leader_in_charge: the section the leader oversees).';
COMMENT ON COLUMN oversight.assignment.assignment_role IS 'Role held.';
COMMENT ON COLUMN oversight.assignment.post_code IS 'Post held, when known.';
COMMENT ON COLUMN oversight.assignment.valid_from IS 'First day of the assignment.';
COMMENT ON COLUMN oversight.assignment.valid_to IS 'First day after the assignment (NULL: open-ended).';

CREATE FUNCTION oversight.assignment_single_holder() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  clash oversight.assignment;
  chief_roles text[] := ARRAY['section_chief', 'unit_head'];
BEGIN
  IF NEW.assignment_role NOT IN ('leader_in_charge', 'section_chief', 'unit_head') THEN
    RETURN NEW;
  END IF;
  -- Serialise concurrent assignments to the same unit so the check below cannot race.
  PERFORM FROM oversight.org_unit WHERE unit_code = NEW.unit_code FOR UPDATE;
  -- The row being re-stated (same natural key: an upsert that corrects valid_to) is not a clash;
  -- BEFORE triggers fire before INSERT … ON CONFLICT finds it.
  SELECT a.* INTO clash FROM oversight.assignment a
   WHERE a.unit_code = NEW.unit_code
     AND a.assignment_id IS DISTINCT FROM NEW.assignment_id
     AND (a.person_code, a.assignment_role, a.valid_from) IS DISTINCT FROM (NEW.person_code, NEW.assignment_role, NEW.valid_from)
     AND (a.assignment_role = NEW.assignment_role
          OR (a.assignment_role = ANY (chief_roles) AND NEW.assignment_role = ANY (chief_roles)))
     AND daterange(a.valid_from, a.valid_to) && daterange(NEW.valid_from, NEW.valid_to)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'unit % already has a % (%) from % to %; % cannot also be % from %',
      NEW.unit_code, clash.assignment_role, clash.person_code, clash.valid_from, COALESCE(clash.valid_to::text, 'open end'),
      NEW.person_code, NEW.assignment_role, NEW.valid_from
      USING ERRCODE = '23P01', HINT = 'End the current assignment (set valid_to) before the new one starts.';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION oversight.assignment_single_holder() IS 'BEFORE trigger function: one leader in charge and one chief per unit on any day.';
CREATE TRIGGER assignment_single_holder BEFORE INSERT OR UPDATE ON oversight.assignment
  FOR EACH ROW EXECUTE FUNCTION oversight.assignment_single_holder();
COMMENT ON TRIGGER assignment_single_holder ON oversight.assignment IS 'Enforces a single responsible holder per unit and day.';

CREATE TABLE oversight.node_owner (
  node_code   text NOT NULL REFERENCES oversight.key_node ON UPDATE CASCADE ON DELETE CASCADE,
  unit_code   text NOT NULL REFERENCES oversight.org_unit ON UPDATE CASCADE,
  valid_from  date NOT NULL,
  valid_to    date,
  PRIMARY KEY (node_code, valid_from),
  CONSTRAINT node_owner_validity_ordered CHECK (valid_to IS NULL OR valid_to > valid_from)
);
COMMENT ON TABLE oversight.node_owner IS 'Which unit owns (exercises) each key node over time; a reorganisation ends one row and starts another.';
COMMENT ON COLUMN oversight.node_owner.node_code IS 'The node.';
COMMENT ON COLUMN oversight.node_owner.unit_code IS 'Owning section or unit.';
COMMENT ON COLUMN oversight.node_owner.valid_from IS 'First day of ownership.';
COMMENT ON COLUMN oversight.node_owner.valid_to IS 'First day after ownership (NULL: open-ended).';

CREATE FUNCTION oversight.node_owner_no_overlap() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE other oversight.node_owner;
BEGIN
  PERFORM FROM oversight.key_node WHERE node_code = NEW.node_code FOR UPDATE;
  SELECT o.* INTO other FROM oversight.node_owner o
   WHERE o.node_code = NEW.node_code AND o.valid_from <> NEW.valid_from
     AND daterange(o.valid_from, o.valid_to) && daterange(NEW.valid_from, NEW.valid_to) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'key node % is already owned by % from % to %', NEW.node_code, other.unit_code, other.valid_from,
      COALESCE(other.valid_to::text, 'open end') USING ERRCODE = '23P01';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION oversight.node_owner_no_overlap() IS 'BEFORE trigger function: a node has one owning unit on any day.';
CREATE TRIGGER node_owner_no_overlap BEFORE INSERT OR UPDATE ON oversight.node_owner
  FOR EACH ROW EXECUTE FUNCTION oversight.node_owner_no_overlap();
COMMENT ON TRIGGER node_owner_no_overlap ON oversight.node_owner IS 'Enforces a single owner per node and day.';

CREATE FUNCTION oversight.unit_responsible(p_unit_code text, p_on date)
  RETURNS TABLE (responsibility text, person_code text, full_name text, unit_code text, assignment_role text)
  LANGUAGE sql STABLE STRICT
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN a.assignment_role = 'leader_in_charge' THEN 'primary' ELSE 'first' END,
         a.person_code, p.full_name, a.unit_code, a.assignment_role
    FROM oversight.assignment a
    JOIN oversight.person p ON p.person_code = a.person_code
   WHERE a.unit_code = p_unit_code
     AND a.assignment_role IN ('leader_in_charge', 'section_chief', 'unit_head')
     AND p_on >= a.valid_from AND (a.valid_to IS NULL OR p_on < a.valid_to)
   ORDER BY 1 DESC, a.person_code
$$;
COMMENT ON FUNCTION oversight.unit_responsible(text, date) IS
  'Who is responsible for a unit on a date: primary (主要责任人, the leader in charge) and first (第一责任人, the section chief or unit head).';

CREATE FUNCTION oversight.responsible_for(p_node_code text, p_on date)
  RETURNS TABLE (responsibility text, person_code text, full_name text, unit_code text, assignment_role text)
  LANGUAGE plpgsql STABLE STRICT
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE owner text;
BEGIN
  IF NOT EXISTS (SELECT FROM oversight.key_node k WHERE k.node_code = p_node_code) THEN
    RAISE EXCEPTION 'unknown key node "%"', p_node_code USING ERRCODE = '22023';
  END IF;
  SELECT o.unit_code INTO owner FROM oversight.node_owner o
   WHERE o.node_code = p_node_code AND p_on >= o.valid_from AND (o.valid_to IS NULL OR p_on < o.valid_to);
  IF owner IS NULL THEN
    RETURN; -- nobody owned the node that day: an empty answer, which reports show as a gap
  END IF;
  RETURN QUERY SELECT * FROM oversight.unit_responsible(owner, p_on);
END $$;
COMMENT ON FUNCTION oversight.responsible_for(text, date) IS
  'Who was primary and first responsible for a key node on a date: the node''s owning unit that day, then that unit''s leader in charge and chief that day. Correct across reorganisations and reassignments.';

CREATE VIEW oversight.node_register AS
  SELECT a.area_code, a.name_zh AS area_name_zh, a.name_en AS area_name_en,
         i.item_code, i.name_zh AS item_name_zh, i.power_kind,
         k.node_code, k.name_zh AS node_name_zh, k.name_en AS node_name_en, k.risk_grade, k.risk_criteria, k.identified_by,
         k.rule_doc_code,
         (SELECT pg_catalog.array_agg(s.supervision_mode ORDER BY s.supervision_mode) FROM oversight.node_supervision s
           WHERE s.node_code = k.node_code) AS supervision_modes,
         o.unit_code AS owner_unit_code,
         (SELECT r.full_name FROM oversight.unit_responsible(o.unit_code, oversight.today()) r WHERE r.responsibility = 'primary' LIMIT 1) AS primary_responsible,
         (SELECT r.full_name FROM oversight.unit_responsible(o.unit_code, oversight.today()) r WHERE r.responsibility = 'first' LIMIT 1) AS first_responsible
    FROM oversight.key_node k
    JOIN oversight.power_item i ON i.item_code = k.item_code
    JOIN oversight.area a ON a.area_code = i.area_code
    LEFT JOIN oversight.node_owner o ON o.node_code = k.node_code
          AND oversight.today() >= o.valid_from AND (o.valid_to IS NULL OR oversight.today() < o.valid_to)
   WHERE k.is_active;
COMMENT ON VIEW oversight.node_register IS 'The power register (权力清单) as of oversight.today(): every active key node with its area, power, grade, supervision layers, owning unit and the people primary and first responsible for it today. A NULL owner or person is a gap to fix.';
COMMENT ON COLUMN oversight.node_register.area_code IS 'Area.';
COMMENT ON COLUMN oversight.node_register.area_name_zh IS 'Area name (Chinese).';
COMMENT ON COLUMN oversight.node_register.area_name_en IS 'Area name (English).';
COMMENT ON COLUMN oversight.node_register.item_code IS 'Power item.';
COMMENT ON COLUMN oversight.node_register.item_name_zh IS 'Power item name (Chinese).';
COMMENT ON COLUMN oversight.node_register.power_kind IS 'Kind of power.';
COMMENT ON COLUMN oversight.node_register.node_code IS 'Key node.';
COMMENT ON COLUMN oversight.node_register.node_name_zh IS 'Key node name (Chinese).';
COMMENT ON COLUMN oversight.node_register.node_name_en IS 'Key node name (English).';
COMMENT ON COLUMN oversight.node_register.risk_grade IS 'Risk grade (1 high … 3 low).';
COMMENT ON COLUMN oversight.node_register.risk_criteria IS 'Risk criteria met.';
COMMENT ON COLUMN oversight.node_register.identified_by IS 'How the node was identified.';
COMMENT ON COLUMN oversight.node_register.rule_doc_code IS 'Implementing rule.';
COMMENT ON COLUMN oversight.node_register.supervision_modes IS 'Supervision layers applied.';
COMMENT ON COLUMN oversight.node_register.owner_unit_code IS 'Unit owning the node today (NULL: nobody).';
COMMENT ON COLUMN oversight.node_register.primary_responsible IS 'Leader in charge of the owning unit today (主要责任人).';
COMMENT ON COLUMN oversight.node_register.first_responsible IS 'Chief of the owning unit today (第一责任人).';

-------------------------------------------------------------------------------------------------------
-- Canonical finance records. Natural keys make loading idempotent; OCDS maps onto the procurement
-- tables with the original document kept in source_document. Tables a DBA already has are watched by
-- mapping onto these shapes, so this model is the reference, not a requirement.
-------------------------------------------------------------------------------------------------------
CREATE DOMAIN oversight.amount AS numeric
  CONSTRAINT amount_non_negative CHECK (VALUE >= 0)
  CONSTRAINT amount_below_limit CHECK (VALUE < 1e15)
  CONSTRAINT amount_at_most_4_decimals CHECK (pg_catalog.scale(VALUE) <= 4);
COMMENT ON DOMAIN oversight.amount IS 'A money amount: non-negative, below 10^15, at most 4 decimals.';

CREATE DOMAIN oversight.currency AS text
  CONSTRAINT currency_iso_4217 CHECK (VALUE ~ '^[A-Z]{3}$');
COMMENT ON DOMAIN oversight.currency IS 'An ISO 4217 currency code (three capital letters).';

CREATE DOMAIN oversight.fiscal_year AS integer
  CONSTRAINT fiscal_year_range CHECK (VALUE BETWEEN 1990 AND 2200);
COMMENT ON DOMAIN oversight.fiscal_year IS 'A fiscal (calendar) year between 1990 and 2200.';

CREATE TABLE oversight.party (
  party_code        text PRIMARY KEY CONSTRAINT party_code_present CHECK (btrim(party_code) <> ''),
  name              text NOT NULL CONSTRAINT party_name_present CHECK (btrim(name) <> ''),
  identifier_scheme text,
  identifier_id     text,
  address           text,
  contact_name      text,
  contact_email     text,
  contact_phone     text,
  bank_account      text,
  is_sme            boolean,
  source_document   jsonb
);
COMMENT ON TABLE oversight.party IS 'Organisations and people outside the bureau''s own units: suppliers, tenderers, payees, buyers of OCDS data, penalised subjects.';
COMMENT ON COLUMN oversight.party.party_code IS 'Natural key: the unified social credit code (统一社会信用代码), or scheme-id of an OCDS party.';
COMMENT ON COLUMN oversight.party.name IS 'Legal name.';
COMMENT ON COLUMN oversight.party.identifier_scheme IS 'Identifier scheme (e.g. CN-USCC, MD-IDNO).';
COMMENT ON COLUMN oversight.party.identifier_id IS 'Identifier within the scheme.';
COMMENT ON COLUMN oversight.party.address IS 'Address as one line (collusion checks compare it).';
COMMENT ON COLUMN oversight.party.contact_name IS 'Contact person.';
COMMENT ON COLUMN oversight.party.contact_email IS 'Contact e-mail.';
COMMENT ON COLUMN oversight.party.contact_phone IS 'Contact telephone.';
COMMENT ON COLUMN oversight.party.bank_account IS 'Bank account of the party.';
COMMENT ON COLUMN oversight.party.is_sme IS 'True for a small or medium enterprise (中小企业): payment deadlines apply.';
COMMENT ON COLUMN oversight.party.source_document IS 'Original party object (OCDS) as loaded.';

CREATE TABLE oversight.budget_project (
  project_code      text PRIMARY KEY CONSTRAINT budget_project_code_present CHECK (btrim(project_code) <> ''),
  fiscal_year       oversight.fiscal_year NOT NULL,
  unit_code         text NOT NULL REFERENCES oversight.org_unit ON UPDATE CASCADE,
  name              text NOT NULL,
  category_code     text,
  budget_amount     oversight.amount NOT NULL,
  currency          oversight.currency NOT NULL DEFAULT 'CNY',
  is_special_fund   boolean NOT NULL DEFAULT false,
  special_purpose   text,
  adjusted_on       date,
  CONSTRAINT budget_project_special_purpose_stated CHECK (NOT is_special_fund OR special_purpose IS NOT NULL)
);
COMMENT ON TABLE oversight.budget_project IS 'Budget projects (预算项目) of a fiscal year: what procurement, allocations and payments are charged to.';
COMMENT ON COLUMN oversight.budget_project.project_code IS 'Natural key from the budget system.';
COMMENT ON COLUMN oversight.budget_project.fiscal_year IS 'Fiscal year.';
COMMENT ON COLUMN oversight.budget_project.unit_code IS 'Budget unit holding the project.';
COMMENT ON COLUMN oversight.budget_project.name IS 'Project name.';
COMMENT ON COLUMN oversight.budget_project.category_code IS 'Procurement catalogue category (品目) the project buys, when it buys one.';
COMMENT ON COLUMN oversight.budget_project.budget_amount IS 'Approved (or adjusted) budget.';
COMMENT ON COLUMN oversight.budget_project.currency IS 'Currency of the budget.';
COMMENT ON COLUMN oversight.budget_project.is_special_fund IS 'True for a special fund (专项资金), whose use is bound to special_purpose.';
COMMENT ON COLUMN oversight.budget_project.special_purpose IS 'Purpose a special fund may be used for.';
COMMENT ON COLUMN oversight.budget_project.adjusted_on IS 'Date of the last approved budget adjustment (purchase-splitting rules accept splits after one).';

CREATE TABLE oversight.procurement_process (
  ocid                 text PRIMARY KEY CONSTRAINT procurement_ocid_present CHECK (btrim(ocid) <> ''),
  title                text,
  description          text,
  buyer_unit_code      text REFERENCES oversight.org_unit ON UPDATE CASCADE,
  buyer_party_code     text REFERENCES oversight.party ON UPDATE CASCADE,
  procuring_entity_party_code text REFERENCES oversight.party ON UPDATE CASCADE,
  budget_project_code  text REFERENCES oversight.budget_project ON UPDATE CASCADE,
  fiscal_year          oversight.fiscal_year,
  category_code        text,
  main_procurement_category text CONSTRAINT procurement_main_category_known CHECK (main_procurement_category IN ('goods', 'works', 'services')),
  procurement_method   text CONSTRAINT procurement_method_known CHECK (procurement_method IN ('open', 'selective', 'limited', 'direct')),
  method_details       text,
  method_approval_ref  text,
  estimated_value      oversight.amount,
  currency             oversight.currency,
  tender_status        text,
  tender_period_start  timestamptz,
  tender_period_end    timestamptz,
  number_of_tenderers  integer CONSTRAINT procurement_tenderers_non_negative CHECK (number_of_tenderers >= 0),
  handler_code         text REFERENCES oversight.person ON UPDATE CASCADE,
  approver_code        text REFERENCES oversight.person ON UPDATE CASCADE,
  published_at         timestamptz,
  source_document      jsonb,
  CONSTRAINT procurement_tender_period_ordered CHECK (tender_period_end IS NULL OR tender_period_start IS NULL OR tender_period_end >= tender_period_start),
  CONSTRAINT procurement_value_has_currency CHECK (estimated_value IS NULL OR currency IS NOT NULL)
);
COMMENT ON TABLE oversight.procurement_process IS 'Contracting processes (采购项目), one per OCDS ocid; the compiled release is kept whole in source_document.';
COMMENT ON COLUMN oversight.procurement_process.ocid IS 'Open Contracting ID, or the platform''s project number for domestic data.';
COMMENT ON COLUMN oversight.procurement_process.title IS 'Tender title.';
COMMENT ON COLUMN oversight.procurement_process.description IS 'Tender description.';
COMMENT ON COLUMN oversight.procurement_process.buyer_unit_code IS 'Buying unit when it is one of the bureau''s units.';
COMMENT ON COLUMN oversight.procurement_process.buyer_party_code IS 'Buyer as a party (OCDS buyer).';
COMMENT ON COLUMN oversight.procurement_process.procuring_entity_party_code IS 'Procuring entity or agency (采购代理机构) as a party.';
COMMENT ON COLUMN oversight.procurement_process.budget_project_code IS 'Budget project paying for it.';
COMMENT ON COLUMN oversight.procurement_process.fiscal_year IS 'Fiscal year of the purchase.';
COMMENT ON COLUMN oversight.procurement_process.category_code IS 'Item or category (品目) of the purchase, e.g. a CPV or 政府采购品目 code.';
COMMENT ON COLUMN oversight.procurement_process.main_procurement_category IS 'goods, works or services.';
COMMENT ON COLUMN oversight.procurement_process.procurement_method IS 'OCDS method: open (公开招标), selective (邀请招标), limited (竞争性谈判/磋商/询价), direct (单一来源).';
COMMENT ON COLUMN oversight.procurement_process.method_details IS 'Method as named locally (e.g. 竞争性磋商).';
COMMENT ON COLUMN oversight.procurement_process.method_approval_ref IS 'Reference of the prior approval for a non-open method at or above the public-tender threshold (政府采购法 第27条).';
COMMENT ON COLUMN oversight.procurement_process.estimated_value IS 'Estimated or budgeted value of the tender.';
COMMENT ON COLUMN oversight.procurement_process.currency IS 'Currency of the value.';
COMMENT ON COLUMN oversight.procurement_process.tender_status IS 'OCDS tender.status (planning, active, cancelled, unsuccessful, complete, withdrawn).';
COMMENT ON COLUMN oversight.procurement_process.tender_period_start IS 'Tender documents available from (tenderPeriod.startDate).';
COMMENT ON COLUMN oversight.procurement_process.tender_period_end IS 'Bid deadline (tenderPeriod.endDate).';
COMMENT ON COLUMN oversight.procurement_process.number_of_tenderers IS 'Number of tenderers (tender.numberOfTenderers).';
COMMENT ON COLUMN oversight.procurement_process.handler_code IS 'Official who handled the process.';
COMMENT ON COLUMN oversight.procurement_process.approver_code IS 'Official who approved it.';
COMMENT ON COLUMN oversight.procurement_process.published_at IS 'Date of the latest release.';
COMMENT ON COLUMN oversight.procurement_process.source_document IS 'Original compiled release (OCDS) or source row, as loaded.';

CREATE TABLE oversight.procurement_lot (
  ocid        text NOT NULL REFERENCES oversight.procurement_process ON UPDATE CASCADE ON DELETE CASCADE,
  lot_id      text NOT NULL,
  title       text,
  value       oversight.amount,
  currency    oversight.currency,
  status      text,
  PRIMARY KEY (ocid, lot_id)
);
COMMENT ON TABLE oversight.procurement_lot IS 'Lots (标段/包) of a process.';
COMMENT ON COLUMN oversight.procurement_lot.ocid IS 'Process.';
COMMENT ON COLUMN oversight.procurement_lot.lot_id IS 'Lot identifier within the process.';
COMMENT ON COLUMN oversight.procurement_lot.title IS 'Lot title.';
COMMENT ON COLUMN oversight.procurement_lot.value IS 'Estimated value of the lot.';
COMMENT ON COLUMN oversight.procurement_lot.currency IS 'Currency of the value.';
COMMENT ON COLUMN oversight.procurement_lot.status IS 'Lot status.';

CREATE TABLE oversight.bid (
  ocid          text NOT NULL REFERENCES oversight.procurement_process ON UPDATE CASCADE ON DELETE CASCADE,
  bid_id        text NOT NULL,
  lot_id        text,
  amount        oversight.amount,
  currency      oversight.currency,
  submitted_at  text,
  status        text,
  bond_account  text,
  contact_name  text,
  source_document jsonb,
  PRIMARY KEY (ocid, bid_id),
  CONSTRAINT bid_amount_has_currency CHECK (amount IS NULL OR currency IS NOT NULL)
);
COMMENT ON TABLE oversight.bid IS 'Bids (投标) received in a process (OCDS bids extension: bids.details).';
COMMENT ON COLUMN oversight.bid.ocid IS 'Process.';
COMMENT ON COLUMN oversight.bid.bid_id IS 'Bid identifier within the process.';
COMMENT ON COLUMN oversight.bid.lot_id IS 'Lot bid for.';
COMMENT ON COLUMN oversight.bid.amount IS 'Bid price.';
COMMENT ON COLUMN oversight.bid.currency IS 'Currency of the price.';
COMMENT ON COLUMN oversight.bid.submitted_at IS 'Submission date exactly as given (OCDS compares these as strings).';
COMMENT ON COLUMN oversight.bid.status IS 'invited, pending, valid, disqualified or withdrawn.';
COMMENT ON COLUMN oversight.bid.bond_account IS 'Account the bid bond (投标保证金) came from (collusion signal when shared).';
COMMENT ON COLUMN oversight.bid.contact_name IS 'Contact or project manager named in the bid.';
COMMENT ON COLUMN oversight.bid.source_document IS 'Original bid object, as loaded.';

CREATE TABLE oversight.bid_tenderer (
  ocid        text NOT NULL,
  bid_id      text NOT NULL,
  party_code  text NOT NULL REFERENCES oversight.party ON UPDATE CASCADE,
  PRIMARY KEY (ocid, bid_id, party_code),
  FOREIGN KEY (ocid, bid_id) REFERENCES oversight.bid ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE oversight.bid_tenderer IS 'Tenderers of each bid (a consortium bid has several).';
COMMENT ON COLUMN oversight.bid_tenderer.ocid IS 'Process.';
COMMENT ON COLUMN oversight.bid_tenderer.bid_id IS 'Bid.';
COMMENT ON COLUMN oversight.bid_tenderer.party_code IS 'Tenderer.';

CREATE TABLE oversight.award (
  ocid        text NOT NULL REFERENCES oversight.procurement_process ON UPDATE CASCADE ON DELETE CASCADE,
  award_id    text NOT NULL,
  lot_id      text,
  title       text,
  status      text,
  amount      oversight.amount,
  currency    oversight.currency,
  award_date  timestamptz,
  source_document jsonb,
  PRIMARY KEY (ocid, award_id),
  CONSTRAINT award_amount_has_currency CHECK (amount IS NULL OR currency IS NOT NULL)
);
COMMENT ON TABLE oversight.award IS 'Awards (中标/成交) of a process.';
COMMENT ON COLUMN oversight.award.ocid IS 'Process.';
COMMENT ON COLUMN oversight.award.award_id IS 'Award identifier within the process.';
COMMENT ON COLUMN oversight.award.lot_id IS 'Lot awarded.';
COMMENT ON COLUMN oversight.award.title IS 'Award title.';
COMMENT ON COLUMN oversight.award.status IS 'pending, active, cancelled or unsuccessful.';
COMMENT ON COLUMN oversight.award.amount IS 'Awarded value.';
COMMENT ON COLUMN oversight.award.currency IS 'Currency of the value.';
COMMENT ON COLUMN oversight.award.award_date IS 'Date of the award decision.';
COMMENT ON COLUMN oversight.award.source_document IS 'Original award object, as loaded.';

CREATE TABLE oversight.award_supplier (
  ocid        text NOT NULL,
  award_id    text NOT NULL,
  party_code  text NOT NULL REFERENCES oversight.party ON UPDATE CASCADE,
  PRIMARY KEY (ocid, award_id, party_code),
  FOREIGN KEY (ocid, award_id) REFERENCES oversight.award ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE oversight.award_supplier IS 'Suppliers of each award.';
COMMENT ON COLUMN oversight.award_supplier.ocid IS 'Process.';
COMMENT ON COLUMN oversight.award_supplier.award_id IS 'Award.';
COMMENT ON COLUMN oversight.award_supplier.party_code IS 'Supplier.';

CREATE TABLE oversight.contract (
  contract_code        text PRIMARY KEY CONSTRAINT contract_code_present CHECK (btrim(contract_code) <> ''),
  ocid                 text REFERENCES oversight.procurement_process ON UPDATE CASCADE,
  award_id             text,
  buyer_unit_code      text REFERENCES oversight.org_unit ON UPDATE CASCADE,
  supplier_party_code  text REFERENCES oversight.party ON UPDATE CASCADE,
  title                text,
  amount               oversight.amount,
  currency             oversight.currency,
  status               text,
  signed_on            date,
  period_start         date,
  period_end           date,
  parent_contract_code text REFERENCES oversight.contract ON UPDATE CASCADE,
  payment_term_days    integer CONSTRAINT contract_payment_term_positive CHECK (payment_term_days > 0),
  source_document      jsonb,
  CONSTRAINT contract_amount_has_currency CHECK (amount IS NULL OR currency IS NOT NULL),
  CONSTRAINT contract_period_ordered CHECK (period_end IS NULL OR period_start IS NULL OR period_end >= period_start),
  CONSTRAINT contract_award_needs_process CHECK (award_id IS NULL OR ocid IS NOT NULL),
  CONSTRAINT contract_not_own_parent CHECK (parent_contract_code IS DISTINCT FROM contract_code)
);
COMMENT ON TABLE oversight.contract IS 'Contracts (合同), from procurement or signed directly; a supplementary contract (补充合同, single-source top-up) names its parent.';
COMMENT ON COLUMN oversight.contract.contract_code IS 'Natural key (for OCDS: ocid/contract id).';
COMMENT ON COLUMN oversight.contract.ocid IS 'Process the contract comes from.';
COMMENT ON COLUMN oversight.contract.award_id IS 'Award it implements (OCDS awardID).';
COMMENT ON COLUMN oversight.contract.buyer_unit_code IS 'Buying unit.';
COMMENT ON COLUMN oversight.contract.supplier_party_code IS 'Supplier.';
COMMENT ON COLUMN oversight.contract.title IS 'Title.';
COMMENT ON COLUMN oversight.contract.amount IS 'Contract value.';
COMMENT ON COLUMN oversight.contract.currency IS 'Currency of the value.';
COMMENT ON COLUMN oversight.contract.status IS 'pending, active, cancelled or terminated.';
COMMENT ON COLUMN oversight.contract.signed_on IS 'Date signed.';
COMMENT ON COLUMN oversight.contract.period_start IS 'Start of performance.';
COMMENT ON COLUMN oversight.contract.period_end IS 'End of performance.';
COMMENT ON COLUMN oversight.contract.parent_contract_code IS 'Original contract of a supplementary contract (top-up).';
COMMENT ON COLUMN oversight.contract.payment_term_days IS 'Agreed days from delivery to payment (SME contracts: at most 60, 保障中小企业款项支付条例).';
COMMENT ON COLUMN oversight.contract.source_document IS 'Original contract object, as loaded.';

CREATE FUNCTION oversight.contract_parent_award_consistent() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NEW.award_id IS NOT NULL AND NOT EXISTS (
       SELECT FROM oversight.award a WHERE a.ocid = NEW.ocid AND a.award_id = NEW.award_id) THEN
    RAISE EXCEPTION 'contract %: award % does not exist in process %', NEW.contract_code, NEW.award_id, NEW.ocid
      USING ERRCODE = '23503';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION oversight.contract_parent_award_consistent() IS 'BEFORE trigger function: a contract''s award must belong to its process.';
CREATE TRIGGER contract_award_exists BEFORE INSERT OR UPDATE OF ocid, award_id ON oversight.contract
  FOR EACH ROW EXECUTE FUNCTION oversight.contract_parent_award_consistent();
COMMENT ON TRIGGER contract_award_exists ON oversight.contract IS 'Checks the award named by a contract.';

CREATE TABLE oversight.fund_allocation (
  allocation_code      text PRIMARY KEY CONSTRAINT fund_allocation_code_present CHECK (btrim(allocation_code) <> ''),
  budget_project_code  text REFERENCES oversight.budget_project ON UPDATE CASCADE,
  recipient_unit_code  text REFERENCES oversight.org_unit ON UPDATE CASCADE,
  recipient_name       text NOT NULL,
  amount               oversight.amount NOT NULL CONSTRAINT fund_allocation_amount_positive CHECK (amount > 0),
  currency             oversight.currency NOT NULL DEFAULT 'CNY',
  purpose              text NOT NULL,
  fund_kind            text NOT NULL DEFAULT 'general' CONSTRAINT fund_allocation_kind_known CHECK (fund_kind IN ('general', 'special')),
  allocated_on         date NOT NULL,
  document_ref         text,
  handler_code         text REFERENCES oversight.person ON UPDATE CASCADE,
  approver_code        text REFERENCES oversight.person ON UPDATE CASCADE
);
COMMENT ON TABLE oversight.fund_allocation IS 'Allocations of funds (资金分配/指标下达) to units or recipients, charged to a budget project.';
COMMENT ON COLUMN oversight.fund_allocation.allocation_code IS 'Natural key (document or allocation number).';
COMMENT ON COLUMN oversight.fund_allocation.budget_project_code IS 'Budget project charged; NULL is itself a warning sign (allocation without budget).';
COMMENT ON COLUMN oversight.fund_allocation.recipient_unit_code IS 'Receiving unit, when it is a known unit.';
COMMENT ON COLUMN oversight.fund_allocation.recipient_name IS 'Receiving unit or person as written.';
COMMENT ON COLUMN oversight.fund_allocation.amount IS 'Amount allocated.';
COMMENT ON COLUMN oversight.fund_allocation.currency IS 'Currency.';
COMMENT ON COLUMN oversight.fund_allocation.purpose IS 'Stated purpose.';
COMMENT ON COLUMN oversight.fund_allocation.fund_kind IS 'general or special (专项资金).';
COMMENT ON COLUMN oversight.fund_allocation.allocated_on IS 'Date of allocation.';
COMMENT ON COLUMN oversight.fund_allocation.document_ref IS 'Allocation document (文号).';
COMMENT ON COLUMN oversight.fund_allocation.handler_code IS 'Official who prepared it.';
COMMENT ON COLUMN oversight.fund_allocation.approver_code IS 'Official who approved it.';

CREATE TABLE oversight.payment (
  payment_code         text PRIMARY KEY CONSTRAINT payment_code_present CHECK (btrim(payment_code) <> ''),
  payer_unit_code      text NOT NULL REFERENCES oversight.org_unit ON UPDATE CASCADE,
  payee_name           text NOT NULL CONSTRAINT payment_payee_present CHECK (btrim(payee_name) <> ''),
  payee_party_code     text REFERENCES oversight.party ON UPDATE CASCADE,
  payee_account        text,
  amount               oversight.amount NOT NULL CONSTRAINT payment_amount_positive CHECK (amount > 0),
  currency             oversight.currency NOT NULL DEFAULT 'CNY',
  purpose              text,
  expense_type         text,
  payment_method       text NOT NULL CONSTRAINT payment_method_known CHECK (payment_method IN ('transfer', 'cash', 'official_card')),
  contract_code        text REFERENCES oversight.contract ON UPDATE CASCADE,
  invoice_no           text,
  budget_project_code  text REFERENCES oversight.budget_project ON UPDATE CASCADE,
  allocation_code      text REFERENCES oversight.fund_allocation ON UPDATE CASCADE,
  delivered_on         date,
  requested_on         date,
  approved_at          timestamptz,
  paid_on              date,
  handler_code         text REFERENCES oversight.person ON UPDATE CASCADE,
  approver_code        text REFERENCES oversight.person ON UPDATE CASCADE,
  status               text NOT NULL DEFAULT 'paid' CONSTRAINT payment_status_known CHECK (status IN ('requested', 'approved', 'held', 'paid', 'returned')),
  CONSTRAINT payment_paid_has_date CHECK (status <> 'paid' OR paid_on IS NOT NULL)
);
COMMENT ON TABLE oversight.payment IS 'Payments through treasury centralised payment (国库集中支付): who paid whom, how much, for what, by which method, against which contract and budget.';
COMMENT ON COLUMN oversight.payment.payment_code IS 'Natural key (payment voucher number).';
COMMENT ON COLUMN oversight.payment.payer_unit_code IS 'Paying budget unit.';
COMMENT ON COLUMN oversight.payment.payee_name IS 'Payee as written on the voucher.';
COMMENT ON COLUMN oversight.payment.payee_party_code IS 'Payee as a known party.';
COMMENT ON COLUMN oversight.payment.payee_account IS 'Payee bank account.';
COMMENT ON COLUMN oversight.payment.amount IS 'Amount paid (positive).';
COMMENT ON COLUMN oversight.payment.currency IS 'Currency.';
COMMENT ON COLUMN oversight.payment.purpose IS 'Purpose (用途) as written.';
COMMENT ON COLUMN oversight.payment.expense_type IS 'Economic classification of the expense (e.g. office, travel, hospitality, meeting, training, vehicle); official-card rules read it.';
COMMENT ON COLUMN oversight.payment.payment_method IS 'transfer (转账), cash (现金) or official_card (公务卡).';
COMMENT ON COLUMN oversight.payment.contract_code IS 'Contract paid under.';
COMMENT ON COLUMN oversight.payment.invoice_no IS 'Invoice number (duplicate-payment rules compare it).';
COMMENT ON COLUMN oversight.payment.budget_project_code IS 'Budget project charged.';
COMMENT ON COLUMN oversight.payment.allocation_code IS 'Fund allocation the payment draws on.';
COMMENT ON COLUMN oversight.payment.delivered_on IS 'Date goods or services were accepted (SME payment deadlines run from it).';
COMMENT ON COLUMN oversight.payment.requested_on IS 'Date the payment was requested.';
COMMENT ON COLUMN oversight.payment.approved_at IS 'When it was approved.';
COMMENT ON COLUMN oversight.payment.paid_on IS 'Date paid.';
COMMENT ON COLUMN oversight.payment.handler_code IS 'Official who handled it (经办人).';
COMMENT ON COLUMN oversight.payment.approver_code IS 'Official who approved it.';
COMMENT ON COLUMN oversight.payment.status IS 'requested, approved, held (pending verification), paid or returned.';

CREATE TABLE oversight.payment_signoff (
  payment_code   text NOT NULL REFERENCES oversight.payment ON UPDATE CASCADE ON DELETE CASCADE,
  signoff_level  text NOT NULL CONSTRAINT payment_signoff_level_known CHECK (signoff_level IN ('handler', 'section_chief', 'leader_in_charge')),
  person_code    text NOT NULL REFERENCES oversight.person ON UPDATE CASCADE,
  signed_at      timestamptz NOT NULL,
  PRIMARY KEY (payment_code, signoff_level)
);
COMMENT ON TABLE oversight.payment_signoff IS 'Sign-offs on a payment; large payments need handler → section chief → leader in charge.';
COMMENT ON COLUMN oversight.payment_signoff.payment_code IS 'Payment signed.';
COMMENT ON COLUMN oversight.payment_signoff.signoff_level IS 'handler, section_chief or leader_in_charge.';
COMMENT ON COLUMN oversight.payment_signoff.person_code IS 'Who signed.';
COMMENT ON COLUMN oversight.payment_signoff.signed_at IS 'When.';

CREATE TABLE oversight.enforcement_case (
  case_code            text PRIMARY KEY CONSTRAINT enforcement_case_code_present CHECK (btrim(case_code) <> ''),
  deciding_unit_code   text NOT NULL REFERENCES oversight.org_unit ON UPDATE CASCADE,
  subject_name         text NOT NULL,
  subject_party_code   text REFERENCES oversight.party ON UPDATE CASCADE,
  violation_code       text NOT NULL,
  legal_basis          text,
  decided_on           date NOT NULL,
  penalty_kind         text NOT NULL CONSTRAINT enforcement_penalty_kind_known
                         CHECK (penalty_kind IN ('warning', 'fine', 'confiscation', 'suspension', 'other')),
  fine_amount          oversight.amount,
  currency             oversight.currency NOT NULL DEFAULT 'CNY',
  collected_by         text CONSTRAINT enforcement_collected_by_known CHECK (collected_by IN ('designated_bank', 'deciding_agency')),
  paid_on              date,
  paid_amount          oversight.amount,
  handler_code         text REFERENCES oversight.person ON UPDATE CASCADE,
  approver_code        text REFERENCES oversight.person ON UPDATE CASCADE,
  status               text NOT NULL DEFAULT 'decided' CONSTRAINT enforcement_status_known
                         CHECK (status IN ('decided', 'paid', 'enforced', 'reconsidered', 'revoked', 'closed')),
  CONSTRAINT enforcement_fine_has_amount CHECK (penalty_kind <> 'fine' OR fine_amount IS NOT NULL),
  CONSTRAINT enforcement_paid_after_decision CHECK (paid_on IS NULL OR paid_on >= decided_on)
);
COMMENT ON TABLE oversight.enforcement_case IS 'Administrative enforcement cases (行政执法/处罚) decided by the bureau: penalty, collection and payment.';
COMMENT ON COLUMN oversight.enforcement_case.case_code IS 'Natural key (decision number, 处罚决定书文号).';
COMMENT ON COLUMN oversight.enforcement_case.deciding_unit_code IS 'Unit that decided.';
COMMENT ON COLUMN oversight.enforcement_case.subject_name IS 'Penalised party as written.';
COMMENT ON COLUMN oversight.enforcement_case.subject_party_code IS 'Penalised party when known.';
COMMENT ON COLUMN oversight.enforcement_case.violation_code IS 'Violation, as coded in the discretion standard (裁量基准).';
COMMENT ON COLUMN oversight.enforcement_case.legal_basis IS 'Article applied.';
COMMENT ON COLUMN oversight.enforcement_case.decided_on IS 'Date of the decision.';
COMMENT ON COLUMN oversight.enforcement_case.penalty_kind IS 'warning, fine, confiscation, suspension or other.';
COMMENT ON COLUMN oversight.enforcement_case.fine_amount IS 'Fine imposed.';
COMMENT ON COLUMN oversight.enforcement_case.currency IS 'Currency.';
COMMENT ON COLUMN oversight.enforcement_case.collected_by IS 'designated_bank (罚缴分离, lawful) or deciding_agency (the agency collected itself).';
COMMENT ON COLUMN oversight.enforcement_case.paid_on IS 'Date the fine was paid.';
COMMENT ON COLUMN oversight.enforcement_case.paid_amount IS 'Amount paid.';
COMMENT ON COLUMN oversight.enforcement_case.handler_code IS 'Case handler.';
COMMENT ON COLUMN oversight.enforcement_case.approver_code IS 'Official who approved the decision.';
COMMENT ON COLUMN oversight.enforcement_case.status IS 'decided, paid, enforced, reconsidered, revoked or closed.';

-- Corrections of loaded records are audited (inserts are accounted for by the load ledger).
CREATE TRIGGER budget_project_audit AFTER UPDATE OR DELETE ON oversight.budget_project
  FOR EACH ROW EXECUTE FUNCTION oversight.audit_row_change('project_code');
COMMENT ON TRIGGER budget_project_audit ON oversight.budget_project IS 'Audits corrections and deletions.';
CREATE TRIGGER procurement_process_audit AFTER UPDATE OR DELETE ON oversight.procurement_process
  FOR EACH ROW EXECUTE FUNCTION oversight.audit_row_change('ocid');
COMMENT ON TRIGGER procurement_process_audit ON oversight.procurement_process IS 'Audits corrections and deletions.';
CREATE TRIGGER contract_audit AFTER UPDATE OR DELETE ON oversight.contract
  FOR EACH ROW EXECUTE FUNCTION oversight.audit_row_change('contract_code');
COMMENT ON TRIGGER contract_audit ON oversight.contract IS 'Audits corrections and deletions.';
CREATE TRIGGER payment_audit AFTER UPDATE OR DELETE ON oversight.payment
  FOR EACH ROW EXECUTE FUNCTION oversight.audit_row_change('payment_code');
COMMENT ON TRIGGER payment_audit ON oversight.payment IS 'Audits corrections and deletions.';
CREATE TRIGGER fund_allocation_audit AFTER UPDATE OR DELETE ON oversight.fund_allocation
  FOR EACH ROW EXECUTE FUNCTION oversight.audit_row_change('allocation_code');
COMMENT ON TRIGGER fund_allocation_audit ON oversight.fund_allocation IS 'Audits corrections and deletions.';
CREATE TRIGGER enforcement_case_audit AFTER UPDATE OR DELETE ON oversight.enforcement_case
  FOR EACH ROW EXECUTE FUNCTION oversight.audit_row_change('case_code');
COMMENT ON TRIGGER enforcement_case_audit ON oversight.enforcement_case IS 'Audits corrections and deletions.';
CREATE TRIGGER key_node_audit AFTER INSERT OR UPDATE OR DELETE ON oversight.key_node
  FOR EACH ROW EXECUTE FUNCTION oversight.audit_row_change('node_code');
COMMENT ON TRIGGER key_node_audit ON oversight.key_node IS 'Audits every change to the key-node catalog.';
CREATE TRIGGER assignment_audit AFTER INSERT OR UPDATE OR DELETE ON oversight.assignment
  FOR EACH ROW EXECUTE FUNCTION oversight.audit_row_change('person_code', 'unit_code', 'assignment_role', 'valid_from');
COMMENT ON TRIGGER assignment_audit ON oversight.assignment IS 'Audits every change to responsibilities.';

-------------------------------------------------------------------------------------------------------
-- Load ledger and quarantine (filled by oversight-load): nothing read is ever lost.
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.load (
  load_id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  record_kind       text NOT NULL,
  file_name         text NOT NULL,
  file_sha256       text NOT NULL CONSTRAINT load_sha256_format CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
  file_encoding     text,
  started_at        timestamptz NOT NULL,
  finished_at       timestamptz,
  status            text NOT NULL DEFAULT 'running' CONSTRAINT load_status_known CHECK (status IN ('running', 'committed', 'dry_run', 'failed')),
  rows_read         bigint NOT NULL DEFAULT 0,
  rows_loaded       bigint NOT NULL DEFAULT 0,
  rows_updated      bigint NOT NULL DEFAULT 0,
  rows_unchanged    bigint NOT NULL DEFAULT 0,
  rows_quarantined  bigint NOT NULL DEFAULT 0,
  loader_version    text,
  options           jsonb NOT NULL DEFAULT '{}',
  CONSTRAINT load_rows_balance CHECK (status <> 'committed' OR rows_read = rows_loaded + rows_updated + rows_unchanged + rows_quarantined)
);
COMMENT ON TABLE oversight.load IS 'One row per load of one file: its SHA-256 and the balance rows read = loaded + updated + unchanged + quarantined.';
COMMENT ON COLUMN oversight.load.load_id IS 'Load number.';
COMMENT ON COLUMN oversight.load.record_kind IS 'Kind of records loaded (payments, procurement, ocds, …).';
COMMENT ON COLUMN oversight.load.file_name IS 'Input file as named on the command line.';
COMMENT ON COLUMN oversight.load.file_sha256 IS 'SHA-256 of the file''s bytes, hex.';
COMMENT ON COLUMN oversight.load.file_encoding IS 'Encoding the file was read in (UTF-8, GB18030).';
COMMENT ON COLUMN oversight.load.started_at IS 'When the load began (oversight.now()).';
COMMENT ON COLUMN oversight.load.finished_at IS 'When it committed.';
COMMENT ON COLUMN oversight.load.status IS 'running, committed, dry_run or failed.';
COMMENT ON COLUMN oversight.load.rows_read IS 'Data rows read from the file.';
COMMENT ON COLUMN oversight.load.rows_loaded IS 'Rows inserted as new records.';
COMMENT ON COLUMN oversight.load.rows_updated IS 'Rows that corrected an existing record.';
COMMENT ON COLUMN oversight.load.rows_unchanged IS 'Rows identical to the stored record.';
COMMENT ON COLUMN oversight.load.rows_quarantined IS 'Rows refused, each in oversight.quarantine.';
COMMENT ON COLUMN oversight.load.loader_version IS 'Version of oversight-load.';
COMMENT ON COLUMN oversight.load.options IS 'Options the load ran with (mapping file, encoding, …).';

CREATE TABLE oversight.quarantine (
  load_id     bigint NOT NULL REFERENCES oversight.load ON DELETE CASCADE,
  line_no     bigint NOT NULL CONSTRAINT quarantine_line_positive CHECK (line_no > 0),
  item_no     integer NOT NULL DEFAULT 0 CONSTRAINT quarantine_item_non_negative CHECK (item_no >= 0),
  file_name   text NOT NULL,
  field       text,
  reason      text NOT NULL,
  raw_text    text NOT NULL,
  PRIMARY KEY (load_id, line_no, item_no)
);
COMMENT ON TABLE oversight.quarantine IS 'Input rows a load refused, with the field and reason, and the raw text to fix and reload.';
COMMENT ON COLUMN oversight.quarantine.load_id IS 'Load that refused the row.';
COMMENT ON COLUMN oversight.quarantine.line_no IS 'Line (or record) number in the file where the row starts.';
COMMENT ON COLUMN oversight.quarantine.item_no IS 'Item within the line when one line holds several records (an OCDS package on one JSON Lines line); 0 otherwise.';
COMMENT ON COLUMN oversight.quarantine.file_name IS 'Input file.';
COMMENT ON COLUMN oversight.quarantine.field IS 'Field at fault (NULL when the whole row is).';
COMMENT ON COLUMN oversight.quarantine.reason IS 'Why the row was refused.';
COMMENT ON COLUMN oversight.quarantine.raw_text IS 'The row as read (decoded to UTF-8).';

-------------------------------------------------------------------------------------------------------
-- The shipped default catalog for the seed document's five areas (installed on request, not by
-- CREATE EXTENSION, so a bureau can start from its own catalog instead).
-------------------------------------------------------------------------------------------------------
CREATE FUNCTION oversight.install_default_catalog()
  RETURNS TABLE (areas_added integer, items_added integer, nodes_added integer, supervision_modes_added integer)
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  INSERT INTO oversight.area (area_code, name_zh, name_en, description, sort_order) VALUES
    ('PROCUREMENT', '政府采购', 'Government procurement', 'Procurement plans, methods, tenders, awards, contracts and acceptance.', 10),
    ('DEPT_FINANCE', '部门财务管理', 'Departmental financial management', 'The bureau''s own expenses, cash, official cards, assets and hospitality.', 20),
    ('FUND_ALLOCATION', '资金分配与支付', 'Fund allocation and payment', 'Allocation of budget funds and treasury centralised payment.', 30),
    ('SPECIAL_FUND', '专项资金支付与管理', 'Special-fund payment and management', 'Project review, disbursement and performance of special funds.', 40),
    ('ENFORCEMENT', '行政执法', 'Administrative enforcement', 'Fiscal inspections, penalties, collection of fines and licences.', 50)
  ON CONFLICT (area_code) DO NOTHING;
  GET DIAGNOSTICS areas_added = ROW_COUNT;

  INSERT INTO oversight.implementing_rule (rule_doc_code, area_code, title_zh, title_en, status) VALUES
    ('PROC-NODE-RULES', 'PROCUREMENT', '关于加强集中采购权力关键节点监控的实施办法', 'Implementing rules for monitoring key nodes of centralised procurement power', 'in_force'),
    ('DEPT-NODE-RULES', 'DEPT_FINANCE', '关于加强部门财务管理中关键节点监控的实施办法', 'Implementing rules for monitoring key nodes in departmental financial management', 'in_force'),
    ('FUND-NODE-RULES', 'FUND_ALLOCATION', '关于加强财政资金运行关键节点监控的实施办法', 'Implementing rules for monitoring key nodes of fiscal fund operation', 'in_force'),
    ('SPEC-NODE-RULES', 'SPECIAL_FUND', '关于财政专项资金的支付与管理权力关键节点监控的实施办法(试行)', 'Implementing rules (trial) for monitoring key nodes of special-fund payment and management', 'trial'),
    ('ENF-NODE-RULES', 'ENFORCEMENT', '关于行政执法权力关键节点监控的实施办法(试行)', 'Implementing rules (trial) for monitoring key nodes of administrative enforcement power', 'trial')
  ON CONFLICT (rule_doc_code) DO NOTHING;

  INSERT INTO oversight.power_item (item_code, area_code, name_zh, name_en, power_kind, legal_basis, sort_order) VALUES
    ('PROC.PLAN', 'PROCUREMENT', '采购预算与计划审核', 'Review of procurement budgets and plans', 'review', '政府采购法实施条例 第28条', 10),
    ('PROC.METHOD', 'PROCUREMENT', '采购方式变更审批', 'Approval of non-open procurement methods', 'approval', '政府采购法 第27条、第31条', 20),
    ('PROC.TENDER', 'PROCUREMENT', '招标文件与开标评标', 'Tender documents, bid opening and evaluation', 'procurement', '政府采购法 第35条; 财政部令第87号', 30),
    ('PROC.AWARD', 'PROCUREMENT', '中标成交确认', 'Confirmation of awards', 'procurement', '政府采购法', 40),
    ('PROC.CONTRACT', 'PROCUREMENT', '合同签订与追加', 'Contract signature and supplementary contracts', 'procurement', '政府采购法 第49条', 50),
    ('PROC.ACCEPT', 'PROCUREMENT', '履约验收', 'Acceptance of delivery', 'management', '政府采购法 第41条', 60),
    ('DEPT.EXPENSE', 'DEPT_FINANCE', '经费报销审核', 'Review of expense claims', 'approval', NULL, 10),
    ('DEPT.CASH', 'DEPT_FINANCE', '现金与公务卡管理', 'Cash and official-card management', 'management', '公务卡强制结算目录', 20),
    ('DEPT.ASSET', 'DEPT_FINANCE', '国有资产配置与处置', 'Allocation and disposal of state assets', 'approval', NULL, 30),
    ('DEPT.RECEPTION', 'DEPT_FINANCE', '公务接待与会议培训', 'Official hospitality, meetings and training', 'approval', NULL, 40),
    ('FUND.INDICATOR', 'FUND_ALLOCATION', '预算指标分配下达', 'Allocation of budget funds', 'allocation', '预算法', 10),
    ('FUND.PAY', 'FUND_ALLOCATION', '国库集中支付审核', 'Review of treasury centralised payments', 'payment', '国库集中支付管理办法', 20),
    ('FUND.ADJUST', 'FUND_ALLOCATION', '预算调整审批', 'Approval of budget adjustments', 'approval', '预算法 第67条', 30),
    ('SPEC.PROJECT', 'SPECIAL_FUND', '专项资金项目申报审核与转报', 'Review and submission of special-fund projects', 'review', NULL, 10),
    ('SPEC.PAY', 'SPECIAL_FUND', '专项资金拨付', 'Disbursement of special funds', 'payment', NULL, 20),
    ('SPEC.EVAL', 'SPECIAL_FUND', '专项资金绩效评价', 'Performance evaluation of special funds', 'management', NULL, 30),
    ('ENF.INSPECT', 'ENFORCEMENT', '财政监督检查', 'Fiscal supervision and inspection', 'enforcement', '财政违法行为处罚处分条例', 10),
    ('ENF.PENALTY', 'ENFORCEMENT', '行政处罚', 'Administrative penalties', 'enforcement', '行政处罚法', 20),
    ('ENF.LICENSE', 'ENFORCEMENT', '行政许可', 'Administrative licensing (e.g. bookkeeping agencies)', 'approval', '行政许可法; 代理记账管理办法', 30)
  ON CONFLICT (item_code) DO NOTHING;
  GET DIAGNOSTICS items_added = ROW_COUNT;

  INSERT INTO oversight.key_node (node_code, item_code, name_zh, name_en, description, risk_criteria, risk_grade, identified_by, rule_doc_code)
  SELECT n.node_code, n.item_code, n.name_zh, n.name_en, n.description, n.criteria, 3, n.identified_by, r.rule_doc_code
    FROM (VALUES
      ('PROC.PLAN.SPLIT', 'PROC.PLAN', '采购需求拆分审核', 'Review of split purchases', 'A purchase split into several non-open purchases to stay under the public-tender threshold (化整为零).',
        ARRAY['large_fund_flow', 'high_frequency', 'weak_rules'], 'self_examination'),
      ('PROC.METHOD.NONOPEN', 'PROC.METHOD', '非公开招标方式审批', 'Approval of a non-open method', 'Single-source, competitive negotiation or consultation chosen at or above the threshold.',
        ARRAY['large_fund_flow', 'concentrated_power', 'public_attention'], 'superior_decision'),
      ('PROC.METHOD.SINGLE_TOPUP', 'PROC.METHOD', '单一来源追加采购', 'Single-source top-up', 'Top-up purchases from the original supplier (≤10% of the contract).',
        ARRAY['concentrated_power', 'weak_rules'], 'special_meeting'),
      ('PROC.TENDER.PERIOD', 'PROC.TENDER', '招标文件发布与投标期限', 'Tender publication and bid period', 'A bid period shorter than the legal minimum favours insiders.',
        ARRAY['public_attention', 'weak_rules'], 'self_examination'),
      ('PROC.TENDER.EVAL', 'PROC.TENDER', '评审专家抽取与评标', 'Selection of evaluators and bid evaluation', 'Evaluation is where collusion and bid rigging show.',
        ARRAY['concentrated_power', 'public_attention', 'large_fund_flow'], 'staff_public_rating'),
      ('PROC.AWARD.CONFIRM', 'PROC.AWARD', '中标结果确认与公告', 'Confirmation and publication of the award', 'The buyer confirms the winner and publishes the result.',
        ARRAY['large_fund_flow', 'public_attention', 'concentrated_power'], 'self_examination'),
      ('PROC.CONTRACT.SIGN', 'PROC.CONTRACT', '采购合同签订与备案', 'Signature and filing of the contract', 'Contract terms may depart from the tender.',
        ARRAY['large_fund_flow', 'weak_rules'], 'self_examination'),
      ('PROC.ACCEPT.CHECK', 'PROC.ACCEPT', '履约验收', 'Acceptance of delivery', 'Acceptance triggers payment; a lax check pays for undelivered goods.',
        ARRAY['weak_rules'], 'staff_public_rating'),
      ('DEPT.EXPENSE.REIMBURSE', 'DEPT.EXPENSE', '报销审批', 'Approval of expense claims', 'Frequent small claims; duplicates and inflated claims.',
        ARRAY['high_frequency', 'weak_rules'], 'self_examination'),
      ('DEPT.CASH.WITHDRAW', 'DEPT.CASH', '大额现金提取与公务卡结算', 'Large cash withdrawals and official-card settlement', 'Cash used where the official card is mandatory.',
        ARRAY['large_fund_flow', 'weak_rules', 'concentrated_power'], 'superior_decision'),
      ('DEPT.ASSET.DISPOSE', 'DEPT.ASSET', '资产处置审批', 'Approval of asset disposals', 'Disposal below value to related parties.',
        ARRAY['concentrated_power', 'weak_rules'], 'special_meeting'),
      ('DEPT.RECEPTION.APPROVE', 'DEPT.RECEPTION', '公务接待与会议培训审批', 'Approval of hospitality, meetings and training', 'Spending over standard or disguised as other expense types.',
        ARRAY['high_frequency', 'public_attention'], 'staff_public_rating'),
      ('FUND.INDICATOR.ALLOCATE', 'FUND.INDICATOR', '资金分配方案确定', 'Deciding the allocation of funds', 'Allocation without budget, beyond it, or by favour.',
        ARRAY['large_fund_flow', 'concentrated_power', 'public_attention'], 'superior_decision'),
      ('FUND.PAY.REVIEW', 'FUND.PAY', '支付申请审核', 'Review of payment requests', 'Duplicate payments, payments beyond the contract or before signature.',
        ARRAY['large_fund_flow', 'high_frequency'], 'self_examination'),
      ('FUND.PAY.LARGE', 'FUND.PAY', '大额支付审签', 'Sign-off of large payments', 'Large payments need handler → section chief → leader in charge.',
        ARRAY['large_fund_flow', 'concentrated_power', 'weak_rules'], 'special_meeting'),
      ('FUND.ADJUST.APPROVE', 'FUND.ADJUST', '预算调整审批', 'Approval of budget adjustments', 'Adjustments can legitimise splits and overspending.',
        ARRAY['large_fund_flow', 'concentrated_power'], 'superior_decision'),
      ('SPEC.PROJECT.REVIEW', 'SPEC.PROJECT', '专项资金项目审核转报', 'Review and submission of special-fund projects', 'Who gets a special fund is decided here.',
        ARRAY['large_fund_flow', 'concentrated_power', 'public_attention'], 'self_examination'),
      ('SPEC.PAY.DISBURSE', 'SPEC.PAY', '专项资金拨付', 'Disbursement of special funds', 'Special funds used outside their purpose.',
        ARRAY['large_fund_flow', 'weak_rules'], 'self_examination'),
      ('SPEC.EVAL.PERF', 'SPEC.EVAL', '专项资金绩效评价', 'Performance evaluation of special funds', 'Evaluation decides next year''s funding.',
        ARRAY['weak_rules'], 'special_meeting'),
      ('ENF.INSPECT.SELECT', 'ENF.INSPECT', '检查对象选取(双随机)', 'Selection of inspection targets (double random)', 'Choosing whom to inspect, and who inspects.',
        ARRAY['concentrated_power', 'public_attention'], 'superior_decision'),
      ('ENF.PENALTY.DISCRETION', 'ENF.PENALTY', '处罚裁量', 'Penalty discretion', 'A penalty outside the discretion band of its violation.',
        ARRAY['concentrated_power', 'weak_rules', 'public_attention'], 'staff_public_rating'),
      ('ENF.PENALTY.COLLECT', 'ENF.PENALTY', '罚没款收缴', 'Collection of fines', 'The deciding agency collecting the fine itself (罚缴分离 breached); unpaid fines.',
        ARRAY['large_fund_flow', 'weak_rules'], 'self_examination'),
      ('ENF.LICENSE.APPROVE', 'ENF.LICENSE', '行政许可审批', 'Granting of licences', 'Licences granted to unqualified applicants.',
        ARRAY['concentrated_power'], 'self_examination')
    ) AS n(node_code, item_code, name_zh, name_en, description, criteria, identified_by)
    JOIN oversight.power_item i ON i.item_code = n.item_code
    LEFT JOIN oversight.implementing_rule r ON r.area_code = i.area_code
  ON CONFLICT (node_code) DO NOTHING;
  GET DIAGNOSTICS nodes_added = ROW_COUNT;

  -- Supervision layers per node, with the usual deadlines (working days): report 3, filing 5,
  -- internal disclosure 10, public disclosure 20 (政府信息公开条例 第26条).
  INSERT INTO oversight.node_supervision (node_code, supervision_mode, due_working_days)
  SELECT m.node_code, mode, CASE mode WHEN 'leader_report' THEN 3 WHEN 'filing' THEN 5
                                      WHEN 'internal_disclosure' THEN 10 WHEN 'public_disclosure' THEN 20 END
    FROM (VALUES
      ('PROC.PLAN.SPLIT', ARRAY['leader_report', 'online_monitoring']),
      ('PROC.METHOD.NONOPEN', ARRAY['leader_report', 'filing', 'public_disclosure', 'online_monitoring']),
      ('PROC.METHOD.SINGLE_TOPUP', ARRAY['leader_report', 'filing', 'online_monitoring']),
      ('PROC.TENDER.PERIOD', ARRAY['public_disclosure', 'online_monitoring']),
      ('PROC.TENDER.EVAL', ARRAY['filing', 'online_monitoring']),
      ('PROC.AWARD.CONFIRM', ARRAY['leader_report', 'filing', 'public_disclosure', 'online_monitoring']),
      ('PROC.CONTRACT.SIGN', ARRAY['filing', 'public_disclosure']),
      ('PROC.ACCEPT.CHECK', ARRAY['internal_disclosure']),
      ('DEPT.EXPENSE.REIMBURSE', ARRAY['internal_disclosure', 'online_monitoring']),
      ('DEPT.CASH.WITHDRAW', ARRAY['leader_report', 'online_monitoring']),
      ('DEPT.ASSET.DISPOSE', ARRAY['leader_report', 'filing', 'internal_disclosure']),
      ('DEPT.RECEPTION.APPROVE', ARRAY['internal_disclosure', 'online_monitoring']),
      ('FUND.INDICATOR.ALLOCATE', ARRAY['leader_report', 'filing', 'public_disclosure', 'online_monitoring']),
      ('FUND.PAY.REVIEW', ARRAY['online_monitoring']),
      ('FUND.PAY.LARGE', ARRAY['leader_report', 'online_monitoring']),
      ('FUND.ADJUST.APPROVE', ARRAY['leader_report', 'filing']),
      ('SPEC.PROJECT.REVIEW', ARRAY['leader_report', 'filing', 'public_disclosure']),
      ('SPEC.PAY.DISBURSE', ARRAY['filing', 'online_monitoring']),
      ('SPEC.EVAL.PERF', ARRAY['public_disclosure']),
      ('ENF.INSPECT.SELECT', ARRAY['filing', 'public_disclosure']),
      ('ENF.PENALTY.DISCRETION', ARRAY['leader_report', 'filing', 'public_disclosure', 'online_monitoring']),
      ('ENF.PENALTY.COLLECT', ARRAY['online_monitoring']),
      ('ENF.LICENSE.APPROVE', ARRAY['filing', 'public_disclosure'])
    ) AS m(node_code, modes)
    CROSS JOIN LATERAL unnest(m.modes) AS mode
    JOIN oversight.key_node k ON k.node_code = m.node_code
  ON CONFLICT (node_code, supervision_mode) DO NOTHING;
  GET DIAGNOSTICS supervision_modes_added = ROW_COUNT;
  RETURN NEXT;
END $$;
COMMENT ON FUNCTION oversight.install_default_catalog() IS
  'Installs the default power catalog for the seed document''s five areas (areas, implementing rules, power items, key nodes, supervision layers). Idempotent: rows that exist are left as the bureau edited them; returns what was added.';

-------------------------------------------------------------------------------------------------------
-- Boundary self-test (C++): lets a DBA prove the installed library honours the error boundary.
-------------------------------------------------------------------------------------------------------
CREATE FUNCTION oversight.selftest_raise(p_kind text) RETURNS text
  AS 'MODULE_PATHNAME', 'oversight_selftest_raise' LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION oversight.selftest_raise(text) IS
  'Self-test of the C++ boundary: raises core_error (22023), std_exception (XX000), bad_alloc (53200) or pg_error (22012, through C++ frames); none returns normally.';
CREATE FUNCTION oversight.selftest_live_objects() RETURNS integer
  AS 'MODULE_PATHNAME', 'oversight_selftest_live_objects' LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION oversight.selftest_live_objects() IS 'Self-test: C++ probe objects alive in this backend; 0 after any error proves destructors ran.';
CREATE FUNCTION oversight.selftest_spin(p_iterations bigint) RETURNS bigint
  AS 'MODULE_PATHNAME', 'oversight_selftest_spin' LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION oversight.selftest_spin(bigint) IS 'Self-test: a long C++ loop that polls for interrupts, so statement_timeout and cancel stop it (57014).';
REVOKE ALL ON FUNCTION oversight.selftest_raise(text), oversight.selftest_live_objects(), oversight.selftest_spin(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION oversight.selftest_raise(text), oversight.selftest_live_objects(), oversight.selftest_spin(bigint) TO oversight_admin;

-------------------------------------------------------------------------------------------------------
-- Row-level security: people see the finance records of the units they are granted (and their
-- sub-units); the bureau-wide roles see everything.
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.unit_access (
  role_name  name NOT NULL,
  unit_code  text NOT NULL REFERENCES oversight.org_unit ON UPDATE CASCADE ON DELETE CASCADE,
  PRIMARY KEY (role_name, unit_code)
);
COMMENT ON TABLE oversight.unit_access IS 'Grants a database role sight of a unit''s finance records and those of every unit below it (row-level security).';
COMMENT ON COLUMN oversight.unit_access.role_name IS 'Database role (a login or a group); members inherit the grant.';
COMMENT ON COLUMN oversight.unit_access.unit_code IS 'Top of the unit subtree visible to the role.';

CREATE FUNCTION oversight.sees_all_units() RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.pg_has_role(current_user, 'oversight_admin', 'USAGE')
      OR pg_catalog.pg_has_role(current_user, 'oversight_inspector', 'USAGE')
      OR pg_catalog.pg_has_role(current_user, 'oversight_loader', 'USAGE')
$$;
COMMENT ON FUNCTION oversight.sees_all_units() IS 'True for members of the bureau-wide roles (admin, inspector, loader): row-level security does not filter them.';

CREATE FUNCTION oversight.visible_units() RETURNS text[]
  LANGUAGE sql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  WITH RECURSIVE down(unit_code) AS (
    SELECT a.unit_code FROM oversight.unit_access a
     WHERE pg_catalog.pg_has_role(current_user, a.role_name, 'USAGE')
    UNION
    SELECT u.unit_code FROM oversight.org_unit u JOIN down d ON u.parent_code = d.unit_code)
  SELECT COALESCE(pg_catalog.array_agg(unit_code), '{}') FROM down
$$;
COMMENT ON FUNCTION oversight.visible_units() IS 'Units whose records the current role may see through oversight.unit_access (granted units and all below them).';

-- A role reads only its own grants (visible_units() runs with the caller's rights).
ALTER TABLE oversight.unit_access ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_grants ON oversight.unit_access
  USING ((SELECT oversight.sees_all_units()) OR pg_catalog.pg_has_role(current_user, role_name, 'USAGE'));
COMMENT ON POLICY own_grants ON oversight.unit_access IS 'A role sees the unit grants it holds (directly or through membership); bureau-wide roles see all.';

DO $rls$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES
      ('budget_project', 'unit_code'), ('payment', 'payer_unit_code'), ('fund_allocation', 'recipient_unit_code'),
      ('enforcement_case', 'deciding_unit_code'), ('procurement_process', 'buyer_unit_code'), ('contract', 'buyer_unit_code')
    ) AS v(table_name, unit_column) LOOP
    EXECUTE pg_catalog.format('ALTER TABLE oversight.%I ENABLE ROW LEVEL SECURITY', t.table_name);
    EXECUTE pg_catalog.format(
      'CREATE POLICY unit_scope ON oversight.%I USING ((SELECT oversight.sees_all_units()) OR %I = ANY ((SELECT oversight.visible_units())::text[])) '
      'WITH CHECK ((SELECT oversight.sees_all_units()))', t.table_name, t.unit_column);
    EXECUTE pg_catalog.format(
      'COMMENT ON POLICY unit_scope ON oversight.%I IS %L', t.table_name,
      'Rows of units granted to the role in oversight.unit_access (and below); bureau-wide roles see and write all.');
  END LOOP;
END
$rls$;

-------------------------------------------------------------------------------------------------------
-- Privileges (least privilege; PUBLIC gets nothing on tables).
-------------------------------------------------------------------------------------------------------
GRANT SELECT ON ALL TABLES IN SCHEMA oversight TO oversight_analyst, oversight_inspector, oversight_admin;
REVOKE SELECT ON oversight.audit_log, oversight.quarantine, oversight.person_account FROM oversight_analyst;
GRANT INSERT, UPDATE, DELETE ON oversight.setting, oversight.area, oversight.implementing_rule, oversight.power_item,
  oversight.key_node, oversight.node_supervision, oversight.node_owner, oversight.org_unit, oversight.person,
  oversight.person_account, oversight.post, oversight.assignment, oversight.unit_access,
  oversight.calendar_year, oversight.calendar_day TO oversight_admin;
GRANT SELECT, INSERT, UPDATE ON oversight.party, oversight.budget_project, oversight.procurement_process,
  oversight.procurement_lot, oversight.bid, oversight.bid_tenderer, oversight.award, oversight.award_supplier,
  oversight.contract, oversight.fund_allocation, oversight.payment, oversight.payment_signoff, oversight.enforcement_case,
  oversight.org_unit, oversight.person, oversight.post, oversight.assignment, oversight.calendar_year, oversight.calendar_day
  TO oversight_loader;
GRANT DELETE ON oversight.bid_tenderer, oversight.award_supplier, oversight.payment_signoff TO oversight_loader;
GRANT SELECT, INSERT, UPDATE ON oversight.load TO oversight_loader;
GRANT SELECT, INSERT ON oversight.quarantine TO oversight_loader;
GRANT SELECT ON oversight.setting, oversight.setting_default, oversight.key_node, oversight.area, oversight.power_item TO oversight_loader;

-------------------------------------------------------------------------------------------------------
-- pg_dump: user data in extension tables is dumped; shipped rows are recreated by CREATE EXTENSION.
-------------------------------------------------------------------------------------------------------
SELECT pg_catalog.pg_extension_config_dump('oversight.setting', '');
SELECT pg_catalog.pg_extension_config_dump('oversight.calendar_year', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('oversight.calendar_day', 'WHERE NOT shipped');
DO $dump$
DECLARE t name;
BEGIN
  -- One call per statement: pg_extension_config_dump updates pg_extension, once per command.
  FOR t IN SELECT c.relname FROM pg_catalog.pg_class c
            WHERE c.relnamespace = 'oversight'::regnamespace AND c.relkind = 'r'
              AND c.relname NOT IN ('setting', 'setting_default', 'calendar_year', 'calendar_day')
            ORDER BY c.relname LOOP
    PERFORM pg_catalog.pg_extension_config_dump(pg_catalog.format('oversight.%I', t)::regclass, '');
  END LOOP;
END
$dump$;
SELECT pg_catalog.pg_extension_config_dump('oversight.audit_log_audit_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('oversight.assignment_assignment_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('oversight.load_load_id_seq', '');
