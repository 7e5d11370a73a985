package org.multiwebsocket.dispatch;

import jakarta.enterprise.context.control.RequestContextController;
import jakarta.json.JsonObject;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.multiwebsocket.config.GatewayConfig;
import org.multiwebsocket.config.JsonSupport;
import org.multiwebsocket.discovery.Discovery;
import org.multiwebsocket.discovery.Origin;
import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.push.TopicHub;
import org.multiwebsocket.registry.ServiceDefinition;
import org.multiwebsocket.registry.ServiceHandler;
import org.multiwebsocket.registry.ServiceRegistry;
import org.multiwebsocket.spi.GatewayEvents;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The dispatch core built without a container: real registry, handlers, workers and codec. */
final class DispatchHarness implements AutoCloseable {

    final Workers workers;
    final Admission admission;
    final Dispatcher dispatcher;
    final List<Boolean> interruptedAtDeactivation = new ArrayList<>();
    final java.util.concurrent.atomic.AtomicInteger discoveryDocuments = new java.util.concurrent.atomic.AtomicInteger();

    DispatchHarness(Map<String, String> config, Object... beans) {
        GatewayConfig settings = GatewayConfig.of(config);
        JsonSupport json = new JsonSupport();
        Validator validator = Validation.buildDefaultValidatorFactory().getValidator();
        List<ServiceHandler> handlers = new ArrayList<>();
        for (Object bean : beans) {
            ServiceDefinition.Validation validation = ServiceDefinition.validate(List.of(bean.getClass()), Set.of(bean.getClass()));
            if (!validation.problems().isEmpty()) {
                throw new IllegalArgumentException(validation.message());
            }
            validation.definitions().values().forEach(d -> handlers.add(new ServiceHandler(d, bean, json.jsonb(), validator, true)));
        }
        ServiceRegistry registry = ServiceRegistry.of(handlers);
        workers = Workers.of(Executors.defaultThreadFactory(), settings.workerThreads(), settings.maxCalls());
        admission = new Admission(settings);
        dispatcher = new Dispatcher(settings, registry, json, workers, new Discovery(settings, registry) {
                    @Override
                    public org.multiwebsocket.discovery.DiscoveryDocument document(Origin origin) {
                        discoveryDocuments.incrementAndGet();
                        return super.document(origin);
                    }
                }, admission,
                new Telemetry(GatewayEvents.NONE), TopicHub.of(List.of(), json, Runnable::run), null, () -> new RequestContextController() {
                    @Override
                    public boolean activate() {
                        return true;
                    }

                    @Override
                    public void deactivate() {
                        synchronized (interruptedAtDeactivation) {
                            interruptedAtDeactivation.add(Thread.currentThread().isInterrupted());
                        }
                    }
                });
    }

    /** A channel whose answers are collected. */
    static final class TestChannel extends Channel {
        final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

        TestChannel(int maxInFlight, Lane lane) {
            super("test", new Origin(false, "localhost", ""), null, null, maxInFlight, lane);
        }

        @Override
        public String transport() {
            return "test";
        }

        JsonObject next() throws InterruptedException {
            String answer = answers.poll(5, TimeUnit.SECONDS);
            if (answer == null) {
                throw new AssertionError("no answer within 5 s");
            }
            return JsonRpc.read(answer).asJsonObject();
        }
    }

    TestChannel channel(int maxInFlight) {
        return new TestChannel(maxInFlight, admission.newLane());
    }

    void send(TestChannel channel, String frame) {
        dispatcher.onFrame(channel, frame, answer -> {
            if (answer != null) {
                channel.answers.add(answer);
            }
        });
    }

    static String request(Object id, String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + (id instanceof String s ? JsonRpc.quote(s) : id) + ",\"method\":\""
                + method + "\"" + (params == null ? "" : ",\"params\":" + params) + "}";
    }

    @Override
    public void close() {
        workers.stop();
    }
}
