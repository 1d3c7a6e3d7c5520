#!/bin/bash
# bench/cpu.sh: nltrace's own CPU time (user+sys) per captured message, in
# text mode (-o /dev/null) and with -w (pcapng to a file in /tmp), for
# workload A of /work/shared/BENCHMARKS.md: 20 x `ip route show` of 100,001
# routes in one traced shell. Run as root from the module root:
#   sudo bench/cpu.sh [RUNS]
# The modes take turns within each run. nltrace's fixed cost (start-up:
# loading and attaching the probes; exit) is measured on an empty script in
# the same run and taken off, so the figure is the cost of the messages.
# Prints medians with the spread over the runs, and the traced loop's wall
# time beside the untraced one's.
set -euo pipefail
RUNS=${1:-5}
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

LOOP='for i in $(seq 20); do ip route show >/dev/null; done'
for _ in $(seq "$RUNS"); do
	ip netns exec "$NS" bash -c "TIMEFORMAT=%R; { time ( $LOOP ) ; } 2>&1 | tail -1" >>"$TMP/untraced"
	for mode in text pcapng; do
		case $mode in
		text) args=(-o /dev/null) ;;
		pcapng) args=(-w "$TMP/cap.pcapng") ;;
		esac
		ip netns exec "$NS" bash -c "$(declare -f traced_cpu seconds); traced_cpu $TMP/empty.$mode $BIN ${args[*]} -- true"
		ip netns exec "$NS" bash -c "$(declare -f traced_cpu seconds); traced_cpu $TMP/loop.$mode $BIN ${args[*]} -- '$LOOP'"
		rm -f "$TMP/cap.pcapng"
	done
done
UNTRACED=$(median <"$TMP/untraced")
printf '| %-8s | %-22s | %-16s | %-14s | %-20s | %-9s |\n' mode "own CPU per message" "fixed cost s" "messages/run" "loop wall s (ratio)" dropped
printf '|%s|%s|%s|%s|%s|%s|\n' ---------- ------------------------ ------------------ ---------------- ---------------------- -----------
for mode in text pcapng; do
	fixed=$(cut -d' ' -f1 "$TMP/empty.$mode" | median)
	per=$(awk -v f="$fixed" '{printf "%.3f\n", ($1 - f) / $2 * 1e6}' "$TMP/loop.$mode")
	wall=$(cut -d' ' -f5 "$TMP/loop.$mode" | median)
	printf '| %-8s | %-22s | %-16s | %-14s | %-20s | %-9s |\n' "$mode" \
		"$(echo "$per" | median) µs ($(echo "$per" | spread))" "$fixed" \
		"$(cut -d' ' -f2 "$TMP/loop.$mode" | median)" \
		"$wall ($(awk -v a="$wall" -v b="$UNTRACED" 'BEGIN {printf "%.2fx", a / b}'))" \
		"$(cut -d' ' -f4 "$TMP/loop.$mode" | sort -n | tail -1)"
done
echo "untraced loop: median $UNTRACED s ($(spread <"$TMP/untraced")) over $RUNS runs"
