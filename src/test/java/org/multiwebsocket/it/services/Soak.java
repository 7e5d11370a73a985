package org.multiwebsocket.it.services;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import org.multiwebsocket.service.Service;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.util.Map;

/**
 * For the cluster soak: records every run of a key in Payara's grid, so that a run on any node, even one
 * stopped since, is counted; a key that runs twice is recorded as a duplicate.
 */
public final class Soak {

    private Soak() {
    }

    private static HazelcastInstance grid() throws NamingException {
        return (HazelcastInstance) new InitialContext().lookup("payara/Hazelcast");
    }

    /** Records a run of {@code key}, sleeps {@code ms}, answers the key. */
    @Service(value = "test/soak", description = "Records its runs in the grid")
    public static class Run {

        public record Params(String key, long ms) {
        }

        public String call(Params params) throws Exception {
            HazelcastInstance grid = grid();
            IMap<String, String> runs = grid.getMap("test-soak-runs");
            if (runs.putIfAbsent(params.key(), "ran") != null) {
                grid.getMap("test-soak-duplicates").put(params.key(), "ran again");
            }
            Thread.sleep(params.ms());
            return params.key();
        }
    }

    /** Answers whether every partition of the grid has its backups: a node may stop without losing data. */
    @Service(value = "test/grid/safe", description = "Whether the grid is safe to lose a member")
    public static class Safe {

        public boolean call() throws Exception {
            return grid().getPartitionService().isClusterSafe();
        }
    }

    /** Answers how many keys with the prefix ran, and how many ran more than once. */
    @Service(value = "test/soak/count", description = "Runs recorded in the grid")
    public static class Count {

        public record Params(String prefix) {
        }

        public Map<String, Integer> call(Params params) throws Exception {
            HazelcastInstance grid = grid();
            IMap<String, String> runs = grid.getMap("test-soak-runs");
            IMap<String, String> duplicates = grid.getMap("test-soak-duplicates");
            int ran = (int) runs.keySet().stream().filter(k -> k.startsWith(params.prefix())).count();
            int twice = (int) duplicates.keySet().stream().filter(k -> k.startsWith(params.prefix())).count();
            return Map.of("ran", ran, "twice", twice);
        }
    }
}
