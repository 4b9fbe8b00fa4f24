#!/usr/bin/env bash
# Indicators benchmark (issue 12), run against an already running cluster (PGHOST/PGPORT/PGUSER set,
# OVERSIGHT_ROOT set, the extension installed). Creates its own database, prints figures and writes
# bench/out/indicators.csv.
#
# Synthetic compiled releases with bids and awards (generate.sql) at 10k, 100k and 1M processes; at each
# size, in a fresh session each:
#   - all eleven indicators with Cardinal's defaults (oversight.indicator_compute, the computation of a
#     run): time, and the backend's peak resident memory (VmHWM) with, after the run, its shared part
#     (RssShmem: shared buffers it touched) and file part (RssFile: the server's and extension's code), so
#     peak private memory ≤ VmHWM − RssShmem − RssFile; growth is the time ratio to the previous size
#     (10 = linear);
#   - R003, R018 and R024 natively, against the same three as straightforward SQL over jsonb
#     (baseline.sql): speedup = SQL time / native time, and whether both flag the same processes.
# BENCH_QUICK=1: 10k and 100k only.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=${OVERSIGHT_ROOT:-$(cd "$HERE/../.." && pwd)}
SIZES="10000 100000 1000000"
if [ -n "${BENCH_QUICK:-}" ]; then SIZES="10000 100000"; fi
source "$ROOT/bench/lib.sh"
bench_begin indicators
export PGOPTIONS="-c client_min_messages=warning"
"${PSQL[@]}" -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION oversight' >/dev/null

now_ms() { date +%s%3N; }
# A psql session's output, fields separated by '|', no headers.
q() { "${PSQL[@]}" -At "$@"; }
# The backend's memory after the statements of its session, in KiB: its peak resident size, and the
# peak less its current shared and file-backed parts (an upper bound of its peak private memory).
MEMORY="SELECT m[1] || ' ' || (m[1]::bigint - m[2]::bigint - m[3]::bigint) FROM pg_read_file('/proc/self/status') s,
  LATERAL (SELECT ARRAY[(regexp_match(s, 'VmHWM:\s+(\d+)'))[1], (regexp_match(s, 'RssFile:\s+(\d+)'))[1], (regexp_match(s, 'RssShmem:\s+(\d+)'))[1]]) x(m)"
THREE='{"R003": {}, "R018": {}, "R024": {}}'

CSV=$OUT/indicators.csv
echo "processes,all_ms,all_core_ms,peak_rss_kib,peak_private_kib_at_most,growth,native3_ms,sql3_ms,speedup,same_results" >"$CSV"
prev_ms=
for n in $SIZES; do
	q -c "SET session_replication_role = replica" -c "TRUNCATE oversight.procurement_process CASCADE" >/dev/null
	q -v n="$n" -f "$HERE/generate.sql" >/dev/null
	t0=$(now_ms)
	read -r rows core_ms hwm anon < <(q -F ' ' -c "SELECT jsonb_array_length(x -> 'rows'), round((x ->> 'duration_ms')::numeric) FROM (SELECT oversight.indicator_compute(NULL, NULL, NULL, NULL) x) s" -c "$MEMORY" | tr '\n' ' '; echo)
	all_ms=$(($(now_ms) - t0))
	t0=$(now_ms)
	q -c "CREATE TEMP TABLE native AS SELECT r ->> 0 AS grp, r ->> 1 AS ocid, r ->> 2 AS indicator FROM jsonb_array_elements(oversight.indicator_compute('$THREE', NULL, NULL, NULL) -> 'rows') r" >/dev/null
	native_ms=$(($(now_ms) - t0))
	t0=$(now_ms)
	q -v currency=USD -f "$HERE/baseline.sql" >/dev/null
	sql_ms=$(($(now_ms) - t0))
	# Same processes flagged by both (a session of its own: both computed again, untimed).
	diff=$(q -c "CREATE TEMP TABLE native AS SELECT r ->> 2 AS indicator, r ->> 1 AS ocid FROM jsonb_array_elements(oversight.indicator_compute('$THREE', NULL, NULL, NULL) -> 'rows') r" \
	         -v currency=USD -f "$HERE/baseline.sql" \
	         -c "SELECT count(*) FROM ((SELECT indicator, ocid FROM native EXCEPT SELECT indicator, ocid FROM baseline_result) UNION ALL (SELECT indicator, ocid FROM baseline_result EXCEPT SELECT indicator, ocid FROM native)) d")
	same=$([ "$diff" = 0 ] && echo yes || echo "no ($diff differ)")
	growth=$([ -n "$prev_ms" ] && awk -v a="$all_ms" -v b="$prev_ms" 'BEGIN {printf "%.1f", a / b}' || echo "")
	speedup=$(awk -v a="$sql_ms" -v b="$native_ms" 'BEGIN {printf "%.1f", a / b}')
	printf '%9s processes: all 11 indicators %6s ms (core %s ms, %s result rows), peak RSS %s KiB (private at most %s KiB)%s\n' \
		"$n" "$all_ms" "$core_ms" "$rows" "$hwm" "$anon" "${growth:+, growth ×$growth}"
	printf '%9s            R003+R018+R024: native %s ms, SQL over jsonb %s ms: native %s× faster; same results: %s\n' \
		"" "$native_ms" "$sql_ms" "$speedup" "$same"
	echo "$n,$all_ms,$core_ms,$hwm,$anon,$growth,$native_ms,$sql_ms,$speedup,$same" >>"$CSV"
	prev_ms=$all_ms
done
