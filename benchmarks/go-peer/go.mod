module micro4j.io/benchmarks/go-peer

go 1.24

require go-micro.dev/v5 v5.16.0
