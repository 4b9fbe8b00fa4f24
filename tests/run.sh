#!/usr/bin/env bash
# The one test entry point (`make test`): builds everything, runs the pure C++ unit tests, then starts a
# throwaway PostgreSQL cluster (private copy of PostgreSQL, private socket) and runs pg_regress, pgTAP,
# the upgrade/packaging checks and the loader's integration tests against it. The cluster is stopped and
# removed even when a suite fails. Works as root (CI) and as an ordinary user.
# Ends with one summary line: "oversight: N passed, M failed".
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export OVERSIGHT_ROOT=$ROOT
cd "$ROOT"
# shellcheck source=../scripts/cluster.sh
source "$ROOT/scripts/cluster.sh"
set +e # suites fail individually; the summary decides the exit code

REPORT_DIR=$ROOT/reports/out
mkdir -p "$REPORT_DIR"
passed=0
failed=0
declare -a failures=()

count() { # count SUITE PASSED FAILED
	passed=$((passed + $2))
	failed=$((failed + $3))
	if [ "$3" -gt 0 ]; then failures+=("$1 ($3)"); fi
	printf '== %s: %d passed, %d failed\n' "$1" "$2" "$3"
}

section() { printf '\n==== %s\n' "$1"; }

# TAP totals from prove/pg_prove output: Tests=N and "Failed a/b subtests" lines; a file that died
# without a plan counts as one failure.
count_tap() { # count_tap SUITE LOGFILE EXIT
	local total failed_subtests bad_files
	total=$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\).*/\1/p' "$2" | tail -1)
	failed_subtests=$(sed -n 's/.*Failed \([0-9]*\)\/[0-9]* subtests.*/\1/p' "$2" | awk '{s+=$1} END {print s+0}')
	bad_files=$(grep -cE '(Bad plan|No plan found|Non-zero exit status|Parse errors)' "$2")
	total=${total:-0}
	if [ "$3" -ne 0 ] && [ "$failed_subtests" -eq 0 ] && [ "$bad_files" -eq 0 ]; then bad_files=1; fi
	count "$1" $((total - failed_subtests)) $((failed_subtests + bad_files))
}

section "build"
if ! make -s WERROR=-Werror >"$REPORT_DIR/build.log" 2>&1; then
	cat "$REPORT_DIR/build.log"
	count build 0 1
	echo "oversight: $passed passed, $failed failed"
	exit 1
fi
have_loader=false
if [ -f loader/Makefile ]; then
	if make -s -C loader >"$REPORT_DIR/loader-build.log" 2>&1; then have_loader=true; else
		cat "$REPORT_DIR/loader-build.log"
		count loader-build 0 1
	fi
fi
echo "built extension $(sed -n "s/^default_version *= *'\(.*\)'/\1/p" extension/oversight.control)"

section "unit tests (GoogleTest, pure C++ core)"
make -s -C tests/unit WERROR=-Werror >"$REPORT_DIR/unit-build.log" 2>&1 || cat "$REPORT_DIR/unit-build.log"
run_gtest() { # run_gtest SUITE BINARY
	if [ ! -x "$2" ]; then count "$1" 0 1; return; fi
	"$2" --gtest_brief=1 >"$REPORT_DIR/$1.log" 2>&1
	local rc=$? ok bad
	tail -5 "$REPORT_DIR/$1.log"
	ok=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$REPORT_DIR/$1.log")
	bad=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$REPORT_DIR/$1.log")
	ok=${ok:-0}; bad=${bad:-0}
	if [ $rc -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; cat "$REPORT_DIR/$1.log"; fi
	count "$1" "$ok" "$bad"
}
run_gtest unit tests/unit/build/unit_tests
if $have_loader; then run_gtest loader-unit loader/build/loader_unit_tests; fi

section "throwaway cluster"
if ! cluster_start; then
	count cluster 0 1
	echo "oversight: $passed passed, $failed failed"
	exit 1
fi
echo "cluster at $PGHOST"

section "pg_regress (exact output)"
mkdir -p "$CLUSTER_WORK/regress"
chmod 777 "$CLUSTER_WORK/regress"
"$PG_REGRESS" --bindir="$CLUSTER_WORK/install$PG_BINDIR" --inputdir="$ROOT/tests/regress" \
	--outputdir="$CLUSTER_WORK/regress" --dbname=regress_oversight --load-extension=oversight \
	--schedule="$ROOT/tests/regress/schedule" >"$REPORT_DIR/regress.log" 2>&1
rc=$?
cat "$REPORT_DIR/regress.log" | grep -E '^(ok|not ok|test |All|[0-9]+ of)' | tail -20
n_ok=$(grep -cE '^(ok|test .* \.\.\. ok)' "$REPORT_DIR/regress.log")
n_bad=$(grep -cE '^(not ok|test .* \.\.\. FAILED)' "$REPORT_DIR/regress.log")
if [ $rc -ne 0 ]; then
	[ "$n_bad" -gt 0 ] || n_bad=1
	cp "$CLUSTER_WORK/regress/regression.diffs" "$REPORT_DIR/" 2>/dev/null && cat "$REPORT_DIR/regression.diffs"
fi
count pg_regress "$n_ok" "$n_bad"

section "pgTAP"
createdb tap && psql -Xq -v ON_ERROR_STOP=1 -d tap -c 'CREATE SCHEMA tap' -c 'CREATE EXTENSION pgtap SCHEMA tap' \
	-c 'GRANT USAGE ON SCHEMA tap TO PUBLIC' \
	-c 'CREATE EXTENSION oversight' -c 'ALTER DATABASE tap SET search_path = public, tap' \
	-c "INSERT INTO oversight.setting (setting_key, setting_value, changed_reason) VALUES ('clock.injectable', 'true', 'pgTAP tests set the clock')"
pg_prove -d tap --ext .sql -r "$ROOT/tests/pgtap" >"$REPORT_DIR/pgtap.log" 2>&1
rc=$?
grep -vE '^\s*$' "$REPORT_DIR/pgtap.log" | grep -vE ' ok$' | tail -40
count_tap pgTAP "$REPORT_DIR/pgtap.log" $rc

section "packaging, upgrade and server checks"
prove -v "$ROOT"/tests/upgrade/*.t "$ROOT"/tests/server/*.t >"$REPORT_DIR/upgrade.log" 2>&1
rc=$?
grep -E '^(not ok|ok|#)' "$REPORT_DIR/upgrade.log" | tail -30
count_tap upgrade "$REPORT_DIR/upgrade.log" $rc

if $have_loader && compgen -G "$ROOT/tests/loader/*.t" >/dev/null; then
	section "loader integration"
	export LOADER=$ROOT/loader/build/oversight-load
	if [ -d "$ROOT/../shared/data" ]; then export SHARED_DATA=$(cd "$ROOT/../shared/data" && pwd); fi
	prove -v "$ROOT"/tests/loader/*.t >"$REPORT_DIR/loader.log" 2>&1
	rc=$?
	grep -E '^(not ok|#)' "$REPORT_DIR/loader.log" | tail -30
	count_tap loader "$REPORT_DIR/loader.log" $rc
fi

if [ "$failed" -gt 0 ]; then
	section "server log (tail)"
	tail -30 "$CLUSTER_WORK/postmaster.log"
	printf '\nfailed suites: %s\n' "${failures[*]}"
fi
echo
echo "oversight: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
