// Command micro4j-go-peer is the go-micro side of micro4j's unary RPC benchmark (baseline (c)): a go-micro
// greeter server and a go-micro load client, both on the etcd registry, driven by
// io.micro4j.benchmarks.rpc.UnaryRpcBenchmark when MICRO4J_GO_MICRO_BENCH names this binary.
//
//	micro4j-go-peer server --etcd <host:port> --name <service> --address 127.0.0.1:<port>
//	micro4j-go-peer client --etcd <host:port> --service <name> --concurrency <n> --seconds <s> --warmup <s>
//
// See README.md for the contract the Java driver relies on.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"sync"
	"time"

	"go-micro.dev/v5"
	"go-micro.dev/v5/client"
	"go-micro.dev/v5/registry"
	"go-micro.dev/v5/registry/etcd"
	"go-micro.dev/v5/selector"
)

// HelloRequest is the greeting request: {"name":"John"}.
type HelloRequest struct {
	Name string `json:"name"`
}

// HelloResponse is the greeting answer: {"msg":"Hello John"}.
type HelloResponse struct {
	Msg string `json:"msg"`
}

// Greeter is served as the endpoint Greeter.Hello.
type Greeter struct{}

// Hello greets the request's name.
func (g *Greeter) Hello(ctx context.Context, req *HelloRequest, rsp *HelloResponse) error {
	rsp.Msg = "Hello " + req.Name
	return nil
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "server":
		err = serve(os.Args[2:])
	case "client":
		err = load(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "micro4j-go-peer:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: micro4j-go-peer server --etcd <host:port> --name <service> --address <host:port>")
	fmt.Fprintln(os.Stderr, "       micro4j-go-peer client --etcd <host:port> --service <name> --concurrency <n> --seconds <s> --warmup <s>")
	os.Exit(2)
}

// serve runs a go-micro service (default server and http transport) with the Greeter handler, registered in etcd.
// It prints "READY <address>" once registered and stops on SIGTERM/SIGINT or when its standard input closes.
func serve(args []string) error {
	flags := flag.NewFlagSet("server", flag.ExitOnError)
	etcdAddress := flags.String("etcd", "127.0.0.1:2379", "etcd address (host:port)")
	name := flags.String("name", "bench.go.greeter", "service name to register")
	address := flags.String("address", "127.0.0.1:0", "address to listen on (host:port)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go func() {
		// the driver holds our standard input open while it needs us
		io.Copy(io.Discard, os.Stdin)
		stop()
	}()
	var service micro.Service
	service = micro.NewService(
		micro.Name(*name),
		micro.Address(*address),
		micro.Registry(etcd.NewEtcdRegistry(registry.Addrs(*etcdAddress))),
		micro.Context(ctx),
		micro.AfterStart(func() error {
			fmt.Printf("READY %s\n", service.Server().Options().Address)
			return nil
		}),
	)
	if err := micro.RegisterHandler(service.Server(), new(Greeter)); err != nil {
		return err
	}
	return service.Run()
}

// load calls Greeter.Hello back to back from concurrency goroutines, first for warmup seconds, then for seconds,
// and prints one line of JSON with the calls of the measured window.
func load(args []string) error {
	flags := flag.NewFlagSet("client", flag.ExitOnError)
	etcdAddress := flags.String("etcd", "127.0.0.1:2379", "etcd address (host:port)")
	service := flags.String("service", "bench.greeter", "service to call")
	concurrency := flags.Int("concurrency", 1, "concurrent callers")
	seconds := flags.Float64("seconds", 5, "measured seconds")
	warmup := flags.Float64("warmup", 1, "warm-up seconds before the measurement")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *concurrency < 1 || *seconds <= 0 || *warmup < 0 {
		return fmt.Errorf("need --concurrency >= 1, --seconds > 0, --warmup >= 0")
	}
	reg := etcd.NewEtcdRegistry(registry.Addrs(*etcdAddress))
	c := client.NewClient(
		client.Selector(selector.NewSelector(selector.Registry(reg))),
		client.Registry(reg),
		client.ContentType("application/json"),
	)
	request := c.NewRequest(*service, "Greeter.Hello", &HelloRequest{Name: "John"})
	call := func() error {
		var rsp HelloResponse
		if err := c.Call(context.Background(), request, &rsp); err != nil {
			return err
		}
		if rsp.Msg != "Hello John" {
			return fmt.Errorf("unexpected answer %q", rsp.Msg)
		}
		return nil
	}
	if *warmup > 0 {
		window(*concurrency, *warmup, call)
	}
	result := window(*concurrency, *seconds, call)
	line, err := json.Marshal(result)
	if err != nil {
		return err
	}
	fmt.Println(string(line))
	return nil
}

// Result is the JSON line of a client run; latencies in microseconds, nearest-rank percentiles.
type Result struct {
	Calls   int64   `json:"calls"`
	Errors  int64   `json:"errors"`
	Seconds float64 `json:"seconds"`
	P50     float64 `json:"p50_us"`
	P99     float64 `json:"p99_us"`
	P999    float64 `json:"p999_us"`
	Mean    float64 `json:"mean_us"`
}

// window runs concurrency callers from one common start for seconds; a call counts when it ends within the window.
func window(concurrency int, seconds float64, call func() error) Result {
	duration := time.Duration(seconds * float64(time.Second))
	latencies := make([][]time.Duration, concurrency)
	errors := make([]int64, concurrency)
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	var end time.Time
	ready.Add(concurrency)
	done.Add(concurrency)
	for i := 0; i < concurrency; i++ {
		go func(i int) {
			defer done.Done()
			mine := make([]time.Duration, 0, 16384)
			ready.Done()
			<-start
			now := time.Now()
			for now.Before(end) {
				began := now
				err := call()
				now = time.Now()
				if !now.After(end) {
					mine = append(mine, now.Sub(began))
					if err != nil {
						errors[i]++
					}
				}
			}
			latencies[i] = mine
		}(i)
	}
	ready.Wait()
	end = time.Now().Add(duration)
	close(start)
	done.Wait()
	var all []time.Duration
	var failed int64
	for i := range latencies {
		all = append(all, latencies[i]...)
		failed += errors[i]
	}
	sort.Slice(all, func(a, b int) bool { return all[a] < all[b] })
	var sum time.Duration
	for _, l := range all {
		sum += l
	}
	mean := 0.0
	if len(all) > 0 {
		mean = micros(sum) / float64(len(all))
	}
	return Result{
		Calls:   int64(len(all)) - failed,
		Errors:  failed,
		Seconds: seconds,
		P50:     micros(quantile(all, 0.50)),
		P99:     micros(quantile(all, 0.99)),
		P999:    micros(quantile(all, 0.999)),
		Mean:    mean,
	}
}

// quantile is the nearest-rank q quantile of sorted values; 0 when there are none.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(q * float64(len(sorted))))
	index := rank - 1
	if index < 0 {
		index = 0
	}
	if index > len(sorted)-1 {
		index = len(sorted) - 1
	}
	return sorted[index]
}

func micros(d time.Duration) float64 {
	return float64(d) / float64(time.Microsecond)
}
