package org.multiwebsocket.it.services;

import org.multiwebsocket.service.Service;

/** Returns null. */
@Service(value = "/test/nothing/", description = "Answers null")
public class Nothing {

    public Object call() {
        return null;
    }
}
