package org.multiwebsocket.gateway;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageSizeTest {

    @Test
    void utf8LengthCountsMultiByteCharactersWhenItMatters() {
        assertEquals(3, Gateway.utf8Length("abc", 100));
        assertEquals(2 + 3 + 4, Gateway.utf8Length("é€😀", 9));
        assertTrue(Gateway.utf8Length("€".repeat(10), 20) > 20);
        assertTrue(Gateway.utf8Length("x".repeat(30), 20) > 20);
    }
}
