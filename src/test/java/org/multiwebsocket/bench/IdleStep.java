package org.multiwebsocket.bench;

import org.multiwebsocket.bench.Benchmark.Idle;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The idle steps of the benchmark: {@code bench.idle} idle gateway connections and the server's heap
 * after a full GC before and after them, then the scale step to {@code bench.scale}, capped by the
 * server's open-file limit (and saying so).
 */
final class IdleStep {

    private IdleStep() {
    }

    static void run(Report report, Proc payara, int port, Settings s) throws Exception {
        long pid = payara.pid();
        int perProcess = (int) Math.max(s.perAddress, Math.min(Proc.hardOpenFileLimit() - 500, 200_000));
        report.idleClientLimit = Proc.hardOpenFileLimit();
        if (s.idleFloor) {
            floor(report, pid, port, s, perProcess);
        }
        try (IdleFleet fleet = new IdleFleet(2)) {
            System.out.printf("Opening %d idle gateway connections (%d per source address, at most %d handshakes at once)…%n",
                    s.idle, s.perAddress, s.handshakes);
            Weighing before = weigh(pid);
            long heap0 = before.live();
            long rss0 = Proc.rssBytes(pid);
            long t0 = System.nanoTime();
            fleet.open("127.0.0.1", port, "/gateway", "multiwebsocket.v1", s.idle, s.perAddress, s.handshakes, perProcess,
                    s.loadCpu, 600);
            double openSeconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(2_000);
            Weighing after = weigh(pid);
            long heap1 = after.live();
            long rss1 = Proc.rssBytes(pid);
            if (s.histogram) {
                report.idleGrowth = growth(before.classes(), after.classes(), fleet.opened());
            }
            report.idle = new Idle(s.idle, fleet.opened(), fleet.failed(), fleet.firstFailure(), fleet.stillOpen(), heap0, heap1,
                    rss0, rss1, openSeconds, null, null);
            System.out.printf(Locale.ROOT, "  %d open, %d failed: heap %.0f MB -> %.0f MB, %.1f KB per connection%n",
                    fleet.opened(), fleet.failed(), heap0 / 1048576.0, heap1 / 1048576.0, report.idle.bytesPerConnection() / 1024);

            if (s.scale > s.idle && fleet.opened() == s.idle) {
                int more = s.scale - s.idle;
                long room = payara.isAlive() ? Proc.openFileLimit(pid) - Proc.openFiles(pid) - 1_000 : 0;
                String capped = null;
                if (room < more) {
                    capped = String.format(Locale.ROOT, "capped at %d: the server's open-file limit is %d (hard limit here %d)",
                            s.idle + Math.max(0, room), Proc.openFileLimit(pid), Proc.hardOpenFileLimit());
                    more = (int) Math.max(0, room);
                }
                System.out.printf("Scale step: %d more idle connections (to %d)%s…%n", more, s.idle + more,
                        capped == null ? "" : " — " + capped);
                long t1 = System.nanoTime();
                fleet.open("127.0.0.1", port, "/gateway", "multiwebsocket.v1", more, s.perAddress, s.handshakes, perProcess,
                        s.loadCpu, 900);
                double scaleSeconds = (System.nanoTime() - t1) / 1e9;
                Thread.sleep(2_000);
                boolean alive = payara.isAlive();
                long heap2 = alive ? weigh(pid).live() : -1;
                long rss2 = alive ? Proc.rssBytes(pid) : -1;
                Boolean answers = alive && answers(port);
                report.scale = new Idle(s.idle + more, fleet.opened(), fleet.failed(), fleet.firstFailure(), fleet.stillOpen(),
                        heap0, heap2, rss0, rss2, scaleSeconds, capped, answers);
                System.out.printf(Locale.ROOT, "  %d open, %d failed, %d still open, heap %.0f MB, server answers: %s%n",
                        fleet.opened(), fleet.failed(), report.scale.stillOpen(), heap2 / 1048576.0, answers);
            }
        }
    }

