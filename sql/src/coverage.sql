-------------------------------------------------------------------------------------------------------
-- Data coverage (issue 11): rules never judge data the source did not provide. Each rule kind declares
-- the canonical fields it needs (required and optional inputs), the link tables it reads, and the
-- currency of its amount thresholds (view oversight.rule_kinds). A rule that cannot judge records —
-- a required input not mapped by the watch, or not provided by the load that wrote them
-- (oversight.load.fields_provided), a required link table without rows, none of a load's records with
-- sign-offs, no discretion band for a case, records in another currency than its thresholds — records
-- "cannot evaluate" instead of firing or staying silent: one row per rule version, table, load and
-- reason in oversight.coverage_gap, announced on channel oversight_coverage ({"gap_id": n}).
-- oversight.rule_coverage says which rules watch which table, which are blind, and why.
-------------------------------------------------------------------------------------------------------

-- What each kind judges a record by: columns of view oversight.rule_kinds (defined once, in src/language.sql).
COMMENT ON COLUMN oversight.rule_kinds.required_inputs IS
  'Canonical fields without which the kind cannot judge a record ("a|b": either will do). Not mapped by a watch, or not provided by a load: the rule records "cannot evaluate" (oversight.rule_coverage) instead of judging. 必需的输入字段。';
COMMENT ON COLUMN oversight.rule_kinds.optional_inputs IS
  'Canonical fields read when present; an absent one has a documented meaning (no currency: the base currency; no payment_kind: a payment; no status: paid). 可选的输入字段。';
COMMENT ON COLUMN oversight.rule_kinds.required_links IS
  'Tables besides the record the kind needs rows of (sign-offs, discretion bands, contracts…): without any row it cannot judge. 必需的关联数据。';
COMMENT ON COLUMN oversight.rule_kinds.optional_links IS 'Tables besides the record read when they have rows (bid tenderers, budget adjustments). 可选的关联数据。';
COMMENT ON COLUMN oversight.rule_kinds.threshold_currency IS
  'Currency of the kind''s amount thresholds: param (its parameter currency), base (the setting base_currency) or NULL (no amount threshold). Records in another currency are not judged but counted as cannot-evaluate. 金额阈值的币种。';
COMMENT ON COLUMN oversight.rule_kinds.payments_only IS 'True when refunds and credit notes (payment_kind) are not judged by the kind: money coming back is not a payment. 仅判断付款（不含退款、冲红）。';

CREATE TABLE oversight.coverage_gap (
  gap_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rule_version_id bigint NOT NULL REFERENCES oversight.rule_version,
  rule_code       text NOT NULL,
  object_table    text NOT NULL,
  load_id         bigint,
  reason          text NOT NULL CONSTRAINT coverage_gap_reason_known
                    CHECK (reason IN ('not_mapped', 'not_provided', 'other_currency', 'no_link_rows', 'link_not_loaded', 'link_missing', 'no_band')),
  missing         text[] NOT NULL,
  records         bigint NOT NULL CONSTRAINT coverage_gap_records_non_negative CHECK (records >= 0),
  evaluations     bigint NOT NULL DEFAULT 1,
  first_seen_at   timestamptz NOT NULL,
  last_seen_at    timestamptz NOT NULL,
  last_path       text NOT NULL CONSTRAINT coverage_gap_path_known CHECK (last_path IN ('row', 'statement', 'sweep', 'commit')),
  CONSTRAINT coverage_gap_one_row UNIQUE NULLS NOT DISTINCT (rule_version_id, object_table, load_id, reason, missing)
);
COMMENT ON TABLE oversight.coverage_gap IS
  'What the rules could not judge (无法判断): one row per rule version, watched table, load and reason, with the inputs missing and the number of records concerned — never one row per record. Written by the engine (oversight.record_coverage) on writes and sweeps; announced on channel oversight_coverage as {"gap_id": n}. "No alert" and "cannot tell" are told apart here.';
