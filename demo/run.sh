#!/usr/bin/env bash
# The demo (`make demo`): a throwaway cluster, the extension with its default catalog and rules, the
# bureau's organisation, six weeks of supervision replayed day by day (matters reported, filed and
# disclosed — or not — the ladder's notifications printed as the sweeper takes each step), then the
# bundled exports loaded through oversight-load (CSV in UTF-8 and GB18030 with Chinese headers, and
# OCDS) with the alerts printed live, the deadline sweep, what analysts and the discipline office see,
# and accountability: cases, rectification, complaints, a spot check, the unit scorecard and one
# official's power-use file.
#
# The database is left running for exploring (psql, a BI tool): the script ends by printing how to
# connect and how to stop it (`make demo-stop`). A second `make demo` replaces the first. Nothing
# outside a temporary folder (and demo/.running, which names it) is touched.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export OVERSIGHT_ROOT=$ROOT
DEMO_PORT=${DEMO_PORT:-55432}
bash "$ROOT/demo/stop.sh" >/dev/null # a demo left running is replaced

# A cluster that outlives the script (KEEP_CLUSTER), reachable on localhost for BI tools (CLUSTER_TCP).
export KEEP_CLUSTER=1 CLUSTER_TCP=1 CLUSTER_PORT=$DEMO_PORT
source "$ROOT/scripts/cluster.sh"
demo_failed() { unset KEEP_CLUSTER; cluster_stop; }

make -s -C "$ROOT" >/dev/null
make -s -C "$ROOT/loader" >/dev/null
LOAD=$ROOT/loader/build/oversight-load
DATA=$ROOT/demo/data
echo "starting a PostgreSQL cluster for the demo (port $DEMO_PORT)…"
cluster_start
trap demo_failed EXIT # until the demo has run, a failure removes everything
createdb demo
export PGDATABASE=demo
# The demo replays 2024 in the bureau's time zone, so its output does not depend on today's date: the
# loads happen on Monday 15 July 2024 at 17:00 (after the bundled Q1/Q2 exports), the supervision
# replay before that sets its own clock, day by day.
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
stop_follower() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

echo
echo "== 1. The bureau's organisation (oversight-load)"
load org-units org-units.csv
load people people.csv
load assignments assignments.csv
load parties parties.csv
load budget-projects budget-projects.csv
load calendar calendar-2027.csv

echo
echo "== 2. Default power catalog (5 areas), rule set and escalation ladders; node owners"
psql -Xq -v ON_ERROR_STOP=1 -f "$ROOT/demo/setup.sql"
psql -XAtq -c "SELECT count(*) || ' key nodes, ' || (SELECT count(*) FROM oversight.rule) || ' rules approved, ' || (SELECT count(*) FROM oversight.watched_table) || ' tables watched, ' || (SELECT count(*) FROM oversight.ladder) || ' escalation ladders' FROM oversight.key_node"

echo
echo "== 3. Supervision, 3 June – 12 July 2024: the officials act on their matters; the sweeper runs every evening"
echo "   (each ladder step's notification, as oversight-load follow --outbox prints it)"
"$LOAD" follow --outbox --timeout 300 &
outbox=$!
sleep 1
psql -X -v ON_ERROR_STOP=1 -f "$ROOT/demo/supervision.sql"
sleep 1
stop_follower "$outbox"

echo
echo "== 4. Treasury payments and procurement on 15 July, with alerts printed live as the rules raise them"
"$LOAD" follow --timeout 120 &
follower=$!
sleep 1
load payments payments-2024Q1.csv
load payments payments-2024Q2-gb18030.csv
load ocds procurement-ocds.jsonl
echo
psql -X -v ON_ERROR_STOP=1 -f "$ROOT/demo/watch.sql"
echo
echo "== 5. Deadline sweep as of 2024-07-15 (SME payments, sign-offs, unpaid fines, the ladders)"
psql -X -c 'SELECT * FROM oversight.sweep()'
sleep 1
stop_follower "$follower"

psql -X -v ON_ERROR_STOP=1 -f "$ROOT/demo/report.sql"
psql -X -v ON_ERROR_STOP=1 -f "$ROOT/demo/accountability.sql"

# Left running for exploring: the database at the demo's moment, a read-only login for BI tools.
psql -Xq -v ON_ERROR_STOP=1 \
	-c "ALTER DATABASE demo SET oversight.now = '2024-07-15T18:00:00+08:00'" -c "ALTER DATABASE demo SET TimeZone = 'Asia/Shanghai'" \
	-c "CREATE ROLE oversight_bi LOGIN IN ROLE oversight_analyst" \
	-c "INSERT INTO oversight.unit_access (role_name, unit_code) VALUES ('oversight_bi', 'FIN')"
{
	echo "DEMO_WORK=$CLUSTER_WORK"
	echo "DEMO_BINDIR=$CLUSTER_WORK/install$PG_BINDIR"
} >"$ROOT/demo/.running"
trap - EXIT
echo
echo "== The demo database is still running (the clock stays at 15 July 2024, 18:00):"
echo "   psql \"host=$CLUSTER_WORK port=$DEMO_PORT dbname=demo user=postgres\""
echo "   BI tools (read-only analyst, row-level security): postgresql://oversight_bi@localhost:$DEMO_PORT/demo"
echo "   (trust authentication on localhost: a demo, not a server to expose)"
echo "   stop it: make demo-stop"
