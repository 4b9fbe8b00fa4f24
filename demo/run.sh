#!/usr/bin/env bash
# The demo (`make demo`): a throwaway cluster, the extension installed into a database, the demo
# bureau, then what an analyst and an inspector see. Nothing outside a temporary folder is touched.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export OVERSIGHT_ROOT=$ROOT
source "$ROOT/scripts/cluster.sh"

make -s -C "$ROOT" >/dev/null
echo "starting a throwaway PostgreSQL cluster…"
cluster_start
createdb demo
export PGDATABASE=demo
# The demo runs at a fixed moment, so its output does not depend on today's date.
export PGOPTIONS="-c oversight.now=2025-06-30T17:00:00+08:00 -c TimeZone=Asia/Shanghai"
psql -Xq -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION oversight' -f "$ROOT/demo/bureau.sql" >/dev/null
echo "extension $(psql -XAtq -c "SELECT extversion FROM pg_extension WHERE extname = 'oversight'") installed; demo bureau loaded"
echo
psql -X -v ON_ERROR_STOP=1 -f "$ROOT/demo/report.sql"
