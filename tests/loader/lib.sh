# Shared by the loader's TAP tests (tests/loader/*.t): TAP output, a private database, the loader.
# Environment (set by tests/run.sh): PGHOST PGPORT PGUSER, OVERSIGHT_ROOT, LOADER, SHARED_DATA (optional).
set -u
OVERSIGHT_ROOT=${OVERSIGHT_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
LOADER=${LOADER:-$OVERSIGHT_ROOT/loader/build/oversight-load}
# The injectable clock: nothing here depends on the wall clock.
export PGOPTIONS="-c oversight.now=2025-06-30T10:00:00+08:00"
TAP_N=0
TAP_FAILED=0

ok() { # ok CONDITION_EXIT_STATUS DESCRIPTION
	TAP_N=$((TAP_N + 1))
	if [ "$1" = 0 ]; then echo "ok $TAP_N - $2"; else echo "not ok $TAP_N - $2"; TAP_FAILED=$((TAP_FAILED + 1)); fi
}
is() { # is GOT EXPECTED DESCRIPTION
	TAP_N=$((TAP_N + 1))
	if [ "$1" == "$2" ]; then echo "ok $TAP_N - $3"; else
		echo "not ok $TAP_N - $3"; TAP_FAILED=$((TAP_FAILED + 1))
		printf '#   got:      %s\n#   expected: %s\n' "$1" "$2"
	fi
}
like() { # like TEXT PATTERN DESCRIPTION (grep -E)
	TAP_N=$((TAP_N + 1))
	if printf '%s' "$1" | grep -Eq -- "$2"; then echo "ok $TAP_N - $3"; else
		echo "not ok $TAP_N - $3"; TAP_FAILED=$((TAP_FAILED + 1))
		printf '#   %s\n#   does not match: %s\n' "$(printf '%s' "$1" | head -c 600)" "$2"
	fi
}
skip_all() { echo "1..0 # SKIP $1"; exit 0; }
done_testing() { echo "1..$TAP_N"; [ "$TAP_FAILED" = 0 ]; }
diag() { printf '# %s\n' "$@"; }

# A database of its own with the extension, dropped at exit (with the scratch directory).
new_database() { # new_database NAME → sets DB
	DB="oversight_loader_${1}_$$"
	# The test clock (PGOPTIONS above) needs an injectable clock, which a production database refuses.
	createdb "$DB" && psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -c "CREATE EXTENSION oversight" \
		-c "INSERT INTO oversight.setting (setting_key, setting_value, changed_reason) VALUES ('clock.injectable', 'true', 'loader tests run at a fixed date')" >/dev/null ||
		{ echo "Bail out! cannot create $DB"; exit 1; }
	CLEANUP_DBS="${CLEANUP_DBS:-} $DB"
}
# A login role of its own in the given group roles, dropped at exit (roles are cluster-wide).
new_role() { # new_role VARIABLE NAME GROUP… → sets VARIABLE to the role's name
	local r="oversight_t_${2}_$$" g
	psql -XAtq -v ON_ERROR_STOP=1 -d postgres -c "CREATE ROLE $r LOGIN" >/dev/null || { echo "Bail out! cannot create role $r"; exit 1; }
	CLEANUP_ROLES="${CLEANUP_ROLES:-} $r"
	for g in "${@:3}"; do psql -XAtq -v ON_ERROR_STOP=1 -d postgres -c "GRANT $g TO $r" >/dev/null; done
	printf -v "$1" '%s' "$r"
}
cleanup() {
	for d in ${CLEANUP_DBS:-}; do dropdb --if-exists "$d" 2>/dev/null; done
	for r in ${CLEANUP_ROLES:-}; do psql -XAtq -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1; done
	[ -n "${WORK:-}" ] && rm -rf "$WORK"
}
trap cleanup EXIT
WORK=$(mktemp -d -t oversight-loader-test.XXXXXX)
[ -x "$LOADER" ] || { echo "Bail out! loader not built: $LOADER (make -C loader)"; exit 1; }

q() { psql -XAtq -v ON_ERROR_STOP=1 -d "${2:-$DB}" -c "$1"; } # one value per line
load() { "$LOADER" --dsn "dbname=$DB" "$@"; } # the loader against $DB

# Row-level digest of the canonical tables a load writes (not the ledger: load ids and times differ; nor the
# load that last wrote each record, load_id, which a replay of the same files renumbers).
digest() { # digest [DB]
	q "SELECT md5(string_agg(t, E'\n' ORDER BY t)) FROM (
	     SELECT 'payment ' || (to_jsonb(p) - 'load_id')::text AS t FROM oversight.payment p UNION ALL
	     SELECT 'org_unit ' || u::text FROM oversight.org_unit u UNION ALL
	     SELECT 'party ' || (x.party_code, x.name, x.identifier_scheme, x.identifier_id, x.address)::text FROM oversight.party x UNION ALL
	     SELECT 'process ' || (x.ocid, x.title, x.estimated_value, x.currency, x.tender_period_end, x.source_document)::text FROM oversight.procurement_process x UNION ALL
	     SELECT 'bid ' || (to_jsonb(b) - 'load_id')::text FROM oversight.bid b UNION ALL
	     SELECT 'award ' || a::text FROM oversight.award a UNION ALL
	     SELECT 'contract ' || (to_jsonb(c) - 'load_id')::text FROM oversight.contract c) rows" "${1:-$DB}"
}

# The units the payment tests refer to.
write_units() { # write_units FILE
	cat >"$1" <<'CSV'
单位编码,单位名称,单位类型,上级单位编码
FIN,市财政局,局,
FIN-TREAS,国库科,科室,FIN
EDU01,市第一中学,预算单位,FIN
HLT02,市中心医院,预算单位,FIN
CSV
}

# OCDS loads (18_ocds_release_order.t, 19_ocds_mapping.t): every canonical row, compiled document, mapped
# OCDS detail and mapping note of database $1, one per line, sorted, into file $2; same_database compares two.
canonical() { # canonical DB FILE
	psql -XAtq -v ON_ERROR_STOP=1 -d "$1" -f "$OVERSIGHT_ROOT/tests/loader/ocds_canonical.sql" >"$2"
}
same_database() { # same_database DB1 DB2 DESCRIPTION
	canonical "$1" "$WORK/$1.dump"
	canonical "$2" "$WORK/$2.dump"
	cmp -s "$WORK/$1.dump" "$WORK/$2.dump"
	local rc=$?
	ok "$rc" "$3 ($(wc -l <"$WORK/$1.dump") rows compared)"
	[ "$rc" = 0 ] || diag "$(diff "$WORK/$1.dump" "$WORK/$2.dump" | head -6 | cut -c1-300)"
}
# One database per shuffled order of OCDS files ($2 + 1..3: one path a line), each set up by $4 (a command run
# in the new database, or :), every file loaded as its own load, each committed; the databases in DBS.
load_in_orders() { # load_in_orders NAME ORDER_FILE_PREFIX FILE_COUNT SETUP
	DBS=()
	local k out files
	for k in 1 2 3; do
		new_database "$1$k"
		$4
		DBS+=("$DB")
		mapfile -t files <"$2$k"
		out=$(load ocds --json -q --no-progress --reject-dir "$WORK" "${files[@]}" 2>/dev/null)
		is "$(printf '%s\n' "$out" | grep -c '"status":"committed"')" "$3" "order $k: every one of the $3 files committed"
	done
}
