/**
 * The API for handler authors: annotate a CDI bean with {@link org.multiwebsocket.service.Service},
 * give it a {@code call} method, and the gateway serves it over WebSocket and HTTP.
 */
package org.multiwebsocket.service;
