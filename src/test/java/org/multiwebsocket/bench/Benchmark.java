package org.multiwebsocket.bench;

import org.HdrHistogram.Histogram;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.multiwebsocket.bench.bare.BareEchoEndpoint;
import org.multiwebsocket.bench.bare.HelloResource;
import org.multiwebsocket.bench.bare.TunedEchoEndpoint;
import org.multiwebsocket.transport.websocket.CorkedFloorFilter;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The gateway side by side with what users would run instead, in one run on one machine: the server
 * under test pinned to one core with {@code taskset}, this JVM (the load generator) on the other.
 *
 * <p>Targets, all sent the same frame, the gateway's {@code helloworld} request:
 * <ol>
 *   <li>{@code gateway}: through the gateway socket of the WAR on Payara Micro;</li>
 *   <li>{@code rpc-websockets}: the Node.js JSON-RPC 2.0 server {@code rpc-websockets} with the same method;</li>
 *   <li>{@code ws-jsonrpc}: Node.js {@code ws} with a ten-line JSON-RPC dispatcher;</li>
 *   <li>{@code ws-echo}: Node.js {@code ws} echoing the frame (Node's floor);</li>
 *   <li>{@code bare-tuned}: the floor on Payara, a bare {@code @ServerEndpoint} echo with the gateway's
 *       container workarounds ({@link TunedEchoEndpoint});</li>
 *   <li>{@code bare-endpoint}: the same echo without them (what a developer writes);</li>
 *   <li>{@code http-transport}: the gateway's call as one {@code POST /api/rpc} per call (keep-alive);</li>
 *   <li>{@code jaxrs-get}: a plain JAX-RS GET per call.</li>
 * </ol>
 * The run: the gateway loaded from the moment Payara is ready and rpc-websockets from its start, each for
 * {@code bench.startup} seconds, CPU per call recorded per {@code bench.slice}; then a warm-up of every
 * target; then {@code bench.rounds} rounds in which the targets take turns ({@code bench.seconds} measured
 * each, so that the ratios compare neighbours in time on a shared machine); then {@code bench.idle} idle
 * gateway connections (heap after a full GC, before and after) and the scale step to {@code bench.scale}
 * idle connections. The server's GC log is summarised at the end.
 *
 * <p>Run with {@code mvn -Pbench package}; the README's "Benchmark" section lists the properties.
 */
public final class Benchmark {

    private static final Path OUT = Path.of("target", "bench");
    /**
     * The floor's descriptor: the gateway's output workaround for the tuned echo only, declared (not
     * annotated) so that it runs before Tyrus's own filter, as the gateway's.
     */
    private static final String FLOOR_WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                <filter>
                    <filter-name>cork</filter-name>
                    <filter-class>org.multiwebsocket.transport.websocket.CorkedFloorFilter</filter-class>
                    <async-supported>true</async-supported>
                </filter>
                <filter-mapping>
                    <filter-name>cork</filter-name>
                    <url-pattern>/echo-tuned</url-pattern>
                </filter-mapping>
            </web-app>
            """;

    static final String DEFAULT_SERVER_JVM = "-Xms512m -Xmx2g -XX:+UseShenandoahGC -XX:MetaspaceSize=256m"
            + " -Dpayaramicro.maxHttpThreads=2 -Dpayaramicro.minHttpThreads=2";
    private static final List<String> ALL = List.of("gateway", "rpc-websockets", "ws-jsonrpc", "ws-echo", "bare-tuned",
            "bare-endpoint", "http-transport", "jaxrs-get");
    /** The turn order in a round: each target next to the one it is compared with. */
    private static final List<String> TURNS = List.of("gateway", "rpc-websockets", "bare-tuned", "ws-jsonrpc", "ws-echo",
            "bare-endpoint", "http-transport", "jaxrs-get");

    private Benchmark() {
    }

    /** A target: how to load it, which process serves it. */
    record Target(String name, String what, Proc server, Supplier<Load> load) {
    }

    /**
     * One turn of a target in a round; {@code cpuNanos} summed over the serving processes, also given one by
     * one; {@code writeCalls} the server's write system calls in the window, -1 when not counted.
     */
    record Round(long cpuNanos, long calls, long errors, Load.Window window, long generatorCpuNanos, long[] cpuNanosByProcess,
                 long writeCalls) {
        /** The load generator's CPU time as % of one core: near 100 %, it, not the server, set the pace. */
        double generatorPercent() {
            return 100.0 * generatorCpuNanos / window.nanos();
        }

        double cpuMicrosPerCall() {
            return calls == 0 ? Double.NaN : cpuNanos / 1_000.0 / calls;
        }

        double callsPerSecond() {
            return calls / (window.nanos() / 1e9);
        }

        double p99Ms() {
            return window.latencies().getValueAtPercentile(99) / 1_000.0;
        }
    }

    /** A target's figures over all its rounds. */
    record Result(String target, String what, List<Round> rounds, Histogram histogram) {
        long calls() {
            return rounds.stream().mapToLong(Round::calls).sum();
        }

        long errors() {
            return rounds.stream().mapToLong(Round::errors).sum();
        }

        double callsPerSecond() {
            return calls() / (rounds.stream().mapToLong(r -> r.window().nanos()).sum() / 1e9);
        }

        /** Server CPU time per call over all rounds. */
        double cpuMicrosPerCall() {
            return calls() == 0 ? Double.NaN : rounds.stream().mapToLong(Round::cpuNanos).sum() / 1_000.0 / calls();
        }

        /** The server's write system calls per call over all rounds; NaN when not counted. */
        double writesPerCall() {
            boolean counted = rounds.stream().allMatch(r -> r.writeCalls() >= 0);
            return !counted || calls() == 0 ? Double.NaN : rounds.stream().mapToLong(Round::writeCalls).sum() / (double) calls();
        }

        /** Standard deviation of the rounds' CPU per call, as % of their mean. */
        double cpuNoisePercent() {
            return spread(rounds.stream().mapToDouble(Round::cpuMicrosPerCall).toArray());
        }

        /** The load generator's CPU, % of one core, mean over the rounds. */
        double generatorPercent() {
            return rounds.stream().mapToDouble(Round::generatorPercent).average().orElse(0);
        }

        /** Mean over the rounds of the standard deviation of calls completed per second, as % of their mean. */
        double rateNoisePercent() {
            return rounds.stream().mapToDouble(r -> spread(Arrays.stream(r.window().perSecond()).asDoubleStream().toArray()))
                    .average().orElse(0);
        }

        double ms(double percentile) {
            return histogram.getValueAtPercentile(percentile) / 1_000.0;
        }

        double maxMs() {
            return histogram.getMaxValue() / 1_000.0;
        }
    }

    /** Calls and CPU per call in one slice of a load that began at the server's start. */
    record Slice(double fromSecond, double toSecond, long calls, long cpuNanos) {
        double cpuMicrosPerCall() {
            return calls == 0 ? Double.NaN : cpuNanos / 1_000.0 / calls;
        }

        double callsPerSecond() {
            return calls / (toSecond - fromSecond);
        }
    }

    /** Idle connections and the server's heap after a full GC before and after them. */
    record Idle(int wanted, int opened, int failed, String firstFailure, int stillOpen, long heapBefore, long heapAfter,
                long rssBefore, long rssAfter, double openSeconds, String capped, Boolean answersAfter) {
        double bytesPerConnection() {
            return opened == 0 ? Double.NaN : (heapAfter - heapBefore) / (double) opened;
        }

    }

    static double spread(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double mean = Arrays.stream(values).average().orElse(0);
        if (mean == 0 || Double.isNaN(mean)) {
            return 0;
        }
        double variance = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (values.length - 1);
        return 100 * Math.sqrt(variance) / mean;
    }

    public static void main(String[] args) throws Exception {
        long runStart = System.nanoTime();
        Settings s = Settings.fromSystemProperties();
        Files.createDirectories(OUT);
        Files.deleteIfExists(OUT.resolve("server-gc.log"));

        boolean pinned = !s.loadCpu.isBlank() && Proc.pinSelf(s.loadCpu);
        System.out.printf("Load generator (this JVM, pid %d) pinned to CPU %s: %s%n", ProcessHandle.current().pid(), s.loadCpu,
                pinned ? "yes" : "NO (taskset failed)");

        List<String> selected = s.targets.isEmpty() ? ALL : ALL.stream().filter(s.targets::contains).toList();
        boolean needNode = selected.stream().anyMatch(t -> t.equals("rpc-websockets") || t.startsWith("ws-"));
        String nodeVersion = needNode ? NodePeers.prepare(OUT.resolve("node")) : "-";

        Path bare = OUT.resolve("bare.war");
        ShrinkWrap.create(WebArchive.class, "bare.war")
                .addClasses(BareEchoEndpoint.class, TunedEchoEndpoint.class, HelloResource.class, HelloResource.BareApplication.class)
                .addClasses(CorkedFloorFilter.CLASSES)
                .addAsWebInfResource(new StringAsset(FLOOR_WEB_XML), "web.xml")
                .as(ZipExporter.class).exportTo(bare.toFile(), true);

        List<Proc> processes = new ArrayList<>();
        List<Runnable> closers = new ArrayList<>();
        Map<String, Proc> node = new LinkedHashMap<>();
        Map<String, Integer> nodePorts = new LinkedHashMap<>();
        Report report = new Report(s, nodeVersion);
        try {
            for (String peer : List.of("rpc-websockets", "ws-jsonrpc", "ws-echo")) {
                if (selected.contains(peer)) {
                    int port = freePort();
                    Proc p = Proc.start(peer, s.serverCpu, 4096, List.of("node", peer + "-server.js", Integer.toString(port)),
                            OUT.resolve(peer + ".log"), OUT.resolve("node").toAbsolutePath());
                    processes.add(p);
                    if (!p.awaitLog("listening on", 30)) {
                        throw new IllegalStateException(peer + " did not start:\n" + p.tail(30));
                    }
                    node.put(peer, p);
                    nodePorts.put(peer, port);
                }
            }

            com.sun.net.httpserver.HttpServer upstream = s.upstream ? PushStep.upstreamServer() : null;
            if (upstream != null) {
                int up = upstream.getAddress().getPort();
                closers.add(() -> upstream.stop(0));
                System.out.printf("Upstream REST service for the upstream figure (JDK HTTP server in this JVM) on port %d%n", up);
            }
            int port = freePort();
            List<String> options = new ArrayList<>(List.of("-Xlog:gc*:file=" + OUT.resolve("server-gc.log").toAbsolutePath() + ":uptime,level,tags",
                    "-Dmultiwebsocket.heartbeat-ms=0",
                    "-Dmultiwebsocket.max-connections=" + (s.scale + s.idle + 10_000),
                    "-Dmultiwebsocket.max-connections-per-address=" + s.perAddress));
            if (upstream != null) {
                String base = "http://127.0.0.1:" + upstream.getAddress().getPort();
                options.addAll(List.of("-Dmultiwebsocket.upstreams=bench", "-Dmultiwebsocket.upstream.bench.url=" + base,
                        "-Dmultiwebsocket.upstream.bench.openapi=" + base + "/openapi.json"));
            }
            if (s.jfr) {
                options.add("-XX:StartFlightRecording=filename=" + OUT.resolve("server.jfr").toAbsolutePath() + ",settings=profile");
                options.add("-XX:FlightRecorderOptions:stackdepth=512");
            }
            List<String> command = PayaraCommand.of(s, options, List.of("--deploy", PayaraCommand.war(),
                    "--deploy", bare.toAbsolutePath() + ":/bare", "--port", Integer.toString(port), "--nohazelcast"));
            if (!s.payaraArgs.isBlank()) {
                command.addAll(command.size() - 1, List.of(s.payaraArgs.trim().split("\\s+")));
            }
            System.out.printf("Starting Payara Micro on port %d, CPU %s, JVM %s…%n", port, s.serverCpu, s.serverJvm);
            long payaraStart = System.nanoTime();
            Proc payara = Proc.start("payara", s.serverCpu, s.scale + s.idle + 20_000, command, OUT.resolve("payara.log"), null);
            processes.add(payara);
            if (!payara.awaitLog(" ready in ", 300)) {
                throw new IllegalStateException("Payara Micro did not start:\n" + payara.tail(60));
            }
            report.payaraStartSeconds = (System.nanoTime() - payaraStart) / 1e9;
            report.serverStartNanos = payaraStart;
            report.serverFdLimit = Proc.openFileLimit(payara.pid());
            report.affinity.put("payara", affinity(payara.pid()));
            node.forEach((name, p) -> report.affinity.put(name, affinity(p.pid())));
            report.affinity.put("load generator", affinity(ProcessHandle.current().pid()));

            String host = "127.0.0.1:" + port;
            Map<String, Target> targets = new LinkedHashMap<>();
            int c = s.connections;
            int k = s.inFlight;
            targets.put("gateway", new Target("gateway", "helloworld through the gateway socket (Payara)", payara,
                    () -> new RawWebSocketLoad(URI.create("ws://" + host + "/gateway"), "multiwebsocket.v1", c, k)));
            for (String peer : node.keySet()) {
                String what = switch (peer) {
                    case "rpc-websockets" -> "Node.js rpc-websockets server, method helloworld";
                    case "ws-jsonrpc" -> "Node.js ws + a ten-line JSON-RPC dispatcher";
                    default -> "Node.js ws echoing the frame (Node's floor)";
                };
                URI uri = URI.create("ws://127.0.0.1:" + nodePorts.get(peer) + "/");
                targets.put(peer, new Target(peer, what, node.get(peer), () -> new RawWebSocketLoad(uri, null, c, k)));
            }
            targets.put("bare-tuned", new Target("bare-tuned", "the floor: bare echo with the gateway's workarounds (Payara)", payara,
                    () -> new RawWebSocketLoad(URI.create("ws://" + host + "/bare/echo-tuned"), null, c, k)));
            targets.put("bare-endpoint", new Target("bare-endpoint", "bare @ServerEndpoint echo, no workarounds (Payara)", payara,
                    () -> new RawWebSocketLoad(URI.create("ws://" + host + "/bare/echo"), null, c, k)));
            HttpRequest post = HttpRequest.newBuilder(URI.create("http://" + host + "/api/rpc"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Load.frame(1))).build();
            targets.put("http-transport", new Target("http-transport", "the same call as POST /api/rpc, keep-alive (Payara)", payara,
                    () -> new Load.Http(post, c, k)));
            targets.put("jaxrs-get", new Target("jaxrs-get", "a plain JAX-RS GET (Payara)", payara,
                    () -> new Load.Http(HttpRequest.newBuilder(URI.create("http://" + host + "/bare/api/hello?name=bench")).GET().build(), c, k)));
            targets.keySet().retainAll(selected);

            // 1. From startup: the gateway as soon as Payara is ready, then rpc-websockets (idle since its start).
            for (String name : List.of("gateway", "rpc-websockets")) {
                if (targets.containsKey(name)) {
                    System.out.printf("%-15s from startup: %d s of load, CPU per call per %d s…%n", name, s.startup, s.slice);
                    report.startup.put(name, fromStartup(targets.get(name), s));
                }
            }
            // 2. Warm-up of every target.
            for (Target t : targets.values()) {
                System.out.printf("%-15s warming up %d s…%n", t.name(), s.warmup);
                Load load = t.load().get();
                load.start();
                Thread.sleep(s.warmup * 1_000L);
                load.stop();
            }
            // 3. Rounds: the targets take turns.
            JfrProfile profile = s.jfr ? new JfrProfile() : null;
            Map<String, List<Round>> rounds = new LinkedHashMap<>();
            for (int r = 1; r <= s.rounds; r++) {
                for (String name : TURNS) {
                    Target t = targets.get(name);
                    if (t == null) {
                        continue;
                    }
                    Round round = round(t, s, profile, t.server() == payara);
                    rounds.computeIfAbsent(name, n -> new ArrayList<>()).add(round);
                    System.out.printf(Locale.ROOT, "round %d %-15s %9.0f calls/s  p99 %7.2f ms  %7.1f µs CPU/call  load generator %3.0f %% of a core%n",
                            r, name, round.callsPerSecond(), round.p99Ms(), round.cpuMicrosPerCall(), round.generatorPercent());
                }
            }
            for (String name : selected) {
                List<Round> rs = rounds.get(name);
                if (rs == null) {
                    continue;
                }
                Histogram all = rs.get(0).window().latencies().copy();
                rs.subList(1, rs.size()).forEach(r -> all.add(r.window().latencies()));
                report.results.add(new Result(name, targets.get(name).what(), rs, all));
            }
            // 3b. Server push and the upstream call, on the gateway.
            if (s.push) {
                report.stream = PushStep.stream(payara.pid(), port, s);
                report.topic = PushStep.topic(payara.pid(), port, s);
            }
            if (s.cluster) {
                report.cluster = ClusterStep.run(payara.pid(), port, s, OUT);
            }
            if (upstream != null) {
                report.upstream = PushStep.upstream(payara.pid(), host, upstream.getAddress().getPort(), s);
            }
            report.loadEndSeconds = (System.nanoTime() - payaraStart) / 1e9;
            if (s.jfr) {
                Proc.run(List.of(IdleStep.jcmd(), Long.toString(payara.pid()), "JFR.dump",
                        "filename=" + OUT.resolve("server.jfr").toAbsolutePath()), null, 120);
                if (profile != null) {
                    report.profile = profile.summarize(OUT.resolve("server.jfr"), 25);
                }
            }

            // 4. Idle connections, then the scale step, on the gateway.
            if (selected.contains("gateway") && s.idle > 0) {
                IdleStep.run(report, payara, port, s);
            }
            report.runSeconds = (System.nanoTime() - runStart) / 1e9;
        } finally {
            for (Proc p : processes) {
                p.close();
            }
            closers.forEach(Runnable::run);
        }
        report.endSeconds = (System.nanoTime() - report.serverStartNanos) / 1e9;
        report.gc = GcLog.read(OUT.resolve("server-gc.log"));
        report.print(OUT);
    }

    private static List<Slice> fromStartup(Target target, Settings s) throws Exception {
        long pid = target.server().pid();
        List<Slice> slices = new ArrayList<>();
        Load load = target.load().get();
        long t0 = System.nanoTime();
        long cpu = Proc.cpuNanos(pid);
        load.start();
        long calls = 0;
        double from = 0;
        for (int at = s.slice; at <= s.startup; at += s.slice) {
            long wake = t0 + at * 1_000_000_000L;
            long now = System.nanoTime();
            if (wake > now) {
                Thread.sleep((wake - now) / 1_000_000, (int) ((wake - now) % 1_000_000));
            }
            long callsNow = load.answeredTotal();
            long cpuNow = Proc.cpuNanos(pid);
            double to = (System.nanoTime() - t0) / 1e9;
            slices.add(new Slice(from, to, callsNow - calls, cpuNow - cpu));
            calls = callsNow;
            cpu = cpuNow;
            from = to;
        }
        load.stop();
        return slices;
    }

    private static Round round(Target t, Settings s, JfrProfile profile, boolean jvm) throws Exception {
        long pid = t.server().pid();
        Load load = t.load().get();
        load.start();
        Thread.sleep(s.settle * 1_000L);
        if (profile != null) {
            profile.begin(t.name(), pid, jvm);
        }
        long self = ProcessHandle.current().pid();
        long errors0 = load.errors.get();
        long gen0 = Proc.cpuNanos(self);
        long cpu0 = Proc.cpuNanos(pid);
        long writes0 = Proc.writeCalls(pid);
        long calls0 = load.answeredTotal();
        load.beginWindow();
        Thread.sleep(s.seconds * 1_000L);
        long calls1 = load.answeredTotal();
        long cpu1 = Proc.cpuNanos(pid);
        long writes1 = Proc.writeCalls(pid);
        long gen1 = Proc.cpuNanos(self);
        Load.Window window = load.endWindow();
        long errors1 = load.errors.get();
        if (profile != null) {
            profile.end(t.name(), pid, calls1 - calls0);
        }
        load.stop();
        return new Round(cpu1 - cpu0, calls1 - calls0, errors1 - errors0, window, gen1 - gen0, new long[]{cpu1 - cpu0},
                writes0 < 0 || writes1 < 0 ? -1 : writes1 - writes0);
    }

    /** A load on one target outside the rounds: {@code warmup} seconds, then {@code seconds} measured. */
    static Round measure(Load load, long pid, int warmup, int seconds) throws Exception {
        return measure(load, new long[]{pid}, warmup, seconds);
    }

    /** The same, the server CPU summed over several processes (the nodes of a cluster). */
    static Round measure(Load load, long[] pids, int warmup, int seconds) throws Exception {
        long self = ProcessHandle.current().pid();
        load.start();
        try {
            Thread.sleep(warmup * 1_000L);
            long errors0 = load.errors.get();
            long gen0 = Proc.cpuNanos(self);
            long[] cpu0 = Proc.cpuNanosEach(pids);
            long calls0 = load.answeredTotal();
            load.beginWindow();
            Thread.sleep(seconds * 1_000L);
            long calls1 = load.answeredTotal();
            long[] cpu = Proc.cpuNanosEach(pids);
            long gen1 = Proc.cpuNanos(self);
            Load.Window window = load.endWindow();
            for (int i = 0; i < pids.length; i++) {
                cpu[i] -= cpu0[i];
            }
            return new Round(Arrays.stream(cpu).sum(), calls1 - calls0, load.errors.get() - errors0, window, gen1 - gen0, cpu, -1);
        } finally {
            load.stop();
        }
    }

    private static String affinity(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring("Cpus_allowed_list:".length()).trim();
                }
            }
        } catch (IOException e) {
            return "?";
        }
        return "?";
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
