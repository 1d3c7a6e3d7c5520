package client

// rtnetlink numbers from linux/rtnetlink.h, linux/if_link.h, linux/if_addr.h
// and linux/if.h. They are written out here rather than taken from
// x/sys/unix so that RouteConn also builds, over a fake socket, where unix
// lacks them; a Linux test checks each one against x/sys/unix.

// rtnetlink message types (RTM_*) that RouteConn sends.
const (
	rtmNewLink  uint16 = 16
	rtmDelLink  uint16 = 17
	rtmGetLink  uint16 = 18
	rtmSetLink  uint16 = 19
	rtmNewAddr  uint16 = 20
	rtmDelAddr  uint16 = 21
	rtmGetAddr  uint16 = 22
	rtmNewRoute uint16 = 24
	rtmDelRoute uint16 = 25
	rtmGetRoute uint16 = 26
)

// Address families, as ifaddrmsg, rtmsg and ifinfomsg carry them.
const (
	familyUnspec uint8 = 0
	familyInet   uint8 = 2
	familyInet6  uint8 = 10
)

// Link attributes (IFLA_*).
const (
	iflaAddress     uint16 = 1
	iflaBroadcast   uint16 = 2
	iflaIfname      uint16 = 3
	iflaMTU         uint16 = 4
	iflaLink        uint16 = 5
	iflaMaster      uint16 = 10
	iflaTxQLen      uint16 = 13
	iflaOperState   uint16 = 16
	iflaLinkInfo    uint16 = 18
	iflaPromiscuity uint16 = 30
	iflaCarrier     uint16 = 33
	iflaLinkNetNSID uint16 = 37
	iflaMinMTU      uint16 = 50
	iflaMaxMTU      uint16 = 51
	iflaPermAddress uint16 = 54

	iflaInfoKind      uint16 = 1
	iflaInfoData      uint16 = 2
	iflaInfoSlaveKind uint16 = 4

	vethInfoPeer uint16 = 1

	iflaBrForwardDelay  uint16 = 1
	iflaBrHelloTime     uint16 = 2
	iflaBrMaxAge        uint16 = 3
	iflaBrAgeingTime    uint16 = 4
	iflaBrSTPState      uint16 = 5
	iflaBrPriority      uint16 = 6
	iflaBrVLANFiltering uint16 = 7

	iflaVXLANID       uint16 = 1
	iflaVXLANGroup    uint16 = 2
	iflaVXLANLink     uint16 = 3
	iflaVXLANLocal    uint16 = 4
	iflaVXLANTTL      uint16 = 5
	iflaVXLANLearning uint16 = 7
	iflaVXLANPort     uint16 = 15
	iflaVXLANGroup6   uint16 = 16
	iflaVXLANLocal6   uint16 = 17

	iflaMacvlanMode uint16 = 1
)

// Address attributes (IFA_*).
const (
	ifaAddress   uint16 = 1
	ifaLocal     uint16 = 2
	ifaLabel     uint16 = 3
	ifaBroadcast uint16 = 4
	ifaCacheInfo uint16 = 6
	ifaFlags     uint16 = 8
)

// Route attributes (RTA_*).
const (
	rtaDst       uint16 = 1
	rtaSrc       uint16 = 2
	rtaOif       uint16 = 4
	rtaGateway   uint16 = 5
	rtaPriority  uint16 = 6
	rtaPrefSrc   uint16 = 7
	rtaMultipath uint16 = 9
	rtaTable     uint16 = 15
)

// Interface flags (IFF_*) for Link.Flags.
const (
	LinkFlagUp           uint32 = 0x1
	LinkFlagBroadcast    uint32 = 0x2
	LinkFlagLoopback     uint32 = 0x8
	LinkFlagPointToPoint uint32 = 0x10
	LinkFlagRunning      uint32 = 0x40
	LinkFlagNoARP        uint32 = 0x80
	// LinkFlagPromisc is IFF_PROMISC, which the kernel reports only when
	// promiscuity was asked for with the flag itself (ip link set promisc
	// on); see Link.Promiscuity for the real state.
	LinkFlagPromisc   uint32 = 0x100
	LinkFlagAllMulti  uint32 = 0x200
	LinkFlagMulticast uint32 = 0x1000
	LinkFlagLowerUp   uint32 = 0x10000
	LinkFlagDormant   uint32 = 0x20000
	LinkFlagEcho      uint32 = 0x40000
)

// Route scopes (RT_SCOPE_*).
const (
	ScopeUniverse uint8 = 0
	ScopeSite     uint8 = 200
	ScopeLink     uint8 = 253
	ScopeHost     uint8 = 254
	ScopeNowhere  uint8 = 255
)

// Routing tables (RT_TABLE_*).
const (
	TableDefault uint32 = 253
	TableMain    uint32 = 254
	TableLocal   uint32 = 255
)

// Route types (RTN_*).
const (
	RouteTypeUnicast     uint8 = 1
	RouteTypeLocal       uint8 = 2
	RouteTypeBroadcast   uint8 = 3
	RouteTypeAnycast     uint8 = 4
	RouteTypeMulticast   uint8 = 5
	RouteTypeBlackhole   uint8 = 6
	RouteTypeUnreachable uint8 = 7
	RouteTypeProhibit    uint8 = 8
)

// Route protocols (RTPROT_*): who installed a route.
const (
	RouteProtoUnspec uint8 = 0
	RouteProtoKernel uint8 = 2
	RouteProtoBoot   uint8 = 3
	RouteProtoStatic uint8 = 4
)

// Address flags (IFA_F_*).
const (
	AddrFlagSecondary      uint32 = 0x01
	AddrFlagNoDAD          uint32 = 0x02
	AddrFlagOptimistic     uint32 = 0x04
	AddrFlagDADFailed      uint32 = 0x08
	AddrFlagHomeAddress    uint32 = 0x10
	AddrFlagDeprecated     uint32 = 0x20
	AddrFlagTentative      uint32 = 0x40
	AddrFlagPermanent      uint32 = 0x80
	AddrFlagManageTempAddr uint32 = 0x100
	AddrFlagNoPrefixRoute  uint32 = 0x200
	AddrFlagMcAutoJoin     uint32 = 0x400
	AddrFlagStablePrivacy  uint32 = 0x800
)
