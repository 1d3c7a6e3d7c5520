package main

import "fmt"

func runDecode(args []string, io stdio) int {
	fmt.Fprintln(io.err, "nltrace: decode is not implemented yet")
	return 2
}
