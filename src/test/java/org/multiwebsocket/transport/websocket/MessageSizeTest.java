package org.multiwebsocket.transport.websocket;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageSizeTest {

    @Test
    void utf8LengthCountsMultiByteCharactersWhenItMatters() {
        assertEquals(3, MessageSize.utf8Length("abc", 100));
        assertEquals(2 + 3 + 4, MessageSize.utf8Length("é€😀", 9));
        assertTrue(MessageSize.utf8Length("€".repeat(10), 20) > 20);
        assertTrue(MessageSize.utf8Length("x".repeat(30), 20) > 20);
    }
}
