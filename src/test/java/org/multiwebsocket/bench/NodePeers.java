package org.multiwebsocket.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Node.js peers of the benchmark: the scripts and the lock file of {@code src/test/bench/node},
 * installed with {@code npm ci} into {@code target/bench/node} (again only when the lock file changed),
 * Node.js itself from Debian's packages when the machine has none.
 */
final class NodePeers {

    static final Path SOURCE = Path.of("src", "test", "bench", "node");

    private NodePeers() {
    }

    /** Copies the peers to {@code into} and installs their packages; returns {@code node --version}. */
    static String prepare(Path into) throws IOException, InterruptedException {
        if (!onPath("node") || !onPath("npm")) {
            System.out.println("Node.js is missing: installing Debian's nodejs and npm…");
            Proc.run(List.of("apt-get", "update", "-q"), null, 600);
            Proc.run(List.of("apt-get", "install", "-y", "-q", "nodejs", "npm"), null, 900);
        }
        Files.createDirectories(into);
        try (Stream<Path> files = Files.list(SOURCE)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, into.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path lock = into.resolve("package-lock.json");
        Path installed = into.resolve("node_modules").resolve(".bench-installed-lock.json");
        if (!Files.exists(installed) || Files.mismatch(lock, installed) != -1) {
            System.out.println("npm ci (the peers' pinned packages) into " + into + "…");
            Proc.run(List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"), into, 600);
            Files.copy(lock, installed, StandardCopyOption.REPLACE_EXISTING);
        }
        return Proc.run(List.of("node", "--version"), into, 30).trim();
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
