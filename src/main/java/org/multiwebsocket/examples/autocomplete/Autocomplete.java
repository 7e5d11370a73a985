package org.multiwebsocket.examples.autocomplete;

import jakarta.annotation.PostConstruct;
import org.multiwebsocket.service.NonBlocking;
import org.multiwebsocket.service.Service;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Completes a prefix from a list of about 6,000 English words (a sample of SCOWL, as shipped by
 * Debian's wamerican), case-insensitive, sorted, at most {@code limit} of them.
 */
@NonBlocking
@Service(value = "/autocomplete/", description = "Completes a prefix")
public class Autocomplete {

    private static final int DEFAULT_LIMIT = 10;

    private String[] words;

    @PostConstruct
    void load() {
        try (InputStream in = Autocomplete.class.getResourceAsStream("words.txt")) {
            if (in == null) {
                throw new IllegalStateException("words.txt is missing beside " + Autocomplete.class.getName());
            }
            words = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::strip).filter(w -> !w.isEmpty())
                    .map(w -> w.toLowerCase(Locale.ROOT)).distinct().sorted().toArray(String[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param prefix a prefix, any case
     * @return every word that starts with it, sorted
     */
    public List<String> startingWith(String prefix) {
        String lower = prefix.toLowerCase(Locale.ROOT);
        int from = Arrays.binarySearch(words, lower);
        if (from < 0) {
            from = -from - 1;
        }
        int to = from;
        while (to < words.length && words[to].startsWith(lower)) {
            to++;
        }
        return List.of(Arrays.copyOfRange(words, from, to));
    }

    public Completions call(AutocompleteRequest request) {
        String prefix = request.query().toLowerCase(Locale.ROOT);
        int limit = request.limit() == null ? DEFAULT_LIMIT : request.limit();
        int from = Arrays.binarySearch(words, prefix);
        if (from < 0) {
            from = -from - 1;
        }
        int to = from;
        while (to < words.length && to - from < limit && words[to].startsWith(prefix)) {
            to++;
        }
        return new Completions(request.query(), List.of(Arrays.copyOfRange(words, from, to)));
    }
}
