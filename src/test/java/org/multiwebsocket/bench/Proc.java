package org.multiwebsocket.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server process of the benchmark, pinned to CPUs with {@code taskset}, its open-file limit raised as
 * far as the machine allows, its output in a log file; and what {@code /proc} says about a process.
 */
final class Proc implements AutoCloseable {

    /** Raises the soft open-file limit to {@code $1} (or to the hard limit when that is lower), then execs the rest. */
    private static final String LIMIT_AND_EXEC =
            "n=$1; shift; h=$(ulimit -Hn); if [ \"$h\" != unlimited ] && [ \"$h\" -lt \"$n\" ]; then n=$h; fi; "
                    + "ulimit -n \"$n\" 2>/dev/null || ulimit -n \"$h\"; exec \"$@\"";

    private final String name;
    private final Process process;
    private final Path log;

    private Proc(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} on {@code cpus} (a taskset list such as {@code 0}; empty for no pinning) with
     * at least {@code openFiles} open files if the hard limit allows, output to {@code log}. The process's
     * id is the command's: the shell and taskset exec it.
     */
    static Proc start(String name, String cpus, int openFiles, List<String> command, Path log, Path directory) throws IOException {
        List<String> full = new ArrayList<>(List.of("bash", "-c", LIMIT_AND_EXEC, "bench-" + name, Integer.toString(openFiles)));
        if (!cpus.isBlank()) {
            full.addAll(List.of("taskset", "-c", cpus));
        }
        full.addAll(command);
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        return new Proc(name, builder.start(), log);
    }

    /** Waits until the log contains {@code marker}, or the process exits, or the time is up. */
    boolean awaitLog(String marker, long timeoutSeconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < end) {
            if (output().contains(marker)) {
                return true;
            }
            if (!process.isAlive()) {
                return output().contains(marker);
            }
            Thread.sleep(100);
        }
        return false;
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines of the log, for an error message. */
    String tail(int lines) {
        String[] all = output().split("\n");
        return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static final long NANOS_PER_TICK = 1_000_000_000L / clockTicks();

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            getconf.waitFor();
            return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    /** User plus system CPU time of a process (all its threads), from /proc. */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * NANOS_PER_TICK;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CPU time of process " + pid, e);
        }
    }

    /**
     * Write system calls a process has made (all its threads), {@code syscw} of {@code /proc/<pid>/io}:
     * for a server on sockets, about one per flush of its output. -1 when it cannot be read.
     */
    static long writeCalls(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "io"))) {
                if (line.startsWith("syscw:")) {
                    return Long.parseLong(line.substring("syscw:".length()).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** User and system CPU time of a process (all its threads), from /proc: {user, system}. */
    static long[] cpuNanosSplit(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[]{Long.parseLong(fields[11]) * NANOS_PER_TICK, Long.parseLong(fields[12]) * NANOS_PER_TICK};
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CPU time of process " + pid, e);
        }
    }

    /** User plus system CPU time of several processes, summed. */
    static long cpuNanos(long[] pids) {
        return java.util.Arrays.stream(cpuNanosEach(pids)).sum();
    }

    /** User plus system CPU time of each process. */
    static long[] cpuNanosEach(long[] pids) {
        long[] each = new long[pids.length];
        for (int i = 0; i < pids.length; i++) {
            each[i] = cpuNanos(pids[i]);
        }
        return each;
    }

    /** Resident set size in bytes, from /proc; -1 when the process is gone. */
    static long rssBytes(long pid) {
        try {
            Matcher m = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The soft open-file limit of a process, from /proc; {@code Long.MAX_VALUE} when unlimited. */
    static long openFileLimit(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no open-file limit in /proc/" + pid + "/limits");
    }

    /** The hard open-file limit of this process: no child can be given more without CAP_SYS_RESOURCE. */
    static long hardOpenFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String hard = line.substring("Max open files".length()).trim().split("\\s+")[1];
                    return hard.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(hard);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return -1;
    }

    /** File descriptors a process has open now. */
    static int openFiles(long pid) {
        String[] fds = Path.of("/proc", Long.toString(pid), "fd").toFile().list();
        return fds == null ? -1 : fds.length;
    }

    /** Pins this process, every thread of it, to {@code cpus}; false when taskset failed. */
    static boolean pinSelf(String cpus) throws IOException, InterruptedException {
        Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).start();
        taskset.getInputStream().readAllBytes();
        return taskset.waitFor() == 0;
    }

    /** Runs a short command, returns its output (stdout and stderr). */
    static String run(List<String> command, Path directory, long timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "):\n" + text);
        }
        return text;
    }
}
