package org.multiwebsocket.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A Payara Micro started as a process of its own, for the tests Arquillian cannot express: a
 * deployment expected to fail, a server stopped mid-call, several nodes behind a proxy.
 */
public final class MicroProcess implements AutoCloseable {

    /** What Payara Micro prints when it cannot start (it may stay alive, its grid member with it). */
    private static final String STARTUP_FAILED = "Shutting down server due to startup exception";
    /** JVM options that make Payara Micro start in about half the time, for tests (not for benchmarks). */
    public static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final Process process;
    private final StringBuilder output = new StringBuilder();
    private final int port;

    private MicroProcess(List<String> command, int port) throws IOException {
        this.port = port;
        this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    synchronized (output) {
                        output.append(line).append('\n');
                        output.notifyAll();
                    }
                }
            } catch (IOException ended) {
                // the process is gone
            }
            synchronized (output) {
                output.notifyAll();
            }
        }, "payara-micro-output-" + port);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code java [jvmOptions] -jar payara-micro.jar [arguments]}.
     *
     * @param jvmOptions options before {@code -jar}
     * @param arguments  Payara Micro's arguments, the port among them
     * @param port       the port the arguments name
     */
    public static MicroProcess start(List<String> jvmOptions, List<String> arguments, int port) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(System.getProperty("payara.microJar", "target/payara-micro.jar"));
        command.addAll(arguments);
        return new MicroProcess(command, port);
    }

    /**
     * Runs a command that ends up running Payara Micro (a shell script that {@code exec}s it, as a
     * container's entry point does).
     *
     * @param command the command
     * @param port    the port Payara Micro is told to listen on
     */
    public static MicroProcess run(List<String> command, int port) throws IOException {
        return new MicroProcess(command, port);
    }

    /**
     * A port free now, chosen below the kernel's ephemeral range where it can: outgoing connections (the
     * cluster's own, between its members) take their local ports from that range, and one of them took a
     * port chosen there before the node meant to listen on it had started (a CI run's node failed with
     * {@code BindException}). Never the same port twice in this JVM.
     */
    public static int freePort() throws IOException {
        int below = ephemeralLow();
        for (int attempt = 0; below - LOWEST_PORT >= 1000 && attempt < 200; attempt++) {
            int port = LOWEST_PORT + RANDOM.nextInt(below - LOWEST_PORT);
            if (HANDED_OUT.add(port) && bindable(port)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            HANDED_OUT.add(socket.getLocalPort());
            return socket.getLocalPort();
        }
    }

    private static final int LOWEST_PORT = 10_000;
    private static final Random RANDOM = new Random();
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private static int ephemeralLow() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException unknown) {
            return 0;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** @return the operating system's id of the process */
    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    /** @return whether the process is still running */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until Payara Micro says it is ready (it says so after a failed deployment too), or exits.
     *
     * @return whether it became ready
     */
    public boolean awaitReady(long timeoutSeconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        synchronized (output) {
            while (!output.toString().contains(" ready in ") && !output.toString().contains(STARTUP_FAILED)
                    && process.isAlive() && System.nanoTime() < end) {
                output.wait(500);
            }
            return output.toString().contains(" ready in ");
        }
    }

    /** Everything it printed so far. */
    public String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    /** Asks it to stop, as SIGTERM does. */
    public void stop() {
        process.destroy();
    }

    public boolean awaitExit(long timeoutSeconds) throws InterruptedException {
        return process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }
}
