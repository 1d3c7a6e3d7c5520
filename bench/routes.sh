# bench/routes.sh, sourced by the bench scripts: make_route_netns NS creates
# the netns NS with a bridge br0 and 100,000 /32 routes through it (workload A
# of /work/shared/BENCHMARKS.md), built with one `ip -batch`.
make_route_netns() {
	local ns=$1
	ip netns add "$ns"
	ip -n "$ns" link add br0 type bridge
	ip -n "$ns" link set br0 up
	ip -n "$ns" addr add 10.0.0.1/8 dev br0
	# Exactly 100,000 lines: a producer cut short by head would fail the
	# pipeline under pipefail, at random.
	awk 'BEGIN { for (i = 0; i < 100000; i++) printf "route add 172.%d.%d.%d/32 dev br0\n", 16 + int(i / 65536), int(i / 256) % 256, i % 256 }' |
		ip -n "$ns" -batch -
}
