#!/bin/bash
# bench/profile.sh: CPU and allocation profiles of nltrace read (compact
# text) of a 100,001-route dump and a 5,004-link dump (`ip -d link show` of
# 2,500 veth pairs), and of a live trace (text, and -w) of 5 x `ip route
# show` over those routes, written to OUT (default ./profiles) with the top
# of each printed. Run as root from the module root:
#   sudo bench/profile.sh [OUT]
# Look further with `go tool pprof -http : OUT/nltrace.test OUT/read-routes.cpu`.
set -euo pipefail
OUT=$(realpath -m "${1:-profiles}")
mkdir -p "$OUT"
NS=nltrace-bench-$$
TMP=$(mktemp -d)
cleanup() { ip netns del "$NS" 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
go build -o "$TMP/nltrace" ./cmd/nltrace
go test -c -o "$OUT/nltrace.test" ./cmd/nltrace
. "$(dirname "$0")/routes.sh"
make_route_netns "$NS"
awk 'BEGIN { for (i = 0; i < 2500; i++) printf "link add v%d type veth peer name p%d\n", i, i }' | ip -n "$NS" -batch -
ip netns exec "$NS" "$TMP/nltrace" -w "$OUT/routes.pcapng" -- ip route show >/dev/null 2>&1
ip netns exec "$NS" "$TMP/nltrace" -w "$OUT/links.pcapng" -- ip -d link show >/dev/null 2>&1

prof() { # NAME BENCH [ENV...]
	local name=$1 bench=$2
	shift 2
	(cd cmd/nltrace && env "$@" ip netns exec "$NS" "$OUT/nltrace.test" -test.run '^$' -test.bench "$bench" \
		-test.benchtime 5x -test.cpuprofile "$OUT/$name.cpu" -test.memprofile "$OUT/$name.mem" | grep '^Benchmark')
	echo "== $name: CPU"
	go tool pprof -top -nodecount=15 "$OUT/nltrace.test" "$OUT/$name.cpu" 2>/dev/null | sed -n '/flat%/,$p'
	echo "== $name: allocated bytes"
	go tool pprof -sample_index=alloc_space -top -nodecount=8 "$OUT/nltrace.test" "$OUT/$name.mem" 2>/dev/null | sed -n '/flat%/,$p'
}
prof read-routes ReadFile NLTRACE_BENCH_FILE="$OUT/routes.pcapng"
prof read-links ReadFile NLTRACE_BENCH_FILE="$OUT/links.pcapng"
prof trace-text TraceCommand NLTRACE_BENCH_CMD='for i in 1 2 3 4 5; do ip route show; done'
prof trace-pcapng TraceCommand NLTRACE_BENCH_CMD='for i in 1 2 3 4 5; do ip route show; done' NLTRACE_BENCH_ARGS="-w $TMP/t.pcapng"
