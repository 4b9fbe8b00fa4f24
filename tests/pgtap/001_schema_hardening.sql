-- Schema and hardening: the extension's objects are where they should be, every object carries a
-- COMMENT, every SQL function pins its search_path, SECURITY DEFINER functions are not executable by
-- PUBLIC unless meant to be, and PUBLIC has no table privileges.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(9);

SELECT has_schema('oversight');
SELECT is((SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'oversight'), 'pg_catalog',
  'the extension refuses relocation: its own schema is created by the script');

SELECT is_empty($$
  SELECT c.relname FROM pg_class c
   WHERE c.relnamespace = 'oversight'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p')
     AND obj_description(c.oid, 'pg_class') IS NULL $$,
  'every table and view has a COMMENT');

SELECT is_empty($$
  SELECT c.relname || '.' || a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
   WHERE c.relnamespace = 'oversight'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p')
     AND a.attnum > 0 AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL $$,
  'every column has a COMMENT');

SELECT is_empty($$
  SELECT p.oid::regprocedure::text FROM pg_proc p
   WHERE p.pronamespace = 'oversight'::regnamespace AND obj_description(p.oid, 'pg_proc') IS NULL $$,
  'every function has a COMMENT');

SELECT is_empty($$
  SELECT t.tgrelid::regclass || ' ' || t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
   WHERE c.relnamespace = 'oversight'::regnamespace AND NOT t.tgisinternal
     AND obj_description(t.oid, 'pg_trigger') IS NULL
  UNION ALL
  SELECT pol.polrelid::regclass || ' ' || pol.polname FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid
   WHERE c.relnamespace = 'oversight'::regnamespace AND obj_description(pol.oid, 'pg_policy') IS NULL
  UNION ALL
  SELECT t.typname FROM pg_type t
   WHERE t.typnamespace = 'oversight'::regnamespace AND t.typtype IN ('d', 'e', 'c')
     AND NOT EXISTS (SELECT FROM pg_class c WHERE c.reltype = t.oid)
     AND obj_description(t.oid, 'pg_type') IS NULL $$,
  'every trigger, policy and type has a COMMENT');

SELECT is_empty($$
  SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
   WHERE p.pronamespace = 'oversight'::regnamespace AND l.lanname <> 'c'
     AND NOT EXISTS (SELECT FROM unnest(p.proconfig) cfg WHERE cfg = 'search_path=pg_catalog, pg_temp') $$,
  'every SQL and PL/pgSQL function pins search_path = pg_catalog, pg_temp');

SELECT is_empty($$
  SELECT c.relname FROM pg_class c, aclexplode(c.relacl) acl
   WHERE c.relnamespace = 'oversight'::regnamespace AND acl.grantee = 0 $$,
  'PUBLIC holds no privilege on any table or view');

SELECT is_empty($$
  SELECT p.oid::regprocedure::text FROM pg_proc p
   WHERE p.pronamespace = 'oversight'::regnamespace AND p.prosecdef
     AND p.prorettype <> 'trigger'::regtype
     AND has_function_privilege('public', p.oid, 'EXECUTE') $$,
  'no SECURITY DEFINER function (other than trigger functions) is executable by PUBLIC');

SELECT * FROM finish();
ROLLBACK;
