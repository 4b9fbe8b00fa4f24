-- oversight.record_hits(): the one statement that records a batch's findings. Current definition (since
-- 0.4.0; the 0.3.0 one is dropped by the upgrade script): findings carry their messages in English and
-- Chinese; the findings of matter rules (rule kinds that form matters, view oversight.rule_kinds) go to
-- oversight.record_matters(), in a subtransaction of their own so that nothing there can cost the batch
-- its alerts; everything else is recorded as alerts.
CREATE FUNCTION oversight.rule_kind_forms_matters(p_rule_kind text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'oversight_rule_kind_forms_matters' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION oversight.rule_kind_forms_matters(text) IS
  'True when the findings of a rule kind form matters (view oversight.rule_kinds, column forms_matters), false for other and unknown kinds: the recorder''s lookup, without building the whole catalogue. Engine-internal.';
REVOKE ALL ON FUNCTION oversight.rule_kind_forms_matters(text) FROM PUBLIC;

CREATE FUNCTION oversight.record_hits(p_rule_version_ids bigint[], p_object_tables text[], p_object_keys jsonb[], p_periods text[],
                                      p_unit_codes text[], p_messages text[], p_messages_zh text[], p_details jsonb[], p_path text,
                                      p_mapping_version_id bigint DEFAULT NULL)
  RETURNS TABLE (hits integer, opened integer, reopened integer, notified integer, muted integer, blocking_message text)
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
  SET jit = off -- the array sizes are unknown to the planner; JIT compilation would cost more than the statement
  -- Every table access here is a keyed lookup (fingerprint, alert id, rule version): never a scan. Its
  -- cached plan would otherwise keep the sequential scan of oversight.alert chosen while the table was
  -- small, and row-level evaluation of a long load would slow down as the alerts grow.
  SET enable_seqscan = off
  -- Its statements take arrays whose sizes the planner cannot see: a custom plan per call re-planned the
  -- big statement below on every write (a fifth of a single-row insert's time); one generic plan is as good.
  SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_now timestamptz := oversight.now();
  v_reopened bigint[];
  reopened_alert record;
  v_matter_versions bigint[];
  m_rv bigint[]; m_tb text[]; m_k jsonb[]; m_unit text[]; m_title text[]; m_det jsonb[];
  e_state text; e_message text; e_detail text;
BEGIN
  -- Matter rules form matters, not alerts (one engine, one watch mapping, one recording statement).
  SELECT pg_catalog.array_agg(d.rv) INTO v_matter_versions
    FROM (SELECT DISTINCT x.rv FROM pg_catalog.unnest(p_rule_version_ids) AS x(rv)) d
    JOIN oversight.rule_version v ON v.rule_version_id = d.rv
    JOIN oversight.rule r ON r.rule_code = v.rule_code
   WHERE oversight.rule_kind_forms_matters(r.rule_kind);
  IF v_matter_versions IS NOT NULL THEN
    -- A matter's title is its Chinese text (a matter rule's title_zh; its English one is in the details).
    SELECT pg_catalog.array_agg(u.rv ORDER BY u.ord) FILTER (WHERE u.rv = ANY (v_matter_versions)),
           pg_catalog.array_agg(u.tb ORDER BY u.ord) FILTER (WHERE u.rv = ANY (v_matter_versions)),
           pg_catalog.array_agg(u.k ORDER BY u.ord) FILTER (WHERE u.rv = ANY (v_matter_versions)),
           pg_catalog.array_agg(u.unit ORDER BY u.ord) FILTER (WHERE u.rv = ANY (v_matter_versions)),
           pg_catalog.array_agg(COALESCE(u.msg_zh, u.msg) ORDER BY u.ord) FILTER (WHERE u.rv = ANY (v_matter_versions)),
           pg_catalog.array_agg(u.det ORDER BY u.ord) FILTER (WHERE u.rv = ANY (v_matter_versions)),
           pg_catalog.array_agg(u.rv ORDER BY u.ord) FILTER (WHERE u.rv <> ALL (v_matter_versions)),
           pg_catalog.array_agg(u.tb ORDER BY u.ord) FILTER (WHERE u.rv <> ALL (v_matter_versions)),
           pg_catalog.array_agg(u.k ORDER BY u.ord) FILTER (WHERE u.rv <> ALL (v_matter_versions)),
           pg_catalog.array_agg(u.per ORDER BY u.ord) FILTER (WHERE u.rv <> ALL (v_matter_versions)),
           pg_catalog.array_agg(u.unit ORDER BY u.ord) FILTER (WHERE u.rv <> ALL (v_matter_versions)),
           pg_catalog.array_agg(u.msg ORDER BY u.ord) FILTER (WHERE u.rv <> ALL (v_matter_versions)),
           pg_catalog.array_agg(u.msg_zh ORDER BY u.ord) FILTER (WHERE u.rv <> ALL (v_matter_versions)),
           pg_catalog.array_agg(u.det ORDER BY u.ord) FILTER (WHERE u.rv <> ALL (v_matter_versions))
      INTO m_rv, m_tb, m_k, m_unit, m_title, m_det,
           p_rule_version_ids, p_object_tables, p_object_keys, p_periods, p_unit_codes, p_messages, p_messages_zh, p_details
      FROM ROWS FROM (pg_catalog.unnest(p_rule_version_ids), pg_catalog.unnest(p_object_tables), pg_catalog.unnest(p_object_keys),
                      pg_catalog.unnest(p_periods), pg_catalog.unnest(p_unit_codes), pg_catalog.unnest(p_messages),
                      pg_catalog.unnest(p_messages_zh), pg_catalog.unnest(p_details))
             WITH ORDINALITY AS u(rv, tb, k, per, unit, msg, msg_zh, det, ord);
    BEGIN
      PERFORM oversight.record_matters(m_rv, m_tb, m_k, m_unit, m_title, m_det, p_path);
    EXCEPTION WHEN OTHERS THEN
      -- As for any rule: the fault is recorded, the data and the batch's alerts are kept.
      GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_message = MESSAGE_TEXT, e_detail = PG_EXCEPTION_DETAIL;
      PERFORM oversight.record_fault(m_rv[1], m_tb[1], m_k[1], e_state, 'forming matters: ' || e_message, NULLIF(e_detail, ''), p_path,
                                     pg_catalog.cardinality(m_rv));
    END;
  END IF;
  WITH versions AS MATERIALIZED (
    -- The batch's few rule versions, looked up once (not once per finding).
    SELECT v.rule_version_id, v.rule_code, v.version, v.severity, v.blocking, r.node_code
      FROM oversight.rule_version v JOIN oversight.rule r ON r.rule_code = v.rule_code
     WHERE v.rule_version_id = ANY (p_rule_version_ids)),
  h AS (
    SELECT DISTINCT ON (f.fp) u.rv, u.tb, u.k, COALESCE(u.per, '') AS per, u.unit, u.msg, u.msg_zh, u.det, v.rule_code, v.version, v.severity,
           v.blocking, v.node_code, f.fp
      FROM ROWS FROM (pg_catalog.unnest(p_rule_version_ids), pg_catalog.unnest(p_object_tables), pg_catalog.unnest(p_object_keys),
                      pg_catalog.unnest(p_periods), pg_catalog.unnest(p_unit_codes), pg_catalog.unnest(p_messages),
                      pg_catalog.unnest(p_messages_zh), pg_catalog.unnest(p_details))
             WITH ORDINALITY AS u(rv, tb, k, per, unit, msg, msg_zh, det, ord)
      JOIN versions v ON v.rule_version_id = u.rv
     CROSS JOIN LATERAL (SELECT pg_catalog.md5(v.rule_code || '|' || u.tb || '|' || u.k::text || '|' || COALESCE(u.per, ''))) AS f(fp)
     -- One finding per alert: when a rule finds one record several times in a batch (a payment near-identical to
     -- two others), the least details win, so the alert says the same whatever the order the rows were judged in
     -- (the plan, the batch's split: issue 8).
     ORDER BY f.fp, u.det, u.ord),
  up AS (
    INSERT INTO oversight.alert AS a (fingerprint, rule_code, rule_version_id, first_rule_version_id, node_code, severity, blocking,
                                      object_table, object_key, period, unit_code, message, message_zh, details, status, repeat_count,
                                      first_fired_at, last_fired_at, last_path, mapping_version_id)
    SELECT h.fp, h.rule_code, h.rv, h.rv, h.node_code, h.severity, h.blocking, h.tb, h.k, h.per, h.unit, h.msg, h.msg_zh, h.det, 'open', 1,
           v_now, v_now, p_path, p_mapping_version_id
      FROM h
    ON CONFLICT (fingerprint) DO UPDATE SET
      repeat_count = a.repeat_count + 1,
      last_fired_at = EXCLUDED.last_fired_at,
      rule_version_id = EXCLUDED.rule_version_id,
      severity = EXCLUDED.severity,
      blocking = EXCLUDED.blocking,
      message = EXCLUDED.message,
      message_zh = EXCLUDED.message_zh,
      details = EXCLUDED.details,
      unit_code = EXCLUDED.unit_code,
      last_path = EXCLUDED.last_path,
      mapping_version_id = EXCLUDED.mapping_version_id,
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
    -- (the rule version's number from the batch's versions: no join back to h on the fingerprint, which
    -- sorted every upserted row on bulk loads)
    SELECT up.*, up.repeat_count = 1 AS is_new, p.status AS prev_status, (p.status IS NOT NULL AND p.status <> up.status) AS is_reopened,
           COALESCE(p.snoozed OR p.waived, false) AS is_muted, v.version
      FROM up JOIN versions v ON v.rule_version_id = up.rule_version_id
      -- The alert as it was before this statement (every part of a statement reads one snapshot, so this does
      -- not see what up wrote), looked up for recurrences only: an alert with repeat_count 1 is new, since a
      -- recurrence always adds one. One probe of the fingerprint index per recurrence (LIMIT keeps it a
      -- parameterised index scan: a join could hash the whole alert table, per written row at row level).
      LEFT JOIN LATERAL (
        SELECT x.status, (x.snoozed_until IS NOT NULL AND x.snoozed_until > v_now) AS snoozed,
               EXISTS (SELECT FROM oversight.waiver w WHERE w.alert_id = x.alert_id AND w.status = 'approved' AND w.expires_at > v_now) AS waived
          FROM oversight.alert x WHERE up.repeat_count > 1 AND x.fingerprint = up.fingerprint LIMIT 1) p ON true),
  ev AS (
    INSERT INTO oversight.alert_event (alert_id, event_at, actor, event, from_status, to_status, reason, rule_version_id)
    SELECT c.alert_id, v_now, session_user, CASE WHEN c.is_new THEN 'opened' ELSE 'reopened' END,
           CASE WHEN c.is_new THEN NULL ELSE c.prev_status END, c.status,
           CASE WHEN c.is_new THEN 'rule fired' ELSE 'the matter recurred' END, c.rule_version_id
      FROM classified c WHERE c.is_new OR c.is_reopened
    RETURNING 1),
  nt AS (
    -- The notification carries the alert's number only: LISTEN needs no privilege, so anything more
    -- would reach every role of the database. A listener reads the alert through row-level security
    -- (oversight.alert_notices(), in its own language).
    -- (written as text: the same JSON as jsonb_build_object('alert_id', n)::text, without building a jsonb per alert)
    SELECT pg_catalog.pg_notify('oversight_alerts', '{"alert_id": ' || c.alert_id || '}') AS sent
      FROM classified c WHERE NOT c.is_muted)
  SELECT (SELECT count(*) FROM h)::integer,
         (SELECT count(*) FROM classified WHERE is_new)::integer,
         (SELECT count(*) FROM classified WHERE is_reopened)::integer,
         (SELECT count(*) FROM nt)::integer + (SELECT count(*) FROM ev)::integer * 0,
         (SELECT count(*) FROM classified WHERE is_muted)::integer,
         -- in the writer's language (the language is read only when something blocks)
         (SELECT CASE WHEN oversight.language() = 'en' THEN 'write blocked by oversight rule: rule ' || c.rule_code || ' v' || c.version || ': ' || c.message
                      ELSE '监控规则阻止写入：规则 ' || c.rule_code || '（第 ' || c.version || ' 版）：' || c.message_zh END
            FROM classified c
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
COMMENT ON FUNCTION oversight.record_hits(bigint[], text[], jsonb[], text[], text[], text[], text[], jsonb[], text, bigint) IS
  'Records the findings of one rule evaluation set-based, with their messages in English and Chinese: the findings of matter rules form matters (oversight.record_matters(), isolated: a failure there is an engine fault, never lost alerts); the others upsert alerts by fingerprint (repeat count, reopening), logs opened/reopened events, and notifies channel oversight_alerts with {"alert_id": n} unless the alert is snoozed or waived (listeners read the alert with oversight.alert_notices()). Returns counts and the message of the first unwaived blocking finding (the OV100 error), in the writer''s language. p_mapping_version_id: the watched table''s mapping version the batch was computed under (oversight.watch_mapping_version; NULL for the extension''s own tables), recorded in each alert. Engine-internal.';
REVOKE ALL ON FUNCTION oversight.record_hits(bigint[], text[], jsonb[], text[], text[], text[], text[], jsonb[], text, bigint) FROM PUBLIC;

