#!/usr/bin/env bash
# Issue 12, item 2: the collusion signals judge a process's bids with their tenderers as they stand when
# the load commits, so a process gives the same alerts whether it arrives as one OCDS release (bids and
# tenderers in one transaction) or as CSV exports loaded one after the other (bids, then bid tenderers,
# each its own transaction): one company's two bids at the same price are never "bids of different
# tenderers"; two companies' are. Until the tenderers are loaded the signal cannot tell, and says so
# (oversight.coverage_gap, link_missing), instead of firing on a guess.
source "$(dirname "$0")/lib.sh"

alerts() { q "SELECT string_agg(rule_code || ' ' || (object_key ->> 'ocid') || ' ' || (details ->> 'tenderer_sets'), ', ' ORDER BY rule_code, object_key::text)
              FROM oversight.alert WHERE rule_code LIKE 'PROC.COLLUSION%'" "$1"; }
gaps() { q "SELECT coalesce(sum(records), 0) FROM oversight.coverage_gap WHERE rule_code = 'PROC.COLLUSION_PRICE' AND reason = 'link_missing'" "$1"; }

# ---- As OCDS: two processes, each with two bids at the same price; one company twice, two companies.
new_database facts_ocds
OCDS_DB=$DB
q "SELECT oversight.install_default_rules()" >/dev/null
cat >"$WORK/release.jsonl" <<'JSON'
{"ocid":"ocds-f-same","id":"same-1","date":"2024-03-01T00:00:00Z","tag":["tender"],"parties":[{"id":"ACME","name":"Acme Ltd","roles":["tenderer"]}],"tender":{"id":"t","title":"Desks","procurementMethod":"open","status":"active"},"bids":{"details":[{"id":"b1","status":"valid","value":{"amount":500000,"currency":"CNY"},"tenderers":[{"id":"ACME","name":"Acme Ltd"}]},{"id":"b2","status":"valid","value":{"amount":500000,"currency":"CNY"},"tenderers":[{"id":"ACME","name":"Acme Ltd"}]}]}}
{"ocid":"ocds-f-diff","id":"diff-1","date":"2024-03-01T00:00:00Z","tag":["tender"],"parties":[{"id":"ACME","name":"Acme Ltd","roles":["tenderer"]},{"id":"BETA","name":"Beta Ltd","roles":["tenderer"]}],"tender":{"id":"t","title":"Chairs","procurementMethod":"open","status":"active"},"bids":{"details":[{"id":"b1","status":"valid","value":{"amount":500000,"currency":"CNY"},"tenderers":[{"id":"ACME","name":"Acme Ltd"}]},{"id":"b2","status":"valid","value":{"amount":500000,"currency":"CNY"},"tenderers":[{"id":"BETA","name":"Beta Ltd"}]}]}}
JSON
load ocds -q --no-progress --reject-dir "$WORK" "$WORK/release.jsonl" >/dev/null 2>&1
is "$?" 0 "OCDS: the two processes load"
is "$(alerts "$OCDS_DB")" "PROC.COLLUSION_PRICE ocds-f-diff 2" "OCDS: only the two companies' identical prices fire"

# ---- As CSV exports: the processes, the parties, the bids, and later the bid tenderers.
new_database facts_csv
CSV_DB=$DB
q "SELECT oversight.install_default_rules()" >/dev/null
printf 'ocid,title,procurement_method,tender_status\nocds-f-same,Desks,open,active\nocds-f-diff,Chairs,open,active\n' >"$WORK/proc.csv"
printf 'party_code,name\nACME,Acme Ltd\nBETA,Beta Ltd\n' >"$WORK/parties.csv"
printf 'ocid,bid_id,amount,currency,status\nocds-f-same,b1,500000,CNY,valid\nocds-f-same,b2,500000,CNY,valid\nocds-f-diff,b1,500000,CNY,valid\nocds-f-diff,b2,500000,CNY,valid\n' >"$WORK/bids.csv"
printf 'ocid,bid_id,party_code\nocds-f-same,b1,ACME\nocds-f-same,b2,ACME\nocds-f-diff,b1,ACME\nocds-f-diff,b2,BETA\n' >"$WORK/tenderers.csv"
for k in procurement:proc parties:parties bids:bids; do
	load "${k%%:*}" -q --no-progress "$WORK/${k#*:}.csv" >/dev/null 2>&1 || { echo "Bail out! cannot load ${k#*:}"; exit 1; }
done
is "$(alerts "$CSV_DB")" "" "CSV, bids without their tenderers yet: nothing fires on a guess"
is "$(gaps "$CSV_DB")" "4" "CSV: the four bids are counted as cannot-evaluate (link_missing)"
load bid-tenderers -q --no-progress "$WORK/tenderers.csv" >/dev/null 2>&1
is "$?" 0 "CSV: the bid tenderers load in a later transaction"
is "$(alerts "$CSV_DB")" "$(alerts "$OCDS_DB")" "CSV: the same alerts as OCDS once the tenderers are there"
is "$(q "SELECT count(*) FROM oversight.alert WHERE last_path = 'commit'" "$CSV_DB")" "1" "CSV: the finding was made when the tenderers' load committed"
load bid-tenderers -q --no-progress "$WORK/tenderers.csv" >/dev/null 2>&1
is "$(q "SELECT repeat_count FROM oversight.alert WHERE rule_code = 'PROC.COLLUSION_PRICE'" "$CSV_DB")" "1" "CSV: reloading the same tenderers changes nothing"

done_testing
