package decode

// PairKey identifies a request the way the kernel answers it: the netlink
// protocol, the socket's port id and the sequence number. The protocol is
// part of the key because one process's route and generic sockets can have
// the same port id (the kernel hands out port ids per protocol) and the
// same sequence numbers.
type PairKey struct {
	Proto uint16
	Port  uint32
	Seq   uint32
}

// Pairs is the table that pairs replies with their requests: the decoder
// uses one for extended-ACK paths and dump counts, the CLI's --errors one
// for holding requests until their replies say whether they failed. It is
// bounded: past its limit the oldest entry is forgotten, one at a time, so
// a stream of requests that never see replies cannot grow it without
// bound and recent requests still find their replies. The zero value is
// not usable; call NewPairs.
type Pairs[V any] struct {
	max     int
	entries map[PairKey]pairEntry[V]
	// order lists keys oldest first with the generation they were stored
	// under; a key stored again, or taken, leaves a stale item behind
	// that is skipped.
	order   []pairItem
	gen     uint64
	evicted uint64
}

type pairEntry[V any] struct {
	v   V
	gen uint64
}

type pairItem struct {
	k   PairKey
	gen uint64
}

// NewPairs returns a table that holds at most max entries (max < 1 is 1).
func NewPairs[V any](max int) *Pairs[V] {
	if max < 1 {
		max = 1
	}
	return &Pairs[V]{max: max, entries: make(map[PairKey]pairEntry[V])}
}

// Put stores v under k, replacing what k held (a retransmitted request
// with the same sequence number is the newer one), and forgets the oldest
// entries while the table is over its limit.
func (p *Pairs[V]) Put(k PairKey, v V) {
	p.gen++
	p.entries[k] = pairEntry[V]{v: v, gen: p.gen}
	p.order = append(p.order, pairItem{k, p.gen})
	for len(p.entries) > p.max && len(p.order) > 0 {
		it := p.order[0]
		p.order = p.order[1:]
		if e, ok := p.entries[it.k]; ok && e.gen == it.gen {
			delete(p.entries, it.k)
			p.evicted++
		}
	}
	if len(p.order) > 2*p.max+16 {
		// Items of taken or replaced entries linger in order; compact it
		// into fresh storage so the array behind the reslicing is freed.
		kept := make([]pairItem, 0, len(p.entries))
		for _, it := range p.order {
			if e, ok := p.entries[it.k]; ok && e.gen == it.gen {
				kept = append(kept, it)
			}
		}
		p.order = kept
	}
}

// Get returns the entry under k, leaving it in the table (a dump's parts
// all find their request).
func (p *Pairs[V]) Get(k PairKey) (V, bool) {
	e, ok := p.entries[k]
	return e.v, ok
}

// Take returns the entry under k and removes it.
func (p *Pairs[V]) Take(k PairKey) (V, bool) {
	e, ok := p.entries[k]
	if ok {
		delete(p.entries, k)
	}
	return e.v, ok
}

// Len returns the number of entries held.
func (p *Pairs[V]) Len() int { return len(p.entries) }

// Evicted returns how many entries were forgotten to keep the table within
// its limit.
func (p *Pairs[V]) Evicted() uint64 { return p.evicted }
