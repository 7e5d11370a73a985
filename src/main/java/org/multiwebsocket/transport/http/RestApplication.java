package org.multiwebsocket.transport.http;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The HTTP side of the gateway lives under {@code /api}: discovery and the HTTP transport. */
@ApplicationPath("api")
public class RestApplication extends Application {
}
