package org.multiwebsocket.it.services;

import jakarta.inject.Inject;
import org.multiwebsocket.service.Service;

/** Uses a request-scoped bean whose teardown records whether the worker thread was interrupted. */
@Service(value = "test/teardown", description = "Touches a request-scoped bean")
public class Teardown {

    @Inject
    RequestScopedProbe probe;

    public String call() {
        return probe.touch();
    }
}
