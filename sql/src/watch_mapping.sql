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

-- The result says, besides the mapped columns, which fields are value-mapped and which constant.
DROP FUNCTION oversight.watch(regclass, text, jsonb, text);
CREATE FUNCTION oversight.watch(p_table regclass, p_record_kind text, p_column_mapping jsonb DEFAULT '{}', p_trigger_level text DEFAULT 'statement')
  RETURNS TABLE (mapped_fields text[], unmapped_fields text[], key_columns text[], value_mapped_fields text[], constant_fields text[])
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
    col := COALESCE(named ->> f, CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = p_table AND a.attname = f
                                                      AND a.attnum > 0 AND NOT a.attisdropped) THEN f END);
    IF col IS NULL THEN
      IF field_values -> f ? 'values' THEN
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
    -- Row level (tables where transition tables are not allowed): the row trigger buffers each written
    -- row, and the statement triggers, which fire after the statement's row events, judge them as one
    -- batch (src/engine/row_buffer.cpp).
    EXECUTE pg_catalog.format('CREATE TRIGGER oversight_engine_row AFTER INSERT OR UPDATE ON %s '
                              'FOR EACH ROW EXECUTE FUNCTION oversight.engine_trigger()', qualified);
    EXECUTE pg_catalog.format('COMMENT ON TRIGGER oversight_engine_row ON %s IS %L', qualified,
                              'oversight rule engine: takes every written row for the statement''s batch (oversight.watch, row level)');
    EXECUTE pg_catalog.format('CREATE TRIGGER oversight_engine_insert AFTER INSERT ON %s '
                              'FOR EACH STATEMENT EXECUTE FUNCTION oversight.engine_trigger()', qualified);
    EXECUTE pg_catalog.format('CREATE TRIGGER oversight_engine_update AFTER UPDATE ON %s '
                              'FOR EACH STATEMENT EXECUTE FUNCTION oversight.engine_trigger()', qualified);
    EXECUTE pg_catalog.format('COMMENT ON TRIGGER oversight_engine_insert ON %s IS %L', qualified,
                              'oversight rule engine: evaluates the rows an INSERT statement''s row events took, in one batch (oversight.watch, row level)');
    EXECUTE pg_catalog.format('COMMENT ON TRIGGER oversight_engine_update ON %s IS %L', qualified,
                              'oversight rule engine: evaluates the rows an UPDATE statement''s row events took, in one batch (oversight.watch, row level)');
  END IF;
  -- Audited by the table's trigger (the extension script's own watches of the canonical tables are not:
  -- CREATE EXTENSION recreates them on restore); a changed mapping shows in the audit entry's old and new rows.
  INSERT INTO oversight.watched_table (relid, record_kind, column_mapping, key_columns, trigger_level, is_canonical, watched_at, watched_by,
                                       field_attnums, key_attnums, value_mapping)
  VALUES (p_table, p_record_kind, resolved, keys, p_trigger_level,
          rel.relnamespace = 'oversight'::regnamespace, oversight.now(), session_user, attnums, key_numbers, field_values);
  mapped_fields := ARRAY(SELECT pg_catalog.jsonb_object_keys(resolved) ORDER BY 1);
  value_mapped_fields := ARRAY(SELECT k FROM pg_catalog.jsonb_object_keys(field_values) k WHERE field_values -> k ? 'values' ORDER BY 1);
  constant_fields := ARRAY(SELECT k FROM pg_catalog.jsonb_object_keys(field_values) k WHERE NOT resolved ? k ORDER BY 1);
  unmapped_fields := ARRAY(SELECT k FROM pg_catalog.jsonb_object_keys(fields) k WHERE NOT resolved ? k AND NOT field_values ? k ORDER BY 1);
  key_columns := keys;
  RETURN NEXT;
END $$;
COMMENT ON FUNCTION oversight.watch(regclass, text, jsonb, text) IS
  'Attaches the rule engine to a table: maps its columns onto a record kind ({"canonical field": "column"}, same-named columns map themselves, "@key": [...] overrides the primary key) and creates AFTER triggers (statement level with transition tables by default, or row level). A field may instead be mapped as {"column": c, "values": {"source value": "canonical value"}, "default": v} or {"const": v} (the loader''s [values.FIELD], default: and const:; oversight.check_watch_mapping() checks them), applied by the engine when it reads rows. Returns the fields mapped to columns, the blind ones, the key, the value-mapped and the constant ones. Mapped and key columns must be of built-in types (or domains over them). The mapping follows renamed columns; a dropped mapped column disables the watch with a recorded fault; a dropped table is forgotten. The table, its owner and its rows are not changed. Audited.';
REVOKE ALL ON FUNCTION oversight.watch(regclass, text, jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION oversight.watch(regclass, text, jsonb, text) TO oversight_admin;
