// Command nnfleet-statloop calls Stat (getFileInfo) on one path from N
// goroutines, each with its own Go HDFS client, for a number of seconds and
// prints the calls per second: the Go client's own getFileInfo throughput.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	hdfs "github.com/colinmarc/hdfs/v2"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: nnfleet-statloop PATH SECONDS CLIENTS")
		os.Exit(2)
	}
	path := os.Args[1]
	seconds, _ := strconv.Atoi(os.Args[2])
	clients, _ := strconv.Atoi(os.Args[3])
	var ops, errs int64
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		client, err := hdfs.New(os.Getenv("HADOOP_NAMENODE"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if _, err := client.Stat(path); err != nil {
					atomic.AddInt64(&errs, 1)
				} else {
					atomic.AddInt64(&ops, 1)
				}
			}
		}()
	}
	wg.Wait()
	fmt.Printf("%d ops %d errors %.0f ops/s\n", ops, errs, float64(ops)/float64(seconds))
}
