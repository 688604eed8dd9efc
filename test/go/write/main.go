// Command nnfleet-write creates an HDFS file from its standard input with the
// Go HDFS client library, with the choices the `hdfs put` command does not
// offer: a block size of the caller's choosing (any value, not only multiples
// of 512) and flushes after each of the first small writes.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	hdfs "github.com/colinmarc/hdfs/v2"
)

func main() {
	blockSize := flag.Int64("blocksize", 1024*1024, "block size asked for at create")
	replication := flag.Int("replication", 1, "replication asked for at create")
	flushes := flag.Int("flushes", 0, "how many small writes, each followed by a flush, come first")
	piece := flag.Int("piece", 37, "size of each flushed write")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: nnfleet-write [-blocksize N] [-replication N] [-flushes N -piece N] PATH < data")
		os.Exit(2)
	}
	data, err := io.ReadAll(os.Stdin)
	fail(err)
	client, err := hdfs.New(os.Getenv("HADOOP_NAMENODE"))
	fail(err)
	w, err := client.CreateFile(flag.Arg(0), *replication, *blockSize, 0644)
	fail(err)
	off := 0
	for i := 0; i < *flushes && off < len(data); i++ {
		end := off + *piece
		if end > len(data) {
			end = len(data)
		}
		_, err = w.Write(data[off:end])
		fail(err)
		fail(w.Flush())
		off = end
	}
	_, err = w.Write(data[off:])
	fail(err)
	fail(w.Close())
}

func fail(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
