package org.multiwebsocket.config;

import org.eclipse.microprofile.config.ConfigProvider;

import java.util.Locale;
import java.util.Optional;

/**
 * Reads one configuration value: through MicroProfile Config where the server has it (Payara does),
 * otherwise from system properties and then the environment ({@code multiwebsocket.max-batch} as
 * {@code MULTIWEBSOCKET_MAX_BATCH}), so that the WAR deploys unchanged to a server without it.
 */
final class Settings {

    private static final boolean MICROPROFILE = microProfilePresent();

    private Settings() {
    }

    static Optional<String> lookup(String key) {
        Optional<String> value = MICROPROFILE ? MicroProfile.lookup(key) : plain(key);
        return value.map(String::trim).filter(v -> !v.isEmpty());
    }

    private static Optional<String> plain(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
        }
        return Optional.ofNullable(value);
    }

    private static boolean microProfilePresent() {
        try {
            Class.forName("org.eclipse.microprofile.config.ConfigProvider", false, Settings.class.getClassLoader());
            ConfigProvider.getConfig();
            return true;
        } catch (ClassNotFoundException | LinkageError | RuntimeException absent) {
            return false;
        }
    }

    /** Loaded only when MicroProfile Config is on the class path. */
    private static final class MicroProfile {
        static Optional<String> lookup(String key) {
            return ConfigProvider.getConfig().getOptionalValue(key, String.class);
        }
    }
}
