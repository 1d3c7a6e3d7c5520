//go:build linux

package client_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nltrace/nltrace/client"
	"github.com/nltrace/nltrace/client/clienttest"
	"golang.org/x/sys/unix"
)

func linkMsg(index int32) client.Message {
	return client.Message{Header: client.Header{Type: unix.RTM_NEWLINK}, Data: client.IfInfoMsg{Index: index}.Append(nil)}
}

func dumpRequest() client.Message {
	return client.Message{Header: client.Header{Type: unix.RTM_GETLINK, Flags: client.FlagDump}, Data: client.IfInfoMsg{}.Append(nil)}
}

func indexes(t *testing.T, msgs []client.Message) []int32 {
	t.Helper()
	var out []int32
	for _, m := range msgs {
		ifi, err := client.ParseIfInfoMsg(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ifi.Index)
	}
	return out
}

func TestExecuteMultipartDump(t *testing.T) {
	for _, perRead := range []int{0, 1, 2} {
		sock := &clienttest.Socket{PerRead: perRead, Handle: func(req []client.Message) ([]client.Message, error) {
			return clienttest.Multipart(linkMsg(1), linkMsg(2), linkMsg(3)), nil
		}}
		c := clienttest.DialSocket(unix.NETLINK_ROUTE, sock)
		msgs, err := c.Execute(context.Background(), dumpRequest())
		if err != nil {
			t.Fatalf("per read %d: %v", perRead, err)
		}
		if diff := cmp.Diff([]int32{1, 2, 3}, indexes(t, msgs)); diff != "" {
			t.Errorf("per read %d (-want +got):\n%s", perRead, diff)
		}
		req := sock.Requests()[0]
		if req.Header.Flags&(client.FlagRequest|client.FlagAck) != client.FlagRequest|client.FlagAck || req.Header.Sequence == 0 {
			t.Errorf("request header %+v lacks REQUEST|ACK or a sequence number", req.Header)
		}
	}
}

func TestExecuteSequenceNumbersAdvance(t *testing.T) {
	sock := &clienttest.Socket{Handle: func(req []client.Message) ([]client.Message, error) {
		return []client.Message{clienttest.Ack(req[0])}, nil
	}}
	c := clienttest.DialSocket(unix.NETLINK_ROUTE, sock)
	for range 3 {
		if _, err := c.Execute(context.Background(), linkMsg(1)); err != nil {
			t.Fatal(err)
		}
	}
	reqs := sock.Requests()
	if reqs[0].Header.Sequence == reqs[1].Header.Sequence || reqs[1].Header.Sequence == reqs[2].Header.Sequence {
		t.Errorf("sequence numbers repeat: %d %d %d", reqs[0].Header.Sequence, reqs[1].Header.Sequence, reqs[2].Header.Sequence)
	}
}

func TestExecuteDumpInterrupted(t *testing.T) {
	c := clienttest.Dial(unix.NETLINK_ROUTE, func(req []client.Message) ([]client.Message, error) {
		msgs := clienttest.Multipart(linkMsg(1), linkMsg(2))
		msgs[1].Header.Flags |= client.FlagDumpIntr
		return msgs, nil
	})
	msgs, err := c.Execute(context.Background(), dumpRequest())
	if !errors.Is(err, client.ErrDumpInterrupted) {
		t.Fatalf("err = %v, want ErrDumpInterrupted", err)
	}
	if diff := cmp.Diff([]int32{1, 2}, indexes(t, msgs)); diff != "" {
		t.Errorf("partial results (-want +got):\n%s", diff)
	}
}

