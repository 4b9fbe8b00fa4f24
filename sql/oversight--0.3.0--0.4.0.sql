-- oversight 0.3.0 → 0.4.0 — the engine, second round: one rule kind = one unit, shipped rules as rows,
-- one definition of each record kind, Chinese first.
--
-- Hardening as before: every reference schema-qualified, every SQL function pins
-- search_path = pg_catalog, pg_temp, every object has a COMMENT, PUBLIC executes nothing new.

\echo Use "ALTER EXTENSION oversight UPDATE TO '0.4.0'" to load this file. \quit

SET LOCAL search_path = pg_catalog, pg_temp;
