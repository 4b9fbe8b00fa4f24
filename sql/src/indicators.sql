-------------------------------------------------------------------------------------------------------
-- Cardinal's red-flag indicators (issue 12, items 4–5): R003, R018, R024, R025, R028, R030, R035, R036,
-- R038, R048 and R058 of open-contracting/cardinal-rs 0.0.8, computed by the C++ core
-- (oversight/core/indicators.hpp) over the compiled releases of oversight.procurement_process. A run
-- (oversight.run_indicators) is recorded with its settings, scope, counts, duration and who ran it; its
-- results are rows (oversight.indicator_result, view oversight.indicator_results) and Cardinal's JSON
-- document (oversight.indicator_document), which compares key for key with `ocdscardinal indicators`.
-- Each process-level result is also an alert of rule CARDINAL.Rnnn on its key node (rule kind
-- cardinal_indicator, swept after the run through the one alert lifecycle).
-------------------------------------------------------------------------------------------------------

CREATE TABLE oversight.indicator (
  indicator  text PRIMARY KEY CONSTRAINT indicator_code_format CHECK (indicator ~ '^R[0-9]{3}$'),
  title_zh   text NOT NULL,
  title_en   text NOT NULL,
  groups     text[] NOT NULL,
  value_zh   text NOT NULL,
  value_en   text NOT NULL
);
COMMENT ON TABLE oversight.indicator IS
  'Cardinal''s red-flag indicators (红旗指标): what each flags, at which level (OCID: a process; Buyer, ProcuringEntity, Tenderer: an organisation across processes) and what its value means, in Chinese and English. Shipped data.';
COMMENT ON COLUMN oversight.indicator.indicator IS 'Cardinal''s code (R003…).';
COMMENT ON COLUMN oversight.indicator.title_zh IS 'What the indicator flags, in Chinese.';
COMMENT ON COLUMN oversight.indicator.title_en IS 'What the indicator flags, in English (Cardinal''s title).';
COMMENT ON COLUMN oversight.indicator.groups IS 'Groups its results are given for: OCID, Buyer, ProcuringEntity, Tenderer.';
COMMENT ON COLUMN oversight.indicator.value_zh IS 'What the value of a result means, in Chinese.';
COMMENT ON COLUMN oversight.indicator.value_en IS 'What the value of a result means, in English.';
INSERT INTO oversight.indicator (indicator, title_zh, title_en, groups, value_zh, value_en) VALUES
  ('R003', '投标期限过短', 'Short submission period', '{OCID}', '恒为 1', 'always 1'),
  ('R018', '竞争性采购仅一家投标', 'Single bid received', '{OCID}', '恒为 1', 'always 1'),
  ('R024', '中标价与次低价过于接近', 'Price close to winning bid', '{OCID}', '次低有效报价高出中标价的比例', 'difference between the second-lowest valid bid and the winning bid, as a ratio of the winning bid'),
  ('R025', '投标人大量投标却极少中标', 'Excessive unsuccessful bids', '{Tenderer}', '中标数与有效投标数之比', 'ratio of winning bids to valid bids'),
  ('R028', '不同投标人报价相同', 'Identical bid prices', '{OCID,Tenderer}', '恒为 1', 'always 1'),
  ('R030', '逾期投标中标', 'Late bid won', '{OCID}', '恒为 1', 'always 1'),
  ('R035', '除中标人外的投标均被取消资格', 'All except winning bid disqualified', '{OCID}', '被取消资格的其他投标人数', 'number of other tenderers with disqualified bids'),
  ('R036', '最低报价被取消资格', 'Lowest bid disqualified', '{OCID}', '恒为 1', 'always 1'),
  ('R038', '取消资格的投标比例过高', 'Excessive disqualified bids', '{Buyer,ProcuringEntity,Tenderer}', '被取消资格的投标占提交投标的比例', 'ratio of disqualified bids to submitted bids'),
  ('R048', '供应商供货品类过杂', 'Heterogeneous supplier', '{Tenderer}', '中标品目的一级分类数', 'number of distinct first-level classifications of the items awarded'),
  ('R058', '中标价大幅低于次低价', 'Heavily discounted bid', '{OCID}', '次低有效报价高出中标价的比例', 'difference between the second-lowest valid bid and the winning bid, as a ratio of the winning bid');

