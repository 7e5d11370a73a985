package org.multiwebsocket.transport.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AcceptHeaderTest {

    @Test
    void jsonOnlyWhenTheClientRanksItAtLeastAsHighAsText() {
        assertTrue(AcceptHeader.prefersJson("application/json"));
        assertTrue(AcceptHeader.prefersJson("application/problem+json"));
        assertTrue(AcceptHeader.prefersJson("Application/JSON; charset=utf-8"));
        assertTrue(AcceptHeader.prefersJson("application/json, text/plain, */*"));
        assertTrue(AcceptHeader.prefersJson("text/plain;q=0.5, application/json"));

        assertFalse(AcceptHeader.prefersJson(null));
        assertFalse(AcceptHeader.prefersJson("*/*"));
        assertFalse(AcceptHeader.prefersJson("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
        assertFalse(AcceptHeader.prefersJson("text/plain, application/json;q=0.5"));
        assertFalse(AcceptHeader.prefersJson("application/json;q=0"));
        assertFalse(AcceptHeader.prefersJson("application/json;q=nonsense"));
    }
}
