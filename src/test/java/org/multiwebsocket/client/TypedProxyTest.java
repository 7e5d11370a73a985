package org.multiwebsocket.client;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checks {@code proxy()} makes against a discovery document, and what its proxies do, without a gateway. */
class TypedProxyTest {

    public record Greeting(String greeting, String transport) {
    }

    public record Hello(String name) {
    }

    interface Examples {
        @ServiceName("/helloworld/")
        CompletableFuture<Greeting> hello(Hello who);

        @ServiceName("helloworld")
        CompletableFuture<JsonValue> helloRaw();

        @ServiceName("autocomplete")
        CompletableFuture<Map<String, List<String>>> complete(Map<String, Object> query);

        @ServiceName("words")
        Flow.Publisher<String> words(Map<String, Object> params);

        default CompletableFuture<String> greeting(String name) {
            return hello(new Hello(name)).thenApply(Greeting::greeting);
        }
    }

    interface Unserved {
        @ServiceName("nosuch")
        CompletableFuture<JsonValue> missing();
    }

    interface StreamAsCall {
        @ServiceName("words")
        CompletableFuture<List<String>> words(Map<String, Object> params);
    }

    interface CallAsStream {
        @ServiceName("helloworld")
        Flow.Publisher<Greeting> hello();
    }

    interface Unannotated {
        CompletableFuture<Greeting> hello();
    }

    interface TwoArguments {
        @ServiceName("helloworld")
        CompletableFuture<Greeting> hello(String first, String second);
    }

    interface ScalarArgument {
        @ServiceName("helloworld")
        CompletableFuture<Greeting> hello(String name);
    }

    interface Blocking {
        @ServiceName("helloworld")
        Greeting hello();
    }

    interface Everything extends Unserved, CallAsStream, TwoArguments {
        CompletableFuture<Greeting> plain();
    }

    private static final Discovered DISCOVERED = new Discovered(List.of("ws://localhost/gateway"), null,
            Set.of("helloworld", "autocomplete", "words"), 30_000, 25_000, 256, 65_536, 64, Set.of("words"));

    private final Engine engine = new Engine("typed-proxy-test", new ConcurrentHashMap<>());

    @AfterEach
    void close() {
        engine.close();
    }

    private <A> String refusal(Class<A> api) {
        return assertThrows(IllegalArgumentException.class, () -> TypedProxy.create(api, DISCOVERED, engine)).getMessage();
    }

    @Test
    void discoveryMarksStreamsUnderEveryFormOfTheirName() {
        Discovered found = Discovered.of(Json.createObjectBuilder().add("services", Json.createObjectBuilder()
                .add("helloworld", Json.createObjectBuilder().add("transports", Json.createArrayBuilder().add("http")))
                .add("words", Json.createObjectBuilder().add("stream", true))
                .add("odd", Json.createObjectBuilder().add("stream", "yes"))).build());
        assertEquals(Set.of("helloworld", "words", "odd"), found.services());
        assertEquals(Set.of("words"), found.streams());
        assertTrue(found.isStream("/words/") && found.isStream("words"));
        assertFalse(found.isStream("helloworld") || found.isStream("odd") || found.isStream("rpc.discover"));
    }

    @Test
    void aFittingInterfaceBecomesCallsAndStreams() throws Exception {
        Examples examples = TypedProxy.create(Examples.class, DISCOVERED, engine);
        CompletableFuture<Greeting> hello = examples.hello(new Hello("Ada"));
        CompletableFuture<JsonValue> raw = examples.helloRaw();
        CompletableFuture<String> viaDefault = examples.greeting("Bob");
        Flow.Publisher<String> words = examples.words(Map.of("prefix", "ab"));
        assertNotNull(words);
        assertFalse(hello.isDone() || raw.isDone() || viaDefault.isDone(), "calls wait until the client connects");
        engine.close();
        for (CompletableFuture<?> call : List.of(hello, raw, viaDefault, examples.complete(Map.of("query", "ab")))) {
            ExecutionException failed = assertThrows(ExecutionException.class, () -> call.get(5, SECONDS));
            assertInstanceOf(ConnectionLostException.class, failed.getCause());
        }
    }

    @Test
    void objectMethodsAreTheProxysOwn() {
        Examples one = TypedProxy.create(Examples.class, DISCOVERED, engine);
        Examples other = TypedProxy.create(Examples.class, DISCOVERED, engine);
        assertEquals(one, one);
        assertNotEquals(one, other);
        assertEquals(System.identityHashCode(one), one.hashCode());
        assertTrue(one.toString().contains(Examples.class.getName()), one.toString());
    }

    @Test
    void aServiceTheGatewayDoesNotServeIsNamedWithTheServicesItDoes() {
        String message = refusal(Unserved.class);
        assertTrue(message.contains(Unserved.class.getName()) && message.contains("missing()")
                && message.contains("no service 'nosuch'") && message.contains("[autocomplete, helloworld, words]"), message);
    }

    @Test
    void aCallMustNotBeBoundToAStreamNorAStreamToACall() {
        String streamAsCall = refusal(StreamAsCall.class);
        assertTrue(streamAsCall.contains("'words' is a stream: return Flow.Publisher<T>"), streamAsCall);
        String callAsStream = refusal(CallAsStream.class);
        assertTrue(callAsStream.contains("'helloworld' is no stream: return CompletableFuture<T>"), callAsStream);
    }

    @Test
    void eachMethodNeedsTheAnnotationAtMostOneObjectArgumentAndAnAsynchronousResult() {
        assertTrue(refusal(Unannotated.class).contains("hello(): has no @ServiceName"));
        assertTrue(refusal(TwoArguments.class).contains("hello(): takes 2 arguments; at most one, the params"));
        assertTrue(refusal(ScalarArgument.class).contains("its argument, a String, is no JSON object or array"));
        assertTrue(refusal(Blocking.class).contains("returns Greeting; a call returns CompletableFuture<T>"));
        String message = assertThrows(IllegalArgumentException.class,
                () -> TypedProxy.create(Greeting.class, DISCOVERED, engine)).getMessage();
        assertTrue(message.contains("needs an interface"), message);
    }

    @Test
    void everyMisfitIsNamedAtOnce() {
        String message = refusal(Everything.class);
        assertTrue(message.contains("missing(): ") && message.contains("'helloworld' is no stream")
                && message.contains("takes 2 arguments") && message.contains("plain(): has no @ServiceName"), message);
    }

    @Test
    void aProxyNeedsDiscoveryFirst() {
        try (MultiWebsocketClient client = new MultiWebsocketClient(URI.create("http://localhost:1/api/discover"))) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> client.proxy(Examples.class));
            assertTrue(refused.getMessage().contains("once connect() has completed"), refused.getMessage());
        }
    }
}
