package org.multiwebsocket.bench;

import java.util.Arrays;
import java.util.List;

/** The benchmark's options, from system properties (the pom passes the {@code bench.*} properties). */
final class Settings {

    final int connections = Integer.getInteger("bench.connections", 50);
    final int inFlight = Integer.getInteger("bench.inflight", 10);
    /** Seconds of load of the gateway from Payara's start (and of rpc-websockets from its start). */
    final int startup = Integer.getInteger("bench.startup", 60);
    /** Length in seconds of the slices of the from-startup series. */
    final int slice = Integer.getInteger("bench.slice", 5);
    /** Seconds of warm-up of each target before the rounds. */
    final int warmup = Integer.getInteger("bench.warmup", 15);
    final int rounds = Integer.getInteger("bench.rounds", 3);
    /** Seconds measured per target and round. */
    final int seconds = Integer.getInteger("bench.seconds", 10);
    /** Seconds between opening a turn's connections and its measured window. */
    final int settle = Integer.getInteger("bench.settle", 2);
    /** Idle connections for the heap per connection (0: no idle step). */
    final int idle = Integer.getInteger("bench.idle", 10_000);
    /** Idle connections of the scale step (0 or not above bench.idle: no scale step). */
    final int scale = Integer.getInteger("bench.scale", 100_000);
    /** Connections per client source address: the gateway's per-address limit, which the bench sets to it. */
    final int perAddress = Integer.getInteger("bench.perAddress", 1_000);
    /** Handshakes open at once while opening idle connections. */
    final int handshakes = Integer.getInteger("bench.handshakes", 100);
    final String serverCpu = System.getProperty("bench.serverCpu", "0");
    final String loadCpu = System.getProperty("bench.loadCpu", "1");
    final String serverJvm = blankToDefault(System.getProperty("bench.serverJvm"), Benchmark.DEFAULT_SERVER_JVM);
    final boolean jfr = Boolean.getBoolean("bench.jfr");
    /** More of Payara Micro's own arguments for the one-node server (e.g. {@code --postbootcommandfile f}). */
    final String payaraArgs = System.getProperty("bench.payaraArgs", "");
    /** Whether the idle step first measures the floor: as many idle connections to the bare tuned echo. */
    final boolean idleFloor = Boolean.parseBoolean(System.getProperty("bench.idleFloor", "true"));
    /** Whether the idle step also takes class histograms of the server's heap before and after (where the bytes go). */
    final boolean histogram = Boolean.parseBoolean(System.getProperty("bench.histogram", "true"));
    final List<String> targets = Arrays.stream(System.getProperty("bench.targets", "").split(","))
            .map(String::trim).filter(t -> !t.isEmpty()).toList();
    /** Whether to measure the stream and topic figures. */
    final boolean push = Boolean.parseBoolean(System.getProperty("bench.push", "true"));
    /** Whether to measure the upstream call against the same GET sent directly. */
    final boolean upstream = Boolean.parseBoolean(System.getProperty("bench.upstream", "true"));
    /** Seconds of warm-up, then seconds measured, of each push and upstream figure. */
    final int pushWarmup = Integer.getInteger("bench.pushWarmup", 5);
    final int pushSeconds = Integer.getInteger("bench.pushSeconds", 10);
    /** Connections streaming words at once. */
    final int streamConnections = Integer.getInteger("bench.streamConnections", 2);
    /** Subscribers of the topic figure. */
    final int subscribers = Integer.getInteger("bench.subscribers", 1_000);
    /** Publishes per second of the topic figure; 0: the next as soon as the previous is answered. */
    final int topicRate = Integer.getInteger("bench.topicRate", 0);
    /** Upstream figure: socket connections x calls in flight (the direct GETs: as many requests in flight). */
    final int upstreamConnections = Integer.getInteger("bench.upstreamConnections", 4);
    final int upstreamInFlight = Integer.getInteger("bench.upstreamInflight", 4);
    /** Whether to measure sessions (one node, 2-node cluster) and cross-node topic latency ({@link ClusterStep}). */
    final boolean cluster = Boolean.parseBoolean(System.getProperty("bench.cluster", "false"));
    /** Seconds of warm-up, then seconds measured, of each sessions row. */
    final int clusterWarmup = Integer.getInteger("bench.clusterWarmup", 10);
    final int clusterSeconds = Integer.getInteger("bench.clusterSeconds", 10);
    /** Seconds of load on the single node, then on the new cluster, before their rows (half without sessions, half with). */
    final int clusterNodeWarmup = Integer.getInteger("bench.clusterNodeWarmup", 120);
    /** Subscribers of the cross-node topic figure. */
    final int clusterSubscribers = Integer.getInteger("bench.clusterSubscribers", 100);
    final String payaraVersion = System.getProperty("bench.payara", "?");

    static Settings fromSystemProperties() {
        return new Settings();
    }

    private static String blankToDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
