#!/usr/bin/env bash
# Packaging and upgrade checks, as TAP (run by prove from tests/run.sh against the throwaway cluster):
#   - released scripts are unchanged (tests/upgrade/released.sha256); install scripts never CREATE OR REPLACE
#   - every shipped version has an update path to the default version
#   - for every older version: CREATE at it + ALTER EXTENSION UPDATE equals a fresh CREATE (members.sql)
#   - data written at the oldest version survives the upgrade
#   - CREATE EXTENSION works in a database that already has other schemas and tables, refuses a
#     pre-existing "oversight" schema, and DROP EXTENSION leaves nothing behind
#   - pg_dump / restore keeps the bureau's data in the extension's tables
set -uo pipefail
ROOT=${OVERSIGHT_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
WORK=$(mktemp -d -t ov-upg.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { # check DESCRIPTION COMMAND…
	local d=$1; shift
	if "$@" >"$WORK/out" 2>&1; then ok "$d"; else not_ok "$d"; sed 's/^/# /' "$WORK/out" | head -40; fi
}
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
fresh_db() { dropdb --if-exists "$1" >/dev/null 2>&1; createdb "$1"; }

default_version=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$ROOT/extension/oversight.control")
mapfile -t base_versions < <(ls "$ROOT"/sql/oversight--*.sql | sed -n 's|.*/oversight--\([0-9.]*\)\.sql$|\1|p' | sort -V)
mapfile -t all_versions < <(ls "$ROOT"/sql/oversight--*.sql | sed -n 's|.*/oversight--\([0-9.]*\)\(--[0-9.]*\)\{0,1\}\.sql$|\1|p; s|.*--\([0-9.]*\)\.sql$|\1|p' | sort -uV)
oldest=${all_versions[0]}

# --- released scripts are frozen; install scripts are hardened ---------------------------------------
released_ok() {
	local bad=0 sum file
	while read -r sum file; do
		case "$sum" in ''|'#'*) continue ;; esac
		if [ ! -f "$ROOT/$file" ]; then echo "released script $file is missing"; bad=1; continue; fi
		if [ "$(sha256sum "$ROOT/$file" | cut -d' ' -f1)" != "$sum" ]; then echo "released script $file was edited"; bad=1; fi
	done <"$ROOT/tests/upgrade/released.sha256"
	return $bad
}
check "released scripts are unchanged (released.sha256)" released_ok
no_replace() { # install scripts only (upgrade scripts may replace what they really replace); comments ignored
	local f bad=0
	for f in "${base_versions[@]}"; do
		if sed 's/--.*$//' "$ROOT/sql/oversight--$f.sql" | grep -niE 'CREATE[[:space:]]+OR[[:space:]]+REPLACE'; then bad=1; fi
	done
	return $bad
}
check "base install scripts never CREATE OR REPLACE" no_replace
guarded() { # psql refuses to run a script that starts with \echo … \quit; CREATE/ALTER EXTENSION skips it
	local f
	for f in "$ROOT"/sql/oversight--*.sql; do
		head -20 "$f" | grep -qE '^\\echo Use "(CREATE|ALTER) EXTENSION oversight.*\\quit$' || { echo "$f lacks the \\echo guard"; return 1; }
	done
}
check "every script starts with the \\echo … \\quit guard" guarded
search_path_pinned() { local f; for f in "$ROOT"/sql/oversight--*.sql; do grep -q "^SET LOCAL search_path = pg_catalog, pg_temp;" "$f" || { echo "$f does not pin search_path"; return 1; }; done; }
check "every script pins search_path" search_path_pinned

# --- update paths ---------------------------------------------------------------------------------------
fresh_db upg_paths
paths_ok() {
	local v p
	for v in "${all_versions[@]}"; do
		[ "$v" = "$default_version" ] && continue
		p=$(q -d upg_paths -c "SELECT path FROM pg_extension_update_paths('oversight') WHERE source = '$v' AND target = '$default_version'")
		if [ -z "$p" ]; then echo "no update path from $v to $default_version"; return 1; fi
		echo "$v -> $default_version: $p"
	done
}
check "every shipped version (${all_versions[*]}) has an update path to $default_version" paths_ok
dropdb upg_paths

# --- fresh install equals upgraded install, and data survives ------------------------------------------
fresh_db upg_fresh
q -d upg_fresh -c 'CREATE EXTENSION oversight' && q -d upg_fresh -f "$ROOT/tests/upgrade/members.sql" >"$WORK/fresh.txt"
check "fresh install at $default_version describes itself ($(wc -l <"$WORK/fresh.txt") facts)" test -s "$WORK/fresh.txt"
for v in "${all_versions[@]}"; do
	[ "$v" = "$default_version" ] && continue
	fresh_db upg_from
	q -d upg_from -c "CREATE EXTENSION oversight VERSION '$v'" -c 'ALTER EXTENSION oversight UPDATE' &&
		q -d upg_from -f "$ROOT/tests/upgrade/members.sql" >"$WORK/upgraded-$v.txt"
	check "install at $v + ALTER EXTENSION UPDATE equals a fresh install" diff -u "$WORK/fresh.txt" "$WORK/upgraded-$v.txt"
	dropdb upg_from
done

fresh_db upg_data
q -d upg_data -c "CREATE EXTENSION oversight VERSION '$oldest'" -f "$ROOT/tests/upgrade/data_before.sql" >/dev/null
q -d upg_data -c 'ALTER EXTENSION oversight UPDATE'
check "the extension is at $default_version after the update" test "$(q -d upg_data -c "SELECT extversion FROM pg_extension WHERE extname = 'oversight'")" = "$default_version"
q -d upg_data -f "$ROOT/tests/upgrade/data_after.sql" >"$WORK/after.txt" 2>&1
cat >"$WORK/after-expected.txt" <<EXPECTED
payment PAY-1 1234.56
view 1234.56
responsible P1
nodes 23
audit 25 true
setting CNY
proposed 25
sealed 25, pending 0
verified 25 true
EXPECTED
check "data written at $oldest survives the upgrade to $default_version" diff -u "$WORK/after-expected.txt" "$WORK/after.txt"

# --- rules installed at 0.3.0 get their Chinese titles from the shipped rows ------------------------------
fresh_db upg_rules
q -d upg_rules -c "CREATE EXTENSION oversight VERSION '0.3.0'" -c 'SELECT oversight.install_default_rules()' \
	-c "UPDATE oversight.rule SET title = 'Our own title' WHERE rule_code = 'CASH.SINGLE'" -c 'ALTER EXTENSION oversight UPDATE' >/dev/null
check "shipped rules installed before 0.4.0 get their Chinese titles; a title the bureau changed is left alone" \
	test "$(q -d upg_rules -c "SELECT count(title_zh) || '/' || count(*) || ' ' || (SELECT title_zh IS NULL FROM oversight.rule WHERE rule_code = 'CASH.SINGLE') FROM oversight.rule")" = "32/33 true"
dropdb upg_rules

# --- alerts recorded before 0.4.0 get a Chinese message ----------------------------------------------------
# (Written as the 0.3.0 engine recorded them: this build's library speaks to the 0.4.0 recorder only.)
fresh_db upg_alerts
q -d upg_alerts -c "CREATE EXTENSION oversight VERSION '0.3.0'" -c 'SELECT oversight.install_default_rules()' \
	-c "INSERT INTO oversight.alert (fingerprint, rule_code, rule_version_id, first_rule_version_id, node_code, severity, object_table, object_key,
	                                 message, details, first_fired_at, last_fired_at, last_path)
	    SELECT 'fp-' || v.rule_code, v.rule_code, v.rule_version_id, v.rule_version_id, r.node_code, v.severity, 'oversight.payment',
	           '{\"payment_code\": \"P1\"}', x.message, x.details::jsonb, now(), now(), 'statement'
	      FROM (VALUES ('PAY.ROUND_AMOUNT', 'round amount 60000 (a multiple of 10000)', '{\"amount\": 60000, \"modulus\": 10000}'),
	                   ('CASH.SINGLE', 'cash payment of 60000 CNY exceeds the single-withdrawal limit of 50000', '{\"amount\": 60000, \"limit\": 50000, \"payee_name\": \"x\"}'))
	           AS x(rule_code, message, details)
	      JOIN oversight.rule_version v ON v.rule_code = x.rule_code JOIN oversight.rule r ON r.rule_code = x.rule_code" \
	-c 'ALTER EXTENSION oversight UPDATE' >/dev/null
