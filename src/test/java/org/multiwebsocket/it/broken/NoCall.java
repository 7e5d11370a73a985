package org.multiwebsocket.it.broken;

import org.multiwebsocket.service.Service;

/** Has no {@code call} method: a deployment problem. */
@Service("/nocall/")
public class NoCall {
    public String answer() {
        return "nothing";
    }
}
