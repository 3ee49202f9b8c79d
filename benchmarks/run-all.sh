#!/usr/bin/env bash
# Runs the whole benchmark set and draws its plots: about 14 minutes on 2 cores.
#
#   benchmarks/run-all.sh
#
# Builds what it needs with the Maven Wrapper (no install), then runs each driver in its own JVM with a plain
# 'java -cp'; the drivers start their servers in further JVMs. Data: benchmarks/results/*.csv; plots:
# docs/images/*.svg (benchmarks/plot.py, plain Python 3). Needs Java 17, python3, and etcd, Consul, nats-server and
# rabbitmq-server (scripts/install-test-tools installs them on Debian/Ubuntu; it is run first and does nothing when
# they are there). Settings: BENCH_SECONDS (per run, 5), BENCH_WARMUP (5), BENCH_REPEATS (3),
# BENCH_JIT_WARMUP (15), BENCH_CONCURRENCY (1,16,64), BENCH_OUT (benchmarks/results).
# Baseline (c): MICRO4J_GO_MICRO_BENCH=<path of micro4j-go-peer> (built from benchmarks/go-peer, see its README)
# adds the clients go-micro>go and go-micro>java to the unary RPC run; unset, (c) is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${BENCH_SECONDS:-5}
warmup=${BENCH_WARMUP:-5}
repeats=${BENCH_REPEATS:-3}
concurrency=${BENCH_CONCURRENCY:-1,16,64}
out=${BENCH_OUT:-benchmarks/results}

scripts/install-test-tools
command -v python3 >/dev/null || { echo "python3 is needed for the plots (apt-get install python3)" >&2; exit 1; }

echo "== build (benchmarks and demo-app with their modules; class paths into target/classpath.txt)"
./mvnw -B -q -ntp -Pbenchmarks -pl benchmarks,demo-app -am package -DskipTests \
	org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.outputFile=target/classpath.txt
cp="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
mkdir -p "$out" benchmarks/target/logs
run() {
	java -Xms512m -Xmx512m -Dbench.out="$out" -Dbench.repeats="$repeats" "$@" -cp "$cp" "$main"
}

echo "== unary RPC: micro4j vs raw mucp vs Spring RestClient/Tomcat (separate JVMs)"
main=io.micro4j.benchmarks.rpc.UnaryRpcBenchmark run -Dbench.seconds="$seconds" -Dbench.warmupSeconds="$warmup" \
	-Dbench.jitWarmupSeconds="${BENCH_JIT_WARMUP:-15}" -Dbench.concurrency="$concurrency" | tee benchmarks/target/logs/unary-rpc.txt
echo "== gRPC: grpc-java through micro:/// discovery vs grpc-java on a static address"
main=io.micro4j.benchmarks.grpc.GrpcDiscoveryBenchmark run -Dbench.seconds="$seconds" -Dbench.warmupSeconds="$warmup" \
	-Dbench.concurrency="$concurrency" | tee benchmarks/target/logs/grpc-discovery.txt
echo "== allocation per call"
main=io.micro4j.benchmarks.rpc.AllocationBenchmark run | tee benchmarks/target/logs/allocation.txt
echo "== startup"
main=io.micro4j.benchmarks.startup.StartupBenchmark run | tee benchmarks/target/logs/startup.txt
echo "== discovery propagation: etcd, then Consul"
main=io.micro4j.benchmarks.discovery.DiscoveryPropagationBenchmark run | tee benchmarks/target/logs/discovery-etcd.txt
main=io.micro4j.benchmarks.discovery.ConsulDiscoveryPropagationBenchmark run | tee benchmarks/target/logs/discovery-consul.txt
echo "== brokers: memory, http, NATS next to raw jnats; RabbitMQ next to raw amqp-client"
main=io.micro4j.benchmarks.broker.PubSubBenchmark run | tee benchmarks/target/logs/pubsub.txt
main=io.micro4j.benchmarks.broker.RabbitBrokerBenchmark run | tee benchmarks/target/logs/rabbitmq.txt
echo "== plots"
python3 benchmarks/plot.py "$out" docs/images
echo "done: data in $out, plots in docs/images"