check "alerts of 0.3.0 get a Chinese message: rendered from their details when these hold every value, else the rule's Chinese title with the English message" \
	test "$(q -d upg_alerts -c "SELECT string_agg(rule_code || ': ' || message_zh, ' | ' ORDER BY rule_code) FROM oversight.alert")" = \
	"CASH.SINGLE: 单笔大额提取现金（0.4.0 之前记录的告警，英文原文：cash payment of 60000 CNY exceeds the single-withdrawal limit of 50000） | PAY.ROUND_AMOUNT: 整数金额支付 60000（10000 的整倍数）"
dropdb upg_alerts

# --- pg_dump / restore keeps the bureau's data -----------------------------------------------------------
digest_sql="SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (
  SELECT 'p' || t::text AS x FROM oversight.payment t UNION ALL SELECT 'a' || t::text FROM oversight.assignment t
  UNION ALL SELECT 'k' || t::text FROM oversight.key_node t UNION ALL SELECT 's' || t::text FROM oversight.setting t
  UNION ALL SELECT 'c' || t::text FROM oversight.calendar_day t UNION ALL SELECT 'l' || t::text FROM oversight.audit_log t
  UNION ALL SELECT 'e' || t::text FROM oversight.audit_seal t) d"
before=$(q -d upg_data -c "$digest_sql")
head=$(q -d upg_data -c "SELECT oversight.audit_head()")
# The documented restore: triggers (audit, grading history, foreign keys) stay quiet in replica mode,
# so restored rows are not recorded a second time (README "Backup and restore").
pg_dump -d upg_data -Fc -f "$WORK/dump" 2>"$WORK/dump.log" && fresh_db upg_restored &&
	PGOPTIONS='-c session_replication_role=replica' pg_restore -d upg_restored --exit-on-error "$WORK/dump" >"$WORK/restore.log" 2>&1 ||
	sed 's/^/# /' "$WORK/restore.log" | head -20
