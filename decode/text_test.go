package decode_test

import (
	"testing"

	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/decode"
)

func TestAppendFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		msg  decode.Message
		want string
	}{
		{"none", decode.Message{}, "0"},
		{"get dump", decode.Message{Op: decode.OpGet, Header: client.Header{Flags: client.FlagRequest | client.FlagDump}}, "req,dump"},
		{"get root atomic", decode.Message{Op: decode.OpGet, Header: client.Header{Flags: client.FlagRequest | client.FlagRoot | client.FlagAtomic}}, "req,root,atomic"},
		{"new", decode.Message{Op: decode.OpNew, Header: client.Header{Flags: client.FlagRequest | client.FlagAck | client.FlagExcl | client.FlagCreate}}, "req,ack,excl,create"},
		{"set replace append", decode.Message{Op: decode.OpSet, Header: client.Header{Flags: client.FlagReplace | client.FlagAppend}}, "replace,append"},
		{"del", decode.Message{Op: decode.OpDel, Header: client.Header{Flags: client.FlagRequest | client.FlagNonrec | client.FlagBulk}}, "req,nonrec,bulk"},
		{"ack", decode.Message{IsAck: true, Header: client.Header{Flags: client.FlagCapped | client.FlagAckTLVs}}, "capped,ack_tlvs"},
		{"done", decode.Message{IsDone: true, Header: client.Header{Flags: client.FlagMulti | client.FlagAckTLVs}}, "multi,ack_tlvs"},
		{"notification leftover", decode.Message{Header: client.Header{Flags: client.FlagMulti | 0x300}}, "multi,0x300"},
		{"dump interrupted", decode.Message{Header: client.Header{Flags: client.FlagMulti | client.FlagDumpIntr}}, "multi,dump_intr"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(decode.AppendFlags(nil, &tc.msg)); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestAppendErrno(t *testing.T) {
	for _, tc := range []struct {
		errno int32
		want  string
	}{
		{0, "0"},
		{-17, "-EEXIST (File exists)"},
		{-22, "-EINVAL (Invalid argument)"},
		{-4095, "-4095 (Errno 4095)"},
	} {
		if got := string(decode.AppendErrno(nil, tc.errno)); got != tc.want {
			t.Errorf("AppendErrno(%d) = %q, want %q", tc.errno, got, tc.want)
		}
	}
}

func TestFlagSetAndEnumNames(t *testing.T) {
	fs := decode.FlagSet{Bits: []string{"UP", "BROADCAST"}}
	if got := string(fs.AppendNames(nil, 0x1|0x2|0x100)); got != "UP,BROADCAST,0x100" {
		t.Errorf("flag set: %q", got)
	}
	e := decode.Enum{Names: []string{"a", "b"}}
	if got := string(e.AppendName(nil, 7)); got != "unknown(7)" {
		t.Errorf("closed enum: %q", got)
	}
	e.Open = true
	if got := string(e.AppendName(nil, 7)); got != "7" {
		t.Errorf("open enum: %q", got)
	}
}

func TestErrnoNamesFollowTheKernel(t *testing.T) {
	for _, tc := range []struct {
		errno int32
		want  string
	}{
		{-95, "-EOPNOTSUPP (Operation not supported)"},
		{-11, "-EAGAIN (Resource temporarily unavailable)"},
		{-524, "-ENOTSUPP (Kernel-internal errno 524)"},
		{-512, "-ERESTARTSYS (Kernel-internal errno 512)"},
		{-520, "-520 (Errno 520)"},
	} {
		if got := string(decode.AppendErrno(nil, tc.errno)); got != tc.want {
			t.Errorf("AppendErrno(%d) = %q, want %q", tc.errno, got, tc.want)
		}
	}
}
