/**
 * The gateway's service provider interfaces: what an application may plug in (a
 * {@link org.multiwebsocket.spi.TokenVerifier} for bearer tokens, a
 * {@link org.multiwebsocket.spi.GatewayEvents} sink for metrics) and the types they exchange.
 */
package org.multiwebsocket.spi;