after=$(q -d upg_restored -c "$digest_sql" 2>&1)
check "pg_dump and pg_restore keep every row of the bureau's data (catalog, assignments, records, audit trail and seals)" test "$before" = "$after"
check "the restored audit trail still verifies, sealed, against the head exported before the dump" \
	test "$(q -d upg_restored -c "SELECT problem IS NULL AND sealed_entries > 0 FROM oversight.verify_audit_chain('$head')")" = "t"
dropdb upg_data; dropdb upg_restored

# --- install into a busy database, refuse a planted schema, drop cleanly --------------------------------
snapshot="SELECT string_agg(x, E'\n' ORDER BY x) FROM (
  SELECT 'ns ' || nspname AS x FROM pg_namespace UNION ALL SELECT 'rel ' || oid::regclass::text FROM pg_class
  UNION ALL SELECT 'proc ' || oid::regprocedure::text FROM pg_proc UNION ALL SELECT 'type ' || oid::regtype::text FROM pg_type
  UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger UNION ALL SELECT 'policy ' || polname FROM pg_policy
  UNION ALL SELECT 'constraint ' || conname FROM pg_constraint UNION ALL SELECT 'ext ' || extname FROM pg_extension
  UNION ALL SELECT 'evt ' || evtname FROM pg_event_trigger UNION ALL SELECT 'cast ' || oid FROM pg_cast
  UNION ALL SELECT 'op ' || oid::regoperator::text FROM pg_operator) s"
fresh_db upg_busy
q -d upg_busy <<'SQL'
CREATE SCHEMA treasury;
CREATE TABLE treasury.payment (voucher_no text PRIMARY KEY, amount numeric, payee text);
CREATE TABLE public.payment (id int PRIMARY KEY, note text);
CREATE FUNCTION public.now_plus_one() RETURNS timestamptz LANGUAGE sql AS 'SELECT now() + interval ''1 day''';
INSERT INTO treasury.payment VALUES ('V1', 10, 'x');
SQL
q -d upg_busy -c "$snapshot" >"$WORK/busy-before.txt"
check "CREATE EXTENSION works in a database with other schemas and same-named tables" q -d upg_busy -c 'CREATE EXTENSION oversight'
check "the bureau's existing tables are untouched" test "$(q -d upg_busy -c 'SELECT count(*) FROM treasury.payment')" = "1"
check "DROP EXTENSION succeeds" q -d upg_busy -c 'DROP EXTENSION oversight'
q -d upg_busy -c "$snapshot" >"$WORK/busy-after.txt"
check "DROP EXTENSION leaves nothing of it behind" diff -u "$WORK/busy-before.txt" "$WORK/busy-after.txt"
q -d upg_busy -c 'CREATE SCHEMA oversight'
planted() { ! q -d upg_busy -c 'CREATE EXTENSION oversight' 2>&1 | tee /dev/stderr | grep -q CREATE && ! q -d upg_busy -c "SELECT 1 FROM pg_extension WHERE extname = 'oversight'" | grep -q 1; }
check "a pre-existing schema named oversight is refused (no object adoption)" planted
dropdb upg_busy

echo "1..$n"
