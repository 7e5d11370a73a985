package org.multiwebsocket.examples.chat;

import org.multiwebsocket.service.Topic;

/** The chat room: every message sent with {@code /chat/send/}, the last 50 kept for newcomers. */
@Topic(value = "chat", description = "The chat room", history = 50)
public class ChatTopic {
}
