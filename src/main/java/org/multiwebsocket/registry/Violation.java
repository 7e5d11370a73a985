package org.multiwebsocket.registry;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * One broken constraint, as the caller sees it in {@code data.violations}.
 *
 * @param path    where, relative to the call: {@code params.email}
 * @param message what is wrong
 */
@JsonbPropertyOrder({"path", "message"})
public record Violation(String path, String message) {

    /**
     * @param violations what Bean Validation found
     * @return them with paths relative to {@code params}, sorted
     */
    public static List<Violation> of(Collection<? extends ConstraintViolation<?>> violations) {
        return violations.stream()
                .map(v -> new Violation(relative(v.getPropertyPath()), v.getMessage()))
                .sorted(Comparator.comparing(Violation::path).thenComparing(Violation::message))
                .toList();
    }

    private static String relative(Path path) {
        StringBuilder out = new StringBuilder("params");
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER
                    || node.getKind() == ElementKind.CROSS_PARAMETER) {
                continue;
            }
            if (node.getIndex() != null) {
                out.append('[').append(node.getIndex()).append(']');
            } else if (node.getKey() != null) {
                out.append('[').append(node.getKey()).append(']');
            }
            if (node.getName() != null && node.getKind() != ElementKind.CONTAINER_ELEMENT) {
                out.append('.').append(node.getName());
            }
        }
        return out.toString();
    }
}
