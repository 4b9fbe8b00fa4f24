-------------------------------------------------------------------------------------------------------
-- Value mappings and constants in watch() (issue 13): a DBA's own table holds its own codes (支付方式
-- 现金, 支出类别 咨询费, 状态 已支付) and often no currency column; the rules compare with canonical values.
-- Besides a column, watch() takes for each canonical field the loader's vocabulary (loader/README.md):
-- value aliases ([values.FIELD]), a constant (const:) and a default for NULL (default:), as JSON:
--   {"payment_method": {"column": "zffs", "values": {"现金": "cash", "转账": "transfer"}},
--    "currency": {"const": "CNY"}, "status": {"column": "zt", "values": {"已支付": "paid"}, "default": "paid"}}
-- One definition (C++ core, src/core/watch_mapping.cpp) checks the mapping here and applies it inside the
-- engine, in the C++ row pass and in the set-based SQL; the DBA's rows are never rewritten.
-------------------------------------------------------------------------------------------------------
ALTER TABLE oversight.watched_table ADD COLUMN value_mapping jsonb NOT NULL DEFAULT '{}';
COMMENT ON COLUMN oversight.watched_table.value_mapping IS
  'Value aliases, constants and defaults of the watch, by canonical field: {"field": {"values": {"source value": "canonical value"}, "const": v, "default": v}}, as checked by oversight.check_watch_mapping(). Applied by the engine when it reads a row (never written into the table); a constant or a default field counts as provided (oversight.rule_coverage).';

CREATE FUNCTION oversight.check_watch_mapping(p_record_kind text, p_mapping jsonb) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'oversight_check_watch_mapping' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION oversight.check_watch_mapping(text, jsonb) IS
  'Checks the mapping given to oversight.watch() against a record kind with the C++ definition the engine applies, and returns it normalised: {"columns": {field: column}, "key": [...] when "@key" was given, "values": the value aliases, constants and defaults in canonical form}. Refuses (22023, in Chinese and English, naming the field and the value) an unknown field, a value mapping onto a value the field cannot take (its enumeration, domain or type), a constant or default of the wrong type, and const mixed with a column, values or a default.';
