package org.multiwebsocket.cluster;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Finds Payara's Hazelcast grid: its classes must be there, JNDI must hold an instance at
 * {@code payara/Hazelcast}, and that instance must be running. The class that touches Hazelcast is
 * only loaded, by name, once its classes are known to be there, so a server without them (or one
 * started with {@code --nohazelcast}) never meets a missing class.
 */
final class GridProbe {

    /** Where Payara binds its Hazelcast instance. */
    static final String JNDI_NAME = "payara/Hazelcast";
    private static final String INSTANCE_CLASS = "com.hazelcast.core.HazelcastInstance";
    private static final String GRID_CLASS = "org.multiwebsocket.cluster.HazelcastGrid";

    private GridProbe() {
    }

    /**
     * @param nodeUrl      this node's URL to announce, or null
     * @param declarations the declared topics (their ringbuffers are configured up front)
     * @param executor     where the grid's readers run
     * @param absent       told why there is no grid, when there is none
     * @return the grid, or empty
     */
    static Optional<Grid> connect(String nodeUrl, List<org.multiwebsocket.registry.TopicDefinition> declarations,
                                  Executor executor, Consumer<String> absent) {
        try {
            Class.forName(INSTANCE_CLASS, false, GridProbe.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            absent.accept("Hazelcast's classes are not on this server");
            return Optional.empty();
        }
        Object instance;
        try {
            instance = new javax.naming.InitialContext().lookup(JNDI_NAME);
        } catch (javax.naming.NamingException | RuntimeException e) {
            absent.accept("no Hazelcast instance in JNDI at " + JNDI_NAME);
            return Optional.empty();
        }
        try {
            Object grid = Class.forName(GRID_CLASS, true, GridProbe.class.getClassLoader())
                    .getDeclaredMethod("connect", Object.class, String.class, List.class, Executor.class)
                    .invoke(null, instance, nodeUrl, declarations, executor);
            if (grid == null) {
                absent.accept("the Hazelcast instance at " + JNDI_NAME + " is not running");
            }
            return Optional.ofNullable((Grid) grid);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ? e.getCause() : e;
            absent.accept("the Hazelcast grid could not be used: " + cause);
            return Optional.empty();
        }
    }
}
