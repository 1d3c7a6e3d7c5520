#!/bin/bash
# bench/client.sh: a real netlink client's own test suite, traced: the
# tests of github.com/vishvananda/netlink (VERSION, default v1.3.1, fetched
# with `go mod download`), run as root in a throwaway netns (its tests make
# their own namespaces), untraced, under nltrace -w (pcapng to a file in
# /tmp), under nltrace in text mode (-o /dev/null) and under strace -f as
# the peer. Run as root from the module root:
#   sudo bench/client.sh [RUNS]
# The modes take turns within each run; the time is the suite's wall time
# inside the traced shell. Prints medians with the spread, the messages
# nltrace captured and dropped, and how many tests passed in each mode (the
# suite's failures on this host are its own: missing /proc/modules, a
# read-only sysfs, newer kernel flags; the counts show they are the same
# traced and untraced).
set -euo pipefail
RUNS=${1:-3}
VERSION=${VERSION:-v1.3.1}
NS=nltrace-bench-$$
TMP=$(mktemp -d)
BIN=$TMP/nltrace
go build -o "$BIN" ./cmd/nltrace
cleanup() { ip netns del "$NS" 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$TMP" && GOFLAGS=-mod=mod go mod download -json "github.com/vishvananda/netlink@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
cp -r "$SRC" "$TMP/src"
chmod -R u+w "$TMP/src"
(cd "$TMP/src" && go test -c -o "$TMP/suite.test" .)
ip netns add "$NS"
ip -n "$NS" link set lo up

SUITE="cd $TMP/src && $TMP/suite.test -test.count 1 -test.v >$TMP/suite.out 2>&1"
passed() { grep -c -- '--- PASS' "$TMP/suite.out" || true; }
MODES="untraced pcapng text strace"
[ -n "${SKIP_STRACE:-}" ] && MODES="untraced pcapng text"
for _ in $(seq "$RUNS"); do
	for mode in $MODES; do
		case $mode in
		untraced) ip netns exec "$NS" bash -c "TIMEFORMAT=%R; { time ( $SUITE || true ) ; } 2>&1 | tail -1" >>"$TMP/wall.$mode" ;;
		strace) ip netns exec "$NS" strace -f -o /dev/null bash -c "TIMEFORMAT=%R; { time ( $SUITE || true ) ; } 2>&1 | tail -1" >>"$TMP/wall.$mode" ;;
		pcapng | text)
			args=(-o /dev/null)
			[ "$mode" = pcapng ] && args=(-w "$TMP/suite.pcapng")
			ip netns exec "$NS" bash -c "$(declare -f traced_cpu seconds); traced_cpu $TMP/run.$mode $BIN ${args[*]} -- '$SUITE || true'"
			tail -1 "$TMP/run.$mode" | cut -d' ' -f5 >>"$TMP/wall.$mode"
			rm -f "$TMP/suite.pcapng"
			;;
		esac
		passed >>"$TMP/passed.$mode"
	done
done
BASE=$(median <"$TMP/wall.untraced")
printf '| %-9s | %-22s | %-7s | %-22s | %-13s |\n' mode "suite wall s (spread)" ratio "messages (dropped)" "tests passed"
printf '|%s|%s|%s|%s|%s|\n' ----------- ------------------------ --------- ------------------------ ---------------
for mode in $MODES; do
	w=$(median <"$TMP/wall.$mode")
	m=- 
	[ -f "$TMP/run.$mode" ] && m="$(cut -d' ' -f2 "$TMP/run.$mode" | median) ($(cut -d' ' -f4 "$TMP/run.$mode" | sort -n | tail -1))"
	printf '| %-9s | %-22s | %-7s | %-22s | %-13s |\n' "$mode" "$w ($(spread <"$TMP/wall.$mode"))" \
		"$(awk -v a="$w" -v b="$BASE" 'BEGIN {printf "%.2fx", a / b}')" "$m" "$(spread <"$TMP/passed.$mode")"
done
