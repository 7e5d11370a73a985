package org.multiwebsocket.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Where a process's CPU goes, by thread: the {@code cpu=} of each thread in two {@code jcmd Thread.print}
 * dumps, the difference grouped by the thread's name with its numbers left out (a pool's threads together).
 * A dump stops the JVM for a moment: taken only at the edges of a measured window.
 */
final class ThreadCpu {

    private static final Pattern THREAD = Pattern.compile("^\"([^\"]+)\".*?cpu=([\\d.]+)ms", Pattern.MULTILINE);

    private ThreadCpu() {
    }

    /** CPU ms by thread group of one process now; empty when jcmd fails. */
    static Map<String, Double> snapshot(long pid) {
        Map<String, Double> groups = new HashMap<>();
        try {
            Matcher m = THREAD.matcher(Proc.run(List.of(IdleStep.jcmd(), Long.toString(pid), "Thread.print"), null, 60));
            while (m.find()) {
                groups.merge(group(m.group(1)), Double.parseDouble(m.group(2)), Double::sum);
            }
        } catch (Exception e) {
            groups.clear();
        }
        return groups;
    }

    /** A thread's group: its name without numbers and without the Hazelcast instance's random name. */
    static String group(String thread) {
        return thread.replaceAll("^hz\\.[^.]+\\.", "hz.").replaceAll("\\d+", "#");
    }

    /**
     * In the background: snapshots of each process after {@code afterSeconds}, and again {@code seconds}
     * later (the window of {@link Benchmark#measure}); then the busiest groups of each, as text.
     */
    static CompletableFuture<List<String>> during(long[] pids, int afterSeconds, int seconds) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(afterSeconds * 1_000L);
                List<Map<String, Double>> before = Arrays.stream(pids).mapToObj(ThreadCpu::snapshot).toList();
                Thread.sleep(seconds * 1_000L);
                List<Map<String, Double>> after = Arrays.stream(pids).mapToObj(ThreadCpu::snapshot).toList();
                return IntStream.range(0, pids.length).mapToObj(i -> top(before.get(i), after.get(i), 6)).toList();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        });
    }

    /** The {@code n} groups that used the most CPU between two snapshots, each as % of all threads' CPU. */
    static String top(Map<String, Double> before, Map<String, Double> after, int n) {
        Map<String, Double> used = new LinkedHashMap<>();
        after.forEach((name, ms) -> used.put(name, ms - before.getOrDefault(name, 0.0)));
        double total = used.values().stream().mapToDouble(Double::doubleValue).sum();
        if (total <= 0) {
            return "(no thread dump)";
        }
        return used.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(n)
                .map(e -> String.format(Locale.ROOT, "%s %.0f %%", e.getKey(), 100 * e.getValue() / total))
                .collect(Collectors.joining(", "));
    }
}