CREATE TABLE oversight.indicator_run (
  run_id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  settings           jsonb NOT NULL CONSTRAINT indicator_run_settings_object CHECK (pg_catalog.jsonb_typeof(settings) = 'object'),
  indicators         text[] NOT NULL,
  scope              jsonb NOT NULL,
  main_currency      text,
  processes_read     bigint NOT NULL CONSTRAINT indicator_run_read_non_negative CHECK (processes_read >= 0),
  processes_excluded bigint NOT NULL CONSTRAINT indicator_run_excluded_non_negative CHECK (processes_excluded >= 0),
  documents_invalid  bigint NOT NULL CONSTRAINT indicator_run_invalid_non_negative CHECK (documents_invalid >= 0),
  result_count       bigint NOT NULL CONSTRAINT indicator_run_results_non_negative CHECK (result_count >= 0),
  alerts             integer NOT NULL DEFAULT 0,
  meta               jsonb NOT NULL,
  started_at         timestamptz NOT NULL,
  duration_ms        double precision NOT NULL CONSTRAINT indicator_run_duration_non_negative CHECK (duration_ms >= 0),
  run_by             text NOT NULL
);
COMMENT ON TABLE oversight.indicator_run IS
  'Runs of Cardinal''s indicators (红旗指标运行): the effective settings (Cardinal''s names, every default explicit), the scope, the counts and the duration, and who ran it. The same data and settings give the same results. Append-only.';
COMMENT ON COLUMN oversight.indicator_run.run_id IS 'Run number.';
COMMENT ON COLUMN oversight.indicator_run.settings IS 'Effective settings, as Cardinal''s settings file with every default written out (oversight.indicator_settings()).';
COMMENT ON COLUMN oversight.indicator_run.indicators IS 'Indicators the run computed (the sections of its settings).';
COMMENT ON COLUMN oversight.indicator_run.scope IS 'Processes read: {"ocids": [...] or null, "published_from", "published_before"} (null: no restriction).';
COMMENT ON COLUMN oversight.indicator_run.main_currency IS 'Currency of the monetary comparisons: the setting currency, else the first one observed (processes read in ocid order).';
COMMENT ON COLUMN oversight.indicator_run.processes_read IS 'Compiled releases read (a JSON object with a string ocid).';
COMMENT ON COLUMN oversight.indicator_run.processes_excluded IS 'Of those, excluded from every indicator: cancelled tenders and excluded procurementMethodDetails.';
COMMENT ON COLUMN oversight.indicator_run.documents_invalid IS 'Stored documents that are not a JSON object with a string ocid (skipped, as Cardinal skips them).';
COMMENT ON COLUMN oversight.indicator_run.result_count IS 'Result rows of the run.';
COMMENT ON COLUMN oversight.indicator_run.alerts IS 'Alerts the run''s process-level results raised or confirmed (rules CARDINAL.Rnnn).';
COMMENT ON COLUMN oversight.indicator_run.meta IS 'Cardinal''s "Meta": quartiles and fences of the data-driven indicators, rounded to 4 decimals.';
COMMENT ON COLUMN oversight.indicator_run.started_at IS 'oversight.now() when the run started.';
COMMENT ON COLUMN oversight.indicator_run.duration_ms IS 'Time the computation took (reading and indicators), in milliseconds.';
COMMENT ON COLUMN oversight.indicator_run.run_by IS 'session_user who ran it.';

CREATE TABLE oversight.indicator_result (
  run_id       bigint NOT NULL REFERENCES oversight.indicator_run,
  indicator    text NOT NULL REFERENCES oversight.indicator,
  group_name   text NOT NULL CONSTRAINT indicator_result_group_known CHECK (group_name IN ('OCID', 'Buyer', 'ProcuringEntity', 'Tenderer')),
  identifier   text NOT NULL,
  result_value double precision NOT NULL,
  PRIMARY KEY (run_id, group_name, identifier, indicator)
);
COMMENT ON TABLE oversight.indicator_result IS
  'Results of indicator runs, one row per run, indicator, group and identifier: the rows of Cardinal''s output. A process''s rows are visible to whoever sees the process; organisation-level rows to bureau-wide roles. Append-only.';
COMMENT ON COLUMN oversight.indicator_result.run_id IS 'Run that produced it.';
COMMENT ON COLUMN oversight.indicator_result.indicator IS 'Indicator code.';
COMMENT ON COLUMN oversight.indicator_result.group_name IS 'OCID (a process), Buyer, ProcuringEntity or Tenderer (an organisation).';
COMMENT ON COLUMN oversight.indicator_result.identifier IS 'The ocid, or the organisation''s id as published (buyer/id, tender/procuringEntity/id, bids/details/tenderers/id).';
COMMENT ON COLUMN oversight.indicator_result.result_value IS 'The indicator''s output (oversight.indicator.value_en says what it is).';
CREATE INDEX indicator_result_process ON oversight.indicator_result (identifier) WHERE group_name = 'OCID';
COMMENT ON INDEX oversight.indicator_result_process IS 'A process''s results (row-level security and the CARDINAL rules look them up by ocid).';

