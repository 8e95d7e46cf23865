// Command beheer is the Beheer binary: the server and the tools to manage
// its data. Run "beheer help" for the commands.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	// The time zones ride along in the binary: Beheer reckons business
	// hours and backup times in Europe/Amsterdam, and its container image
	// has no zoneinfo of its own.
	_ "time/tzdata"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "beheer:", err)
		os.Exit(1)
	}
}
