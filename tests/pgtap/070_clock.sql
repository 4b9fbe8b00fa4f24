-- The injectable clock: oversight.now() follows the setting when given, today() is a date in the
-- bureau's time zone, and a malformed setting is a clear error.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(7);

SELECT is(oversight.set_clock('2025-12-31 20:30+00', true), '2025-12-31 20:30+00'::timestamptz, 'set_clock returns the frozen time');
SELECT is(oversight.now(), '2025-12-31 20:30+00'::timestamptz, 'now() follows the setting');
SELECT is(oversight.today(), '2026-01-01'::date, 'today() is the date in Asia/Shanghai, not UTC');
INSERT INTO oversight.setting (setting_key, setting_value, changed_reason) VALUES ('timezone', 'UTC', 'test');
SELECT is(oversight.today(), '2025-12-31'::date, 'the bureau time zone is a setting');
SELECT set_config('oversight.now', 'next tuesday', true);
SELECT throws_ok($$ SELECT oversight.now() $$, '22007', '设置 oversight.now = "next tuesday" 不是时间 / setting oversight.now = "next tuesday" is not a timestamp', 'a malformed clock is an error, not the wall clock');
SELECT set_config('oversight.now', '', true);
SELECT is(oversight.now(), now(), 'an empty setting means the transaction clock');
SELECT throws_ok($$ SELECT oversight.setting_value('no.such.key') $$, '22023', 'unknown oversight setting "no.such.key"', 'unknown settings are errors');

SELECT * FROM finish();
ROLLBACK;
