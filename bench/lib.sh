# The start every bench/*/run.sh but loader/ shares (sourced; ROOT set): bench_begin NAME gives the benchmark its own
# database oversight_bench_NAME (dropped and created anew, exported as PGDATABASE), bench/out (OUT), a
# work folder removed on exit (WORK, readable by the server for COPY FROM) and psql stopping at the first
# error (PSQL). Figures stay each benchmark's own; only this preamble is shared.
bench_begin() {
	DB=oversight_bench_$1
	OUT=$ROOT/bench/out
	mkdir -p "$OUT"
	WORK=$(mktemp -d -t "oversight-$1.XXXXXX")
	chmod 755 "$WORK"
	trap 'rm -rf "$WORK"' EXIT
	PSQL=(psql -X -q -v ON_ERROR_STOP=1)
	"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
	export PGDATABASE=$DB
}
