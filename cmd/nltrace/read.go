package main

import "fmt"

func runRead(args []string, io stdio) int {
	fmt.Fprintln(io.err, "nltrace: read is not implemented yet")
	return 2
}
