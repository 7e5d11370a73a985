package org.multiwebsocket;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The architecture of README's "Layout of the code" as rules: dependencies point one way, the handler
 * API, the protocol and the Java client depend on nothing internal, only transports touch the
 * WebSocket and REST APIs, and only the cluster touches Hazelcast.
 */
class ArchitectureTest {

    private static final String BASE = "org.multiwebsocket";
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(BASE);
    }

    @Test
    void noPackageCycles() {
        slices().matching(BASE + ".(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    void dependenciesPointOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Api").definedBy(BASE + ".service..", BASE + ".spi..", BASE + ".protocol..")
                .layer("Config").definedBy(BASE + ".config..")
                .layer("Registry").definedBy(BASE + ".registry..")
                .layer("Discovery").definedBy(BASE + ".discovery..")
                .layer("Security").definedBy(BASE + ".security..")
                .layer("Push").definedBy(BASE + ".push..")
                .layer("Dispatch").definedBy(BASE + ".dispatch..")
                .layer("Session").definedBy(BASE + ".session..")
                .layer("Transport").definedBy(BASE + ".transport..")
                .layer("Gateway").definedBy(BASE + ".gateway..")
                .layer("Ops").definedBy(BASE + ".ops..")
                .layer("Upstream").definedBy(BASE + ".upstream..")
                .layer("Cluster").definedBy(BASE + ".cluster..")
                .layer("Examples").definedBy(BASE + ".examples..")
                .layer("Client").definedBy(BASE + ".client..")
                .whereLayer("Client").mayNotBeAccessedByAnyLayer()
                .whereLayer("Examples").mayNotBeAccessedByAnyLayer()
                .whereLayer("Ops").mayNotBeAccessedByAnyLayer()
                .whereLayer("Upstream").mayNotBeAccessedByAnyLayer()
                .whereLayer("Session").mayOnlyBeAccessedByLayers("Ops", "Cluster")
                .whereLayer("Cluster").mayNotBeAccessedByAnyLayer()
                .whereLayer("Gateway").mayOnlyBeAccessedByLayers("Ops")
                .whereLayer("Transport").mayOnlyBeAccessedByLayers("Gateway")
                .whereLayer("Dispatch").mayOnlyBeAccessedByLayers("Session", "Transport", "Gateway", "Ops", "Cluster")
                .whereLayer("Security").mayOnlyBeAccessedByLayers("Transport")
                .whereLayer("Push").mayOnlyBeAccessedByLayers("Dispatch", "Session", "Transport", "Ops", "Cluster")
                .whereLayer("Discovery").mayOnlyBeAccessedByLayers("Security", "Dispatch", "Session", "Transport",
                        "Cluster")
                .whereLayer("Registry").mayOnlyBeAccessedByLayers("Discovery", "Push", "Dispatch", "Transport", "Ops",
                        "Upstream", "Cluster")
                .whereLayer("Config").mayOnlyBeAccessedByLayers("Registry", "Discovery", "Security", "Push", "Dispatch",
                        "Session", "Transport", "Ops", "Upstream", "Cluster")
                .check(main);
    }

    @Test
    void theHandlerApiAndTheProtocolDependOnNothingInternal() {
        classes().that().resideInAnyPackage(BASE + ".service..", BASE + ".spi..", BASE + ".protocol..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(BASE + ".service..", BASE + ".spi..",
                        BASE + ".protocol..", "java..", "jakarta.json..", "jakarta.enterprise..", "org.eclipse.yasson..",
                        "org.eclipse.parsson.api..")
                .check(main);
    }

    @Test
    void theJavaClientDependsOnNothingServerSide() {
        classes().that().resideInAPackage(BASE + ".client..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(BASE + ".client..", BASE + ".protocol..",
                        "java..", "javax..", "jakarta.json..", "jakarta.websocket..", "org.eclipse.yasson..")
                .check(main);
    }

    @Test
    void onlyTransportsTouchTheWebSocketAndRestApis() {
        noClasses().that().resideOutsideOfPackages(BASE + ".transport..", BASE + ".client..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.websocket..", "jakarta.ws.rs..")
                .check(main);
    }

    @Test
    void onlyTheClusterTouchesHazelcast() {
        noClasses().that().resideOutsideOfPackage(BASE + ".cluster..")
                .should().dependOnClassesThat().resideInAnyPackage("com.hazelcast..")
                .check(main);
    }

    @Test
    void noSourceFileIsOver400LinesAndNoPackageHoldsOverAQuarterOfTheCode() throws IOException {
        Path root = Path.of("src/main/java");
        Map<Path, Long> perPackage = new HashMap<>();
        long total = 0;
        List<Path> sources;
        try (Stream<Path> files = Files.walk(root)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path source : sources) {
            long lines;
            try (Stream<String> content = Files.lines(source)) {
                lines = content.count();
            }
            assertTrue(lines <= 400, source + " has " + lines + " lines (at most 400)");
            perPackage.merge(source.getParent(), lines, Long::sum);
            total += lines;
        }
        for (Map.Entry<Path, Long> entry : perPackage.entrySet()) {
            assertTrue(entry.getValue() * 4 <= total, entry.getKey() + " holds " + entry.getValue() + " of "
                    + total + " lines (at most a quarter)");
        }
    }
}
