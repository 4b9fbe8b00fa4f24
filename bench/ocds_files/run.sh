#!/usr/bin/env bash
# Per-file OCDS loading (issue 12, benchmarks): RELEASES synthetic releases (default 100,000; BENCH_QUICK=1:
# 10,000), of RELEASES/4 processes (planning, tender, award and contract releases: budget, items, tenderers
# and suppliers named without ids, bids, relatedBid, a transaction), loaded one release per file in a
# shuffled order, against the same releases in one package, same run, same machine. Both databases must be
# identical (tests/loader/ocds_canonical.sql: every canonical row, compiled document, mapped detail and
# note); the figure is the time ratio per-file / package, and where the per-file time goes: the loads
# themselves (the loader's own seconds, reading to commit) against starting the loader and connecting, and
# the compilations (per file, each release recompiles its process from all its stored releases).
# Writes bench/out/ocds_files.csv. Needs a running cluster (PGHOST/PGPORT/PGUSER) and a built loader.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=${OVERSIGHT_ROOT:-$(cd "$HERE/../.." && pwd)}
LOADER=${LOADER:-$ROOT/loader/build/oversight-load}
RELEASES=${BENCH_OCDS_RELEASES:-100000}
if [ -n "${BENCH_QUICK:-}" ]; then RELEASES=10000; fi
[ -x "$LOADER" ] || { echo "build the loader first: make -C loader" >&2; exit 1; }
source "$ROOT/bench/lib.sh"
bench_begin ocds_files
export PGOPTIONS="-c oversight.now=2025-06-30T10:00:00+08:00"
FILES_DB=${DB}_per_file
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $FILES_DB" -c "CREATE DATABASE $FILES_DB" >/dev/null
trap 'rm -rf "$WORK"; psql -Xq -d postgres -c "DROP DATABASE IF EXISTS $FILES_DB" >/dev/null 2>&1 || true' EXIT
for db in "$DB" "$FILES_DB"; do
	"${PSQL[@]}" -d "$db" -c "CREATE EXTENSION oversight" \
		-c "INSERT INTO oversight.setting (setting_key, setting_value, changed_reason) VALUES ('clock.injectable', 'true', 'benchmark data are dated 2024')" >/dev/null
done

