package org.multiwebsocket.examples.words;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import org.multiwebsocket.examples.autocomplete.Autocomplete;
import org.multiwebsocket.service.Service;

import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;

/**
 * Streams every word that starts with a prefix, one item each, optionally {@code delayMs} apart so that
 * a person can watch them arrive.
 *
 * <p>A stream is a handler that returns a {@link Flow.Publisher}. The JDK's {@link SubmissionPublisher}
 * makes one without writing a publisher by hand: for each subscriber, a producer task submits the items
 * and waits whenever the subscriber is 16 items behind (the back-pressure), and stops as soon as the
 * subscriber cancels.
 */
@Service(value = "/words/", description = "Streams the words that start with a prefix")
public class Words {

    @Inject
    Autocomplete dictionary;
    @Resource
    ManagedExecutorService executor;

    public Flow.Publisher<String> call(@Valid WordsRequest request) {
        List<String> words = dictionary.startingWith(request.prefix());
        long delayMs = request.delayMs() == null ? 0 : request.delayMs();
        return subscriber -> {
            SubmissionPublisher<String> publisher = new SubmissionPublisher<>(executor, 16);
            publisher.subscribe(subscriber);
            executor.execute(() -> produce(publisher, words, delayMs));
        };
    }

    private static void produce(SubmissionPublisher<String> publisher, List<String> words, long delayMs) {
        try {
            for (String word : words) {
                if (!publisher.hasSubscribers()) {
                    return;
                }
                if (delayMs > 0) {
                    TimeUnit.MILLISECONDS.sleep(delayMs);
                }
                publisher.submit(word);
            }
            publisher.close();
        } catch (InterruptedException e) {
            publisher.closeExceptionally(e);
        }
    }
}
