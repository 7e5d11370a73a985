package org.multiwebsocket.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.client.MultiWebsocketClient;
import org.multiwebsocket.client.ServiceCallException;
import org.multiwebsocket.client.ServiceName;
import org.multiwebsocket.it.JavaClientStreamsIT.Collector;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java client's typed proxies ({@code proxy(Api.class)}) against the example services of a real gateway. */
class TypedClientIT extends GatewayDeployment {

    public record Hello(String name) {
    }

    public record Greeting(String greeting, String transport) {
    }

    public record Query(String query, int limit) {
    }

    public record Completions(String query, List<String> completions) {
    }

    public record Words(String prefix, long delayMs) {
    }

    /** The example services, typed. */
    public interface Examples {
        @ServiceName("/helloworld/")
        CompletableFuture<Greeting> hello(Hello who);

        @ServiceName("helloworld")
        CompletableFuture<JsonObject> helloAnyone();

        @ServiceName("autocomplete")
        CompletableFuture<Completions> complete(Query query);

        @ServiceName("/words/")
        Flow.Publisher<String> words(Words request);

        default String greet(String name) {
            return hello(new Hello(name)).thenApply(Greeting::greeting).join();
        }
    }

    public interface Misfits {
        @ServiceName("nosuch")
        CompletableFuture<JsonValue> unserved();

        @ServiceName("words")
        CompletableFuture<List<String>> streamAsCall(Words request);

        @ServiceName("helloworld")
        Flow.Publisher<Greeting> callAsStream();

        CompletableFuture<Greeting> unannotated();

        @ServiceName("autocomplete")
        CompletableFuture<Completions> twoArguments(String query, int limit);
    }

    /** A program of its own: run with the client jar as its only library. */
    public static final class Program {
        public static void main(String[] args) throws Exception {
            try (MultiWebsocketClient client = new MultiWebsocketClient(URI.create(args[0]))) {
                client.connect().get(30, SECONDS);
                Examples examples = client.proxy(Examples.class);
                System.out.println(examples.hello(new Hello("Jar")).get(10, SECONDS));
                System.out.println(examples.complete(new Query("ab", 2)).get(10, SECONDS));
                CompletableFuture<Long> words = new CompletableFuture<>();
                examples.words(new Words("ab", 0)).subscribe(new Flow.Subscriber<>() {
                    private long count;

                    public void onSubscribe(Flow.Subscription subscription) {
                        subscription.request(Long.MAX_VALUE);
                    }

                    public void onNext(String word) {
                        count++;
                    }

                    public void onError(Throwable error) {
                        words.completeExceptionally(error);
                    }

                    public void onComplete() {
                        words.complete(count);
                    }
                });
                System.out.println("words " + words.get(10, SECONDS));
            }
        }
    }

    private MultiWebsocketClient connected() throws Exception {
        MultiWebsocketClient client = new MultiWebsocketClient(uri("api/discover"));
        client.connect().get(10, SECONDS);
        return client;
    }

    @Test
    void callsThroughTheProxyAreBoundToTheirTypes() throws Exception {
        try (MultiWebsocketClient client = connected()) {
            Examples examples = client.proxy(Examples.class);
            assertEquals(new Greeting("Hello, Ada!", "websocket"), examples.hello(new Hello("Ada")).get(5, SECONDS));
            assertEquals(new Greeting("Hello, World!", "websocket"), examples.hello(null).get(5, SECONDS), "null sends no params");
            assertEquals("Hello, World!", examples.helloAnyone().get(5, SECONDS).getString("greeting"));
            assertEquals("Hello, Bob!", examples.greet("Bob"), "default methods run as written");
            Completions completions = examples.complete(new Query("ab", 3)).get(5, SECONDS);
            assertEquals("ab", completions.query());
            assertEquals(3, completions.completions().size(), completions.toString());
            assertTrue(completions.completions().stream().allMatch(w -> w.startsWith("ab")), completions.toString());

            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> examples.hello(new Hello("x".repeat(101))).get(5, SECONDS));
            assertEquals(-32602, assertInstanceOf(ServiceCallException.class, refused.getCause()).code());
            assertTrue(examples.toString().contains(Examples.class.getName()), examples.toString());
        }
    }

    @Test
    void aStreamThroughTheProxyDeliversItsItems() throws Exception {
        try (MultiWebsocketClient client = connected()) {
            Collector<String> typed = new Collector<>(2);
            client.proxy(Examples.class).words(new Words("ab", 0)).subscribe(typed);
            typed.done.get(10, SECONDS);
            Collector<String> untyped = new Collector<>(Long.MAX_VALUE);
            client.stream("words", Map.of("prefix", "ab"), String.class).subscribe(untyped);
            untyped.done.get(10, SECONDS);
            assertFalse(typed.items.isEmpty());
            assertTrue(typed.items.stream().allMatch(w -> w.startsWith("ab")), typed.items.toString());
            assertEquals(untyped.items, typed.items);
        }
    }

    @Test
    void aTypedProgramNeedsOnlyTheClientJar() throws Exception {
        String jar = System.getProperty("multiwebsocket.clientJar");
        String program = Path.of(Program.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Process run = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-cp",
                jar + File.pathSeparator + program, Program.class.getName(), uri("api/discover").toString())
                .redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        try {
            assertTrue(run.waitFor(60, SECONDS), "the program did not finish");
            String printed = output.get(5, SECONDS);
            assertEquals(0, run.exitValue(), printed);
            assertTrue(printed.contains("Greeting[greeting=Hello, Jar!, transport=websocket]"), printed);
            assertTrue(printed.contains("Completions[query=ab, completions=[ab"), printed);
            assertTrue(printed.lines().anyMatch(l -> l.matches("words [1-9][0-9]*")), printed);
        } finally {
            run.destroyForcibly();
        }
    }

    @Test
    void anInterfaceThatDoesNotFitTheGatewayIsRefusedWhenTheProxyIsMade() throws Exception {
        MultiWebsocketClient unconnected = new MultiWebsocketClient(uri("api/discover"));
        assertThrows(IllegalStateException.class, () -> unconnected.proxy(Examples.class), "no discovery yet");
        unconnected.close();
        try (MultiWebsocketClient client = connected()) {
            String message = assertThrows(IllegalArgumentException.class, () -> client.proxy(Misfits.class)).getMessage();
            for (String expected : List.of("unserved(): the gateway serves no service 'nosuch' (discovery lists [",
                    "streamAsCall(): 'words' is a stream: return Flow.Publisher<T>",
                    "callAsStream(): 'helloworld' is no stream: return CompletableFuture<T>",
                    "unannotated(): has no @ServiceName", "twoArguments(): takes 2 arguments; at most one, the params")) {
                assertTrue(message.contains(expected), "'" + expected + "' in: " + message);
            }
            assertTrue(message.startsWith(Misfits.class.getName() + " does not fit the gateway: "), message);
            assertEquals("Hello, Eve!", client.proxy(Examples.class).greet("Eve"), "the client is unharmed");
        }
    }
}
