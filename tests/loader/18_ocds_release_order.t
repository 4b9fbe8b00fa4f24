#!/usr/bin/env bash
# Issue 12, item 1: order-independent OCDS. Every release is kept as received (oversight.ocds_release) and
# each process is compiled from all its stored releases on every load, so the same releases give the same
# database whatever the files and their order: the minimal case (a tender release and a later award
# release of one ocid, in two files, loaded in both orders), and a real multi-release sample split into one
# release per file, loaded in three shuffled orders and as one package. The databases are compared whole:
# every canonical procurement row, the compiled documents, the party mentions and the stored releases,
# sorted (only the load that last wrote a row, and where a release was first read, differ by design).
# Reloading changes nothing; every release read is stored or quarantined with its reason; a file without
# any JSON text is unusable (exit 3), as the README says.
source "$(dirname "$0")/lib.sh"

loaded() { load ocds --json -q --no-progress --reject-dir "$WORK" "$@" 2>/dev/null; } # load into $DB, JSON summaries

# ---- The minimal case of the issue: ocid X, a tender release (2024-01-01) and an award release (2024-02-01).
cat >"$WORK/x-tender.json" <<'JSON'
{"ocid":"ocds-x","id":"x-1","date":"2024-01-01T00:00:00Z","tag":["tender"],"buyer":{"id":"B1","name":"City Hospital"},"tender":{"id":"t","title":"Beds","procurementMethod":"open","value":{"amount":120000,"currency":"CNY"},"tenderPeriod":{"startDate":"2024-01-01T00:00:00Z","endDate":"2024-01-25T00:00:00Z"}}}
JSON
cat >"$WORK/x-award.json" <<'JSON'
{"ocid":"ocds-x","id":"x-2","date":"2024-02-01T00:00:00Z","tag":["award"],"awards":[{"id":"a1","status":"active","suppliers":[{"id":"S1","name":"Bed Co"}],"value":{"amount":119000,"currency":"CNY"}}]}
JSON
new_database order_x1
X1=$DB
loaded "$WORK/x-tender.json" >/dev/null
out=$(loaded "$WORK/x-award.json")
is "$?" 0 "tender, then award: exit 0"
like "$out" '"rows_read":1,"rows_loaded":0,"rows_updated":1,"rows_unchanged":0,"rows_quarantined":0' "the award release is a new release of a stored process"
new_database order_x2
X2=$DB
loaded "$WORK/x-award.json" >/dev/null
out=$(loaded "$WORK/x-tender.json")
is "$?" 0 "award, then the older tender: exit 0"
like "$out" '"rows_loaded":0,"rows_updated":1,"rows_unchanged":0' "the older release is stored and compiled in, not counted unchanged"
is "$(q "SELECT title = 'Beds' AND procurement_method = 'open' AND estimated_value = 120000 AND tender_period_end = '2024-01-25T00:00:00Z'
         AND published_at = '2024-02-01T00:00:00Z' AND source_document->>'id' = 'x-2' FROM oversight.procurement_process WHERE ocid = 'ocds-x'")" t \
	"the newer release without a tender blanks nothing: title, method, value and period kept; the date and id are the latest"
is "$(q "SELECT count(*) || ' ' || min(status) FROM oversight.award WHERE ocid = 'ocds-x'") $(q "SELECT count(*) FROM oversight.ocds_release WHERE ocid = 'ocds-x'")" \
	"1 active 2" "the award of the newer release is stored, and both releases are kept"
is "$(q "SELECT source_document->'tender'->>'title' || ' ' || jsonb_array_length(source_document->'awards') || ' ' || (source_document->>'tag') FROM oversight.procurement_process")" \
	'Beds 1 ["compiled"]' "the compiled document holds the tender and the award"
same_database "$X1" "$X2" "the minimal case in either order: identical databases"
new_database order_x3
X3=$DB
printf '{"releases":[%s,%s]}\n' "$(cat "$WORK/x-award.json")" "$(cat "$WORK/x-tender.json")" >"$WORK/x-package.json"
loaded "$WORK/x-package.json" >/dev/null
same_database "$X1" "$X3" "and the same as both releases in one package"
DB=$X1
out=$(loaded "$WORK/x-award.json" "$WORK/x-tender.json" "$WORK/x-package.json")
is "$(printf '%s\n' "$out" | grep -c '"rows_loaded":0,"rows_updated":0,"rows_unchanged":[12],"rows_quarantined":0')" 3 "reloading either file or the package: every release unchanged"
same_database "$X1" "$X3" "and the database is as it was"