REVOKE ALL ON FUNCTION oversight.check_watch_mapping(text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION oversight.check_watch_mapping(text, jsonb) TO oversight_admin;

-------------------------------------------------------------------------------------------------------
-- One dictionary written once (issue 13, item 1): a mapping stored by name, in the watch() JSON language,
-- filled by `oversight-load mapping import KIND FILE.map --name N` (the loader's one parser, converted to
-- this language) or by oversight.save_mapping(); oversight.watch(..., p_mapping_name => 'N') watches a table
-- with it and `oversight-load KIND FILE.csv --mapping-name N` loads a file with it. Versions are never
-- overwritten: a changed dictionary is a new version.
-------------------------------------------------------------------------------------------------------
CREATE TABLE oversight.mapping (
  mapping_name text NOT NULL CONSTRAINT mapping_name_present CHECK (mapping_name <> ''),
  version      integer NOT NULL CONSTRAINT mapping_version_positive CHECK (version > 0),
  record_kind  text NOT NULL,
  definition   jsonb NOT NULL,
  source_text  text,
  sha256       text NOT NULL CONSTRAINT mapping_sha256_format CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  saved_at     timestamptz NOT NULL,
  saved_by     text NOT NULL,
  reason       text,
  CONSTRAINT mapping_pkey PRIMARY KEY (mapping_name, version),
  CONSTRAINT mapping_content_once UNIQUE (mapping_name, sha256)
);
COMMENT ON TABLE oversight.mapping IS
  'A bureau''s mapping dictionaries, written once and used for files and tables alike: how a source''s columns and codes map onto a record kind''s canonical fields, in the watch() JSON language. Filled by oversight.save_mapping() (oversight-load mapping import converts a loader .map file); used by oversight.watch(p_mapping_name => ...) and oversight-load --mapping-name. Append-only: a changed dictionary is a new version.';
COMMENT ON COLUMN oversight.mapping.mapping_name IS 'Name of the dictionary (e.g. treasury-zfpz).';
COMMENT ON COLUMN oversight.mapping.version IS 'Version number, 1, 2, … per name; a new one each time the definition changes.';
COMMENT ON COLUMN oversight.mapping.record_kind IS 'Record kind the definition maps onto (payment, contract, …).';
COMMENT ON COLUMN oversight.mapping.definition IS 'The mapping in the watch() JSON language, as checked by oversight.check_watch_mapping(): {"field": "column" | {"column": c or [c1, c2 …] (the first present wins), "values": {source: canonical}, "default": v} | {"const": v}}.';
COMMENT ON COLUMN oversight.mapping.source_text IS 'The loader .map file it was imported from, as written (NULL when saved as JSON).';
COMMENT ON COLUMN oversight.mapping.sha256 IS 'SHA-256 of the definition''s JSON text, hex: the same definition saved again is the same version; loads record it as their mapping_sha256.';
COMMENT ON COLUMN oversight.mapping.saved_at IS 'oversight.now() when saved.';
COMMENT ON COLUMN oversight.mapping.saved_by IS 'session_user who saved it.';
COMMENT ON COLUMN oversight.mapping.reason IS 'Why this version was made (argument, else the session''s oversight.reason).';

-- Each distinct mapping a table is watched with: what its alerts were computed under.
CREATE TABLE oversight.watch_mapping_version (
  mapping_version_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  table_name           text NOT NULL,
  version              integer NOT NULL CONSTRAINT watch_mapping_version_positive CHECK (version > 0),
  record_kind          text NOT NULL,
  mapping              jsonb NOT NULL,
  mapping_sha256       text NOT NULL CONSTRAINT watch_mapping_version_sha256_format CHECK (mapping_sha256 ~ '^[0-9a-f]{64}$'),
  mapping_name         text,
  mapping_name_version integer,
  created_at           timestamptz NOT NULL,
  created_by           text NOT NULL,
  reason               text,
  CONSTRAINT watch_mapping_version_natural_key UNIQUE (table_name, version),
  CONSTRAINT watch_mapping_version_content_once UNIQUE (table_name, mapping_sha256),
  CONSTRAINT watch_mapping_version_stored FOREIGN KEY (mapping_name, mapping_name_version) REFERENCES oversight.mapping (mapping_name, version)
);
COMMENT ON TABLE oversight.watch_mapping_version IS
  'Versions of the mapping of each watched table (not the extension''s own tables), like rule versions: oversight.watch() adds one for each distinct mapping a table is watched with (who, when, why, the mapping and its SHA-256) and reuses it when the same mapping comes back. Append-only; every alert records the version it was computed under (oversight.alert.mapping_version_id).';
COMMENT ON COLUMN oversight.watch_mapping_version.mapping_version_id IS 'Surrogate key, recorded in oversight.watched_table and in alerts.';
COMMENT ON COLUMN oversight.watch_mapping_version.table_name IS 'The watched table, schema-qualified, as named when watched.';
COMMENT ON COLUMN oversight.watch_mapping_version.version IS 'Version number, 1, 2, … per table.';
COMMENT ON COLUMN oversight.watch_mapping_version.record_kind IS 'Record kind the table is watched as.';
COMMENT ON COLUMN oversight.watch_mapping_version.mapping IS 'The mapping as resolved by watch(): {"record_kind", "columns": {field: column}, "key": [...], "values": aliases, constants and defaults, "mapping": {"name", "version"} when a stored mapping was used}.';
COMMENT ON COLUMN oversight.watch_mapping_version.mapping_sha256 IS 'SHA-256 of the mapping''s JSON text, hex.';
COMMENT ON COLUMN oversight.watch_mapping_version.mapping_name IS 'The stored mapping (oversight.mapping) the watch used, or NULL for a mapping given as JSON.';
COMMENT ON COLUMN oversight.watch_mapping_version.mapping_name_version IS 'Its version.';
COMMENT ON COLUMN oversight.watch_mapping_version.created_at IS 'oversight.now() when the table was first watched with this mapping.';
COMMENT ON COLUMN oversight.watch_mapping_version.created_by IS 'session_user who watched it.';
COMMENT ON COLUMN oversight.watch_mapping_version.reason IS 'Why (watch()''s p_reason, else the session''s oversight.reason).';

CREATE FUNCTION oversight.mapping_is_append_only() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION '% 的版本只增不改：不能修改或删除 / versions in % are never changed or deleted', TG_TABLE_NAME, TG_TABLE_NAME
    USING ERRCODE = '42501', HINT = 'Save a new version instead.';
END $$;
COMMENT ON FUNCTION oversight.mapping_is_append_only() IS 'Trigger function refusing UPDATE, DELETE and TRUNCATE of mapping versions (oversight.mapping, oversight.watch_mapping_version).';
CREATE TRIGGER mapping_append_only BEFORE UPDATE OR DELETE ON oversight.mapping
  FOR EACH ROW EXECUTE FUNCTION oversight.mapping_is_append_only();
COMMENT ON TRIGGER mapping_append_only ON oversight.mapping IS 'Stored mappings are never overwritten.';
CREATE TRIGGER mapping_no_truncate BEFORE TRUNCATE ON oversight.mapping
  FOR EACH STATEMENT EXECUTE FUNCTION oversight.mapping_is_append_only();
COMMENT ON TRIGGER mapping_no_truncate ON oversight.mapping IS 'Stored mappings are never truncated.';
CREATE TRIGGER watch_mapping_version_append_only BEFORE UPDATE OR DELETE ON oversight.watch_mapping_version
  FOR EACH ROW EXECUTE FUNCTION oversight.mapping_is_append_only();
COMMENT ON TRIGGER watch_mapping_version_append_only ON oversight.watch_mapping_version IS 'Mapping versions are never overwritten.';
CREATE TRIGGER watch_mapping_version_no_truncate BEFORE TRUNCATE ON oversight.watch_mapping_version
  FOR EACH STATEMENT EXECUTE FUNCTION oversight.mapping_is_append_only();
COMMENT ON TRIGGER watch_mapping_version_no_truncate ON oversight.watch_mapping_version IS 'Mapping versions are never truncated.';
CREATE TRIGGER mapping_audit AFTER INSERT OR UPDATE OR DELETE ON oversight.mapping
  FOR EACH ROW EXECUTE FUNCTION oversight.audit_row_change('mapping_name', 'version');
COMMENT ON TRIGGER mapping_audit ON oversight.mapping IS 'Audits every insert, update and delete, row by row.';
CREATE TRIGGER watch_mapping_version_audit AFTER INSERT OR UPDATE OR DELETE ON oversight.watch_mapping_version
  FOR EACH ROW EXECUTE FUNCTION oversight.audit_row_change('table_name', 'version');
COMMENT ON TRIGGER watch_mapping_version_audit ON oversight.watch_mapping_version IS 'Audits every insert, update and delete, row by row.';

ALTER TABLE oversight.watched_table ADD COLUMN mapping_version_id bigint
  CONSTRAINT watched_table_mapping_version REFERENCES oversight.watch_mapping_version;
COMMENT ON COLUMN oversight.watched_table.mapping_version_id IS 'The version of the mapping in force (oversight.watch_mapping_version); NULL for the extension''s own tables and for watches made before 0.4.0.';
ALTER TABLE oversight.alert ADD COLUMN mapping_version_id bigint;
COMMENT ON COLUMN oversight.alert.mapping_version_id IS 'The version of the watched table''s mapping (oversight.watch_mapping_version) the finding was last computed under; NULL for alerts on the extension''s own tables (their columns are the canonical fields) and for alerts recorded before 0.4.0. Not a foreign key (kept cheap on bulk loads): versions are never deleted.';

GRANT SELECT ON oversight.mapping, oversight.watch_mapping_version TO oversight_admin, oversight_inspector, oversight_analyst, oversight_loader;
-- watch() and save_mapping() run with the caller's rights: administrators add versions, nobody changes them.
GRANT INSERT ON oversight.mapping, oversight.watch_mapping_version TO oversight_admin;

CREATE FUNCTION oversight.save_mapping(p_mapping_name text, p_record_kind text, p_definition jsonb, p_source_text text DEFAULT NULL,
                                       p_reason text DEFAULT NULL)
  RETURNS TABLE (mapping_name text, version integer, sha256 text, created boolean)
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_sha text;
  v_kind text;
  v_version integer;
BEGIN
  -- Checked by the engine's own definition (22023, naming the field and the value).
  PERFORM oversight.check_watch_mapping(p_record_kind, p_definition);
  v_sha := pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(p_definition::text, 'UTF8')), 'hex');
  SELECT m.record_kind INTO v_kind FROM oversight.mapping m WHERE m.mapping_name = p_mapping_name LIMIT 1;
  IF v_kind IS NOT NULL AND v_kind <> p_record_kind THEN
    RAISE EXCEPTION '映射 % 是记录类型 % 的，不能保存为 % / mapping % maps onto record kind %, not %',
      p_mapping_name, v_kind, p_record_kind, p_mapping_name, v_kind, p_record_kind USING ERRCODE = '22023';
  END IF;
  SELECT m.version INTO v_version FROM oversight.mapping m WHERE m.mapping_name = p_mapping_name AND m.sha256 = v_sha;
  IF FOUND THEN -- the same dictionary again: nothing changes
    mapping_name := p_mapping_name; version := v_version; sha256 := v_sha; created := false;
    RETURN NEXT;
    RETURN;
  END IF;
  v_version := COALESCE((SELECT max(m.version) FROM oversight.mapping m WHERE m.mapping_name = p_mapping_name), 0) + 1;
  INSERT INTO oversight.mapping (mapping_name, version, record_kind, definition, source_text, sha256, saved_at, saved_by, reason)
  VALUES (p_mapping_name, v_version, p_record_kind, p_definition, p_source_text, v_sha, oversight.now(), session_user,
          COALESCE(p_reason, NULLIF(pg_catalog.current_setting('oversight.reason', true), '')));
  mapping_name := p_mapping_name; version := v_version; sha256 := v_sha; created := true;
  RETURN NEXT;
