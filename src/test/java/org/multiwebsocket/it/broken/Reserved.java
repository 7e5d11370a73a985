package org.multiwebsocket.it.broken;

import org.multiwebsocket.service.Service;

/** Claims a reserved name: a deployment problem. */
@Service("rpc.mine")
public class Reserved {
    public String call() {
        return "mine";
    }
}