# ---- A file without JSON text: unusable, exit 3, no ledger row (README: exit codes).
: >"$WORK/empty.json"
: >"$WORK/empty.jsonl"
printf ' \n\n' >"$WORK/blank.json"
for f in empty.json empty.jsonl blank.json; do
	load ocds -q --no-progress "$WORK/$f" >/dev/null 2>"$WORK/empty.err"
	is "$?" 3 "$f: no JSON text, exit 3"
done
like "$(cat "$WORK/empty.err")" 'blank.json: .*no JSON text' "the message names the file and says why"
is "$(q "SELECT count(*) FROM oversight.load WHERE file_name LIKE '%empty.json%' OR file_name LIKE '%blank.json'")" 0 "nothing recorded for them"

# ---- A real multi-release sample, one release per file.
[ -n "${SHARED_DATA:-}" ] && [ -d "$SHARED_DATA/ocds" ] || { diag "SHARED_DATA not set: real samples skipped"; echo "ok $((TAP_N + 1)) # SKIP SHARED_DATA not set"; TAP_N=$((TAP_N + 1)); done_testing; exit; }
command -v python3 >/dev/null || { echo "ok $((TAP_N + 1)) # SKIP python3 needed to split the samples"; TAP_N=$((TAP_N + 1)); done_testing; exit; }

# The fictional process's six releases (its package, split), UK Contracts Finder's releases (two different
# releases under one id and date for most processes, as published) and ProZorro's (bids), one release per
# file, plus one release without an ocid; three shuffled orders of the files and one package of them all.
# Counted by python's json module, independently of the loader.
mkdir -p "$WORK/split"
read -r n_files n_releases n_distinct n_ocids < <(python3 - "$SHARED_DATA/ocds" "$WORK" <<'PY'
import glob, json, os, random, sys
src, work = sys.argv[1], sys.argv[2]
releases = json.load(open(src + '/fictional/1.1/ocds-213czf-000-00001.json'))['releases']
for pattern in ('/real/uk-contracts-finder/sample/releases/*.json', '/real/ukraine/sample/releases/*.json'):
    releases += [json.load(open(f)) for f in sorted(glob.glob(src + pattern))]
files = []
for i, r in enumerate(releases):
    name = '%s/split/%03d.json' % (work, i + 1)
    json.dump(r, open(name, 'w'), ensure_ascii=False)
    files.append(name)
bad = {'id': 'no-ocid', 'date': '2024-01-01T00:00:00Z', 'tender': {'title': 'orphan'}}
json.dump(bad, open(work + '/split/bad.json', 'w'))
files.append(work + '/split/bad.json')
json.dump({'version': '1.1', 'releases': releases[::-1] + [bad]}, open(work + '/all.json', 'w'), ensure_ascii=False)
orders = set()
for seed in (1, 2, 3):
    order = files[:]
    random.Random(seed).shuffle(order)
    orders.add(tuple(order))
    open('%s/order%d' % (work, seed), 'w').write('\n'.join(order) + '\n')
assert len(orders) == 3 and tuple(files) not in orders
distinct = {(r['ocid'], json.dumps(r, sort_keys=True)) for r in releases}
print(len(files), len(releases), len(distinct), len({r['ocid'] for r in releases}))
PY
)
diag "$n_files files, $n_releases releases ($n_distinct distinct) of $n_ocids processes, one without an ocid"
load_in_orders order_s "$WORK/order" "$n_files" :
dbs=("${DBS[@]}")
new_database order_pk
PK=$DB
out=$(loaded "$WORK/all.json")
like "$out" "\"rows_read\":$((n_releases + 1)),\"rows_loaded\":$n_distinct,\"rows_updated\":0,\"rows_unchanged\":$((n_releases - n_distinct)),\"rows_quarantined\":1" \
	"the package: every release read, the distinct ones stored, the one without an ocid quarantined"
