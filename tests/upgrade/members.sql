-- Everything that defines an installed oversight, one line per fact, sorted: run in two databases
-- and diff. Functions by a hash of their definition; shipped data by a hash of its rows.
\pset format unaligned
\pset tuples_only on
SELECT line FROM (
  SELECT 'member ' || pg_describe_object(d.classid, d.objid, d.objsubid) AS line
    FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
   WHERE e.extname = 'oversight' AND d.deptype = 'e'
  UNION ALL
  SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
         || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
         || COALESCE(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
         || CASE WHEN a.attgenerated = 's' THEN ' generated' ELSE '' END
         || COALESCE(' -- ' || col_description(c.oid, a.attnum), '')
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
    LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
   WHERE c.relnamespace = 'oversight'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'column-order ' || c.relname || ' ' || string_agg(a.attname, ',' ORDER BY a.attnum)
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
   WHERE c.relnamespace = 'oversight'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
   GROUP BY c.relname
  UNION ALL
  SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'oversight'::regnamespace
  UNION ALL
  SELECT 'index ' || pg_get_indexdef(indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
   WHERE c.relnamespace = 'oversight'::regnamespace
  UNION ALL
  SELECT 'trigger ' || pg_get_triggerdef(t.oid) || COALESCE(' -- ' || obj_description(t.oid, 'pg_trigger'), '')
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
   WHERE NOT t.tgisinternal AND c.relnamespace = 'oversight'::regnamespace
  UNION ALL
  SELECT 'policy ' || pol.polrelid::regclass || ' ' || pol.polname || ' ' || pol.polcmd::text || ' '
         || COALESCE(pg_get_expr(pol.polqual, pol.polrelid), '') || ' / ' || COALESCE(pg_get_expr(pol.polwithcheck, pol.polrelid), '')
    FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid WHERE c.relnamespace = 'oversight'::regnamespace
  UNION ALL
  SELECT 'rls ' || relname || ' ' || relrowsecurity || ' ' || relforcerowsecurity FROM pg_class
   WHERE relnamespace = 'oversight'::regnamespace AND relkind = 'r'
  UNION ALL
  SELECT 'function ' || p.oid::regprocedure || ' ' || md5(pg_get_functiondef(p.oid)) || ' acl ' || COALESCE(p.proacl::text, 'default')
         || COALESCE(' -- ' || obj_description(p.oid, 'pg_proc'), '')
    FROM pg_proc p WHERE p.pronamespace = 'oversight'::regnamespace AND p.prokind <> 'a'
  UNION ALL
  SELECT 'view ' || c.relname || ' ' || md5(pg_get_viewdef(c.oid)) FROM pg_class c
   WHERE c.relnamespace = 'oversight'::regnamespace AND c.relkind IN ('v', 'm')
  UNION ALL
  SELECT 'acl ' || c.relname || ' ' || COALESCE(c.relacl::text, 'default') FROM pg_class c
   WHERE c.relnamespace = 'oversight'::regnamespace
  UNION ALL
  SELECT 'comment ' || c.relname || ' ' || COALESCE(obj_description(c.oid, 'pg_class'), '<none>') FROM pg_class c
   WHERE c.relnamespace = 'oversight'::regnamespace AND c.relkind IN ('r', 'v', 'm')
  UNION ALL
  SELECT 'type ' || t.typname || ' ' || COALESCE(format_type(t.typbasetype, t.typtypmod), '') FROM pg_type t
   WHERE t.typnamespace = 'oversight'::regnamespace AND t.typtype IN ('d', 'e')
  UNION ALL
  SELECT 'config-dump ' || (SELECT string_agg(c::regclass::text || ' ' || COALESCE(w, ''), ', ' ORDER BY c::regclass::text)
                              FROM unnest(e.extconfig, e.extcondition) AS u(c, w))
    FROM pg_extension e WHERE e.extname = 'oversight'
) facts ORDER BY line;
-- Shipped data, row for row.
SELECT 'data setting_default ' || md5(string_agg(t::text, '|' ORDER BY setting_key)) FROM oversight.setting_default t;
SELECT 'data rule_default ' || md5(string_agg(t::text, '|' ORDER BY rule_code)) FROM oversight.rule_default t;
SELECT 'data calendar_day ' || md5(string_agg(t::text, '|' ORDER BY calendar_date)) FROM oversight.calendar_day t;
SELECT 'data calendar_year ' || md5(string_agg(t::text, '|' ORDER BY calendar_year)) FROM oversight.calendar_year t;
