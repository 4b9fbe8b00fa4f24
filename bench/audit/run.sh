#!/usr/bin/env bash
# Audit-trail benchmark (issue 7), run against an already running cluster (PGHOST/PGPORT/PGUSER set,
# OVERSIGHT_ROOT set, the extension installed). Creates its own database, prints ratios and writes
# bench/out/audit.csv.
#
# pgbench, single-row UPDATEs of random payments of oversight.payment (BENCH_AUDIT_ROWS rows, default
# 100,000), at 1, 4 and 8 clients, BENCH_AUDIT_SECONDS each (default 20): the same table with its audit
# trigger enabled vs disabled, in the same run, in two setups — with the default rule set watching the
# table (production), and with the rule engine's triggers disabled too (the audit trigger's cost alone).
# Target: audited writes lose ≤ 15% throughput at 4 and 8 clients (0.2.0 serialised every audited write
# on one advisory lock: 420–520 tps audited vs 1,800–3,200 unaudited).
# Then the seal of everything written, timed: the work moved out of the write path.
# BENCH_QUICK=1: 20,000 rows, 5 s per point.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=${OVERSIGHT_ROOT:-$(cd "$HERE/../.." && pwd)}
ROWS=${BENCH_AUDIT_ROWS:-100000}
SECONDS_PER_POINT=${BENCH_AUDIT_SECONDS:-20}
if [ -n "${BENCH_QUICK:-}" ]; then ROWS=20000; SECONDS_PER_POINT=5; fi
source "$ROOT/bench/lib.sh"
bench_begin audit
"${PSQL[@]}" >/dev/null <<SQL
SET client_min_messages = warning;
CREATE EXTENSION oversight;
SELECT oversight.install_default_rules();
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) VALUES ('U1', '单位一', 'budget_unit'), ('U2', '单位二', 'budget_unit');
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on, invoice_no)
SELECT 'P' || i, CASE WHEN i % 2 = 0 THEN 'U1' ELSE 'U2' END, 'payee ' || (i % 5000), 1000 + (i % 9000) + 0.37, 'transfer',
       date '2025-01-02' + (i % 300), 'INV-' || i
  FROM generate_series(1, $ROWS) i;
VACUUM ANALYZE oversight.payment;
SQL
cat >"$WORK/update.sql" <<SQL
\\set k random(1, $ROWS)
UPDATE oversight.payment SET purpose = 'bench ' || :k || ' ' || pg_catalog.clock_timestamp() WHERE payment_code = 'P' || :k;
SQL

# tps MODE CLIENTS: one pgbench point.
tps() {
	local jobs=$(($2 < $(nproc) ? $2 : $(nproc)))
	pgbench -n -M prepared -c "$2" -j "$jobs" -T "$SECONDS_PER_POINT" -f "$WORK/update.sql" "$DB" 2>"$WORK/pgbench.err" |
		sed -n 's/^tps = \([0-9.]*\) .*/\1/p' | head -1
}
set_triggers() { # set_triggers AUDIT(ENABLE|DISABLE) ENGINE(ENABLE|DISABLE)
	"${PSQL[@]}" -c "ALTER TABLE oversight.payment $1 TRIGGER payment_audit" \
		-c "ALTER TABLE oversight.payment $2 TRIGGER oversight_engine_update" -c "CHECKPOINT" >/dev/null
}

echo "setup,clients,audited_tps,unaudited_tps,ratio" >"$OUT/audit.csv"
printf '  %-10s %7s %12s %14s %7s\n' setup clients audited_tps unaudited_tps ratio
for setup in rules bare; do
	engine=ENABLE
	[ "$setup" = bare ] && engine=DISABLE
	for clients in 1 4 8; do
		# interleaved, unaudited first: neither variant always runs on a warmer cache
		set_triggers DISABLE $engine
		plain=$(tps unaudited "$clients")
		set_triggers ENABLE $engine
		audited=$(tps audited "$clients")
		ratio=$(echo "$audited / $plain" | bc -l)
		printf '  %-10s %7s %12.0f %14.0f %7.3f\n' "$setup" "$clients" "$audited" "$plain" "$ratio"
		printf '%s,%s,%.1f,%.1f,%.3f\n' "$setup" "$clients" "$audited" "$plain" "$ratio" >>"$OUT/audit.csv"
	done
done
set_triggers ENABLE ENABLE

# Sealing: the ordering work the write path no longer does, done afterwards in batches.
entries=$("${PSQL[@]}" -At -c "SELECT count(*) FROM oversight.audit_log")
"${PSQL[@]}" -c "SELECT oversight.seal_audit()" >/dev/null
t0=$(date +%s.%N)
"${PSQL[@]}" -c "SELECT oversight.seal_audit()" >/dev/null
t1=$(date +%s.%N)
seal_s=$(echo "$t1 - $t0" | bc -l)
t0=$(date +%s.%N)
problem=$("${PSQL[@]}" -At -c "SELECT coalesce(problem, 'ok') FROM oversight.verify_audit_chain()")
t1=$(date +%s.%N)
verify_s=$(echo "$t1 - $t0" | bc -l)
printf '  sealing %s entries: %.2f s (%.0f entries/s); verifying the trail: %.2f s (%s)\n' "$entries" "$seal_s" \
	"$(echo "$entries / $seal_s" | bc -l)" "$verify_s" "$problem"
echo "entries,seal_seconds,verify_seconds" >"$OUT/audit_seal.csv"
printf '%s,%.3f,%.3f\n' "$entries" "$seal_s" "$verify_s" >>"$OUT/audit_seal.csv"
"${PSQL[@]}" -d postgres -c "DROP DATABASE $DB" >/dev/null
