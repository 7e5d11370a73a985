package org.multiwebsocket.it.services;

import jakarta.annotation.security.DenyAll;
import org.multiwebsocket.service.Service;

/** Nobody may call it. */
@Service(value = "test/disabled", description = "Denied to all")
@DenyAll
public class Disabled {

    public String call() {
        return "never";
    }
}
