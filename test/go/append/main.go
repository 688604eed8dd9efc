// Command nnfleet-append appends its standard input to an HDFS file with the
// Go HDFS client library: the append path the `hdfs` command line lacks.
package main

import (
	"fmt"
	"io"
	"os"

	hdfs "github.com/colinmarc/hdfs/v2"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: nnfleet-append PATH < data")
		os.Exit(2)
	}
	client, err := hdfs.New(os.Getenv("HADOOP_NAMENODE"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	w, err := client.Append(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if _, err := io.Copy(w, os.Stdin); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := w.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
