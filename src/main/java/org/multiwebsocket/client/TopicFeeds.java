package org.multiwebsocket.client;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The client's topic subscriptions, one per topic, told what happens to the connection. */
final class TopicFeeds {

    private final Map<String, TopicFeed<?>> feeds = new ConcurrentHashMap<>();
    private volatile Throwable closed;

    /** Adds the feed, or ends it when the client is closed. @throws IllegalStateException when the topic has a subscription already */
    void add(TopicFeed<?> feed) {
        if (feeds.putIfAbsent(feed.topic(), feed) != null) {
            throw new IllegalStateException("the client is subscribed to " + feed.topic() + " already; close that subscription first");
        }
        Throwable reason = closed;
        if (reason != null) {
            feed.end(reason);
        }
    }

    void remove(TopicFeed<?> feed) {
        feeds.remove(feed.topic(), feed);
    }

    /** Calls go over this transport now: a socket, or the HTTP fallback. */
    void carriedBy(Transport transport) {
        feeds.values().forEach(feed -> feed.carriedBy(transport));
    }

    /** A session moved from one socket to the next: its subscriptions carry on there without subscribing again. */
    void movedTo(Transport from, Transport to) {
        feeds.values().forEach(feed -> feed.movedTo(from, to));
    }

    /** An {@code rpc.message}'s params, on the read thread. */
    void message(JsonObject params) {
        if (params.get("topic") instanceof JsonString topic && params.get("offset") instanceof JsonNumber offset
                && params.get("epoch") instanceof JsonString epoch) {
            TopicFeed<?> feed = feeds.get(topic.getString());
            if (feed != null) {
                feed.received(offset.longValue(), epoch.getString(), params.getOrDefault("data", JsonValue.NULL));
            }
        }
    }

    /** Ends every subscription: the client is closed. */
    void close(Throwable reason) {
        closed = reason;
        feeds.values().forEach(feed -> feed.end(reason));
    }
}
