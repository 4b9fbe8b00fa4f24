-- The C++/PostgreSQL boundary as a client sees it: each error keeps its SQLSTATE, message, detail,
-- hint and context, and no C++ object outlives an error. (pgTAP checks the same codes; this file pins
-- the exact text a DBA reads.)
\set SHOW_CONTEXT always
\set VERBOSITY sqlstate
SELECT oversight.selftest_raise('core_error');
SELECT oversight.selftest_raise('std_exception');
SELECT oversight.selftest_raise('bad_alloc');
SELECT oversight.selftest_raise('pg_error');
\set VERBOSITY default
SELECT oversight.selftest_raise('core_error');
SELECT oversight.selftest_raise('std_exception');
SELECT oversight.selftest_raise('pg_error');
SELECT oversight.selftest_raise('no_such_kind');
SELECT oversight.selftest_raise('none');
SELECT oversight.selftest_live_objects() AS live_objects_after_errors;
SET statement_timeout = '100ms';
\set VERBOSITY sqlstate
SELECT oversight.selftest_spin(1000000000000);
RESET statement_timeout;
SELECT oversight.selftest_live_objects() AS live_objects_after_cancel;
-- The errors left the session usable, inside a transaction with savepoints too.
BEGIN;
SAVEPOINT s;
SELECT oversight.selftest_raise('pg_error');
ROLLBACK TO SAVEPOINT s;
SELECT oversight.selftest_spin(1000) AS spun;
COMMIT;
