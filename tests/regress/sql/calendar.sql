-- Working-day calendar: the shipped holiday arrangements, read whole for two months with moved
-- working weekends (调休), and the explicit refusal of years without data.
SET datestyle = ISO;
SELECT calendar_date, to_char(calendar_date, 'Dy') AS dow, day_kind, is_working_day, name_zh
  FROM oversight.calendar
 WHERE calendar_date BETWEEN '2026-02-12' AND '2026-03-01'
 ORDER BY calendar_date;
SELECT calendar_year, count(*) FILTER (WHERE is_working_day) AS working_days,
       count(*) FILTER (WHERE day_kind = 'holiday') AS holiday_days,
       count(*) FILTER (WHERE day_kind = 'adjusted_workday') AS moved_working_days
  FROM oversight.calendar GROUP BY calendar_year ORDER BY calendar_year;
\set VERBOSITY default
SELECT oversight.add_working_days('2026-12-31', 1);
SELECT oversight.working_days_between('2023-12-29', '2024-01-02');
