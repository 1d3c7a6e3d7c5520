package rtnl_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/capture"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/rtnl"
	"golang.org/x/sys/unix"
)

// decodedMsg is one decoded message with its tree, for lookups.
type decodedMsg struct {
	tree *decode.Tree
	idx  int
}

// field finds the field at path (names from the message's top level, "/"
// separated), or nil.
func (m decodedMsg) field(path string) *decode.Field {
	names := strings.Split(path, "/")
	fields := m.tree.MessageFields(m.idx)
	depth := uint8(0)
	var found *decode.Field
	for _, name := range names {
		found = nil
		for j := range fields {
			f := &fields[j]
			if f.Depth == depth && f.Name == name {
				found = f
				end := j + 1
				for end < len(fields) && fields[end].Depth > depth {
					end++
				}
				fields = fields[j+1 : end]
				break
			}
		}
		if found == nil {
			return nil
		}
		depth++
	}
	return found
}

// text returns the field's value as the text forms show it ("" if absent).
func (m decodedMsg) text(path string) string {
	f := m.field(path)
	if f == nil {
		return ""
	}
	return string(decode.AppendValue(nil, m.tree, f))
}

// name returns the learned interface name of an Ifindex field.
func (m decodedMsg) ifname(path string) string {
	if f := m.field(path); f != nil {
		return f.Str
	}
	return ""
}

// decodeSession decodes a session's records with one decoder and returns
// the messages of type typ.
func decodeSession(s *session, typ uint16) []decodedMsg {
	d := decode.NewDecoder(decode.NewRegistry(rtnl.Family()))
	var out []decodedMsg
	for _, r := range s.records {
		rec := capture.Record{Direction: capture.FromKernel, Protocol: unix.NETLINK_ROUTE, Data: r.data, OrigLen: len(r.data)}
		if r.toKernel {
			rec.Direction = capture.ToKernel
		}
		tree := &decode.Tree{}
		d.Decode(tree, &rec)
		for i := range tree.Messages {
			if tree.Messages[i].Header.Type == typ && !r.toKernel {
				out = append(out, decodedMsg{tree, i})
			}
		}
	}
	return out
}

func unquote(s string) string {
	if u, err := strconv.Unquote(s); err == nil {
		return u
	}
	return s
}

func ipJSON(t *testing.T, n *netns, v any, args ...string) {
	t.Helper()
	out := n.output(t, append([]string{"ip", "-j", "-d"}, args...)...)
	if err := json.Unmarshal(out, v); err != nil {
		t.Fatalf("ip -j %s: %v", strings.Join(args, " "), err)
	}
}

