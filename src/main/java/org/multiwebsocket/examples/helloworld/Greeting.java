package org.multiwebsocket.examples.helloworld;

/**
 * The answer of {@code helloworld}.
 *
 * @param greeting the greeting
 * @param transport how the call arrived ({@code websocket} or {@code http})
 */
public record Greeting(String greeting, String transport) {
}
