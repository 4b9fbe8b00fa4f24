#!/usr/bin/env bash
# Rule-engine benchmark, run against an already running cluster (PGHOST/PGPORT/PGUSER set; OVERSIGHT_ROOT
# set; the extension installed). Creates its own database, prints ratios and writes bench/out/engine.csv.
#
#   1. COPY of BENCH_ENGINE_ROWS payments (default 1,000,000) into a table watched by the C++ engine with
#      the full default rule set, vs into the same table unwatched (target, issue 8: ≥ 0.6 of unwatched throughput).
#   2. Peers on BENCH_ENGINE_PEER_ROWS rows (default 200,000), same rules, same data, same run:
#      (a) PL/pgSQL row triggers (target: C++ ≥ 5× faster), (b) set-based SQL statement triggers over
#      transition tables (target, issue 8: C++ ≥ 1.25×), writing their own light alert table, and (b') the same
#      set-based SQL recording through the product's recorder (oversight.record_hits: alert lifecycle,
#      events, documented NOTIFY payload), i.e. producing what the C++ engine produces.
#   The engine runs its batch statement and recorder without JIT; the SQL peers have SET jit = off too.
#   3. Single-row INSERT latency p50/p99 (pgbench, BENCH_ENGINE_LATENCY_TX transactions) with rules off,
#      on (statement-level triggers) and on (row-level triggers), on the loaded table (target, issue 8:
#      p50 with rules on ≤ 2× rules off; also with rules on and oversight.index_lookups off, the figure before the
#      small batches' look-ups). The C++ engine at row level vs the PL/pgSQL row triggers on the
#      peers' COPY: target ≥ 5×.
# The bulk COPYs and the statement-level peers (the close comparisons) run BENCH_ENGINE_ROUNDS alternated
# rounds (default 3) and their ratios compare medians.
# BENCH_QUICK=1 scales everything down (about a minute; one round).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=${OVERSIGHT_ROOT:-$(cd "$HERE/../.." && pwd)}
ROWS=${BENCH_ENGINE_ROWS:-1000000}
PEER_ROWS=${BENCH_ENGINE_PEER_ROWS:-200000}
LAT_TX=${BENCH_ENGINE_LATENCY_TX:-2000}
# The close comparisons (bulk watched/unwatched; C++ vs the set-based SQL peers) run this many alternated
# rounds and compare medians: one run of the SQL peer varied by a fifth between runs (1.98-2.38 s).
ROUNDS=${BENCH_ENGINE_ROUNDS:-3}
if [ -n "${BENCH_QUICK:-}" ]; then ROWS=100000; PEER_ROWS=20000; LAT_TX=300; ROUNDS=${BENCH_ENGINE_ROUNDS:-1}; fi
source "$ROOT/bench/lib.sh"
bench_begin engine
"${PSQL[@]}" -f "$HERE/setup.sql" >/dev/null
"${PSQL[@]}" -f "$HERE/peers.sql" >/dev/null
"${PSQL[@]}" -c "COPY (SELECT * FROM bench.generate(1, $ROWS)) TO STDOUT (FORMAT csv)" >"$WORK/big.csv"
"${PSQL[@]}" -c "COPY (SELECT * FROM bench.generate(1, $PEER_ROWS)) TO STDOUT (FORMAT csv)" >"$WORK/peer.csv"
chmod 644 "$WORK"/*.csv

detach='SELECT oversight.unwatch($$bench.payment$$); DROP TRIGGER IF EXISTS peer_row ON bench.payment; DROP TRIGGER IF EXISTS peer_stmt ON bench.payment;'
attach_cpp="$detach SELECT oversight.watch('bench.payment', 'payment');"
attach_cpp_row="$detach SELECT oversight.watch('bench.payment', 'payment', '{}', 'row');"
attach_plpgsql="$detach CREATE TRIGGER peer_row AFTER INSERT ON bench.payment FOR EACH ROW EXECUTE FUNCTION bench.plpgsql_row_rules();"
attach_sql="$detach CREATE TRIGGER peer_stmt AFTER INSERT ON bench.payment REFERENCING NEW TABLE AS nt FOR EACH STATEMENT EXECUTE FUNCTION bench.sql_statement_rules();"
attach_sql_rec="$detach CREATE TRIGGER peer_stmt AFTER INSERT ON bench.payment REFERENCING NEW TABLE AS nt FOR EACH STATEMENT EXECUTE FUNCTION bench.sql_statement_rules_recorded();"

# load NAME FILE ATTACH_SQL: empties the table and the alerts, attaches the variant, times one COPY.
load() {
	local name=$1 file=$2 attach=$3
	"${PSQL[@]}" -c "TRUNCATE bench.payment, bench.peer_alert; TRUNCATE oversight.alert, oversight.alert_event, oversight.engine_fault CASCADE;" \
		-c "$attach" -c "VACUUM ANALYZE bench.payment" -c "CHECKPOINT" >/dev/null 2>&1
	local t0 t1
	t0=$(date +%s.%N)
	"${PSQL[@]}" -c "COPY bench.payment FROM '$file' (FORMAT csv)" >/dev/null 2>"$WORK/$name.err" || { cat "$WORK/$name.err"; exit 1; }
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc -l >"$WORK/$name.seconds"
	"${PSQL[@]}" -At -F' ' -c "SELECT rule_code, count(*) FROM (SELECT rule_code FROM oversight.alert UNION ALL SELECT rule_code FROM bench.peer_alert) a GROUP BY 1 ORDER BY 1" >"$WORK/$name.alerts"
	"${PSQL[@]}" -At -c "SELECT count(*) FROM oversight.engine_fault" >"$WORK/$name.faults"
	printf '  %-26s %8.2f s  %10.0f rows/s  %6s alerts  %s faults\n' "$name" "$(cat "$WORK/$name.seconds")" \
		"$(echo "$(wc -l <"$file") / $(cat "$WORK/$name.seconds")" | bc -l)" "$(awk '{s += $2} END {print s + 0}' "$WORK/$name.alerts")" "$(cat "$WORK/$name.faults")"
}
secs() { cat "$WORK/$1.seconds"; }
# alternate NAME:FILE:ATTACH_VAR…: ROUNDS rounds of the variants in turn; NAME's time is then the median of
# its rounds (its alerts those of the last round, which must equal every other round's).
alternate() {
	local round spec name file var
	for round in $(seq "$ROUNDS"); do
		[ "$ROUNDS" -gt 1 ] && echo "  round $round:"
		for spec in "$@"; do
			IFS=: read -r name file var <<<"$spec"
			load "${name}_r$round" "$file" "${!var}"
		done
	done
	for spec in "$@"; do
		IFS=: read -r name _ _ <<<"$spec"
		for round in $(seq "$ROUNDS"); do
			cmp -s "$WORK/${name}_r1.alerts" "$WORK/${name}_r$round.alerts" || { echo "$name: round $round found other alerts"; exit 1; }
			cat "$WORK/${name}_r$round.seconds"
		done | sort -n | sed -n "$(((ROUNDS + 1) / 2))p" >"$WORK/$name.seconds"
		cp "$WORK/${name}_r$ROUNDS.alerts" "$WORK/$name.alerts"
		cp "$WORK/${name}_r$ROUNDS.faults" "$WORK/$name.faults"
		[ "$ROUNDS" -gt 1 ] && printf '  %-26s %8.2f s  median of %s rounds\n' "$name" "$(secs "$name")" "$ROUNDS"
	done
	return 0
}
ratio() { echo "scale=3; $(secs "$1") / $(secs "$2")" | bc -l; }

echo "engine benchmark: $ROWS rows bulk, $PEER_ROWS rows for the peers, $ROUNDS alternated rounds of each, $LAT_TX single-row inserts per latency run"
echo "bulk COPY ($ROWS rows):"
alternate "unwatched_bulk:$WORK/big.csv:detach" "cpp_bulk:$WORK/big.csv:attach_cpp"
echo "peers ($PEER_ROWS rows, same rules and data):"
# The peers implement the twelve payment rules of the comparison; the default rules they do not (the
# matter rules, PAY.SPLIT_UNDER_LIMIT) are paused for it, so that every variant runs the same rules.
"${PSQL[@]}" -c "UPDATE oversight.rule SET is_enabled = false WHERE record_kind = 'payment' AND rule_code NOT IN
  ('CASH.ANNUAL', 'CASH.MONTHLY', 'CASH.OFFICIAL_CARD', 'CASH.SINGLE', 'PAY.BEFORE_SIGNATURE', 'PAY.DUPLICATE', 'PAY.NEAR_DUPLICATE',
   'PAY.NONWORKING_APPROVAL', 'PAY.OVER_CONTRACT', 'PAY.ROUND_AMOUNT', 'PAY.STAFF_PAYEE', 'SOD.PAYMENT')" >/dev/null
alternate "unwatched_peer:$WORK/peer.csv:detach" "cpp_statement:$WORK/peer.csv:attach_cpp" "sql_statement:$WORK/peer.csv:attach_sql" \
	"sql_statement_recorded:$WORK/peer.csv:attach_sql_rec"
load plpgsql_row "$WORK/peer.csv" "$attach_plpgsql"
load cpp_row "$WORK/peer.csv" "$attach_cpp_row"

echo "alerts per rule (C++ statement | SQL statement | SQL statement, recorder | PL/pgSQL row | C++ row), $PEER_ROWS rows:"
join -a1 -a2 -e0 -o auto "$WORK/cpp_statement.alerts" "$WORK/sql_statement.alerts" | join -a1 -a2 -e0 -o auto - "$WORK/sql_statement_recorded.alerts" |
	join -a1 -a2 -e0 -o auto - "$WORK/plpgsql_row.alerts" | join -a1 -a2 -e0 -o auto - "$WORK/cpp_row.alerts" |
	awk '{printf "  %-26s %8s %8s %8s %8s %8s%s\n", $1, $2, $3, $4, $5, $6, ($2 == $3 && $3 == $4 && $4 == $5 && $5 == $6) ? "" : "   <-- differs"}'

"${PSQL[@]}" -c "UPDATE oversight.rule SET is_enabled = true" >/dev/null # the full default rule set again

# Single-row latency on the loaded table (the bulk data again, unwatched load).
"${PSQL[@]}" -c "TRUNCATE bench.payment; TRUNCATE oversight.alert, oversight.alert_event, oversight.engine_fault CASCADE;" -c "$detach" >/dev/null 2>&1
"${PSQL[@]}" -c "COPY bench.payment FROM '$WORK/big.csv' (FORMAT csv)" -c "VACUUM ANALYZE bench.payment" >/dev/null
cat >"$WORK/insert.sql" <<'SQL'
\set u random(0, 199)
\set p random(0, 49999)
\set a random(100, 90000)
\set d random(0, 359)
INSERT INTO bench.payment (payment_code, payer_unit_code, payee_name, payee_account, amount, payment_method, expense_type, invoice_no, paid_on, approved_at, handler_code, approver_code)
VALUES ('L' || nextval('bench.latency_seq'), 'U' || :u, 'payee ' || :p, 'ACC' || :p, :a, CASE WHEN :a % 50 = 0 THEN 'cash' ELSE 'transfer' END, 'office',
        'LINV' || currval('bench.latency_seq'), date '2025-01-01' + :d, (date '2025-01-01' + :d) + time '10:00', 'H1', 'A1');
SQL
# latency NAME ATTACH_SQL [SESSION_OPTIONS]: the single-row inserts, p50 and p99 (options: PGOPTIONS of the session).
latency() {
	local name=$1 attach=$2 options=${3:-}
	"${PSQL[@]}" -c "$attach" >/dev/null 2>&1
	(cd "$WORK" && PGOPTIONS="$options" pgbench -n -c 1 -t "$LAT_TX" -f insert.sql -l --log-prefix="lat_$name" "$DB" >"$WORK/pgbench_$name.out" 2>&1) ||
		{ cat "$WORK/pgbench_$name.out"; exit 1; }
	cat "$WORK"/lat_"$name".* | awk '{print $3}' | sort -n >"$WORK/$name.lat"
	local n p50 p99
	n=$(wc -l <"$WORK/$name.lat")
	p50=$(sed -n "$(((n + 1) / 2))p" "$WORK/$name.lat")
	p99=$(sed -n "$(((n * 99 + 99) / 100))p" "$WORK/$name.lat")
	echo "$p50 $p99" >"$WORK/$name.pct"
	printf '  %-26s p50 %7.3f ms   p99 %7.3f ms\n' "$name" "$(echo "$p50 / 1000" | bc -l)" "$(echo "$p99 / 1000" | bc -l)"
}
echo "single-row INSERT latency on a table of $ROWS rows ($LAT_TX transactions each):"
latency rules_off "$detach"
latency rules_on_statement "$attach_cpp"
# The same without the small batches' index look-ups (what each write cost before them; same alerts).
latency rules_on_no_lookups "$attach_cpp" "-c oversight.index_lookups=off"
latency rules_on_row "$attach_cpp_row"

bulk_ratio=$(ratio unwatched_bulk cpp_bulk)
plpgsql_speedup=$(ratio plpgsql_row cpp_statement)
sql_speedup=$(ratio sql_statement cpp_statement)
sql_rec_speedup=$(ratio sql_statement_recorded cpp_statement)
row_speedup=$(ratio plpgsql_row cpp_row)
read -r off_p50 _ <"$WORK/rules_off.pct"
read -r on_p50 _ <"$WORK/rules_on_statement.pct"
latency_ratio=$(echo "scale=2; $on_p50 / $off_p50" | bc -l)
read -r no_lookups_p50 _ <"$WORK/rules_on_no_lookups.pct"
latency_ratio_no_lookups=$(echo "scale=2; $no_lookups_p50 / $off_p50" | bc -l)
echo
echo "results:"
echo "  watched/unwatched bulk throughput: $bulk_ratio (target >= 0.6)"
echo "  C++ engine vs PL/pgSQL row triggers: ${plpgsql_speedup}x faster (target >= 5)"
echo "  C++ engine vs set-based SQL statement triggers: ${sql_speedup}x (target >= 1.25)"
echo "  C++ engine vs the same SQL recording through oversight.record_hits: ${sql_rec_speedup}x"
echo "  C++ row-level triggers vs PL/pgSQL row triggers: ${row_speedup}x (target >= 5)"
echo "  single-row INSERT p50, rules on (statement) vs off: ${latency_ratio}x (target <= 2); without index look-ups: ${latency_ratio_no_lookups}x"
echo "  (all ratios are of times measured in this run, the bulk and statement-level ones of medians of $ROUNDS alternated"
echo "   rounds; see bench/engine/README.md for where C++ wins and loses)"
{
	echo "metric,value,unit,target"
	echo "rows_bulk,$ROWS,rows,"
	echo "rows_peers,$PEER_ROWS,rows,"
	echo "rounds,$ROUNDS,rounds,"
	for v in unwatched_bulk cpp_bulk unwatched_peer cpp_statement sql_statement sql_statement_recorded plpgsql_row cpp_row; do echo "seconds_$v,$(secs $v),s,"; done
	echo "bulk_throughput_ratio_watched_vs_unwatched,$bulk_ratio,ratio,>=0.6"
	echo "speedup_vs_plpgsql_row_triggers,$plpgsql_speedup,ratio,>=5"
	echo "speedup_vs_sql_statement_triggers,$sql_speedup,ratio,>=1.25"
	echo "speedup_vs_sql_statement_triggers_same_recorder,$sql_rec_speedup,ratio,"
	echo "speedup_row_level_vs_plpgsql_row_triggers,$row_speedup,ratio,>=5"
	echo "latency_p50_ratio_rules_on_vs_off,$latency_ratio,ratio,<=2"
	echo "latency_p50_ratio_rules_on_without_lookups_vs_off,$latency_ratio_no_lookups,ratio,"
	for v in rules_off rules_on_statement rules_on_no_lookups rules_on_row; do
		read -r p50 p99 <"$WORK/$v.pct"
		echo "latency_p50_$v,$p50,us,"
		echo "latency_p99_$v,$p99,us,"
	done
} >"$OUT/engine.csv"
echo "written: $OUT/engine.csv"
