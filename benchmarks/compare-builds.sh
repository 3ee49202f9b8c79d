#!/usr/bin/env bash
# Unary RPC throughput and allocation per call of two builds of micro4j, measured side by side in one run.
#
#   benchmarks/compare-builds.sh [base-ref] [new-ref]        # defaults: 53967d9 (before the call pipeline) and HEAD
#
# Checks out both refs as detached git worktrees under benchmarks/target/compare/ (git-ignored), builds each one's
# benchmarks module with its own reactor (package, nothing installed, so each build runs its own micro-core and never
# a ~/.m2 snapshot) and checks that its class path says so. Both builds run the same driver source, new-ref's
# benchmarks/src (COMPARE_DRIVER=own: each build's own). Then, interleaved with the order alternating per repeat
# (base, new; new, base; ...), it runs UnaryRpcBenchmark's micro4j client -> mucp server pair (client, server and etcd
# fresh each time) and AllocationBenchmark, and prints mean ± sd per build and the ratio new/base, per pair too.
# Data: benchmarks/results/compare-unary-rpc-runs.csv, compare-allocation-runs.csv, compare-summary.csv; driver
# output in benchmarks/target/compare/logs/. Needs Java 17, etcd (scripts/install-test-tools) and python3.
# Settings: BENCH_REPEATS (pairs, 5), BENCH_CONCURRENCY (16,64), BENCH_SECONDS (per run, 10), BENCH_WARMUP (per
# point, 5), BENCH_JIT_WARMUP (15), BENCH_CALLS (allocation calls per run, 30000), BENCH_OUT (benchmarks/results),
# COMPARE_DRIVER (new|own), COMPARE_KEEP=1 keeps the worktrees (they are kept anyway when the script fails).
# MAVEN_ARGS (read by Maven itself) passes options such as -o to both builds.
# Run it on an otherwise idle machine: it warns when the load average says other work is running.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

base_ref=${1:-53967d9}
new_ref=${2:-HEAD}
repeats=${BENCH_REPEATS:-5}
concurrency=${BENCH_CONCURRENCY:-16,64}
seconds=${BENCH_SECONDS:-10}
warmup=${BENCH_WARMUP:-5}
jit_warmup=${BENCH_JIT_WARMUP:-15}
calls=${BENCH_CALLS:-30000}
out=${BENCH_OUT:-benchmarks/results}
driver=${COMPARE_DRIVER:-new}
work=$root/benchmarks/target/compare
started=$SECONDS

case $driver in
	new | own) ;;
	*) echo "COMPARE_DRIVER=$driver (expected: new or own)" >&2; exit 2 ;;
esac
[ "$repeats" -ge 1 ] 2>/dev/null || { echo "BENCH_REPEATS=$repeats (expected: >= 1)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is needed for the summary (apt-get install python3)" >&2; exit 1; }
command -v etcd >/dev/null || scripts/install-test-tools
# the go-micro peer (baseline (c)) is not part of this comparison
unset MICRO4J_GO_MICRO_BENCH

base_commit=$(git rev-parse --verify "$base_ref^{commit}")
new_commit=$(git rev-parse --verify "$new_ref^{commit}")
driver_commit=$new_commit
describe() {
	git log -1 --format='%h %s' "$1" | cut -c1-100
}
echo "base: $(describe "$base_commit")"
echo "new:  $(describe "$new_commit")"
if [ "$driver" = new ]; then
	echo "driver: benchmarks/src of the new build ($(git rev-parse --short "$new_commit")) for both builds"
else
	echo "driver: each build's own benchmarks/src"
fi
if ! git diff --quiet "$base_commit" "$new_commit" -- benchmarks/src; then
	echo "note: benchmarks/src differs between the two refs (git diff --stat $base_ref $new_ref -- benchmarks/src)"
fi
if ! git diff --quiet "$base_commit" "$new_commit" -- benchmarks/pom.xml; then
	echo "note: benchmarks/pom.xml differs between the two refs; each build uses its own"
fi
if [ -n "$(git status --porcelain -- . 2>/dev/null | grep -v '^??' || true)" ]; then
	echo "note: the working tree has uncommitted changes; they are not measured (the builds are of $new_ref and $base_ref as committed)"
fi

