# Throwaway PostgreSQL cluster with oversight installed into a private copy of PostgreSQL.
# Sourced by tests/run.sh, demo/run.sh and bench/run.sh:
#   cluster_start          builds, installs into $CLUSTER_WORK/install, starts a server on a private socket
#   cluster_stop           stops it (also registered as an EXIT trap) and removes $CLUSTER_WORK
#   as_pg CMD…             runs a server-side command as the cluster's owner
# CLUSTER_PORT (default 5432, on the private socket only) and CLUSTER_TCP=1 (also listen on localhost,
# for a BI tool) let the demo keep a cluster running that others can reach; KEEP_CLUSTER=1 leaves it.
# Works as root (the server then runs as the "postgres" user: initdb refuses root) and as an ordinary user.
# Nothing outside $CLUSTER_WORK is touched.

set -euo pipefail

OVERSIGHT_ROOT=${OVERSIGHT_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
PG_CONFIG=${PG_CONFIG:-pg_config}
PG_BINDIR=$($PG_CONFIG --bindir)          # captured before PATH changes (guide §3 pitfall 13)
PG_PKGLIBDIR=$($PG_CONFIG --pkglibdir)
PG_SHAREDIR=$($PG_CONFIG --sharedir)
PG_REGRESS="$(dirname "$($PG_CONFIG --pgxs)")/../test/regress/pg_regress"

as_pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cluster_stop() {
	if [ -n "${CLUSTER_WORK:-}" ] && [ -d "$CLUSTER_WORK" ]; then
		if [ -f "$CLUSTER_WORK/data/postmaster.pid" ]; then
			as_pg "$CLUSTER_WORK/install$PG_BINDIR/pg_ctl" -D "$CLUSTER_WORK/data" -m immediate -w stop >/dev/null 2>&1 || true
		fi
		if [ -z "${KEEP_CLUSTER:-}" ]; then rm -rf "$CLUSTER_WORK"; fi
	fi
}

cluster_start() {
	CLUSTER_WORK=$(mktemp -d -t oversight.XXXXXX) # short path: the socket path limit is ~107 bytes
	if [ -z "${KEEP_CLUSTER:-}" ]; then trap cluster_stop EXIT; fi
	local install=$CLUSTER_WORK/install
	for d in "$PG_BINDIR" "$PG_PKGLIBDIR" "$PG_SHAREDIR"; do
		mkdir -p "$install$(dirname "$d")"
		cp -a "$d" "$install$d"
	done
	make -C "$OVERSIGHT_ROOT" -s install DESTDIR="$install" PG_CONFIG="$PG_CONFIG" >"$CLUSTER_WORK/install.log" 2>&1 ||
		{ cat "$CLUSTER_WORK/install.log"; return 1; }
	export PATH="$install$PG_BINDIR:$PATH"
	if [ "$(id -u)" = 0 ]; then chown -R postgres "$CLUSTER_WORK"; fi
	as_pg initdb -D "$CLUSTER_WORK/data" -A trust -U postgres --no-locale -E UTF8 >"$CLUSTER_WORK/initdb.log" 2>&1 ||
		{ cat "$CLUSTER_WORK/initdb.log"; return 1; }
	# pg_cron, when installed, runs its jobs in background workers of database postgres (tests/server/cron.t).
	local cron=""
	if [ -f "$PG_PKGLIBDIR/pg_cron.so" ]; then
		cron="-c shared_preload_libraries=pg_cron -c cron.database_name=postgres -c cron.use_background_workers=on -c max_worker_processes=16"
	fi
	local port=${CLUSTER_PORT:-5432} listen="''"
	if [ -n "${CLUSTER_TCP:-}" ]; then listen=localhost; fi
	as_pg pg_ctl -D "$CLUSTER_WORK/data" -l "$CLUSTER_WORK/postmaster.log" -w \
		-o "-p $port -k $CLUSTER_WORK -c listen_addresses=$listen -c fsync=off -c synchronous_commit=off -c full_page_writes=off $cron ${CLUSTER_SERVER_OPTIONS:-}" \
		start >/dev/null || { cat "$CLUSTER_WORK/postmaster.log"; return 1; }
	export PGHOST=$CLUSTER_WORK PGPORT=$port PGUSER=postgres PGDATABASE=postgres
	unset PGPASSWORD PGSERVICE
}
