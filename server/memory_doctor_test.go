package server

import (
	"strings"
	"testing"
)

// TestMemoryDoctorReport: Redis's thresholds (object.c,
// getMemoryDoctorReport) on the figures MEMORY DOCTOR judges.
func TestMemoryDoctorReport(t *testing.T) {
	const mb = 1 << 20
	healthy := doctorFigures{memOverhead: memOverhead{peak: 100 * mb, total: 100 * mb, allocated: 100 * mb,
		active: 105 * mb, resident: 110 * mb, rss: 120 * mb}, clientBytes: 1 * mb, clients: 10, scripts: 10}
	with := func(f func(*doctorFigures)) doctorFigures { d := healthy; f(&d); return d }
	for _, tc := range []struct {
		name string
		d    doctorFigures
		want []string // the findings, in Redis's order; nil: no issue
	}{
		{"healthy", healthy, nil},
		{"empty below 5 MB", with(func(d *doctorFigures) { d.total, d.rss = 5*mb-1, 500*mb }), []string{doctorEmpty}},
		{"peak above 150%", with(func(d *doctorFigures) { d.peak = 151 * mb }), []string{doctorPeak}},
		{"peak at 150%", with(func(d *doctorFigures) { d.peak = 150 * mb }), nil},
		{"RSS 1.5x", with(func(d *doctorFigures) { d.allocated, d.active, d.resident, d.rss = 130*mb, 140*mb, 150*mb, 160*mb }), []string{doctorHighRSS}},
		{"RSS 1.5x but under 10 MB more", with(func(d *doctorFigures) {
			d.total, d.peak, d.allocated, d.active, d.resident, d.rss = 10*mb, 10*mb, 10*mb, 10*mb, 10*mb, 15*mb
		}), nil},
		{"allocator fragmentation", with(func(d *doctorFigures) { d.active, d.resident = 120*mb, 125*mb }), []string{doctorAllocFrag}},
		{"allocator RSS", with(func(d *doctorFigures) { d.resident, d.rss = 130*mb, 135*mb }), []string{doctorAllocRSS}},
		{"process RSS", with(func(d *doctorFigures) { d.rss = 139 * mb }), []string{doctorProcRSS}},
		{"client buffers", with(func(d *doctorFigures) { d.clientBytes = 10*200<<10 + 10 }), []string{doctorClientBufs}},
		{"client buffers at 200K", with(func(d *doctorFigures) { d.clientBytes = 10 * 200 << 10 }), nil},
		{"scripts", with(func(d *doctorFigures) { d.scripts = 1001 }), []string{doctorScripts}},
		{"several, in order", with(func(d *doctorFigures) { d.scripts, d.peak = 2000, 200*mb }), []string{doctorPeak, doctorScripts}},
	} {
		got := tc.d.report()
		var want string
		switch {
		case tc.want == nil:
			want = "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n"
		case tc.want[0] == doctorEmpty:
			want = doctorEmpty
		default:
			want = "Sam, I detected a few issues in this Redis instance memory implants:\n\n" +
				strings.Join(tc.want, "") + "I'm here to keep you safe, Sam. I want to help you.\n"
		}
		if got != want {
			t.Errorf("%s: report\n%q\nwant\n%q", tc.name, got, want)
		}
	}
}
