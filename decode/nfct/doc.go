// Package nfct decodes the nfnetlink subsystems other than nf_tables:
// ctnetlink (conntrack entries, events and statistics), conntrack
// expectations, cttimeout, cthelper, nfacct, ipset, nflog, nfqueue, osf and
// the netfilter hook dump. Subsystems returns their message tables for
// nfnl.Family; every attribute set is big-endian, as nfnetlink is, except
// the few members the kernel reads in host order.
package nfct
