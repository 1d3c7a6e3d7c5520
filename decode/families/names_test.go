package families

import (
	"slices"
	"testing"
)

// TestLookupFamiliesListNames checks that every family that names messages
// through a Lookup hook also lists those names, which --type checks globs
// against: without them a correct glob would be refused.
func TestLookupFamiliesListNames(t *testing.T) {
	for _, f := range All() {
		// A Lookup that only picks variants of Types (rtnl's tc kinds)
		// needs no Names; one with no Types (nfnetlink's subsystems,
		// generic netlink's families) names its types itself.
		if f.Lookup != nil && len(f.TypeNames()) == 0 {
			t.Errorf("family %s names its message types through Lookup but lists none (decode.Family.Names)", f.Name)
		}
	}
	names := TypeNames()
	for _, want := range []string{"NLMSG_ERROR", "RTM_NEWLINK", "NFNL_MSG_BATCH_BEGIN", "nlctrl", "nl80211"} {
		if !slices.Contains(names, want) {
			t.Errorf("TypeNames lacks %s", want)
		}
	}
}
