package org.multiwebsocket.transport.http;

import java.util.Locale;

/** Reads an {@code Accept} header just far enough to choose between JSON and plain text. */
final class AcceptHeader {

    private AcceptHeader() {
    }

    /**
     * @param accept the header, or null
     * @return whether the client ranks JSON ({@code application/json} or {@code application/*+json}) at
     *         least as high as plain text; wildcards alone do not ask for JSON
     */
    static boolean prefersJson(String accept) {
        if (accept == null) {
            return false;
        }
        double json = 0;
        double text = 0;
        for (String range : accept.toLowerCase(Locale.ROOT).split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim();
            double quality = quality(parts);
            if (type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json")) {
                json = Math.max(json, quality);
            } else if (type.equals("text/plain") || type.equals("text/*")) {
                text = Math.max(text, quality);
            }
        }
        return json > 0 && json >= text;
    }

    private static double quality(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String parameter = parameters[i].trim();
            if (parameter.startsWith("q=")) {
                try {
                    return Double.parseDouble(parameter.substring(2).trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
