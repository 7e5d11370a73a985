package org.multiwebsocket.registry;

import org.multiwebsocket.protocol.ServiceNames;
import org.multiwebsocket.service.Topic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A topic as its {@link Topic} declaration states it.
 *
 * @param name        the topic's name, or for a prefix declaration the prefix without {@code /*}
 * @param prefix      whether it declares every topic below {@code name/}
 * @param description the one-line description
 * @param history     how many of the newest messages are kept
 * @param access      who may subscribe
 */
public record TopicDefinition(String name, boolean prefix, String description, int history, AccessRule access) {

    /** @return the name as discovery lists it: {@code chat}, or {@code prices/*} */
    public String listedName() {
        return prefix ? name + "/*" : name;
    }

    /**
     * @param topic a concrete topic name
     * @return whether this declaration covers it
     */
    public boolean covers(String topic) {
        return prefix ? topic.startsWith(name + "/") && topic.length() > name.length() + 1 : topic.equals(name);
    }

    /**
     * Checks every {@code @Topic} declaration of a deployment at once.
     *
     * @param declarations the classes annotated {@code @Topic}
     * @param problems     where problems are added
     * @return the definitions by listed name
     */
    static Map<String, TopicDefinition> validate(Collection<Class<?>> declarations, List<String> problems) {
        Map<String, List<Class<?>>> claims = new TreeMap<>();
        Map<String, TopicDefinition> definitions = new LinkedHashMap<>();
        for (Class<?> type : declarations.stream().sorted(Comparator.comparing(Class::getName)).toList()) {
            Topic topic = type.getAnnotation(Topic.class);
            String declared = topic.value();
            boolean prefix = declared.endsWith("/*");
            String name = ServiceNames.canonical(prefix ? declared.substring(0, declared.length() - 2) : declared);
            List<String> found = new ArrayList<>();
            if (name.isEmpty()) {
                found.add(type.getName() + ": the topic name '" + declared + "' is empty");
            } else if (name.startsWith(ServiceNames.RESERVED_PREFIX)) {
                found.add(type.getName() + ": the topic name '" + declared + "' starts with 'rpc.', which is reserved");
            } else if (name.contains("//") || name.contains("*") || !name.chars().allMatch(c -> c > ' ' && c != 0x7f)) {
                found.add(type.getName() + ": the topic name '" + declared + "' may contain no '*' but a final '/*',"
                        + " no empty segment and no white space or control characters");
            }
            if (topic.history() < 0) {
                found.add(type.getName() + ": topic '" + declared + "' has a negative history (" + topic.history() + ")");
            }
            AccessRule.Inspection access = AccessRule.ofClass(type);
            found.addAll(access.problems());
            problems.addAll(found);
            String listed = prefix ? name + "/*" : name;
            claims.computeIfAbsent(listed, n -> new ArrayList<>()).add(type);
            if (found.isEmpty()) {
                definitions.put(listed, new TopicDefinition(name, prefix, topic.description(), topic.history(), access.rule()));
            }
        }
        claims.forEach((name, types) -> {
            if (types.size() > 1) {
                problems.add("the topic '" + name + "' is declared by " + types.size() + " classes: "
                        + types.stream().map(Class::getName).collect(Collectors.joining(", ")));
            }
        });
        return definitions;
    }
}
