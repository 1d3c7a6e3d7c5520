package main

import (
	"context"
	"fmt"
	"time"

	"github.com/nltrace/nltrace/client"
)

// genlRefreshInterval bounds how often an unknown generic-netlink id makes
// nltrace list the kernel's families again: ids of families that register
// later (a module loads) are found, but a stream of ids no family has does
// not cost a dump per message.
const genlRefreshInterval = time.Second

// kernelGenlFamilies names generic-netlink family ids from the kernel's own
// list, so that a live trace names the messages of a program that resolved
// its family before the trace began (nltrace -p, -a, or a cached id).
// Family ids are global, not per network namespace, so nltrace's own
// namespace gives the right answer for every traced process.
type kernelGenlFamilies struct {
	names   map[uint16]string
	listed  time.Time
	now     func() time.Time
	list    func() (map[uint16]string, error)
	listErr error // the last failure, kept for tests and debugging
}

func newKernelGenlFamilies() *kernelGenlFamilies {
	return &kernelGenlFamilies{now: time.Now, list: listGenlFamilies}
}

// lookup is a decode.State generic-netlink lookup.
func (k *kernelGenlFamilies) lookup(id uint16) (string, bool) {
	if name, ok := k.names[id]; ok {
		return name, true
	}
	if !k.listed.IsZero() && k.now().Sub(k.listed) < genlRefreshInterval {
		return "", false
	}
	k.listed = k.now()
	names, err := k.list()
	if err != nil {
		// The stream's own CTRL_CMD_NEWFAMILY replies still name ids.
		k.listErr = err
		return "", false
	}
	k.names = names
	name, ok := names[id]
	return name, ok
}

// listGenlFamilies asks the kernel for every generic-netlink family.
func listGenlFamilies() (map[uint16]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	c, err := client.Dial(client.ProtocolGeneric, nil)
	if err != nil {
		return nil, fmt.Errorf("list generic netlink families: %w", err)
	}
	defer c.Close()
	families, err := client.ListFamilies(ctx, c)
	if err != nil {
		return nil, err
	}
	names := make(map[uint16]string, len(families))
	for _, f := range families {
		names[f.ID] = f.Name
	}
	return names, nil
}
