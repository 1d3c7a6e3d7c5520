#!/bin/bash
# bench/decode.sh: `nltrace read FILE` against `tshark -r FILE -V` on the same
# captures, with the resident memory of each (see /work/shared/BENCHMARKS.md,
# "Decode throughput" and "Memory"). Run as root from the module root:
#   sudo bench/decode.sh [RUNS]
# Records, with `nltrace -w`, `ip route show` over 100,000 routes and
# `ip -d link show` over 5,000 veth links in a throwaway netns, then decodes each
# file RUNS times with each tool, the tools taking turns. Prints medians,
# messages/s, and how many of the dumped messages each tool decoded.
# KEEP=DIR keeps the two captures.
set -euo pipefail
RUNS=${1:-3}
NS=nltrace-bench-$$
TMP=$(mktemp -d)
BIN=$TMP/nltrace
go build -o "$BIN" ./cmd/nltrace
cleanup() {
	ip netns del "$NS" 2>/dev/null || true
	[ -n "${KEEP:-}" ] && cp "$TMP"/*.pcapng "$KEEP"/
	rm -rf "$TMP"
}
trap cleanup EXIT

. "$(dirname "$0")/routes.sh"
make_route_netns "$NS"
awk 'BEGIN { for (i = 0; i < 2500; i++) printf "link add v%d type veth peer name p%d\n", i, i }' | ip -n "$NS" -batch -
ip netns exec "$NS" "$BIN" -w "$TMP/routes.pcapng" -- ip route show >/dev/null 2>&1
ip netns exec "$NS" "$BIN" -w "$TMP/links.pcapng" -- ip -d link show >/dev/null 2>&1

# Each run prints "seconds max-RSS-KiB"; GNU time's own clock has only 10 ms
# steps, too coarse for a 0.1 s run.
timed() {
	local start=$EPOCHREALTIME
	/usr/bin/time -f '%M' -o "$TMP/t" "$@" >/dev/null 2>&1 || true
	echo "$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.3f", b - a}') $(cat "$TMP/t")"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# bench NAME TYPE TSHARK-HEADER: TYPE is the dumped message type, and
# TSHARK-HEADER the line tshark -V prints for each one it decodes.
bench() {
	local file=$TMP/$1.pcapng type=$2 header=$3
	local all dumped decoded records
	all=$("$BIN" read --format json "$file" 2>/dev/null | wc -l)
	dumped=$("$BIN" read --format json --type "$type" "$file" 2>/dev/null | wc -l)
	records=$(tshark -r "$file" -T fields -e frame.number 2>/dev/null | wc -l)
	for _ in $(seq "$RUNS"); do
		timed "$BIN" read --format tree -o /dev/null "$file" >>"$TMP/$1.nltrace-tree"
		timed "$BIN" read -o /dev/null "$file" >>"$TMP/$1.nltrace-compact"
		timed tshark -r "$file" -V >>"$TMP/$1.tshark"
	done
	# tshark stops inside big frames on a tree-depth assertion ("Dissector
	# bug"), so count the messages it did print.
	decoded=$(tshark -r "$file" -V 2>/dev/null | grep -c "Netlink message header (type: $header)" || true)

	printf '%s: %s messages, %s of them %s, in %s records, %s bytes\n\n' "$1.pcapng" "$all" "$dumped" "$type" "$records" "$(stat -c %s "$file")"
	printf '| %-16s | %9s | %12s | %18s | %11s |\n' decoder "median s" messages/s "$type" "max RSS MiB"
	printf '|%s|%s|%s|%s|%s|\n' ------------------ ----------- -------------- -------------------- -------------
	for tool in nltrace-tree nltrace-compact tshark; do
		local s rss n=$all got=$dumped
		s=$(cut -d' ' -f1 "$TMP/$1.$tool" | median)
		rss=$(cut -d' ' -f2 "$TMP/$1.$tool" | median)
		[ "$tool" = tshark ] && n=$decoded got=$decoded
		printf '| %-16s | %9s | %12s | %18s | %11s |\n' "$tool" "$s" \
			"$(awk -v n="$n" -v s="$s" 'BEGIN {printf "%.0f", n / s}')" "$got of $dumped" \
			"$(awk -v k="$rss" 'BEGIN {printf "%.1f", k / 1024}')"
	done
	echo
}
bench routes RTM_NEWROUTE 'Add network route'
bench links RTM_NEWLINK 'Create network interface'
