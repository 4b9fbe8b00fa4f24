#!/usr/bin/env bash
# Loader benchmark (issue 4). Needs a running cluster (PGHOST/PGPORT/PGUSER), OVERSIGHT_ROOT and a built loader.
# Measures, in one run on the same machine:
#   1. loader throughput streaming 1,000,000 payment rows (UTF-8 CSV) into its staging table, against
#      psql \copy of the same file into a table of the same shape (target: ratio ≥ 0.8);
#   2. the same file in GB18030 against UTF-8 (target: within 10%);
#   3. peak RSS of the loader for a 1 GB input (target: flat, independent of the file size);
#   4. end to end: the full load (validation, merge into oversight.payment with its rules, ledger) of the
#      1,000,000 rows against psql \copy of the same file into an unwatched copy of oversight.payment (same
#      columns, defaults, checks and indexes), and where the time goes: staging, the loader's checks and
#      merge without rules (a second database where oversight.payment is not watched), the rules.
# Prints ratios and writes bench/out/loader.csv. Each timing is the best of BENCH_REPEAT runs (default 3).
set -euo pipefail
: "${OVERSIGHT_ROOT:?set OVERSIGHT_ROOT to the repository}"
LOADER=${LOADER:-$OVERSIGHT_ROOT/loader/build/oversight-load}
ROWS=${BENCH_ROWS:-1000000}
REPEAT=${BENCH_REPEAT:-3}
BIG_MB=${BENCH_BIG_MB:-1024}
OUT=$OVERSIGHT_ROOT/bench/out
mkdir -p "$OUT"
WORK=$(mktemp -d -t oversight-bench.XXXXXX)
DB=oversight_bench_loader_$$
DB_NORULES=${DB}_norules
cleanup() { dropdb --if-exists "$DB" 2>/dev/null || true; dropdb --if-exists "$DB_NORULES" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
[ -x "$LOADER" ] || { echo "build the loader first: make -C loader" >&2; exit 1; }
export PGOPTIONS="-c oversight.now=2025-06-30T10:00:00+08:00"

printf 'unit_code,name_zh,unit_kind\nEDU01,市第一中学,budget_unit\nHLT02,市中心医院,budget_unit\n' >"$WORK/units.csv"
for db in "$DB" "$DB_NORULES"; do
	createdb "$db"
	psql -XqAt -v ON_ERROR_STOP=1 -d "$db" -c "CREATE EXTENSION oversight" \
		-c "INSERT INTO oversight.setting (setting_key, setting_value, changed_reason) VALUES ('clock.injectable', 'true', 'benchmark data are dated 2025')" \
		-c "SELECT oversight.install_default_rules()" >/dev/null
	"$LOADER" --dsn "dbname=$db" org-units -q "$WORK/units.csv" >/dev/null 2>&1
done
psql -XqAt -v ON_ERROR_STOP=1 -d "$DB_NORULES" -c "SELECT oversight.unwatch('oversight.payment')" >/dev/null

# Canonical English header and ISO values, so that psql \copy can read the very same file.
echo "generating $ROWS payment rows…" >&2
awk -v n="$ROWS" 'BEGIN {
	print "payment_code,payer_unit_code,payee_name,amount,payment_method,paid_on,purpose,expense_type,invoice_no"
	split("办公用品采购,会议费,差旅费,印刷费,物业管理费,维修费,培训费,公务接待", purpose, ",")
	for (i = 1; i <= n; i++)
		printf "PAY%08d,%s,供应商%05d有限公司,%d.%02d,%s,2024-%02d-%02d,%s,%s,INV%09d\n", i, (i % 2 ? "EDU01" : "HLT02"), i % 20000,
		       (i * 7919) % 100000 + 1, i % 100, (i % 3 ? "transfer" : "official_card"), i % 12 + 1, i % 28 + 1, purpose[i % 8 + 1], "office", i
}' >"$WORK/payments-utf8.csv"
iconv -f UTF-8 -t GB18030 "$WORK/payments-utf8.csv" >"$WORK/payments-gb18030.csv"
MB=$(du -m "$WORK/payments-utf8.csv" | cut -f1)