COMMENT ON COLUMN oversight.coverage_gap.gap_id IS 'Gap number (the payload of the notification on channel oversight_coverage).';
COMMENT ON COLUMN oversight.coverage_gap.rule_version_id IS 'Rule version that could not judge.';
COMMENT ON COLUMN oversight.coverage_gap.rule_code IS 'Its rule.';
COMMENT ON COLUMN oversight.coverage_gap.object_table IS 'Watched table of the records.';
COMMENT ON COLUMN oversight.coverage_gap.load_id IS 'Load (oversight.load) that wrote the records; NULL: records written by something else than the loader, or the table as a whole (not_mapped, no_link_rows).';
COMMENT ON COLUMN oversight.coverage_gap.reason IS
  'not_mapped (a required input the watch does not map: the rule is blind on the table), not_provided (the load did not provide a required input, oversight.load.fields_provided), other_currency (records in another currency than the rule''s amount thresholds), no_link_rows (a required link table has no row), link_not_loaded (none of the load''s records has rows in the link table: an export without them, e.g. sign-offs), link_missing (records without their rows in a link table that decides the finding, e.g. bids whose tenderers are not known), no_band (no discretion band applies to the case).';
COMMENT ON COLUMN oversight.coverage_gap.missing IS 'The inputs missing: canonical fields ("a|b": either), link tables, or the records'' currency (other_currency).';
COMMENT ON COLUMN oversight.coverage_gap.records IS 'Records concerned: on writes, every record written since the gap was first seen (a record written twice counts twice); for deadline (sweep) rules, the records at the last sweep.';
COMMENT ON COLUMN oversight.coverage_gap.evaluations IS 'Evaluations (batches, sweeps) that met the gap.';
COMMENT ON COLUMN oversight.coverage_gap.first_seen_at IS 'oversight.now() when first met.';
COMMENT ON COLUMN oversight.coverage_gap.last_seen_at IS 'oversight.now() when last met.';
COMMENT ON COLUMN oversight.coverage_gap.last_path IS 'row, statement, sweep or commit (rules judging complete facts at the end of the transaction): the evaluation that last met it.';
CREATE INDEX coverage_gap_table ON oversight.coverage_gap (object_table, rule_version_id);
COMMENT ON INDEX oversight.coverage_gap_table IS 'Gaps of a table by rule version (oversight.rule_coverage).';

-- Human text of a gap, in Chinese or English (what follow prints and rule_coverage says).
CREATE FUNCTION oversight.coverage_reason_text(p_reason text, p_missing text[], p_language text DEFAULT 'zh') RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN p_language = 'en' THEN
           CASE p_reason
             WHEN 'not_mapped' THEN 'the watch does not map ' || pg_catalog.array_to_string(p_missing, ', ')
             WHEN 'not_provided' THEN 'the load did not provide ' || pg_catalog.array_to_string(p_missing, ', ')
             WHEN 'other_currency' THEN 'records in ' || pg_catalog.array_to_string(p_missing, ', ') || ', not the currency of the rule''s amount thresholds'
             WHEN 'no_link_rows' THEN 'no rows in ' || pg_catalog.array_to_string(p_missing, ', ')
             WHEN 'link_not_loaded' THEN 'none of the load''s records has rows in ' || pg_catalog.array_to_string(p_missing, ', ') || ' (not loaded with it)'
             WHEN 'link_missing' THEN 'records without their rows in ' || pg_catalog.array_to_string(p_missing, ', ') || ' (e.g. bids whose tenderers are not known)'
             WHEN 'no_band' THEN 'no discretion band applies to the case'
             ELSE p_reason END
         ELSE
           CASE p_reason
             WHEN 'not_mapped' THEN '监控表未映射所需字段 ' || pg_catalog.array_to_string(p_missing, '、')
             WHEN 'not_provided' THEN '该批导入未提供所需字段 ' || pg_catalog.array_to_string(p_missing, '、')
             WHEN 'other_currency' THEN '记录币种为 ' || pg_catalog.array_to_string(p_missing, '、') || '，与规则金额阈值的币种不同'
             WHEN 'no_link_rows' THEN '关联数据 ' || pg_catalog.array_to_string(p_missing, '、') || ' 没有任何记录'
             WHEN 'link_not_loaded' THEN '该批记录在 ' || pg_catalog.array_to_string(p_missing, '、') || ' 中均无关联数据（未随之导入）'
             WHEN 'link_missing' THEN '部分记录在 ' || pg_catalog.array_to_string(p_missing, '、') || ' 中缺少关联数据（如投标人未知的投标）'
             WHEN 'no_band' THEN '案件没有适用的裁量基准'
             ELSE p_reason END
         END
