package org.multiwebsocket.bench;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import org.HdrHistogram.Histogram;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.multiwebsocket.bench.bare.BareEchoEndpoint;
import org.multiwebsocket.bench.bare.HelloResource;
import org.multiwebsocket.testing.MicroProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway against what users would do without it, on one Payara Micro, driven from this JVM:
 * <ol>
 *   <li>{@code gateway}: helloworld through the gateway socket;</li>
 *   <li>{@code bare-endpoint}: a bare {@code @ServerEndpoint} echoing the same frame;</li>
 *   <li>{@code http-transport}: the same call as one {@code POST /api/rpc} per call (keep-alive);</li>
 *   <li>{@code jaxrs-get}: a plain JAX-RS GET per call;</li>
 * </ol>
 * then the heap that idle gateway connections take. Run with {@code mvn -Pbench package}; options as
 * system properties: {@code bench.connections} (50), {@code bench.inflight} (10), {@code bench.warmup}
 * seconds (10), {@code bench.seconds} (20), {@code bench.idle} connections (10000, 0 to skip),
 * {@code bench.jfr} (false: a JFR recording of the server to target/bench/server.jfr), {@code bench.targets}
 * (all: a comma-separated subset, for profiling one).
 */
public final class Benchmark {

    private static final Path OUT = Path.of("target", "bench");

    private Benchmark() {
    }

    /** One target's figures. */
    record Result(String target, double callsPerSecond, double p50, double p90, double p99, double p999, double max,
                  double cpuMicrosPerCall, long calls, long errors, double noisePercent, Histogram histogram) {
    }

