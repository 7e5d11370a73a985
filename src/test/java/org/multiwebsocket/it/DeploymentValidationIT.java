package org.multiwebsocket.it;

import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.it.broken.NoCall;
import org.multiwebsocket.service.Service;
import org.multiwebsocket.testing.MicroProcess;

import java.io.File;
import java.util.List;

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
        int port = MicroProcess.freePort();
        try (MicroProcess micro = MicroProcess.start(MicroProcess.FAST_START, List.of("--deploy", war.getPath(),
                "--port", Integer.toString(port), "--nohazelcast", "--disablephonehome"), port)) {
            micro.awaitReady(150);
            String all = micro.output();
            assertTrue(all.contains("MultiWebsocket cannot deploy: 3 problem(s) with @Service and @Topic declarations:"), all);
            assertTrue(all.contains("the service name 'helloworld' is claimed by 2 beans: "
                    + "org.multiwebsocket.examples.helloworld.HelloWorld, org.multiwebsocket.it.broken.Twin"), all);
            assertTrue(all.contains("org.multiwebsocket.it.broken.NoCall has no public instance method named 'call'"), all);
            assertTrue(all.contains("'rpc.mine' starts with 'rpc.'"), all);
            assertFalse(all.contains("MultiWebsocket services:"), "the broken deployment registered services");
        }
    }
}
