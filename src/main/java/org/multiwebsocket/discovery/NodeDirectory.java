package org.multiwebsocket.discovery;

import java.util.List;

/**
 * The gateways the nodes of a cluster announce: a CDI bean implementing it (the cluster's) adds them
 * to discovery's {@code gateways}, beside the configured ones.
 */
public interface NodeDirectory {

    /**
     * @return the announced gateway URLs (absolute, or paths resolved like {@code gateway-urls} entries)
     *         of the current members, in the same order on every node; empty without a cluster
     */
    List<String> announcedGatewayUrls();
}
