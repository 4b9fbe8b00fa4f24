-- The C++/PostgreSQL boundary: C++ exceptions become SQL errors with the right SQLSTATE, a PostgreSQL
-- error raised under C++ frames unwinds their destructors, and a query cancel stops a long C++ loop.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(10);

SELECT throws_ok($$ SELECT oversight.selftest_raise('core_error') $$, '22023', 'self-test: core error',
  'a core::Error keeps its SQLSTATE and message');
SELECT throws_ok($$ SELECT oversight.selftest_raise('std_exception') $$, 'XX000', 'self-test: std::runtime_error',
  'any other std::exception is an internal error with its message');
SELECT throws_ok($$ SELECT oversight.selftest_raise('bad_alloc') $$, '53200', NULL,
  'std::bad_alloc becomes out of memory');
SELECT throws_ok($$ SELECT oversight.selftest_raise('pg_error') $$, '22012', 'division by zero',
  'a PostgreSQL error raised inside pg_call is re-raised unchanged');
SELECT is(oversight.selftest_live_objects(), 0, 'no C++ object outlived those errors (destructors ran)');
SELECT is(oversight.selftest_raise('none'), 'xx', 'the normal path returns');

-- throws_ok cannot catch a cancel (PL/pgSQL's OTHERS excludes query_canceled), so catch it by name.
CREATE FUNCTION pg_temp.spin_until_cancelled() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  PERFORM oversight.selftest_spin(1000000000000);
  RETURN 'finished';
EXCEPTION WHEN query_canceled THEN
  RETURN SQLSTATE;
END $$;
SET LOCAL statement_timeout = '50ms';
SELECT is(pg_temp.spin_until_cancelled(), '57014', 'statement_timeout interrupts a long C++ loop');
SET LOCAL statement_timeout = 0;
SELECT is(oversight.selftest_live_objects(), 0, 'the cancelled loop''s objects were destroyed');
SELECT is(oversight.selftest_spin(100000), 100000::bigint, 'the session is usable after the cancel');

SELECT ok(NOT has_function_privilege('public', 'oversight.selftest_raise(text)', 'EXECUTE'),
  'self-test functions are not executable by PUBLIC');

SELECT * FROM finish();
ROLLBACK;
