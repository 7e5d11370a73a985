package org.multiwebsocket.testing;

import jakarta.json.JsonString;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * Payara Micro nodes clustered on loopback with Hazelcast on (TCP/IP join, free ports, a cluster name of
 * their own), each running the product WAR plus the test services of {@code it/services} and announcing
 * its gateway URL ({@code multiwebsocket.node-url}). Tests get the one shared instance from
 * {@link ClusterExtension}; they may stop, kill or restart nodes, and the extension starts again what a
 * previous test class left stopped.
 */
public final class Cluster implements AutoCloseable {

    /** Nodes of the shared cluster: three, so that a cluster keeps a majority when one is lost. */
    public static final int SIZE = 3;
    /**
     * The JVM options of every node: a fast start, a short heartbeat and call timeout as the other
     * integration tests have, no warm-up. Every cluster test class shares the nodes, so settings a class
     * needs go here (each node adds its own {@code multiwebsocket.node-url}).
     */
    public static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m",
            "-Dmultiwebsocket.heartbeat-ms=1000", "-Dmultiwebsocket.call-timeout-ms=3000",
            "-Dmultiwebsocket.warm-up-calls=0", "-Dmultiwebsocket.session-ttl-ms=30000",
            "-Dmultiwebsocket.session-buffer-bytes=65536", "-Dmultiwebsocket.jwt.issuer=" + Tokens.ISSUER,
            "-Dmultiwebsocket.jwt.audience=" + Tokens.AUDIENCE, "-Dmultiwebsocket.jwt.hs256-secret=" + Tokens.SECRET,
            // a member killed with -9 leaves within seconds (its port refuses at once); a busy CI machine must
            // not split the cluster: 15 s without a heartbeat, not the default minute nor less
            "-Dhazelcast.heartbeat.interval.seconds=1", "-Dhazelcast.max.no.heartbeat.seconds=15",
            // Payara stops the applications first, then leaves the grid; Hazelcast's own hook would leave at once
            "-Dhazelcast.shutdownhook.enabled=false");
    private static final long START_SECONDS = 240;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final List<Node> nodes = new ArrayList<>();
    private final String name = "mws-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final Path war;
    private final String members;
    private volatile boolean closed;

    private Cluster(int size) throws IOException {
        war = exportWar();
        List<int[]> ports = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ports.add(new int[] {MicroProcess.freePort(), MicroProcess.freePort()});
        }
        members = ports.stream().map(p -> "127.0.0.1:" + p[1]).collect(Collectors.joining(","));
        for (int i = 0; i < size; i++) {
            nodes.add(new Node(i + 1, ports.get(i)[0], ports.get(i)[1]));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::killAll, "cluster-cleanup"));
    }

    /**
     * Starts {@code size} nodes at once and waits until every one is ready and sees all the others.
     *
     * @param size how many nodes
     * @return the cluster, formed
     */
    public static Cluster start(int size) throws Exception {
        Cluster cluster = new Cluster(size);
        try {
            for (Node node : cluster.nodes) {
                node.launch();
            }
            for (Node node : cluster.nodes) {
                node.awaitReady();
            }
            cluster.awaitFormed();
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    /** The product WAR with the test services, as a file Payara Micro can deploy. */
    private static Path exportWar() throws IOException {
        File product = new File(System.getProperty("multiwebsocket.war", "target/multiwebsocket.war"));
        if (!product.isFile()) {
            throw new IllegalStateException(product + " is missing: run the tests with mvn verify");
        }
        Path file = Path.of(product.getParent(), "cluster-test.war");
        Files.deleteIfExists(file);
        ShrinkWrap.createFromZipFile(WebArchive.class, product).addPackages(false, "org.multiwebsocket.it.services")
                .as(ZipExporter.class).exportTo(file.toFile(), true);
        return file;
    }

    /** @return the nodes, node 1 first */
    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /**
     * @param number 1 to {@link #size()}
     * @return that node
     */
    public Node node(int number) {
        return nodes.get(number - 1);
    }

    public int size() {
        return nodes.size();
    }

    /** @return the nodes that are running */
    public List<Node> running() {
        return nodes.stream().filter(Node::running).toList();
    }

    /** @return the cluster's name (Hazelcast's {@code --clustername}) */
    public String name() {
        return name;
    }

    /**
     * Waits until every running node's discovery lists exactly the running nodes' announced URLs: the
     * grid has formed (or shrunk) and every announcement has reached every member.
     */
    public void awaitFormed() {
        Set<String> expected = running().stream().map(Node::announcedUrl).collect(Collectors.toSet());
        for (Node node : running()) {
            await("node " + node.number() + " sees " + expected).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> Set.copyOf(node.gateways()), expected::equals);
        }
    }

    /** Starts every node that is not running (a previous test stopped it) and waits for the whole cluster. */
    public void startStopped() throws Exception {
        List<Node> stopped = nodes.stream().filter(n -> !n.running()).toList();
        for (Node node : stopped) {
            node.launch();
        }
        for (Node node : stopped) {
            node.awaitReady();
        }
        awaitFormed();
    }

    private void killAll() {
        for (Node node : nodes) {
            node.destroy();
        }
    }

    /** Kills every node and keeps each one's output in {@code target/cluster-node<n>.log}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        killAll();
        for (Node node : nodes) {
            node.saveLog();
        }
    }

    /** One Payara Micro of the cluster. */
    public final class Node {

        private final int number;
        private final int port;
        private final int gridPort;
        private volatile MicroProcess process;
        private final StringBuilder earlierOutput = new StringBuilder();

        private Node(int number, int port, int gridPort) {
            this.number = number;
            this.port = port;
            this.gridPort = gridPort;
        }

        private void launch() throws IOException {
            if (process != null) {
                earlierOutput.append(process.output()).append("\n----- restarted -----\n");
            }
            List<String> jvm = new ArrayList<>(JVM_OPTIONS);
            jvm.add("-Dmultiwebsocket.node-url=" + announcedUrl());
            // a page loaded from one node goes on with another when its node stops
            jvm.add("-Dmultiwebsocket.allowed-origins=" + nodes.stream().map(n -> "http://127.0.0.1:" + n.port())
                    .collect(Collectors.joining(",")));
            process = MicroProcess.start(jvm,
                    List.of("--deploy", war.toString(), "--contextroot", "/", "--port", Integer.toString(port),
                            "--clustermode", "tcpip:" + members, "--interfaces", "127.0.0.1",
                            "--startport", Integer.toString(gridPort), "--clustername", name,
                            "--nohostaware", "--disablephonehome"),
                    port);
        }

        private void awaitReady() throws InterruptedException {
            if (!process.awaitReady(START_SECONDS) || process.output().contains("Exception while deploying")) {
                throw new AssertionError("node " + number + " did not start:\n" + tail(process.output()));
            }
        }

        /** @return 1 to {@link Cluster#size()} */
        public int number() {
            return number;
        }

        /** @return its HTTP port on 127.0.0.1 */
        public int port() {
            return port;
        }

        /** @return the port its Hazelcast member listens on */
        public int gridPort() {
            return gridPort;
        }

        /** @return {@code http://127.0.0.1:<port>/} */
        public URI base() {
            return URI.create("http://127.0.0.1:" + port + "/");
        }

        /** @return {@code http://127.0.0.1:<port>/<path>} */
        public URI http(String path) {
            return base().resolve(path);
        }

        /** @return its WebSocket endpoint, {@code ws://127.0.0.1:<port>/gateway} */
        public URI gateway() {
            return URI.create(announcedUrl());
        }

        /** @return the URL it announces to the cluster (its {@code multiwebsocket.node-url}) */
        public String announcedUrl() {
            return "ws://127.0.0.1:" + port + "/gateway";
        }

        /** @return the {@code gateways} its discovery lists now */
        public List<String> gateways() throws Exception {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(http("api/discover"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("discovery answered " + response.statusCode());
            }
            return Json.object(response.body()).getJsonArray("gateways").getValuesAs(JsonString::getString);
        }

        public boolean running() {
            MicroProcess current = process;
            return current != null && current.isAlive();
        }

        /** Stops it as SIGTERM does (a graceful shutdown: it leaves the grid) and waits until it has exited. */
        public void stop() throws InterruptedException {
            process.stop();
            if (!process.awaitExit(60)) {
                throw new AssertionError("node " + number + " did not stop within 60 s");
            }
        }

        /** Kills it as {@code kill -9} does: it leaves the grid without a word, its partitions lost to it. */
        public void kill() throws InterruptedException {
            process.close();
        }

        /** Starts it again on the same ports and waits until it is ready and the cluster has formed again. */
        public void restart() throws Exception {
            if (running()) {
                stop();
            }
            launch();
            awaitReady();
            awaitFormed();
        }

        /** @return everything it printed since it was last started */
        public String output() {
            return process == null ? "" : process.output();
        }

        private void destroy() {
            MicroProcess current = process;
            if (current != null) {
                try {
                    current.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void saveLog() {
            try {
                Path dir = war.getParent();
                Files.writeString(dir.resolve("cluster-node" + number + ".log"), earlierOutput + output());
            } catch (IOException e) {
                // only a convenience for debugging
            }
        }

        @Override
        public String toString() {
            return "node " + number + " (http " + port + ", grid " + gridPort + ")";
        }
    }

    private static String tail(String output) {
        return output.length() > 20_000 ? output.substring(output.length() - 20_000) : output;
    }
}
