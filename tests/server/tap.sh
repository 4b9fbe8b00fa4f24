# TAP helpers of the server tests (sourced): numbered results, a comparison and a pattern match that print
# what was got when they fail.
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
is() { if [ "$1" == "$2" ]; then ok "$3"; else not_ok "$3"; printf '#   got:      %s\n#   expected: %s\n' "$1" "$2"; fi; }
like() { if printf '%s' "$1" | grep -Eq -- "$2"; then ok "$3"; else not_ok "$3"; printf '#   got: %s\n#   want: /%s/\n' "$1" "$2"; fi; }
# The test's own database NAME, created empty (dropped first, if a failed run left it), and a work folder, both
# removed when the test exits: sets DB and WORK. q: psql on DB, quiet, unaligned, stopping at the first error.
throwaway_database() {
	DB=$1
	WORK=$(mktemp -d -t "ov-$1.XXXXXX")
	trap 'dropdb --if-exists "$DB" >/dev/null 2>&1; rm -rf "$WORK"' EXIT
	dropdb --if-exists "$DB" >/dev/null 2>&1
	createdb "$DB"
}
q() { psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" "$@"; }
