package main

import "fmt"

func runTrace(args []string, io stdio) int {
	fmt.Fprintln(io.err, "nltrace: trace is not implemented yet")
	return 2
}
