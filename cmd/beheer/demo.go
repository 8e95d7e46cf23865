package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"beheer/demo"
)

func cmdDemo(ctx context.Context, e env, args []string) error {
	fs := newFlags("demo")
	requests := fs.Int("requests", 0, "number of requests to generate (default 300; large numbers use the bulk loader)")
	seed := fs.Uint64("seed", 1, "seed for the generated text")
	cfg, err := loadConfig(e, fs, args)
	if err != nil {
		return err
	}
	st, err := cfg.open(ctx, slog.New(slog.NewTextHandler(e.stderr, nil)))
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	progress := func(n int) {
		if n%100000 == 0 {
			fmt.Fprintf(e.stderr, "%d requests in %s\n", n, time.Since(start).Round(time.Second))
		}
	}
	logins, err := demo.Load(ctx, st, demo.Options{Requests: *requests, Seed: *seed, Progress: progress})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "demo loaded in %s\n", time.Since(start).Round(time.Millisecond))
	printLogins(e, logins)
	return nil
}
