#!/usr/bin/env bash
# pg_cron runs the sweeper and the score refresh: oversight.schedule_sweeper() and schedule_score_refresh()
# create the jobs, and within about a minute they have run — the due ladder step of a matter is taken,
# and the materialized scores are refreshed, without anyone calling them. TAP.
# (The cluster loads pg_cron for database postgres: scripts/cluster.sh.)
set -uo pipefail
source "$(dirname "$0")/tap.sh"
q() { psql -XAtq -v ON_ERROR_STOP=1 -d postgres "$@"; }
if [ "$(q -c "SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_cron'")" != 1 ] ||
	[ "$(q -c "SHOW shared_preload_libraries")" != pg_cron ]; then
	echo "1..0 # SKIP pg_cron is not installed and preloaded"
	exit 0
fi
cleanup() { q -c "SELECT cron.unschedule(jobid) FROM cron.job" -c 'DROP EXTENSION IF EXISTS oversight' -c 'DROP EXTENSION IF EXISTS pg_cron' >/dev/null 2>&1; }
trap cleanup EXIT
q -c 'CREATE EXTENSION pg_cron' -c 'CREATE EXTENSION oversight' >/dev/null
q <<'SQL' >/dev/null
SELECT oversight.install_default_rules();
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) VALUES ('S1', '科室', 'section');
-- A matter decided long ago: its ladder is due today, and only a sweep can take its steps.
SELECT oversight.register_matter('PROC.METHOD.NONOPEN', 'S1', '2024-03-01', '逾期未报告的事项', NULL, false, NULL);
SQL
job=$(q -c "SELECT oversight.schedule_sweeper('* * * * *')")
if [ -n "$job" ] && [ "$(q -c "SELECT command FROM cron.job WHERE jobid = $job")" = "SELECT oversight.sweep()" ]; then
	ok "schedule_sweeper() creates a pg_cron job running oversight.sweep() (job $job)"
else not_ok "the job exists"; fi
scores=$(q -c "SELECT oversight.schedule_score_refresh('* * * * *')")
if [ -n "$scores" ] && [ "$(q -c "SELECT command FROM cron.job WHERE jobid = $scores")" = "SELECT oversight.refresh_scores()" ]; then
	ok "schedule_score_refresh() creates a pg_cron job running oversight.refresh_scores() (job $scores)"
else not_ok "the score refresh job exists"; fi
for _ in $(seq 1 90); do # the next minute, and a little more
	[ "$(q -c "SELECT count(DISTINCT jobid) FROM cron.job_run_details WHERE jobid IN ($job, ${scores:-0}) AND status = 'succeeded'")" -ge 2 ] && break
	sleep 1
done
if [ "$(q -c "SELECT count(*) FROM cron.job_run_details WHERE jobid = $job AND status = 'succeeded'")" -ge 1 ]; then
	ok "pg_cron ran the job"
else not_ok "pg_cron ran the job"; q -c "SELECT status, return_message FROM cron.job_run_details" | sed 's/^/# /'; fi
if [ "$(q -c "SELECT count(*) FROM oversight.escalation_step")" -ge 1 ]; then
	ok "the sweep it ran took the matter's due ladder steps"
else not_ok "the sweep took the due steps"; fi
if [ "$(q -c "SELECT count(*) FROM oversight.score_refresh WHERE refreshed_by IS NOT NULL")" = 3 ]; then
	ok "the refresh it ran filled the three materialized views and recorded when (oversight.score_refresh)"
else not_ok "pg_cron refreshed the scores"; q -c "SELECT status, return_message FROM cron.job_run_details" | sed 's/^/# /'; fi
echo "1..$n"
