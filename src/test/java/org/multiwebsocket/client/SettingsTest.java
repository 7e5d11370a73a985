package org.multiwebsocket.client;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {

    private static final String URL = "http://localhost:8080/api/discover";

    @Test
    void onlyTheDiscoveryUrlIsNeededAndEveryOtherOptionHasItsDocumentedDefault() {
        Settings settings = Settings.from(Map.of(ClientOptions.SERVICE_DISCOVERY_URL, URL));
        assertEquals(URI.create(URL), settings.discovery());
        assertEquals(Settings.DISCOVERED, settings.callTimeoutMs());
        assertEquals(10_000, settings.maxQueuedCalls());
        assertTrue(settings.httpFallback());
        assertNull(settings.bearerToken());
        assertEquals(Settings.DISCOVERED, settings.heartbeatMs());
        assertEquals(250, settings.reconnectInitialMs());
        assertEquals(10_000, settings.reconnectMaxMs());
        assertEquals(5_000, settings.reconnectResetAfterMs());
        assertEquals(10_000, settings.connectTimeoutMs());
    }

    @Test
    void numbersAndBooleansMayComeAsStrings() {
        Map<String, Object> config = new HashMap<>(Map.of(ClientOptions.SERVICE_DISCOVERY_URL, URL,
                ClientOptions.CALL_TIMEOUT_MS, " 1500 ", ClientOptions.MAX_QUEUED_CALLS, 20_000L,
                ClientOptions.HTTP_FALLBACK, "false", ClientOptions.BEARER_TOKEN, "abc",
                ClientOptions.HEARTBEAT_MS, 0, ClientOptions.RECONNECT_RESET_AFTER_MS, "60000"));
        config.put(ClientOptions.RECONNECT_INITIAL_DELAY_MS, 100);
        Settings settings = Settings.from(config);
        assertEquals(1_500, settings.callTimeoutMs());
        assertEquals(20_000, settings.maxQueuedCalls());
        assertFalse(settings.httpFallback());
        assertEquals("abc", settings.bearerToken());
        assertEquals(0, settings.heartbeatMs(), "0 turns the heartbeat off");
        assertEquals(60_000, settings.reconnectResetAfterMs());
        assertEquals(100, settings.reconnectInitialMs());
    }

    @Test
    void aMissingDiscoveryUrlIsRefusedByName() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> Settings.from(Map.of(ClientOptions.BEARER_TOKEN, "abc")));
        assertTrue(refused.getMessage().contains(ClientOptions.SERVICE_DISCOVERY_URL), refused.getMessage());
    }

    @Test
    void aWrongNumberIsRefusedWithItsKeyAndValue() {
        IllegalStateException notANumber = assertThrows(IllegalStateException.class, () -> Settings.from(
                Map.of(ClientOptions.SERVICE_DISCOVERY_URL, URL, ClientOptions.CALL_TIMEOUT_MS, "soon")));
        assertTrue(notANumber.getMessage().contains("call-timeout-ms") && notANumber.getMessage().contains("soon"),
                notANumber.getMessage());
        IllegalStateException tooSmall = assertThrows(IllegalStateException.class, () -> Settings.from(
                Map.of(ClientOptions.SERVICE_DISCOVERY_URL, URL, ClientOptions.RECONNECT_INITIAL_DELAY_MS, 0)));
        assertTrue(tooSmall.getMessage().contains("reconnect-initial-delay-ms"), tooSmall.getMessage());
    }

    @Test
    void theQueueBoundCanBeReadWithoutTheRest() {
        assertEquals(10_000, Settings.maxQueuedCalls(Map.of()));
        assertEquals(7, Settings.maxQueuedCalls(Map.of(ClientOptions.MAX_QUEUED_CALLS, "7")));
    }
}
