#!/usr/bin/env bash
# Installs the Debian 12 packages the build, the tests, the demo and the benchmarks need, when missing.
# As root it uses apt-get directly; otherwise sudo; with neither it prints the command to run.
# README "Dependencies" says why each one is there.
set -euo pipefail

packages=(
	make g++ pkg-config                           # the build
	postgresql-15 postgresql-server-dev-15        # the server, and PGXS + server headers for the extension
	postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl   # pgTAP and pg_prove
	postgresql-15-cron                            # pg_cron: runs the sweeper on a schedule inside the server
	libgtest-dev                                  # GoogleTest, for the pure C++ units
	libpqxx-dev libpq-dev                         # the loader's PostgreSQL client (libpqxx 6.4 over libpq)
	libboost-program-options-dev                  # the loader's command line
	libcsv-dev                                    # RFC 4180 CSV parsing in the loader
	libsimdjson-dev                               # OCDS JSON parsing in the loader
	nlohmann-json3-dev                            # JSON trees: rule parameters, mappings, OCDS merging, payloads
	libssl-dev                                    # SHA-256 of input files (load ledger)
	libhowardhinnant-date-dev                     # calendar dates in the loader (civil-date arithmetic)
	libfmt-dev                                    # formatting of messages, progress and summaries
	python3                                       # tests/loader/04_ocds.t counts the OCDS samples independently
	bc time                                       # benchmark arithmetic and peak-memory measurement
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi

echo "installing missing packages: ${missing[*]}"
if [ "$(id -u)" = 0 ]; then
	apt_get=(apt-get)
elif command -v sudo >/dev/null 2>&1; then
	apt_get=(sudo apt-get)
else
	echo "not root and no sudo: run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${apt_get[@]}" update -qq
"${apt_get[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "installed: ${missing[*]}"