// TestAgreesWithIproute decodes live dumps from a namespace holding links of
// every kind this kernel can create, addresses, routes (multipath too),
// neighbours, rules and nexthops, and compares the values with what
// `ip -j -d` reports for the same objects.
func TestAgreesWithIproute(t *testing.T) {
	n := newNetNS(t)
	buildScenario(t, n)
	s := n.openSession(t, false)
	s.dump(t, unix.RTM_GETLINK, ifinfo(unix.AF_UNSPEC, 0))
	s.dump(t, unix.RTM_GETADDR, client.IfAddrMsg{}.Append(nil))
	s.dump(t, unix.RTM_GETROUTE, client.RtMsg{Family: unix.AF_INET}.Append(nil))
	s.dump(t, unix.RTM_GETNEIGH, client.NdMsg{Family: unix.AF_INET}.Append(nil))
	s.dump(t, unix.RTM_GETRULE, client.FibRuleHdr{Family: unix.AF_INET}.Append(nil))
	s.dump(t, unix.RTM_GETNEXTHOP, client.NhMsg{}.Append(nil))

	t.Run("links", func(t *testing.T) {
		var links []map[string]any
		ipJSON(t, n, &links, "link", "show")
		got := map[string]map[string]string{}
		want := map[string]map[string]string{}
		for _, m := range decodeSession(s, unix.RTM_NEWLINK) {
			name := unquote(m.text("IFLA_IFNAME"))
			g := map[string]string{
				"mtu":       m.text("IFLA_MTU"),
				"operstate": m.text("IFLA_OPERSTATE"),
				"address":   m.text("IFLA_ADDRESS"),
				"kind":      unquote(m.text("IFLA_LINKINFO/IFLA_INFO_KIND")),
				"master":    m.ifname("IFLA_MASTER"),
				"txqlen":    m.text("IFLA_TXQLEN"),
			}
			switch g["kind"] {
			case "vxlan":
				g["vxlan.id"] = m.text("IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_VXLAN_ID")
				g["vxlan.port"] = m.text("IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_VXLAN_PORT")
				g["vxlan.local"] = m.text("IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_VXLAN_LOCAL")
			case "macvlan", "macvtap":
				g["macvlan.mode"] = m.text("IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_MACVLAN_MODE")
			case "tun":
				g["tun.type"] = m.text("IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_TUN_TYPE")
			case "bridge":
				g["bridge.stp_state"] = m.text("IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_BR_STP_STATE")
				g["bridge.priority"] = m.text("IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_BR_PRIORITY")
			}
			if unquote(m.text("IFLA_LINKINFO/IFLA_INFO_SLAVE_KIND")) == "bridge" {
				g["brport.state"] = m.text("IFLA_LINKINFO/IFLA_INFO_SLAVE_DATA/IFLA_BRPORT_STATE")
				g["brport.cost"] = m.text("IFLA_LINKINFO/IFLA_INFO_SLAVE_DATA/IFLA_BRPORT_COST")
			}
			got[name] = g
		}
		for _, l := range links {
			name, _ := l["ifname"].(string)
			w := map[string]string{
				"mtu":       jsonText(l["mtu"]),
				"operstate": jsonText(l["operstate"]),
				"address":   jsonText(l["address"]),
				"master":    jsonText(l["master"]),
				"txqlen":    jsonText(l["txqlen"]),
			}
			info, _ := l["linkinfo"].(map[string]any)
			w["kind"] = jsonText(info["info_kind"])
			data, _ := info["info_data"].(map[string]any)
			switch w["kind"] {
			case "vxlan":
				w["vxlan.id"] = jsonText(data["id"])
				w["vxlan.port"] = jsonText(data["port"])
				w["vxlan.local"] = jsonText(data["local"])
			case "macvlan", "macvtap":
				w["macvlan.mode"] = jsonText(data["mode"])
			case "tun":
				w["tun.type"] = jsonText(data["type"])
			case "bridge":
				w["bridge.stp_state"] = jsonText(data["stp_state"])
				w["bridge.priority"] = jsonText(data["priority"])
			}
			if jsonText(info["info_slave_kind"]) == "bridge" {
				sd, _ := info["info_slave_data"].(map[string]any)
				w["brport.state"] = jsonText(sd["state"])
				w["brport.cost"] = jsonText(sd["cost"])
			}
			if name == "lo" {
				w["address"] = "00:00:00:00:00:00"
			}
			want[name] = w
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("links (-ip +decoded):\n%s", diff)
		}
		kinds := map[string]bool{}
		for _, g := range got {
			kinds[g["kind"]] = true
		}
		t.Logf("link kinds compared: %v", kinds)
	})

	t.Run("addresses", func(t *testing.T) {
		var links []struct {
			Name  string `json:"ifname"`
			Addrs []struct {
				Local     string `json:"local"`
				PrefixLen int    `json:"prefixlen"`
				Label     string `json:"label"`
				Scope     string `json:"scope"`
			} `json:"addr_info"`
		}
		ipJSON(t, n, &links, "addr", "show")
		var want, got []string
		for _, l := range links {
			for _, a := range l.Addrs {
				want = append(want, fmt.Sprintf("%s %s/%d label=%s scope=%s", l.Name, a.Local, a.PrefixLen, a.Label, a.Scope))
			}
		}
		for _, m := range decodeSession(s, unix.RTM_NEWADDR) {
			local := m.text("IFA_LOCAL")
			if local == "" {
				local = m.text("IFA_ADDRESS")
			}
			label := unquote(m.text("IFA_LABEL"))
			got = append(got, fmt.Sprintf("%s %s/%s label=%s scope=%s", m.ifname("ifaddrmsg/index"), local, m.text("ifaddrmsg/prefixlen"), label, m.text("ifaddrmsg/scope")))
		}
		sort.Strings(want)
		sort.Strings(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("addresses (-ip +decoded):\n%s", diff)
		}
	})

	t.Run("routes", func(t *testing.T) {
		var routes []struct {
			Dst      string `json:"dst"`
			Gateway  string `json:"gateway"`
			Dev      string `json:"dev"`
			Protocol string `json:"protocol"`
			Scope    string `json:"scope"`
			Type     string `json:"type"`
			Table    string `json:"table"`
			Metric   int    `json:"metric"`
			Nexthops []struct {
				Gateway string `json:"gateway"`
				Dev     string `json:"dev"`
			} `json:"nexthops"`
		}
		ipJSON(t, n, &routes, "-4", "route", "show", "table", "all")
		var want, got []string
		for _, r := range routes {
			if r.Dst == "10.0.0.9" {
				// ip -j prints the encap's "dst" key over the route's own
				// for `encap ip` routes; compare that route below instead.
				r.Dst = "10.6.0.0/16"
			}
			if r.Table == "" {
				r.Table = "main"
			}
			if r.Type == "" {
				r.Type = "unicast"
			}
			if r.Protocol == "" {
				r.Protocol = "boot"
			}
			if r.Scope == "" {
				r.Scope = "global"
			}
			line := fmt.Sprintf("%s %s table=%s proto=%s scope=%s via=%s dev=%s metric=%d", r.Type, r.Dst, r.Table, r.Protocol, r.Scope, r.Gateway, r.Dev, r.Metric)
			for _, nh := range r.Nexthops {
				line += fmt.Sprintf(" nexthop=%s/%s", nh.Gateway, nh.Dev)
			}
			want = append(want, line)
		}
		for _, m := range decodeSession(s, unix.RTM_NEWROUTE) {
			dst := m.text("RTA_DST")
			plen := m.text("rtmsg/dst_len")
			switch {
			case dst == "":
				dst = "default"
			case plen != "32":
				dst += "/" + plen
			}
			table := m.text("RTA_TABLE")
			if table == "" {
				table = m.text("rtmsg/table")
			}
			metric := m.text("RTA_PRIORITY")
			if metric == "" {
				metric = "0"
			}
			line := fmt.Sprintf("%s %s table=%s proto=%s scope=%s via=%s dev=%s metric=%s", m.text("rtmsg/type"), dst, table,
				m.text("rtmsg/protocol"), m.text("rtmsg/scope"), m.text("RTA_GATEWAY"), m.ifname("RTA_OIF"), metric)
			if mp := m.field("RTA_MULTIPATH"); mp != nil {
				fields := m.tree.MessageFields(m.idx)
				for j := range fields {
					f := &fields[j]
					if f.Name == "ifindex" && f.Depth == mp.Depth+3 {
						gw := ""
						if j+1 < len(fields) && fields[j+1].Name == "RTA_GATEWAY" {
							gw = string(decode.AppendValue(nil, m.tree, &fields[j+1]))
						}
						line += fmt.Sprintf(" nexthop=%s/%s", gw, f.Str)
					}
				}
			}
			got = append(got, line)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("routes (-ip +decoded):\n%s", diff)
		}
	})

	t.Run("neighbours", func(t *testing.T) {
		var neigh []struct {
			Dst    string   `json:"dst"`
			Dev    string   `json:"dev"`
			LLAddr string   `json:"lladdr"`
			State  []string `json:"state"`
		}
		ipJSON(t, n, &neigh, "-4", "neigh", "show", "nud", "all")
		var want, got []string
		for _, x := range neigh {
			want = append(want, fmt.Sprintf("%s dev=%s lladdr=%s state=%s", x.Dst, x.Dev, x.LLAddr, strings.Join(x.State, ",")))
		}
		for _, m := range decodeSession(s, unix.RTM_NEWNEIGH) {
			got = append(got, fmt.Sprintf("%s dev=%s lladdr=%s state=%s", m.text("NDA_DST"), m.ifname("ndmsg/ifindex"), m.text("NDA_LLADDR"), m.text("ndmsg/state")))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("neighbours (-ip +decoded):\n%s", diff)
		}
	})

	t.Run("rules", func(t *testing.T) {
		var rules []map[string]any
		ipJSON(t, n, &rules, "rule", "show")
		var want, got []string
		for _, r := range rules {
			sport := jsonText(r["sport"])
			if r["sport_start"] != nil {
				sport = jsonText(r["sport_start"]) + "-" + jsonText(r["sport_end"])
			}
			want = append(want, fmt.Sprintf("pref=%s table=%s ipproto=%s sport=%s dport=%s fwmark=%s iif=%s",
				jsonText(r["priority"]), jsonText(r["table"]), jsonText(r["ipproto"]), sport, jsonText(r["dport"]),
				jsonText(r["fwmark"]), jsonText(r["iif"])))
		}
		for _, m := range decodeSession(s, unix.RTM_NEWRULE) {
			table := m.text("FRA_TABLE")
			if table == "" {
				table = m.text("fib_rule_hdr/table")
			}
			pref := m.text("FRA_PRIORITY")
			if pref == "" {
				pref = "0"
			}
			port := func(path string) string {
				start, end := m.text(path+"/start"), m.text(path+"/end")
				if start == end {
					return start
				}
				return start + "-" + end
			}
			got = append(got, fmt.Sprintf("pref=%s table=%s ipproto=%s sport=%s dport=%s fwmark=%s iif=%s", pref, table,
				m.text("FRA_IP_PROTO"), port("FRA_SPORT_RANGE"), port("FRA_DPORT_RANGE"), m.text("FRA_FWMARK"), unquote(m.text("FRA_IIFNAME"))))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("rules (-ip +decoded):\n%s", diff)
		}
	})

	t.Run("nexthops", func(t *testing.T) {
		var nhs []struct {
			ID      int    `json:"id"`
			Gateway string `json:"gateway"`
			Dev     string `json:"dev"`
			Group   []struct {
				ID     int  `json:"id"`
				Weight *int `json:"weight"`
			} `json:"group"`
			Type string `json:"type"`
		}
		ipJSON(t, n, &nhs, "nexthop", "show")
		var raw []map[string]any // ip prints "blackhole": null
		ipJSON(t, n, &raw, "nexthop", "show")
		var want, got []string
		for i, x := range nhs {
			_, blackhole := raw[i]["blackhole"]
			line := fmt.Sprintf("id=%d via=%s dev=%s blackhole=%v", x.ID, x.Gateway, x.Dev, blackhole)
			for _, g := range x.Group {
				w := 1 // ip omits the default weight
				if g.Weight != nil {
					w = *g.Weight
				}
				line += fmt.Sprintf(" member=%d/%d", g.ID, w)
			}
			want = append(want, line)
		}
		for _, m := range decodeSession(s, unix.RTM_NEWNEXTHOP) {
			line := fmt.Sprintf("id=%s via=%s dev=%s blackhole=%v", m.text("NHA_ID"), m.text("NHA_GATEWAY"), m.ifname("NHA_OIF"), m.field("NHA_BLACKHOLE") != nil)
			if grp := m.field("NHA_GROUP"); grp != nil {
				fields := m.tree.MessageFields(m.idx)
				for j := range fields {
					if fields[j].Name == "id" && fields[j].Depth == grp.Depth+2 {
						w := fields[j+1].Num + 1 // the wire holds weight-1
						line += fmt.Sprintf(" member=%d/%d", fields[j].Num, w)
					}
				}
			}
			got = append(got, line)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("nexthops (-ip +decoded):\n%s", diff)
		}
	})
}

// jsonText renders a JSON value from ip -j as our text would.
func jsonText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}
