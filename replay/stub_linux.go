package replay

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/nltrace/nltrace/client"
)

// stubLinks creates the plan's stub links that the namespace lacks: a
// dummy link, or a veth pair (whose peer is named nlrpN) where the kernel
// has no dummy driver, each set up.
func (r *runner) stubLinks(ctx context.Context) error {
	peer := 0
	for _, name := range r.plan.StubLinks() {
		if _, ok, err := r.lookupIfindex(ctx, name); err != nil {
			return err
		} else if ok {
			continue
		}
		err := r.route.AddLink(ctx, client.Link{Name: name, Data: &client.Dummy{}})
		kind := "dummy"
		if errors.Is(err, unix.EOPNOTSUPP) {
			var p string
			if p, err = r.freeName(ctx, &peer); err != nil {
				return err
			}
			kind = "veth (peer " + p + ")"
			err = r.route.AddLink(ctx, client.Link{Name: name, Data: &client.Veth{PeerName: p}})
		}
		if err != nil {
			return fmt.Errorf("stub link %s: %w", name, err)
		}
		l, err := r.route.LinkByName(ctx, name)
		if err != nil {
			return fmt.Errorf("stub link %s: %w", name, err)
		}
		if err := r.route.SetLinkUp(ctx, l.Index); err != nil {
			return fmt.Errorf("stub link %s: %w", name, err)
		}
		r.logf("stub link %s: %s, index %d", name, kind, l.Index)
	}
	clear(r.ifindex)
	return nil
}

// freeName returns the first name nlrpN, N > *n, that no link has.
func (r *runner) freeName(ctx context.Context, n *int) (string, error) {
	for {
		*n++
		p := "nlrp" + strconv.Itoa(*n)
		_, ok, err := r.lookupIfindex(ctx, p)
		if err != nil || !ok {
			return p, err
		}
	}
}
