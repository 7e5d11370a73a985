package org.multiwebsocket.client.example;

import jakarta.json.JsonValue;
import org.multiwebsocket.client.MultiWebsocketClient;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The original library's example, in Java: connects, then twice a second-ish performs two requests
 * through the gateway (helloworld and autocomplete), printing each answer with its round-trip time.
 *
 * <pre>java org.multiwebsocket.client.example.ExampleClient [discovery-url] [rounds]</pre>
 * Without rounds it runs until stopped.
 */
public class ExampleClient extends MultiWebsocketClient {

    private static final String[] QUERIES = {"ab", "ca", "de", "mo", "pre", "sta", "tr", "un"};

    public ExampleClient() {
        this("http://localhost:8080/api/discover");
    }

    public ExampleClient(String discoveryUrl) {
        config().put("service-discovery-url", discoveryUrl);
    }

    public CompletableFuture<JsonValue> helloWorld() {
        return callService("/helloworld/", Map.of());
    }

    public CompletableFuture<JsonValue> autocomplete(String query) {
        return callService("/autocomplete/", Map.of("query", query, "limit", 5));
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "http://localhost:8080/api/discover";
        long rounds = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE;
        try (ExampleClient client = new ExampleClient(url)) {
            client.connect().get(30, TimeUnit.SECONDS);
            System.out.println("connected to the gateway of " + url + " over " + client.transport());
            for (long round = 0; round < rounds; round++) {
                long start = System.nanoTime();
                print("helloworld", start, client.helloWorld());
                long second = System.nanoTime();
                print("autocomplete", second, client.autocomplete(QUERIES[(int) (round % QUERIES.length)]));
                if (round + 1 < rounds) {
                    Thread.sleep(1_000);
                }
            }
        }
    }

    private static void print(String service, long startNanos, CompletableFuture<JsonValue> call) {
        try {
            JsonValue answer = call.get(10, TimeUnit.SECONDS);
            System.out.printf("%-12s %7.2f ms  %s%n", service, (System.nanoTime() - startNanos) / 1e6, answer);
        } catch (Exception e) {
            System.out.printf("%-12s failed: %s%n", service, e.getCause() == null ? e : e.getCause());
        }
    }
}
