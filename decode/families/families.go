// Package families assembles the schemas of every netlink protocol that
// nltrace decodes into one decode.Registry, so the CLI, the TUI and replay
// decode with the same set. A family package (decode/rtnl, decode/genl, ...)
// is added here and nowhere else.
package families

import (
	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/genl"
	"github.com/nltrace/nltrace/decode/nfct"
	"github.com/nltrace/nltrace/decode/nfnl"
	"github.com/nltrace/nltrace/decode/nft"
	"github.com/nltrace/nltrace/decode/rtnl"
	"github.com/nltrace/nltrace/decode/sockdiag"
	"github.com/nltrace/nltrace/decode/uevent"
	"github.com/nltrace/nltrace/decode/xfrm"
)

// All returns the decoder of every netlink protocol nltrace knows.
func All() []*decode.Family {
	return []*decode.Family{
		rtnl.Family(),
		nfnl.Family(append(nfct.Subsystems(), nft.Subsystem(), nft.CompatSubsystem())...),
		genl.Family(genl.Builtin()...),
		sockdiag.Family(),
		uevent.Family(),
		xfrm.Family(),
	}
}

// NewRegistry returns a registry of All.
func NewRegistry() *decode.Registry {
	return decode.NewRegistry(All()...)
}
