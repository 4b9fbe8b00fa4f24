#!/usr/bin/env bash
# The audit trail across transactions and sessions (issue 7): entries are sealed into a hash chain only
# once no transaction that could add to them is running; writers under REPEATABLE READ and a stale
# sealer cannot fork it; a superuser who removes sealed entries, edits and rehashes them, cuts the tail
# off (entries and seals), truncates everything or rewrites every hash is caught, the last three against
# an exported head. (An entry altered before it is sealed is sealed as altered: seal often.) TAP.
set -uo pipefail
source "$(dirname "$0")/tap.sh"
seal() { q -c 'SELECT oversight.seal_audit()' >/dev/null; q -c 'SELECT oversight.seal_audit()' >/dev/null; } # propose, then seal
verify() { q -c "SELECT coalesce(problem, 'ok') FROM oversight.verify_audit_chain(${1:-NULL})"; }

throwaway_database seal_test && q <<'SQL' >/dev/null
CREATE EXTENSION oversight;
INSERT INTO oversight.org_unit (unit_code, name_zh, unit_kind) VALUES ('U1', '单位一', 'budget_unit');
INSERT INTO oversight.payment (payment_code, payer_unit_code, payee_name, amount, payment_method, paid_on)
SELECT 'P' || i, 'U1', 'payee ' || i, 100 + i, 'transfer', '2025-06-02' FROM generate_series(1, 20) i;
SQL

# --- sealing waits for the transactions that could still add entries -------------------------------
q -c 'SELECT oversight.seal_audit()' >/dev/null
psql -XAtq -d "$DB" >"$WORK/open.out" 2>&1 <<'SQL' &
BEGIN;
UPDATE oversight.payment SET amount = amount + 1 WHERE payment_code = 'P1';
SELECT pg_sleep(2);
COMMIT;
SQL
open_tx=$!
sleep 0.5 # the open transaction holds entry n; the next one, n + 1, commits at once
q -c "UPDATE oversight.payment SET amount = amount + 1 WHERE payment_code = 'P2'"
later=$(q -c "SELECT max(audit_id) FROM oversight.audit_log")
seal
is "$(q -c "SELECT coalesce(max(last_audit_id), 0) < $later FROM oversight.audit_seal")" t \
	"a committed entry is not sealed while a transaction holding an earlier number is still running"
wait $open_tx
seal
is "$(q -c 'SELECT pending_entries FROM oversight.seal_audit()')" 0 "once it has ended, the next seal takes both"
is "$(q -c "SELECT count(*) FROM oversight.audit_log WHERE object_key ->> 'payment_code' IN ('P1', 'P2')")" 2 "(both entries exist)"
is "$(verify)" ok "the sealed trail verifies"

# --- REPEATABLE READ writers (the fork of 0.2.0) and a stale sealer cannot fork the chain -----------
psql -XAtq -d "$DB" >"$WORK/rr.out" 2>&1 <<'SQL' &
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) FROM oversight.payment;
SELECT pg_sleep(1.5);
UPDATE oversight.payment SET amount = amount + 1 WHERE payment_code = 'P2';
COMMIT;
SQL
rr=$!
sleep 0.5
q -c "UPDATE oversight.payment SET amount = amount + 1 WHERE payment_code = 'P3'"
wait $rr
seal
is "$(verify)" ok "two writers, one under REPEATABLE READ with an older snapshot: the trail still verifies"
q -c "UPDATE oversight.payment SET amount = amount + 1 WHERE payment_code = 'P4'"
q -c 'SELECT oversight.seal_audit()' >/dev/null # the proposal a stale sealer will see
psql -Xq -d "$DB" -v ON_ERROR_STOP=1 >"$WORK/stale.out" 2>&1 <<'SQL' &
\set VERBOSITY sqlstate
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) FROM oversight.audit_seal;
SELECT pg_sleep(1.5);
SELECT oversight.seal_audit();
COMMIT;
SQL
stale=$!
sleep 0.5
q -c 'SELECT oversight.seal_audit()' >/dev/null # seals first
wait $stale
like "$(cat "$WORK/stale.out")" '23505|40001' "a sealer with an old snapshot fails instead of writing a second seal of the same number"
is "$(q -c 'SELECT count(*) = max(seal_no) AND count(DISTINCT first_audit_id) = count(*) FROM oversight.audit_seal')" t "seals stay numbered without gaps or forks"
is "$(verify)" ok "and the trail verifies"

