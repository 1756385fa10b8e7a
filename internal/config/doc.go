package config

import (
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes docs/configuration.md: every variable of Vars with its default and
// meaning.
func WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString(`# Configuration

<!-- Generated from config.Vars in internal/config/config.go by make docs; do not edit. -->

Herald reads its settings from environment variables at start and validates them; a bad
value stops the server with a message that names the variable. Durations use Go syntax
(` + "`500ms`, `15s`, `30m`, `720h`" + `).

| variable | default | meaning |
| --- | --- | --- |
`)
	for _, v := range Vars {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", v.Name, mdCell(v.Default), mdCell(v.Meaning))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCell escapes pipes, which would end the table cell.
func mdCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
