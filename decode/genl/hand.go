package genl

import (
	"github.com/nltrace/nltrace/decode"
)

// The families below have no YNL spec in the kernel; their tables are
// written from the uapi headers (linux/taskstats.h, linux/cgroupstats.h,
// linux/net_dropmon.h, linux/psample.h).

// handDefs returns the hand-written families.
func handDefs() []*Def {
	return []*Def{taskstatsDef(), netDropMonDef(), psampleDef()}
}

// member is one field of a C struct for cLayout.
type member struct {
	name  string
	typ   decode.Type
	n     int // bytes, for arrays (char[32], u8[3])
	align int // an explicit __attribute__((aligned(N))), 0 for natural
}

// cLayout lays members out as a 64-bit C compiler does: each at its
// natural (or explicit) alignment, the size rounded to the largest.
func cLayout(name string, members ...member) decode.Layout {
	l := decode.Layout{Name: name}
	off, maxAlign := 0, 1
	for _, m := range members {
		size, align := m.n, 1
		switch m.typ {
		case decode.U8, decode.S8:
			size, align = 1, 1
		case decode.U16, decode.S16, decode.BE16:
			size, align = 2, 2
		case decode.U32, decode.S32, decode.BE32:
			size, align = 4, 4
		case decode.U64, decode.S64, decode.BE64:
			size, align = 8, 8
		}
		if m.n > 0 && m.typ != decode.String && m.typ != decode.Binary {
			size = m.n
		}
		if m.align > 0 {
			align = m.align
		}
		off = (off + align - 1) / align * align
		maxAlign = max(maxAlign, align)
		a := decode.Attr{Name: m.name, Type: m.typ, Off: off}
		if m.typ == decode.String || m.typ == decode.Binary {
			a.Len = m.n
		}
		if m.name != "" {
			l.Members = append(l.Members, a)
		}
		off += size
	}
	l.Size = (off + maxAlign - 1) / maxAlign * maxAlign
	return l
}

// taskstatsDef is the TASKSTATS family (per-task and per-process
// accounting), with the cgroupstats commands it also carries.
func taskstatsDef() *Def {
	u8, u16, u32, u64 := decode.U8, decode.U16, decode.U32, decode.U64
	stats := cLayout("taskstats",
		member{name: "version", typ: u16}, member{name: "ac_exitcode", typ: u32},
		member{name: "ac_flag", typ: u8}, member{name: "ac_nice", typ: u8},
		member{name: "cpu_count", typ: u64, align: 8}, member{name: "cpu_delay_total", typ: u64},
		member{name: "blkio_count", typ: u64}, member{name: "blkio_delay_total", typ: u64},
		member{name: "swapin_count", typ: u64}, member{name: "swapin_delay_total", typ: u64},
		member{name: "cpu_run_real_total", typ: u64}, member{name: "cpu_run_virtual_total", typ: u64},
		member{name: "ac_comm", typ: decode.String, n: 32},
		member{name: "ac_sched", typ: u8, align: 8}, member{typ: decode.Binary, n: 3},
		member{name: "ac_uid", typ: u32, align: 8}, member{name: "ac_gid", typ: u32},
		member{name: "ac_pid", typ: u32}, member{name: "ac_ppid", typ: u32}, member{name: "ac_btime", typ: u32},
		member{name: "ac_etime", typ: u64, align: 8}, member{name: "ac_utime", typ: u64}, member{name: "ac_stime", typ: u64},
		member{name: "ac_minflt", typ: u64}, member{name: "ac_majflt", typ: u64},
		member{name: "coremem", typ: u64}, member{name: "virtmem", typ: u64},
		member{name: "hiwater_rss", typ: u64}, member{name: "hiwater_vm", typ: u64},
		member{name: "read_char", typ: u64}, member{name: "write_char", typ: u64},
		member{name: "read_syscalls", typ: u64}, member{name: "write_syscalls", typ: u64},
		member{name: "read_bytes", typ: u64}, member{name: "write_bytes", typ: u64}, member{name: "cancelled_write_bytes", typ: u64},
		member{name: "nvcsw", typ: u64}, member{name: "nivcsw", typ: u64},
		member{name: "ac_utimescaled", typ: u64}, member{name: "ac_stimescaled", typ: u64}, member{name: "cpu_scaled_run_real_total", typ: u64},
		member{name: "freepages_count", typ: u64}, member{name: "freepages_delay_total", typ: u64},
		member{name: "thrashing_count", typ: u64}, member{name: "thrashing_delay_total", typ: u64},
		member{name: "ac_btime64", typ: u64}, member{name: "compact_count", typ: u64}, member{name: "compact_delay_total", typ: u64},
		member{name: "ac_tgid", typ: u32}, member{name: "ac_tgetime", typ: u64, align: 8},
		member{name: "ac_exe_dev", typ: u64}, member{name: "ac_exe_inode", typ: u64},
		member{name: "wpcopy_count", typ: u64}, member{name: "wpcopy_delay_total", typ: u64},
	)
	cgroup := cLayout("cgroupstats",
		member{name: "nr_sleeping", typ: u64}, member{name: "nr_running", typ: u64}, member{name: "nr_stopped", typ: u64},
		member{name: "nr_uninterruptible", typ: u64}, member{name: "nr_io_wait", typ: u64})
	cmdAttrs := &decode.AttrSet{Name: "TASKSTATS_CMD_ATTR", Attrs: []decode.Attr{
		1: {Name: "TASKSTATS_CMD_ATTR_PID", Type: u32},
		2: {Name: "TASKSTATS_CMD_ATTR_TGID", Type: u32},
		3: {Name: "TASKSTATS_CMD_ATTR_REGISTER_CPUMASK", Type: decode.String},
		4: {Name: "TASKSTATS_CMD_ATTR_DEREGISTER_CPUMASK", Type: decode.String},
	}}
	types := &decode.AttrSet{Name: "TASKSTATS_TYPE"}
	types.Attrs = []decode.Attr{
		1: {Name: "TASKSTATS_TYPE_PID", Type: u32},
		2: {Name: "TASKSTATS_TYPE_TGID", Type: u32},
		3: {Name: "TASKSTATS_TYPE_STATS", Type: decode.Struct, Struct: &stats},
		4: {Name: "TASKSTATS_TYPE_AGGR_PID", Type: decode.Nest, Nest: types},
		5: {Name: "TASKSTATS_TYPE_AGGR_TGID", Type: decode.Nest, Nest: types},
		6: {Name: "TASKSTATS_TYPE_NULL"},
	}
	cgCmdAttrs := &decode.AttrSet{Name: "CGROUPSTATS_CMD_ATTR", Attrs: []decode.Attr{
		1: {Name: "CGROUPSTATS_CMD_ATTR_FD", Type: u32},
	}}
	cgTypes := &decode.AttrSet{Name: "CGROUPSTATS_TYPE", Attrs: []decode.Attr{
		1: {Name: "CGROUPSTATS_TYPE_CGROUP_STATS", Type: decode.Struct, Struct: &cgroup},
	}}
	return handFamily("TASKSTATS", 1, []handCmd{
		{cmd: 1, name: "TASKSTATS_CMD_GET", op: decode.OpGet, req: cmdAttrs},
		{cmd: 2, name: "TASKSTATS_CMD_NEW", rsp: types},
		{cmd: 4, name: "CGROUPSTATS_CMD_GET", op: decode.OpGet, req: cgCmdAttrs},
		{cmd: 5, name: "CGROUPSTATS_CMD_NEW", rsp: cgTypes},
	})
}

