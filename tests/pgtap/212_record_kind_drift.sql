-- The record kinds are defined once, in C++ (extension/include/oversight/core/record_kinds.hpp), for the
-- rule core, the engine and the loader; the canonical tables are defined in SQL. This file fails when
-- they drift apart: a column added to (or dropped from) a table but not to the definition, a changed
-- type or domain, a key, a unit field, or an enumeration that no longer matches the table's CHECK.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(8);

CREATE TEMP VIEW kinds AS
  SELECT k.kind, oversight.record_kind_definition(k.kind) AS def
    FROM (VALUES ('payment'), ('procurement'), ('bid'), ('contract'), ('fund_allocation'), ('enforcement')) AS k(kind);

-- Columns of the canonical tables, as the catalog has them, against the definition's.
CREATE TEMP VIEW column_drift AS
  (SELECT k.kind, c.column_name::text AS column_name,
          CASE c.data_type WHEN 'timestamp with time zone' THEN 'timestamptz' ELSE c.data_type END AS sql_type,
          c.domain_name::text AS domain
     FROM kinds k JOIN information_schema.columns c ON c.table_schema || '.' || c.table_name = k.def->>'table'
   EXCEPT
   SELECT k.kind, col.key, col.value, k.def->'domains'->>col.key FROM kinds k, jsonb_each_text(k.def->'columns') col)
  UNION ALL
  (SELECT k.kind, col.key, col.value, k.def->'domains'->>col.key FROM kinds k, jsonb_each_text(k.def->'columns') col
   EXCEPT
   SELECT k.kind, c.column_name::text,
          CASE c.data_type WHEN 'timestamp with time zone' THEN 'timestamptz' ELSE c.data_type END, c.domain_name::text
     FROM kinds k JOIN information_schema.columns c ON c.table_schema || '.' || c.table_name = k.def->>'table');

SELECT is_empty('SELECT * FROM column_drift',
  'every column of the six canonical tables is in the record kind definition, with its type and domain, and no other');

SELECT is_empty($$
  SELECT k.kind, f.key, f.value FROM kinds k, jsonb_each_text(oversight.record_kind_fields(k.kind)) f
  EXCEPT
  SELECT k.kind, c.column_name::text, CASE c.data_type WHEN 'timestamp with time zone' THEN 'timestamptz' ELSE c.data_type END
    FROM kinds k JOIN information_schema.columns c ON c.table_schema || '.' || c.table_name = k.def->>'table' $$,
  'every canonical field (record_kind_fields) is a column of its table, of the same type');

SELECT set_eq($$ SELECT k.kind, f.key FROM kinds k, jsonb_each(oversight.record_kind_fields(k.kind)) f $$,
              $$ SELECT k.kind, f FROM kinds k, jsonb_array_elements_text(k.def->'canonical_fields') f $$,
  'record_kind_fields() gives the canonical fields of the definition');

SELECT set_eq($$ SELECT k.kind, a.attname::text, x.n
                   FROM kinds k JOIN pg_constraint con ON con.conrelid = (k.def->>'table')::regclass AND con.contype = 'p'
                  CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS x(attnum, n)
                   JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = x.attnum $$,
              $$ SELECT k.kind, key.col, key.n FROM kinds k, jsonb_array_elements_text(k.def->'key') WITH ORDINALITY AS key(col, n) $$,
  'the key of each record kind is its table''s primary key');

SELECT is_empty($$ SELECT k.kind FROM kinds k
                    WHERE k.def->>'unit_field' IS NOT NULL
                      AND NOT (oversight.record_kind_fields(k.kind) ? (k.def->>'unit_field')) $$,
  'the unit field of each record kind is one of its canonical fields');

-- Enumerations against the tables' CHECK (column IN (…)) constraints, value by value and in order.
CREATE TEMP VIEW check_enumerations AS
  SELECT k.kind, m[1] AS column_name, v.n, v.value[1] AS value
    FROM kinds k JOIN pg_constraint con ON con.conrelid = (k.def->>'table')::regclass AND con.contype = 'c'
   CROSS JOIN LATERAL regexp_match(pg_get_constraintdef(con.oid),
                                   '^CHECK \(\((\w+) = ANY \(ARRAY\[(.*)\]\)\)\)$') AS m
   CROSS JOIN LATERAL regexp_matches(m[2], '''([^'']*)''::text', 'g') WITH ORDINALITY AS v(value, n)
   WHERE m IS NOT NULL;

SELECT set_eq('SELECT kind, column_name, n, value FROM check_enumerations',
              $$ SELECT k.kind, e.key, v.n, v.value FROM kinds k, jsonb_each(k.def->'enumerations') e,
                        jsonb_array_elements_text(e.value) WITH ORDINALITY AS v(value, n) $$,
  'the enumerations of the definition are the tables'' CHECK (column IN (…)) constraints, value for value');

-- The test catches drift: a column added to a table and not to the definition, and a changed CHECK.
SAVEPOINT drift;
ALTER TABLE oversight.bid ADD COLUMN rogue_note text;
ALTER TABLE oversight.payment DROP CONSTRAINT payment_method_known,
  ADD CONSTRAINT payment_method_known CHECK (payment_method IN ('transfer', 'cash', 'official_card', 'cheque'));
SELECT set_eq('SELECT kind, column_name FROM column_drift', $$ VALUES ('bid', 'rogue_note') $$,
  'a column added to a table but not to the definition is reported');
SELECT set_eq($$ SELECT kind, column_name, value FROM check_enumerations
                 EXCEPT
                 SELECT k.kind, e.key, v FROM kinds k, jsonb_each(k.def->'enumerations') e, jsonb_array_elements_text(e.value) v $$,
              $$ VALUES ('payment', 'payment_method', 'cheque') $$,
  'a value added to a CHECK but not to the definition is reported');
ROLLBACK TO SAVEPOINT drift;

SELECT * FROM finish();
ROLLBACK;