same_database "${dbs[0]}" "${dbs[1]}" "shuffled orders 1 and 2: identical databases"
same_database "${dbs[0]}" "${dbs[2]}" "shuffled orders 1 and 3: identical databases"
same_database "${dbs[0]}" "$PK" "one release per file and one package: identical databases"

# Nothing silently dropped, in each database: every release read is stored or quarantined with its reason.
for db in "${dbs[@]}" "$PK"; do
	is "$(q "SELECT count(*) FROM oversight.ocds_release" "$db") $(q "SELECT count(DISTINCT ocid) FROM oversight.ocds_release" "$db") $(q "SELECT count(*) FROM oversight.procurement_process" "$db")" \
		"$n_distinct $n_ocids $n_ocids" "$db: the $n_distinct distinct releases stored, one process per ocid"
	is "$(q "SELECT string_agg(reason, '; ') FROM oversight.quarantine" "$db")" "release has no ocid" "$db: the release without an ocid quarantined with its reason"
	is "$(q "SELECT sum(rows_read) || ' ' || sum(rows_loaded + rows_updated + rows_unchanged + rows_quarantined) || ' ' || sum(rows_loaded + rows_updated) FROM oversight.load" "$db")" \
		"$((n_releases + 1)) $((n_releases + 1)) $n_distinct" "$db: the ledger accounts for every release read"
done
DB=${dbs[1]}
is "$(q "SELECT title || ' / ' || (SELECT count(*) FROM oversight.award a WHERE a.ocid = p.ocid) || ' / ' || (SELECT count(*) FROM oversight.contract c WHERE c.ocid = p.ocid)
         || ' / ' || jsonb_array_length(source_document->'parties') FROM oversight.procurement_process p WHERE ocid = 'ocds-213czf-000-00001'")" \
	"$(python3 - "$SHARED_DATA/ocds" <<'PY'
import json, sys
rs = sorted(json.load(open(sys.argv[1] + '/fictional/1.1/ocds-213czf-000-00001.json'))['releases'], key=lambda r: r['date'])
title, awards, contracts, parties = None, set(), set(), set()
for r in rs:
    title = r.get('tender', {}).get('title', title)
    awards |= {a['id'] for a in r.get('awards', [])}
    contracts |= {c['id'] for c in r.get('contracts', [])}
    parties |= {p['id'] for p in r.get('parties', [])}
print('%s / %d / %d / %d' % (title, len(awards), len(contracts), len(parties)))
PY
)" "the fictional process compiled from its six files: the last title, every award, contract and party"
is "$(q "SELECT count(*) FROM oversight.bid")" \
	"$(python3 - "$WORK" <<'PY'
import glob, json, sys
bids = set()
for f in glob.glob(sys.argv[1] + '/split/*.json'):
    r = json.load(open(f))
    for i, b in enumerate((r.get('bids') or {}).get('details', [])):
        bids.add((r['ocid'], str(b.get('id', '#%d' % (i + 1)))))
print(len(bids))
PY
)" "every bid of the ProZorro releases present"

# Reloading changes nothing: every file again, in another order, then the package.
DB=${dbs[0]}
canonical "$DB" "$WORK/before.dump"
mapfile -t files <"$WORK/order2"
out=$(loaded "${files[@]}")
is "$(printf '%s\n' "$out" | grep -c '"rows_loaded":0,"rows_updated":0,')" "$n_files" "every file reloaded: nothing loaded or updated"
is "$(printf '%s\n' "$out" | grep -o '"rows_unchanged":[0-9]*' | awk -F: '{s += $2} END {print s}')" "$n_releases" "the ledger says every release unchanged"
out=$(loaded "$WORK/all.json")
like "$out" "\"rows_loaded\":0,\"rows_updated\":0,\"rows_unchanged\":$n_releases,\"rows_quarantined\":1" "the package reloaded: every release unchanged"
canonical "$DB" "$WORK/after.dump"
cmp -s "$WORK/before.dump" "$WORK/after.dump"
ok "$?" "no new or changed row after the reloads"
done_testing