now() { date +%s.%N; }
best_of() { # best_of COMMAND…: the shortest wall time of REPEAT runs, in seconds
	local best="" t0 t1 t
	for _ in $(seq 1 "$REPEAT"); do
		t0=$(now); "$@" >/dev/null 2>"$WORK/last.err" || { cat "$WORK/last.err" >&2; return 1; }; t1=$(now)
		t=$(echo "$t1 - $t0" | bc -l)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
	done
	echo "$best"
}
loader_staging() { "$LOADER" --dsn "dbname=$DB" payments --stop-after-staging -q --no-progress "$@"; }
# psql \copy into a temporary table of the loader's staging shape (line_no, then the typed columns; rows the
# loader refuses go to a table of their own), same session.
psql_copy() { # psql_copy FILE ENCODING
	psql -XqAt -v ON_ERROR_STOP=1 -d "$DB" <<SQL
CREATE TEMP TABLE oversight_stage (line_no bigint NOT NULL DEFAULT 0, payment_code text, payer_unit_code text,
  payee_name text, amount numeric, payment_method text, paid_on date, purpose text, expense_type text, invoice_no text);
\copy oversight_stage (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on, purpose, expense_type, invoice_no) FROM '$1' WITH (FORMAT csv, HEADER, ENCODING '$2')
SQL
}

echo "timing ($REPEAT runs each, best kept)…" >&2
t_psql=$(best_of psql_copy "$WORK/payments-utf8.csv" UTF8)
t_loader=$(best_of loader_staging "$WORK/payments-utf8.csv")
t_loader_gb=$(best_of loader_staging "$WORK/payments-gb18030.csv")
t_psql_gb=$(best_of psql_copy "$WORK/payments-gb18030.csv" GB18030)
t0=$(now); "$LOADER" --dsn "dbname=$DB" payments -q --no-progress "$WORK/payments-utf8.csv" >/dev/null 2>&1; t1=$(now)
t_full=$(echo "$t1 - $t0" | bc -l)
t0=$(now); "$LOADER" --dsn "dbname=$DB_NORULES" payments -q --no-progress "$WORK/payments-utf8.csv" >/dev/null 2>&1; t1=$(now)
t_full_norules=$(echo "$t1 - $t0" | bc -l)
# The same file into an unwatched copy of oversight.payment (fresh for each run).
copy_payment() {
	psql -XqAt -v ON_ERROR_STOP=1 -d "$DB_NORULES" <<SQL
DROP TABLE IF EXISTS public.payment_copy;
CREATE TABLE public.payment_copy (LIKE oversight.payment INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES INCLUDING GENERATED);
\copy public.payment_copy (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on, purpose, expense_type, invoice_no) FROM '$WORK/payments-utf8.csv' WITH (FORMAT csv, HEADER)
SQL
}
t_copy_payment=$(best_of copy_payment)
alerts_full=$(psql -XqAt -d "$DB" -c "SELECT count(*) FROM oversight.alert")

# 1 GB input: the 1M-row file repeated (keys repeat too: staging does not care), loader RSS sampled.
echo "building a ${BIG_MB} MB input…" >&2
head -1 "$WORK/payments-utf8.csv" >"$WORK/big.csv"
while [ "$(du -m "$WORK/big.csv" | cut -f1)" -lt "$BIG_MB" ]; do tail -n +2 "$WORK/payments-utf8.csv" >>"$WORK/big.csv"; done
big_mb=$(du -m "$WORK/big.csv" | cut -f1)
if [ -x /usr/bin/time ]; then
	/usr/bin/time -v "$LOADER" --dsn "dbname=$DB" payments --stop-after-staging -q --no-progress "$WORK/big.csv" >/dev/null 2>"$WORK/time.err"
	rss_big=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.err")
	/usr/bin/time -v "$LOADER" --dsn "dbname=$DB" payments --stop-after-staging -q --no-progress "$WORK/units.csv" >/dev/null 2>"$WORK/time.err" || true
	rss_small=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.err")
