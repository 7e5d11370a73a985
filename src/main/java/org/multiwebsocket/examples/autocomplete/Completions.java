package org.multiwebsocket.examples.autocomplete;

import java.util.List;

/**
 * The answer of {@code autocomplete}.
 *
 * @param query       the query as asked
 * @param completions the words that start with it, sorted
 */
public record Completions(String query, List<String> completions) {
}
