package org.multiwebsocket.it.broken;

import org.multiwebsocket.service.Service;

/** Claims the name of the example {@code helloworld}: a deployment problem. */
@Service("helloworld")
public class Twin {
    public String call() {
        return "twin";
    }
}
