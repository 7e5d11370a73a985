/**
 * The gateway node as its operators and handlers see it: {@link org.multiwebsocket.gateway.Gateway}
 * counts and closes connections. Everything else of the server is internal.
 */
package org.multiwebsocket.gateway;
