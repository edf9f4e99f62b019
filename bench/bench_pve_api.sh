#!/bin/sh
# Benchmark (issue 6): scan N generated VMs (default 2,000) through the PVE API
# test server with LATENCY_MS (default 25) of latency on every request.
# Targets: --jobs 16 within 1.5x of the ideal requests x latency / 16, and at
# least 10x faster than --jobs 1. Also shows connections, the most requests
# in flight and peak memory. Never part of `make check`.
#
# usage: bench/bench_pve_api.sh [VMNETLINT] [N]    (or: make bench)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/vmnetlint}
n=${2:-2000}
lat=${LATENCY_MS:-25}
PY=${PYTHON3:-python3}
api="$here/../tests/pveapi"
work=$(mktemp -d "${TMPDIR:-/tmp}/vnl-bench-api.XXXXXX")
pid=""
cleanup() {
	[ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

"$PY" "$api/pveapi_server.py" --make-cert "$work/cert" >/dev/null
# Nagle off: the server leaves it on, which adds ~40 ms to each answer on a
# kept-alive connection (a delayed ACK); reported to the test server's owner.
"$PY" -c 'import sys; sys.dont_write_bytecode = True; sys.path.insert(0, sys.argv[1])
import pveapi_server as s
s.ApiRequestHandler.disable_nagle_algorithm = True
sys.exit(s.main(sys.argv[2:]))' "$api" --generate "$n" --seed 1 --latency-ms "$lat" \
	--cert "$work/cert/cert.pem" --key "$work/cert/key.pem" --port 0 \
	--port-file "$work/port" --max-seconds 3600 --quiet &
pid=$!
i=0
while [ ! -s "$work/port" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
url="https://127.0.0.1:$(cat "$work/port")"
export PROXMOX_VE_API_TOKEN='root@pam!vmnetlint=test-secret'

counter() {
	curl -sS --cacert "$work/cert/cert.pem" "$url/__control" |
		"$PY" -c 'import json, sys; print(json.load(sys.stdin)["data"][sys.argv[1]])' "$1"
}

# scan JOBS: prints "seconds requests connections max_in_flight peak_rss_kib"
scan() {
	curl -sS --cacert "$work/cert/cert.pem" -o /dev/null -X POST \
		--data '{"reset_counters": true}' "$url/__control"
	start=$(date +%s.%N)
	/usr/bin/time -f '%M' -o "$work/rss" "$bin" scan -q --no-config --fail-on never \
		--pve "$url" --cacert "$work/cert/cert.pem" --jobs "$1" >"$work/out" 2>"$work/err" || {
		echo "scan failed:" >&2
		tail -5 "$work/err" >&2
		exit 1
	}
	end=$(date +%s.%N)
	echo "$(echo "$end - $start" | bc) $(counter requests_total) $(counter connections)" \
		"$(counter max_in_flight) $(cat "$work/rss")"
}

echo "PVE API: $n VMs, ${lat} ms latency per request"
set -- $(scan 16)
t16=$1 req=$2 conn16=$3 max16=$4 rss16=$5
ideal=$(echo "scale=3; $req * $lat / 1000 / 16" | bc)
echo "--jobs 16: ${t16}s for $req requests over $conn16 connections," \
	"at most $max16 in flight, peak RSS $((rss16 / 1024)) MiB"
echo "ideal:     ${ideal}s (requests x latency / 16);" \
	"ratio $(echo "scale=2; $t16 / $ideal" | bc)x (target <= 1.5x)"
set -- $(scan 1)
t1=$1
echo "--jobs 1:  ${t1}s over $3 connection(s);" \
	"--jobs 16 is $(echo "scale=1; $t1 / $t16" | bc)x faster (target >= 10x)"
