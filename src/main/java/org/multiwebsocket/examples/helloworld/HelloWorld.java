package org.multiwebsocket.examples.helloworld;

import org.multiwebsocket.service.CallContext;
import org.multiwebsocket.service.NonBlocking;
import org.multiwebsocket.service.Service;

/** The smallest service: greets the caller, by name when params carry one. */
@NonBlocking
@Service(value = "/helloworld/", description = "Greets the caller")
public class HelloWorld {

    public Greeting call(HelloRequest request, CallContext call) {
        String name = request == null || request.name() == null || request.name().isBlank()
                ? "World" : request.name().strip();
        return new Greeting("Hello, " + name + "!", call.transport());
    }
}
