package org.multiwebsocket.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stop-the-world pauses in a unified JVM GC log ({@code -Xlog:gc*:file=…:uptime,level,tags}): every
 * line that names a pause and ends with its duration (G1's and Parallel's {@code Pause Young …},
 * {@code Pause Remark}, {@code Pause Full}; ZGC's and Shenandoah's {@code Pause Mark Start} and the
 * like), with the JVM's uptime. Pauses the benchmark asked for itself (full GCs through {@code jcmd
 * GC.class_histogram} to weigh the heap) are kept apart.
 */
record GcLog(List<Pause> pauses, String collector) {

    /**
     * One pause: when (seconds of JVM uptime), how long (wall clock), whether the benchmark asked for it,
     * and the CPU time the collection's threads used ({@code gc,cpu} User + Sys; NaN when not logged):
     * a pause much longer than its CPU time waited for the core (another process had it) or for memory.
     */
    record Pause(double uptime, double ms, boolean requested, double cpuMs) {
        boolean mostlyWaiting() {
            return !Double.isNaN(cpuMs) && cpuMs < ms / 2;
        }
    }

    private static final Pattern PAUSE = Pattern.compile("\\bPause [^\\[]*?(\\d+(?:\\.\\d+)?)ms\\s*$");
    private static final Pattern UPTIME = Pattern.compile("^\\[(\\d+(?:\\.\\d+)?)s\\]");
    private static final Pattern GC_ID = Pattern.compile("GC\\((\\d+)\\)");
    private static final Pattern CPU = Pattern.compile("User=(\\d+(?:\\.\\d+)?)s Sys=(\\d+(?:\\.\\d+)?)s Real=");
    private static final Pattern USING = Pattern.compile("\\] Using (.+)$");

    static GcLog read(Path log) throws IOException {
        List<Pause> pauses = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        Map<String, Double> cpu = new HashMap<>();
        String collector = "?";
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                Matcher id = GC_ID.matcher(line);
                String gcId = id.find() ? id.group(1) : "";
                Matcher used = CPU.matcher(line);
                if (!gcId.isEmpty() && used.find()) {
                    cpu.put(gcId, 1_000 * (Double.parseDouble(used.group(1)) + Double.parseDouble(used.group(2))));
                    continue;
                }
                Matcher using = USING.matcher(line);
                if (using.find() && line.contains("[gc")) {
                    collector = using.group(1);
                }
                Matcher pause = PAUSE.matcher(line);
                if (pause.find()) {
                    Matcher uptime = UPTIME.matcher(line);
                    pauses.add(new Pause(uptime.find() ? Double.parseDouble(uptime.group(1)) : -1, Double.parseDouble(pause.group(1)),
                            line.contains("System.gc()") || line.contains("Diagnostic Command") || line.contains("Heap Inspection"), Double.NaN));
                    ids.add(gcId);
                }
            }
        }
        // gc,cpu follows its pause line, and covers the whole collection (for ZGC's phases, not one pause).
        for (int i = 0; i < pauses.size(); i++) {
            Pause p = pauses.get(i);
            Double c = cpu.get(ids.get(i));
            if (c != null && i + 1 < pauses.size() && ids.get(i + 1).equals(ids.get(i))) {
                c = null;
            }
            pauses.set(i, new Pause(p.uptime(), p.ms(), p.requested(), c == null ? Double.NaN : c));
        }
        return new GcLog(pauses, collector);
    }

    /** Pauses the benchmark did not ask for, between two uptimes (seconds), sorted by length. */
    double[] between(double from, double to) {
        return pauses.stream().filter(p -> !p.requested() && p.uptime() >= from && p.uptime() < to)
                .mapToDouble(Pause::ms).sorted().toArray();
    }

    double[] all() {
        return between(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    double[] requested() {
        return pauses.stream().filter(Pause::requested).mapToDouble(Pause::ms).sorted().toArray();
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static double max(double[] sorted) {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }

    static long over(double[] sorted, double ms) {
        long n = 0;
        for (double p : sorted) {
            if (p > ms) {
                n++;
            }
        }
        return n;
    }

    /** Pauses over {@code ms} between two uptimes that spent less than half their length on the CPU. */
    long overWaiting(double from, double to, double ms) {
        return pauses.stream().filter(p -> !p.requested() && p.uptime() >= from && p.uptime() < to && p.ms() > ms && p.mostlyWaiting()).count();
    }

    /** count, total, p50, p99, max and how many over 20 ms, of the pauses between two uptimes. */
    String summary(double from, double to) {
        double[] p = between(from, to);
        double total = 0;
        for (double ms : p) {
            total += ms;
        }
        long over = over(p, 20);
        return String.format(Locale.ROOT, "%d pauses, total %.0f ms, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d over 20 ms%s",
                p.length, total, percentile(p, 50), percentile(p, 99), max(p), over,
                over == 0 ? "" : String.format(Locale.ROOT, " (%d of them on the CPU for less than half their length)", overWaiting(from, to, 20)));
    }
}
