package client_test

import (
	"encoding/hex"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/nltrace/nltrace/client"
)

// Replies recorded from Linux 6.18 to an RTM_NEWLINK whose IFLA_IFNAME (at
// offset 32 of the request) is 20 bytes long, and to a strict RTM_GETROUTE
// dump with a bad rtmsg. They are the kernel's exact bytes.
const (
	kernelRequest  = "3c0000001000050007000000000000000000000000000000000000000000000019000300787878787878787878787878787878787878787800000000"
	kernelUncapped = "94000000020000020700000039290000deffffff3c000000100005000700000000000000000000000000000000000000000000001900030078787878787878787878787878787878787878780000000027000100417474726962757465206661696c656420706f6c6963792076616c69646174696f6e0000080002002000000014000480080007000f000000080001000b000000"
	kernelCapped   = "68000000020000030700000039290000deffffff3c00000010000500070000000000000027000100417474726962757465206661696c656420706f6c6963792076616c69646174696f6e0000080002002000000014000480080007000f000000080001000b000000"
	kernelDone     = "48000000030002020900000039290000eaffffff32000100496e76616c69642076616c75657320696e2068656164657220666f72204649422064756d702072657175657374000000"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func oneMessage(t testing.TB, s string) client.Message {
	t.Helper()
	msgs, err := client.ParseMessages(mustHex(t, s))
	if err != nil || len(msgs) != 1 {
		t.Fatalf("fixture: %d messages, %v", len(msgs), err)
	}
	return msgs[0]
}

func TestParseErrorMessageFromKernel(t *testing.T) {
	req := mustHex(t, kernelRequest)
	wantAck := client.ExtendedAck{
		Message:   "Attribute failed policy validation",
		HasOffset: true,
		Offset:    32,
		Policy:    &client.Policy{Present: 1<<client.PolicyAttrType | 1<<client.PolicyAttrMaxLength, Type: 11, MaxLength: 15},
	}
	reqHdr, _ := client.ParseHeader(req)
	tests := []struct {
		name    string
		fixture string
		want    client.ErrorMessage
	}{
		{"uncapped", kernelUncapped, client.ErrorMessage{
			Errno: -34, Request: reqHdr, RequestPayload: req[client.HeaderLen:], AckOffset: 4 + len(req), Ack: wantAck,
		}},
		{"capped", kernelCapped, client.ErrorMessage{
			Errno: -34, Request: reqHdr, Capped: true, AckOffset: 20, Ack: wantAck,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := oneMessage(t, tt.fixture)
			got, err := client.ParseErrorMessage(m.Header.Flags, m.Data)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			// The capped request's header still says the original length.
			if got.Request.Length != uint32(len(req)) {
				t.Errorf("echoed length %d, want %d", got.Request.Length, len(req))
			}
			// The offset points at IFLA_IFNAME in the original request.
			if typ := req[got.Ack.Offset+2]; typ != 3 {
				t.Errorf("offset %d lands on attribute type %d, want IFLA_IFNAME (3)", got.Ack.Offset, typ)
			}
		})
	}
}

func TestParseDoneMessageFromKernel(t *testing.T) {
	m := oneMessage(t, kernelDone)
	got, err := client.ParseDoneMessage(m.Header.Flags, m.Data)
	if err != nil {
		t.Fatal(err)
	}
	want := client.DoneMessage{Errno: -22, AckOffset: 4, Ack: client.ExtendedAck{Message: "Invalid values in header for FIB dump request"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseErrorMessageMalformed(t *testing.T) {
	uncapped := oneMessage(t, kernelUncapped)
	tests := []struct {
		name    string
		flags   uint16
		payload []byte
	}{
		{"too short", 0, uncapped.Data[:10]},
		{"echoed length beyond payload", uncapped.Header.Flags, uncapped.Data[:30]},
		{"broken ack attribute", uncapped.Header.Flags, append(append([]byte(nil), uncapped.Data...), 0xff, 0x00, 0x01, 0x00)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := client.ParseErrorMessage(tt.flags, tt.payload)
			if !errors.Is(err, client.ErrMalformed) {
				t.Errorf("err = %v, want ErrMalformed", err)
			}
		})
	}
}