ALTER TABLE oversight.indicator_result ENABLE ROW LEVEL SECURITY;
-- The subquery reads procurement_process under the reader's own policy: a process's results are seen by
-- exactly the roles that see the process.
CREATE POLICY process_scope ON oversight.indicator_result
  USING ((SELECT oversight.sees_all_units())
         OR (group_name = 'OCID' AND EXISTS (SELECT FROM oversight.procurement_process p WHERE p.ocid = identifier)));
COMMENT ON POLICY process_scope ON oversight.indicator_result IS
  'Process-level results of the processes the role sees (the procurement policy); organisation-level results, which span every unit, for bureau-wide roles only.';

CREATE TRIGGER indicator_run_audit_insert AFTER INSERT ON oversight.indicator_run REFERENCING NEW TABLE AS oversight_inserted
  FOR EACH STATEMENT EXECUTE FUNCTION oversight.audit_row_change('run_id');
COMMENT ON TRIGGER indicator_run_audit_insert ON oversight.indicator_run IS 'Audits each run: one entry with its key.';

CREATE VIEW oversight.indicator_results WITH (security_barrier, security_invoker) AS
  SELECT r.run_id, u.started_at, u.run_by, r.indicator, i.title_zh, i.title_en, r.group_name, r.identifier, r.result_value,
         CASE WHEN r.group_name = 'OCID' THEN p.buyer_unit_code END AS buyer_unit_code
    FROM oversight.indicator_result r
    JOIN oversight.indicator_run u ON u.run_id = r.run_id
    JOIN oversight.indicator i ON i.indicator = r.indicator
    LEFT JOIN oversight.procurement_process p ON r.group_name = 'OCID' AND p.ocid = r.identifier;
COMMENT ON VIEW oversight.indicator_results IS
  'Indicator results for analysts (红旗指标结果): each result with its run, the indicator''s titles in Chinese and English, and for a process its buying unit. Row-level security of the results and processes applies (security_invoker).';
COMMENT ON COLUMN oversight.indicator_results.run_id IS 'Run that produced the result.';
COMMENT ON COLUMN oversight.indicator_results.started_at IS 'When the run started.';
COMMENT ON COLUMN oversight.indicator_results.run_by IS 'Who ran it.';
COMMENT ON COLUMN oversight.indicator_results.indicator IS 'Indicator code.';
COMMENT ON COLUMN oversight.indicator_results.title_zh IS 'Indicator title in Chinese.';
COMMENT ON COLUMN oversight.indicator_results.title_en IS 'Indicator title in English.';
COMMENT ON COLUMN oversight.indicator_results.group_name IS 'OCID, Buyer, ProcuringEntity or Tenderer.';
COMMENT ON COLUMN oversight.indicator_results.identifier IS 'The ocid or the organisation''s id.';
COMMENT ON COLUMN oversight.indicator_results.result_value IS 'The indicator''s output.';
COMMENT ON COLUMN oversight.indicator_results.buyer_unit_code IS 'The process''s buying unit (process-level results).';

-- The settings check of the core, callable before a run.
CREATE FUNCTION oversight.indicator_settings(p_settings jsonb DEFAULT NULL) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'oversight_indicator_settings' LANGUAGE C IMMUTABLE PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION oversight.indicator_settings(jsonb) IS
  'The effective settings of an indicator run: Cardinal''s settings file as JSON ({"currency": "USD", "exclusions": {"procurement_method_details": "A|B"}, "R003": {"threshold": 15}, …}; a section enables its indicator; NULL or {}: all eleven with Cardinal''s defaults), every default written out. An unknown or malformed setting is refused (22023) in Chinese and English.';

-- The core's computation over the stored compiled releases (the run function records it).
CREATE FUNCTION oversight.indicator_compute(p_settings jsonb, p_ocids text[], p_published_from timestamptz, p_published_before timestamptz)
  RETURNS jsonb
  AS 'MODULE_PATHNAME', 'oversight_indicator_compute' LANGUAGE C VOLATILE
  SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION oversight.indicator_compute(jsonb, text[], timestamptz, timestamptz) IS
  'Computes Cardinal''s indicators over the compiled releases of oversight.procurement_process in scope (read by ocid, in pages): {"settings", "currency", "read", "excluded", "invalid", "duration_ms", "rows": [[group, identifier, indicator, value]…], "meta": Cardinal''s Meta}. Internal to oversight.run_indicators().';

