package org.multiwebsocket.it.services;

import org.multiwebsocket.service.Service;

/** Fails unexpectedly, with an exception whose text must never reach the caller. */
@Service(value = "/test/boom/", description = "Fails unexpectedly")
public class Boom {

    public String call() {
        throw new IllegalStateException("SECRET-DETAIL database password is hunter2");
    }
}
