-------------------------------------------------------------------------------------------------------
-- Chinese first (issue 8): the language of a session, and what follows it — the views showing rule
-- titles and alert messages, the notices listeners read, the blocking message, the engine's warnings.
-- Every alert holds its message in both languages (message, message_zh), every shipped rule its title
-- in both (title, title_zh): both stay queryable, whatever the session shows.
-------------------------------------------------------------------------------------------------------
CREATE FUNCTION oversight.language() RETURNS text
  LANGUAGE plpgsql STABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE v text := NULLIF(pg_catalog.current_setting('oversight.language', true), '');
BEGIN
  IF v IS NULL THEN
    RETURN oversight.setting_value('language');
  END IF;
  IF v NOT IN ('zh', 'en') THEN
    -- Set before the extension's library was loaded in the session (once it is, SET refuses it).
    RAISE EXCEPTION '设置 oversight.language 的值 "%" 无效 / invalid value for setting oversight.language: "%"', v, v
      USING ERRCODE = '22023',
            HINT = 'oversight.language is zh (Chinese) or en (English); RESET oversight.language uses the database''s setting "language".';
  END IF;
  RETURN v;
END $$;
COMMENT ON FUNCTION oversight.language() IS
  'The language of this session: the setting oversight.language when the session set it (SET oversight.language = ''en''), else the database''s setting "language" (zh by default). zh or en; any other value is an error 22023.';

-- Recording findings with their messages in both languages: oversight.record_hits() (src/functions/record_hits.sql).

CREATE OR REPLACE FUNCTION oversight.record_fault(p_rule_version_id bigint, p_object_table text, p_object_key jsonb, p_sqlstate text,
                                                  p_message text, p_detail text, p_path text, p_batch_rows bigint)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  id bigint;
  code text;
  -- The writer's language; never an error here (a fault must not break the write it is recorded for).
  lang text := CASE WHEN pg_catalog.current_setting('oversight.language', true) IN ('zh', 'en')
                    THEN pg_catalog.current_setting('oversight.language', true) ELSE oversight.setting_value('language') END;
BEGIN
  SELECT v.rule_code INTO code FROM oversight.rule_version v WHERE v.rule_version_id = p_rule_version_id;
  INSERT INTO oversight.engine_fault (occurred_at, rule_version_id, rule_code, object_table, object_key, sqlstate, message, detail, path, batch_rows, actor)
  VALUES (oversight.now(), p_rule_version_id, code, p_object_table, p_object_key, p_sqlstate, p_message, p_detail, p_path, p_batch_rows, session_user)
  RETURNING fault_id INTO id;
  -- The number only, as for alerts: faults are read through row-level security.
  PERFORM pg_catalog.pg_notify('oversight_faults', pg_catalog.json_build_object('fault_id', id)::text);
  IF lang = 'en' THEN
    RAISE WARNING 'oversight: % failed on %: % (SQLSTATE %); the data was kept, see oversight.engine_fault %',
      COALESCE('rule ' || code, 'the engine'), p_object_table, p_message, p_sqlstate, id;
  ELSE
    RAISE WARNING 'oversight：% 在 % 上出错：%（SQLSTATE %）；数据已保留，见 oversight.engine_fault %',
      COALESCE('规则 ' || code, '引擎'), p_object_table, p_message, p_sqlstate, id;
  END IF;
  RETURN id;
END $$;
COMMENT ON FUNCTION oversight.record_fault(bigint, text, jsonb, text, text, text, text, bigint) IS
  'Records an engine fault, notifies channel oversight_faults with {"fault_id": n} and warns the writer in their language (oversight.language()). Engine-internal.';

-------------------------------------------------------------------------------------------------------
-- What readers see, in their language: the notices of listeners and the views of rules and alerts.
-- (SELECT oversight.language()) is evaluated once per query, not per row.
-------------------------------------------------------------------------------------------------------
CREATE FUNCTION oversight.alert_payload(p_alert_id bigint, p_rule_code text, p_rule_version integer, p_rule_version_id bigint, p_severity text,
                                        p_status text, p_object_table text, p_object_key jsonb, p_period text, p_unit_code text,
                                        p_fingerprint text, p_repeat_count integer, p_message text, p_fired_at timestamptz, p_path text,
                                        p_node_code text, p_blocking boolean, p_rule_title text, p_language text)
  RETURNS jsonb
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.jsonb_build_object(
    'alert_id', p_alert_id, 'rule_code', p_rule_code, 'rule_version', p_rule_version, 'rule_version_id', p_rule_version_id,
    'severity', p_severity, 'status', p_status, 'object_table', p_object_table, 'object_key', p_object_key, 'period', p_period,
    'unit_code', p_unit_code, 'fingerprint', p_fingerprint, 'repeat_count', p_repeat_count,
    'message', pg_catalog.left(p_message, 1000), 'fired_at', p_fired_at, 'path', p_path, 'node_code', p_node_code, 'blocking', p_blocking,
    'rule_title', p_rule_title, 'language', p_language)
