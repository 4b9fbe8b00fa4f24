#!/usr/bin/env bash
# The demo (`make demo`): a throwaway cluster, the extension with its default catalog and rules, the
# bundled exports of a finance bureau loaded through oversight-load (CSV in UTF-8 and GB18030 with
# Chinese headers, and OCDS), the alerts printed live as the rules raise them, then the deadline sweep
# and what analysts and the discipline office see. Nothing outside a temporary folder is touched.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export OVERSIGHT_ROOT=$ROOT
source "$ROOT/scripts/cluster.sh"

make -s -C "$ROOT" >/dev/null
make -s -C "$ROOT/loader" >/dev/null
LOAD=$ROOT/loader/build/oversight-load
DATA=$ROOT/demo/data
echo "starting a throwaway PostgreSQL cluster…"
cluster_start
createdb demo
export PGDATABASE=demo
# The demo runs at a fixed moment (mid-July 2024, after the bundled Q1/Q2 exports), in the bureau's
# time zone, so its output does not depend on today's date.
export PGOPTIONS="-c oversight.now=2024-07-15T17:00:00+08:00 -c TimeZone=Asia/Shanghai"
# The demo database replays 2024 at a fixed date: an administrator allows the injected clock there
# (a production database refuses oversight.now; the setting is audited).
psql -Xq -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION oversight' \
	-c "INSERT INTO oversight.setting (setting_key, setting_value, changed_reason) VALUES ('clock.injectable', 'true', '演示库：回放2024年数据 / demo database replaying 2024')"
echo "extension oversight $(psql -XAtq -c "SELECT extversion FROM pg_extension WHERE extname = 'oversight'") installed"
REJECTS=$CLUSTER_WORK/rejects
mkdir -p "$REJECTS"

load() { # load KIND FILE: exit 4 means "committed, some rows quarantined" (the demo files have some on purpose)
	local rc=0
	"$LOAD" "$1" --no-progress --reject-dir "$REJECTS" "$DATA/$2" || rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 4 ]; then echo "oversight-load $1 $2 failed with exit code $rc" >&2; exit $rc; fi
}

echo
echo "== 1. The bureau's organisation (oversight-load)"
load org-units org-units.csv
load people people.csv
load assignments assignments.csv
load parties parties.csv
load budget-projects budget-projects.csv
load calendar calendar-2027.csv

echo
echo "== 2. Default power catalog (5 areas) and rule set; node owners"
psql -Xq -v ON_ERROR_STOP=1 -f "$ROOT/demo/setup.sql"
psql -XAtq -c "SELECT count(*) || ' key nodes, ' || (SELECT count(*) FROM oversight.rule) || ' rules approved, ' || (SELECT count(*) FROM oversight.watched_table) || ' tables watched' FROM oversight.key_node"

echo
echo "== 3. Treasury payments and procurement, with alerts printed live as the rules raise them"
"$LOAD" follow --timeout 120 &
follower=$!
sleep 1
load payments payments-2024Q1.csv
load payments payments-2024Q2-gb18030.csv
load ocds procurement-ocds.jsonl
echo
echo "== 4. Deadline sweep as of 2024-07-15 (SME payments, sign-offs, unpaid fines)"
psql -X -c 'SELECT * FROM oversight.sweep()'
sleep 1
kill "$follower" 2>/dev/null || true
wait "$follower" 2>/dev/null || true

psql -X -v ON_ERROR_STOP=1 -f "$ROOT/demo/report.sql"
