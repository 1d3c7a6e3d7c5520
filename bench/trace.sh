#!/bin/bash
# bench/trace.sh: trace overhead, completeness and start-up of `nltrace -- CMD`
# (see /work/shared/BENCHMARKS.md). Run as root from the module root:
#   sudo bench/trace.sh [RUNS]
# Builds nltrace, fills a throwaway netns with 100,000 routes, and times
# `ip route show` (20 times per run, inside one shell) untraced, under nltrace
# (text to /dev/null, and -w pcapng) and under strace -f. Prints medians, and
# the start-up and exit times of nltrace itself.
set -euo pipefail
RUNS=${1:-5}
NS=nltrace-bench-$$
BIN=$(mktemp -d)/nltrace
go build -o "$BIN" ./cmd/nltrace
cleanup() { ip netns del "$NS" 2>/dev/null || true; rm -rf "$(dirname "$BIN")"; }
trap cleanup EXIT

. "$(dirname "$0")/routes.sh"
make_route_netns "$NS"
ROUTES=$(ip -n "$NS" route show | wc -l)

# The workload times itself, so start-up and exit of the tracer do not count.
LOOP='TIMEFORMAT=%R; time (for i in $(seq 20); do ip route show >/dev/null; done)'
run() { ip netns exec "$NS" "$@" bash -c "$LOOP" 2>&1 >/dev/null | grep -E '^[0-9.]+$' | tail -1; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# The modes take turns within each run, so that a noisy neighbour hits them
# alike. SKIP_STRACE=1 leaves strace out (it takes minutes).
MODES="untraced nltrace nltrace-pcapng"
[ -z "${SKIP_STRACE:-}" ] && MODES="$MODES strace"
TMP=$(dirname "$BIN")
for _ in $(seq "$RUNS"); do
	for mode in $MODES; do
		case $mode in
		untraced) run ;;
		nltrace) run "$BIN" -o /dev/null -- ;;
		nltrace-pcapng) run "$BIN" -w /dev/null -- ;;
		strace) run strace -f -e trace=network -o /dev/null ;;
		esac >>"$TMP/times.$mode"
	done
done
declare -A T
for mode in $MODES; do T[$mode]=$(median <"$TMP/times.$mode"); done

# Completeness: one dump, counted from JSON lines; drops from the summary.
SUMMARY=$(ip netns exec "$NS" "$BIN" --format json --type RTM_NEWROUTE -o "$TMP/routes.json" -- ip route show 2>&1 >/dev/null)
CAPTURED=$(grep -c '"direction":"from-kernel"' "$TMP/routes.json" || true)
DROPS=$(echo "$SUMMARY" | sed -n 's/.*dropped: \([0-9]*\).*/\1/p')

# Start-up: launch until the traced command runs. Exit: the traced command's
# end until nltrace has detached and exited.
for _ in $(seq "$RUNS"); do
	s=$(date +%s%N)
	t=$("$BIN" -o /dev/null -- date +%s%N 2>/dev/null)
	e=$(date +%s%N)
	echo "$(((t - s) / 1000000)) $(((e - t) / 1000000))" >>"$TMP/startexit"
done
START=$(cut -d' ' -f1 "$TMP/startexit" | median)
EXIT=$(cut -d' ' -f2 "$TMP/startexit" | median)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }
printf '| %-34s | %10s | %8s |\n' "ip route show x20, $ROUTES routes" "median s" "ratio"
printf '|%s|%s|%s|\n' "------------------------------------" "------------" "----------"
for mode in $MODES; do
	printf '| %-34s | %10s | %8s |\n' "$mode" "${T[$mode]}" "$(ratio "${T[$mode]}" "${T[untraced]}")"
done
echo
echo "completeness: RTM_NEWROUTE captured $CAPTURED of $ROUTES routes, drops $DROPS"
echo "start-up: median $START ms (launch until the traced command runs), $RUNS runs"
echo "exit: median $EXIT ms (the traced command's end until nltrace exits), $RUNS runs"
