package org.multiwebsocket.it.services;

import jakarta.annotation.security.RolesAllowed;
import org.multiwebsocket.service.CallContext;
import org.multiwebsocket.service.Service;

/** A service that requires the role admin (or auditor). */
@Service(value = "/test/admin/", description = "For administrators")
@RolesAllowed({"admin", "auditor"})
public class AdminOnly {

    public String call(CallContext call) {
        return "secret for " + call.principal().orElseThrow().getName();
    }
}
