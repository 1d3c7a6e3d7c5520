#!/usr/bin/env bash
# Records the captures in testdata/captures: real conntrack, ipset, nft and
# tshark runs traced by nltrace in throwaway network namespaces. Needs root,
# conntrack, ipset, nft, tshark and python3. Run from decode/nfct:
#   sudo testdata/record.sh
# The host's own namespace is never touched.
set -euo pipefail
out=$(pwd)/testdata/captures
bin=$(mktemp -d)/nltrace
(cd ../.. && go build -o "$bin" ./cmd/nltrace)
a=nfct-rec-a-$$ b=nfct-rec-b-$$
cleanup() { ip netns del $a 2>/dev/null || true; ip netns del $b 2>/dev/null || true; }
trap cleanup EXIT
ip netns add $a; ip netns add $b
ip -n $a link add va type veth peer name vb netns $b
ip -n $a addr add 10.77.0.1/24 dev va; ip -n $b addr add 10.77.0.2/24 dev vb
ip -n $a link set va up; ip -n $b link set vb up; ip -n $a link set lo up; ip -n $b link set lo up
ip -n $a addr add fd77::1/64 dev va nodad; ip -n $b addr add fd77::2/64 dev vb nodad
# Conntrack runs in a namespace only once something there needs it.
ip netns exec $a nft -f - <<'NFT'
table inet t {
	chain in { type filter hook input priority 0; ct state established counter accept; }
	chain out { type filter hook output priority 0; udp dport 9999 log group 5; ct state new counter accept; }
}
NFT
ip netns exec $a sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1
ex() { ip netns exec $a "$@"; }
trace() { name=$1; shift; "$bin" -w "$out/$name.pcapng" -- ip netns exec $a "$@" >/dev/null 2>&1 || true; }
traffic() {
	ip netns exec $b python3 -c '
import socket
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("10.77.0.2",8080)); s.listen(1)
c,_=s.accept(); c.recv(10); c.send(b"pong"); c.close()' &
	sleep 0.3
	ex python3 -c '
import socket
s=socket.create_connection(("10.77.0.2",8080)); s.send(b"ping"); s.recv(10); s.close()'
	ex python3 -c '
import socket, struct
def ck(b):
	s=sum(struct.unpack("!%dH"%(len(b)//2), b)); s=(s>>16)+(s&0xffff); s+=s>>16; return ~s&0xffff
p=struct.pack("!BBHHH",8,0,0,77,1)+b"nltrace"+b"\0"
p=p[:2]+struct.pack("!H",ck(p))+p[4:]
s=socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); s.settimeout(1); s.sendto(p,("10.77.0.2",0)); s.recv(100)
s6=socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6); s6.settimeout(1)
s6.sendto(struct.pack("!BBHHH",128,0,0,78,1)+b"nltrace6",("fd77::2",0)); s6.recv(100)' || true
	ex python3 -c '
import socket
s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b"x",("10.77.0.2",9999))'
	wait
}
# Events: conntrack -E while traffic and conntrack commands make entries.
"$bin" -w "$out/ct-events.pcapng" -- ip netns exec $a timeout 3 conntrack -E -o id >/dev/null 2>&1 &
sleep 1
traffic
ex conntrack -I -p udp -s 10.77.0.9 -d 10.77.0.8 --sport 53 --dport 5353 -t 60 -m 3 --zone 4 >/dev/null 2>&1 || true
ex conntrack -U -p udp -s 10.77.0.9 -m 5 >/dev/null 2>&1 || true
ex conntrack -D -p udp -s 10.77.0.9 >/dev/null 2>&1 || true
wait
traffic
trace ct-list conntrack -L -o extended,id
trace ct-insert conntrack -I -p tcp -s 10.77.0.5 -d 10.77.0.6 --sport 1000 --dport 80 --state ESTABLISHED -t 100 -u ASSURED
trace ct-get conntrack -G -p tcp -s 10.77.0.5 -d 10.77.0.6 --sport 1000 --dport 80
trace ct-update conntrack -U -p tcp -s 10.77.0.5 -m 9
trace ct-filter conntrack -L -p tcp --dport 80 -f ipv4
trace ct-zero conntrack -L -z
trace ct-stats conntrack -S
trace ct-count conntrack -C
trace ct-delete conntrack -D -p tcp -s 10.77.0.5
trace ct-expect conntrack -L expect
trace ct-expect-stats conntrack -S expect
# ipset: creates, adds, errors (4103 IPSET_ERR_EXIST, a bitmap range error),
# lists.
trace ipset-create ipset create s1 hash:ip timeout 100 counters comment
trace ipset-add ipset add s1 10.77.0.1 timeout 50 comment hello
trace ipset-add-again ipset add s1 10.77.0.1
trace ipset-create-net ipset create n6 hash:net,port family inet6 skbinfo
trace ipset-add-net ipset add n6 fd77::/64,tcp:80 skbmark 0x10/0xff skbprio 1:2 skbqueue 3
trace ipset-create-bitmap ipset create b1 bitmap:ip,mac range 10.77.0.0/24
trace ipset-add-bitmap-out ipset add b1 10.78.0.1,02:00:00:00:00:01
trace ipset-create-list ipset create l1 list:set size 8
trace ipset-add-list ipset add l1 s1
trace ipset-list ipset list
trace ipset-save ipset save
trace ipset-test ipset test s1 10.77.0.1
trace ipset-rename ipset rename b1 b2
trace ipset-swap ipset swap s1 s1 
trace ipset-del ipset del s1 10.77.0.1
trace ipset-flush ipset flush s1
trace ipset-destroy-busy ipset destroy s1
trace ipset-destroy ipset destroy -n
trace ipset-names ipset list -n
trace ipset-version ipset version
# nflog: tshark binds log group 5 while a UDP packet hits the log rule.
"$bin" -w "$out/nflog.pcapng" -- ip netns exec $a timeout 4 tshark -i nflog:5 -c 1 -w /dev/null >/dev/null 2>&1 &
sleep 2.5
traffic
wait
trace hooks nft list hooks
if command -v nfct >/dev/null; then
	trace cttimeout-add nfct add timeout t1 inet tcp established 100 close 10
	trace cttimeout-list nfct list timeout
	trace cttimeout-default nfct default-get timeout inet tcp
	trace cthelper-list nfct list helper
fi
if command -v nfacct >/dev/null; then
	trace nfacct-add nfacct add a1
	trace nfacct-list nfacct list
	trace nfacct-get nfacct get a1
	trace nfacct-del nfacct del a1
fi
ls -la "$out"
# cttimeout, cthelper, nfqueue configuration, the hook dump, osf and an FTP
# expectation (ct-expect-ftp) have no tool here or need a scripted peer:
# the host tests make them over a raw socket and record them.
go test -count=1 -run 'Kernel|Expect' -record .