func TestExecuteErrors(t *testing.T) {
	ack := &client.ExtendedAck{Message: "mtu greater than device maximum", HasOffset: true, Offset: 36}
	tests := []struct {
		name  string
		reply func(req client.Message) []client.Message
		errno unix.Errno
		ack   client.ExtendedAck
	}{
		{"plain", func(req client.Message) []client.Message {
			return []client.Message{clienttest.Error(req, int(unix.EEXIST), nil, false)}
		}, unix.EEXIST, client.ExtendedAck{}},
		{"uncapped with extended ack", func(req client.Message) []client.Message {
			return []client.Message{clienttest.Error(req, int(unix.EINVAL), ack, false)}
		}, unix.EINVAL, *ack},
		{"capped with extended ack", func(req client.Message) []client.Message {
			return []client.Message{clienttest.Error(req, int(unix.EINVAL), ack, true)}
		}, unix.EINVAL, *ack},
		{"dump done with error", func(req client.Message) []client.Message {
			m := linkMsg(1)
			m.Header.Flags = client.FlagMulti
			return []client.Message{m, clienttest.Done(int(unix.EOPNOTSUPP), &client.ExtendedAck{Message: "no"})}
		}, unix.EOPNOTSUPP, client.ExtendedAck{Message: "no"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := clienttest.Dial(unix.NETLINK_ROUTE, func(req []client.Message) ([]client.Message, error) {
				return tt.reply(req[0]), nil
			})
			_, err := c.Execute(context.Background(), linkMsg(5))
			if !errors.Is(err, tt.errno) {
				t.Fatalf("err = %v, want errno %v", err, tt.errno)
			}
			var ne *client.Error
			if !errors.As(err, &ne) {
				t.Fatalf("err %T is not *client.Error", err)
			}
			if diff := cmp.Diff(tt.ack, ne.Ack); diff != "" {
				t.Errorf("extended ack (-want +got):\n%s", diff)
			}
			if ne.Request.Type != unix.RTM_NEWLINK {
				t.Errorf("request type %d, want RTM_NEWLINK", ne.Request.Type)
			}
		})
	}
}

func TestExecuteMismatchedSequence(t *testing.T) {
	c := clienttest.Dial(unix.NETLINK_ROUTE, func(req []client.Message) ([]client.Message, error) {
		ack := clienttest.Ack(req[0])
		ack.Header.Sequence, ack.Header.PortID = req[0].Header.Sequence+100, clienttest.PortID
		return []client.Message{ack}, nil
	})
	_, err := c.Execute(context.Background(), linkMsg(1))
	var me *client.MismatchError
	if !errors.As(err, &me) {
		t.Fatalf("err = %v, want *MismatchError", err)
	}
}

// A message with another port id, or delivered through a multicast group,
// is never taken as the reply, even when its sequence number matches: the
// kernel multicasts a notification of this very request with its port and
// sequence number before it ACKs.
func TestExecuteIgnoresForeignAndMulticastMessages(t *testing.T) {
	var sock *clienttest.Socket
	sock = &clienttest.Socket{Handle: func(req []client.Message) ([]client.Message, error) {
		foreign := linkMsg(7)
		foreign.Header.Sequence, foreign.Header.PortID = req[0].Header.Sequence, clienttest.PortID+1
		own := linkMsg(8)
		own.Header.Sequence, own.Header.PortID = req[0].Header.Sequence, clienttest.PortID
		sock.InjectMessages(foreign)
		sock.InjectNotification(unix.RTNLGRP_LINK, own)
		return []client.Message{clienttest.Ack(req[0])}, nil
	}}
	c := clienttest.DialSocket(unix.NETLINK_ROUTE, sock)
	replies, err := c.Execute(context.Background(), linkMsg(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(replies) != 0 {
		t.Fatalf("got %d replies, want none", len(replies))
	}
	var got []int32
	for m, err := range c.Notifications(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, indexes(t, []client.Message{m})...)
		if len(got) == 2 {
			break
		}
	}
	if diff := cmp.Diff([]int32{7, 8}, got); diff != "" {
		t.Errorf("kept for Notifications (-want +got):\n%s", diff)
	}
}

func TestExecuteMalformedReply(t *testing.T) {
	sock := &clienttest.Socket{}
	c := clienttest.DialSocket(unix.NETLINK_ROUTE, sock)
	sock.Inject([]byte{1, 2, 3, 4, 5})
	_, err := c.Execute(context.Background(), linkMsg(1))
	if !errors.Is(err, client.ErrMalformed) {
		t.Fatalf("err = %v, want ErrMalformed", err)
	}
}

func TestNotificationsSeenDuringExecuteAreKept(t *testing.T) {
	var sock *clienttest.Socket
	sock = &clienttest.Socket{Handle: func(req []client.Message) ([]client.Message, error) {
		note := linkMsg(9) // seq 0, port 0: a multicast notification
		sock.InjectMessages(note)
		return []client.Message{clienttest.Ack(req[0])}, nil
	}}
	c := clienttest.DialSocket(unix.NETLINK_ROUTE, sock)
	if err := c.JoinGroup(unix.RTNLGRP_LINK); err != nil {
		t.Fatal(err)
	}
	if !sock.Groups(unix.RTNLGRP_LINK) {
		t.Fatal("group not joined")
	}
	if _, err := c.Execute(context.Background(), linkMsg(1)); err != nil {
		t.Fatal(err)
	}
	sock.InjectMessages(linkMsg(10))
	var got []int32
	for m, err := range c.Notifications(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, indexes(t, []client.Message{m})...)
		if len(got) == 2 {
			break
		}
	}
	if diff := cmp.Diff([]int32{9, 10}, got); diff != "" {
		t.Errorf("notifications (-want +got):\n%s", diff)
	}
}

