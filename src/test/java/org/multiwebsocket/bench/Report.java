package org.multiwebsocket.bench;

import org.multiwebsocket.bench.Benchmark.Idle;
import org.multiwebsocket.bench.Benchmark.Result;
import org.multiwebsocket.bench.Benchmark.Round;
import org.multiwebsocket.bench.Benchmark.Slice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/** What the benchmark prints (and writes to target/bench): the table, the time series, the goals, the chart. */
final class Report {

    final Settings s;
    final String nodeVersion;
    final List<Result> results = new ArrayList<>();
    final Map<String, List<Slice>> startup = new LinkedHashMap<>();
    final Map<String, String> affinity = new LinkedHashMap<>();
    double payaraStartSeconds;
    long serverStartNanos;
    double loadEndSeconds;
    double endSeconds;
    long serverFdLimit;
    long idleClientLimit;
    Idle idle;
    Idle scale;
    List<String> idleGrowth;
    Idle idleFloor;
    List<String> idleFloorGrowth;
    GcLog gc;
    /** Where the Payara targets' CPU went ({@link JfrProfile}), or null without {@code bench.jfr}. */
    List<String> profile;
    double runSeconds;
    PushStep.Push stream;
    PushStep.Push topic;
    PushStep.Upstream upstream;
    ClusterStep.Figures cluster;

    Report(Settings s, String nodeVersion) {
        this.s = s;
        this.nodeVersion = nodeVersion;
    }

    /** The machine's CPUs (this JVM is pinned to fewer, so not availableProcessors). */
    static int cores() {
        try {
            return (int) Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("processor")).count();
        } catch (IOException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    private Optional<Result> result(String name) {
        return results.stream().filter(r -> r.target().equals(name)).findFirst();
    }

    /** A bound checked against a figure and the range the rounds gave it. */
    private static String verdict(double value, double low, double high, double bound, boolean atMost) {
        if (Double.isNaN(value)) {
            return "not measured";
        }
        boolean ok = atMost ? value <= bound : value >= bound;
        boolean surely = atMost ? high <= bound : low >= bound;
        boolean surelyNot = atMost ? low > bound : high < bound;
        if (surely) {
            return "met";
        }
        if (surelyNot) {
            return "NOT met";
        }
        return (ok ? "met" : "NOT met") + " (within the noise: the rounds straddle the bound)";
    }

    /** Per-round ratio of two targets' figures (their turns were adjacent): min and max. */
    private static double[] roundRatios(Result a, Result b, ToDoubleFunction<Round> figure) {
        int n = Math.min(a.rounds().size(), b.rounds().size());
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double r = figure.applyAsDouble(a.rounds().get(i)) / figure.applyAsDouble(b.rounds().get(i));
            min = Math.min(min, r);
            max = Math.max(max, r);
        }
        return new double[]{min, max};
    }

