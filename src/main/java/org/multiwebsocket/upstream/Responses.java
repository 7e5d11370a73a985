package org.multiwebsocket.upstream;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import org.multiwebsocket.service.ServiceException;

import java.io.StringReader;
import java.net.http.HttpHeaders;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An upstream's answer as the caller receives it (PROTOCOL.md section 11): a JSON body as JSON, any other
 * body as a string, no body as null; a status of 300 or more (redirects are not followed) as an error whose
 * code is the status, message its reason phrase and data {@code {status, body}}.
 */
final class Responses {

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(300, "Multiple Choices"), Map.entry(301, "Moved Permanently"), Map.entry(302, "Found"),
            Map.entry(303, "See Other"), Map.entry(304, "Not Modified"), Map.entry(307, "Temporary Redirect"),
            Map.entry(308, "Permanent Redirect"), Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"),
            Map.entry(402, "Payment Required"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"), Map.entry(406, "Not Acceptable"), Map.entry(408, "Request Timeout"),
            Map.entry(409, "Conflict"), Map.entry(410, "Gone"), Map.entry(411, "Length Required"),
            Map.entry(412, "Precondition Failed"), Map.entry(413, "Content Too Large"), Map.entry(414, "URI Too Long"),
            Map.entry(415, "Unsupported Media Type"), Map.entry(416, "Range Not Satisfiable"),
            Map.entry(417, "Expectation Failed"), Map.entry(421, "Misdirected Request"),
            Map.entry(422, "Unprocessable Content"), Map.entry(423, "Locked"), Map.entry(424, "Failed Dependency"),
            Map.entry(425, "Too Early"), Map.entry(426, "Upgrade Required"), Map.entry(428, "Precondition Required"),
            Map.entry(429, "Too Many Requests"), Map.entry(431, "Request Header Fields Too Large"),
            Map.entry(451, "Unavailable For Legal Reasons"), Map.entry(500, "Internal Server Error"),
            Map.entry(501, "Not Implemented"), Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"), Map.entry(505, "HTTP Version Not Supported"),
            Map.entry(507, "Insufficient Storage"), Map.entry(511, "Network Authentication Required"));

    private Responses() {
    }

    /**
     * @param status  the HTTP status
     * @param headers the response headers
     * @param bytes   the body
     * @return the call's result
     * @throws ServiceException for a status of 300 or more
     */
    static JsonValue result(int status, HttpHeaders headers, byte[] bytes) {
        JsonValue body = body(headers, bytes);
        if (status >= 300) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("status", status);
            data.put("body", body);
            throw new ServiceException(status, reason(status), data);
        }
        return body;
    }

    /** @return the reason phrase of a status ({@code "Not Found"}), or {@code "HTTP <status>"} */
    static String reason(int status) {
        return REASONS.getOrDefault(status, "HTTP " + status);
    }

    static JsonValue body(HttpHeaders headers, byte[] bytes) {
        if (bytes.length == 0) {
            return JsonValue.NULL;
        }
        String contentType = headers.firstValue("Content-Type").orElse("");
        String text = new String(bytes, charset(contentType));
        if (OperationSpec.Media.isJson(contentType)) {
            try (JsonReader reader = Json.createReader(new StringReader(text))) {
                return reader.readValue();
            } catch (JsonException notJson) {
                // the upstream said JSON and sent something else: the caller gets the text
            }
        }
        return Json.createValue(text);
    }

    private static Charset charset(String contentType) {
        for (String parameter : contentType.split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().toLowerCase(Locale.ROOT).equals("charset")) {
                try {
                    return Charset.forName(pair[1].trim().replace("\"", ""));
                } catch (IllegalArgumentException unknown) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
