#!/usr/bin/env bash
# Sweeper benchmark (issue 9), run against an already running cluster (PGHOST/PGPORT/PGUSER set,
# OVERSIGHT_ROOT set, the extension installed). Creates its own database, prints figures and writes
# bench/out/supervision.csv.
#
# The sweeper's cost must follow the items due, not the items open: with 10,000 / 100,000 / 1,000,000 open
# obligations of which the same 100 (1 % of the smallest) have a ladder step due, one sweep is timed at
# each size (target: 1M / 10k ≤ 2), then a second sweep at the same moment (which must take nothing).
# The open obligations are written set-based (matters, obligations and their place on the ladder), as the
# matter rules would have left them, so the setup does not dominate the run.
# BENCH_QUICK=1: 10,000 / 30,000 / 100,000.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=${OVERSIGHT_ROOT:-$(cd "$HERE/../.." && pwd)}
SIZES=(10000 100000 1000000)
if [ -n "${BENCH_QUICK:-}" ]; then SIZES=(10000 30000 100000); fi
DUE=100
source "$ROOT/bench/lib.sh"
bench_begin supervision
"${PSQL[@]}" >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION oversight;
INSERT INTO oversight.setting (setting_key, setting_value, changed_reason) VALUES ('clock.injectable', 'true', 'benchmark replays 2024');
SELECT oversight.install_default_rules();
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) VALUES ('S1', '科室', 'section');
INSERT INTO oversight.person (person_code, full_name) VALUES ('H', '经办');
SQL

# grow_to N: adds open obligations until there are N; the first DUE of them have their prompt due on 28 June.
grow_to() {
	"${PSQL[@]}" >/dev/null <<SQL
SET client_min_messages = warning;
WITH have AS (SELECT count(*) AS n FROM oversight.matter),
     m AS (
  INSERT INTO oversight.matter (fingerprint, node_code, unit_code, event_date, title, handler_code, registered_at, registered_by)
  SELECT 'bench:' || i, 'PROC.METHOD.NONOPEN', 'S1', '2024-06-01', '事项 ' || i, 'H', now(), 'bench'
    FROM have, generate_series(have.n + 1, $1) i
  RETURNING matter_id),
     o AS (
  INSERT INTO oversight.obligation (matter_id, kind, due_on, person_code)
  SELECT matter_id, 'filing', CASE WHEN matter_id <= $DUE THEN date '2024-07-01' ELSE date '2024-12-31' END, 'H' FROM m
  RETURNING obligation_id, due_on)
INSERT INTO oversight.escalation (subject_kind, subject_id, ladder_version_id, due_on, next_step_no, next_step_on)
SELECT 'obligation', o.obligation_id, oversight.ladder_for('obligation', 'filing'), o.due_on, 1,
       CASE WHEN o.due_on = date '2024-07-01' THEN date '2024-06-28' ELSE date '2024-12-30' END
  FROM o;
VACUUM ANALYZE oversight.matter, oversight.obligation, oversight.escalation;
SQL
}
# sweep_ms: one sweep of the ladders as of 28 June 2024, 18:00; prints "milliseconds steps".
sweep_ms() {
	"${PSQL[@]}" -At -c "SELECT oversight.set_clock('2024-06-28 18:00+08')" \
		-c "SELECT extract(epoch FROM clock_timestamp()) * 1000" -c "SELECT steps_taken FROM oversight.escalate(oversight.now())" \
		-c "SELECT extract(epoch FROM clock_timestamp()) * 1000" | tail -3 | paste -sd' ' | awk '{printf "%.1f %d\n", $3 - $1, $2}'
}
# reset: the due obligations back before their step, so every size sweeps the same work.
reset_due() {
	"${PSQL[@]}" -c "DELETE FROM oversight.outbox; ALTER TABLE oversight.card DISABLE TRIGGER card_append_only; DELETE FROM oversight.card;
	                 ALTER TABLE oversight.card ENABLE TRIGGER card_append_only; DELETE FROM oversight.escalation_step;
	                 UPDATE oversight.escalation SET next_step_no = 1, next_step_on = date '2024-06-28', stopped_at = NULL WHERE due_on = date '2024-07-01'" >/dev/null
}

sweep_ms >/dev/null # warm-up: the functions' plans are cached before the first timed sweep
echo "open_obligations,due,first_sweep_ms,steps,second_sweep_ms,second_steps" >"$OUT/supervision.csv"
printf '  %16s %6s %16s %8s %17s\n' open_obligations due first_sweep_ms steps second_sweep_ms
declare -A first
for n in "${SIZES[@]}"; do
	grow_to "$n"
	reset_due
	read -r ms steps < <(sweep_ms)
	read -r ms2 steps2 < <(sweep_ms)
	first[$n]=$ms
	printf '  %16s %6s %16s %8s %17s\n' "$n" "$DUE" "$ms" "$steps" "$ms2 ($steps2 steps)"
	echo "$n,$DUE,$ms,$steps,$ms2,$steps2" >>"$OUT/supervision.csv"
done
ratio=$(echo "${first[${SIZES[2]}]} / ${first[${SIZES[0]}]}" | bc -l)
printf '  sweep time %s open / %s open: %.2f (target ≤ 2)\n' "${SIZES[2]}" "${SIZES[0]}" "$ratio"
echo "ratio_largest_vs_smallest,$ratio,," >>"$OUT/supervision.csv"
"${PSQL[@]}" -d postgres -c "DROP DATABASE $DB" >/dev/null