python3 - "$WORK" "$RELEASES" <<'PY'
import json, os, random, sys
work, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(12)
suppliers = ['供应商%04d有限公司' % i for i in range(2000)]
os.makedirs(work + '/files')
releases = []
for p in range(n // 4):
    ocid = 'ocds-bench-%06d' % p
    names = rng.sample(suppliers, 3)
    day = 1 + p % 28
    date = lambda month: '2024-%02d-%02dT09:00:00+08:00' % (month, day)
    amount = 10000 + (p * 7919) % 900000
    releases.append({'ocid': ocid, 'id': ocid + '-1', 'date': date(1), 'tag': ['planning'], 'buyer': {'name': '单位%03d' % (p % 200)},
                     'planning': {'budget': {'id': 'B%d' % p, 'amount': {'amount': amount * 2, 'currency': 'CNY'}, 'projectID': 'P%d' % p,
                                             'period': {'startDate': '2024-01-01T00:00:00+08:00', 'endDate': '2024-12-31T00:00:00+08:00'}}}})
    releases.append({'ocid': ocid, 'id': ocid + '-2', 'date': date(2), 'tag': ['tender'],
                     'tender': {'id': 't', 'title': '采购项目%d' % p, 'status': 'active', 'procurementMethod': 'open',
                                'value': {'amount': amount, 'currency': 'CNY'},
                                'tenderPeriod': {'startDate': date(2), 'endDate': date(3)},
                                'items': [{'id': str(i), 'classification': {'scheme': 'CPV', 'id': '3916%04d' % i}, 'quantity': 10 * i,
                                           'unit': {'name': '件', 'value': {'amount': 100 + i, 'currency': 'CNY'}}} for i in (1, 2)],
                                'tenderers': [{'name': s} for s in names]}})
    releases.append({'ocid': ocid, 'id': ocid + '-3', 'date': date(4), 'tag': ['award'],
                     'bids': {'details': [{'id': 'b%d' % i, 'status': ('qualified', 'not-qualified', 'valid')[i],
                                           'value': {'amount': amount - i * 100, 'currency': 'CNY'}, 'tenderers': [{'name': s}]}
                                          for i, s in enumerate(names)]},
                     'awards': [{'id': 'a1', 'status': 'active', 'relatedBid': 'b0', 'suppliers': [{'name': names[0]}],
                                 'value': {'amount': amount, 'currency': 'CNY'}}]})
    releases.append({'ocid': ocid, 'id': ocid + '-4', 'date': date(5), 'tag': ['contract'],
                     'contracts': [{'id': 'c1', 'awardID': 'a1', 'value': {'amount': amount, 'currency': 'CNY'},
                                    'implementation': {'transactions': [{'id': 'x1', 'value': {'amount': amount // 2, 'currency': 'CNY'},
                                                                         'payee': {'name': names[0]}}]}}]})
files = []
for i, r in enumerate(releases):
    name = '%s/files/%06d.json' % (work, i)
    with open(name, 'w') as f:
        json.dump(r, f, ensure_ascii=False)
    files.append(name)
rng.shuffle(files)
open(work + '/order', 'w').write('\n'.join(files) + '\n')
with open(work + '/package.json', 'w') as f:
    json.dump({'version': '1.1', 'releases': releases}, f, ensure_ascii=False)
PY
echo "OCDS per file: $RELEASES releases of $((RELEASES / 4)) processes, one release per file in a shuffled order, vs one package"

# timed NAME DB COMMAND…: wall seconds of the command (its JSON summaries into $WORK/NAME.summaries).
timed() {
	local name=$1 db=$2 t0 t1
	shift 2
	t0=$(date +%s.%N)
	"$@" >"$WORK/$name.summaries"
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc -l >"$WORK/$name.seconds"
}
# The loader's own seconds (reading to commit) and processes compiled, summed over the loads of a run.
summed() { python3 -c 'import json, sys
s = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
print(len(s), round(sum(x["seconds"] for x in s), 2), sum(x.get("details", {}).get("processes compiled", 0) for x in s),
      sum(1 for x in s if x["status"] != "committed"))' "$WORK/$1.summaries"; }

timed package "$DB" "$LOADER" --dsn "dbname=$DB" ocds --json -q --no-progress --reject-dir "$WORK" "$WORK/package.json"
# One loader per batch of 1,000 files (an argument list of 100,000 paths is too long); each file is its own load.
timed per_file "$FILES_DB" xargs -a "$WORK/order" -n 1000 "$LOADER" --dsn "dbname=$FILES_DB" ocds --json -q --no-progress --reject-dir "$WORK"
read -r p_loads p_seconds p_compiled p_failed < <(summed package)
read -r f_loads f_seconds f_compiled f_failed < <(summed per_file)
[ "$p_failed" = 0 ] && [ "$f_failed" = 0 ] || { echo "a load did not commit" >&2; exit 1; }

PSQL_OUT=(psql -XAtq -v ON_ERROR_STOP=1 -f "$ROOT/tests/loader/ocds_canonical.sql")
"${PSQL_OUT[@]}" -d "$DB" >"$WORK/package.rows"
"${PSQL_OUT[@]}" -d "$FILES_DB" >"$WORK/per_file.rows"
rows=$(wc -l <"$WORK/package.rows")
if cmp -s "$WORK/package.rows" "$WORK/per_file.rows"; then same=yes; else same=no; diff "$WORK/package.rows" "$WORK/per_file.rows" | head -4 | cut -c1-200; fi

p_wall=$(cat "$WORK/package.seconds")
f_wall=$(cat "$WORK/per_file.seconds")
ratio=$(echo "$f_wall / $p_wall" | bc -l)
printf '  %-9s %9.1f s wall  %6s loads  %9.1f s in the loads  %7s process compilations\n' package "$p_wall" "$p_loads" "$p_seconds" "$p_compiled"
printf '  %-9s %9.1f s wall  %6s loads  %9.1f s in the loads  %7s process compilations\n' per-file "$f_wall" "$f_loads" "$f_seconds" "$f_compiled"
printf '  per file / package: %.1f×; per file, %.1f ms a load, %.1f ms a file outside the loads (starting the loader, connecting)\n' \
	"$ratio" "$(echo "1000 * $f_seconds / $f_loads" | bc -l)" "$(echo "1000 * ($f_wall - $f_seconds) / $f_loads" | bc -l)"
echo "  same database (canonical rows, compiled documents, mapped details and notes, $rows rows): $same"
{
	echo "releases,processes,package_wall_s,package_load_s,per_file_wall_s,per_file_load_s,per_file_loads,per_file_compilations,ratio,rows_compared,same"
	printf '%s,%s,%.2f,%.2f,%.2f,%.2f,%s,%s,%.2f,%s,%s\n' "$RELEASES" "$((RELEASES / 4))" "$p_wall" "$p_seconds" "$f_wall" "$f_seconds" "$f_loads" "$f_compiled" "$ratio" "$rows" "$same"
} >"$OUT/ocds_files.csv"
[ "$same" = yes ]
