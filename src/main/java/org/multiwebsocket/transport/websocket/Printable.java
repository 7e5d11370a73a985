package org.multiwebsocket.transport.websocket;

/** Header values as they may appear in a log line: cut short, control characters replaced. */
final class Printable {

    private Printable() {
    }

    static String of(String value) {
        if (value == null) {
            return "(none)";
        }
        String cut = value.length() > 200 ? value.substring(0, 200) + "…" : value;
        return "'" + cut.replaceAll("[\\p{Cntrl}]", "?") + "'";
    }
}
