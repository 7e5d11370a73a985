package org.multiwebsocket.registry;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.service.Service;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessRuleTest {

    @Service("on-method")
    static class OnMethod {
        @RolesAllowed("admin")
        public String call() {
            return "";
        }
    }

    @RolesAllowed({"user", "admin"})
    static class Base {
    }

    @Service("inherited")
    static class Inherited extends Base {
        public String call() {
            return "";
        }
    }

    @Service("method-wins")
    @RolesAllowed("admin")
    static class MethodWins {
        @PermitAll
        public String call() {
            return "";
        }
    }

    @Service("denied")
    @DenyAll
    static class Denied {
        public String call() {
            return "";
        }
    }

    @Service("open")
    static class Open {
        public String call() {
            return "";
        }
    }

    @Service("ambiguous")
    static class Ambiguous {
        @RolesAllowed("admin")
        @PermitAll
        public String call() {
            return "";
        }
    }

    @Service("no-role")
    @RolesAllowed({})
    static class NoRole {
        public String call() {
            return "";
        }
    }

    private static AccessRule rule(Class<?> type) {
        ServiceDefinition.Validation validation = ServiceDefinition.validate(List.of(type), Set.of(type));
        assertTrue(validation.problems().isEmpty(), validation.problems().toString());
        return validation.definitions().values().iterator().next().access();
    }

    @Test
    void rolesAllowedOnTheCallMethodIsHonoured() {
        assertEquals(new AccessRule(false, Set.of("admin")), rule(OnMethod.class));
    }

    @Test
    void rolesAllowedIsInheritedFromASuperclass() {
        assertEquals(new AccessRule(false, Set.of("admin", "user")), rule(Inherited.class));
    }

    @Test
    void theMethodsAnnotationWinsOverTheClasss() {
        assertTrue(rule(MethodWins.class).isOpen());
    }

    @Test
    void denyAllLetsNobodyCall() {
        AccessRule denied = rule(Denied.class);
        assertTrue(denied.denyAll());
        assertTrue(!denied.isOpen());
    }

    @Test
    void aServiceWithoutAnnotationsIsOpen() {
        assertEquals(AccessRule.OPEN, rule(Open.class));
    }

    @Test
    void ambiguousOrEmptyDeclarationsFailTheDeployment() {
        ServiceDefinition.Validation validation = ServiceDefinition.validate(List.of(Ambiguous.class, NoRole.class),
                Set.of(Ambiguous.class, NoRole.class));
        assertEquals(2, validation.problems().size(), validation.message());
        assertTrue(validation.message().contains("Ambiguous.call() combines @RolesAllowed @PermitAll"), validation.message());
        assertTrue(validation.message().contains("NoRole has @RolesAllowed with an empty role name or no role"),
                validation.message());
        assertTrue(validation.definitions().isEmpty());
    }
}
