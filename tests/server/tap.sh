# TAP helpers of the server tests (sourced): numbered results, a comparison and a pattern match that print
# what was got when they fail.
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; }
is() { if [ "$1" == "$2" ]; then ok "$3"; else not_ok "$3"; printf '#   got:      %s\n#   expected: %s\n' "$1" "$2"; fi; }
like() { if printf '%s' "$1" | grep -Eq -- "$2"; then ok "$3"; else not_ok "$3"; printf '#   got: %s\n#   want: /%s/\n' "$1" "$2"; fi; }