load1() {
	cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo NaN
}
# Percent of all cores busy during 2 s when none of this script's processes run: other work on the machine.
# (The load average cannot tell: it still counts the previous run's JVMs for a minute.)
busy() {
	local a b
	a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat 2>/dev/null) || { echo NaN; return; }
	sleep 2
	b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
	echo "$a $b" | awk '{ busy = $3 - $1; idle = $4 - $2; printf "%.0f\n", (busy + idle > 0) ? 100 * busy / (busy + idle) : 0 }'
}
warn_busy() {
	if awk -v b="$1" 'BEGIN { exit !(b + 0 >= 20) }'; then
		echo "   warning: other work used $1 % of the CPU (2 s sample); numbers taken under load are worthless" >&2
	fi
}
cpu=$(busy)
echo "other work on the machine before the builds: $cpu % CPU (load average $(load1))"
warn_busy "$cpu"

mkdir -p "$work/logs" "$out"
kept=0
cleanup() {
	local status=$?
	if [ "$status" -ne 0 ] || [ "${COMPARE_KEEP:-0}" = 1 ]; then
		[ "$kept" = 1 ] && echo "worktrees kept: $work/base $work/new (remove: git worktree remove --force <dir>)"
		return
	fi
	for label in base new; do
		[ -d "$work/$label" ] && git worktree remove --force "$work/$label" >/dev/null 2>&1 || true
	done
}
trap cleanup EXIT

# A fresh detached worktree of $2 at $work/$1, built; its class path ends up in $work/$1.classpath.
build() {
	local label=$1 commit=$2 dir=$work/$1
	if [ -e "$dir" ]; then
		git worktree remove --force "$dir" >/dev/null 2>&1 || rm -rf "$dir"
	fi
	# --force: re-use the path even if a previous run's worktree was deleted without 'git worktree remove'
	git worktree add --quiet --force --detach "$dir" "$commit"
	kept=1
	if [ "$driver" = new ] && [ "$commit" != "$driver_commit" ]; then
		rm -rf "$dir/benchmarks/src"
		git archive "$driver_commit" benchmarks/src | tar -x -C "$dir"
	fi
	echo "== build $label ($(git rev-parse --short "$commit")) in $dir"
	local t0=$SECONDS
	if ! (cd "$dir" && ./mvnw -B -q -ntp -Pbenchmarks -pl benchmarks -am package -Dmaven.test.skip=true) \
		>"$work/logs/build-$label.txt" 2>&1; then
		tail -40 "$work/logs/build-$label.txt" >&2
		echo "the $label build failed (log: $work/logs/build-$label.txt)" >&2
		if [ "$driver" = new ] && [ "$commit" != "$driver_commit" ]; then
			echo "if the new driver does not compile against $label, make it compatible or run with COMPARE_DRIVER=own" >&2
		fi
		exit 1
	fi
	# Reactor modules must come from this worktree, never from ~/.m2 (both builds are 0.1.0-SNAPSHOT).
	local file=$dir/benchmarks/target/classpath.txt
	local foreign core
	foreign=$(tr ':' '\n' <"$file" | grep '/io/micro4j/' || true)
	core=$(tr ':' '\n' <"$file" | grep '/micro-core/' || true)
	if [ -n "$foreign" ] || [ "${core#"$dir"/micro-core/target/}" = "$core" ]; then
		echo "the $label class path does not use its own reactor's micro-core ($file):" >&2
		echo "${foreign:-$core}" >&2
		exit 1
	fi
	echo "$dir/benchmarks/target/classes:$(cat "$file")" >"$work/$label.classpath"
	echo "   built in $((SECONDS - t0)) s; micro-core from ${core#"$root"/}"
}

build base "$base_commit"
build new "$new_commit"

unary_csv=$out/compare-unary-rpc-runs.csv
alloc_csv=$out/compare-allocation-runs.csv
echo "build,commit,repeat,load1,busy_pct,concurrency,client,run,calls,errors,seconds,throughput,p50_us,p99_us,p999_us,mean_us" \
	>"$unary_csv"
echo "build,commit,repeat,load1,busy_pct,path,bytes_per_call,cpu_us_per_call,calls" >"$alloc_csv"

