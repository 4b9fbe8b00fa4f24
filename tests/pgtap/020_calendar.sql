-- Working-day calendar: holidays, moved working weekends (调休), holiday blocks, year boundaries,
-- negative and zero offsets, and explicit refusal of years that are not loaded.
\set ON_ERROR_STOP 1
BEGIN;
SELECT plan(20);

SELECT ok(oversight.is_working_day('2026-02-14'), 'Saturday 2026-02-14 is a moved working day (春节调休)');
SELECT ok(NOT oversight.is_working_day('2026-02-16'), 'Monday 2026-02-16 is a Spring Festival holiday');
SELECT ok(NOT oversight.is_working_day('2026-03-01'), 'an ordinary Sunday rests');
SELECT ok(oversight.is_working_day('2026-03-02'), 'an ordinary Monday works');
SELECT ok(oversight.is_working_day('2024-09-14'), 'Saturday 2024-09-14 works (中秋调休)');

SELECT is(oversight.add_working_days('2026-02-13', 1), '2026-02-14'::date, 'Friday + 1 working day lands on the moved Saturday');
SELECT is(oversight.add_working_days('2026-02-14', 1), '2026-02-24'::date, 'the nine-day Spring Festival block is skipped whole');
SELECT is(oversight.add_working_days('2026-02-24', -1), '2026-02-14'::date, 'negative offsets walk back over the block');
SELECT is(oversight.add_working_days('2026-02-15', 0), '2026-02-15'::date, 'zero returns the start unchanged');
SELECT is(oversight.add_working_days('2024-12-31', 1), '2025-01-02'::date, 'across the year boundary (New Year''s Day rests)');
SELECT is(oversight.add_working_days('2025-09-26', 20), '2025-10-30'::date, '20 working days (disclosure deadline) across National Day 2025');

SELECT is(oversight.working_days_between('2026-02-13', '2026-02-24'), 2, 'two working days after Friday 13th up to the 24th');
SELECT is(oversight.working_days_between('2026-02-24', '2026-02-13'), -2, 'reversed bounds count negative');
SELECT is(oversight.working_days_between('2025-09-26', oversight.add_working_days('2025-09-26', 20)), 20,
  'working_days_between inverts add_working_days');
SELECT is((SELECT count(*)::int FROM oversight.calendar WHERE calendar_year = 2026 AND is_working_day), 248,
  '2026 has 248 working days');

SELECT throws_ok($$ SELECT oversight.is_working_day('2027-03-01') $$, 'OV001',
  'no working-day calendar for year 2027 (date 2027-03-01)', 'a year without data is refused, not guessed');
SELECT throws_ok($$ SELECT oversight.add_working_days('2026-12-30', 5) $$, 'OV001', NULL,
  'a deadline running into an unloaded year is refused');
SELECT throws_ok($$ INSERT INTO oversight.calendar_day (calendar_date, day_kind, name_zh, name_en) VALUES ('2027-01-01', 'holiday', '元旦', 'New Year') $$,
  '23503', NULL, 'days cannot be added for a year that is not declared');

INSERT INTO oversight.calendar_year (calendar_year, source) VALUES (2027, 'test arrangement');
INSERT INTO oversight.calendar_day (calendar_date, day_kind, name_zh, name_en) VALUES ('2027-01-01', 'holiday', '元旦', 'New Year''s Day');
SELECT is(oversight.add_working_days('2026-12-31', 1), '2027-01-04'::date, 'once 2027 is loaded as data, deadlines run into it');
SELECT throws_ok($$ INSERT INTO oversight.calendar_day (calendar_date, day_kind, name_zh, name_en) VALUES ('2027-02-01', 'party', 'x', 'x') $$,
  '23514', 'new row for relation "calendar_day" violates check constraint "calendar_day_kind_known"', 'an unknown day kind is refused by name');

SELECT * FROM finish();
ROLLBACK;
