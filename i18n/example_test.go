package i18n_test

import (
	"fmt"
	"time"

	"beheer/i18n"
)

func ExampleCatalog_T() {
	c := i18n.MustLoad()
	lang := i18n.Match("en-GB,en;q=0.9,nl;q=0.8")
	fmt.Println(c.T(lang, "field.too_long", "max", 200))
	fmt.Println(c.T(i18n.NL, "field.too_long", "max", 200))
	fmt.Println(c.T(i18n.NL, "no.such.key"))
	// Output:
	// At most 200 characters.
	// Maximaal 200 tekens.
	// [no.such.key]
}

func ExampleFormatDateTime() {
	t := time.Date(2026, 1, 2, 14, 5, 0, 0, time.UTC)
	fmt.Println(i18n.FormatDate(i18n.NL, t, time.UTC))
	fmt.Println(i18n.FormatDateTime(i18n.NL, t, time.UTC))
	fmt.Println(i18n.FormatDateTime(i18n.EN, t, time.UTC))
	// Output:
	// 2 januari 2026
	// 2 jan. 2026 14:05
	// 2 Jan 2026 14:05
}

func ExampleFormatNumber() {
	fmt.Println(i18n.FormatNumber(i18n.NL, 1234567.5, 1))
	fmt.Println(i18n.FormatNumber(i18n.EN, 1234567.5, 1))
	fmt.Println(i18n.FormatInt(i18n.NL, 1234567))
	// Output:
	// 1.234.567,5
	// 1,234,567.5
	// 1.234.567
}