END $$;
COMMENT ON FUNCTION oversight.save_mapping(text, text, jsonb, text, text) IS
  'Stores a mapping dictionary by name (oversight.mapping): checked like a watch() mapping (22023 naming the field and the value), a new version when the definition differs from every stored one, the existing version (created false) when it is the same. Returns the name, the version, the SHA-256 of the definition and whether a version was created. Audited. oversight-load mapping import calls it with a converted .map file.';
REVOKE ALL ON FUNCTION oversight.save_mapping(text, text, jsonb, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION oversight.save_mapping(text, text, jsonb, text, text) TO oversight_admin;

-- The result says, besides the mapped columns, which fields are value-mapped and which constant, and the
-- mapping version; a stored mapping can be named instead of given.
DROP FUNCTION oversight.watch(regclass, text, jsonb, text);
CREATE FUNCTION oversight.watch(p_table regclass, p_record_kind text, p_column_mapping jsonb DEFAULT '{}', p_trigger_level text DEFAULT 'statement',
                                p_mapping_name text DEFAULT NULL, p_mapping_version integer DEFAULT NULL, p_reason text DEFAULT NULL)
  RETURNS TABLE (mapped_fields text[], unmapped_fields text[], key_columns text[], value_mapped_fields text[], constant_fields text[],
                 mapping_version integer)
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  fields jsonb := oversight.record_kind_fields(p_record_kind);
  checked jsonb;
  named jsonb;
  field_values jsonb;
  rel pg_catalog.pg_class;
  qualified text;
  resolved jsonb := '{}';
  attnums jsonb := '{}';
  key_numbers smallint[];
  keys text[];
  f text;
  col text;
  trigger_event text;
  candidates text[];
  stored oversight.mapping;
  resolved_mapping jsonb;
  v_sha text;
  v_version_id bigint;
BEGIN
  SELECT * INTO rel FROM pg_catalog.pg_class WHERE oid = p_table;
  -- A foreign table (a treasury system's table through postgres_fdw) cannot have the transition tables of
  -- statement-level triggers: it is watched at row level.
  IF rel.relkind NOT IN ('r', 'p') AND NOT (rel.relkind = 'f' AND p_trigger_level = 'row') THEN
    RAISE EXCEPTION '% 不是表（外部表须按行级监控）/ % is not a table (a foreign table is watched at row level)', p_table, p_table
      USING ERRCODE = '42809';
  END IF;
  IF rel.relispartition THEN
    RAISE EXCEPTION '% is a partition: watch its partitioned table instead', p_table USING ERRCODE = '0A000';
  END IF;
  IF p_trigger_level NOT IN ('statement', 'row') THEN
    RAISE EXCEPTION 'trigger level must be statement or row, not "%"', p_trigger_level USING ERRCODE = '22023';
  END IF;
  IF p_mapping_name IS NOT NULL THEN
    IF COALESCE(p_column_mapping, '{}') <> '{}' THEN
      RAISE EXCEPTION '给了存储的映射 %，就不能再给 JSON 映射 / give either the stored mapping % or a JSON mapping, not both', p_mapping_name, p_mapping_name
        USING ERRCODE = '22023';
    END IF;
    SELECT * INTO stored FROM oversight.mapping m WHERE m.mapping_name = p_mapping_name AND (p_mapping_version IS NULL OR m.version = p_mapping_version)
     ORDER BY m.version DESC LIMIT 1;
    IF NOT FOUND THEN
      RAISE EXCEPTION '没有存储映射 %（%） / no stored mapping % (%)', p_mapping_name, COALESCE('第 ' || p_mapping_version || ' 版', '最新版'),
        p_mapping_name, COALESCE('version ' || p_mapping_version, 'latest') USING ERRCODE = '22023', HINT = 'oversight.mapping lists them.';
    END IF;
    IF stored.record_kind <> p_record_kind THEN
      RAISE EXCEPTION '映射 % 是记录类型 % 的，不是 % / mapping % maps onto record kind %, not %', p_mapping_name, stored.record_kind, p_record_kind,
        p_mapping_name, stored.record_kind, p_record_kind USING ERRCODE = '22023';
    END IF;
    p_column_mapping := stored.definition;
  ELSIF p_mapping_version IS NOT NULL THEN
    RAISE EXCEPTION 'p_mapping_version 需要 p_mapping_name / p_mapping_version needs p_mapping_name' USING ERRCODE = '22023';
  END IF;
  -- Fields, value targets, constants and defaults are checked by the engine's own definition.
  checked := oversight.check_watch_mapping(p_record_kind, COALESCE(p_column_mapping, '{}'));
  named := checked -> 'columns';
  field_values := checked -> 'values';
  IF checked ? 'key' THEN
    keys := ARRAY(SELECT pg_catalog.jsonb_array_elements_text(checked -> 'key'));
  END IF;
  qualified := pg_catalog.format('%I.%I', rel.relnamespace::regnamespace::text, rel.relname);
  FOR f IN SELECT pg_catalog.jsonb_object_keys(fields) LOOP
    IF field_values -> f ? 'const' THEN
      CONTINUE; -- a constant takes no column, not even a same-named one
    END IF;
    -- A list of columns (a stored .map's header names): the first the table has wins, none is blind.
    candidates := CASE pg_catalog.jsonb_typeof(named -> f) WHEN 'array' THEN ARRAY(SELECT pg_catalog.jsonb_array_elements_text(named -> f))
                                                         WHEN 'string' THEN ARRAY[named ->> f] END;
    col := CASE WHEN pg_catalog.jsonb_typeof(named -> f) = 'string' THEN named ->> f END;
    IF pg_catalog.jsonb_typeof(named -> f) = 'array' THEN
      SELECT c INTO col FROM pg_catalog.unnest(candidates) WITH ORDINALITY AS x(c, o)
       WHERE EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = p_table AND a.attname = x.c AND a.attnum > 0 AND NOT a.attisdropped)
       ORDER BY x.o LIMIT 1;
    END IF;
    col := COALESCE(col, CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = p_table AND a.attname = f
                                                      AND a.attnum > 0 AND NOT a.attisdropped) THEN f END);
    IF col IS NULL THEN
      IF field_values -> f ? 'values' AND candidates IS NULL THEN
        RAISE EXCEPTION '字段 % 有值映射，但表 % 没有映射到它的列 / field % has a value mapping but no column of % is mapped to it', f, p_table, f, p_table
          USING ERRCODE = '22023', HINT = 'Name the column: {"' || f || '": {"column": "...", "values": {...}}}.';
      END IF;
      CONTINUE;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = p_table AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped) THEN
      RAISE EXCEPTION 'table % has no column "%" (mapped from field %)', p_table, col, f USING ERRCODE = '42703';
    END IF;
    PERFORM oversight.require_builtin_column(p_table, col);
    resolved := resolved || pg_catalog.jsonb_build_object(f, col);
    attnums := attnums || pg_catalog.jsonb_build_object(f, (SELECT a.attnum FROM pg_catalog.pg_attribute a WHERE a.attrelid = p_table AND a.attname = col));
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
    PERFORM oversight.require_builtin_column(p_table, col);
  END LOOP;
  key_numbers := ARRAY(SELECT a.attnum FROM pg_catalog.unnest(keys) WITH ORDINALITY AS k(c, o)
                         JOIN pg_catalog.pg_attribute a ON a.attrelid = p_table AND a.attname = k.c ORDER BY k.o);
  IF NOT (resolved ? 'amount' OR field_values ? 'amount') AND p_record_kind IN ('payment', 'fund_allocation') THEN
    RAISE EXCEPTION 'record kind % needs the field amount mapped', p_record_kind USING ERRCODE = '22023';
  END IF;

  -- Re-watching replaces the previous watch.
  FOR col IN SELECT t.tgname FROM pg_catalog.pg_trigger t WHERE t.tgrelid = p_table
                AND t.tgname IN ('oversight_engine_insert', 'oversight_engine_update', 'oversight_engine_row') LOOP
    EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', col, qualified);
  END LOOP;
  DELETE FROM oversight.watched_table w WHERE w.relid = p_table;

  -- Both levels judge a statement's rows as one batch. At statement level the statement triggers read the
  -- transition table; at row level (a foreign table cannot have one) the row trigger takes each written
  -- row and the statement triggers, which fire after the statement's row events, judge what it took
  -- (src/engine/row_buffer.cpp).
  IF p_trigger_level = 'row' THEN
    EXECUTE pg_catalog.format('CREATE TRIGGER oversight_engine_row AFTER INSERT OR UPDATE ON %s '
                              'FOR EACH ROW EXECUTE FUNCTION oversight.engine_trigger()', qualified);
    EXECUTE pg_catalog.format('COMMENT ON TRIGGER oversight_engine_row ON %s IS %L', qualified,
                              'oversight rule engine: takes every written row for the statement''s batch (oversight.watch, row level)');
  END IF;
  FOR trigger_event IN SELECT e.event FROM (VALUES ('INSERT'), ('UPDATE')) AS e(event) LOOP
    EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER %s ON %s %s FOR EACH STATEMENT EXECUTE FUNCTION oversight.engine_trigger()',
                              'oversight_engine_' || pg_catalog.lower(trigger_event), trigger_event, qualified,
                              CASE WHEN p_trigger_level = 'statement' THEN 'REFERENCING NEW TABLE AS oversight_new' ELSE '' END);
    EXECUTE pg_catalog.format('COMMENT ON TRIGGER %I ON %s IS %L', 'oversight_engine_' || pg_catalog.lower(trigger_event), qualified,
                              pg_catalog.format('oversight rule engine: evaluates the rows of each %s statement in one batch (oversight.watch, %s level)',
                                                trigger_event, p_trigger_level));
  END LOOP;
  -- A DBA's table: each distinct mapping is a version (reused when the same mapping comes back), which its
  -- alerts record. The extension's own tables have none: their columns are the canonical fields.
  IF rel.relnamespace <> 'oversight'::regnamespace THEN
    resolved_mapping := pg_catalog.jsonb_build_object('record_kind', p_record_kind, 'columns', resolved, 'key', pg_catalog.to_jsonb(keys),
                                                      'values', field_values)
                        || CASE WHEN stored.mapping_name IS NULL THEN '{}'::jsonb
                                ELSE pg_catalog.jsonb_build_object('mapping', pg_catalog.jsonb_build_object('name', stored.mapping_name, 'version', stored.version)) END;
    v_sha := pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(resolved_mapping::text, 'UTF8')), 'hex');
    SELECT v.mapping_version_id, v.version INTO v_version_id, mapping_version FROM oversight.watch_mapping_version v
     WHERE v.table_name = qualified AND v.mapping_sha256 = v_sha;
    IF NOT FOUND THEN
      mapping_version := COALESCE((SELECT max(v.version) FROM oversight.watch_mapping_version v WHERE v.table_name = qualified), 0) + 1;
      INSERT INTO oversight.watch_mapping_version (table_name, version, record_kind, mapping, mapping_sha256, mapping_name, mapping_name_version,
                                                   created_at, created_by, reason)
      VALUES (qualified, mapping_version, p_record_kind, resolved_mapping, v_sha, stored.mapping_name, stored.version, oversight.now(), session_user,
              COALESCE(p_reason, NULLIF(pg_catalog.current_setting('oversight.reason', true), '')))
      RETURNING mapping_version_id INTO v_version_id;
    END IF;
  END IF;
  -- Audited by the table's trigger (the extension script's own watches of the canonical tables are not:
  -- CREATE EXTENSION recreates them on restore); a changed mapping shows in the audit entry's old and new rows.
  INSERT INTO oversight.watched_table (relid, record_kind, column_mapping, key_columns, trigger_level, is_canonical, watched_at, watched_by,
                                       field_attnums, key_attnums, value_mapping, mapping_version_id)
  VALUES (p_table, p_record_kind, resolved, keys, p_trigger_level,
          rel.relnamespace = 'oversight'::regnamespace, oversight.now(), session_user, attnums, key_numbers, field_values, v_version_id);
  mapped_fields := ARRAY(SELECT pg_catalog.jsonb_object_keys(resolved) ORDER BY 1);
  value_mapped_fields := ARRAY(SELECT k FROM pg_catalog.jsonb_object_keys(field_values) k WHERE field_values -> k ? 'values' AND resolved ? k ORDER BY 1);
  constant_fields := ARRAY(SELECT k FROM pg_catalog.jsonb_object_keys(field_values) k WHERE NOT resolved ? k ORDER BY 1);
  unmapped_fields := ARRAY(SELECT k FROM pg_catalog.jsonb_object_keys(fields) k
                            WHERE NOT resolved ? k AND NOT COALESCE(field_values -> k ?| ARRAY['const', 'default'], false) ORDER BY 1);
  key_columns := keys;
  RETURN NEXT;
