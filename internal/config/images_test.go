package config

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestImagesVariables(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Images.Widths != nil || c.Images.AVIFMaxPixels != 0 {
		t.Errorf("defaults %+v: want the media package's", c.Images)
	}
	c, err = Load(env(map[string]string{"HERALD_MEDIA_WIDTHS": "640, 320,640", "HERALD_MEDIA_QUALITIES": "70,90", "HERALD_MEDIA_AVIF_MAX_PIXELS": "500000"}))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Images.Widths, []int{320, 640}) || !slices.Equal(c.Images.Qualities, []int{70, 90}) || c.Images.AVIFMaxPixels != 500000 {
		t.Errorf("parsed %+v", c.Images)
	}
	for name, v := range map[string]string{"HERALD_MEDIA_WIDTHS": "320,wide", "HERALD_MEDIA_HEIGHTS": "0", "HERALD_MEDIA_QUALITIES": "101",
		"HERALD_MEDIA_AVIF_MAX_PIXELS": "-1"} {
		if _, err := Load(env(map[string]string{name: v})); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%s: %v", name, v, err)
		}
	}
	if _, err := Load(env(map[string]string{"HERALD_MEDIA_WIDTHS": strings.Repeat("1,", 64) + "2,3"})); err != nil {
		t.Errorf("duplicates count once: %v", err)
	}
	many := make([]string, 65)
	for i := range many {
		many[i] = strconv.Itoa(i + 1)
	}
	if _, err := Load(env(map[string]string{"HERALD_MEDIA_WIDTHS": strings.Join(many, ",")})); err == nil || !strings.Contains(err.Error(), "at most 64") {
		t.Errorf("65 widths: %v", err)
	}
}