# --- tampering by a superuser ---------------------------------------------------------------------------
anchor=$(q -c 'SELECT oversight.audit_head()')
like "$anchor" '"seal_hash": "[0-9a-f]{64}"' "the head exports a seal number and hash for anchoring outside the database"
is "$(verify "'$anchor'")" ok "the trail verifies against its exported head"
snapshot() { q -c "CREATE TABLE public.saved_log AS SELECT * FROM oversight.audit_log; CREATE TABLE public.saved_seal AS SELECT * FROM oversight.audit_seal"; }
restore() {
	q -c "ALTER TABLE oversight.audit_log DISABLE TRIGGER USER; ALTER TABLE oversight.audit_seal DISABLE TRIGGER USER;
	      TRUNCATE oversight.audit_log, oversight.audit_seal;
	      INSERT INTO oversight.audit_log OVERRIDING SYSTEM VALUE SELECT * FROM public.saved_log;
	      INSERT INTO oversight.audit_seal SELECT * FROM public.saved_seal;
	      ALTER TABLE oversight.audit_log ENABLE TRIGGER USER; ALTER TABLE oversight.audit_seal ENABLE TRIGGER USER"
}
snapshot
tamper() { q -c "ALTER TABLE oversight.audit_log DISABLE TRIGGER USER; ALTER TABLE oversight.audit_seal DISABLE TRIGGER USER; $1;
                 ALTER TABLE oversight.audit_log ENABLE TRIGGER USER; ALTER TABLE oversight.audit_seal ENABLE TRIGGER USER"; }
last_sealed="(SELECT max(last_audit_id) FROM oversight.audit_seal)"

tamper "DELETE FROM oversight.audit_log WHERE audit_id = $last_sealed"
like "$(verify)" 'no longer match seal' "deleting the last sealed entry is detected"
restore
tamper "UPDATE oversight.audit_log SET reason = 'nothing to see' WHERE audit_id = $last_sealed;
        UPDATE oversight.audit_log SET entry_hash = oversight.audit_entry_hash(previous_hash, audit_log) WHERE audit_id = $last_sealed"
like "$(verify)" 'no longer match seal' "editing a sealed entry and rehashing it is detected by its seal"
restore
tamper "DELETE FROM oversight.audit_log WHERE audit_id >= (SELECT first_audit_id FROM oversight.audit_seal ORDER BY seal_no DESC LIMIT 1);
        DELETE FROM oversight.audit_seal WHERE seal_no = (SELECT max(seal_no) FROM oversight.audit_seal)"
is "$(verify)" ok "cutting off the last seal with its entries leaves a trail consistent in itself…"
like "$(verify "'$anchor'")" 'missing: the trail was cut short' "…but not with the exported head"
restore
tamper "TRUNCATE oversight.audit_log, oversight.audit_seal"
like "$(verify "'$anchor'")" 'missing: the trail was cut short' "truncating the whole trail is detected against the exported head"
restore
# A full rewrite: an entry edited, every entry hash and every seal recomputed in order.
tamper "UPDATE oversight.audit_log SET reason = 'rewritten' WHERE audit_id = $last_sealed;
        UPDATE oversight.audit_log SET entry_hash = oversight.audit_entry_hash(previous_hash, audit_log) WHERE audit_id = $last_sealed;
        DO \$\$ DECLARE s oversight.audit_seal; prev bytea := NULL; h bytea; BEGIN
          FOR s IN SELECT * FROM oversight.audit_seal ORDER BY seal_no LOOP
            SELECT pg_catalog.sha256(coalesce(string_agg(oversight.audit_entry_hash(a.previous_hash, a), ''::bytea ORDER BY a.audit_id), ''::bytea)) INTO h
              FROM oversight.audit_log a WHERE a.audit_id BETWEEN s.first_audit_id AND s.last_audit_id;
            UPDATE oversight.audit_seal x SET entries_hash = h, previous_seal_hash = prev,
                   seal_hash = oversight.audit_seal_hash(prev, s.seal_no, s.first_audit_id, s.last_audit_id, s.entry_count, h, s.sealed_at, s.sealed_by)
             WHERE x.seal_no = s.seal_no RETURNING x.seal_hash INTO prev;
          END LOOP; END \$\$"
is "$(verify)" ok "a full rewrite of entries and seals is consistent in itself…"
like "$(verify "'$anchor'")" 'differs from the anchor: the trail was rewritten' "…but caught against the exported head"
restore
is "$(verify "'$anchor'")" ok "restored, the trail verifies again against its head"

echo "1..$n"
