package org.multiwebsocket.it.services;

import org.multiwebsocket.service.CallContext;
import org.multiwebsocket.service.Service;

import java.security.Principal;

/** Tells who is calling: the caller principal's name, or "anonymous". */
@Service(value = "/test/whoami/", description = "Names the caller")
public class Whoami {

    public String call(CallContext call) {
        return call.principal().map(Principal::getName).orElse("anonymous");
    }
}