    /**
     * The container's own share: as many idle connections to the bare tuned echo on the same server
     * (same Grizzly, Tyrus and workarounds, none of the gateway's state), measured the same way, then
     * closed and waited for until the server's heap is back where it was.
     */
    private static void floor(Report report, long pid, int port, Settings s, int perProcess) throws Exception {
        System.out.printf("Floor: %d idle connections to the bare tuned echo…%n", s.idle);
        Weighing before = weigh(pid);
        long heap0 = before.live();
        long rss0 = Proc.rssBytes(pid);
        try (IdleFleet fleet = new IdleFleet(2)) {
            long t0 = System.nanoTime();
            fleet.open("127.0.0.1", port, "/bare/echo-tuned", null, s.idle, s.perAddress, s.handshakes, perProcess, s.loadCpu, 600);
            double openSeconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(2_000);
            Weighing after = weigh(pid);
            long heap1 = after.live();
            if (s.histogram) {
                report.idleFloorGrowth = growth(before.classes(), after.classes(), fleet.opened());
            }
            report.idleFloor = new Idle(s.idle, fleet.opened(), fleet.failed(), fleet.firstFailure(), fleet.stillOpen(), heap0, heap1,
                    rss0, Proc.rssBytes(pid), openSeconds, null, null);
            System.out.printf(Locale.ROOT, "  %d open, %d failed: heap %.0f MB -> %.0f MB, %.1f KB per connection%n",
                    fleet.opened(), fleet.failed(), heap0 / 1048576.0, heap1 / 1048576.0, report.idleFloor.bytesPerConnection() / 1024);
        }
        long settled = heap0 + (report.idleFloor.heapAfter() - heap0) / 20;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long heap;
        while ((heap = weigh(pid).live()) > settled && System.nanoTime() < end) {
            Thread.sleep(1_000);
        }
        System.out.printf(Locale.ROOT, "  closed: heap back to %.0f MB%n", heap / 1048576.0);
    }

    /** Whether the gateway still answers a call over HTTP within 10 s. */
    private static boolean answers(int port) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/rpc"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Load.frame(1))).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"result\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The classes whose live bytes grew most between two histograms, per connection: "bytes instances class". */
    static List<String> growth(Map<String, long[]> before, Map<String, long[]> after, int connections) {
        return after.entrySet().stream()
                .map(e -> {
                    long[] was = before.getOrDefault(e.getKey(), new long[2]);
                    return Map.entry(e.getKey(), new double[]{(e.getValue()[1] - was[1]) / (double) connections,
                            (e.getValue()[0] - was[0]) / (double) connections});
                })
                .sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
                .limit(25)
                .map(e -> String.format(Locale.ROOT, "%8.0f B %6.2f x  %s", e.getValue()[0], e.getValue()[1], e.getKey()))
                .toList();
    }

    static String jcmd() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    }

    /** The server's live objects: their bytes in all, and instances and bytes by class. */
    record Weighing(long live, Map<String, long[]> classes) {
    }

    private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(.+)$");
    private static final Pattern TOTAL = Pattern.compile("^Total\\s+\\d+\\s+(\\d+)\\s*$");

    /**
     * The server's live objects, from {@code jcmd GC.class_histogram} (which collects the heap first): the
     * same measure for every collector. Not {@code GC.heap_info}'s "used": under Shenandoah {@code GC.run} is
     * a concurrent cycle, and "used" right after it still holds the cycle's floating garbage (one run weighed
     * the floor's idle connection at 34.6 KB by it, 26.4 KB by its objects).
     */
    static Weighing weigh(long pid) throws Exception {
        return weighing(Proc.run(List.of(jcmd(), Long.toString(pid), "GC.class_histogram"), null, 300));
    }

    /** A class histogram's text read: the "Total" line's bytes and each class's line. */
    static Weighing weighing(String histogram) {
        Map<String, long[]> classes = new HashMap<>();
        long live = -1;
        for (String line : histogram.split("\n")) {
            Matcher m = HISTOGRAM_LINE.matcher(line);
            Matcher total = TOTAL.matcher(line);
            if (m.find()) {
                classes.put(m.group(3).trim(), new long[]{Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
            } else if (total.find()) {
                live = Long.parseLong(total.group(1));
            }
        }
        if (live < 0) {
            throw new IllegalStateException("no Total line in jcmd GC.class_histogram's answer: "
                    + histogram.substring(Math.max(0, histogram.length() - 500)));
        }
        return new Weighing(live, classes);
    }
}