// netDropMonDef is the NET_DM family (drop monitor, dropwatch).
func netDropMonDef() *Def {
	alertModes := &decode.Enum{Name: "net_dm_alert_mode", Names: []string{"summary", "packet"}}
	origins := &decode.Enum{Name: "net_dm_origin", Names: []string{"sw", "hw"}}
	port := &decode.AttrSet{Name: "NET_DM_ATTR_PORT", Attrs: []decode.Attr{
		0: {Name: "NET_DM_ATTR_PORT_NETDEV_IFINDEX", Type: decode.U32, Sem: decode.Ifindex},
		1: {Name: "NET_DM_ATTR_PORT_NETDEV_NAME", Type: decode.String},
	}}
	stats := &decode.AttrSet{Name: "NET_DM_ATTR_STATS", Attrs: []decode.Attr{
		0: {Name: "NET_DM_ATTR_STATS_DROPPED", Type: decode.U64},
	}}
	attrs := &decode.AttrSet{Name: "NET_DM_ATTR"}
	attrs.Attrs = []decode.Attr{
		1:  {Name: "NET_DM_ATTR_ALERT_MODE", Type: decode.U8, Sem: decode.EnumValue, Enum: alertModes},
		2:  {Name: "NET_DM_ATTR_PC", Type: decode.U64, Sem: decode.Hex},
		3:  {Name: "NET_DM_ATTR_SYMBOL", Type: decode.String},
		4:  {Name: "NET_DM_ATTR_IN_PORT", Type: decode.Nest, Nest: port},
		5:  {Name: "NET_DM_ATTR_TIMESTAMP", Type: decode.U64},
		6:  {Name: "NET_DM_ATTR_PROTO", Type: decode.U16, Sem: decode.Hex},
		7:  {Name: "NET_DM_ATTR_PAYLOAD"},
		8:  {Name: "NET_DM_ATTR_PAD"},
		9:  {Name: "NET_DM_ATTR_TRUNC_LEN", Type: decode.U32},
		10: {Name: "NET_DM_ATTR_ORIG_LEN", Type: decode.U32},
		11: {Name: "NET_DM_ATTR_QUEUE_LEN", Type: decode.U32},
		12: {Name: "NET_DM_ATTR_STATS", Type: decode.Nest, Nest: stats},
		13: {Name: "NET_DM_ATTR_HW_STATS", Type: decode.Nest, Nest: stats},
		14: {Name: "NET_DM_ATTR_ORIGIN", Type: decode.U16, Sem: decode.EnumValue, Enum: origins},
		15: {Name: "NET_DM_ATTR_HW_TRAP_GROUP_NAME", Type: decode.String},
		16: {Name: "NET_DM_ATTR_HW_TRAP_NAME", Type: decode.String},
		17: {Name: "NET_DM_ATTR_HW_ENTRIES", Type: decode.Nest, Nest: attrs},
		18: {Name: "NET_DM_ATTR_HW_ENTRY", Type: decode.Nest, Nest: attrs},
		19: {Name: "NET_DM_ATTR_HW_TRAP_COUNT", Type: decode.U32},
		20: {Name: "NET_DM_ATTR_SW_DROPS", Type: decode.Flag},
		21: {Name: "NET_DM_ATTR_HW_DROPS", Type: decode.Flag},
		22: {Name: "NET_DM_ATTR_FLOW_ACTION_COOKIE"},
		23: {Name: "NET_DM_ATTR_REASON", Type: decode.String},
	}
	// A summary alert carries struct net_dm_alert_msg, not attributes:
	// a count, then drop points of an 8-byte pc and a u32 count.
	point := cLayout("net_dm_drop_point", member{name: "pc", typ: decode.U64}, member{name: "count", typ: decode.U32})
	point.Members[0].Sem = decode.Hex
	point.Size = 12
	alert := &decode.Layout{Name: "net_dm_alert_msg", Size: 4, Members: []decode.Attr{{Name: "entries", Type: decode.U32}}}
	points := &decode.Attr{Name: "points", Type: decode.StructArray, Struct: &point, Elem: "net_dm_drop_point"}
	d := handFamily("NET_DM", 2, []handCmd{
		{cmd: 1, name: "NET_DM_CMD_ALERT"},
		{cmd: 2, name: "NET_DM_CMD_CONFIG", op: decode.OpSet, req: attrs},
		{cmd: 3, name: "NET_DM_CMD_START", req: attrs},
		{cmd: 4, name: "NET_DM_CMD_STOP", req: attrs},
		{cmd: 5, name: "NET_DM_CMD_PACKET_ALERT", rsp: attrs},
		{cmd: 6, name: "NET_DM_CMD_CONFIG_GET", op: decode.OpGet, req: attrs},
		{cmd: 7, name: "NET_DM_CMD_CONFIG_NEW", rsp: attrs},
		{cmd: 8, name: "NET_DM_CMD_STATS_GET", op: decode.OpGet, req: attrs},
		{cmd: 9, name: "NET_DM_CMD_STATS_NEW", rsp: attrs},
	})
	d.Replies[1].Body = func(b *decode.Builder, payload []byte, off int) {
		if len(payload) < HeaderLen+4 {
			return
		}
		p := payload[HeaderLen:]
		b.Layout(alert, p[:4], off+HeaderLen)
		b.Field(points, p[4:], off+HeaderLen+4)
	}
	return d
}

