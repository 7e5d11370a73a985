package org.multiwebsocket.typescript;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The browser client's TypeScript declarations (src/main/webapp/multiwebsocket.d.ts) type-check the
 * README's TypeScript example and the further checks beside it (src/test/typescript): in
 * target/typescript-check, {@code npm ci} installs the TypeScript pinned by package-lock.json, then
 * {@code tsc --noEmit} runs in strict mode. Needs Node.js and npm (and the npm registry, or npm's cache).
 */
class TypeScriptDeclarationsTest {

    private static final Path SOURCES = Path.of("src/test/typescript");
    private static final Path DECLARATIONS = Path.of("src/main/webapp/multiwebsocket.d.ts");
    private static final Path WORK = Path.of("target/typescript-check");
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "tsconfig.json",
            "example.ts", "checks.ts");
    private static final Pattern TS_BLOCK = Pattern.compile("```ts\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theReadmeShowsTheExampleThatIsTypeChecked() throws IOException {
        String example = Files.readString(SOURCES.resolve("example.ts"), StandardCharsets.UTF_8);
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        List<String> blocks = new ArrayList<>();
        Matcher block = TS_BLOCK.matcher(readme);
        while (block.find()) {
            blocks.add(block.group(1));
        }
        assertTrue(blocks.contains(example), "README.md has no ```ts block equal to src/test/typescript/example.ts; "
                + "its ts blocks: " + blocks);
    }

    @Test
    void theExampleAndTheChecksTypeCheckAgainstTheDeclarations() throws Exception {
        prepare();
        String npm = executable("npm");
        run(List.of(npm, "ci", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"), 300);
        Result tsc = run(List.of(executable("npx"), "--no-install", "tsc", "--noEmit", "-p", "tsconfig.json"), 180);
        assertEquals("", tsc.output().strip(), "tsc printed errors");
    }

    /** A fresh target/typescript-check with the sources and the declarations, node_modules aside. */
    private static void prepare() throws IOException {
        if (Files.isDirectory(WORK)) {
            try (Stream<Path> old = Files.walk(WORK)) {
                for (Path path : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(WORK);
        for (String file : FILES) {
            Files.copy(SOURCES.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.copy(DECLARATIONS, WORK.resolve("multiwebsocket.d.ts"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** The program on the PATH, or a failure that says what to install. */
    private static String executable(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(File.pathSeparator)) {
            File candidate = new File(directory, name);
            if (candidate.isFile() && candidate.canExecute()) {
                return candidate.getAbsolutePath();
            }
        }
        return fail(name + " is not on the PATH: this test type-checks the TypeScript declarations with Node.js "
                + "and npm (Debian: apt-get install nodejs npm)");
    }

    private record Result(int exit, String output) {
    }

    /** Runs a command in target/typescript-check; fails on a non-zero exit or past the timeout, with its output. */
    private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile(WORK.toAbsolutePath(), "out", ".log");
        Process process = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail(String.join(" ", command) + " took more than " + timeoutSeconds + " s:\n" + Files.readString(log));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                fail(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + output);
            }
            return new Result(process.exitValue(), output);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
