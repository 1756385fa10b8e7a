// Command configdoc writes docs/configuration.md from config.Vars; make docs runs it.
package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/heraldcms/herald/internal/config"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: configdoc docs/configuration.md")
		os.Exit(2)
	}
	var b bytes.Buffer
	if err := config.WriteMarkdown(&b); err != nil {
		fmt.Fprintln(os.Stderr, "configdoc:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(os.Args[1], b.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "configdoc:", err)
		os.Exit(1)
	}
}
