// Command nnfleet-snapshot drives the Go HDFS library's snapshot calls
// (AllowSnapshots, CreateSnapshot, DeleteSnapshot, DisallowSnapshots) and
// reads through DIR/.snapshot, printing one "step: outcome" line per step for
// the test to compare. An expected refusal prints its Java exception class.
// The library (2.3.0) has no RenameSnapshot nor any diff or listing call.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	hdfs "github.com/colinmarc/hdfs/v2"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: nnfleet-snapshot DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	client, err := hdfs.New(os.Getenv("HADOOP_NAMENODE"))
	must("connect", err)

	must("mkdir", client.MkdirAll(dir, 0755))
	must("write f", write(client, dir+"/f", "before\n"))
	say("create on a plain dir", outcome(client.CreateSnapshot(dir, "s0")))
	must("allow", client.AllowSnapshots(dir))
	path, err := client.CreateSnapshot(dir, "s1")
	must("create s1", err)
	say("created", path)
	say("create s1 again", outcome(client.CreateSnapshot(dir, "s1")))

	must("remove f", client.Remove(dir+"/f"))
	must("rewrite f", write(client, dir+"/f", "after, and longer\n"))
	must("write g", write(client, dir+"/g", "new\n"))

	old, err := client.ReadFile(dir + "/.snapshot/s1/f")
	must("read old f", err)
	say("old f", fmt.Sprintf("%q", old))
	now, err := client.ReadFile(dir + "/f")
	must("read f", err)
	say("f", fmt.Sprintf("%q", now))
	info, err := client.Stat(dir + "/.snapshot/s1/f")
	must("stat old f", err)
	say("old f size", fmt.Sprint(info.Size()))
	_, err = client.Stat(dir + "/.snapshot/s1/g")
	say("old g", errorOf(err))
	say("ls s1", names(client, dir+"/.snapshot/s1"))
	say("ls .snapshot", names(client, dir+"/.snapshot"))
	say("mkdir in snapshot", errorOf(client.Mkdir(dir+"/.snapshot/s1/x", 0755)))
	say("remove in snapshot", errorOf(client.Remove(dir+"/.snapshot/s1/f")))

	say("disallow with snapshots", errorOf(client.DisallowSnapshots(dir)))
	must("delete s1", client.DeleteSnapshot(dir, "s1"))
	say("delete s1 again", errorOf(client.DeleteSnapshot(dir, "s1")))
	_, err = client.Stat(dir + "/.snapshot/s1/f")
	say("deleted s1 f", errorOf(err))
	must("disallow", client.DisallowSnapshots(dir))
	say("create after disallow", outcome(client.CreateSnapshot(dir, "s2")))
	must("close", client.Close())
}

func write(client *hdfs.Client, path, text string) error {
	w, err := client.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, text); err != nil {
		return err
	}
	return w.Close()
}

func names(client *hdfs.Client, path string) string {
	entries, err := client.ReadDir(path)
	if err != nil {
		return errorOf(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func outcome(path string, err error) string {
	if err != nil {
		return errorOf(err)
	}
	return "ok " + path
}

// errorOf names a refusal by the remote Java exception class and the first line of its message.
func errorOf(err error) string {
	if err == nil {
		return "ok"
	}
	var remote hdfs.Error
	if errors.As(err, &remote) {
		return remote.Exception() + ": " + strings.SplitN(remote.Message(), "\n", 2)[0]
	}
	return err.Error()
}

func must(step string, err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", step, err)
		os.Exit(1)
	}
}

func say(step, what string) {
	fmt.Printf("%s: %s\n", step, what)
}
