package org.multiwebsocket.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class LastMessageTest {

    private static String message(String topic, long offset, String epoch) {
        return "1|{\"jsonrpc\":\"2.0\",\"method\":\"rpc.message\",\"params\":{\"topic\":\"" + topic + "\",\"offset\":" + offset
                + ",\"epoch\":\"" + epoch + "\",\"data\":{\"offset\":99,\"epoch\":\"no\"}}}";
    }

    @Test
    void theLastKeptMessageOfTheTopicIsWhereTheSubscriptionGotTo() {
        List<String> kept = List.of(message("chat", 4, "e1"), "1|{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":1}",
                message("prices/x", 9, "e2"), message("chat", 5, "e1"));
        assertArrayEquals(new String[] {"e1", "5"}, LastMessage.of(kept, "chat", "e0", 2));
        assertArrayEquals(new String[] {"e2", "9"}, LastMessage.of(kept, "prices/x", "e0", 2));
    }

    @Test
    void withoutAKeptMessageTheSubscriptionStartsWhereItStarted() {
        assertArrayEquals(new String[] {"e0", "2"}, LastMessage.of(List.of(message("chat", 4, "e1")), "news", "e0", 2));
    }
}