CREATE FUNCTION oversight.run_indicators(p_settings jsonb DEFAULT NULL, p_ocids text[] DEFAULT NULL,
                                         p_published_from timestamptz DEFAULT NULL, p_published_before timestamptz DEFAULT NULL)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_started timestamptz := oversight.now();
  v_out jsonb;
  v_run bigint;
  v_watched regclass;
BEGIN
  v_out := oversight.indicator_compute(p_settings, p_ocids, p_published_from, p_published_before);
  INSERT INTO oversight.indicator_run (settings, indicators, scope, main_currency, processes_read, processes_excluded, documents_invalid,
                                       result_count, meta, started_at, duration_ms, run_by)
  VALUES (v_out -> 'settings',
          ARRAY(SELECT k FROM pg_catalog.jsonb_object_keys(v_out -> 'settings') AS k WHERE k ~ '^R[0-9]{3}$' ORDER BY k),
          pg_catalog.jsonb_build_object('ocids', pg_catalog.to_jsonb(p_ocids), 'published_from', p_published_from,
                                        'published_before', p_published_before),
          v_out ->> 'currency', (v_out ->> 'read')::bigint, (v_out ->> 'excluded')::bigint, (v_out ->> 'invalid')::bigint,
          pg_catalog.jsonb_array_length(v_out -> 'rows'), v_out -> 'meta', v_started,
          (v_out ->> 'duration_ms')::double precision, session_user)
  RETURNING run_id INTO v_run;
  INSERT INTO oversight.indicator_result (run_id, group_name, identifier, indicator, result_value)
  SELECT v_run, r ->> 0, r ->> 1, r ->> 2, (r ->> 3)::double precision
    FROM pg_catalog.jsonb_array_elements(v_out -> 'rows') AS r;
  -- The process-level results become alerts now: the CARDINAL rules are sweep rules of the watched
  -- procurement tables, recorded by the engine (oversight.record_hits) like every finding.
  FOR v_watched IN SELECT w.relid FROM oversight.watched_table w
                    WHERE w.record_kind = 'procurement' AND w.disabled_reason IS NULL ORDER BY w.relid::text LOOP
    PERFORM oversight.sweep_table(v_watched, v_started);
  END LOOP;
  UPDATE oversight.indicator_run SET alerts = (SELECT pg_catalog.count(*) FROM oversight.alert a
                                                WHERE a.rule_code LIKE 'CARDINAL.%' AND (a.details ->> 'run_id')::bigint = v_run)
   WHERE run_id = v_run;
  RETURN v_run;
END $$;
COMMENT ON FUNCTION oversight.run_indicators(jsonb, text[], timestamptz, timestamptz) IS
  'Runs Cardinal''s indicators (红旗指标) over the compiled releases of the procurement processes in scope (all; or the ocids given; or those published in [from, before)), with the settings given (oversight.indicator_settings(); NULL: all eleven, Cardinal''s defaults). Records the run and its results, raises the process-level results as alerts of rules CARDINAL.Rnnn (a process flagged again is the same alert), and returns the run number. For bureau-wide administrators: the quartile-based indicators need every process.';

CREATE FUNCTION oversight.indicator_document(p_run_id bigint, p_with_meta boolean DEFAULT true) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT COALESCE(pg_catalog.jsonb_object_agg(g.group_name, g.members) FILTER (WHERE g.group_name IS NOT NULL), '{}')
         || CASE WHEN p_with_meta AND u.meta <> '{}' THEN pg_catalog.jsonb_build_object('Meta', u.meta) ELSE '{}' END
    FROM oversight.indicator_run u
    LEFT JOIN LATERAL (
      SELECT i.group_name, pg_catalog.jsonb_object_agg(i.identifier, i.results) AS members
        FROM (SELECT r.group_name, r.identifier, pg_catalog.jsonb_object_agg(r.indicator, r.result_value) AS results
                FROM oversight.indicator_result r WHERE r.run_id = u.run_id
               GROUP BY r.group_name, r.identifier) i
       GROUP BY i.group_name) g ON true
   WHERE u.run_id = p_run_id
   GROUP BY u.meta
