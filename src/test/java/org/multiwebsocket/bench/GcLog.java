package org.multiwebsocket.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stop-the-world pauses in a unified JVM GC log ({@code -Xlog:gc*:file=…}): every line that names a
 * pause and ends with its duration (G1's and Parallel's {@code Pause Young …}, {@code Pause Remark},
 * {@code Pause Full}; ZGC's and Shenandoah's {@code Pause Mark Start} and the like). Pauses the
 * benchmark asked for itself ({@code System.gc()}, to weigh the heap) are kept apart.
 */
record GcLog(double[] pausesMs, double[] requestedMs, String collector) {

    private static final Pattern PAUSE = Pattern.compile("\\bPause [^\\[]*?(\\d+(?:\\.\\d+)?)ms\\s*$");
    private static final Pattern USING = Pattern.compile("\\] Using (.+)$");

    static GcLog read(Path log) throws IOException {
        List<Double> pauses = new ArrayList<>();
        List<Double> requested = new ArrayList<>();
        String collector = "?";
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                Matcher using = USING.matcher(line);
                if (using.find() && line.contains("[gc")) {
                    collector = using.group(1);
                }
                Matcher pause = PAUSE.matcher(line);
                if (pause.find()) {
                    double ms = Double.parseDouble(pause.group(1));
                    (line.contains("System.gc()") || line.contains("Diagnostic Command") ? requested : pauses).add(ms);
                }
            }
        }
        return new GcLog(pauses.stream().mapToDouble(Double::doubleValue).sorted().toArray(),
                requested.stream().mapToDouble(Double::doubleValue).sorted().toArray(), collector);
    }

    double max() {
        return pausesMs.length == 0 ? 0 : pausesMs[pausesMs.length - 1];
    }

    double percentile(double p) {
        if (pausesMs.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100 * pausesMs.length) - 1;
        return pausesMs[Math.max(0, Math.min(pausesMs.length - 1, index))];
    }

    long over(double ms) {
        return Arrays.stream(pausesMs).filter(p -> p > ms).count();
    }

    double total() {
        return Arrays.stream(pausesMs).sum();
    }

    String summary() {
        String requestedText = requestedMs.length == 0 ? "" : String.format(Locale.ROOT,
                "; and %d full GCs the benchmark asked for to weigh the heap (max %.1f ms)", requestedMs.length,
                requestedMs[requestedMs.length - 1]);
        return String.format(Locale.ROOT, "%s: %d pauses, total %.0f ms, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d over 20 ms%s",
                collector, pausesMs.length, total(), percentile(50), percentile(99), max(), over(20), requestedText);
    }
}
