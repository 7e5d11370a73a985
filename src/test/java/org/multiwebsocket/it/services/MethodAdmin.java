package org.multiwebsocket.it.services;

import jakarta.annotation.security.RolesAllowed;
import org.multiwebsocket.service.Service;

/** Admin-only by its method's annotation, as a handler author would write it. */
@Service(value = "test/method-admin", description = "Admin-only on the method")
public class MethodAdmin {

    @RolesAllowed("admin")
    public String call() {
        return "method secret";
    }
}
