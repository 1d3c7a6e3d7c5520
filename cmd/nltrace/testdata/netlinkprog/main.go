// Command netlinkprog is the netlink program of nltrace's end-to-end tests
// (see internal/netlinkprog); the tests build it with CGO_ENABLED=0.
package main

import (
	"os"

	"github.com/nltrace/nltrace/internal/netlinkprog"
)

func main() {
	os.Exit(netlinkprog.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
