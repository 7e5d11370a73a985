package org.multiwebsocket.examples.words;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * @param prefix  the words' prefix, any case; empty streams every word
 * @param delayMs a pause before each word, at most one second; none when absent
 */
public record WordsRequest(@NotNull @Size(max = 50) String prefix, @PositiveOrZero @Max(1000) Long delayMs) {
}
