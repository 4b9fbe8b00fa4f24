-- The two peers of the C++ engine, with the same write-path payment rules and default thresholds as
-- the default rule set (PAY.DUPLICATE, PAY.NEAR_DUPLICATE, PAY.OVER_CONTRACT, PAY.BEFORE_SIGNATURE,
-- CASH.SINGLE, CASH.MONTHLY, CASH.ANNUAL, CASH.OFFICIAL_CARD, PAY.STAFF_PAYEE, PAY.ROUND_AMOUNT,
-- PAY.NONWORKING_APPROVAL, SOD.PAYMENT), writing to their own alert table with the same fingerprint
-- upsert and a NOTIFY per finding:
--   (a) bench.plpgsql_row_rules(): a PL/pgSQL AFTER ROW trigger, the way most DBAs write it;
--   (b) bench.sql_statement_rules(): set-based SQL in an AFTER STATEMENT trigger over the transition table.
\set ON_ERROR_STOP 1
CREATE TABLE bench.peer_alert (
  fingerprint text PRIMARY KEY, rule_code text NOT NULL, object_key jsonb NOT NULL, period text NOT NULL,
  message text, repeat_count integer NOT NULL DEFAULT 1, fired_at timestamptz NOT NULL);

CREATE FUNCTION bench.peer_alert_add(p_rule text, p_key jsonb, p_period text, p_message text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO bench.peer_alert VALUES (md5(p_rule || '|bench.payment|' || p_key::text || '|' || p_period), p_rule, p_key, p_period, p_message, 1, now())
  ON CONFLICT (fingerprint) DO UPDATE SET repeat_count = peer_alert.repeat_count + 1, message = EXCLUDED.message, fired_at = EXCLUDED.fired_at;
  PERFORM pg_notify('bench_alerts', json_build_object('rule_code', p_rule, 'object_key', p_key, 'period', p_period, 'message', p_message)::text);
END $$;

-- (a) Row by row.
CREATE FUNCTION bench.plpgsql_row_rules() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  k jsonb := jsonb_build_object('payment_code', NEW.payment_code);
  o record;
  c record;
  total numeric;
  names text;
  local_day date;
  day_kind text;
BEGIN
  -- duplicates: reported on the later payment
  FOR o IN SELECT p.payment_code FROM bench.payment p
            WHERE p.invoice_no = NEW.invoice_no AND p.amount = NEW.amount AND p.payment_code <> NEW.payment_code
              AND p.currency IS NOT DISTINCT FROM NEW.currency AND coalesce(p.payee_account, p.payee_name) = coalesce(NEW.payee_account, NEW.payee_name)
              AND coalesce(p.status, '') <> 'returned' AND coalesce(NEW.status, '') <> 'returned'
              AND abs(coalesce(p.paid_on, p.requested_on, '2000-01-01') - coalesce(NEW.paid_on, NEW.requested_on, '2000-01-01')) <= 400 LOOP
    PERFORM bench.peer_alert_add('PAY.DUPLICATE', jsonb_build_object('payment_code', greatest(o.payment_code, NEW.payment_code)), '', 'duplicate payment');
  END LOOP;
  IF NEW.amount >= 10000 THEN
    FOR o IN SELECT p.payment_code FROM bench.payment p
              WHERE p.payee_name = NEW.payee_name AND p.paid_on BETWEEN NEW.paid_on - 7 AND NEW.paid_on + 7 AND p.payment_code <> NEW.payment_code
                AND p.amount >= 10000 AND p.currency IS NOT DISTINCT FROM NEW.currency
                AND abs(p.amount - NEW.amount) <= greatest(p.amount, NEW.amount) * 1 / 100
                AND NOT (p.amount = NEW.amount AND p.invoice_no IS NOT DISTINCT FROM NEW.invoice_no AND NEW.invoice_no IS NOT NULL)
                AND coalesce(p.status, '') <> 'returned' AND coalesce(NEW.status, '') <> 'returned' LOOP
      PERFORM bench.peer_alert_add('PAY.NEAR_DUPLICATE', jsonb_build_object('payment_code', greatest(o.payment_code, NEW.payment_code)), '', 'possible double payment');
    END LOOP;
  END IF;
  IF NEW.contract_code IS NOT NULL THEN
    SELECT * INTO c FROM oversight.contract WHERE contract_code = NEW.contract_code;
    IF FOUND THEN
      IF c.amount IS NOT NULL THEN
        SELECT sum(p.amount) INTO total FROM bench.payment p
         WHERE p.contract_code = c.contract_code AND p.currency IS NOT DISTINCT FROM c.currency AND coalesce(p.status, '') <> 'returned';
        IF total > c.amount THEN
          PERFORM bench.peer_alert_add('PAY.OVER_CONTRACT', jsonb_build_object('contract_code', c.contract_code), '', 'payments exceed the contract');
        END IF;
      END IF;
      IF coalesce(NEW.paid_on, NEW.requested_on) IS NOT NULL AND (c.signed_on IS NULL OR coalesce(NEW.paid_on, NEW.requested_on) < c.signed_on) THEN
        PERFORM bench.peer_alert_add('PAY.BEFORE_SIGNATURE', k, '', 'payment before signature');
      END IF;
    END IF;
  END IF;
  IF NEW.payment_method = 'cash' THEN
    IF coalesce(NEW.currency, 'CNY') = 'CNY' AND NEW.amount > 50000 THEN
      PERFORM bench.peer_alert_add('CASH.SINGLE', k, '', 'large cash withdrawal');
    END IF;
    IF NEW.paid_on IS NOT NULL AND coalesce(NEW.currency, 'CNY') = 'CNY' THEN
      SELECT sum(p.amount) INTO total FROM bench.payment p
       WHERE p.payer_unit_code = NEW.payer_unit_code AND p.payment_method = 'cash'
         AND p.paid_on >= date_trunc('month', NEW.paid_on) AND p.paid_on < date_trunc('month', NEW.paid_on) + interval '1 month'
         AND coalesce(p.currency, 'CNY') = 'CNY' AND coalesce(p.status, '') <> 'returned';
      IF total > 200000 THEN
        PERFORM bench.peer_alert_add('CASH.MONTHLY', jsonb_build_object('payer_unit_code', NEW.payer_unit_code), to_char(NEW.paid_on, 'YYYY-MM'), 'monthly cash');
      END IF;
      SELECT sum(p.amount) INTO total FROM bench.payment p
       WHERE p.payer_unit_code = NEW.payer_unit_code AND p.payment_method = 'cash'
         AND p.paid_on >= date_trunc('year', NEW.paid_on) AND p.paid_on < date_trunc('year', NEW.paid_on) + interval '1 year'
         AND coalesce(p.currency, 'CNY') = 'CNY' AND coalesce(p.status, '') <> 'returned';
      IF total > 1000000 THEN
        PERFORM bench.peer_alert_add('CASH.ANNUAL', jsonb_build_object('payer_unit_code', NEW.payer_unit_code), to_char(NEW.paid_on, 'YYYY'), 'annual cash');
      END IF;
    END IF;
    IF NEW.expense_type = ANY (ARRAY['office', 'printing', 'consulting', 'fees', 'utilities', 'post', 'property_management', 'travel', 'repair',
                                     'rental', 'meeting', 'training', 'hospitality', 'vehicle', 'transport_other']) THEN
      PERFORM bench.peer_alert_add('CASH.OFFICIAL_CARD', k, '', 'cash for an official-card expense');
    END IF;
  END IF;
  SELECT string_agg(p.full_name, ', ') INTO names FROM oversight.person_account a JOIN oversight.person p ON p.person_code = a.person_code
   WHERE a.account_no = NEW.payee_account;
  IF names IS NOT NULL THEN
    PERFORM bench.peer_alert_add('PAY.STAFF_PAYEE', k, '', 'payee is staff: ' || names);
  END IF;
  IF NEW.amount >= 50000 AND NEW.amount % 10000 = 0 THEN
    PERFORM bench.peer_alert_add('PAY.ROUND_AMOUNT', k, '', 'round amount');
  END IF;
  IF NEW.approved_at IS NOT NULL THEN
    local_day := (NEW.approved_at AT TIME ZONE 'Asia/Shanghai')::date;
    SELECT d.day_kind INTO day_kind FROM oversight.calendar_day d WHERE d.calendar_date = local_day;
    IF coalesce(day_kind = 'holiday', extract(isodow FROM local_day) >= 6) THEN
      PERFORM bench.peer_alert_add('PAY.NONWORKING_APPROVAL', k, '', 'approved on a non-working day');
    END IF;
  END IF;
  IF NEW.handler_code = NEW.approver_code THEN
    PERFORM bench.peer_alert_add('SOD.PAYMENT', k, '', 'handler is approver');
  END IF;
  RETURN NULL;
END $$;

-- (b) Set-based over the transition table.
-- Without JIT, like the C++ engine's own statements and recorder (a bulk statement's plan cost passes the
-- JIT thresholds, and compiling costs more than it saves): the same tuning for both, so the comparison
-- is of the approaches, not of a setting.
-- The peers' rules, as one SQL text over the transition table nt: the findings (rule_code, object_key,
-- period, message) that both set-based peers record, each its own way. Kept in one place; the peers
-- EXECUTE it (PL/pgSQL registers transition tables for dynamic SQL too), planned once per statement.
CREATE FUNCTION bench.peer_hits_sql() RETURNS text LANGUAGE sql IMMUTABLE AS $sql$ SELECT $hits$
    SELECT 'PAY.DUPLICATE' AS rule_code, jsonb_build_object('payment_code', greatest(b.payment_code, h.payment_code)) AS object_key, '' AS period, 'duplicate payment' AS message
      FROM nt b JOIN bench.payment h ON h.invoice_no = b.invoice_no AND h.amount = b.amount
     WHERE h.payment_code <> b.payment_code AND h.currency IS NOT DISTINCT FROM b.currency
       AND coalesce(h.payee_account, h.payee_name) = coalesce(b.payee_account, b.payee_name)
       AND coalesce(h.status, '') <> 'returned' AND coalesce(b.status, '') <> 'returned'
       AND abs(coalesce(h.paid_on, h.requested_on, '2000-01-01') - coalesce(b.paid_on, b.requested_on, '2000-01-01')) <= 400
    UNION ALL
    SELECT 'PAY.NEAR_DUPLICATE', jsonb_build_object('payment_code', greatest(b.payment_code, h.payment_code)), '', 'possible double payment'
      FROM nt b JOIN bench.payment h ON h.payee_name = b.payee_name AND h.paid_on BETWEEN b.paid_on - 7 AND b.paid_on + 7
     WHERE h.payment_code <> b.payment_code AND b.amount >= 10000 AND h.amount >= 10000 AND h.currency IS NOT DISTINCT FROM b.currency
       AND abs(h.amount - b.amount) <= greatest(h.amount, b.amount) * 1 / 100
       AND NOT (h.amount = b.amount AND h.invoice_no IS NOT DISTINCT FROM b.invoice_no AND b.invoice_no IS NOT NULL)
       AND coalesce(h.status, '') <> 'returned' AND coalesce(b.status, '') <> 'returned'
    UNION ALL
    SELECT 'PAY.OVER_CONTRACT', jsonb_build_object('contract_code', c.contract_code), '', 'payments exceed the contract'
      FROM (SELECT DISTINCT contract_code FROM nt WHERE contract_code IS NOT NULL) g
      JOIN oversight.contract c ON c.contract_code = g.contract_code AND c.amount IS NOT NULL
     CROSS JOIN LATERAL (SELECT sum(h.amount) AS paid FROM bench.payment h WHERE h.contract_code = c.contract_code
                           AND h.currency IS NOT DISTINCT FROM c.currency AND coalesce(h.status, '') <> 'returned') s
     WHERE s.paid > c.amount
    UNION ALL
    SELECT 'PAY.BEFORE_SIGNATURE', jsonb_build_object('payment_code', b.payment_code), '', 'payment before signature'
      FROM nt b JOIN oversight.contract c ON c.contract_code = b.contract_code
     WHERE coalesce(b.paid_on, b.requested_on) IS NOT NULL AND (c.signed_on IS NULL OR coalesce(b.paid_on, b.requested_on) < c.signed_on)
    UNION ALL
    SELECT 'CASH.SINGLE', jsonb_build_object('payment_code', b.payment_code), '', 'large cash withdrawal'
      FROM nt b WHERE b.payment_method = 'cash' AND coalesce(b.currency, 'CNY') = 'CNY' AND b.amount > 50000
    UNION ALL
    SELECT 'CASH.' || CASE g.per WHEN 'month' THEN 'MONTHLY' ELSE 'ANNUAL' END, jsonb_build_object('payer_unit_code', g.unit), g.label, 'cumulative cash'
      FROM (SELECT DISTINCT b.payer_unit_code AS unit, p.per, date_trunc(p.per, b.paid_on)::date AS start,
                   CASE p.per WHEN 'month' THEN to_char(b.paid_on, 'YYYY-MM') ELSE to_char(b.paid_on, 'YYYY') END AS label
              FROM nt b CROSS JOIN (VALUES ('month'), ('year')) p(per)
             WHERE b.payment_method = 'cash' AND b.paid_on IS NOT NULL AND coalesce(b.currency, 'CNY') = 'CNY') g
     CROSS JOIN LATERAL (SELECT sum(h.amount) AS total FROM bench.payment h
                          WHERE h.payer_unit_code = g.unit AND h.payment_method = 'cash' AND h.paid_on >= g.start
                            AND h.paid_on < g.start + ('1 ' || g.per)::interval AND coalesce(h.currency, 'CNY') = 'CNY' AND coalesce(h.status, '') <> 'returned') s
     WHERE s.total > CASE g.per WHEN 'month' THEN 200000 ELSE 1000000 END
    UNION ALL
    SELECT 'CASH.OFFICIAL_CARD', jsonb_build_object('payment_code', b.payment_code), '', 'cash for an official-card expense'
      FROM nt b WHERE b.payment_method = 'cash' AND b.expense_type = ANY (ARRAY['office', 'printing', 'consulting', 'fees', 'utilities', 'post',
        'property_management', 'travel', 'repair', 'rental', 'meeting', 'training', 'hospitality', 'vehicle', 'transport_other'])
    UNION ALL
    SELECT 'PAY.STAFF_PAYEE', jsonb_build_object('payment_code', b.payment_code), '', 'payee is staff: ' || string_agg(p.full_name, ', ')
      FROM nt b JOIN oversight.person_account a ON a.account_no = b.payee_account JOIN oversight.person p ON p.person_code = a.person_code
     GROUP BY b.payment_code
    UNION ALL
    SELECT 'PAY.ROUND_AMOUNT', jsonb_build_object('payment_code', b.payment_code), '', 'round amount'
      FROM nt b WHERE b.amount >= 50000 AND b.amount % 10000 = 0
    UNION ALL
    SELECT 'PAY.NONWORKING_APPROVAL', jsonb_build_object('payment_code', b.payment_code), '', 'approved on a non-working day'
      FROM nt b LEFT JOIN oversight.calendar_day d ON d.calendar_date = (b.approved_at AT TIME ZONE 'Asia/Shanghai')::date
     WHERE b.approved_at IS NOT NULL AND coalesce(d.day_kind = 'holiday', extract(isodow FROM (b.approved_at AT TIME ZONE 'Asia/Shanghai')::date) >= 6)
    UNION ALL
    SELECT 'SOD.PAYMENT', jsonb_build_object('payment_code', b.payment_code), '', 'handler is approver'
      FROM nt b WHERE b.handler_code = b.approver_code
