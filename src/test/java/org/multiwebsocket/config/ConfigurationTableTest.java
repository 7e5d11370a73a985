package org.multiwebsocket.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** README's configuration table against the keys the code reads, and bad values against startup. */
class ConfigurationTableTest {

    /** A configuration key as a documented constant: {@code public static final String X = "multiwebsocket.x";}. */
    private static final Pattern CONSTANT = Pattern.compile(
            "public static final String [A-Z0-9_]+ = \"(multiwebsocket\\.[a-z0-9.<>-]+)\";");
    private static final Pattern ROW = Pattern.compile("^\\| `(multiwebsocket\\.[a-z0-9.<>-]+)` \\| ([^|]+) \\| ([^|]+) \\| (.+) \\|$");
    /** A key of every upstream, {@code multiwebsocket.upstream.<name>.} followed by this. */
    private static final Pattern PER_UPSTREAM = Pattern.compile("public static final String [A-Z0-9_]+ = \"([a-z][a-z0-9.-]*)\";");
    /** Constants of that form that are no configuration key. */
    private static final Set<String> NOT_KEYS = Set.of("multiwebsocket.v1");

    @Test
    void theReadmeListsEveryKeyTheCodeReadsAndNoOther() throws IOException {
        Set<String> inCode = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher constant = CONSTANT.matcher(Files.readString(file));
                while (constant.find()) {
                    if (!NOT_KEYS.contains(constant.group(1)) && !constant.group(1).endsWith(".")) {
                        inCode.add(constant.group(1));
                    }
                }
            }
        }
        Matcher perUpstream = PER_UPSTREAM.matcher(Files.readString(
                Path.of("src/main/java/org/multiwebsocket/upstream/UpstreamConfig.java")));
        while (perUpstream.find()) {
            if (!perUpstream.group(1).endsWith(".") && !perUpstream.group(1).startsWith("multiwebsocket.")) {
                inCode.add("multiwebsocket.upstream.<name>." + perUpstream.group(1));
            }
        }
        Set<String> inReadme = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                assertTrue(!row.group(2).isBlank() && !row.group(3).isBlank() && !row.group(4).isBlank(),
                        "a key without type, default or meaning: " + line);
                inReadme.add(row.group(1));
            }
        }
        assertEquals(inCode, inReadme, "README's configuration table and the code's keys differ");
    }

    @Test
    void aBadValueFailsNamingItsKey() {
        IllegalStateException number = assertThrows(IllegalStateException.class,
                () -> GatewayConfig.of(Map.of(GatewayConfig.MAX_BATCH, "many")));
        assertTrue(number.getMessage().contains(GatewayConfig.MAX_BATCH), number.getMessage());
        IllegalStateException negative = assertThrows(IllegalStateException.class,
                () -> GatewayConfig.of(Map.of(GatewayConfig.CALL_TIMEOUT_MS, "-5")));
        assertTrue(negative.getMessage().contains(GatewayConfig.CALL_TIMEOUT_MS), negative.getMessage());
        IllegalStateException bool = assertThrows(IllegalStateException.class,
                () -> GatewayConfig.of(Map.of(GatewayConfig.ALLOW_MISSING_ORIGIN, "yes")));
        assertTrue(bool.getMessage().contains(GatewayConfig.ALLOW_MISSING_ORIGIN), bool.getMessage());
    }
}
