package org.multiwebsocket.examples.helloworld;

import jakarta.validation.constraints.Size;

/**
 * The params of {@code helloworld}.
 *
 * @param name who to greet; optional
 */
public record HelloRequest(@Size(max = 100, message = "must be at most 100 characters") String name) {
}
