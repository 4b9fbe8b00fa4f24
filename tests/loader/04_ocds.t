#!/usr/bin/env bash
# OCDS: the real samples (ProZorro, MTender, Contracts Finder; releases and records, OCDS 1.0 and 1.1) and the
# fictional 1.1 life cycle load without loss: one process per distinct ocid of the input, every bid, award and
# contract present; reloading changes nothing. JSON Lines with an invalid line and a release without ocid:
# those are quarantined with the reason, the rest loads; two lines of one ocid are two releases of one
# process, compiled together (0.4.0; tests/loader/18_ocds_release_order.t for the order of files).
source "$(dirname "$0")/lib.sh"
new_database ocds

# Malformed input first (always runs).
cat >"$WORK/compiled.jsonl" <<'JSONL'
{"ocid":"ocds-test-1","id":"1","date":"2024-01-10T00:00:00Z","tag":["compiled"],"buyer":{"id":"B1","name":"City Hospital"},"tender":{"title":"Beds","procurementMethod":"open","value":{"amount":120000,"currency":"CNY"},"numberOfTenderers":1},"bids":{"details":[{"id":"bid-1","status":"valid","value":{"amount":119000,"currency":"CNY"},"tenderers":[{"id":"S1","name":"Bed Co"}]}]},"awards":[{"id":"a1","status":"active","suppliers":[{"id":"S1","name":"Bed Co"}],"value":{"amount":119000,"currency":"CNY"}}],"contracts":[{"id":"c1","awardID":"a1","value":{"amount":119000,"currency":"CNY"},"dateSigned":"2024-02-01T00:00:00+08:00"}]}
{"ocid":"ocds-test-2","id":"1", "tender": {"title": "broken
{"id":"no-ocid","tender":{"title":"Orphan"}}
{"ocid":"ocds-test-3","id":"1","date":"2024-01-11T00:00:00Z","tender":{"title":"Paper","items":{"id":1,"classification":{"id":"30197630"}}}}
{"ocid":"ocds-test-1","id":"2","date":"2024-01-12T00:00:00Z","tender":{"title":"Beds again"}}
JSONL
out=$(load ocds --json --max-messages 10 "$WORK/compiled.jsonl" 2>"$WORK/err")
is "$?" 4 "JSON Lines with bad lines: committed, exit 4"
like "$out" '"rows_read":5,"rows_loaded":3,"rows_updated":0,"rows_unchanged":0,"rows_quarantined":2' "5 releases: 3 stored (2 new processes), 2 quarantined"
like "$(cat "$WORK/err")" 'compiled.jsonl:2: invalid JSON' "invalid JSON line reported with its line"
like "$(q "SELECT reason FROM oversight.quarantine WHERE line_no = 2")" '^invalid JSON' "invalid JSON quarantined"
is "$(q "SELECT reason FROM oversight.quarantine WHERE line_no = 3")" "release has no ocid" "release without ocid quarantined"
is "$(q "SELECT string_agg(line_no::text, ',' ORDER BY line_no) FROM oversight.ocds_release WHERE ocid = 'ocds-test-1'")" "1,5" \
	"the same ocid on two lines: two releases of one process, both kept (until 0.4.0 the second was quarantined and lost)"
is "$(q "SELECT title FROM oversight.procurement_process WHERE ocid = 'ocds-test-1'")" "Beds again" "the later release (2024-01-12) compiled over the compiled release of 2024-01-10"
is "$(q "SELECT count(*) FROM oversight.bid WHERE ocid = 'ocds-test-1'") $(q "SELECT count(*) FROM oversight.contract WHERE award_id = 'a1'")" "1 1" "bid and contract of the good line loaded"
is "$(q "SELECT category_code FROM oversight.procurement_process WHERE ocid = 'ocds-test-3'")" "30197630" "object-where-array and numeric id normalised"
is "$(q "SELECT source_document->'tender'->'items'->0->>'id' FROM oversight.procurement_process WHERE ocid = 'ocds-test-3'")" "1" "normalised document kept as jsonb"

printf '{"releases": [ {"ocid": "x", ' >"$WORK/truncated.json"
out=$(load ocds --json -q "$WORK/truncated.json" 2>/dev/null)
like "$out" '"rows_read":1,"rows_loaded":0,"rows_updated":0,"rows_unchanged":0,"rows_quarantined":1' "a truncated package is one quarantined item"

[ -n "${SHARED_DATA:-}" ] && [ -d "$SHARED_DATA/ocds" ] || { diag "SHARED_DATA not set: real samples skipped"; echo "ok $((TAP_N + 1)) # SKIP SHARED_DATA not set"; TAP_N=$((TAP_N + 1)); done_testing; exit; }
command -v python3 >/dev/null || { echo "ok $((TAP_N + 1)) # SKIP python3 needed to count the samples"; TAP_N=$((TAP_N + 1)); done_testing; exit; }

# Expected content, counted independently of the loader (python's json module).
read -r want_processes want_bids want_awards want_contracts < <(python3 - "$SHARED_DATA/ocds" <<'PY'
import json, glob, sys
ocids, bids, awards, contracts = set(), set(), set(), set()
def as_list(v):
    return [v] if isinstance(v, dict) else (v or [])
def release(r):
    o = r.get('ocid')
    if not isinstance(o, str): return
    ocids.add(o)
    b = r.get('bids')
    for i, x in enumerate(as_list(b.get('details')) if isinstance(b, dict) else []):
        bids.add((o, str(x.get('id', '#%d' % (i + 1)))))
    for a in as_list(r.get('awards')):
        if 'id' in a: awards.add((o, str(a['id'])))
    for c in as_list(r.get('contracts')):
        if 'id' in c: contracts.add(o + '/' + str(c['id']))
for f in sorted(glob.glob(sys.argv[1] + '/**/*.json', recursive=True)):
    d = json.load(open(f))
    if 'records' in d:
        for r in d['records']: release(r['compiledRelease'])
    elif 'compiledRelease' in d: release(d['compiledRelease'])
    elif 'releases' in d and 'ocid' not in d:
        for r in d['releases']: release(r)
    else: release(d)
print(len(ocids), len(bids), len(awards), len(contracts))
PY
)
files=$(find "$SHARED_DATA/ocds" -name '*.json' | sort)
failed=0
for f in $files; do load ocds -q --no-progress --reject-dir "$WORK" "$f" >/dev/null 2>>"$WORK/real.err" || failed=$((failed + 1)); done
is "$failed" 0 "every sample file loads with exit 0 ($(echo "$files" | wc -l) files)"
[ "$failed" = 0 ] || diag "$(head -20 "$WORK/real.err")"
not_test="ocid NOT LIKE 'ocds-test-%'"
is "$(q "SELECT count(*) FROM oversight.procurement_process WHERE $not_test")" "$want_processes" "one process per distinct ocid ($want_processes)"
is "$(q "SELECT count(*) FROM oversight.bid WHERE $not_test")" "$want_bids" "every bid present ($want_bids)"
is "$(q "SELECT count(*) FROM oversight.award WHERE $not_test")" "$want_awards" "every award present ($want_awards)"
is "$(q "SELECT count(*) FROM oversight.contract WHERE $not_test")" "$want_contracts" "every contract present ($want_contracts)"
is "$(q "SELECT count(*) FROM oversight.quarantine q JOIN oversight.load l USING (load_id) WHERE l.file_name LIKE '$SHARED_DATA%'")" 0 "nothing quarantined from the samples"
is "$(q "SELECT count(*) FROM oversight.procurement_process WHERE $not_test AND source_document IS NULL")" 0 "every process keeps its compiled release"
is "$(q "SELECT count(*) FROM oversight.bid WHERE status = 'valid' AND ocid LIKE 'ocds-be6bcu-%'")" \
	"$(q "SELECT count(*) FROM oversight.bid WHERE source_document->>'status' = 'active' AND ocid LIKE 'ocds-be6bcu-%'")" "ProZorro 'active' bids mapped to valid"
is "$(q "SELECT count(*) FROM oversight.bid_tenderer")" "$(q "SELECT count(*) FROM oversight.bid b, jsonb_array_elements(b.source_document->'tenderers')")" "every bid tenderer linked"
like "$(q "SELECT count(*) FROM oversight.party WHERE party_code LIKE 'UA-EDR-%'")" '^[1-9]' "parties keyed by identifier scheme-id"

# Every release and record is stored once: loading the set again changes nothing, and the end state is
# identical (each file is also loaded twice in a row).
before=$(digest)
changed=0
for f in $files; do
	load ocds -q --no-progress --reject-dir "$WORK" "$f" >/dev/null 2>&1
	out=$(load ocds --json -q --no-progress --reject-dir "$WORK" "$f" 2>/dev/null)
	printf '%s' "$out" | grep -q '"rows_loaded":0,"rows_updated":0,' || { changed=$((changed + 1)); diag "$f: $out"; }
done
is "$changed" 0 "every sample loaded twice in a row: the second load changes nothing"
is "$(digest)" "$before" "reloading every sample leaves the database identical"
done_testing
