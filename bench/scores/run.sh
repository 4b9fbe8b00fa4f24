#!/usr/bin/env bash
# Assessment benchmark (issue 10), run against an already running cluster (PGHOST/PGPORT/PGUSER set,
# OVERSIGHT_ROOT set, the extension installed). Creates its own database, prints figures and writes
# bench/out/scores.csv.
#
# A year (2024) of a city's records for 30 units and 300 officials, written set-based as the ladder and
# the discipline office would have left them: 40 matters per unit and month with three obligations each
# (most met on time, some early, some late, some never), their warnings, yellow and red cards, 60
# decided cases with sanctions, and a satisfaction rating per unit and month. Then:
#   - baseline: computing every monthly score live (oversight.monthly_score_live);
#   - the full refresh of the materialized views, and the concurrent one;
#   - a report read from the materialized views against the same report computed live;
#   - a reader querying oversight.unit_scores while a refresh holds its lock for 2 s: not blocked by
#     the concurrent refresh, blocked by the plain one (shown side by side).
# BENCH_QUICK=1: 10 matters per unit and month.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=${OVERSIGHT_ROOT:-$(cd "$HERE/../.." && pwd)}
PER_MONTH=40
if [ -n "${BENCH_QUICK:-}" ]; then PER_MONTH=10; fi
source "$ROOT/bench/lib.sh"
bench_begin scores
"${PSQL[@]}" >/dev/null <<SQL
SET client_min_messages = warning;
CREATE EXTENSION oversight;
INSERT INTO oversight.setting (setting_key, setting_value, changed_reason) VALUES ('clock.injectable', 'true', 'benchmark replays 2024');
SELECT oversight.install_default_rules();
SELECT oversight.set_clock('2024-12-31 18:00+08');
-- 30 sections; 10 leaders in charge (three sections each), 30 chiefs and 260 handlers: 300 officials.
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) SELECT 'S' || lpad(u::text, 2, '0'), '科室' || u, 'section' FROM generate_series(1, 30) u;
INSERT INTO oversight.person (person_code, full_name) SELECT 'P' || lpad(p::text, 3, '0'), '人员' || p FROM generate_series(1, 300) p;
INSERT INTO oversight.assignment (person_code, unit_code, assignment_role, valid_from)
SELECT 'P' || lpad(((u - 1) / 3 + 1)::text, 3, '0'), 'S' || lpad(u::text, 2, '0'), 'leader_in_charge', date '2024-01-01' FROM generate_series(1, 30) u
UNION ALL
SELECT 'P' || lpad((10 + u)::text, 3, '0'), 'S' || lpad(u::text, 2, '0'), 'section_chief', '2024-01-01' FROM generate_series(1, 30) u
UNION ALL
SELECT 'P' || lpad(p::text, 3, '0'), 'S' || lpad(((p - 41) % 30 + 1)::text, 2, '0'), 'handler', '2024-01-01' FROM generate_series(41, 300) p;
-- Matters and their obligations over 2024: 1 in 20 never met, 1 in 10 met late, 1 in 4 met early.
CREATE TEMP TABLE gen AS
SELECT row_number() OVER () AS i, u, mon, k,
       'S' || lpad(u::text, 2, '0') AS unit_code,
       'P' || lpad((41 + (u - 1) + 30 * (k % 8))::text, 3, '0') AS handler,
       'P' || lpad((10 + u)::text, 3, '0') AS chief,
       'P' || lpad(((u - 1) / 3 + 1)::text, 3, '0') AS leader,
       (date '2024-01-03' + (mon - 1) * interval '1 month' + (k % 20) * interval '1 day')::date AS event_date
  FROM generate_series(1, 30) u, generate_series(1, 12) mon, generate_series(1, $PER_MONTH) k;
INSERT INTO oversight.matter (fingerprint, node_code, unit_code, event_date, title, handler_code, first_responsible, primary_responsible, registered_at, registered_by)
SELECT 'bench:' || i, 'PROC.METHOD.NONOPEN', unit_code, event_date, '事项 ' || i, handler, chief, leader, now(), 'bench' FROM gen;
INSERT INTO oversight.obligation (matter_id, kind, due_on, person_code, status, fulfilled_at, fulfilled_by)
SELECT m.matter_id, o.kind, m.event_date + o.days, m.handler_code,
       CASE WHEN (m.matter_id + o.n) % 20 = 0 THEN 'open' ELSE 'fulfilled' END,
       CASE WHEN (m.matter_id + o.n) % 20 = 0 THEN NULL
            WHEN (m.matter_id + o.n) % 10 = 1 THEN (m.event_date + o.days + 6) + time '10:00'
            WHEN (m.matter_id + o.n) % 4 = 2 THEN (m.event_date + o.days - 4) + time '10:00'
            ELSE (m.event_date + o.days) + time '09:00' END AT TIME ZONE 'Asia/Shanghai',
       CASE WHEN (m.matter_id + o.n) % 20 = 0 THEN NULL ELSE 'bench' END
  FROM oversight.matter m CROSS JOIN (VALUES (1, 'leader_report', 5), (2, 'filing', 7), (3, 'public_disclosure', 28)) AS o(n, kind, days);
