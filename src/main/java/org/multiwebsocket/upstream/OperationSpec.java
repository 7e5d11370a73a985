package org.multiwebsocket.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One operation of an upstream's OpenAPI document, as the gateway calls it.
 *
 * @param id          its operationId, the second half of the service name
 * @param method      the HTTP method, upper case
 * @param path        the path template ({@code /items/{id}}), appended to the base URL
 * @param summary     its one-line description
 * @param parameters  its path, query, header and cookie parameters
 * @param body        its request body, or null when it takes none
 * @param paramsSchema the JSON Schema of the call's params object
 */
record OperationSpec(String id, String method, String path, String summary, List<Param> parameters, Body body,
                     ObjectNode paramsSchema) {

    /**
     * A parameter.
     *
     * @param name    its name, in the params object and on the wire
     * @param in      {@code path}, {@code query}, {@code header} or {@code cookie}
     * @param style   how it is serialised ({@code simple}, {@code form}, {@code label}, {@code matrix},
     *                {@code spaceDelimited}, {@code pipeDelimited}, {@code deepObject})
     * @param explode whether arrays and objects are exploded
     * @param json    whether it is serialised as JSON text (a parameter with {@code content} instead of a schema)
     */
    record Param(String name, String in, String style, boolean explode, boolean json) {
    }

    /**
     * A request body.
     *
     * @param mediaType the media type sent: JSON, text, or form-urlencoded
     * @param required  whether the call must give one
     */
    record Body(String mediaType, boolean required) {

        boolean isJson() {
            return Media.isJson(mediaType);
        }

        boolean isForm() {
            return mediaType.equalsIgnoreCase("application/x-www-form-urlencoded");
        }
    }

    /** Media types the gateway reads and writes. */
    static final class Media {

        private Media() {
        }

        /** @return whether a media type (parameters allowed) is JSON: application/json or any +json */
        static boolean isJson(String mediaType) {
            if (mediaType == null) {
                return false;
            }
            String type = mediaType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
            return type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
        }
    }
}
