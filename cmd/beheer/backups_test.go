package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// metric reads one metric's value from the operator listener named in
// the server's log.
func metric(t *testing.T, s *served, name string) string {
	t.Helper()
	m := regexp.MustCompile(`metrics listening" addr=(127\.0\.0\.1:\d+)`).FindStringSubmatch(s.logs.String())
	if m == nil {
		t.Fatalf("no metrics listener in the log:\n%s", s.logs.String())
	}
	res, err := http.Get("http://" + m[1] + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	v := regexp.MustCompile(`(?m)^` + name + ` (\S+)$`).FindSubmatch(body)
	if v == nil {
		return ""
	}
	return string(v[1])
}

// eventually waits up to 30 seconds for ok.
func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !ok(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// backupFiles lists the backups in dir.
func backupFiles(dir string) []string {
	m, _ := filepath.Glob(filepath.Join(dir, "beheer-*.db"))
	return m
}

// TestScheduledBackups: serve makes backups on its schedule, readable by
// Beheer alone, keeps what retention says (here: one a day, so the
// newest), and reports the last one in the metrics.
func TestScheduledBackups(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	dir := filepath.Join(data, "backups")
	s := startServe(t, env{getenv: envOf("BEHEER_BACKUP_SCHEDULE", "1s", "BEHEER_BACKUP_KEEP_DAILY", "1",
		"BEHEER_BACKUP_KEEP_WEEKLY", "0")}, "--addr", "127.0.0.1:0", "--data", data, "--metrics-addr", "127.0.0.1:0")
	// Backups are named to the second: two runs of a one-second schedule
	// may share a name (the newer replaces the older), so three different
	// files are waited for.
	written := regexp.MustCompile(`backup written and checked" file=(\S+)`)
	eventually(t, "three backups", func() bool {
		files := map[string]bool{}
		for _, m := range written.FindAllStringSubmatch(s.logs.String(), -1) {
			files[m[1]] = true
		}
		return len(files) >= 3
	})
	// A removal is logged after the file is gone: both are waited for
	// together, or the count may be read between the two.
	eventually(t, "two old backups removed, one left", func() bool {
		return strings.Count(s.logs.String(), "old backup removed") >= 2 && len(backupFiles(dir)) == 1
	})
	info, err := os.Stat(dir)
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("backup folder: %v %v", info, err)
	}
	for _, f := range backupFiles(dir) {
		if info, err := os.Stat(f); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v, want mode 0600", f, info, err)
		}
	}
	if got := metric(t, s, "beheer_backup_last_ok"); got != "1" {
		t.Errorf("beheer_backup_last_ok %q", got)
	}
	if got := metric(t, s, "beheer_backup_last_size_bytes"); got == "" || got == "0" {
		t.Errorf("beheer_backup_last_size_bytes %q", got)
	}
}

// TestScheduledBackupFolderNotWritable: a backup folder that cannot be
// written is logged with a clear message and recorded as failed; the
// server keeps answering.
func TestScheduledBackupFolderNotWritable(t *testing.T) {
	dir := t.TempDir()
	notAFolder := filepath.Join(dir, "backups")
	if err := os.WriteFile(notAFolder, []byte("geen map"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, env{getenv: envOf("BEHEER_BACKUP_SCHEDULE", "1s", "BEHEER_BACKUP_DIR", notAFolder)},
		"--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data"), "--metrics-addr", "127.0.0.1:0")
	eventually(t, "a failed backup in the log", func() bool {
		return strings.Contains(s.logs.String(), `msg="backup failed" dir=`+notAFolder+` err="backup folder `+notAFolder+`: mkdir `)
	})
	if got := metric(t, s, "beheer_backup_last_ok"); got != "0" {
		t.Errorf("beheer_backup_last_ok %q", got)
	}
	if got := metric(t, s, "beheer_backup_last_timestamp_seconds"); got == "0" || got == "" {
		t.Errorf("beheer_backup_last_timestamp_seconds %q", got)
	}
	res, err := http.Get("http://" + s.addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("/readyz: %s", res.Status)
	}
}

// TestBackupDrill: "beheer backup" writes into the backup folder (keeping
// the newest of a day), and
// "beheer backup drill" restores the newest backup into a temporary
// folder, compares its counts with the live database and cleans up; a
// backup that lacks what the live database has fails the drill.
func TestBackupDrill(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	dir := filepath.Join(data, "backups")
	if out, err := cli(t, "", "migrate", "--data", data); err != nil {
		t.Fatalf("migrate: %v %s", err, out)
	}
	if out, err := cli(t, "", "backup", "--data", data); err != nil || !strings.Contains(out, "checked") {
		t.Fatalf("backup: %v %s", err, out)
	}
	if out, err := cli(t, "", "user", "add", "--data", data, "--email", "fleur@voorbeeld.nl", "--name", "Fleur",
		"--role", "technical_admin"); err != nil {
		t.Fatalf("user add: %v %s", err, out)
	}
	out, err := cli(t, "", "backup", "drill", "--data", data)
	if err == nil || !strings.Contains(out, "PROBLEM: users: 1 rows live, none in the backup") {
		t.Fatalf("drill of a backup without the live people: %v\n%s", err, out)
	}

	time.Sleep(time.Second) // backups are named by the second
	if out, err := cli(t, "", "backup", "--data", data); err != nil {
		t.Fatalf("backup: %v %s", err, out)
	}
	out, err = cli(t, "", "backup", "drill", "--data", data)
	if err != nil || !strings.Contains(out, "OK: the backup can be restored") ||
		!regexp.MustCompile(`(?m)^ +users +1 +1 +\+0 *$`).MatchString(out) {
		t.Fatalf("drill: %v\n%s", err, out)
	}
	if len(backupFiles(dir)) != 1 {
		t.Errorf("backups %v, want the newest of the day alone", backupFiles(dir))
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".drill-*")); len(leftovers) != 0 {
		t.Errorf("the drill left %v", leftovers)
	}
	if out, err := cli(t, "", "backup", "drill", "--data", filepath.Join(t.TempDir(), "leeg")); err == nil ||
		!strings.Contains(err.Error(), "no backups in ") {
		t.Errorf("drill without backups: %v %s", err, out)
	}
}