# java in the build's worktree: the drivers find their logs folder and the class path entries to leave out of the
# REST server relative to the working directory
java_in() {
	local label=$1
	shift
	(cd "$work/$label" && java -Xms512m -Xmx512m -cp "$(cat "$work/$label.classpath")" "$@")
}
unary() {
	local label=$1 repeat=$2 commit load cpu dir=$work/runs/$1-unary-$2
	commit=$(git -C "$work/$label" rev-parse --short HEAD)
	load=$(load1)
	cpu=$(busy)
	rm -rf "$dir"
	echo "== unary RPC, $label ($commit), repeat $repeat/$repeats; before it: other work ${cpu} % CPU, load average $load"
	warn_busy "$cpu"
	java_in "$label" -Dbench.out="$dir" -Dbench.clients=micro4j -Dbench.repeats=1 -Dbench.seconds="$seconds" \
		-Dbench.warmupSeconds="$warmup" -Dbench.jitWarmupSeconds="$jit_warmup" -Dbench.concurrency="$concurrency" \
		io.micro4j.benchmarks.rpc.UnaryRpcBenchmark >"$work/logs/$label-unary-$repeat.txt" 2>&1 || {
		tail -30 "$work/logs/$label-unary-$repeat.txt" >&2
		echo "unary RPC run failed (log: $work/logs/$label-unary-$repeat.txt)" >&2
		exit 1
	}
	grep '^c=' "$work/logs/$label-unary-$repeat.txt" | sed 's/^/   /'
	tail -n +2 "$dir/unary-rpc-runs.csv" | sed "s/^/$label,$commit,$repeat,$load,$cpu,/" >>"$unary_csv"
}
allocation() {
	local label=$1 repeat=$2 commit load cpu dir=$work/runs/$1-allocation-$2
	commit=$(git -C "$work/$label" rev-parse --short HEAD)
	load=$(load1)
	cpu=$(busy)
	rm -rf "$dir"
	echo "== allocation per call, $label ($commit), repeat $repeat/$repeats; before it: other work ${cpu} % CPU, load average $load"
	warn_busy "$cpu"
	java_in "$label" -Dbench.out="$dir" -Dbench.repeats=1 -Dbench.calls="$calls" \
		io.micro4j.benchmarks.rpc.AllocationBenchmark >"$work/logs/$label-allocation-$repeat.txt" 2>&1 || {
		tail -30 "$work/logs/$label-allocation-$repeat.txt" >&2
		echo "allocation run failed (log: $work/logs/$label-allocation-$repeat.txt)" >&2
		exit 1
	}
	grep '^round' "$work/logs/$label-allocation-$repeat.txt" | sed 's/^/   /'
	# allocation.csv: path,bytes_per_call_mean,...,cpu_us_per_call_mean,...; one round per run, so mean = the run
	tail -n +2 "$dir/allocation.csv" | awk -F, -v prefix="$label,$commit,$repeat,$load,$cpu" -v calls="$calls" \
		'{ print prefix "," $1 "," $2 "," $5 "," calls }' >>"$alloc_csv"
}

for repeat in $(seq 1 "$repeats"); do
	if [ $((repeat % 2)) = 1 ]; then order="base new"; else order="new base"; fi
	for label in $order; do unary "$label" "$repeat"; done
	for label in $order; do allocation "$label" "$repeat"; done
done

python3 - "$unary_csv" "$alloc_csv" "$out/compare-summary.csv" "$base_ref" "$new_ref" <<'EOF'
import csv
import math
import sys

unary_csv, alloc_csv, summary_csv, base_ref, new_ref = sys.argv[1:]


def stats(values):
	n = len(values)
	mean = sum(values) / n if n else math.nan
	sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1)) if n > 1 else 0.0
	return mean, sd, min(values, default=math.nan), max(values, default=math.nan)


def by_repeat(rows, key):
	return {int(r["repeat"]): float(r[key]) for r in rows}


summary = []


def compare(metric, point, base_rows, new_rows, key):
	base, new = by_repeat(base_rows, key), by_repeat(new_rows, key)
	b, n = stats(list(base.values())), stats(list(new.values()))
	pairs = [new[r] / base[r] for r in sorted(base) if r in new and base[r] != 0]
	p = stats(pairs)
	summary.append([metric, point, len(pairs), *b, *n, n[0] / b[0] if b[0] else math.nan, *p])
	return b, n, pairs, p


with open(unary_csv) as f:
	unary = list(csv.DictReader(f))
