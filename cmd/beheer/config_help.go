package main

import (
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"beheer/i18n"
)

// printHelp writes a command's help: one table of its own flags and of
// every setting it takes, with flag, variable, default and description.
// Like the rest of the command line it speaks English; the README has the
// same table in Dutch.
func printHelp(w io.Writer, fs *flag.FlagSet, taken []*given) {
	fmt.Fprintf(w, "Usage: beheer %s [flags]\n\n", fs.Name())
	fmt.Fprintln(w, "Flags and settings; a flag beats its environment variable, which beats the default:")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  FLAG\tVARIABLE\tDEFAULT\tDESCRIPTION")
	fs.VisitAll(func(f *flag.Flag) {
		if _, setting := f.Value.(*given); !setting {
			fmt.Fprintf(tw, "  --%s\t%s\t%s\t%s\n", f.Name, dash(""), dash(f.DefValue), f.Usage)
		}
	})
	cat := i18n.MustLoad()
	for _, g := range taken {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", dash(g.flagName()), dash(g.env), dash(g.def), cat.T(i18n.EN, g.key()))
	}
	tw.Flush()
}

// flagName is the flag as typed, "" when the setting has none.
func (s setting) flagName() string {
	if s.flag == "" {
		return ""
	}
	return "--" + s.flag
}

// dash stands in for an empty cell.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
