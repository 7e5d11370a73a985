package org.multiwebsocket.cluster;

import org.multiwebsocket.protocol.JsonRpc;

import java.util.List;

/** Where a session's subscription to a topic got to: the last message of the topic its ringbuffer kept. */
final class LastMessage {

    private LastMessage() {
    }

    /**
     * @param kept   the session's kept items ({@code <batch size>|<message>}), oldest first
     * @param topic  the topic
     * @param epoch  the epoch when the subscription started
     * @param offset the newest offset when it started
     * @return {epoch, offset} of the last message of the topic kept, or the ones given when none is
     */
    static String[] of(List<String> kept, String topic, String epoch, long offset) {
        String[] last = {epoch, Long.toString(offset)};
        String prefix = "{\"jsonrpc\":\"2.0\",\"method\":\"rpc.message\",\"params\":{\"topic\":"
                + JsonRpc.quote(topic) + ",\"offset\":";
        for (String item : kept) {
            int at = item.indexOf('|') + 1;
            if (item.startsWith(prefix, at)) {
                int from = at + prefix.length();
                int end = item.indexOf(',', from);
                int epochFrom = item.indexOf("\"epoch\":\"", end) + 9;
                last[1] = item.substring(from, end);
                last[0] = item.substring(epochFrom, item.indexOf('"', epochFrom));
            }
        }
        return last;
    }
}
