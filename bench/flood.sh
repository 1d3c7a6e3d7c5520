#!/bin/bash
# bench/flood.sh: one process floods RTM_GETLINK requests (each followed by
# the receive of its ~1.5 KB reply) for SECONDS, untraced, under nltrace in
# text mode (-o /dev/null) and with -w (pcapng to a file in /tmp), with the
# default ring buffer, and under strace -f as the peer. Run as root from the
# module root:
#   sudo bench/flood.sh [SECONDS] [RUNS]
# The modes take turns within each run. For every traced run it checks
# that the records captured plus those counted as dropped equal the send
# and receive calls the program made (it prints them), and it prints the
# call rate, the share dropped and nltrace's own CPU per captured record
# (start-up and exit, measured on an empty command in the same run, taken
# off). Medians with the spread over the runs.
set -euo pipefail
SECS=${1:-10}
RUNS=${2:-3}
NS=nltrace-bench-$$
TMP=$(mktemp -d)
BIN=$TMP/nltrace
PROG=$TMP/netlinkprog
go build -o "$BIN" ./cmd/nltrace
go build -o "$PROG" ./cmd/nltrace/testdata/netlinkprog
cleanup() { ip netns del "$NS" 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
. "$(dirname "$0")/lib.sh"
ip netns add "$NS"
ip -n "$NS" link set lo up

FLOOD="$PROG -log /dev/null flood ${SECS}s >$TMP/flood.out"
calls() { sed -n 's/^flood: .* records \([0-9]*\) in \([0-9.]*\) s/\1 \2/p' "$TMP/flood.out"; }
MODES="untraced text pcapng strace"
[ -n "${SKIP_STRACE:-}" ] && MODES="untraced text pcapng"
BAD=0
for _ in $(seq "$RUNS"); do
	for mode in $MODES; do
		case $mode in
		untraced) ip netns exec "$NS" bash -c "$FLOOD" ;;
		strace) ip netns exec "$NS" strace -f -o /dev/null bash -c "$FLOOD" ;;
		text | pcapng)
			args=(-o /dev/null)
			[ "$mode" = pcapng ] && args=(-w "$TMP/flood.pcapng")
			ip netns exec "$NS" bash -c "$(declare -f traced_cpu seconds); traced_cpu $TMP/empty.$mode $BIN ${args[*]} -- true"
			ip netns exec "$NS" bash -c "$(declare -f traced_cpu seconds); traced_cpu $TMP/run.$mode $BIN ${args[*]} -- '$FLOOD'"
			rm -f "$TMP/flood.pcapng"
			;;
		esac
		read -r n secs < <(calls)
		echo "$n $secs" >>"$TMP/calls.$mode"
		if [ "$mode" = text ] || [ "$mode" = pcapng ]; then
			read -r _ _ rec drop _ < <(tail -1 "$TMP/run.$mode")
			if [ $((rec + drop)) -ne "$n" ]; then
				echo "MISMATCH $mode: captured $rec + dropped $drop != $n calls" >&2
				BAD=1
			fi
		fi
	done
done

printf '| %-8s | %-24s | %-24s | %-18s | %-22s |\n' mode "calls/s (spread)" "dropped % (spread)" "captured+dropped" "own CPU per record"
printf '|%s|%s|%s|%s|%s|\n' ---------- -------------------------- -------------------------- -------------------- ------------------------
for mode in $MODES; do
	rate=$(awk '{printf "%.0f\n", $1 / $2}' "$TMP/calls.$mode")
	drop=- check=- per=-
	if [ -f "$TMP/run.$mode" ]; then
		drop=$(paste -d' ' "$TMP/run.$mode" "$TMP/calls.$mode" | awk '{printf "%.1f\n", 100 * $4 / $6}')
		drop="$(echo "$drop" | median) ($(echo "$drop" | spread))"
		check=$(paste -d' ' "$TMP/run.$mode" "$TMP/calls.$mode" | awk '$3 + $4 != $6 {bad++} END {print (bad ? bad " runs differ" : "= calls, every run")}')
		fixed=$(cut -d' ' -f1 "$TMP/empty.$mode" | median)
		per=$(awk -v f="$fixed" '$3 > 0 {printf "%.3f\n", ($1 - f) / $3 * 1e6}' "$TMP/run.$mode")
		per="$(echo "$per" | median) µs ($(echo "$per" | spread))"
	fi
	printf '| %-8s | %-24s | %-24s | %-18s | %-22s |\n' "$mode" "$(echo "$rate" | median) ($(echo "$rate" | spread))" "$drop" "$check" "$per"
done
exit $BAD
