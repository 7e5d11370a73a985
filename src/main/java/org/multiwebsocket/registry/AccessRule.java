package org.multiwebsocket.registry;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import org.multiwebsocket.spi.Caller;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may call a service, from {@code @RolesAllowed}, {@code @PermitAll} and {@code @DenyAll} as
 * Jakarta Security reads them: on the {@code call} method first, else on the bean class or the
 * nearest superclass that carries one of them. Two of them on one element are ambiguous and fail the
 * deployment.
 *
 * @param denyAll whether nobody may call (roles is then empty)
 * @param roles   roles of which a caller needs one, sorted; empty for a service open to anyone
 */
public record AccessRule(boolean denyAll, Set<String> roles) {

    /** Anyone may call. */
    public static final AccessRule OPEN = new AccessRule(false, Set.of());

    /** @return whether anyone, anonymous callers included, may call */
    public boolean isOpen() {
        return !denyAll && roles.isEmpty();
    }

    /**
     * @param caller the caller, or null for an anonymous one
     * @return whether the caller may proceed
     */
    public boolean permits(Caller caller) {
        if (isOpen()) {
            return true;
        }
        if (caller == null || denyAll) {
            return false;
        }
        return roles.stream().anyMatch(caller::hasRole);
    }

    /** The rule, or the problems that make it ambiguous. */
    record Inspection(AccessRule rule, List<String> problems) {
    }

    static Inspection of(Class<?> beanClass, Method method) {
        List<String> problems = new ArrayList<>();
        AccessRule onMethod = declared(method, beanClass.getName() + "." + method.getName() + "()", problems);
        if (onMethod != null) {
            return new Inspection(onMethod, problems);
        }
        return ofClass(beanClass, problems);
    }

    static Inspection ofClass(Class<?> beanClass) {
        return ofClass(beanClass, new ArrayList<>());
    }

    private static Inspection ofClass(Class<?> beanClass, List<String> problems) {
        for (Class<?> type = beanClass; type != null && type != Object.class; type = type.getSuperclass()) {
            AccessRule onClass = declared(type, type.getName(), problems);
            if (onClass != null) {
                return new Inspection(onClass, problems);
            }
        }
        return new Inspection(OPEN, problems);
    }

    /** The rule an element declares, or null when it declares none. */
    private static AccessRule declared(AnnotatedElement element, String where, List<String> problems) {
        RolesAllowed allowed = element.getAnnotation(RolesAllowed.class);
        boolean permitAll = element.isAnnotationPresent(PermitAll.class);
        boolean denyAll = element.isAnnotationPresent(DenyAll.class);
        int declared = (allowed == null ? 0 : 1) + (permitAll ? 1 : 0) + (denyAll ? 1 : 0);
        if (declared > 1) {
            problems.add(where + " combines " + (allowed == null ? "" : "@RolesAllowed ") + (permitAll ? "@PermitAll " : "")
                    + (denyAll ? "@DenyAll " : "") + "which is ambiguous; keep one");
            return OPEN;
        }
        if (denyAll) {
            return new AccessRule(true, Set.of());
        }
        if (permitAll) {
            return OPEN;
        }
        if (allowed == null) {
            return null;
        }
        Set<String> roles = new TreeSet<>(Arrays.asList(allowed.value()));
        if (roles.isEmpty() || roles.stream().anyMatch(r -> r == null || r.isBlank())) {
            problems.add(where + " has @RolesAllowed with an empty role name or no role at all;"
                    + " name the roles, or use @DenyAll to let nobody call");
            return OPEN;
        }
        return new AccessRule(false, Collections.unmodifiableSet(roles));
    }
}