with open(alloc_csv) as f:
	alloc = list(csv.DictReader(f))
commits = {r["build"]: r["commit"] for r in unary + alloc}
print()
print(f"base = {base_ref} ({commits.get('base')}), new = {new_ref} ({commits.get('new')})")
busy = sorted(float(r["busy_pct"]) for r in unary + alloc if r["busy_pct"] not in ("", "NaN"))
if busy:
	print(f"other work just before each run: {busy[len(busy) // 2]:.0f} % CPU median, {busy[-1]:.0f} % max"
		+ ("  <- the machine was not idle: do not quote these numbers" if busy[-1] >= 20 else ""))
print("unary RPC, micro4j client -> mucp server: calls/s mean ± sd (min–max); new/base per pair")
for c in sorted({int(r["concurrency"]) for r in unary}):
	rows = {b: [r for r in unary if r["build"] == b and int(r["concurrency"]) == c] for b in ("base", "new")}
	b, n, pairs, p = compare("throughput", c, rows["base"], rows["new"], "throughput")
	for metric in ("p50_us", "p99_us"):
		compare(metric, c, rows["base"], rows["new"], metric)
	errors = {k: sum(int(r["errors"]) for r in v) for k, v in rows.items()}
	print(f"  c={c:<3} base {b[0]:9,.0f} ± {b[1]:6,.0f} ({b[2]:,.0f}–{b[3]:,.0f})"
		f"   new {n[0]:9,.0f} ± {n[1]:6,.0f} ({n[2]:,.0f}–{n[3]:,.0f})"
		f"   new/base {n[0] / b[0]:.3f}; per pair {p[0]:.3f} ± {p[1]:.3f} ({', '.join(f'{x:.3f}' for x in pairs)})")
	p50 = [stats([float(r["p50_us"]) for r in rows[k]])[0] for k in ("base", "new")]
	p99 = [stats([float(r["p99_us"]) for r in rows[k]])[0] for k in ("base", "new")]
	print(f"        p50 µs {p50[0]:,.0f} -> {p50[1]:,.0f}   p99 µs {p99[0]:,.0f} -> {p99[1]:,.0f}"
		+ (f"   errors {errors}" if any(errors.values()) else ""))
print("allocation per call (one caller, in-process client and server): mean (min–max) over the runs")
for path in ("client", "server", "other", "total"):
	rows = {}
	for build in ("base", "new"):
		mine = [r for r in alloc if r["build"] == build]
		if path == "total":
			repeats = sorted({r["repeat"] for r in mine})
			rows[build] = [{"repeat": rep,
					"bytes_per_call": sum(float(r["bytes_per_call"]) for r in mine if r["repeat"] == rep),
					"cpu_us_per_call": sum(float(r["cpu_us_per_call"]) for r in mine if r["repeat"] == rep)}
				for rep in repeats]
		else:
			rows[build] = [r for r in mine if r["path"] == path]
	b, n, _, _ = compare("bytes_per_call", path, rows["base"], rows["new"], "bytes_per_call")
	cb, cn, _, _ = compare("cpu_us_per_call", path, rows["base"], rows["new"], "cpu_us_per_call")
	change = (n[0] / b[0] - 1) * 100 if b[0] else math.nan
	print(f"  {path:<6} bytes {b[0]:8,.0f} ({b[2]:,.0f}–{b[3]:,.0f}) -> {n[0]:8,.0f} ({n[2]:,.0f}–{n[3]:,.0f})"
		f" {change:+6.1f} %   CPU µs {cb[0]:6.1f} -> {cn[0]:6.1f}")
with open(summary_csv, "w", newline="") as f:
	writer = csv.writer(f)
	writer.writerow(["metric", "point", "pairs", "base_mean", "base_sd", "base_min", "base_max", "new_mean",
		"new_sd", "new_min", "new_max", "ratio_of_means", "pair_ratio_mean", "pair_ratio_sd", "pair_ratio_min",
		"pair_ratio_max"])
	for row in summary:
		writer.writerow([x if isinstance(x, (str, int)) else f"{x:.4g}" for x in row])
print(f"data: {unary_csv}, {alloc_csv}, {summary_csv}")
EOF
elapsed=$((SECONDS - started))
echo "done in $((elapsed / 60)) min $((elapsed % 60)) s (load average now $(load1))"
