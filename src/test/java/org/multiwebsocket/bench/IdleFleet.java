package org.multiwebsocket.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Idle connections held by {@link IdleClients} processes, as many processes as the open-file limit
 * requires (each holds at most {@code perProcess} sockets), each with its own range of source addresses.
 */
final class IdleFleet implements AutoCloseable {

    /** One {@link IdleClients} process and what it last said. */
    private static final class Member {
        final Process process;
        final int count;
        volatile int opened;
        volatile int failed;
        volatile String firstFailure = "-";
        volatile boolean done;
        volatile int open = -1;
        volatile int closed = -1;

        Member(Process process, int count) {
            this.process = process;
            this.count = count;
        }
    }

    private final List<Member> members = new ArrayList<>();
    private int nextAddress;

    /**
     * @param firstAddress offset above 127.0.0.0 of the first source address (2: 127.0.0.2)
     */
    IdleFleet(int firstAddress) {
        this.nextAddress = firstAddress;
    }

    /** Opens {@code count} more connections in new processes (pinned to {@code cpus}); returns when all have answered or failed. */
    void open(String host, int port, String path, String subprotocol, int count, int perAddress, int maxPending,
              int perProcess, String cpus, long timeoutSeconds) throws IOException, InterruptedException {
        List<Member> added = new ArrayList<>();
        for (int left = count; left > 0; ) {
            int n = Math.min(left, perProcess - perProcess % perAddress);
            List<String> command = new ArrayList<>(List.of("bash", "-c",
                    "ulimit -n \"$(ulimit -Hn)\"; exec \"$@\"", "idle-clients"));
            if (!cpus.isBlank()) {
                command.addAll(List.of("taskset", "-c", cpus));
            }
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), IdleClients.class.getName(),
                    host, Integer.toString(port), path, subprotocol == null ? "-" : subprotocol, Integer.toString(n),
                    Integer.toString(nextAddress), Integer.toString(perAddress),
                    Integer.toString(Math.max(1, maxPending / Math.max(1, (count + perProcess - 1) / perProcess)))));
            nextAddress += (n + perAddress - 1) / perAddress;
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Member member = new Member(process, n);
            Thread reader = new Thread(() -> read(member), "idle-clients-" + members.size());
            reader.setDaemon(true);
            reader.start();
            members.add(member);
            added.add(member);
            left -= n;
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long nextPrint = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!added.stream().allMatch(m -> m.done || !m.process.isAlive()) && System.nanoTime() < end) {
            Thread.sleep(200);
            if (System.nanoTime() > nextPrint) {
                System.out.printf("  … %d opened, %d failed%n", opened(), failed());
                nextPrint = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            }
        }
    }

    private static void read(Member member) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(member.process.getInputStream(), StandardCharsets.US_ASCII))) {
            for (String line; (line = in.readLine()) != null; ) {
                String[] words = line.split(" ");
                switch (words[0]) {
                    case "progress" -> {
                        member.opened = Integer.parseInt(words[1]);
                        member.failed = Integer.parseInt(words[2]);
                    }
                    case "done" -> {
                        member.opened = Integer.parseInt(words[1]);
                        member.failed = Integer.parseInt(words[2]);
                        member.firstFailure = words[3];
                        member.done = true;
                    }
                    case "status" -> {
                        member.open = Integer.parseInt(words[1]);
                        member.closed = Integer.parseInt(words[2]);
                    }
                    default -> System.out.println("  idle clients: " + line);
                }
            }
        } catch (IOException ended) {
            // the process is gone
        }
    }

    int opened() {
        return members.stream().mapToInt(m -> m.opened).sum();
    }

    int failed() {
        return members.stream().mapToInt(m -> m.failed + (m.done || m.process.isAlive() ? 0 : m.count - m.opened - m.failed)).sum();
    }

    String firstFailure() {
        return members.stream().map(m -> m.firstFailure).filter(f -> !f.equals("-")).findFirst().orElse("-");
    }

    /** Connections still open now (asks every process); the ones the server closed are counted by {@link #closed()}. */
    int stillOpen() throws IOException, InterruptedException {
        for (Member m : members) {
            m.open = -1;
            if (m.process.isAlive()) {
                OutputStream out = m.process.getOutputStream();
                out.write("status\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (members.stream().anyMatch(m -> m.open < 0 && m.process.isAlive()) && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        return members.stream().mapToInt(m -> Math.max(0, m.open)).sum();
    }

    int closed() {
        return members.stream().mapToInt(m -> Math.max(0, m.closed)).sum();
    }

    int processes() {
        return members.size();
    }

    @Override
    public void close() throws InterruptedException {
        for (Member m : members) {
            try {
                m.process.getOutputStream().write("exit\n".getBytes(StandardCharsets.US_ASCII));
                m.process.getOutputStream().flush();
            } catch (IOException gone) {
                // already ended
            }
        }
        for (Member m : members) {
            if (!m.process.waitFor(20, TimeUnit.SECONDS)) {
                m.process.destroyForcibly();
            }
        }
        members.clear();
    }
}
