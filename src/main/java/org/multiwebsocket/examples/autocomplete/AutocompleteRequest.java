package org.multiwebsocket.examples.autocomplete;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The params of {@code autocomplete}.
 *
 * @param query the prefix to complete, case-insensitive
 * @param limit how many completions at most, 1 to 100; 10 when absent
 */
public record AutocompleteRequest(
        @NotNull @Size(min = 1, max = 100) String query,
        @Min(1) @Max(100) Integer limit) {
}
