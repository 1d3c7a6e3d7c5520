# bench/lib.sh, sourced by the bench scripts: medians, spreads, and the CPU
# time nltrace itself used while tracing a command.

# median: the median of the numbers on standard input, one a line.
median() { sort -g | awk '{a[NR]=$1} END {if (NR) print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# spread: "min-max" of the numbers on standard input.
spread() { sort -g | awk 'NR==1 {lo=$1} {hi=$1} END {if (NR) print lo "-" hi}'; }

# seconds converts each field of bash's `times` output (1m2.345s) to
# seconds, one a line.
seconds() { awk '{for (i = 1; i <= NF; i++) {split($i, p, "m"); sub("s", "", p[2]); print p[1] * 60 + p[2]}}'; }

# traced_cpu OUT NLTRACE-ARGS... -- SCRIPT: runs nltrace NLTRACE-ARGS --
# bash -c SCRIPT and appends to OUT one line "OWN MESSAGES RECORDS DROPPED
# WALL": nltrace's own CPU seconds (user+sys), the messages, records and
# dropped records its summary counted, and the script's inner wall time.
# nltrace's own CPU is
# what /usr/bin/time reports for the whole tree minus what the traced shell
# reports for itself and its children (`times`), since nltrace waits for
# the shell and its rusage includes it. The probes' work runs in the traced
# processes' system time, so it is not in OWN: OWN is the user-space side.
traced_cpu() {
	local out=$1 bin=$2
	shift 2
	local args=()
	while [ "$1" != -- ]; do args+=("$1"); shift; done
	shift
	local script=$1 d
	d=$(mktemp -d)
	/usr/bin/time -f '%U %S' -o "$d/rusage" "$bin" "${args[@]}" -- bash -c \
		"TIMEFORMAT=%R; { time ( $script ) ; } 2>\"$d/wall\"; times >\"$d/times\"" >/dev/null 2>"$d/err" || true
	local total shell msgs records dropped wall
	total=$(awk '{print $1 + $2}' "$d/rusage")
	shell=$(seconds <"$d/times" | awk '{s += $1} END {print s}')
	msgs=$(sed -n 's/^nltrace: \([0-9]*\) messages.*/\1/p' "$d/err" | head -1)
	records=$(sed -n 's/^records: \([0-9]*\), dropped: \([0-9]*\).*/\1/p' "$d/err" | head -1)
	dropped=$(sed -n 's/^records: \([0-9]*\), dropped: \([0-9]*\).*/\2/p' "$d/err" | head -1)
	wall=$(grep -E '^[0-9.]+$' "$d/wall" | tail -1)
	echo "$(awk -v t="$total" -v s="$shell" 'BEGIN {printf "%.3f", t - s}') ${msgs:-0} ${records:-0} ${dropped:-0} ${wall:-0}" >>"$out"
	rm -rf "$d"
}
