/**
 * The parts of the Java client behind {@link org.multiwebsocket.client.MultiWebsocketClient}: its
 * settings, the pending-call table, the socket and HTTP transports, discovery, the reconnection
 * backoff, and the {@link org.multiwebsocket.client.internal.Engine} that wires them. Not API: only
 * the client's own package uses it, and it may change in any release.
 */
package org.multiwebsocket.client.internal;
