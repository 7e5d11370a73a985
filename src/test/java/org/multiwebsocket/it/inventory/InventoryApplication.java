package org.multiwebsocket.it.inventory;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The inventory: a small, real REST service (Jakarta REST on its own Payara Micro) that {@code UpstreamIT}
 * points the gateway at. Its OpenAPI document is {@code openapi.yaml} beside this class, served by
 * {@link Document} at {@code /inventory/api/openapi.yaml}.
 */
@ApplicationPath("/api")
public class InventoryApplication extends Application {
}
