-- The baseline of the indicators benchmark: R003, R018 and R024 written as straightforward SQL over the
-- jsonb compiled releases (oversight.procurement_process.source_document), with Cardinal's semantics and
-- defaults: cancelled tenders excluded; R003 whole days under 15 for any method; R018 one tenderer in an
-- open or selective tender; R024 the second-lowest valid bid's difference to the winner's, flagged at or
-- under Q1 − 1.5·IQR (quantiles of statrs' type 8, as the C++ core), bids in the main currency (psql
-- variable currency). Leaves its rows in baseline_result. Also the oracle of tests/loader/22_indicators_real.t.
DROP TABLE IF EXISTS baseline_result;
CREATE TEMP TABLE baseline_result AS
WITH rel AS (
  SELECT p.ocid, p.source_document AS d FROM oversight.procurement_process p
   WHERE p.source_document IS NOT NULL AND jsonb_typeof(p.source_document -> 'ocid') = 'string'
     AND (p.source_document #>> '{tender,status}') IS DISTINCT FROM 'cancelled'),
r003 AS (
  SELECT 'R003'::text AS indicator, ocid, 1.0::float8 AS value FROM rel
   WHERE trunc(extract(epoch FROM ((d #>> '{tender,tenderPeriod,endDate}')::timestamptz
                                   - (d #>> '{tender,tenderPeriod,startDate}')::timestamptz)) / 86400) < 15),
r018 AS (
  SELECT 'R018', ocid, 1.0::float8 FROM rel
   WHERE d #>> '{tender,procurementMethod}' IN ('open', 'selective')
     AND jsonb_typeof(d #> '{tender,numberOfTenderers}') = 'number' AND (d #>> '{tender,numberOfTenderers}') = '1'),
-- R024: processes whose awards are all final, one of them active with one supplier.
awarded AS (
  SELECT r.ocid, r.d, min(a ->> 'status') FILTER (WHERE a ->> 'status' = 'active') AS x,
         (array_agg(a -> 'suppliers') FILTER (WHERE a ->> 'status' = 'active'))[1] AS suppliers
    FROM rel r CROSS JOIN LATERAL jsonb_array_elements(r.d -> 'awards') a
   WHERE jsonb_typeof(r.d -> 'awards') = 'array' AND jsonb_typeof(r.d #> '{bids,details}') = 'array'
   GROUP BY r.ocid, r.d
  HAVING count(*) FILTER (WHERE a ->> 'status' = 'active') = 1
     AND count(*) FILTER (WHERE jsonb_typeof(a -> 'status') = 'string' AND a ->> 'status' NOT IN ('active', 'cancelled', 'unsuccessful')) = 0),
ratios AS (
  SELECT w.ocid, (min(b.amount) FILTER (WHERE b.tenderer <> w.supplier) - min(b.amount) FILTER (WHERE b.tenderer = w.supplier))
                 / min(b.amount) FILTER (WHERE b.tenderer = w.supplier) AS ratio
    FROM (SELECT ocid, d, suppliers -> 0 ->> 'id' AS supplier FROM awarded
           WHERE jsonb_array_length(suppliers) = 1 AND jsonb_typeof(suppliers -> 0 -> 'id') = 'string') w
    CROSS JOIN LATERAL (
      SELECT (bid #>> '{value,amount}')::float8 AS amount, bid #>> '{tenderers,0,id}' AS tenderer
        FROM jsonb_array_elements(w.d #> '{bids,details}') bid
       WHERE bid ->> 'status' = 'valid' AND jsonb_typeof(bid #> '{value,amount}') = 'number'
         AND bid #>> '{value,currency}' = :'currency' AND jsonb_array_length(bid -> 'tenderers') = 1
         AND jsonb_typeof(bid #> '{tenderers,0,id}') = 'string') b
   GROUP BY w.ocid
  HAVING min(b.amount) FILTER (WHERE b.tenderer = w.supplier) IS NOT NULL
     AND min(b.amount) FILTER (WHERE b.tenderer <> w.supplier) >= min(b.amount) FILTER (WHERE b.tenderer = w.supplier)),
sorted AS (SELECT array_agg(ratio ORDER BY ratio) AS v, count(*)::float8 AS n FROM ratios),
-- statrs' quantile: h = (n + 1/3)·tau + 1/3, interpolated between order statistics ⌊h⌋ and ⌊h⌋ + 1.
q AS (
  SELECT tau, CASE WHEN trunc(h) <= 0 THEN v[1] WHEN trunc(h) >= n THEN v[n::int]
                   ELSE v[trunc(h)::int] + (h - trunc(h)) * (v[trunc(h)::int + 1] - v[trunc(h)::int]) END AS value
    FROM sorted, LATERAL (VALUES (0.25::float8), (0.75::float8)) t(tau), LATERAL (SELECT (n + 1.0 / 3) * tau + 1.0 / 3 AS h) hh),
fence AS (
  SELECT (SELECT value FROM q WHERE tau = 0.25) AS q1, (SELECT value FROM q WHERE tau = 0.75) AS q3),
r024 AS (
  SELECT 'R024', r.ocid, r.ratio FROM ratios r, fence f
   WHERE NOT (f.q1 = 0 AND f.q3 = 0) AND r.ratio <= f.q1 - 1.5 * (f.q3 - f.q1))
SELECT * FROM r003 UNION ALL SELECT * FROM r018 UNION ALL SELECT * FROM r024;
