package org.multiwebsocket.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives test classes the one {@link Cluster} of the test run: {@code @ExtendWith(ClusterExtension.class)},
 * then a {@code Cluster} parameter on any test method, constructor or {@code @BeforeAll} method. The first
 * class to ask starts it ({@link Cluster#SIZE} nodes); it lives in the root context's store, so every
 * later class reuses the same processes, and it is closed (every node killed) when the test run ends.
 * Before each class, nodes that an earlier class left stopped are started again.
 */
public final class ClusterExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClusterExtension.class);

    /**
     * @param context any context of the test run
     * @return the shared cluster, started at the first call
     */
    public static Cluster shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Cluster.class, key -> {
            try {
                return new Resource(Cluster.start(Cluster.SIZE));
            } catch (Exception e) {
                throw new IllegalStateException("the cluster did not start", e);
            }
        }, Resource.class).cluster();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Cluster cluster = shared(context);
        if (cluster.running().size() < cluster.size()) {
            cluster.startStopped();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Cluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context);
    }

    /** Closes the cluster when the root context closes. */
    private record Resource(Cluster cluster) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            cluster.close();
        }
    }
}
