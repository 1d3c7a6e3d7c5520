//go:build linux

package client_test

import (
	"testing"

	"github.com/nltrace/nltrace/client"
	"golang.org/x/sys/unix"
)

// TestConstantsMatchUnix checks the exported rtnetlink numbers, written out
// so that the package builds without Linux headers, against x/sys/unix.
func TestConstantsMatchUnix(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want uint64
	}{
		{"IFF_UP", uint64(client.LinkFlagUp), unix.IFF_UP},
		{"IFF_BROADCAST", uint64(client.LinkFlagBroadcast), unix.IFF_BROADCAST},
		{"IFF_LOOPBACK", uint64(client.LinkFlagLoopback), unix.IFF_LOOPBACK},
		{"IFF_POINTOPOINT", uint64(client.LinkFlagPointToPoint), unix.IFF_POINTOPOINT},
		{"IFF_RUNNING", uint64(client.LinkFlagRunning), unix.IFF_RUNNING},
		{"IFF_NOARP", uint64(client.LinkFlagNoARP), unix.IFF_NOARP},
		{"IFF_PROMISC", uint64(client.LinkFlagPromisc), unix.IFF_PROMISC},
		{"IFF_ALLMULTI", uint64(client.LinkFlagAllMulti), unix.IFF_ALLMULTI},
		{"IFF_MULTICAST", uint64(client.LinkFlagMulticast), unix.IFF_MULTICAST},
		{"IFF_LOWER_UP", uint64(client.LinkFlagLowerUp), unix.IFF_LOWER_UP},
		{"IFF_DORMANT", uint64(client.LinkFlagDormant), unix.IFF_DORMANT},
		{"IFF_ECHO", uint64(client.LinkFlagEcho), unix.IFF_ECHO},
		{"RT_SCOPE_UNIVERSE", uint64(client.ScopeUniverse), unix.RT_SCOPE_UNIVERSE},
		{"RT_SCOPE_SITE", uint64(client.ScopeSite), unix.RT_SCOPE_SITE},
		{"RT_SCOPE_LINK", uint64(client.ScopeLink), unix.RT_SCOPE_LINK},
		{"RT_SCOPE_HOST", uint64(client.ScopeHost), unix.RT_SCOPE_HOST},
		{"RT_SCOPE_NOWHERE", uint64(client.ScopeNowhere), unix.RT_SCOPE_NOWHERE},
		{"RT_TABLE_DEFAULT", uint64(client.TableDefault), unix.RT_TABLE_DEFAULT},
		{"RT_TABLE_MAIN", uint64(client.TableMain), unix.RT_TABLE_MAIN},
		{"RT_TABLE_LOCAL", uint64(client.TableLocal), unix.RT_TABLE_LOCAL},
		{"RTN_UNICAST", uint64(client.RouteTypeUnicast), unix.RTN_UNICAST},
		{"RTN_LOCAL", uint64(client.RouteTypeLocal), unix.RTN_LOCAL},
		{"RTN_BROADCAST", uint64(client.RouteTypeBroadcast), unix.RTN_BROADCAST},
		{"RTN_ANYCAST", uint64(client.RouteTypeAnycast), unix.RTN_ANYCAST},
		{"RTN_MULTICAST", uint64(client.RouteTypeMulticast), unix.RTN_MULTICAST},
		{"RTN_BLACKHOLE", uint64(client.RouteTypeBlackhole), unix.RTN_BLACKHOLE},
		{"RTN_UNREACHABLE", uint64(client.RouteTypeUnreachable), unix.RTN_UNREACHABLE},
		{"RTN_PROHIBIT", uint64(client.RouteTypeProhibit), unix.RTN_PROHIBIT},
		{"RTPROT_KERNEL", uint64(client.RouteProtoKernel), unix.RTPROT_KERNEL},
		{"RTPROT_BOOT", uint64(client.RouteProtoBoot), unix.RTPROT_BOOT},
		{"RTPROT_STATIC", uint64(client.RouteProtoStatic), unix.RTPROT_STATIC},
		{"IFA_F_SECONDARY", uint64(client.AddrFlagSecondary), unix.IFA_F_SECONDARY},
		{"IFA_F_NODAD", uint64(client.AddrFlagNoDAD), unix.IFA_F_NODAD},
		{"IFA_F_OPTIMISTIC", uint64(client.AddrFlagOptimistic), unix.IFA_F_OPTIMISTIC},
		{"IFA_F_DADFAILED", uint64(client.AddrFlagDADFailed), unix.IFA_F_DADFAILED},
		{"IFA_F_HOMEADDRESS", uint64(client.AddrFlagHomeAddress), unix.IFA_F_HOMEADDRESS},
		{"IFA_F_DEPRECATED", uint64(client.AddrFlagDeprecated), unix.IFA_F_DEPRECATED},
		{"IFA_F_TENTATIVE", uint64(client.AddrFlagTentative), unix.IFA_F_TENTATIVE},
		{"IFA_F_PERMANENT", uint64(client.AddrFlagPermanent), unix.IFA_F_PERMANENT},
		{"IFA_F_MANAGETEMPADDR", uint64(client.AddrFlagManageTempAddr), unix.IFA_F_MANAGETEMPADDR},
		{"IFA_F_NOPREFIXROUTE", uint64(client.AddrFlagNoPrefixRoute), unix.IFA_F_NOPREFIXROUTE},
		{"IFA_F_MCAUTOJOIN", uint64(client.AddrFlagMcAutoJoin), unix.IFA_F_MCAUTOJOIN},
		{"IFA_F_STABLE_PRIVACY", uint64(client.AddrFlagStablePrivacy), unix.IFA_F_STABLE_PRIVACY},
		{"CTRL_CMD_NEWFAMILY", uint64(client.GenlCtrlCmdNewFamily), unix.CTRL_CMD_NEWFAMILY},
		{"CTRL_CMD_GETFAMILY", uint64(client.GenlCtrlCmdGetFamily), unix.CTRL_CMD_GETFAMILY},
		{"CTRL_ATTR_FAMILY_ID", uint64(client.GenlCtrlAttrFamilyID), unix.CTRL_ATTR_FAMILY_ID},
		{"CTRL_ATTR_FAMILY_NAME", uint64(client.GenlCtrlAttrFamilyName), unix.CTRL_ATTR_FAMILY_NAME},
		{"CTRL_ATTR_VERSION", uint64(client.GenlCtrlAttrVersion), unix.CTRL_ATTR_VERSION},
		{"CTRL_ATTR_HDRSIZE", uint64(client.GenlCtrlAttrHeaderSize), unix.CTRL_ATTR_HDRSIZE},
		{"CTRL_ATTR_MAXATTR", uint64(client.GenlCtrlAttrMaxAttr), unix.CTRL_ATTR_MAXATTR},
		{"CTRL_ATTR_OPS", uint64(client.GenlCtrlAttrOps), unix.CTRL_ATTR_OPS},
		{"CTRL_ATTR_MCAST_GROUPS", uint64(client.GenlCtrlAttrMcastGroups), unix.CTRL_ATTR_MCAST_GROUPS},
	} {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
}