$$;
COMMENT ON FUNCTION oversight.alert_payload(bigint, text, integer, bigint, text, text, text, jsonb, text, text, text, integer, text, timestamptz, text, text, boolean, text, text) IS
  'The documented JSON of an alert, as oversight.alert_notices() gives it to listeners of channel oversight_alerts: alert_id, rule_code, rule_version, rule_version_id, severity, status, object_table, object_key (JSON object), period, unit_code, fingerprint, repeat_count, message (first 1000 characters), fired_at, path, node_code, blocking, rule_title, and language (zh or en: the language of message and rule_title).';

CREATE OR REPLACE FUNCTION oversight.alert_notices(p_alert_ids bigint[])
  RETURNS TABLE (alert_id bigint, notice jsonb)
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT a.alert_id, oversight.alert_payload(a.alert_id, a.rule_code, v.version, a.rule_version_id, a.severity, a.status, a.object_table,
                                             a.object_key, a.period, a.unit_code, a.fingerprint, a.repeat_count,
                                             CASE WHEN l.lang = 'en' THEN a.message ELSE a.message_zh END,
                                             a.last_fired_at, a.last_path, a.node_code, a.blocking,
                                             CASE WHEN l.lang = 'en' THEN r.title ELSE COALESCE(r.title_zh, r.title) END, l.lang)
    FROM (SELECT oversight.language() AS lang OFFSET 0) l -- once, not per alert
   CROSS JOIN pg_catalog.unnest(p_alert_ids) WITH ORDINALITY AS n(id, ord)
    JOIN oversight.alert a ON a.alert_id = n.id
    JOIN oversight.rule_version v ON v.rule_version_id = a.rule_version_id
    JOIN oversight.rule r ON r.rule_code = a.rule_code
   ORDER BY n.ord
$$;
COMMENT ON FUNCTION oversight.alert_notices(bigint[]) IS
  'The alerts behind notifications on channel oversight_alerts (whose payload is {"alert_id": n}), as the documented JSON of oversight.alert_payload(), in the order given, the message and rule title in the reader''s language (oversight.language(); key language says which). Runs with the caller''s rights: an alert outside the caller''s units (row-level security) is simply not returned.';

CREATE OR REPLACE VIEW oversight.open_alerts WITH (security_invoker = true) AS
  SELECT a.alert_id, a.status, a.severity, a.rule_code,
         CASE WHEN (SELECT oversight.language()) = 'en' THEN r.title ELSE COALESCE(r.title_zh, r.title) END AS rule_title,
         v.version AS rule_version, a.node_code, k.name_zh AS node_name_zh,
         a.object_table, a.object_key, a.period, a.unit_code,
         CASE WHEN (SELECT oversight.language()) = 'en' THEN a.message ELSE a.message_zh END AS message,
         a.details, a.repeat_count, a.first_fired_at, a.last_fired_at, a.snoozed_until, a.muted_count,
         EXISTS (SELECT FROM oversight.waiver w WHERE w.alert_id = a.alert_id AND w.status = 'approved' AND w.expires_at > oversight.now()) AS is_waived,
         r.title AS rule_title_en, r.title_zh AS rule_title_zh, a.message AS message_en, a.message_zh, k.name_en AS node_name_en
    FROM oversight.alert a
    JOIN oversight.rule r ON r.rule_code = a.rule_code
    JOIN oversight.rule_version v ON v.rule_version_id = a.rule_version_id
    LEFT JOIN oversight.key_node k ON k.node_code = a.node_code
   WHERE a.status IN ('open', 'acknowledged');
COMMENT ON VIEW oversight.open_alerts IS
  'Alerts awaiting work (open or acknowledged), with rule, version and key node; rule title and message in the reader''s language (oversight.language()), both languages in the _en and _zh columns; ordered work lists sort by severity and last_fired_at.';
COMMENT ON COLUMN oversight.open_alerts.rule_title IS 'Rule title in the reader''s language (a rule without a Chinese title shows its English one).';
COMMENT ON COLUMN oversight.open_alerts.message IS 'Finding, in the reader''s language.';
COMMENT ON COLUMN oversight.open_alerts.rule_title_en IS 'Rule title in English.';
COMMENT ON COLUMN oversight.open_alerts.rule_title_zh IS 'Rule title in Chinese (NULL: none given).';
COMMENT ON COLUMN oversight.open_alerts.message_en IS 'Finding in English.';
COMMENT ON COLUMN oversight.open_alerts.message_zh IS 'Finding in Chinese.';
COMMENT ON COLUMN oversight.open_alerts.node_name_en IS 'Key node name in English.';

CREATE OR REPLACE VIEW oversight.rules WITH (security_invoker = true) AS
  SELECT r.rule_code, r.rule_kind, r.record_kind, r.node_code,
         CASE WHEN (SELECT oversight.language()) = 'en' THEN r.title ELSE COALESCE(r.title_zh, r.title) END AS title,
         r.is_enabled, v.rule_version_id, v.version, v.severity, v.blocking, v.params, v.approved_by, v.approved_at,
         (SELECT max(d.version) FROM oversight.rule_version d WHERE d.rule_code = r.rule_code AND d.status = 'draft') AS draft_version,
         r.title AS title_en, r.title_zh
    FROM oversight.rule r
    LEFT JOIN oversight.rule_version v ON v.rule_code = r.rule_code AND v.status = 'approved';