-- The ladder of the late and missed ones: a warning, a yellow card (late and missed), a red card (missed).
INSERT INTO oversight.escalation (subject_kind, subject_id, ladder_version_id, due_on, next_step_no, next_step_on, stopped_at, stop_reason)
SELECT 'obligation', o.obligation_id, oversight.ladder_for('obligation', o.kind), o.due_on, NULL, NULL, now(), 'bench'
  FROM oversight.obligation o WHERE o.status = 'open' OR o.fulfilled_at > (o.due_on + 1) + time '00:00';
INSERT INTO oversight.escalation_step (subject_kind, subject_id, step_no, step, ladder_version_id, due_on, taken_at, target_role, person_code, unit_code, matter_id, deduction)
SELECT 'obligation', e.subject_id, s.step_no, s.step, e.ladder_version_id, e.due_on + s.days, (e.due_on + s.days) + time '18:00', s.target_role,
       CASE s.target_role WHEN 'handler' THEN m.handler_code WHEN 'section_chief' THEN m.first_responsible ELSE m.primary_responsible END,
       m.unit_code, m.matter_id, s.deduction
  FROM oversight.escalation e JOIN oversight.obligation o ON o.obligation_id = e.subject_id JOIN oversight.matter m ON m.matter_id = o.matter_id
 CROSS JOIN (VALUES (2::smallint, 'warning', 1, 'handler', 0), (3::smallint, 'yellow_card', 3, 'section_chief', 5), (4::smallint, 'red_card', 8, 'leader_in_charge', 10)) AS s(step_no, step, days, target_role, deduction)
 WHERE s.step_no < 4 OR o.status = 'open';
INSERT INTO oversight.card (card_kind, subject_kind, subject_id, step_no, matter_id, unit_code, person_code, issued_on, issued_at, deduction, reason_zh, reason_en)
SELECT CASE s.step WHEN 'yellow_card' THEN 'yellow' ELSE 'red' END, s.subject_kind, s.subject_id, s.step_no, s.matter_id, s.unit_code, s.person_code, s.due_on, s.taken_at,
       s.deduction, '逾期', 'overdue'
  FROM oversight.escalation_step s WHERE s.step IN ('yellow_card', 'red_card');
-- 60 decided cases, one sanction each; a satisfaction rating per unit and month.
INSERT INTO oversight.accountability_case (origin, card_id, matter_id, unit_code, act_date, summary, status, opened_at, opened_by, decided_at, decided_by, decision_note)
SELECT 'red_card', c.card_id, c.matter_id, c.unit_code, c.issued_on, '红牌', 'decided', c.issued_at, 'bench', c.issued_at + interval '10 days', 'bench', '处理'
  FROM oversight.card c WHERE c.card_kind = 'red' ORDER BY c.card_id LIMIT 60;
INSERT INTO oversight.case_subject (case_id, person_code, subject_role)
SELECT c.case_id, m.handler_code, 'directly_responsible' FROM oversight.accountability_case c JOIN oversight.matter m ON m.matter_id = c.matter_id;
INSERT INTO oversight.case_sanction (case_id, person_code, sanction_code, aggravated, deduction, decided_on)
SELECT s.case_id, s.person_code, 'caution', false, 10, (c.decided_at AT TIME ZONE 'Asia/Shanghai')::date
  FROM oversight.case_subject s JOIN oversight.accountability_case c ON c.case_id = s.case_id;
INSERT INTO oversight.dimension_rating (scope, subject_code, month, dimension_code, score, rated_at, rated_by, note)
SELECT 'unit', unit_code, m::date, 'satisfaction', 70 + (length(unit_code || m::text) * 7) % 30, now(), 'bench', 'survey'
  FROM oversight.org_unit, generate_series(date '2024-01-01', date '2024-12-01', interval '1 month') m WHERE unit_kind = 'section';
VACUUM ANALYZE;
SQL