func TestExecuteContextAndDeadline(t *testing.T) {
	t.Run("cancel", func(t *testing.T) {
		c := clienttest.Dial(unix.NETLINK_ROUTE, nil) // never answers
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() {
			_, err := c.Execute(ctx, linkMsg(1))
			done <- err
		}()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		c := clienttest.Dial(unix.NETLINK_ROUTE, nil)
		c.SetDeadline(time.Now().Add(-time.Second))
		if _, err := c.Execute(context.Background(), linkMsg(1)); err == nil {
			t.Error("Execute past the deadline succeeded")
		}
	})
	t.Run("late reply of a cancelled request is dropped", func(t *testing.T) {
		var mu sync.Mutex
		var first client.Message
		sock := &clienttest.Socket{}
		sock.Handle = func(req []client.Message) ([]client.Message, error) {
			mu.Lock()
			defer mu.Unlock()
			if first.Header.Sequence == 0 {
				first = req[0]
				return nil, nil
			}
			late := clienttest.Ack(first)
			late.Header.Sequence, late.Header.PortID = first.Header.Sequence, clienttest.PortID
			return []client.Message{late, clienttest.Ack(req[0])}, nil
		}
		c := clienttest.DialSocket(unix.NETLINK_ROUTE, sock)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := c.Execute(ctx, linkMsg(1)); err == nil {
			t.Fatal("cancelled Execute succeeded")
		}
		if _, err := c.Execute(context.Background(), linkMsg(2)); err != nil {
			t.Errorf("the next request failed on the late reply: %v", err)
		}
	})
}

func TestConnConcurrentUse(t *testing.T) {
	c := clienttest.Dial(unix.NETLINK_ROUTE, func(req []client.Message) ([]client.Message, error) {
		ifi, _ := client.ParseIfInfoMsg(req[0].Data)
		return clienttest.Multipart(linkMsg(ifi.Index), linkMsg(ifi.Index)), nil
	})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 50 {
				req := client.Message{Header: client.Header{Type: unix.RTM_GETLINK, Flags: client.FlagDump}, Data: client.IfInfoMsg{Index: int32(i)}.Append(nil)}
				msgs, err := c.Execute(context.Background(), req)
				if err != nil {
					t.Error(err)
					return
				}
				for _, got := range indexes(t, msgs) {
					if got != int32(i) {
						t.Errorf("goroutine %d got a reply for %d", i, got)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
