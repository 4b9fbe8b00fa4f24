#!/usr/bin/env bash
# A named pipe (mkfifo) as input: the loader opens and reads its input exactly once (detection peeks through
# the same reader), so `cat data.csv > p & oversight-load payments p` loads instead of waiting forever.
source "$(dirname "$0")/lib.sh"
new_database pipe
write_units "$WORK/units.csv"
load org-units -q "$WORK/units.csv" >/dev/null 2>&1
is "$?" 0 "org units load with exit 0"

# CSV and OCDS; `timeout` turns a loader waiting for a second writer into a failure.
rm -f "$WORK/pipe.csv"
mkfifo "$WORK/pipe.csv"
printf 'payment_code,payer_unit_code,payee_name,amount,payment_method,paid_on\nP-1,EDU01,x,10,transfer,2024-03-05\n' >"$WORK/two.csv"
cat "$WORK/two.csv" >"$WORK/pipe.csv" &
out=$(timeout 60 "$LOADER" --dsn "dbname=$DB" payments --json -q "$WORK/pipe.csv" 2>&1)
is "$?" 0 "a CSV load from a named pipe finishes (exit 0)"
like "$out" '"rows_read":1,"rows_loaded":1,' "its row was read and loaded"
is "$(q "SELECT file_sha256 || ' ' || file_encoding FROM oversight.load WHERE file_name = '$WORK/pipe.csv'")" "$(sha256sum <"$WORK/two.csv" | cut -d' ' -f1) UTF-8" "the ledger has the SHA-256 of the bytes that came through the pipe"
wait

# Larger than the 4 MiB the encoding detection peeks at: every row arrives once, in order.
awk 'BEGIN { print "payment_code,payer_unit_code,payee_name,amount,payment_method,paid_on"
	for (i = 1; i <= 80000; i++) printf "B%06d,EDU01,供应商%d有限公司,%d.50,transfer,2024-03-05\n", i, i, i }' >"$WORK/big.csv"
rm -f "$WORK/pipe-big.csv"
mkfifo "$WORK/pipe-big.csv"
cat "$WORK/big.csv" >"$WORK/pipe-big.csv" &
out=$(timeout 120 "$LOADER" --dsn "dbname=$DB" payments --json -q "$WORK/pipe-big.csv" 2>&1)
is "$?" 0 "a $(($(wc -c <"$WORK/big.csv") / 1048576)) MiB CSV through a named pipe loads (exit 0)"
like "$out" '"rows_read":80000,"rows_loaded":80000,.*"bytes":'"$(wc -c <"$WORK/big.csv")" "every row and every byte read"
is "$(q "SELECT file_sha256 FROM oversight.load WHERE file_name = '$WORK/pipe-big.csv'")" "$(sha256sum <"$WORK/big.csv" | cut -d' ' -f1)" "same SHA-256 as the file"
wait
rm -f "$WORK/pipe.jsonl"
mkfifo "$WORK/pipe.jsonl"
printf '{"ocid":"ocds-f-1"}\n{"ocid":"ocds-f-2"}\n' >"$WORK/pipe.jsonl" &
out=$(timeout 60 "$LOADER" --dsn "dbname=$DB" ocds --json -q "$WORK/pipe.jsonl" 2>&1)
is "$?" 0 "an OCDS load from a named pipe finishes (exit 0)"
like "$out" '"rows_read":2,"rows_loaded":2' "both lines were read"
wait
done_testing
