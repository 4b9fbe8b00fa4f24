#!/usr/bin/env bash
# Matter-rule benchmark (issue 9, item 1), run against an already running cluster (PGHOST/PGPORT/PGUSER
# set, OVERSIGHT_ROOT set, the extension installed). Creates its own database, prints figures and writes
# bench/out/matters.csv.
#
# COPY of BENCH_MATTERS_ROWS payments (default 1,000,000) into a table watched with the full default rule
# set, with the default matter rules on vs off (paused: oversight.rule.is_enabled), same data, same run,
# alternated (off, on, off, on): the matter rules may not cost more than 15 % of the watched load time
# (target: time on / time off ≤ 1.15). The data are bench/engine's payments, of which one in 50 is a
# large payment (500,000 to 4.7 million CNY): 20,000 matters per million rows, each with its obligation
# and its place on the ladder. The 200 paying units have a leader in charge and a chief, and the node
# FUND.PAY.LARGE no owner, so the people responsible are resolved per unit and day (the costlier path).
# BENCH_QUICK=1: 100,000 rows.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=${OVERSIGHT_ROOT:-$(cd "$HERE/../.." && pwd)}
ROWS=${BENCH_MATTERS_ROWS:-1000000}
if [ -n "${BENCH_QUICK:-}" ]; then ROWS=100000; fi
source "$ROOT/bench/lib.sh"
bench_begin matters
# The engine benchmark's schema, rules and generator; then the organisation the matters need.
"${PSQL[@]}" -f "$ROOT/bench/engine/setup.sql" >/dev/null
"${PSQL[@]}" >/dev/null <<'SQL'
SET client_min_messages = warning;
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind, parent_code) SELECT 'U' || u, '单位' || u, 'budget_unit', 'BENCH' FROM generate_series(0, 199) u;
INSERT INTO oversight.person (person_code, full_name) SELECT 'H' || h, '经办' || h FROM generate_series(0, 299) h;
INSERT INTO oversight.person (person_code, full_name) SELECT p || u, p || u FROM generate_series(0, 199) u, unnest(ARRAY['LEAD', 'CHIEF']) p;
INSERT INTO oversight.assignment (person_code, unit_code, assignment_role, valid_from)
SELECT p || u, 'U' || u, CASE p WHEN 'LEAD' THEN 'leader_in_charge' ELSE 'unit_head' END, '2024-01-01'
  FROM generate_series(0, 199) u, unnest(ARRAY['LEAD', 'CHIEF']) p;
SELECT oversight.watch('bench.payment', 'payment');
SQL
# bench/engine's payments, one in 50 made a large payment.
"${PSQL[@]}" -c "COPY (SELECT payment_code, payer_unit_code, payee_name, payee_account,
                              CASE WHEN substr(payment_code, 2)::bigint % 50 = 17 THEN 500000 + (substr(payment_code, 2)::bigint * 7919) % 4200000 ELSE amount END,
                              currency, purpose, expense_type, payment_method, contract_code, invoice_no, paid_on, requested_on, approved_at,
                              handler_code, approver_code, status
                         FROM bench.generate(1, $ROWS)) TO STDOUT (FORMAT csv)" >"$WORK/payments.csv"
chmod 644 "$WORK/payments.csv"

# load NAME ON|OFF: empties the table, the alerts and the matters, sets the matter rules, times one COPY.
load() {
	local name=$1 enabled=$2
	"${PSQL[@]}" -c "TRUNCATE bench.payment; TRUNCATE oversight.alert, oversight.alert_event, oversight.engine_fault CASCADE;
	                 TRUNCATE oversight.matter CASCADE; DELETE FROM oversight.escalation;" \
		-c "UPDATE oversight.rule SET is_enabled = $enabled WHERE rule_kind = 'matter_when'" \
		-c "VACUUM ANALYZE bench.payment, oversight.matter, oversight.obligation, oversight.escalation" -c "CHECKPOINT" >/dev/null 2>&1
	local t0 t1
	t0=$(date +%s.%N)
	"${PSQL[@]}" -c "COPY bench.payment FROM '$WORK/payments.csv' (FORMAT csv)" >/dev/null 2>"$WORK/$name.err" || { cat "$WORK/$name.err"; exit 1; }
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc -l >"$WORK/$name.seconds"
	read -r alerts matters obligations faults < <("${PSQL[@]}" -At -F' ' -c "SELECT (SELECT count(*) FROM oversight.alert), (SELECT count(*) FROM oversight.matter),
	                                                                         (SELECT count(*) FROM oversight.obligation), (SELECT count(*) FROM oversight.engine_fault)")
	echo "$matters" >"$WORK/$name.matters"
	printf '  %-14s %8.2f s  %8s alerts  %7s matters  %7s obligations  %s faults\n' "$name" "$(cat "$WORK/$name.seconds")" "$alerts" "$matters" "$obligations" "$faults"
}
secs() { cat "$WORK/$1.seconds"; }

echo "matter rules: COPY of $ROWS payments watched with the default rule set, matter rules off vs on (alternated)"
load off_1 false
load on_1 true
load off_2 false
load on_2 true
off=$(echo "($(secs off_1) + $(secs off_2)) / 2" | bc -l)
on=$(echo "($(secs on_1) + $(secs on_2)) / 2" | bc -l)
ratio=$(echo "scale=3; $on / $off" | bc -l)
share=$(echo "scale=3; ($on - $off) / $off" | bc -l)
matters=$(cat "$WORK/on_1.matters")
per_matter=$(echo "scale=1; ($on - $off) * 1000000 / $matters" | bc -l)
echo
echo "results:"
printf '  watched load, matter rules on / off: %s (mean of two loads each; target <= 1.15)\n' "$ratio"
printf '  cost of the matter rules: %s of the watched load time; %s matters, %s us per matter formed\n' "$share" "$matters" "$per_matter"
{
	echo "metric,value,unit,target"
	echo "rows,$ROWS,rows,"
	echo "matters,$matters,matters,"
	for v in off_1 on_1 off_2 on_2; do echo "seconds_$v,$(secs $v),s,"; done
	echo "load_time_ratio_matter_rules_on_vs_off,$ratio,ratio,<=1.15"
	echo "matter_rules_share_of_watched_load,$share,ratio,<=0.15"
	echo "microseconds_per_matter,$per_matter,us,"
} >"$OUT/matters.csv"
echo "written: $OUT/matters.csv"
"${PSQL[@]}" -d postgres -c "DROP DATABASE $DB" >/dev/null
