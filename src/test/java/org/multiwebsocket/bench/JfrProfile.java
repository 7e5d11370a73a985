package org.multiwebsocket.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a target's server CPU goes during its measured rounds ({@code bench.jfr=true}): the
 * process's user and kernel CPU from /proc, its threads' CPU by pool from thread dumps at the edges of
 * each round (a JVM's), and the JFR execution samples taken inside the rounds, each given to an owner: the first
 * frame from the top of its stack that is not the JDK's says whose code asked for the work
 * (the gateway or the echo endpoint, JSON-B/JSON-P, Weld, Tyrus, Grizzly and the rest of Payara).
 */
final class JfrProfile {

    /** What one target's rounds add up to. */
    private static final class Turns {
        final List<Instant[]> windows = new ArrayList<>();
        final Map<String, Double> threadMs = new HashMap<>();
        long userNanos;
        long systemNanos;
        long calls;
        Instant start;
        Map<String, Double> threads0;
        long[] cpu0;
    }

    private static final List<String> JDK = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.proxy.", "com.sun.management.",
            "com.sun.jmx.", "com.sun.crypto.");
    /**
     * The connection as the container's WebSocket implementation sees it (the gateway's and the floor's
     * wrappers of its input and output): on every stack that reads or writes, so counted as the
     * container's, not as a step of the gateway.
     */
    private static final List<String> PLUMBING = List.of("org.multiwebsocket.transport.websocket.CorkedOutput",
            "org.multiwebsocket.transport.websocket.CorkedInput", "org.multiwebsocket.transport.websocket.CorkedConnection",
            "org.multiwebsocket.transport.websocket.LimitedInput", "org.multiwebsocket.transport.websocket.LimitedUpgrade",
            "org.multiwebsocket.transport.websocket.CorkedFloorFilter");
    /** Owners by class-name prefix, the first that matches. */
    private static final List<Map.Entry<String, String>> OWNERS = List.of(
            Map.entry("org.multiwebsocket.bench.bare.", "the echo endpoint"),
            Map.entry("org.multiwebsocket.", "the gateway"),
            Map.entry("org.eclipse.yasson.", "JSON-B/JSON-P"),
            Map.entry("org.eclipse.parsson.", "JSON-B/JSON-P"),
            Map.entry("org.glassfish.json.", "JSON-B/JSON-P"),
            Map.entry("org.jboss.weld.", "Weld (CDI)"),
            Map.entry("org.hibernate.validator.", "Bean Validation"),
            Map.entry("org.glassfish.tyrus.", "Tyrus"),
            Map.entry("org.glassfish.grizzly.", "Grizzly"));
    /** The gateway's steps by method-name prefix: its frame nearest the top of a stack says which one a sample is in. */
    private static final List<Map.Entry<String, String>> STEPS = List.of(
            Map.entry("org.multiwebsocket.protocol.JsonRpc.", "parse the frame (JSON-P)"),
            Map.entry("org.multiwebsocket.protocol.JsonBinding.toJson", "write the result (JSON-B)"),
            Map.entry("org.multiwebsocket.protocol.JsonBinding$Yasson.write", "write the result (JSON-B)"),
            Map.entry("org.multiwebsocket.protocol.JsonBinding", "bind params (JSON-B)"),
            Map.entry("org.multiwebsocket.registry.ServiceHandler.validate", "validate params (Bean Validation)"),
            Map.entry("org.multiwebsocket.config.JsonSupport.toJson", "write the result (JSON-B)"),
            Map.entry("org.multiwebsocket.transport.websocket.Outbox", "send (Tyrus, Grizzly)"),
            Map.entry("org.multiwebsocket.bench.bare.", "send (Tyrus, Grizzly)"));

    private final Map<String, Turns> targets = new LinkedHashMap<>();

    /** At the start of a target's measured window (before its CPU is read); threads only of a JVM. */
    void begin(String target, long pid, boolean jvm) {
        Turns t = targets.computeIfAbsent(target, x -> new Turns());
        t.threads0 = jvm ? ThreadCpu.snapshot(pid) : Map.of();
        t.cpu0 = Proc.cpuNanosSplit(pid);
        t.start = Instant.now();
    }

    /** At the end of it (after its CPU is read), with the calls answered in it. */
    void end(String target, long pid, long calls) {
        Turns t = targets.get(target);
        Instant end = Instant.now();
        long[] cpu1 = Proc.cpuNanosSplit(pid);
        (t.threads0.isEmpty() ? Map.<String, Double>of() : ThreadCpu.snapshot(pid)).forEach((group, ms) -> t.threadMs.merge(group, ms - t.threads0.getOrDefault(group, 0.0), Double::sum));
        t.windows.add(new Instant[]{t.start, end});
        t.userNanos += cpu1[0] - t.cpu0[0];
        t.systemNanos += cpu1[1] - t.cpu0[1];
        t.calls += calls;
    }

    /** The summary of every target measured, from the recording: a few lines each. */
    List<String> summarize(Path recording, int topMethods) throws IOException {
        Map<String, Map<String, Integer>> byOwner = new HashMap<>();
        Map<String, Map<String, Integer>> byMethod = new HashMap<>();
        Map<String, Map<String, Integer>> bySteps = new HashMap<>();
        Map<String, int[]> counts = new HashMap<>();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                    continue;
                }
                String target = targetAt(e.getStartTime());
                if (target == null) {
                    continue;
                }
                List<RecordedFrame> frames = e.getStackTrace().getFrames();
                String owner = "the JDK only";
                boolean app = false;
                for (RecordedFrame f : frames) {
                    String type = typeOf(f);
                    if (plumbing(type)) {
                        continue;
                    }
                    if (owner.equals("the JDK only") && JDK.stream().noneMatch(type::startsWith)) {
                        owner = ownerOf(type);
                    }
                    app |= type.startsWith("org.multiwebsocket.");
                }
                int[] c = counts.computeIfAbsent(target, x -> new int[2]);
                c[0]++;
                c[1] += app ? 1 : 0;
                byOwner.computeIfAbsent(target, x -> new HashMap<>()).merge(owner, 1, Integer::sum);
                bySteps.computeIfAbsent(target, x -> new HashMap<>()).merge(step(frames, owner), 1, Integer::sum);
                if (!frames.isEmpty()) {
                    RecordedMethod m = frames.get(0).getMethod();
                    byMethod.computeIfAbsent(target, x -> new HashMap<>()).merge(m.getType().getName() + "." + m.getName(), 1, Integer::sum);
                }
            }
        }
        List<String> lines = new ArrayList<>();
        targets.forEach((target, t) -> {
            double calls = Math.max(1, t.calls);
            int[] c = counts.getOrDefault(target, new int[2]);
            lines.add(String.format(Locale.ROOT, "%s: %.1f µs of server CPU per call = %.1f user + %.1f kernel; %d execution samples in its rounds",
                    target, (t.userNanos + t.systemNanos) / 1_000.0 / calls, t.userNanos / 1_000.0 / calls, t.systemNanos / 1_000.0 / calls, c[0]));
            if (t.threadMs.isEmpty()) {
                return;
            }
            double threadsTotal = t.threadMs.values().stream().mapToDouble(Double::doubleValue).sum();
            lines.add("  threads (CPU by pool): " + top(t.threadMs, threadsTotal, 6));
            Map<String, Double> owners = new HashMap<>();
            byOwner.getOrDefault(target, Map.of()).forEach((o, n) -> owners.put(o, n.doubleValue()));
            lines.add("  Java samples by owner (the first frame outside the JDK): " + top(owners, Math.max(1, c[0]), 9));
            lines.add(String.format(Locale.ROOT, "  samples with org.multiwebsocket code on the stack: %.0f %%", 100.0 * c[1] / Math.max(1, c[0])));
            Map<String, Double> steps = new HashMap<>();
            bySteps.getOrDefault(target, Map.of()).forEach((step, n) -> steps.put(step, n.doubleValue()));
            lines.add("  Java samples by step: " + top(steps, Math.max(1, c[0]), 10));
            Map<String, Double> methods = new HashMap<>();
            byMethod.getOrDefault(target, Map.of()).forEach((m, n) -> methods.put(m, n.doubleValue()));
            lines.add("  hottest methods (self): " + top(methods, Math.max(1, c[0]), topMethods));
        });
        return lines;
    }

    /**
     * The step a sample is in: the gateway's (or the echo's) frame nearest the top of the stack, named by
     * {@link #STEPS}; the gateway's own code when that frame is the top one outside the JDK; the container
     * alone when no frame of ours is on the stack (reading, unframing, the selector).
     */
    static String step(List<RecordedFrame> frames, String owner) {
        for (RecordedFrame f : frames) {
            String type = typeOf(f);
            if (type.startsWith("org.multiwebsocket.") && !plumbing(type)) {
                String step = firstMatch(STEPS, type + "." + f.getMethod().getName());
                return step != null ? step : owner.startsWith("the gateway") ? "the gateway's own code"
                        : "under the gateway's code: " + owner;
            }
        }
        return "the container alone (" + owner + ")";
    }

    private static boolean plumbing(String type) {
        return PLUMBING.stream().anyMatch(type::startsWith);
    }

    private String targetAt(Instant at) {
        for (Map.Entry<String, Turns> e : targets.entrySet()) {
            for (Instant[] w : e.getValue().windows) {
                if (!at.isBefore(w[0]) && at.isBefore(w[1])) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    private static String typeOf(RecordedFrame f) {
        return f.getMethod() == null || f.getMethod().getType() == null ? "" : f.getMethod().getType().getName();
    }

    static String ownerOf(String type) {
        String owner = firstMatch(OWNERS, type);
        return owner != null ? owner : "Payara's other code (" + type.replaceAll("^((?:[^.]+\\.){2}[^.]+).*", "$1") + ")";
    }

    /** The value of the first entry whose key {@code name} starts with, or null. */
    private static String firstMatch(List<Map.Entry<String, String>> prefixes, String name) {
        return prefixes.stream().filter(e -> name.startsWith(e.getKey())).map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private static String top(Map<String, Double> values, double total, int n) {
        return values.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(n)
                .map(e -> String.format(Locale.ROOT, "%s %.0f %%", e.getKey(), 100 * e.getValue() / total))
                .reduce((a, b) -> a + ", " + b).orElse("-");
    }
}
