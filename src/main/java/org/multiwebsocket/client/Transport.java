package org.multiwebsocket.client;


/** What carries calls to the gateway: its socket, or its HTTP transport. */
interface Transport {

    /** @return {@code "websocket"} or {@code "http"}, as the client reports it */
    String name();

    /** Sends a call already in flight; what comes back goes to the {@link Listener}. Never blocks. */
    void send(PendingCall<?> call);

    /** Tells the gateway that an abandoned call's answer is no longer wanted, where the transport can. */
    void cancel(PendingCall<?> call);

    boolean isOpen();

    void close();

    /** What a transport reports. */
    interface Listener {

        /** A frame or body from the gateway ({@code from}: the transport it came on): one response or a batch. */
        void received(Transport from, String text);

        /** The call got no answer: fail it with {@code failure}, unless it was settled meanwhile. */
        void failed(PendingCall<?> call, MultiWebsocketException failure);

        /** The connection went away. */
        void lost(Transport transport, Throwable reason);

        /**
         * A send on {@code transport} failed, which means its connection is lost; may be reported on a thread
         * that holds the container's locks, so the listener acts on another.
         */
        void sendFailed(Transport transport, Throwable reason);
    }
}