$$;
COMMENT ON FUNCTION oversight.coverage_reason_text(text, text[], text) IS
  'Why a rule could not judge records (a reason of oversight.coverage_gap and the inputs missing), as a sentence in Chinese (zh, the default) or English (en).';

-- Engine-internal: records what a batch's or a sweep's rules could not judge.
CREATE FUNCTION oversight.record_coverage(p_gaps jsonb, p_path text) RETURNS integer
  LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_now timestamptz := oversight.now();
  n integer;
BEGIN
  WITH g AS (
    SELECT x.rv, x.tb, x.load_id, x.cannot_evaluate AS reason, x.missing, pg_catalog.sum(x.records)::bigint AS records
      FROM pg_catalog.jsonb_to_recordset(p_gaps) AS x(rv bigint, tb text, load_id bigint, cannot_evaluate text, missing text[], records bigint)
     GROUP BY x.rv, x.tb, x.load_id, x.cannot_evaluate, x.missing),
  up AS (
    INSERT INTO oversight.coverage_gap AS c (rule_version_id, rule_code, object_table, load_id, reason, missing, records, evaluations,
                                             first_seen_at, last_seen_at, last_path)
    SELECT g.rv, v.rule_code, g.tb, g.load_id, g.reason, g.missing, g.records, 1, v_now, v_now, p_path
      FROM g JOIN oversight.rule_version v ON v.rule_version_id = g.rv
    ON CONFLICT (rule_version_id, object_table, load_id, reason, missing) DO UPDATE SET
      -- a sweep counts the records it holds; writes add the records of each batch
      records = CASE WHEN p_path = 'sweep' THEN EXCLUDED.records ELSE c.records + EXCLUDED.records END,
      evaluations = c.evaluations + 1,
      last_seen_at = EXCLUDED.last_seen_at,
      last_path = EXCLUDED.last_path
    RETURNING c.gap_id)
  -- The notification carries the gap's number only (LISTEN needs no privilege); identical ones in a
  -- transaction are delivered once.
  SELECT pg_catalog.count(pg_catalog.pg_notify('oversight_coverage', pg_catalog.jsonb_build_object('gap_id', up.gap_id)::text))
    INTO n FROM up;
  RETURN n;
END $$;
COMMENT ON FUNCTION oversight.record_coverage(jsonb, text) IS
  'Records what rules could not judge (oversight.coverage_gap), from [{"rv": rule version, "tb": table, "load_id": n|null, "cannot_evaluate": reason, "missing": [...], "records": n}], and notifies channel oversight_coverage with {"gap_id": n}. Returns the gaps recorded. Engine-internal.';
REVOKE ALL ON FUNCTION oversight.record_coverage(jsonb, text) FROM PUBLIC;

CREATE FUNCTION oversight.coverage_notices(p_gap_ids bigint[])
  RETURNS TABLE (gap_id bigint, notice jsonb)
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT g.gap_id, pg_catalog.jsonb_build_object(
           'gap_id', g.gap_id, 'rule_code', g.rule_code, 'rule_version', v.version, 'rule_version_id', g.rule_version_id,
           'object_table', g.object_table, 'load_id', g.load_id, 'reason', g.reason, 'missing', pg_catalog.to_jsonb(g.missing),
           'records', g.records, 'evaluations', g.evaluations, 'first_seen_at', g.first_seen_at, 'last_seen_at', g.last_seen_at,
           'path', g.last_path, 'text_zh', oversight.coverage_reason_text(g.reason, g.missing, 'zh'),
           'text_en', oversight.coverage_reason_text(g.reason, g.missing, 'en'))
    FROM pg_catalog.unnest(p_gap_ids) WITH ORDINALITY AS n(id, ord)
    JOIN oversight.coverage_gap g ON g.gap_id = n.id
    JOIN oversight.rule_version v ON v.rule_version_id = g.rule_version_id
   ORDER BY n.ord