$$;
COMMENT ON FUNCTION oversight.indicator_document(bigint, boolean) IS
  'A run''s results in the shape `ocdscardinal indicators` prints ({"OCID": {ocid: {"R003": 1.0}}, "Buyer": …, "ProcuringEntity": …, "Tenderer": …, "Meta": …}), to compare with Cardinal''s own output key for key; the rows the caller may see only. NULL for an unknown run.';

-- Each process-level indicator is a rule of the catalogue, on the key node it concerns.
INSERT INTO oversight.rule_default (rule_code, rule_kind, record_kind, node_code, title_zh, title_en, severity, params, source, since_version) VALUES
  ('CARDINAL.R003', 'cardinal_indicator', 'procurement', 'PROC.TENDER.PERIOD', '红旗指标 R003：投标期限过短', 'Red flag R003: short submission period', 'medium', '{"indicator": "R003"}', 'OCP Cardinal R003', '0.4.0'),
  ('CARDINAL.R018', 'cardinal_indicator', 'procurement', 'PROC.TENDER.EVAL', '红旗指标 R018：仅一家投标', 'Red flag R018: single bid received', 'medium', '{"indicator": "R018"}', 'OCP Cardinal R018', '0.4.0'),
  ('CARDINAL.R024', 'cardinal_indicator', 'procurement', 'PROC.TENDER.EVAL', '红旗指标 R024：中标价与次低价过于接近', 'Red flag R024: price close to winning bid', 'medium', '{"indicator": "R024"}', 'OCP Cardinal R024', '0.4.0'),
  ('CARDINAL.R028', 'cardinal_indicator', 'procurement', 'PROC.TENDER.EVAL', '红旗指标 R028：不同投标人报价相同', 'Red flag R028: identical bid prices', 'medium', '{"indicator": "R028"}', 'OCP Cardinal R028', '0.4.0'),
  ('CARDINAL.R030', 'cardinal_indicator', 'procurement', 'PROC.TENDER.EVAL', '红旗指标 R030：逾期投标中标', 'Red flag R030: late bid won', 'high', '{"indicator": "R030"}', 'OCP Cardinal R030', '0.4.0'),
  ('CARDINAL.R035', 'cardinal_indicator', 'procurement', 'PROC.TENDER.EVAL', '红旗指标 R035：除中标人外均被取消资格', 'Red flag R035: all except winning bid disqualified', 'high', '{"indicator": "R035"}', 'OCP Cardinal R035', '0.4.0'),
  ('CARDINAL.R036', 'cardinal_indicator', 'procurement', 'PROC.TENDER.EVAL', '红旗指标 R036：最低报价被取消资格', 'Red flag R036: lowest bid disqualified', 'high', '{"indicator": "R036"}', 'OCP Cardinal R036', '0.4.0'),
  ('CARDINAL.R058', 'cardinal_indicator', 'procurement', 'PROC.TENDER.EVAL', '红旗指标 R058：中标价大幅低于次低价', 'Red flag R058: heavily discounted bid', 'medium', '{"indicator": "R058"}', 'OCP Cardinal R058', '0.4.0');

REVOKE ALL ON FUNCTION oversight.indicator_settings(jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION oversight.indicator_compute(jsonb, text[], timestamptz, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION oversight.run_indicators(jsonb, text[], timestamptz, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION oversight.indicator_document(bigint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION oversight.indicator_settings(jsonb) TO oversight_admin, oversight_analyst, oversight_inspector;
GRANT EXECUTE ON FUNCTION oversight.run_indicators(jsonb, text[], timestamptz, timestamptz) TO oversight_admin;
GRANT EXECUTE ON FUNCTION oversight.indicator_document(bigint, boolean) TO oversight_admin, oversight_analyst, oversight_inspector;
GRANT SELECT ON oversight.indicator, oversight.indicator_run, oversight.indicator_result, oversight.indicator_results
  TO oversight_admin, oversight_inspector;
-- Analysts: not a run's scope, whose list of ocids may name other units' processes.
GRANT SELECT ON oversight.indicator, oversight.indicator_result, oversight.indicator_results TO oversight_analyst;
GRANT SELECT (run_id, settings, indicators, main_currency, processes_read, processes_excluded, documents_invalid, result_count,
              alerts, meta, started_at, duration_ms, run_by) ON oversight.indicator_run TO oversight_analyst;

-- Runs and their results are user data: pg_dump keeps them (the shipped indicator rows are recreated).
SELECT pg_catalog.pg_extension_config_dump('oversight.indicator_run', '');
SELECT pg_catalog.pg_extension_config_dump('oversight.indicator_result', '');
SELECT pg_catalog.pg_extension_config_dump('oversight.indicator_run_run_id_seq', '');
