#!/usr/bin/env bash
# `make demo-stop`: stops the cluster `make demo` left running and removes its folder.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
STATE=$ROOT/demo/.running
if [ ! -f "$STATE" ]; then
	echo "no demo is running"
	exit 0
fi
# shellcheck disable=SC1090
source "$STATE" # DEMO_WORK, DEMO_BINDIR
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ -f "$DEMO_WORK/data/postmaster.pid" ]; then
	as_pg "$DEMO_BINDIR/pg_ctl" -D "$DEMO_WORK/data" -m fast -w stop >/dev/null 2>&1 || true
fi
rm -rf "$DEMO_WORK" "$STATE"
echo "demo stopped; $DEMO_WORK removed"