COMMENT ON COLUMN oversight.rules.title IS 'Title in the reader''s language (oversight.language()).';
COMMENT ON COLUMN oversight.rules.title_en IS 'Title in English.';
COMMENT ON COLUMN oversight.rules.title_zh IS 'Title in Chinese (NULL: none given).';

CREATE OR REPLACE VIEW oversight.rule_noise WITH (security_invoker = true) AS
  SELECT r.rule_code,
         CASE WHEN (SELECT oversight.language()) = 'en' THEN r.title ELSE COALESCE(r.title_zh, r.title) END AS title,
         r.node_code,
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
         (SELECT count(*) FROM oversight.engine_fault f WHERE f.rule_code = r.rule_code) AS faults,
         r.title AS title_en, r.title_zh
    FROM oversight.rule r LEFT JOIN oversight.alert a ON a.rule_code = r.rule_code
   GROUP BY r.rule_code, r.title, r.title_zh, r.node_code;
COMMENT ON COLUMN oversight.rule_noise.title IS 'Title in the reader''s language (oversight.language()).';
COMMENT ON COLUMN oversight.rule_noise.title_en IS 'Title in English.';
COMMENT ON COLUMN oversight.rule_noise.title_zh IS 'Title in Chinese (NULL: none given).';

-- The catalogue of rule kinds, one definition for 0.4.0 (columns appended to the 0.2.0 view): whether a
-- kind forms matters, what it judges a record by (data coverage, commented in src/coverage.sql), its
-- titles and message templates.
CREATE OR REPLACE VIEW oversight.rule_kinds AS
  SELECT k ->> 'kind' AS rule_kind, k ->> 'evaluation' AS evaluation,
         ARRAY(SELECT pg_catalog.jsonb_array_elements_text(k -> 'record_kinds')) AS record_kinds,
         k -> 'params' AS params, k ->> 'description' AS description, (k ->> 'forms_matters')::boolean AS forms_matters,
         ARRAY(SELECT pg_catalog.jsonb_array_elements_text(k -> 'required_inputs')) AS required_inputs,
         ARRAY(SELECT pg_catalog.jsonb_array_elements_text(k -> 'optional_inputs')) AS optional_inputs,
         ARRAY(SELECT pg_catalog.jsonb_array_elements_text(k -> 'required_links')) AS required_links,
         ARRAY(SELECT pg_catalog.jsonb_array_elements_text(k -> 'optional_links')) AS optional_links,
         k ->> 'threshold_currency' AS threshold_currency,
         (k ->> 'payments_only')::boolean AS payments_only,
         CASE WHEN (SELECT oversight.language()) = 'en' THEN k ->> 'title_en' ELSE k ->> 'title_zh' END AS title,
         k ->> 'title_zh' AS title_zh, k ->> 'title_en' AS title_en, k -> 'messages' AS messages,
         k ->> 'at_commit_group' AS at_commit_group
    FROM pg_catalog.jsonb_array_elements(oversight.rule_kind_catalog()) AS k;
COMMENT ON COLUMN oversight.rule_kinds.forms_matters IS 'True for matter rules (matter_when): their findings form matters with their obligations, not alerts.';
COMMENT ON COLUMN oversight.rule_kinds.title IS 'Title of the kind in the reader''s language (oversight.language()).';
COMMENT ON COLUMN oversight.rule_kinds.title_zh IS 'Title of the kind in Chinese.';
COMMENT ON COLUMN oversight.rule_kinds.title_en IS 'Title of the kind in English.';
COMMENT ON COLUMN oversight.rule_kinds.at_commit_group IS
  'For kinds that judge complete facts (a bid''s tenderers arrive after the bid): the field grouping the records (ocid) they are evaluated over, once, when the writing transaction commits (oversight.pending_evaluation); NULL: evaluated with the statement''s rows. 提交时按此字段（采购项目）整体评估。';
COMMENT ON COLUMN oversight.rule_kinds.messages IS
  'Message templates of the kind: [{finding, zh, en}], one per shape of finding (chosen by the details'' "finding"; null: the only one). Placeholders {name} are filled with the members of an alert''s details ({name|term}: codes as words, {name|key}: a key''s values, {#list}…{/list}: once per element); see oversight.finding_messages().';

GRANT EXECUTE ON FUNCTION oversight.language()
  TO oversight_admin, oversight_loader, oversight_analyst, oversight_inspector, oversight_official;
GRANT EXECUTE ON FUNCTION oversight.finding_messages(text, jsonb, boolean)
  TO oversight_admin, oversight_loader, oversight_analyst, oversight_inspector;
GRANT EXECUTE ON FUNCTION oversight.alert_payload(bigint, text, integer, bigint, text, text, text, jsonb, text, text, text, integer, text, timestamptz, text, text, boolean, text, text)
  TO oversight_admin, oversight_analyst, oversight_inspector;
