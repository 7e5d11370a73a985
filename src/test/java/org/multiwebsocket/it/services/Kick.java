package org.multiwebsocket.it.services;

import jakarta.inject.Inject;
import org.multiwebsocket.gateway.Gateway;
import org.multiwebsocket.service.CallContext;
import org.multiwebsocket.service.Service;

/** Has the gateway close the caller's own connection with the given code. */
@Service(value = "/test/kick/", description = "Closes the caller's connection")
public class Kick {

    public record Params(int code) {
    }

    @Inject
    Gateway gateway;

    public boolean call(Params params, CallContext call) {
        return gateway.close(call.connectionId(), params.code(), "kicked by test/kick");
    }
}
