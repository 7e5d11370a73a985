package org.multiwebsocket.registry;

import org.junit.jupiter.api.Test;
import org.multiwebsocket.service.CallContext;
import org.multiwebsocket.service.Service;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceDefinitionTest {

    @Service(value = "/good/", description = "fine")
    static class Good {
        public String call(Map<String, Object> params, CallContext context) {
            return "ok";
        }
    }

    @Service("good")
    static class SameName {
        public String call() {
            return "again";
        }
    }

    @Service("/none/")
    static class NoCall {
        public String run() {
            return "";
        }
    }

    @Service("/over/")
    static class Overloaded {
        public String call() {
            return "";
        }

        public String call(String s) {
            return s;
        }
    }

    @Service("/two/")
    static class TwoParams {
        public String call(String a, String b) {
            return a + b;
        }
    }

    @Service("/async/")
    static class Async {
        public CompletionStage<String> call(CallContext context, List<Integer> numbers) {
            return null;
        }
    }

    @Service("rpc.ping")
    static class Reserved {
        public void call() {
        }
    }

    private static ServiceDefinition.Validation validate(Class<?>... types) {
        return ServiceDefinition.validate(List.of(types), Set.of(types));
    }

    @Test
    void aGoodServiceIsDefinedUnderItsCanonicalName() {
        ServiceDefinition.Validation validation = validate(Good.class, Async.class);
        assertEquals(List.of(), validation.problems());
        ServiceDefinition good = validation.definitions().get("good");
        assertEquals("fine", good.description());
        assertEquals(0, good.handler().paramsIndex());
        assertEquals(1, good.handler().contextIndex());
        HandlerMethod async = validation.definitions().get("async").handler();
        assertEquals(1, async.paramsIndex());
        assertEquals(0, async.contextIndex());
    }

    @Test
    void everyProblemIsListedInOneMessage() {
        ServiceDefinition.Validation validation = validate(Good.class, SameName.class, NoCall.class,
                Overloaded.class, TwoParams.class, Reserved.class);
        assertEquals(Map.of(), validation.definitions());
        String message = validation.message();
        assertTrue(message.startsWith("MultiWebsocket cannot deploy: 5 problem(s)"), message);
        assertTrue(message.contains("'good' is claimed by 2 beans: " + Good.class.getName() + ", " + SameName.class.getName()), message);
        assertTrue(message.contains(NoCall.class.getName() + " has no public instance method named 'call'"), message);
        assertTrue(message.contains(Overloaded.class.getName() + " has 2 public methods named 'call'"), message);
        assertTrue(message.contains("takes more than one params parameter"), message);
        assertTrue(message.contains("'rpc.ping' starts with 'rpc.'"), message);
    }

    @Test
    void anAnnotatedClassThatIsNotABeanIsAProblem() {
        ServiceDefinition.Validation validation = ServiceDefinition.validate(List.of(Good.class), Set.of());
        assertTrue(validation.message().contains("is not a CDI managed bean"), validation.message());
    }
}
