package org.multiwebsocket.examples.chat;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A chat message as sent.
 *
 * @param name who says it, at most 40 characters
 * @param text what they say, not blank, at most 500 characters
 */
public record ChatMessage(@NotBlank @Size(max = 40) String name, @NotBlank @Size(max = 500) String text) {
}
