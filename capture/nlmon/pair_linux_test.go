package nlmon

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/capture"
)

// fakeFrames hands out queued frames; when none is left it returns end if
// that is set, and otherwise calls onWait and waits for the deadline or ctx.
type fakeFrames struct {
	queue  []capture.Record
	end    error
	onWait func()
	reads  int
}

func (f *fakeFrames) readFrame(ctx context.Context, deadline time.Time, r *capture.Record) error {
	f.reads++
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(f.queue) > 0 {
		next := f.queue[0]
		f.queue = f.queue[1:]
		data := append(r.Data[:0], next.Data...)
		*r = next
		r.Data = data
		return nil
	}
	if f.end != nil {
		return f.end
	}
	if f.onWait != nil {
		f.onWait()
	}
	var expired <-chan time.Time
	if !deadline.IsZero() {
		timer := time.NewTimer(time.Until(deadline))
		defer timer.Stop()
		expired = timer.C
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-expired:
		return fmt.Errorf("fake read: %w", context.DeadlineExceeded)
	}
}

// frame builds a one-message record as readFrame would: direction inferred
// from the header, the process as resolved from the header's port id.
func frame(protocol, typ, flags uint16, seq, port, pid uint32, comm string) capture.Record {
	data := make([]byte, 20)
	binary.NativeEndian.PutUint32(data[0:], uint32(len(data)))
	binary.NativeEndian.PutUint16(data[4:], typ)
	binary.NativeEndian.PutUint16(data[6:], flags)
	binary.NativeEndian.PutUint32(data[8:], seq)
	binary.NativeEndian.PutUint32(data[12:], port)
	dir, _ := capture.InferDirection(data)
	return capture.Record{
		Time:              time.Unix(1700000000, int64(seq)),
		Direction:         dir,
		DirectionInferred: true,
		Protocol:          protocol,
		NetNS:             4026531840,
		PortID:            port,
		PID:               pid,
		Comm:              comm,
		Data:              data,
		OrigLen:           len(data),
		Method:            capture.MethodNlmon,
	}
}

const (
	route        = unix.NETLINK_ROUTE
	flagsNewLink = unix.NLM_F_REQUEST | unix.NLM_F_ACK | unix.NLM_F_CREATE | unix.NLM_F_EXCL
	flagsDump    = unix.NLM_F_REQUEST | unix.NLM_F_DUMP
)

// request is an RTM_NEWLINK from a sender that left the port id to the kernel.
func request(seq uint32) capture.Record {
	return frame(route, unix.RTM_NEWLINK, flagsNewLink, seq, 0, 0, "")
}

func ack(seq, port uint32) capture.Record {
	return frame(route, unix.NLMSG_ERROR, 0, seq, port, 321, "ip")
}

// attributed is req as the pairing should return it: with the process and
// port id of the ip process that ack names.
func attributed(req capture.Record, port uint32) capture.Record {
	req.PortID, req.PID, req.Comm = port, 321, "ip"
	return req
}

var errEnd = errors.New("end of frames")

