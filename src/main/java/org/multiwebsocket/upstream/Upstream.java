package org.multiwebsocket.upstream;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import jakarta.json.JsonValue;
import org.multiwebsocket.protocol.RpcError;
import org.multiwebsocket.registry.RpcFailure;
import org.multiwebsocket.service.CallContext;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One upstream webservice at run time: its HTTP client (HTTP/1.1, connections kept alive and reused,
 * redirects never followed), its circuit breaker and bulkhead (resilience4j), and the sending of one call.
 * A call holds no thread while it waits: the request goes out with {@code sendAsync}; cancelling the
 * returned stage (the call's deadline, {@code rpc.cancel}) aborts the exchange, and so does the upstream's
 * own timeout.
 */
final class Upstream {

    private final UpstreamConfig.Settings settings;
    private final HttpClient client;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final ScheduledExecutorService timer;
    private final UpstreamEvents events;
    private final long maxBodyBytes;
    private final long retryAfterMs;
    private volatile long openedAtNanos;

    /**
     * @param settings     the upstream's configuration
     * @param executor     where the HTTP client completes its work
     * @param timer        where timeouts fire
     * @param events       where calls are reported
     * @param maxBodyBytes the largest response body accepted (the gateway's maxMessageBytes)
     * @param retryAfterMs the hint sent with -32006 when the upstream cannot be reached
     */
    Upstream(UpstreamConfig.Settings settings, Executor executor, ScheduledExecutorService timer, UpstreamEvents events,
             long maxBodyBytes, long retryAfterMs) {
        this.settings = settings;
        this.timer = timer;
        this.events = events;
        this.maxBodyBytes = maxBodyBytes;
        this.retryAfterMs = retryAfterMs;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofMillis(Math.min(settings.timeoutMs(), 10_000)))
                .executor(executor).build();
        this.breaker = CircuitBreaker.of("upstream-" + settings.name(), CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.failureThreshold())
                .minimumNumberOfCalls(settings.failureThreshold())
                .failureRateThreshold(100)
                .waitDurationInOpenState(Duration.ofMillis(settings.openMs()))
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
        this.breaker.getEventPublisher().onStateTransition(transition -> {
            if (transition.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openedAtNanos = System.nanoTime();
            }
        });
        this.bulkhead = Bulkhead.of("upstream-" + settings.name(), BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrent()).maxWaitDuration(Duration.ZERO).build());
        events.circuit(settings.name(), () -> switch (breaker.getState()) {
            case CLOSED -> 0;
            case OPEN -> 1;
            case HALF_OPEN -> 2;
            default -> 3;
        });
    }

    UpstreamConfig.Settings settings() {
        return settings;
    }

    String name() {
        return settings.name();
    }

    /** @return the client, for fetching the upstream's document */
    HttpClient client() {
        return client;
    }

    /** @return the circuit's state, for readiness */
    String circuitState() {
        return breaker.getState().name();
    }

    /**
     * Sends one call.
     *
     * @param request the request, without the gateway's headers
     * @param context the call
     * @return the result; cancelling it aborts the request
     */
    CompletableFuture<JsonValue> send(RequestEncoder.Encoded request, String method, CallContext context) {
        if (!breaker.tryAcquirePermission()) {
            events.call(name(), "circuit-open", 0);
            long remaining = settings.openMs() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedAtNanos);
            return CompletableFuture.failedFuture(unavailable("the upstream " + name() + " failed repeatedly (circuit open)",
                    remaining > 0 ? remaining : retryAfterMs));
        }
        if (!bulkhead.tryAcquirePermission()) {
            breaker.releasePermission();
            events.call(name(), "overloaded", 0);
            return CompletableFuture.failedFuture(new RpcFailure(new RpcError(RpcError.OVERLOADED, "Overloaded",
                    Map.of("reason", "the upstream " + name() + " has " + settings.maxConcurrent() + " calls in flight",
                            "retryAfterMs", retryAfterMs))));
        }
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> exchange;
        try {
            exchange = client.sendAsync(build(request, method, context), BoundedBody.handler(maxBodyBytes));
        } catch (RuntimeException e) {
            bulkhead.onComplete();
            breaker.releasePermission();
            throw e;
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> timeout = timer.schedule(() -> {
            timedOut.set(true);
            exchange.cancel(true);
        }, settings.timeoutMs(), TimeUnit.MILLISECONDS);
        CompletableFuture<JsonValue> result = new CompletableFuture<>();
        exchange.whenComplete((response, failure) -> {
            timeout.cancel(false);
            bulkhead.onComplete();
            long nanos = System.nanoTime() - start;
            try {
                result.complete(outcome(response, unwrap(failure), timedOut.get(), result.isCancelled(), nanos));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        result.whenComplete((value, failure) -> {
            if (result.isCancelled()) {
                exchange.cancel(true);
            }
        });
        return result;
    }

    private HttpRequest build(RequestEncoder.Encoded request, String method, CallContext context) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
                .method(method, request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(request.body()))
                .header("Accept", "application/json, text/plain;q=0.9, */*;q=0.8");
        request.headers().forEach(builder::header);
        settings.headers().forEach(builder::setHeader);
        context.traceparent().ifPresent(traceparent -> builder.setHeader("traceparent", traceparent));
        if (settings.forwardAuthorization()) {
            context.bearerToken().ifPresent(token -> builder.setHeader("Authorization", "Bearer " + token));
        }
        return builder.build();
    }

    /** The call's result from the exchange, recording it with the circuit breaker and the metrics. */
    private JsonValue outcome(HttpResponse<byte[]> response, Throwable failure, boolean timedOut, boolean cancelled,
                              long nanos) {
        if (timedOut) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, new IOException("timeout"));
            events.call(name(), "timeout", nanos);
            throw new RpcFailure(RpcError.timeout(settings.timeoutMs()));
        }
        if (cancelled || failure instanceof CancellationException) {
            breaker.releasePermission();
            events.call(name(), "cancelled", nanos);
            throw new CancellationException();
        }
        if (failure instanceof BoundedBody.TooLarge) {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
            events.call(name(), "too-large", nanos);
            throw new RpcFailure(new RpcError(RpcError.INTERNAL_ERROR, "Internal error", Map.of("reason",
                    "the upstream's response is larger than maxMessageBytes (" + maxBodyBytes + ")")));
        }
        if (failure instanceof IOException) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
            events.call(name(), "unavailable", nanos);
            throw unavailable("the upstream " + name() + " cannot be reached", retryAfterMs);
        }
        if (failure != null) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
            events.call(name(), "failed", nanos);
            throw new CompletionException(failure);
        }
        int status = response.statusCode();
        if (status >= 500) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, new IOException("status " + status));
        } else {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
        events.call(name(), status >= 300 ? Integer.toString(status) : "ok", nanos);
        return Responses.result(status, response.headers(), response.body());
    }

    private static RpcFailure unavailable(String reason, long retryAfterMs) {
        return new RpcFailure(new RpcError(RpcError.UNAVAILABLE, "Unavailable", Map.of("reason", reason,
                "retryAfterMs", retryAfterMs)));
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
