package org.multiwebsocket.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Issue 14's figures: the cost of sessions per call, on one node and on a 2-node cluster, and topic
 * latency across the cluster's nodes against the same cluster's same-node delivery.
 * <ol>
 *   <li>Sessions: the gateway's {@code helloworld} load ({@code bench.connections} x {@code bench.inflight})
 *       without and with {@code rpc.session} (then an {@code rpc.ack} every {@value RawWebSocketLoad#ACK_EVERY}
 *       messages): on the benchmark's Payara ({@code --nohazelcast}: sessions in memory), then on a
 *       new 2-node cluster (Hazelcast on: sessions in the grid), the load against node 1, the server CPU
 *       summed over both nodes' processes. Each row {@code bench.clusterWarmup} s of warm-up, then
 *       {@code bench.clusterSeconds} s measured; the single node and then the new cluster first get
 *       {@code bench.clusterNodeWarmup} s of both loads, half each, so that neither row of a pair meets
 *       code the JIT has not compiled yet. Where each row's CPU went by thread pool: {@link ThreadCpu}.</li>
 *   <li>Topic: {@code bench.clusterSubscribers} connections to node 2 subscribe to {@code chat}; one publisher
 *       on node 1 calls {@code chat/send} (as {@link PushStep#topic} does), the next publish once every
 *       subscriber received the previous; then the same with the subscribers on node 1. Latency from the
 *       publish call's send to each receipt; CPU over both nodes.</li>
 * </ol>
 */
final class ClusterStep {

    private ClusterStep() {
    }

    /** One row of the sessions table: where, with or without sessions, and the measured window. */
    record SessionRow(String setup, int nodes, boolean sessions, Benchmark.Round round, List<String> threads) {
        double p50Ms() {
            return round.window().latencies().getValueAtPercentile(50) / 1_000.0;
        }

        /** CPU µs per call of each process (one node; node 1, node 2). */
        double[] cpuMicrosPerCallByNode() {
            return Arrays.stream(round.cpuNanosByProcess()).mapToDouble(n -> round.calls() == 0 ? Double.NaN : n / 1_000.0 / round.calls())
                    .toArray();
        }
    }

    /** The figures of the step. */
    record Figures(List<SessionRow> sessions, PushStep.Push crossNode, PushStep.Push sameNode, double clusterStartSeconds,
                   int warmup, int seconds) {

        void table(StringBuilder t, Settings s) {
            t.append(String.format(Locale.ROOT, "%nSessions, one node and a 2-node cluster (/helloworld/, %d connections x %d in flight, "
                    + "%d s warm-up then %d s measured per row):%n", s.connections, s.inFlight, warmup, seconds));
            t.append(String.format(Locale.ROOT, "  %-34s %9s %7s %7s %11s %9s %6s  %s%n", "setup", "calls/s", "p50 ms", "p99 ms",
                    "CPU µs/call", "x without", "errors", "CPU µs/call by node"));
            for (int i = 0; i < sessions.size(); i++) {
                SessionRow r = sessions.get(i);
                SessionRow without = r.sessions() && i > 0 ? sessions.get(i - 1) : r;
                t.append(String.format(Locale.ROOT, "  %-34s %9.0f %7.2f %7.2f %11.1f %9.2f %6d  %s%n", r.setup(), r.round().callsPerSecond(),
                        r.p50Ms(), r.round().p99Ms(), r.round().cpuMicrosPerCall(),
                        r.round().cpuMicrosPerCall() / without.round().cpuMicrosPerCall(), r.round().errors(),
                        Arrays.stream(r.cpuMicrosPerCallByNode()).mapToObj(x -> String.format(Locale.ROOT, "%.1f", x))
                                .collect(Collectors.joining(" + "))));
            }
            t.append("  Where each row's CPU went, by thread pool (jcmd Thread.print cpu= at the window's edges, % of the process's threads' CPU):\n");
            for (SessionRow r : sessions) {
                for (int n = 0; n < r.threads().size(); n++) {
                    t.append(String.format(Locale.ROOT, "    %-26s %s%n", n == 0 ? r.setup() : "", (r.nodes() > 1 ? "node " + (n + 1) + ": " : "")
                            + r.threads().get(n)));
                }
            }
            t.append(String.format(Locale.ROOT, "  Sessions: rpc.session on each connection first, rpc.ack every %d messages. CPU: user+system of the "
                    + "serving process(es),%n  for the cluster the SUM over node 1 and node 2 (the load goes to node 1). x without: over the row "
                    + "above. The cluster (Hazelcast on,%n  sessions and topics in the grid) formed in %.1f s; its nodes, like the single one, "
                    + "run bench.serverJvm pinned to CPU %s.%n", RawWebSocketLoad.ACK_EVERY, clusterStartSeconds, s.serverCpu));
            if (crossNode != null) {
                t.append(String.format(Locale.ROOT, "Topic across the cluster (1 publisher on node 1, %d subscribers of chat; next publish once the previous "
                        + "reached every subscriber; %d s measured after %d s):%n", crossNode.connections(), s.pushSeconds, s.pushWarmup));
                for (PushStep.Push p : List.of(crossNode, sameNode)) {
                    t.append(String.format(Locale.ROOT, "  %-34s %9.0f deliveries/s  p50 %6.2f ms  p99 %6.2f ms  %6.2f µs CPU/delivery (both nodes)  "
                                    + "%d publishes, %d errors%n", p == crossNode ? "subscribers on node 2 (cross-node)" : "subscribers on node 1 (same node)",
                            p.perSecond(), p.ms(50), p.ms(99), p.cpuMicrosPer(), p.calls(), p.errors()));
                }
            }
        }

        String json() {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, ",%n  \"cluster\": {\"warmupSeconds\": %d, \"seconds\": %d, "
                    + "\"clusterStartSeconds\": %.1f, \"ackEvery\": %d, \"sessions\": [", warmup, seconds, clusterStartSeconds, RawWebSocketLoad.ACK_EVERY));
            for (int i = 0; i < sessions.size(); i++) {
                SessionRow r = sessions.get(i);
                out.append(String.format(Locale.ROOT, "%s%n    {\"setup\": \"%s\", \"nodes\": %d, \"sessions\": %b, \"callsPerSecond\": %.1f, "
                                + "\"latencyMs\": {\"p50\": %.3f, \"p99\": %.3f}, \"serverCpuMicrosPerCall\": %.2f, \"serverCpuMicrosPerCallByNode\": [%s], "
                                + "\"errors\": %d}", i == 0 ? "" : ",", r.setup(), r.nodes(), r.sessions(), r.round().callsPerSecond(), r.p50Ms(),
                        r.round().p99Ms(), r.round().cpuMicrosPerCall(), Arrays.stream(r.cpuMicrosPerCallByNode())
                                .mapToObj(x -> String.format(Locale.ROOT, "%.2f", x)).collect(Collectors.joining(", ")), r.round().errors()));
            }
            out.append("]");
            if (crossNode != null) {
                out.append(",\n    \"topic\": {").append(topicJson("crossNode", crossNode)).append(", ").append(topicJson("sameNode", sameNode)).append('}');
            }
            return out.append('}').toString();
        }

        private static String topicJson(String name, PushStep.Push p) {
            return String.format(Locale.ROOT, "\"%s\": {\"subscribers\": %d, \"deliveriesPerSecond\": %.1f, \"latencyMs\": {\"p50\": %.3f, "
                            + "\"p99\": %.3f, \"max\": %.3f}, \"serverCpuMicrosPerDelivery\": %.3f, \"publishes\": %d, \"errors\": %d}", name,
                    p.connections(), p.perSecond(), p.ms(50), p.ms(99), p.ms(100), p.cpuMicrosPer(), p.calls(), p.errors());
        }
    }

    /** Runs the step: the single node's rows on the benchmark's Payara ({@code pid}, {@code port}), then a new cluster's. */
    static Figures run(long pid, int port, Settings s, Path out) throws Exception {
        List<SessionRow> rows = new ArrayList<>();
        warmUp("1 node", port, s);
        rows.add(row("1 node, no sessions", 1, false, port, new long[]{pid}, s));
        rows.add(row("1 node, sessions (memory)", 1, true, port, new long[]{pid}, s));
        System.out.printf("cluster         starting 2 Payara Micro nodes with Hazelcast on, CPU %s…%n", s.serverCpu);
        try (BenchCluster cluster = BenchCluster.start(2, s, out)) {
            System.out.printf(Locale.ROOT, "cluster         formed in %.1f s%n", cluster.startSeconds);
            warmUp("2 nodes", cluster.port(1), s);
            rows.add(row("2 nodes, no sessions", 2, false, cluster.port(1), cluster.pids(), s));
            rows.add(row("2 nodes, sessions (grid)", 2, true, cluster.port(1), cluster.pids(), s));
            PushStep.Push cross = PushStep.topic("topic-cross", cluster.pids(), cluster.port(2), cluster.port(1), s.clusterSubscribers, 0, s);
            PushStep.Push same = PushStep.topic("topic-same", cluster.pids(), cluster.port(1), cluster.port(1), s.clusterSubscribers, 0, s);
            return new Figures(rows, cross, same, cluster.startSeconds, s.clusterWarmup, s.clusterSeconds);
        }
    }

    /** {@code bench.clusterNodeWarmup} seconds of load, half without sessions, half with. */
    private static void warmUp(String what, int port, Settings s) throws Exception {
        System.out.printf("%-27s warming up %d s, without and with sessions…%n", what, s.clusterNodeWarmup);
        for (boolean session : new boolean[]{false, true}) {
            Load load = load(port, session, s);
            load.start();
            Thread.sleep(s.clusterNodeWarmup * 500L);
            load.stop();
        }
    }

    private static Load load(int port, boolean session, Settings s) {
        return new RawWebSocketLoad(URI.create("ws://127.0.0.1:" + port + "/gateway"), "multiwebsocket.v1", s.connections, s.inFlight,
                Load::frame, session);
    }

    private static SessionRow row(String setup, int nodes, boolean session, int port, long[] pids, Settings s) throws Exception {
        System.out.printf("%-27s warm-up %d s, %d s measured…%n", setup, s.clusterWarmup, s.clusterSeconds);
        var threads = ThreadCpu.during(pids, s.clusterWarmup, s.clusterSeconds);
        Benchmark.Round round = Benchmark.measure(load(port, session, s), pids, s.clusterWarmup, s.clusterSeconds);
        System.out.printf(Locale.ROOT, "%-27s %9.0f calls/s  p99 %7.2f ms  %7.1f µs CPU/call%s  %d errors%n", setup, round.callsPerSecond(),
                round.p99Ms(), round.cpuMicrosPerCall(), nodes > 1 ? " (sum over the nodes)" : "", round.errors());
        List<String> where = threads.get();
        where.forEach(line -> System.out.printf("%-27s   %s%n", "", line));
        return new SessionRow(setup, nodes, session, round, where);
    }
}