$hits$ $sql$;

CREATE FUNCTION bench.sql_statement_rules() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
DECLARE n bigint;
BEGIN
  EXECUTE 'WITH hits AS (' || bench.peer_hits_sql() || $q$),
  dedup AS (
    SELECT DISTINCT ON (fp) md5(rule_code || '|bench.payment|' || object_key::text || '|' || period) AS fp, * FROM hits ORDER BY fp),
  up AS (
    INSERT INTO bench.peer_alert SELECT fp, rule_code, object_key, period, message, 1, now() FROM dedup
    ON CONFLICT (fingerprint) DO UPDATE SET repeat_count = peer_alert.repeat_count + 1, message = EXCLUDED.message, fired_at = EXCLUDED.fired_at
    RETURNING *)
  SELECT count(pg_notify('bench_alerts', json_build_object('rule_code', rule_code, 'object_key', object_key, 'period', period, 'message', message)::text))
    FROM up
$q$ INTO n;
  RETURN NULL;
END $$;

-- (b') The same set-based SQL, recording through the product's recorder (oversight.record_hits, as the
-- C++ engine does): alerts with rule version, lifecycle event, reopening and the documented NOTIFY
-- payload. Peer (b) writes a lighter alert table of its own; (b') produces what the product must
-- produce, so the two compare the evaluation, not the bookkeeping. (No unit code or details, and one
-- fixed message given as both the English and the Chinese one, not rendered: a little less work than the
-- engine records.)
CREATE FUNCTION bench.sql_statement_rules_recorded() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  EXECUTE $q$SELECT count(r.hits) FROM (
  WITH hits AS ($q$ || bench.peer_hits_sql() || $q$)
  SELECT pg_catalog.array_agg(v.rule_version_id) AS rv,
         pg_catalog.array_agg(CASE WHEN h.rule_code = 'PAY.OVER_CONTRACT' THEN 'oversight.contract' ELSE 'bench.payment' END) AS tb,
         pg_catalog.array_agg(h.object_key) AS k, pg_catalog.array_agg(h.period) AS p, pg_catalog.array_agg(NULL::text) AS u,
         pg_catalog.array_agg(h.message) AS m, pg_catalog.array_agg(h.message) AS mz, pg_catalog.array_agg(NULL::jsonb) AS d
    FROM hits h JOIN oversight.rule_version v ON v.rule_code = h.rule_code AND v.status = 'approved') a
   CROSS JOIN LATERAL oversight.record_hits(a.rv, a.tb, a.k, a.p, a.u, a.m, a.mz, a.d, 'statement') r
   WHERE a.rv IS NOT NULL
$q$;
  RETURN NULL;
END $$;