// psampleDef is the psample family (packets sampled by tc's sample action
// and by hardware).
func psampleDef() *Def {
	tunnel := &decode.AttrSet{Name: "PSAMPLE_TUNNEL_KEY_ATTR", Attrs: []decode.Attr{
		0:  {Name: "PSAMPLE_TUNNEL_KEY_ATTR_ID", Type: decode.BE64, Sem: decode.Hex},
		1:  {Name: "PSAMPLE_TUNNEL_KEY_ATTR_IPV4_SRC", Type: decode.Addr},
		2:  {Name: "PSAMPLE_TUNNEL_KEY_ATTR_IPV4_DST", Type: decode.Addr},
		3:  {Name: "PSAMPLE_TUNNEL_KEY_ATTR_TOS", Type: decode.U8, Sem: decode.Hex},
		4:  {Name: "PSAMPLE_TUNNEL_KEY_ATTR_TTL", Type: decode.U8},
		5:  {Name: "PSAMPLE_TUNNEL_KEY_ATTR_DONT_FRAGMENT", Type: decode.Flag},
		6:  {Name: "PSAMPLE_TUNNEL_KEY_ATTR_CSUM", Type: decode.Flag},
		7:  {Name: "PSAMPLE_TUNNEL_KEY_ATTR_OAM", Type: decode.Flag},
		8:  {Name: "PSAMPLE_TUNNEL_KEY_ATTR_GENEVE_OPTS"},
		9:  {Name: "PSAMPLE_TUNNEL_KEY_ATTR_TP_SRC", Type: decode.BE16},
		10: {Name: "PSAMPLE_TUNNEL_KEY_ATTR_TP_DST", Type: decode.BE16},
		11: {Name: "PSAMPLE_TUNNEL_KEY_ATTR_VXLAN_OPTS"},
		12: {Name: "PSAMPLE_TUNNEL_KEY_ATTR_IPV6_SRC", Type: decode.Addr},
		13: {Name: "PSAMPLE_TUNNEL_KEY_ATTR_IPV6_DST", Type: decode.Addr},
		14: {Name: "PSAMPLE_TUNNEL_KEY_ATTR_PAD"},
		15: {Name: "PSAMPLE_TUNNEL_KEY_ATTR_ERSPAN_OPTS"},
		16: {Name: "PSAMPLE_TUNNEL_KEY_ATTR_IPV4_INFO_BRIDGE", Type: decode.Flag},
	}}
	attrs := &decode.AttrSet{Name: "PSAMPLE_ATTR", Attrs: []decode.Attr{
		0:  {Name: "PSAMPLE_ATTR_IIFINDEX", Type: decode.U16, Sem: decode.Ifindex},
		1:  {Name: "PSAMPLE_ATTR_OIFINDEX", Type: decode.U16, Sem: decode.Ifindex},
		2:  {Name: "PSAMPLE_ATTR_ORIGSIZE", Type: decode.U32},
		3:  {Name: "PSAMPLE_ATTR_SAMPLE_GROUP", Type: decode.U32},
		4:  {Name: "PSAMPLE_ATTR_GROUP_SEQ", Type: decode.U32},
		5:  {Name: "PSAMPLE_ATTR_SAMPLE_RATE", Type: decode.U32},
		6:  {Name: "PSAMPLE_ATTR_DATA"},
		7:  {Name: "PSAMPLE_ATTR_GROUP_REFCOUNT", Type: decode.U32},
		8:  {Name: "PSAMPLE_ATTR_TUNNEL", Type: decode.Nest, Nest: tunnel},
		9:  {Name: "PSAMPLE_ATTR_PAD"},
		10: {Name: "PSAMPLE_ATTR_OUT_TC", Type: decode.U16},
		11: {Name: "PSAMPLE_ATTR_OUT_TC_OCC", Type: decode.U64},
		12: {Name: "PSAMPLE_ATTR_LATENCY", Type: decode.U64},
		13: {Name: "PSAMPLE_ATTR_TIMESTAMP", Type: decode.U64},
		14: {Name: "PSAMPLE_ATTR_PROTO", Type: decode.U16, Sem: decode.Hex},
	}}
	return handFamily("psample", 1, []handCmd{
		{cmd: 0, name: "PSAMPLE_CMD_SAMPLE", rsp: attrs},
		{cmd: 1, name: "PSAMPLE_CMD_GET_GROUP", op: decode.OpGet, req: attrs},
		{cmd: 2, name: "PSAMPLE_CMD_NEW_GROUP", rsp: attrs},
		{cmd: 3, name: "PSAMPLE_CMD_DEL_GROUP", rsp: attrs},
	})
}

