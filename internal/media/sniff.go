package media

import (
	"bufio"
	"bytes"
	"io"
	"path/filepath"
	"strings"
)

// sniff decides the type from the first bytes alone; the client's claim is only checked
// against it. It returns "" for anything outside the allow-list and reports SVG apart, so
// the refusal can say why.
func sniff(head []byte) (mime string, svg bool) {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG, false
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return PNG, false
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return GIF, false
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return WebP, false
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return PDF, false
	}
	text := bytes.ToLower(bytes.TrimLeft(head, "\xef\xbb\xbf \t\r\n"))
	if bytes.HasPrefix(text, []byte("<svg")) || (bytes.HasPrefix(text, []byte("<?xml")) || bytes.HasPrefix(text, []byte("<!doctype svg"))) && bytes.Contains(text, []byte("<svg")) {
		return "", true
	}
	return "", false
}

// declaredAliases normalises the types clients send for the accepted formats.
var declaredAliases = map[string]string{
	"image/jpg": JPEG, "image/pjpeg": JPEG, "image/x-png": PNG, "application/x-pdf": PDF,
}

// extensionTypes maps file-name extensions to the type they promise.
var extensionTypes = map[string]string{
	".jpg": JPEG, ".jpeg": JPEG, ".jpe": JPEG, ".jfif": JPEG, ".png": PNG, ".gif": GIF, ".webp": WebP, ".pdf": PDF,
}

// checkDeclared refuses a file whose declared Content-Type or file-name extension promises a
// different type than its content. Generic declarations (octet-stream, none) pass.
func checkDeclared(sniffed, declared, filename string) error {
	d := strings.ToLower(strings.TrimSpace(declared))
	if i := strings.IndexByte(d, ';'); i >= 0 {
		d = strings.TrimSpace(d[:i])
	}
	if a, ok := declaredAliases[d]; ok {
		d = a
	}
	if d != "" && d != "application/octet-stream" && d != sniffed {
		return &TypeError{Reason: "the file was declared as " + d + " but its content is " + sniffed}
	}
	ext := strings.ToLower(filepath.Ext(filename))
	if t, ok := extensionTypes[ext]; ok && t != sniffed {
		return &TypeError{Reason: "the file name ends in " + ext + " but its content is " + sniffed}
	}
	if ext != "" {
		if _, ok := extensionTypes[ext]; !ok && isExecutableExt(ext) {
			return &TypeError{Reason: "executable file names (" + ext + ") are not accepted"}
		}
	}
	return nil
}

func isExecutableExt(ext string) bool {
	switch ext {
	case ".exe", ".dll", ".com", ".bat", ".cmd", ".sh", ".js", ".html", ".htm", ".svg", ".php", ".jar", ".msi", ".scr", ".ps1":
		return true
	}
	return false
}

// foreignMarkers betray a second format hidden in an image (a polyglot): markup a browser
// would run, a PDF, server scripts. Real image data matching one is vanishingly unlikely;
// metadata that carries one is exactly what polyglots abuse.
var foreignMarkers = [][]byte{
	[]byte("<script"), []byte("<html"), []byte("<!doctype html"), []byte("<iframe"), []byte("<svg"),
	[]byte("javascript:"), []byte("<?php"), []byte("%pdf-"),
}

// scanPolyglot reads r to the end and refuses it if it carries a foreign marker anywhere
// (case-insensitive), in one pass with a constant-size buffer.
func scanPolyglot(r io.Reader) error {
	const overlap = 16
	br := bufio.NewReaderSize(r, 64<<10)
	buf := make([]byte, 64<<10+overlap)
	carry := 0
	for {
		n, err := io.ReadFull(br, buf[carry:])
		chunk := bytes.ToLower(buf[:carry+n])
		for _, m := range foreignMarkers {
			if bytes.Contains(chunk, m) {
				return &TypeError{Reason: "the file hides other content (" + strings.TrimPrefix(string(m), "<") + ") inside the image: polyglot files are refused"}
			}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil
		}
		if err != nil {
			return err
		}
		carry = copy(buf, buf[carry+n-overlap:carry+n])
	}
}
