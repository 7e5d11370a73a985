package org.multiwebsocket.examples.chat;

import jakarta.inject.Inject;
import org.multiwebsocket.service.NonBlocking;
import org.multiwebsocket.service.Service;
import org.multiwebsocket.service.Topics;

import java.time.Instant;

/** Sends a message to the {@code chat} topic; answers the offset it was given. */
@NonBlocking
@Service(value = "/chat/send/", description = "Says something in the chat room")
public class ChatSend {

    /**
     * A chat message as subscribers receive it.
     *
     * @param name who said it
     * @param text what they said
     * @param at   when the gateway received it
     */
    public record Said(String name, String text, Instant at) {
    }

    @Inject
    Topics topics;

    public long call(ChatMessage message) {
        return topics.publish("chat", new Said(message.name(), message.text(), Instant.now()));
    }
}