// handCmd is one command of a hand-written family: req is its attribute
// set as a request, rsp as a message from the kernel; a command with
// neither is decoded with the other's set in both directions.
type handCmd struct {
	cmd      int
	name     string
	op       decode.Op
	req, rsp *decode.AttrSet
}

// handFamily builds a Def whose commands keep their number in both
// directions (the kernel answers TASKSTATS_CMD_GET with TASKSTATS_CMD_NEW,
// not with the same number).
func handFamily(name string, version int, cmds []handCmd) *Def {
	d := &Def{Name: name, Version: version}
	names := &decode.Enum{Name: name + " commands"}
	hdr := genlHeader(names, nil)
	n := 0
	for _, c := range cmds {
		n = max(n, c.cmd+1)
	}
	names.Names = make([]string, n)
	d.Requests = make([]decode.MessageType, n)
	d.Replies = make([]decode.MessageType, n)
	for _, c := range cmds {
		names.Names[c.cmd] = c.name
		req, rsp := c.req, c.rsp
		if req == nil {
			req = rsp
		}
		if rsp == nil {
			rsp = req
		}
		d.Requests[c.cmd] = decode.MessageType{Name: c.name, Op: c.op, Header: &hdr, Attrs: req}
		d.Replies[c.cmd] = decode.MessageType{Name: c.name, Header: &hdr, Attrs: rsp}
	}
	d.Unknown[0] = decode.MessageType{Name: name, Header: &hdr}
	d.Unknown[1] = decode.MessageType{Name: name, Header: &hdr}
	return d
}
