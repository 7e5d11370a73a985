package org.multiwebsocket.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class ServiceNamesTest {

    @Test
    void canonicalNamesDropOuterSlashesOnly() {
        assertEquals("helloworld", ServiceNames.canonical("/helloworld/"));
        assertEquals("helloworld", ServiceNames.canonical("/helloworld"));
        assertEquals("helloworld", ServiceNames.canonical("helloworld"));
        assertEquals("users/search", ServiceNames.canonical("//users/search//"));
        assertEquals("", ServiceNames.canonical("///"));
    }

    @Test
    void emptyReservedAndMalformedNamesAreProblems() {
        assertNull(ServiceNames.problem("/users/search/"));
        assertNotNull(ServiceNames.problem("/"));
        assertNotNull(ServiceNames.problem("rpc.ping"));
        assertNotNull(ServiceNames.problem("/rpc.x/"));
        assertNotNull(ServiceNames.problem("a//b"));
        assertNotNull(ServiceNames.problem("hello world"));
    }
}
