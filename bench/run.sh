#!/usr/bin/env bash
# Benchmarks (`make bench`): one throwaway cluster, then every bench/*/run.sh in it. Each benchmark
# measures its baseline in the same run and reports ratios (bench/out/*.csv); the machine is noted.
# Benchmarks are never part of `make test`: timings prove nothing on a shared CI machine.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export OVERSIGHT_ROOT=$ROOT
source "$ROOT/scripts/cluster.sh"

make -s -C "$ROOT" >/dev/null
if [ -f "$ROOT/loader/Makefile" ]; then make -s -C "$ROOT/loader" >/dev/null; export LOADER=$ROOT/loader/build/oversight-load; fi
mkdir -p "$ROOT/bench/out"
{
	echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
	echo "postgres: $(pg_config --version); compiler: $(g++ --version | head -1)"
	echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
} | tee "$ROOT/bench/out/machine.txt"

# A benchmark cluster: still throwaway, but with the settings a bulk-loading server would have.
CLUSTER_SERVER_OPTIONS="-c shared_buffers=1GB -c max_wal_size=8GB -c checkpoint_timeout=30min -c work_mem=64MB -c maintenance_work_mem=512MB" cluster_start

status=0
for bench in "$ROOT"/bench/*/run.sh; do
	[ -e "$bench" ] || continue
	echo
	echo "==== $(basename "$(dirname "$bench")")"
	bash "$bench" || { echo "benchmark $bench failed"; status=1; }
done
exit $status
