// Package families assembles the schemas of every netlink protocol that
// nltrace decodes into one decode.Registry, so the CLI, the TUI and replay
// decode with the same set. A family package (decode/rtnl, decode/genl, ...)
// is added here and nowhere else.
package families

import (
	"fmt"
	"os"

	"github.com/nltrace/nltrace/decode"
	"github.com/nltrace/nltrace/decode/audit"
	"github.com/nltrace/nltrace/decode/connector"
	"github.com/nltrace/nltrace/decode/cryptouser"
	"github.com/nltrace/nltrace/decode/fiblookup"
	"github.com/nltrace/nltrace/decode/genl"
	"github.com/nltrace/nltrace/decode/genl/ynl"
	"github.com/nltrace/nltrace/decode/nfct"
	"github.com/nltrace/nltrace/decode/nfnl"
	"github.com/nltrace/nltrace/decode/nft"
	"github.com/nltrace/nltrace/decode/rdma"
	"github.com/nltrace/nltrace/decode/rtnl"
	"github.com/nltrace/nltrace/decode/selinux"
	"github.com/nltrace/nltrace/decode/sockdiag"
	"github.com/nltrace/nltrace/decode/uevent"
	"github.com/nltrace/nltrace/decode/xfrm"
	unix "github.com/nltrace/nltrace/internal/linuxabi"
)

// All returns the decoder of every netlink protocol nltrace knows.
func All() []*decode.Family {
	return []*decode.Family{
		rtnl.Family(),
		nfnl.Family(append(nfct.Subsystems(), nft.Subsystem(), nft.CompatSubsystem())...),
		genl.Family(genl.Builtin()...),
		sockdiag.Family(),
		uevent.Family(),
		audit.Family(),
		connector.Family(),
		cryptouser.Family(),
		fiblookup.Family(),
		selinux.Family(),
		rdma.Family(),
		xfrm.Family(),
	}
}

// NewRegistry returns a registry of All.
func NewRegistry() *decode.Registry {
	return decode.NewRegistry(All()...)
}

// Options change what NewRegistryWith decodes; the zero value is All.
type Options struct {
	// Specs are generic-netlink families loaded at run time from YNL
	// specs (LoadSpecs, nltrace --spec); one named like a built-in
	// family replaces the built-in tables.
	Specs []*genl.Def
}

// NewRegistryWith returns a registry of All, changed as o says; nil o is
// NewRegistry.
func NewRegistryWith(o *Options) *decode.Registry {
	if o == nil || len(o.Specs) == 0 {
		return NewRegistry()
	}
	fams := All()
	for i, f := range fams {
		if f.Protocol == unix.NETLINK_GENERIC {
			fams[i] = genl.Family(append(genl.Builtin(), o.Specs...)...)
		}
	}
	return decode.NewRegistry(fams...)
}

// LoadSpecs reads and builds the YNL generic-netlink specs in files. An
// error names the file, and where the spec is at fault its line and
// field.
func LoadSpecs(files ...string) ([]*genl.Def, error) {
	var defs []*genl.Def
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("spec: %w", err)
		}
		f, err := ynl.Parse(name, data)
		if err != nil {
			return nil, fmt.Errorf("spec %w", err)
		}
		d, err := genl.Build(f)
		if err != nil {
			return nil, fmt.Errorf("spec %w", err)
		}
		defs = append(defs, d)
	}
	return defs, nil
}
