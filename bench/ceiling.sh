#!/bin/bash
# bench/ceiling.sh: the sustained rate of small messages nltrace captures
# with -w (pcapng to a file in /tmp) and the default ring buffer, and
# whether it drops any: K parallel loops of `ip route show` over 100,001
# routes (RTM_NEWROUTE messages of 52 bytes in 32 KiB receives) for SECONDS
# each, for K = 1, 2 and 4. Run as root from the module root:
#   sudo bench/ceiling.sh [SECONDS] [RUNS]
# Prints, per K, the messages captured per second of the loops' wall time
# and the records dropped (medians and spread over RUNS). The ceiling is
# the highest rate with 0 drops; on a 2-core machine the loops and nltrace
# share the cores, so the workload's own rate bounds what is measured.
set -euo pipefail
SECS=${1:-10}
RUNS=${2:-3}
NS=nltrace-bench-$$
TMP=$(mktemp -d)
BIN=$TMP/nltrace
go build -o "$BIN" ./cmd/nltrace
cleanup() { ip netns del "$NS" 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
DIR=$(dirname "$0")
. "$DIR/routes.sh"
. "$DIR/lib.sh"
make_route_netns "$NS"

for _ in $(seq "$RUNS"); do
	for k in 1 2 4; do
		LOOP="end=\$((SECONDS + $SECS)); for j in \$(seq $k); do (while [ \$SECONDS -lt \$end ]; do ip route show >/dev/null; done) & done; wait"
		ip netns exec "$NS" bash -c "$(declare -f traced_cpu seconds); traced_cpu $TMP/run.$k $BIN -w $TMP/c.pcapng -- '$LOOP'"
		rm -f "$TMP/c.pcapng"
	done
done
printf '| %-14s | %-30s | %-16s | %-26s |\n' "parallel loops" "messages/s captured (spread)" "dropped (max)" "nltrace own CPU per message"
printf '|%s|%s|%s|%s|\n' ---------------- -------------------------------- ------------------ ----------------------------
for k in 1 2 4; do
	rate=$(awk '$5 > 0 {printf "%.0f\n", $2 / $5}' "$TMP/run.$k")
	per=$(awk '$2 > 0 {printf "%.3f\n", $1 / $2 * 1e6}' "$TMP/run.$k")
	printf '| %-14s | %-30s | %-16s | %-26s |\n' "$k" "$(echo "$rate" | median) ($(echo "$rate" | spread))" \
		"$(cut -d' ' -f4 "$TMP/run.$k" | sort -n | tail -1)" "$(echo "$per" | median) µs"
done