    public static void main(String[] args) throws Exception {
        int connections = Integer.getInteger("bench.connections", 50);
        int inFlight = Integer.getInteger("bench.inflight", 10);
        Duration warmup = Duration.ofSeconds(Integer.getInteger("bench.warmup", 10));
        Duration window = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));
        int idle = Integer.getInteger("bench.idle", 10_000);
        Files.createDirectories(OUT);

        Path bare = OUT.resolve("bare.war");
        ShrinkWrap.create(WebArchive.class, "bare.war")
                .addClasses(BareEchoEndpoint.class, HelloResource.class, HelloResource.BareApplication.class)
                .as(ZipExporter.class).exportTo(bare.toFile(), true);
        int port = MicroProcess.freePort();
        List<String> jvm = new ArrayList<>(List.of("-Xmx512m", "-Dmultiwebsocket.heartbeat-ms=0",
                "-Dmultiwebsocket.max-connections=20000", "-Dmultiwebsocket.max-connections-per-address=20000"));
        if (Boolean.getBoolean("bench.jfr")) {
            jvm.add("-XX:StartFlightRecording=filename=" + OUT.resolve("server.jfr").toAbsolutePath() + ",settings=profile");
        }
        System.out.printf("Starting Payara Micro (gateway at /, bare endpoint and JAX-RS at /bare) on port %d…%n", port);
        try (MicroProcess server = MicroProcess.start(jvm, List.of(
                "--deploy", System.getProperty("multiwebsocket.war", "target/multiwebsocket.war") + ":/",
                "--deploy", bare.toAbsolutePath() + ":/bare",
                "--port", Integer.toString(port), "--nohazelcast", "--disablephonehome"), port)) {
            if (!server.awaitReady(180)) {
                throw new IllegalStateException("Payara Micro did not start:\n" + server.output());
            }
            String host = "localhost:" + port;
            List<Result> results = new ArrayList<>();
            Map<String, Load> targets = new LinkedHashMap<>();
            targets.put("gateway", new Load.WebSocket(URI.create("ws://" + host + "/gateway"), List.of("multiwebsocket.v1"),
                    "helloworld", connections, inFlight));
            targets.put("bare-endpoint", new Load.WebSocket(URI.create("ws://" + host + "/bare/echo"), List.of(),
                    "helloworld", connections, inFlight));
            targets.put("http-transport", new Load.Http(HttpRequest.newBuilder(URI.create("http://" + host + "/api/rpc"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"helloworld\",\"params\":{\"name\":\"bench\"}}")).build(),
                    connections, inFlight));
            targets.put("jaxrs-get", new Load.Http(HttpRequest.newBuilder(URI.create("http://" + host + "/bare/api/hello?name=bench"))
                    .GET().build(), connections, inFlight));
            String only = System.getProperty("bench.targets", "");
            if (!only.isBlank()) {
                targets.keySet().retainAll(List.of(only.split(",")));
            }
            for (Map.Entry<String, Load> target : targets.entrySet()) {
                System.out.printf("%-15s warming up %d s, measuring %d s with %d connections x %d in flight…%n",
                        target.getKey(), warmup.toSeconds(), window.toSeconds(), connections, inFlight);
                results.add(measure(target.getKey(), target.getValue(), warmup, window, server.pid()));
            }
            if (Boolean.getBoolean("bench.jfr")) {
                new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(server.pid()), "JFR.dump", "filename=" + OUT.resolve("server.jfr").toAbsolutePath())
                        .inheritIO().start().waitFor();
            }
            IdleHeap heap = idle > 0 ? idleHeap(URI.create("ws://" + host + "/gateway"), idle, server.pid()) : null;
            report(results, heap, connections, inFlight, warmup, window);
        }
    }

    private static Result measure(String name, Load load, Duration warmup, Duration window, long pid) throws Exception {
        long[] cpu = new long[1];
        long elapsed = load.run(warmup, window, () -> cpuNanos(pid), cpu);
        Histogram h = load.histogram();
        long calls = h.getTotalCount();
        long[] perSecond = load.perSecond(elapsed);
        double mean = 0;
        for (long c : perSecond) {
            mean += c;
        }
        mean /= Math.max(1, perSecond.length);
        double variance = 0;
        for (long c : perSecond) {
            variance += (c - mean) * (c - mean);
        }
        double noise = perSecond.length < 2 || mean == 0 ? 0 : 100 * Math.sqrt(variance / (perSecond.length - 1)) / mean;
        return new Result(name, calls / (elapsed / 1e9), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()),
                calls == 0 ? 0 : cpu[0] / 1_000.0 / calls, calls, load.errors.get(), noise, h);
    }

    private static double ms(long micros) {
        return micros / 1_000.0;
    }

    /** User plus system CPU time of a process, from /proc. */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 10_000_000L;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the server's CPU time", e);
        }
    }

    record IdleHeap(int connections, long heapBeforeBytes, long heapAfterBytes) {
        double bytesPerConnection() {
            return (heapAfterBytes - heapBeforeBytes) / (double) connections;
        }
    }

    private static IdleHeap idleHeap(URI gateway, int count, long pid) throws Exception {
        System.out.printf("Opening %d idle gateway connections…%n", count);
        long before = heapAfterGc(pid);
        WebSocketContainer container = Load.sharedContainer();
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create().preferredSubprotocols(List.of("multiwebsocket.v1")).build();
        List<Session> sessions = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                sessions.add(container.connectToServer(new Endpoint() {
                    @Override
                    public void onOpen(Session session, EndpointConfig ignored) {
                    }
                }, config, gateway));
            }
            Thread.sleep(2_000);
            long after = heapAfterGc(pid);
            return new IdleHeap(count, before, after);
        } finally {
            for (Session session : sessions) {
                try {
                    session.close();
                } catch (IOException | RuntimeException ignored) {
                    // closing at the end of the run
                }
            }
        }
    }

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    /** The server's heap in use after a full GC, through jcmd. */
    private static long heapAfterGc(long pid) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true).start().waitFor();
        Process info = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
        String text = new String(info.getInputStream().readAllBytes());
        info.waitFor();
        Matcher used = USED.matcher(text);
        if (!used.find()) {
            throw new IllegalStateException("cannot read the heap from jcmd: " + text);
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    private static void report(List<Result> results, IdleHeap heap, int connections, int inFlight,
                               Duration warmup, Duration window) throws IOException {
        Result bare = results.stream().filter(r -> r.target().equals("bare-endpoint")).findFirst().orElse(results.get(0));
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%nMultiWebsocket benchmark: %d connections x %d in flight, %d s warm-up, %d s measured, %d cores, Java %s%n",
                connections, inFlight, warmup.toSeconds(), window.toSeconds(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version")));
        table.append(String.format(Locale.ROOT, "%-15s %10s %7s %8s %8s %8s %8s %8s %10s %9s %9s %7s %6s%n", "target", "calls/s",
                "x bare", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "CPU µs/call", "x bare", "errors", "noise", ""));
        for (Result r : results) {
            table.append(String.format(Locale.ROOT, "%-15s %10.0f %7.2f %8.2f %8.2f %8.2f %8.2f %8.2f %10.1f %9.2f %9d %6.1f%%%n",
                    r.target(), r.callsPerSecond(), r.callsPerSecond() / bare.callsPerSecond(), r.p50(), r.p90(), r.p99(),
                    r.p999(), r.max(), r.cpuMicrosPerCall(), r.cpuMicrosPerCall() / bare.cpuMicrosPerCall(), r.errors(),
                    r.noisePercent()));
        }
        table.append("(noise: standard deviation of the calls completed in each second of the window, as % of their mean)\n");
        Result gateway = results.get(0);
        table.append(String.format(Locale.ROOT, "%nGoals:%n  gateway CPU per call <= 0.5 x bare endpoint: %.2f x  %s%n",
                gateway.cpuMicrosPerCall() / bare.cpuMicrosPerCall(), gateway.cpuMicrosPerCall() <= 0.5 * bare.cpuMicrosPerCall() ? "met" : "NOT met"));
        table.append(String.format(Locale.ROOT, "  gateway p99 <= bare endpoint p99: %.2f ms vs %.2f ms  %s%n",
                gateway.p99(), bare.p99(), gateway.p99() <= bare.p99() ? "met" : "NOT met"));
        for (Result r : results.subList(Math.min(2, results.size()), results.size())) {
            table.append(String.format(Locale.ROOT, "  gateway calls/s >= 3 x %s: %.2f x  %s%n", r.target(),
                    gateway.callsPerSecond() / r.callsPerSecond(), gateway.callsPerSecond() >= 3 * r.callsPerSecond() ? "met" : "NOT met"));
        }
        if (heap != null) {
            table.append(String.format(Locale.ROOT, "  %d idle connections: heap %.0f MB -> %.0f MB (-Xmx512m), %.1f KB per connection  %s%n",
                    heap.connections(), heap.heapBeforeBytes() / 1048576.0, heap.heapAfterBytes() / 1048576.0,
                    heap.bytesPerConnection() / 1024, heap.heapAfterBytes() <= 512L << 20 ? "met" : "NOT met"));
        }
        System.out.print(table);
        Files.writeString(OUT.resolve("results.txt"), table);
        Files.writeString(OUT.resolve("results.json"), json(results, heap, connections, inFlight, warmup, window));
        Files.writeString(OUT.resolve("latency.svg"), svg(results));
        System.out.println("\nFigures: target/bench/results.json, chart: target/bench/latency.svg");
    }

    private static String json(List<Result> results, IdleHeap heap, int connections, int inFlight,
                               Duration warmup, Duration window) {
        StringBuilder out = new StringBuilder("{\n");
        out.append(String.format(Locale.ROOT, "  \"connections\": %d, \"inFlight\": %d, \"warmupSeconds\": %d, \"windowSeconds\": %d, \"cores\": %d,%n",
                connections, inFlight, warmup.toSeconds(), window.toSeconds(), Runtime.getRuntime().availableProcessors()));
        out.append("  \"targets\": [\n");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            out.append(String.format(Locale.ROOT, "    {\"target\": \"%s\", \"callsPerSecond\": %.1f, \"calls\": %d, \"errors\": %d, "
                            + "\"latencyMs\": {\"p50\": %.3f, \"p90\": %.3f, \"p99\": %.3f, \"p99.9\": %.3f, \"max\": %.3f}, "
                            + "\"serverCpuMicrosPerCall\": %.2f, \"noisePercent\": %.1f}%s%n",
                    r.target(), r.callsPerSecond(), r.calls(), r.errors(), r.p50(), r.p90(), r.p99(), r.p999(), r.max(),
                    r.cpuMicrosPerCall(), r.noisePercent(), i + 1 < results.size() ? "," : ""));
        }
        out.append("  ]");
        if (heap != null) {
            out.append(String.format(Locale.ROOT, ",%n  \"idle\": {\"connections\": %d, \"heapBeforeBytes\": %d, \"heapAfterBytes\": %d, \"bytesPerConnection\": %.0f}",
                    heap.connections(), heap.heapBeforeBytes(), heap.heapAfterBytes(), heap.bytesPerConnection()));
        }
        return out.append("\n}\n").toString();
    }

    /** Latency by percentile, percentiles on a "nines" scale, latency on a log scale. */
    private static String svg(List<Result> results) {
        int width = 760;
        int height = 420;
        int left = 70;
        int right = 170;
        int top = 30;
        int bottom = 50;
        double maxNines = 4;
        double minMs = 0.05;
        double maxMs = Math.max(1, results.stream().mapToDouble(Result::max).max().orElse(1));
        String[] colours = {"#3558e6", "#c8333b", "#17915f", "#c77c02"};
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='12'>%n"
                        + "<rect width='100%%' height='100%%' fill='white'/>%n"
                        + "<text x='%d' y='18' font-size='14'>Latency by percentile (ms, log scale)</text>%n", width, height, left));
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