    void print(Path out) throws IOException {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%nMultiWebsocket benchmark, %s: %d cores, Java %s, Payara Micro %s, Node.js %s%n",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")), cores(),
                System.getProperty("java.version"), s.payaraVersion, nodeVersion));
        t.append(String.format(Locale.ROOT, "Server JVM (bench.serverJvm): %s%n", s.serverJvm));
        t.append("  plus -Xlog:gc*:file=target/bench/server-gc.log, -Dmultiwebsocket.heartbeat-ms=0, max-connections raised, "
                + "max-connections-per-address=" + s.perAddress + "\n");
        StringBuilder pins = new StringBuilder();
        affinity.forEach((name, cpus) -> pins.append(pins.length() == 0 ? "" : ", ").append(name).append(" on CPU ").append(cpus));
        t.append("Pinned (taskset, as /proc reports): ").append(pins).append('\n');
        t.append(String.format(Locale.ROOT, "Load: %d connections x %d calls in flight; from startup %d s; warm-up %d s per target; "
                        + "%d rounds of %d s per target, targets taking turns; Payara ready in %.1f s%n",
                s.connections, s.inFlight, s.startup, s.warmup, s.rounds, s.seconds, payaraStartSeconds));

        t.append(String.format(Locale.ROOT, "%n%-15s %9s %7s %7s %8s %7s %9s %7s %7s %8s %5s %6s  %s%n", "target", "calls/s", "p50 ms",
                "p99 ms", "p99.9 ms", "max ms", "CPU µs/call", "±rounds", "±rate", "x rpc-ws", "gen %", "errors", "what"));
        Optional<Result> rpc = result("rpc-websockets");
        for (Result r : results) {
            t.append(String.format(Locale.ROOT, "%-15s %9.0f %7.2f %7.2f %8.2f %7.1f %11.1f %6.0f%% %6.0f%% %8s %5.0f %6d  %s%n",
                    r.target(), r.callsPerSecond(), r.ms(50), r.ms(99), r.ms(99.9), r.maxMs(), r.cpuMicrosPerCall(),
                    r.cpuNoisePercent(), r.rateNoisePercent(),
                    rpc.map(x -> String.format(Locale.ROOT, "%.2f", r.cpuMicrosPerCall() / x.cpuMicrosPerCall())).orElse("-"),
                    r.generatorPercent(), r.errors(), r.what()));
        }
        t.append("CPU µs/call: the serving process's user+system CPU time (/proc, all its threads: JIT and GC included) over the\n"
                + "rounds' measured windows, divided by the calls answered in them. ±rounds: standard deviation of the rounds'\n"
                + "CPU µs/call as % of their mean. ±rate: standard deviation of the calls answered per second in a window, as % of\n"
                + "their mean (mean over the rounds). gen %: the load generator's CPU, % of its one core (near 100: it set the\n"
                + "pace, not the server). Latency: HdrHistogram of all rounds, send to answer, per call.\n");
        StringBuilder perRound = new StringBuilder("CPU µs/call by round:");
        for (Result r : results) {
            perRound.append(String.format(Locale.ROOT, " %s", r.target()));
            r.rounds().forEach(x -> perRound.append(String.format(Locale.ROOT, " %.1f", x.cpuMicrosPerCall())));
            perRound.append(';');
        }
        t.append(perRound).append('\n');
        StringBuilder writes = new StringBuilder("Server write system calls per call (syscw of /proc/<pid>/io; answers that leave together share one):");
        for (Result r : results) {
            writes.append(String.format(Locale.ROOT, " %s %.2f;", r.target(), r.writesPerCall()));
        }
        t.append(writes).append('\n');
        pushTable(t);
        if (cluster != null) {
            cluster.table(t, s);
        }

        if (!startup.isEmpty()) {
            t.append(String.format(Locale.ROOT, "%nCPU per call over time from startup (seconds of load since the first second; x steady: "
                    + "over the rounds' figure)%n%-12s", "slice"));
            for (String name : startup.keySet()) {
                t.append(String.format(Locale.ROOT, " | %-14s %9s %8s %8s", name, "calls/s", "µs/call", "x steady"));
            }
            t.append('\n');
            int rows = startup.values().stream().mapToInt(List::size).max().orElse(0);
            for (int i = 0; i < rows; i++) {
                Slice first = startup.values().iterator().next().get(Math.min(i, startup.values().iterator().next().size() - 1));
                t.append(String.format(Locale.ROOT, "%-12s", String.format(Locale.ROOT, "%3.0f-%3.0f s", first.fromSecond(), first.toSecond())));
                for (Map.Entry<String, List<Slice>> e : startup.entrySet()) {
                    if (i >= e.getValue().size()) {
                        t.append(String.format(Locale.ROOT, " | %-14s %9s %8s %8s", "", "", "", ""));
                        continue;
                    }
                    Slice sl = e.getValue().get(i);
                    double steady = result(e.getKey()).map(Result::cpuMicrosPerCall).orElse(Double.NaN);
                    t.append(String.format(Locale.ROOT, " | %-14s %9.0f %8.1f %8.2f", "", sl.callsPerSecond(), sl.cpuMicrosPerCall(),
                            sl.cpuMicrosPerCall() / steady));
                }
                t.append('\n');
            }
        }

        t.append("\nGoals (ratios over all rounds; [min-max]: the same ratio round by round, the two targets' turns adjacent):\n");
        Optional<Result> gateway = result("gateway");
        if (gateway.isPresent() && rpc.isPresent()) {
            Result g = gateway.get();
            Result r = rpc.get();
            double cpu = g.cpuMicrosPerCall() / r.cpuMicrosPerCall();
            double[] cpuRange = roundRatios(g, r, Round::cpuMicrosPerCall);
            t.append(String.format(Locale.ROOT, "  1. gateway CPU per call <= 1.25 x rpc-websockets': %.1f vs %.1f µs = %.2f x [%.2f-%.2f]  %s%n",
                    g.cpuMicrosPerCall(), r.cpuMicrosPerCall(), cpu, cpuRange[0], cpuRange[1], verdict(cpu, cpuRange[0], cpuRange[1], 1.25, true)));
            double p99 = g.ms(99) / r.ms(99);
            double[] p99Range = roundRatios(g, r, Round::p99Ms);
            t.append(String.format(Locale.ROOT, "  2. gateway p99 <= 2 x rpc-websockets' p99: %.2f vs %.2f ms = %.2f x [%.2f-%.2f]  %s%n",
                    g.ms(99), r.ms(99), p99, p99Range[0], p99Range[1], verdict(p99, p99Range[0], p99Range[1], 2, true)));
        } else {
            t.append("  1., 2.: need the targets gateway and rpc-websockets\n");
        }
        if (gc != null) {
            double[] all = gc.all();
            double[] load = gc.between(payaraStartSeconds, loadEndSeconds);
            t.append(String.format(Locale.ROOT, "     no GC pause over 20 ms in the run: %d over 20 ms, max %.1f ms (under load: %d, max %.1f ms; "
                            + "%d of the run's on the CPU for less than half their length)  %s%n",
                    GcLog.over(all, 20), GcLog.max(all), GcLog.over(load, 20), GcLog.max(load),
                    gc.overWaiting(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 20), GcLog.over(all, 20) == 0 ? "met" : "NOT met"));
        }
        List<Slice> gatewayStart = startup.get("gateway");
        if (gateway.isPresent() && gatewayStart != null && !gatewayStart.isEmpty()) {
            Slice last = gatewayStart.get(0);
            for (Slice sl : gatewayStart) {
                if (sl.toSecond() <= 60.5) {
                    last = sl;
                }
            }
            Slice at60 = last;
            Result g = gateway.get();
            double steady = g.cpuMicrosPerCall();
            double ratio = at60.cpuMicrosPerCall() / steady;
            double low = g.rounds().stream().mapToDouble(x -> at60.cpuMicrosPerCall() / x.cpuMicrosPerCall()).min().orElse(ratio);
            double high = g.rounds().stream().mapToDouble(x -> at60.cpuMicrosPerCall() / x.cpuMicrosPerCall()).max().orElse(ratio);
            t.append(String.format(Locale.ROOT, "  3. fast from the start: gateway CPU per call %.0f-%.0f s after the start of load <= 1.2 x steady: "
                            + "%.1f vs %.1f µs = %.2f x [%.2f-%.2f]  %s%n", at60.fromSecond(), at60.toSecond(), at60.cpuMicrosPerCall(), steady,
                    ratio, low, high, verdict(ratio, low, high, 1.2, true)));
        }
        if (idle != null) {
            double kb = idle.bytesPerConnection() / 1024;
            t.append(String.format(Locale.ROOT, "  4. heap per idle connection <= 16 KB (%d connections): %.1f KB  %s%n", idle.opened(), kb,
                    idle.opened() < idle.wanted() ? "not measured (only " + idle.opened() + " of " + idle.wanted() + " opened)" : kb <= 16 ? "met" : "NOT met"));
            if (idleFloor != null) {
                double floorKb = idleFloor.bytesPerConnection() / 1024;
                t.append(String.format(Locale.ROOT, "     the floor (bare tuned echo, %d connections): %.1f KB; the gateway's own state: %.1f KB%n",
                        idleFloor.opened(), floorKb, kb - floorKb));
            }
            if (scale != null) {
                boolean held = scale.capped() == null && scale.stillOpen() >= s.scale && Boolean.TRUE.equals(scale.answersAfter());
                t.append(String.format(Locale.ROOT, "     %d idle connections held by one node (%s): %s%n", s.scale, s.serverJvm,
                        scale.capped() != null ? "NOT MEASURED, " + scale.capped() + "; held " + scale.stillOpen() + " of " + scale.wanted()
                                + " tried, server answers: " + scale.answersAfter()
                                : held ? "met" : "NOT met (" + scale.stillOpen() + " still open, " + scale.failed() + " failed, first failure "
                                + scale.firstFailure() + ", server answers: " + scale.answersAfter() + ")"));
            }
        }
        Optional<Result> floor = result("bare-tuned");
        if (floor.isPresent()) {
            t.append(String.format(Locale.ROOT, "  5. the floor (bare echo with the gateway's workarounds): %.1f µs per frame", floor.get().cpuMicrosPerCall()));
            gateway.ifPresent(g -> t.append(String.format(Locale.ROOT, "; gateway = %.2f x floor", g.cpuMicrosPerCall() / floor.get().cpuMicrosPerCall())));
            result("bare-endpoint").ifPresent(b -> t.append(String.format(Locale.ROOT, "; untuned bare echo = %.2f x floor",
                    b.cpuMicrosPerCall() / floor.get().cpuMicrosPerCall())));
            t.append('\n');
        }
        Optional<Result> http = result("http-transport");
        if (gateway.isPresent() && http.isPresent()) {
            double ratio = http.get().cpuMicrosPerCall() / gateway.get().cpuMicrosPerCall();
            double[] range = roundRatios(http.get(), gateway.get(), Round::cpuMicrosPerCall);
            t.append(String.format(Locale.ROOT, "  6. HTTP transport >= 10 x the socket's CPU per call: %.1f vs %.1f µs = %.1f x [%.1f-%.1f]  %s%n",
                    http.get().cpuMicrosPerCall(), gateway.get().cpuMicrosPerCall(), ratio, range[0], range[1], verdict(ratio, range[0], range[1], 10, false)));
        }

        if (gc != null) {
            t.append(String.format(Locale.ROOT, "%nServer GC (%s; target/bench/server-gc.log; seconds since the server's start):%n", gc.collector()));
            t.append(String.format(Locale.ROOT, "  start-up  %5.0f-%5.0f s: %s%n", 0.0, payaraStartSeconds, gc.summary(0, payaraStartSeconds)));
            t.append(String.format(Locale.ROOT, "  load      %5.0f-%5.0f s: %s%n", payaraStartSeconds, loadEndSeconds, gc.summary(payaraStartSeconds, loadEndSeconds)));
            t.append(String.format(Locale.ROOT, "  idle/scale%5.0f-%5.0f s: %s%n", loadEndSeconds, endSeconds, gc.summary(loadEndSeconds, Double.POSITIVE_INFINITY)));
            t.append(String.format(Locale.ROOT, "  whole run             : %s%n", gc.summary(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY)));
            double[] requested = gc.requested();
            if (requested.length > 0) {
                t.append(String.format(Locale.ROOT, "  not counted above: %d full GCs the benchmark asked for (jcmd GC.class_histogram, to weigh the heap), max %.1f ms%n",
                        requested.length, GcLog.max(requested)));
            }
        }
        if (idle != null) {
            t.append(String.format(Locale.ROOT, "Idle: %d of %d opened in %.1f s (%d failed, first failure %s), %d still open; heap after full GC "
                            + "%.0f MB -> %.0f MB = %.1f KB per connection; server RSS %.0f MB -> %.0f MB%n",
                    idle.opened(), idle.wanted(), idle.openSeconds(), idle.failed(), idle.firstFailure(), idle.stillOpen(), idle.heapBefore() / 1048576.0,
                    idle.heapAfter() / 1048576.0, idle.bytesPerConnection() / 1024, idle.rssBefore() / 1048576.0, idle.rssAfter() / 1048576.0));
        }
        if (idleFloor != null) {
            t.append(String.format(Locale.ROOT, "Idle floor (bare tuned echo): %d of %d opened in %.1f s (%d failed, first failure %s), %d still open; "
                            + "heap after full GC %.0f MB -> %.0f MB = %.1f KB per connection%n",
                    idleFloor.opened(), idleFloor.wanted(), idleFloor.openSeconds(), idleFloor.failed(), idleFloor.firstFailure(),
                    idleFloor.stillOpen(), idleFloor.heapBefore() / 1048576.0, idleFloor.heapAfter() / 1048576.0,
                    idleFloor.bytesPerConnection() / 1024));
        }
        if (idleFloorGrowth != null) {
            t.append("Where the floor's idle connection's heap goes (all 25 in target/bench/idle-heap-floor.txt):\n");
            idleFloorGrowth.stream().limit(12).forEach(line -> t.append("  ").append(line).append('\n'));
            Files.write(out.resolve("idle-heap-floor.txt"), idleFloorGrowth);
        }
        if (idleGrowth != null) {
            t.append("Where an idle connection's heap goes (live bytes and instances per connection, by class; GC.class_histogram "
                    + "before and after; all 25 in target/bench/idle-heap.txt):\n");
            idleGrowth.stream().limit(12).forEach(line -> t.append("  ").append(line).append('\n'));
            Files.write(out.resolve("idle-heap.txt"), idleGrowth);
        }
        if (scale != null) {
            t.append(String.format(Locale.ROOT, "Scale step: %d idle connections wanted, %d opened (the last %d in %.1f s), %d failed (first: %s), %d still open; "
                            + "heap after full GC %.0f MB (%.1f KB per connection), RSS %.0f MB; the server answers a call: %s%s%n",
                    scale.wanted(), scale.opened(), scale.opened() - (idle == null ? 0 : idle.opened()), scale.openSeconds(), scale.failed(),
                    scale.firstFailure(), scale.stillOpen(), scale.heapAfter() / 1048576.0, scale.bytesPerConnection() / 1024,
                    scale.rssAfter() / 1048576.0, scale.answersAfter(), scale.capped() == null ? "" : "; " + scale.capped()));
        }
        if (idle != null) {
            t.append(String.format(Locale.ROOT, "Open files: the server's limit %d (it asks for %d), clients' hard limit %d; idle clients in processes "
                    + "of at most that many sockets, source addresses 127.0.0.2 up, %d each%n", serverFdLimit, s.scale + s.idle + 20_000,
                    idleClientLimit, s.perAddress));
        }
        if (profile != null) {
            t.append("Where the server's CPU goes in the rounds (bench.jfr; JDK Flight Recorder, all in target/bench/profile.txt):\n");
            profile.stream().map(line -> line.startsWith("  hottest") ? line.replaceAll("^((?:[^,]+,){8}[^,]+),.*", "$1, …") : line)
                    .forEach(line -> t.append("  ").append(line).append('\n'));
            Files.write(out.resolve("profile.txt"), profile);
        }
        t.append(String.format(Locale.ROOT, "The run took %.1f min.%n", runSeconds / 60));

        System.out.print(t);
        Files.writeString(out.resolve("results.txt"), t);
        Files.writeString(out.resolve("results.json"), json());
        Files.writeString(out.resolve("latency.svg"), svg());
        System.out.println("\nFigures: target/bench/results.txt and results.json, chart: target/bench/latency.svg, logs: target/bench/*.log");
    }

    /** The push and upstream figures, below the call table. */
    private void pushTable(StringBuilder t) {
        if (stream == null && topic == null && upstream == null) {
            return;
        }
        t.append(String.format(Locale.ROOT, "%nPush and upstream (gateway; %d s measured after %d s of warm-up each):%n", s.pushSeconds, s.pushWarmup));
        if (stream != null) {
            t.append(String.format(Locale.ROOT, "  stream items/s        %9.0f  %7.2f µs CPU/item  (words {\"prefix\":\"\"} again and again on %d v1 connections; "
                    + "%d streams ended, %d errors)%n", stream.perSecond(), stream.cpuMicrosPer(), stream.connections(), stream.calls(), stream.errors()));
        }
        if (topic != null) {
            t.append(String.format(Locale.ROOT, "  topic deliveries/s    %9.0f  %7.2f µs CPU/delivery  p50 %.2f ms  p99 %.2f ms  (1 publisher -> %d subscribers "
                            + "of chat, %s; %d publishes answered, %d errors)%n", topic.perSecond(), topic.cpuMicrosPer(), topic.ms(50), topic.ms(99),
                    topic.connections(), s.topicRate == 0 ? "next publish once the previous reached every subscriber" : s.topicRate + " publishes/s", topic.calls(), topic.errors()));
        }
        if (upstream != null) {
            Round g = upstream.gateway();
            Round d = upstream.direct();
            double gp50 = g.window().latencies().getValueAtPercentile(50) / 1_000.0;
            double dp50 = d.window().latencies().getValueAtPercentile(50) / 1_000.0;
            t.append(String.format(Locale.ROOT, "  upstream via gateway  %9.0f calls/s  p50 %.2f ms  p99 %.2f ms  %7.1f µs gateway CPU/call  %d errors%n",
                    g.callsPerSecond(), gp50, g.p99Ms(), g.cpuMicrosPerCall(), g.errors()));
            t.append(String.format(Locale.ROOT, "  upstream direct GET   %9.0f calls/s  p50 %.2f ms  p99 %.2f ms  %d errors%n",
                    d.callsPerSecond(), dp50, d.p99Ms(), d.errors()));
            t.append(String.format(Locale.ROOT, "  gateway's added latency: p50 %+.2f ms, p99 %+.2f ms (%d calls in flight each)%n",
                    gp50 - dp50, g.p99Ms() - d.p99Ms(), upstream.concurrency()));
        }
        t.append("  CPU: the Payara process's over the window, per item / delivery / call. Topic latency: from the publish call's send\n"
                + "  (System.nanoTime() of this JVM, carried in the message's text) to each subscriber's receipt. The upstream is a JDK\n"
                + "  HTTP server in the load generator's JVM; the direct GETs are java.net.http over keep-alive.\n");
    }

    private String pushJson() {
        StringBuilder out = new StringBuilder();
        if (stream != null) {
            out.append(String.format(Locale.ROOT, ",%n  \"stream\": {\"connections\": %d, \"seconds\": %.1f, \"items\": %d, \"itemsPerSecond\": %.1f, "
                            + "\"serverCpuMicrosPerItem\": %.3f, \"streams\": %d, \"errors\": %d}", stream.connections(), stream.seconds(),
                    stream.received(), stream.perSecond(), stream.cpuMicrosPer(), stream.calls(), stream.errors()));
        }
        if (topic != null) {
            out.append(String.format(Locale.ROOT, ",%n  \"topic\": {\"subscribers\": %d, \"publishRate\": %d, \"seconds\": %.1f, \"deliveries\": %d, "
                            + "\"deliveriesPerSecond\": %.1f, \"latencyMs\": {\"p50\": %.3f, \"p99\": %.3f, \"max\": %.3f}, "
                            + "\"serverCpuMicrosPerDelivery\": %.3f, \"publishes\": %d, \"errors\": %d}", topic.connections(), s.topicRate,
                    topic.seconds(), topic.received(), topic.perSecond(), topic.ms(50), topic.ms(99), topic.ms(100), topic.cpuMicrosPer(),
                    topic.calls(), topic.errors()));
        }
        if (upstream != null) {
            Round g = upstream.gateway();
            Round d = upstream.direct();
            double gp50 = g.window().latencies().getValueAtPercentile(50) / 1_000.0;
            double dp50 = d.window().latencies().getValueAtPercentile(50) / 1_000.0;
            out.append(String.format(Locale.ROOT, ",%n  \"upstream\": {\"inFlight\": %d, "
                            + "\"gateway\": {\"callsPerSecond\": %.1f, \"latencyMs\": {\"p50\": %.3f, \"p99\": %.3f}, \"serverCpuMicrosPerCall\": %.2f, \"errors\": %d}, "
                            + "\"direct\": {\"callsPerSecond\": %.1f, \"latencyMs\": {\"p50\": %.3f, \"p99\": %.3f}, \"errors\": %d}, "
                            + "\"addedLatencyMs\": {\"p50\": %.3f, \"p99\": %.3f}}", upstream.concurrency(),
                    g.callsPerSecond(), gp50, g.p99Ms(), g.cpuMicrosPerCall(), g.errors(), d.callsPerSecond(), dp50, d.p99Ms(), d.errors(),
                    gp50 - dp50, g.p99Ms() - d.p99Ms()));
        }
        return out.toString();
    }

    private String json() {
        StringBuilder out = new StringBuilder("{\n");
        out.append(String.format(Locale.ROOT, "  \"connections\": %d, \"inFlight\": %d, \"rounds\": %d, \"secondsPerRound\": %d, \"warmupSeconds\": %d, "
                        + "\"startupSeconds\": %d, \"cores\": %d, \"serverJvm\": \"%s\",%n",
                s.connections, s.inFlight, s.rounds, s.seconds, s.warmup, s.startup, cores(), s.serverJvm));
        out.append("  \"targets\": [\n");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            StringBuilder rounds = new StringBuilder();
            for (Round x : r.rounds()) {
                rounds.append(rounds.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", x.cpuMicrosPerCall()));
            }
            out.append(String.format(Locale.ROOT, "    {\"target\": \"%s\", \"callsPerSecond\": %.1f, \"calls\": %d, \"errors\": %d, "
                            + "\"latencyMs\": {\"p50\": %.3f, \"p90\": %.3f, \"p99\": %.3f, \"p99.9\": %.3f, \"max\": %.3f}, "
                            + "\"serverCpuMicrosPerCall\": %.2f, \"cpuMicrosPerCallByRound\": [%s], \"cpuNoisePercent\": %.1f, \"rateNoisePercent\": %.1f}%s%n",
                    r.target(), r.callsPerSecond(), r.calls(), r.errors(), r.ms(50), r.ms(90), r.ms(99), r.ms(99.9), r.maxMs(),
                    r.cpuMicrosPerCall(), rounds, r.cpuNoisePercent(), r.rateNoisePercent(), i + 1 < results.size() ? "," : ""));
        }
        out.append("  ],\n  \"fromStartup\": {");
        int n = 0;
        for (Map.Entry<String, List<Slice>> e : startup.entrySet()) {
            out.append(n++ == 0 ? "\n" : ",\n").append("    \"").append(e.getKey()).append("\": [");
            for (int i = 0; i < e.getValue().size(); i++) {
                Slice sl = e.getValue().get(i);
                out.append(String.format(Locale.ROOT, "%s{\"from\": %.1f, \"to\": %.1f, \"calls\": %d, \"cpuMicrosPerCall\": %.2f}",
                        i == 0 ? "" : ", ", sl.fromSecond(), sl.toSecond(), sl.calls(), sl.cpuMicrosPerCall()));
            }
            out.append(']');
        }
        out.append("\n  }");
        out.append(pushJson());
        if (cluster != null) {
            out.append(cluster.json());
        }
        for (Map.Entry<String, Idle> e : Map.of("idle", Optional.ofNullable(idle), "idleFloor", Optional.ofNullable(idleFloor), "scale", Optional.ofNullable(scale)).entrySet().stream()
                .filter(x -> x.getValue().isPresent()).map(x -> Map.entry(x.getKey(), x.getValue().get())).toList()) {
            Idle x = e.getValue();
            out.append(String.format(Locale.ROOT, ",%n  \"%s\": {\"wanted\": %d, \"opened\": %d, \"failed\": %d, \"stillOpen\": %d, \"heapBeforeBytes\": %d, "
                            + "\"heapAfterBytes\": %d, \"bytesPerConnection\": %.0f, \"rssBeforeBytes\": %d, \"rssAfterBytes\": %d, \"capped\": %s, \"answersAfter\": %s}",
                    e.getKey(), x.wanted(), x.opened(), x.failed(), x.stillOpen(), x.heapBefore(), x.heapAfter(), x.bytesPerConnection(),
                    x.rssBefore(), x.rssAfter(), x.capped() == null ? "null" : "\"" + x.capped() + "\"", x.answersAfter()));
        }
        if (gc != null) {
            double[] all = gc.all();
            double[] load = gc.between(payaraStartSeconds, loadEndSeconds);
            out.append(String.format(Locale.ROOT, ",%n  \"gc\": {\"collector\": \"%s\", \"pauses\": %d, \"maxMs\": %.2f, \"p99Ms\": %.2f, \"over20ms\": %d, "
                            + "\"underLoad\": {\"pauses\": %d, \"maxMs\": %.2f, \"p99Ms\": %.2f, \"over20ms\": %d}, \"requestedFullGcs\": %d}",
                    gc.collector(), all.length, GcLog.max(all), GcLog.percentile(all, 99), GcLog.over(all, 20),
                    load.length, GcLog.max(load), GcLog.percentile(load, 99), GcLog.over(load, 20), gc.requested().length));
        }
        return out.append("\n}\n").toString().replace("NaN", "null");
    }

    /** Latency by percentile, percentiles on a "nines" scale, latency on a log scale: every target. */
    private String svg() {
        int width = 820;
        int height = 440;
        int left = 70;
        int right = 200;
        int top = 30;
        int bottom = 50;
        double maxNines = 4;
        double minMs = 0.05;
        double maxMs = Math.max(1, results.stream().mapToDouble(Result::maxMs).max().orElse(1));
        String[] colours = {"#3558e6", "#c8333b", "#17915f", "#c77c02", "#7b3fb5", "#1b9aaa", "#6b6b6b", "#d4429a"};
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='12'>%n"
                        + "<rect width='100%%' height='100%%' fill='white'/>%n"
                        + "<text x='%d' y='18' font-size='14'>Latency by percentile (ms, log scale), %d connections x %d in flight</text>%n",
                width, height, left, s.connections, s.inFlight));
        double plotW = width - left - right;
        double plotH = height - top - bottom;
        for (double nines = 0; nines <= maxNines; nines++) {
            double x = left + plotW * nines / maxNines;
            String label = nines == 0 ? "0%" : String.format(Locale.ROOT, "%s%%", 100 - 100 / Math.pow(10, nines));
            svg.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#ddd'/>"
                    + "<text x='%.1f' y='%d' text-anchor='middle'>%s</text>%n", x, top, x, top + (int) plotH, x, height - 30, label));
        }
        for (double ms = minMs; ms <= maxMs * 10; ms *= 10) {
            double y = top + plotH - plotH * Math.log10(ms / minMs) / Math.log10(maxMs / minMs);
            if (y < top) {
                break;
            }
            svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%.1f' y2='%.1f' stroke='#ddd'/>"
                            + "<text x='%d' y='%.1f' text-anchor='end'>%s</text>%n", left, y, left + plotW, y, left - 6, y + 4,
                    ms < 1 ? String.format(Locale.ROOT, "%.2f", ms) : String.format(Locale.ROOT, "%.0f", ms)));
        }
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            StringBuilder points = new StringBuilder();
            for (double nines = 0; nines <= maxNines + 1e-9; nines += 0.05) {
                double percentile = 100 - 100 / Math.pow(10, nines);
                double ms = Math.max(minMs, r.histogram().getValueAtPercentile(Math.min(percentile, 99.9999)) / 1_000.0);
                double x = left + plotW * nines / maxNines;
                double y = top + plotH - plotH * Math.log10(ms / minMs) / Math.log10(maxMs / minMs);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill='none' stroke='%s' stroke-width='2' points='%s'/>%n",
                    colours[i % colours.length], points.toString().trim()));
            svg.append(String.format(Locale.ROOT, "<rect x='%.1f' y='%d' width='12' height='12' fill='%s'/>"
                            + "<text x='%.1f' y='%d'>%s</text>%n", left + plotW + 15, top + 20 * i, colours[i % colours.length],
                    left + plotW + 32, top + 10 + 20 * i, r.target()));
        }
        return svg.append("</svg>\n").toString();
    }
}