q1() { "${PSQL[@]}" -At -c "$1"; }
# ms SQL: wall-clock milliseconds of one statement, measured in the server.
ms() {
	"${PSQL[@]}" -At <<SQL | paste -sd' ' | awk '{printf "%.1f\n", $2 - $1}'
\o /dev/null
SELECT oversight.set_clock('2024-12-31 18:00+08');
\o
SELECT extract(epoch FROM clock_timestamp()) * 1000;
\o /dev/null
$1;
\o
SELECT extract(epoch FROM clock_timestamp()) * 1000;
SQL
}
best_of_3() { local a b c; a=$(ms "$1"); b=$(ms "$1"); c=$(ms "$1"); printf '%s\n%s\n%s\n' "$a" "$b" "$c" | sort -n | head -1; }

echo "  data: $(q1 "SELECT count(*) FROM oversight.matter") matters, $(q1 "SELECT count(*) FROM oversight.obligation") obligations, $(q1 "SELECT count(*) FROM oversight.escalation_step") ladder steps, $(q1 "SELECT count(*) FROM oversight.card") cards, $(q1 "SELECT count(*) FROM oversight.case_sanction") sanctions"
ms "SELECT oversight.refresh_scores(false)" >/dev/null # first fill, and plans cached
live=$(best_of_3 "SELECT count(*) FROM oversight.monthly_score_live")
full=$(best_of_3 "SELECT oversight.refresh_scores(false)")
conc=$(best_of_3 "SELECT oversight.refresh_scores(true)")
report_sql_mv="SELECT unit_code, avg(score) FROM oversight.unit_monthly_score GROUP BY unit_code"
report_sql_live="SELECT subject_code, avg(score) FROM oversight.monthly_score_live WHERE scope = 'unit' GROUP BY subject_code"
report_mv=$(best_of_3 "$report_sql_mv")
report_live=$(best_of_3 "$report_sql_live")
rows=$(q1 "SELECT string_agg(view_name || ' ' || row_count, ', ' ORDER BY view_name) FROM oversight.score_refresh")
echo "  materialized: $rows"

# reader_max_ms CONCURRENTLY: a refresh holds its lock for 2 s more (pg_sleep before COMMIT) while a
# reader queries oversight.unit_scores 10 times; prints the slowest read in milliseconds.
reader_max_ms() {
	"${PSQL[@]}" -c "BEGIN" -c "SELECT oversight.refresh_scores($1)" -c "SELECT pg_sleep(2)" -c "COMMIT" >/dev/null &
	local writer=$! worst=0 t
	sleep 0.5
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		t=$(ms "SELECT count(*), avg(score) FROM oversight.unit_scores")
		worst=$(echo "$t $worst" | awk '{print ($1 > $2) ? $1 : $2}')
	done
	wait $writer
	echo "$worst"
}
reader_alone=$(best_of_3 "SELECT count(*), avg(score) FROM oversight.unit_scores")
reader_conc=$(reader_max_ms true)
reader_plain=$(reader_max_ms false)

printf '  %-58s %10s\n' "baseline: every monthly score computed live (ms)" "$live"
printf '  %-58s %10s\n' "full refresh of the three materialized views (ms)" "$full"
printf '  %-58s %10s\n' "concurrent refresh (ms)" "$conc"
printf '  %-58s %10s\n' "report from the materialized view (ms)" "$report_mv"
printf '  %-58s %10s\n' "same report computed live (ms)" "$report_live"
printf '  %-58s %10s\n' "reader alone, oversight.unit_scores (ms)" "$reader_alone"
printf '  %-58s %10s\n' "slowest read during a concurrent refresh held 2 s (ms)" "$reader_conc"
printf '  %-58s %10s\n' "slowest read during a plain refresh held 2 s (ms)" "$reader_plain"
printf '  ratios: full refresh / live computation %.2f; concurrent / full refresh %.2f; report live / from the view %.0f×\n' \
	"$(echo "$full / $live" | bc -l)" "$(echo "$conc / $full" | bc -l)" "$(echo "$report_live / $report_mv" | bc -l)"
{
	echo "measure,ms"
	echo "live_computation,$live"
	echo "full_refresh,$full"
	echo "concurrent_refresh,$conc"
	echo "report_from_view,$report_mv"
	echo "report_live,$report_live"
	echo "reader_alone,$reader_alone"
	echo "reader_max_during_concurrent_refresh,$reader_conc"
	echo "reader_max_during_plain_refresh,$reader_plain"
} >"$OUT/scores.csv"
[ -n "${BENCH_KEEP:-}" ] || "${PSQL[@]}" -d postgres -c "DROP DATABASE $DB" >/dev/null
