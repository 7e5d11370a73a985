package org.multiwebsocket.it.services;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import org.multiwebsocket.push.TopicHub;
import org.multiwebsocket.service.Service;
import org.multiwebsocket.service.Topic;
import org.multiwebsocket.service.Topics;

/** The topics of the tests, and a service that publishes to any of them. */
public final class TestTopics {

    private TestTopics() {
    }

    @Topic(value = "test/topic", description = "Keeps five", history = 5)
    public static class Kept {
    }

    @Topic(value = "test/secret", description = "For admins", history = 1)
    @RolesAllowed("admin")
    public static class Secret {
    }

    @Topic(value = "test/prices/*", description = "By symbol", history = 2)
    public static class Prices {
    }

    @Topic(value = "test/load", description = "For the fan-out test")
    public static class Load {
    }

    /** Publishes {@code count} messages {@code {"n": i, "text": text}}; answers the last offset. */
    @Service(value = "test/publish", description = "Publishes to a test topic")
    public static class Publish {

        public record Params(String topic, int count, String text) {
        }

        public record Message(int n, String text) {
        }

        @Inject
        Topics topics;

        public long call(Params params) {
            long offset = 0;
            for (int i = 1; i <= params.count(); i++) {
                offset = topics.publish(params.topic(), new Message(i, params.text()));
            }
            return offset;
        }
    }

    /** Answers how many subscribers a topic has on this node, sockets and event streams together. */
    @Service(value = "test/subscribers", description = "How many subscribers a topic has on this node")
    public static class Subscribers {

        public record Params(String topic) {
        }

        @Inject
        TopicHub hub;

        public int call(Params params) {
            return hub.subscribers(params.topic());
        }
    }
}
