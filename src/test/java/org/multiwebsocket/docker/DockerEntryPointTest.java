package org.multiwebsocket.docker;

import jakarta.json.Json;
import jakarta.json.JsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Dockerfile's entry point script with a stand-in {@code java} that records its arguments: the
 * collector it picks, and the arguments it passes on. {@code DockerCommandIT} runs it with the real JDK.
 */
class DockerEntryPointTest {

    @TempDir
    Path bin;

    @Test
    void aJdkWithShenandoahRunsPayaraWithIt() throws Exception {
        List<String> java = run(true, List.of("--deploy", "/opt/payara/deployments/a b.war", "--port", "8080"));

        assertTrue(java.contains("-XX:+UseShenandoahGC"), java.toString());
        assertTrue(java.stream().noneMatch(o -> o.contains("G1")), java.toString());
        assertEquals(List.of("-jar", "/opt/payara/payara-micro.jar", "--deploy", "/opt/payara/deployments/a b.war", "--port", "8080"),
                java.subList(java.indexOf("-jar"), java.size()), "the arguments pass through whole");
    }

    @Test
    void aJdkWithoutShenandoahGetsG1WithShortPauses() throws Exception {
        List<String> java = run(false, List.of("--deploy", "x.war"));

        assertTrue(java.containsAll(List.of("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=5", "-XX:+UnlockExperimentalVMOptions",
                "-XX:G1NewSizePercent=1")), java.toString());
        assertTrue(!java.contains("-XX:+UseShenandoahGC"), java.toString());
        assertTrue(java.containsAll(List.of("-XX:MetaspaceSize=256m", "-XX:+ExitOnOutOfMemoryError")), java.toString());
    }

    /** Runs the entry point with {@code java} a script that fails the Shenandoah probe unless told otherwise. */
    private List<String> run(boolean shenandoah, List<String> arguments) throws Exception {
        Path recorded = bin.resolve("arguments");
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\n"
                + "case \"$*\" in *-version*) " + (shenandoah ? "exit 0" : "exit 1") + ";; esac\n"
                + "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" + recorded + "'\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new ArrayList<>(entryPoint());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the entry point did not end");
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("collector: " + (shenandoah ? "-XX:+UseShenandoahGC" : "-XX:+UseG1GC")),
                "the entry point says which collector it chose: " + output);
        return Files.readAllLines(recorded);
    }

    private static List<String> entryPoint() throws Exception {
        String line = Files.readAllLines(Path.of("docker", "Dockerfile")).stream()
                .filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
        return Json.createReader(new StringReader(line.substring("ENTRYPOINT ".length()))).readArray()
                .getValuesAs(JsonString::getString);
    }
}
