package org.multiwebsocket.dispatch;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.protocol.Request;
import org.multiwebsocket.protocol.RpcError;
import org.multiwebsocket.push.Subscription;
import org.multiwebsocket.push.TopicHub;
import org.multiwebsocket.registry.TopicDefinition;

import java.util.Map;
import java.util.function.Consumer;

/** {@code rpc.subscribe} and {@code rpc.unsubscribe} (PROTOCOL.md section 9). */
final class TopicMethods {

    private final TopicHub topics;
    private final Outcomes outcomes;
    private final int maxSubscriptions;
    private final long retryAfterMs;

    TopicMethods(TopicHub topics, Outcomes outcomes, int maxSubscriptions, long retryAfterMs) {
        this.topics = topics;
        this.outcomes = outcomes;
        this.maxSubscriptions = maxSubscriptions;
        this.retryAfterMs = retryAfterMs;
    }

    void subscribe(Channel channel, Request request, Consumer<String> answer, Access access) {
        Consumer<String> reply = text -> answer.accept(request.isNotification() ? null : text);
        JsonObject params = request.params() instanceof JsonObject p ? p : JsonValue.EMPTY_JSON_OBJECT;
        String topic = params.get("topic") instanceof JsonString s ? s.getString() : null;
        if (topic == null || topic.isEmpty()) {
            reply.accept(outcomes.error(request.replyId(), RpcError.invalidParams(
                    Map.of("reason", "rpc.subscribe takes {\"topic\": <name>, \"since\": {\"offset\": n, \"epoch\": e}}"))));
            return;
        }
        String sinceEpoch = null;
        long sinceOffset = 0;
        if (params.get("since") instanceof JsonObject since) {
            if (!(since.get("offset") instanceof JsonNumber offset) || !(since.get("epoch") instanceof JsonString epoch)) {
                reply.accept(outcomes.error(request.replyId(), RpcError.invalidParams(
                        Map.of("reason", "since takes {\"offset\": <number>, \"epoch\": <string>}"))));
                return;
            }
            sinceEpoch = epoch.getString();
            sinceOffset = offset.longValue();
        }
        TopicDefinition declaration = topics.declaration(topic);
        if (declaration == null || !channel.canPush()) {
            reply.accept(outcomes.error(request.replyId(), RpcError.invalidParams(declaration == null
                    ? Map.of("reason", "no such topic", "topic", topic)
                    : Map.of("reason", "subscribe over the socket; over HTTP use GET /api/topics/{topic}", "topic", topic))));
            return;
        }
        RpcError refused = access.refusal(channel, declaration.access());
        if (refused != null) {
            reply.accept(outcomes.error(request.replyId(), refused));
            return;
        }
        Map<String, Subscription> subscriptions = channel.subscriptions();
        if (!subscriptions.containsKey(topic) && subscriptions.size() >= maxSubscriptions) {
            reply.accept(outcomes.error(request.replyId(), new RpcError(RpcError.OVERLOADED, "Overloaded",
                    Map.of("maxSubscriptions", maxSubscriptions, "retryAfterMs", retryAfterMs))));
            return;
        }
        Subscription subscription = new Subscription(topic, channel::push);
        Subscription previous = subscriptions.put(topic, subscription);
        if (previous != null) {
            previous.cancel();
        }
        topics.subscribe(subscription, sinceEpoch, sinceOffset, state -> {
            reply.accept(JsonRpc.result(request.replyId(), state));
            channel.subscribed(topic, state);
        });
    }

    String unsubscribe(Channel channel, Request request) {
        String topic = request.params() instanceof JsonObject p && p.get("topic") instanceof JsonString s ? s.getString() : null;
        if (topic == null) {
            return outcomes.error(request.replyId(), RpcError.invalidParams(Map.of("reason", "rpc.unsubscribe takes {\"topic\": <name>}")));
        }
        Subscription subscription = channel.subscriptions().remove(topic);
        if (subscription != null) {
            subscription.cancel();
            channel.unsubscribed(topic);
        }
        return JsonRpc.result(request.replyId(), Boolean.toString(subscription != null));
    }

    /** Who may subscribe: the same rules as for calling a service. */
    interface Access {
        RpcError refusal(Channel channel, org.multiwebsocket.registry.AccessRule rule);
    }
}