$$;
COMMENT ON FUNCTION oversight.coverage_notices(bigint[]) IS
  'The gaps behind notifications on channel oversight_coverage (whose payload is {"gap_id": n}), as JSON: gap_id, rule_code, rule_version, rule_version_id, object_table, load_id, reason, missing, records, evaluations, first_seen_at, last_seen_at, path, text_zh, text_en (oversight-load follow prints them). Runs with the caller''s rights.';

-- Which rules are watching which table, which are blind, and why. A field a watch gives a constant or a
-- default (oversight.watched_table.value_mapping, src/watch_mapping.sql) is provided, not blind.
CREATE FUNCTION oversight.rule_required_inputs(p_rule_kind text, p_record_kind text, p_params jsonb) RETURNS text[]
  AS 'MODULE_PATHNAME', 'oversight_rule_required_inputs' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION oversight.rule_required_inputs(text, text, jsonb) IS
  'The canonical fields a rule cannot judge a record without ("a|b": either will do): its kind''s required inputs (view oversight.rule_kinds), or, for a matter rule, the fields without which its condition can never hold (amount in "amount >= 500000 AND (payment_kind IS NULL OR payment_kind = ''payment'')", not payment_kind). 规则判断所必需的字段。';
REVOKE ALL ON FUNCTION oversight.rule_required_inputs(text, text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION oversight.rule_required_inputs(text, text, jsonb)
  TO oversight_admin, oversight_loader, oversight_analyst, oversight_inspector;

CREATE VIEW oversight.rule_coverage AS
  WITH links (link, has_rows) AS (VALUES
         ('oversight.payment_signoff', EXISTS (SELECT FROM oversight.payment_signoff)),
         ('oversight.discretion_band', EXISTS (SELECT FROM oversight.discretion_band)),
         ('oversight.bid_tenderer', EXISTS (SELECT FROM oversight.bid_tenderer)),
         ('oversight.contract', EXISTS (SELECT FROM oversight.contract)),
         ('oversight.party', EXISTS (SELECT FROM oversight.party)),
         ('oversight.person_account', EXISTS (SELECT FROM oversight.person_account)),
         ('oversight.budget_project', EXISTS (SELECT FROM oversight.budget_project))),
       rw AS (
         SELECT r.rule_code, r.title, r.title_zh, v.rule_version_id, v.version, v.params, k.evaluation,
                oversight.rule_required_inputs(r.rule_kind, r.record_kind, v.params) AS required_inputs,
                k.required_links, k.threshold_currency AS threshold_kind,
                -- provided: a column, a constant or a default (value-mapped fields have their column)
                w.column_mapping || w.value_mapping AS column_mapping, w.disabled_reason,
                pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) AS object_table,
                oversight.setting_value('base_currency') AS base_currency
           FROM oversight.rule r
           JOIN oversight.rule_version v ON v.rule_code = r.rule_code AND v.status = 'approved'
           JOIN oversight.rule_kinds k ON k.rule_kind = r.rule_kind
           JOIN oversight.watched_table w ON w.record_kind = r.record_kind
           JOIN pg_catalog.pg_class c ON c.oid = w.relid
           JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          WHERE r.is_enabled),
       x AS (
         SELECT rw.*,
                ARRAY(SELECT i FROM pg_catalog.unnest(rw.required_inputs) AS i
                       WHERE NOT rw.column_mapping ?| pg_catalog.string_to_array(i, '|')) AS unmapped,
                ARRAY(SELECT l.link FROM pg_catalog.unnest(rw.required_links) AS rl(link) JOIN links l ON l.link = rl.link
                       WHERE NOT l.has_rows) AS empty_links,
                CASE rw.threshold_kind WHEN 'param' THEN rw.params ->> 'currency' WHEN 'base' THEN rw.base_currency END AS threshold_currency,
                g.loads, g.records, g.gaps, g.why_zh AS gaps_zh, g.why_en AS gaps_en
           FROM rw
           LEFT JOIN LATERAL (
             SELECT pg_catalog.array_agg(DISTINCT cg.load_id ORDER BY cg.load_id) FILTER (WHERE cg.load_id IS NOT NULL) AS loads,
                    pg_catalog.sum(cg.records)::bigint AS records,
                    pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('gap_id', cg.gap_id, 'load_id', cg.load_id, 'reason', cg.reason,
                                                                       'missing', pg_catalog.to_jsonb(cg.missing), 'records', cg.records,
                                                                       'last_seen_at', cg.last_seen_at) ORDER BY cg.gap_id) AS gaps,
                    pg_catalog.string_agg(pg_catalog.format('%s 条记录：%s', cg.records, oversight.coverage_reason_text(cg.reason, cg.missing, 'zh'))
                                          || CASE WHEN cg.load_id IS NOT NULL THEN pg_catalog.format('（导入 %s）', cg.load_id) ELSE '' END,
                                          '；' ORDER BY cg.gap_id) AS why_zh,
                    pg_catalog.string_agg(pg_catalog.format('%s records: %s', cg.records, oversight.coverage_reason_text(cg.reason, cg.missing, 'en'))
                                          || CASE WHEN cg.load_id IS NOT NULL THEN pg_catalog.format(' (load %s)', cg.load_id) ELSE '' END,
                                          '; ' ORDER BY cg.gap_id) AS why_en
               FROM oversight.coverage_gap cg
              WHERE cg.rule_version_id = rw.rule_version_id AND cg.object_table = rw.object_table) g ON true)
  SELECT x.rule_code, x.version AS rule_version, x.rule_version_id, coalesce(x.title_zh, x.title) AS title_zh, x.title AS title_en,
         x.evaluation, x.object_table,
         CASE WHEN x.disabled_reason IS NOT NULL OR pg_catalog.cardinality(x.unmapped) > 0 OR pg_catalog.cardinality(x.empty_links) > 0 THEN 'blind'
              WHEN coalesce(x.records, 0) > 0 OR coalesce(x.threshold_currency <> x.base_currency, false) THEN 'partial'
              ELSE 'watching' END AS status,
         CASE WHEN x.disabled_reason IS NOT NULL OR pg_catalog.cardinality(x.unmapped) > 0 OR pg_catalog.cardinality(x.empty_links) > 0 THEN '无法判断'
              WHEN coalesce(x.records, 0) > 0 OR coalesce(x.threshold_currency <> x.base_currency, false) THEN '部分无法判断'
              ELSE '监控中' END AS status_zh,
         x.unmapped AS unmapped_inputs, x.empty_links, x.threshold_currency, x.base_currency,
         coalesce(x.loads, '{}') AS loads_not_judged, coalesce(x.records, 0) AS records_not_judged, coalesce(x.gaps, '[]') AS gaps,
         pg_catalog.concat_ws('；',
           CASE WHEN x.disabled_reason IS NOT NULL THEN '监控已停用：' || x.disabled_reason END,
           CASE WHEN pg_catalog.cardinality(x.unmapped) > 0 THEN oversight.coverage_reason_text('not_mapped', x.unmapped, 'zh') END,
           CASE WHEN pg_catalog.cardinality(x.empty_links) > 0 THEN oversight.coverage_reason_text('no_link_rows', x.empty_links, 'zh') END,
           CASE WHEN x.threshold_currency <> x.base_currency
                THEN '金额阈值以 ' || x.threshold_currency || ' 计，记账本位币为 ' || x.base_currency || '：只判断 ' || x.threshold_currency || ' 记录' END,
           x.gaps_zh) AS why_zh,
         pg_catalog.concat_ws('; ',
           CASE WHEN x.disabled_reason IS NOT NULL THEN 'watch disabled: ' || x.disabled_reason END,
           CASE WHEN pg_catalog.cardinality(x.unmapped) > 0 THEN oversight.coverage_reason_text('not_mapped', x.unmapped, 'en') END,
           CASE WHEN pg_catalog.cardinality(x.empty_links) > 0 THEN oversight.coverage_reason_text('no_link_rows', x.empty_links, 'en') END,
           CASE WHEN x.threshold_currency <> x.base_currency
                THEN 'amount thresholds in ' || x.threshold_currency || ', base currency ' || x.base_currency || ': only records in ' || x.threshold_currency || ' are judged' END,
           x.gaps_en) AS why_en
    FROM x;