END $$;
COMMENT ON FUNCTION oversight.watch(regclass, text, jsonb, text, text, integer, text) IS
  'Attaches the rule engine to a table: maps its columns onto a record kind ({"canonical field": "column"}, same-named columns map themselves, "@key": [...] overrides the primary key) and creates AFTER triggers (statement level with transition tables by default, or row level). A field may instead be mapped as {"column": c, "values": {"source value": "canonical value"}, "default": v} or {"const": v} (the loader''s [values.FIELD], default: and const:; oversight.check_watch_mapping() checks them), applied by the engine when it reads rows. A "column" may be a list of names (the first the table has wins, none: blind), as a stored .map does. p_mapping_name (and p_mapping_version, else the latest) watches with a stored mapping (oversight.mapping) instead of JSON. Each distinct mapping of a table is a version in oversight.watch_mapping_version (p_reason says why), recorded by its alerts. Returns the fields mapped to columns, the blind ones, the key, the value-mapped and the constant ones, and the mapping version (NULL for the extension''s own tables). Mapped and key columns must be of built-in types (or domains over them). The mapping follows renamed columns; a dropped mapped column disables the watch with a recorded fault; a dropped table is forgotten. The table, its owner and its rows are not changed. Audited.';
REVOKE ALL ON FUNCTION oversight.watch(regclass, text, jsonb, text, text, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION oversight.watch(regclass, text, jsonb, text, text, integer, text) TO oversight_admin;