else # poll /proc for VmHWM
	"$LOADER" --dsn "dbname=$DB" payments --stop-after-staging -q --no-progress "$WORK/big.csv" >/dev/null 2>&1 &
	pid=$!; rss_big=0
	while kill -0 "$pid" 2>/dev/null; do
		v=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\).*/\1/p' /proc/$pid/status 2>/dev/null || true); [ -n "$v" ] && rss_big=$v; sleep 0.2
	done
	rss_small=NA
fi

ratio() { echo "scale=3; $1 / $2" | bc -l; }
e2e_ratio=$(ratio "$t_copy_payment" "$t_full")
tp_ratio=$(ratio "$t_psql" "$t_loader")      # throughput ratio = inverse time ratio
gb_ratio=$(ratio "$t_loader" "$t_loader_gb")
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
{
	echo "metric,value,unit,note"
	echo "rows,$ROWS,rows,payments CSV ${MB} MB"
	echo "psql_copy_utf8_seconds,$t_psql,s,best of $REPEAT"
	echo "loader_staging_utf8_seconds,$t_loader,s,best of $REPEAT"
	echo "loader_vs_psql_copy_throughput,$tp_ratio,ratio,target >= 0.8"
	echo "psql_copy_gb18030_seconds,$t_psql_gb,s,best of $REPEAT"
	echo "loader_staging_gb18030_seconds,$t_loader_gb,s,best of $REPEAT"
	echo "gb18030_vs_utf8_throughput,$gb_ratio,ratio,target >= 0.9"
	echo "loader_full_load_utf8_seconds,$t_full,s,validate + stage + merge + ledger + rules"
	echo "loader_full_load_no_rules_seconds,$t_full_norules,s,the same into a database where oversight.payment is not watched"
	echo "psql_copy_payment_copy_seconds,$t_copy_payment,s,psql \\copy into an unwatched copy of oversight.payment (best of $REPEAT)"
	echo "end_to_end_vs_copy_throughput,$e2e_ratio,ratio,loader full load vs psql \\copy (information)"
	echo "loader_peak_rss_big_kb,$rss_big,kB,input ${big_mb} MB"
	echo "loader_peak_rss_tiny_kb,$rss_small,kB,input of 3 lines"
	echo "machine,$(nproc) cores,,$cpu"
} >"$OUT/loader.csv"

printf '\nLoader benchmark (%s rows, %s MB; %s cores, %s)\n' "$ROWS" "$MB" "$(nproc)" "$cpu"
printf '  loader vs psql \\copy throughput (UTF-8):  %s   (target ≥ 0.8; %.2f s vs %.2f s; same staging shape: line_no + 9 typed columns)\n' "$tp_ratio" "$t_loader" "$t_psql"
printf '  (measured 2026-11 on 2 vCPUs AMD EPYC, PostgreSQL 15.20, fsync off: 0.95-0.96; GB18030 1.00-1.06; RSS 18.5 MB for 1 GB)\n'
printf '  GB18030 vs UTF-8 loader throughput:      %s   (target ≥ 0.9; %.2f s vs %.2f s)\n' "$gb_ratio" "$t_loader_gb" "$t_loader"
printf '  full load incl. merge (UTF-8):           %.2f s = %.0f rows/s (%s alerts)\n' "$t_full" "$(echo "$ROWS / $t_full" | bc -l)" "$alerts_full"
printf '  end to end vs psql \\copy into an unwatched copy of oversight.payment: %s (%.2f s vs %.2f s)\n' "$e2e_ratio" "$t_full" "$t_copy_payment"
printf '    where the time goes: staging %.2f s, checks + merge + ledger without rules %.2f s, rules %.2f s\n' \
	"$t_loader" "$(echo "$t_full_norules - $t_loader" | bc -l)" "$(echo "$t_full - $t_full_norules" | bc -l)"
printf '  peak RSS, %s MB input:                  %s kB (3-line input: %s kB)\n' "$big_mb" "$rss_big" "$rss_small"
printf '  written: %s\n' "$OUT/loader.csv"