COMMENT ON VIEW oversight.rule_coverage IS
  'Which rules are actually watching which table, which are blind, and why (规则覆盖情况): one row per approved rule and watched table of its record kind. blind: the rule cannot judge the table at all (a required input not mapped, a required link table empty, the watch disabled); partial: some records could not be judged (loads that did not provide an input, other currencies, no discretion band…), listed with their loads and counts; watching: nothing missing.';
COMMENT ON COLUMN oversight.rule_coverage.rule_code IS 'Rule.';
COMMENT ON COLUMN oversight.rule_coverage.rule_version IS 'Its approved version.';
COMMENT ON COLUMN oversight.rule_coverage.rule_version_id IS 'Id of the version.';
COMMENT ON COLUMN oversight.rule_coverage.title_zh IS 'Title in Chinese (the English one when it has none).';
COMMENT ON COLUMN oversight.rule_coverage.title_en IS 'Title in English.';
COMMENT ON COLUMN oversight.rule_coverage.evaluation IS 'row, batch (on writes) or sweep (deadlines, oversight.sweep()).';
COMMENT ON COLUMN oversight.rule_coverage.object_table IS 'Watched table.';
COMMENT ON COLUMN oversight.rule_coverage.status IS 'watching, partial or blind (see the view).';
COMMENT ON COLUMN oversight.rule_coverage.status_zh IS '监控中、部分无法判断 or 无法判断.';
COMMENT ON COLUMN oversight.rule_coverage.unmapped_inputs IS 'Required inputs the watch provides neither from a column nor by a constant or default (oversight.watched_table.column_mapping, value_mapping): the rule is blind on the table.';
COMMENT ON COLUMN oversight.rule_coverage.empty_links IS 'Required link tables without any row: the rule is blind.';
COMMENT ON COLUMN oversight.rule_coverage.threshold_currency IS 'Currency of the rule''s amount thresholds (NULL: none).';
COMMENT ON COLUMN oversight.rule_coverage.base_currency IS 'The bureau''s currency (setting base_currency): that of records giving none.';
COMMENT ON COLUMN oversight.rule_coverage.loads_not_judged IS 'Loads (oversight.load) some of whose records the rule could not judge.';
COMMENT ON COLUMN oversight.rule_coverage.records_not_judged IS 'Records the rule could not judge (sum over oversight.coverage_gap).';
COMMENT ON COLUMN oversight.rule_coverage.gaps IS 'The gaps of oversight.coverage_gap behind it: gap_id, load_id, reason, missing, records, last_seen_at.';
COMMENT ON COLUMN oversight.rule_coverage.why_zh IS 'Why, in Chinese (empty when watching).';
COMMENT ON COLUMN oversight.rule_coverage.why_en IS 'Why, in English.';

GRANT SELECT ON oversight.coverage_gap, oversight.rule_coverage TO oversight_analyst, oversight_inspector, oversight_admin;
GRANT EXECUTE ON FUNCTION oversight.coverage_notices(bigint[]), oversight.coverage_reason_text(text, text[], text)
  TO oversight_analyst, oversight_inspector, oversight_admin;
-- The gaps are the bureau's record of what was never judged: kept by pg_dump.
SELECT pg_catalog.pg_extension_config_dump('oversight.coverage_gap', '');
SELECT pg_catalog.pg_extension_config_dump('oversight.coverage_gap_gap_id_seq', '');
