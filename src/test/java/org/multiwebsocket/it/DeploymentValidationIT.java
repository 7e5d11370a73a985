package org.multiwebsocket.it;

import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.it.broken.NoCall;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WAR whose {@code @Service} beans have problems is refused by a real Payara Micro with one message
 * that lists them all. Payara Micro is started as a process here: Arquillian has no way to expect a
 * deployment failure from this container.
 */
class DeploymentValidationIT {

    @Test
    void aDeploymentWithBrokenServicesFailsWithOneMessageListingEveryProblem() throws Exception {
        File war = new File(System.getProperty("java.io.tmpdir"), "broken-services.war");
        GatewayDeployment.productWar().addPackage(NoCall.class.getPackage())
                .as(ZipExporter.class).exportTo(war, true);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process micro = new ProcessBuilder(javaBin(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
                System.getProperty("payara.microJar", "target/payara-micro.jar"),
                "--deploy", war.getPath(), "--port", Integer.toString(port), "--nohazelcast", "--disablephonehome")
                .redirectErrorStream(true).start();
        try {
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readUntilReady(micro));
            String all = output.get(150, TimeUnit.SECONDS);
            assertTrue(all.contains("MultiWebsocket cannot deploy: 3 problem(s) with @Service beans:"), all);
            assertTrue(all.contains("the service name 'helloworld' is claimed by 2 beans: "
                    + "org.multiwebsocket.examples.helloworld.HelloWorld, org.multiwebsocket.it.broken.Twin"), all);
            assertTrue(all.contains("org.multiwebsocket.it.broken.NoCall has no public instance method named 'call'"), all);
            assertTrue(all.contains("'rpc.mine' starts with 'rpc.'"), all);
            assertFalse(all.contains("MultiWebsocket services:"), "the broken deployment registered services");
        } finally {
            micro.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** Payara Micro's output up to the line that says it is ready (it says so after a failed deployment too). */
    private static String readUntilReady(Process micro) {
        StringBuilder all = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(micro.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                all.append(line).append('\n');
                if (line.contains("Payara Micro") && line.contains("ready in")) {
                    break;
                }
            }
        } catch (java.io.IOException e) {
            all.append("could not read Payara Micro's output: ").append(e);
        }
        return all.toString();
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
