package org.multiwebsocket.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Payara Micro nodes with Hazelcast on, clustered on loopback (TCP/IP join, free ports, a cluster name of
 * their own, as the tests' {@code testing.Cluster} starts them), each running the gateway WAR under test
 * with {@code bench.serverJvm}, all pinned to {@code bench.serverCpu}, their output in
 * {@code target/bench/cluster-node<n>.log}.
 */
final class BenchCluster implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final List<Proc> nodes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    /** Seconds from the first node's start until the grid had formed. */
    double startSeconds;

    private BenchCluster() {
    }

    /** Starts {@code size} nodes at once and waits until each is ready and its discovery lists every node. */
    static BenchCluster start(int size, Settings s, Path out) throws Exception {
        BenchCluster cluster = new BenchCluster();
        try {
            long t0 = System.nanoTime();
            List<Integer> grid = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                cluster.ports.add(Benchmark.freePort());
                grid.add(Benchmark.freePort());
            }
            String members = grid.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
            String name = "mws-bench-" + UUID.randomUUID().toString().substring(0, 8);
            for (int i = 0; i < size; i++) {
                int port = cluster.ports.get(i);
                List<String> command = PayaraCommand.of(s, List.of("-Dmultiwebsocket.heartbeat-ms=0",
                                "-Dmultiwebsocket.node-url=ws://127.0.0.1:" + port + "/gateway"),
                        List.of("--deploy", PayaraCommand.war(), "--port", Integer.toString(port),
                                "--clustermode", "tcpip:" + members, "--interfaces", "127.0.0.1",
                                "--startport", Integer.toString(grid.get(i)), "--clustername", name, "--nohostaware"));
                cluster.nodes.add(Proc.start("cluster-node" + (i + 1), s.serverCpu, 4096, command,
                        out.resolve("cluster-node" + (i + 1) + ".log"), null));
            }
            for (Proc node : cluster.nodes) {
                if (!node.awaitLog(" ready in ", 300)) {
                    throw new IllegalStateException(node.name() + " did not start:\n" + node.tail(60));
                }
                if (!node.output().contains("runs clustered on Payara's Hazelcast grid")) {
                    throw new IllegalStateException(node.name() + " does not run clustered:\n" + node.tail(60));
                }
            }
            cluster.awaitFormed();
            cluster.startSeconds = (System.nanoTime() - t0) / 1e9;
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /** Waits (at most 120 s) until every node's discovery lists as many gateways as there are nodes. */
    private void awaitFormed() throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        for (int port : ports) {
            HttpRequest discover = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/discover"))
                    .timeout(Duration.ofSeconds(5)).build();
            while (true) {
                String body = HTTP.send(discover, HttpResponse.BodyHandlers.ofString()).body();
                if (ports.stream().allMatch(p -> body.contains("ws://127.0.0.1:" + p + "/gateway"))) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the cluster did not form: node on port " + port + " discovers " + body);
                }
                Thread.sleep(250);
            }
        }
    }

    /** @param number 1 to the size */
    int port(int number) {
        return ports.get(number - 1);
    }

    long[] pids() {
        return nodes.stream().mapToLong(Proc::pid).toArray();
    }

    @Override
    public void close() throws InterruptedException {
        for (Proc node : nodes) {
            node.close();
        }
    }
}