func TestReplyPairing(t *testing.T) {
	withOwnPort := frame(route, unix.RTM_NEWLINK, flagsNewLink, 7, 555, 44, "bird")
	dump := frame(route, unix.RTM_GETLINK, flagsDump, 9, 0, 0, "")
	dumpPart := frame(route, unix.RTM_NEWLINK, unix.NLM_F_MULTI, 9, 77, 321, "ip")
	genlAck := frame(unix.NETLINK_GENERIC, unix.NLMSG_ERROR, 0, 7, 77, 321, "ip")
	kernelPortZero := frame(route, unix.RTM_NEWLINK, 0, 7, 0, 0, "")
	tests := []struct {
		name   string
		frames []capture.Record
		want   []capture.Record
		// wantReadsFirst is how many frames the first ReadInto may read.
		wantReadsFirst int
	}{
		{
			name:           "ack answers the request",
			frames:         []capture.Record{request(7), ack(7, 77)},
			want:           []capture.Record{attributed(request(7), 77), ack(7, 77)},
			wantReadsFirst: 2,
		},
		{
			name:           "first dump part answers the dump request",
			frames:         []capture.Record{dump, dumpPart},
			want:           []capture.Record{attributed(dump, 77), dumpPart},
			wantReadsFirst: 2,
		},
		{
			name:           "reply to another sequence number",
			frames:         []capture.Record{request(7), ack(8, 77)},
			want:           []capture.Record{request(7), ack(8, 77)},
			wantReadsFirst: 2,
		},
		{
			name:           "reply of another protocol",
			frames:         []capture.Record{request(7), genlAck},
			want:           []capture.Record{request(7), genlAck},
			wantReadsFirst: 2,
		},
		{
			name:           "kernel frame without a port id",
			frames:         []capture.Record{request(7), kernelPortZero},
			want:           []capture.Record{request(7), kernelPortZero},
			wantReadsFirst: 2,
		},
		{
			name:           "next frame is another request, answered after it",
			frames:         []capture.Record{request(7), request(8), ack(8, 77)},
			want:           []capture.Record{request(7), attributed(request(8), 77), ack(8, 77)},
			wantReadsFirst: 2,
		},
		{
			name:           "two answered requests in a row",
			frames:         []capture.Record{request(7), ack(7, 77), request(8), ack(8, 78)},
			want:           []capture.Record{attributed(request(7), 77), ack(7, 77), attributed(request(8), 78), ack(8, 78)},
			wantReadsFirst: 2,
		},
		{
			name:           "request with its own port id is not held",
			frames:         []capture.Record{withOwnPort, ack(7, 77)},
			want:           []capture.Record{withOwnPort, ack(7, 77)},
			wantReadsFirst: 1,
		},
		{
			name:           "reply is not held",
			frames:         []capture.Record{ack(7, 77), request(8)},
			want:           []capture.Record{ack(7, 77), request(8)},
			wantReadsFirst: 1,
		},
		{
			name:           "frames end after the request",
			frames:         []capture.Record{request(7)},
			want:           []capture.Record{request(7)},
			wantReadsFirst: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			frames := &fakeFrames{queue: tt.frames, end: errEnd}
			p := replyPairer{frames: frames, wait: time.Hour}
			// Every record gets a record of its own and none is cloned, so
			// that a buffer shared between them would show as changed bytes.
			got := make([]capture.Record, len(tt.want))
			for i := range got {
				if err := p.read(context.Background(), &got[i]); err != nil {
					t.Fatalf("read %d: %v", i, err)
				}
				if i == 0 && frames.reads != tt.wantReadsFirst {
					t.Errorf("first read took %d frames, want %d", frames.reads, tt.wantReadsFirst)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			var r capture.Record
			if err := p.read(context.Background(), &r); !errors.Is(err, errEnd) {
				t.Errorf("read after the last frame = %v, %+v; want the end error", err, r)
			}
		})
	}
}

// TestReplyPairingReusedRecord reads every frame into one record, as
// capture.Records does, cloning each.
func TestReplyPairingReusedRecord(t *testing.T) {
	frames := []capture.Record{request(7), request(8), ack(8, 77), ack(7, 78)}
	want := []capture.Record{request(7), attributed(request(8), 77), ack(8, 77), ack(7, 78)}
	p := replyPairer{frames: &fakeFrames{queue: frames, end: errEnd}, wait: time.Hour}
	var got []capture.Record
	var r capture.Record
	for range want {
		if err := p.read(context.Background(), &r); err != nil {
			t.Fatal(err)
		}
		got = append(got, r.Clone())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

// TestReplyPairingNoReply: a request nothing follows is returned, without
// attribution, once the wait runs out; a frame that comes later is the next.
func TestReplyPairingNoReply(t *testing.T) {
	frames := &fakeFrames{queue: []capture.Record{request(7)}}
	p := replyPairer{frames: frames, wait: time.Millisecond}
	var r capture.Record
	if err := p.read(context.Background(), &r); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(request(7), r); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
	frames.queue = append(frames.queue, ack(7, 77))
	frames.end = errEnd
	if err := p.read(context.Background(), &r); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ack(7, 77), r); diff != "" {
		t.Errorf("late reply (-want +got):\n%s", diff)
	}
}

// TestReplyPairingCancel: a context cancelled during the wait returns the
// request at once, and the next read reports the cancellation.
func TestReplyPairingCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	frames := &fakeFrames{queue: []capture.Record{request(7)}, onWait: cancel}
	p := replyPairer{frames: frames, wait: time.Hour}
	var r capture.Record
	if err := p.read(ctx, &r); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(request(7), r); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
	if err := p.read(ctx, &r); !errors.Is(err, context.Canceled) {
		t.Errorf("read after the cancel = %v, want context.Canceled", err)
	}
}

// TestReplyPairingOff: a wait of 0 or less never looks ahead.
func TestReplyPairingOff(t *testing.T) {
	frames := &fakeFrames{queue: []capture.Record{request(7), ack(7, 77)}}
	p := replyPairer{frames: frames, wait: -1}
	var r capture.Record
	if err := p.read(context.Background(), &r); err != nil {
		t.Fatal(err)
	}
	if frames.reads != 1 || r.PortID != 0 {
		t.Errorf("read %d frames, port id %d; want 1 frame and no attribution", frames.reads, r.PortID)
	}
}
