package org.multiwebsocket.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import org.multiwebsocket.registry.InvalidParams;
import org.multiwebsocket.registry.Violation;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the upstream request's URL, headers and body from validated params, by the document's styles.
 * Every value is percent-encoded byte by byte, leaving only RFC 3986's unreserved characters as they are,
 * so that no value can add a path segment, a query parameter or a fragment ({@code /}, {@code ?}, {@code #},
 * {@code &}, {@code =} and {@code %} all arrive encoded). A path value of {@code .} or {@code ..} or an empty
 * one, and a header or cookie value holding a control character, are refused as invalid params.
 */
final class RequestEncoder {

    /** The request to send, before the gateway's own headers. */
    record Encoded(URI uri, Map<String, String> headers, String body) {
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private RequestEncoder() {
    }

    /**
     * @param base      the upstream's base URL, without a trailing slash
     * @param operation the operation
     * @param params    the params object, already valid against the operation's schema
     * @return the request
     * @throws InvalidParams when a value cannot be sent safely
     */
    static Encoded encode(URI base, OperationSpec operation, JsonNode params) {
        List<Violation> violations = new ArrayList<>();
        StringBuilder path = new StringBuilder();
        String template = operation.path();
        int at = 0;
        while (at < template.length()) {
            int open = template.indexOf('{', at);
            int close = open < 0 ? -1 : template.indexOf('}', open);
            if (close < 0) {
                path.append(template, at, template.length());
                break;
            }
            path.append(template, at, open);
            String name = template.substring(open + 1, close);
            OperationSpec.Param param = find(operation, "path", name);
            JsonNode value = params.get(name);
            if (param == null || value == null || value.isNull()) {
                violations.add(new Violation("params." + name, "is required in the path"));
            } else {
                String raw = value.isValueNode() ? value.asText() : null;
                if (raw != null && (raw.isEmpty() || raw.equals(".") || raw.equals(".."))) {
                    violations.add(new Violation("params." + name, "a path parameter cannot be empty, '.' or '..'"));
                } else {
                    path.append(pathValue(param, value));
                }
            }
            at = close + 1;
        }
        StringBuilder query = new StringBuilder();
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        for (OperationSpec.Param param : operation.parameters()) {
            JsonNode value = params.get(param.name());
            if (value == null || value.isNull()) {
                continue;
            }
            switch (param.in()) {
                case "query" -> query(query, param, value);
                case "header" -> {
                    String text = join(param.json() ? List.of(value.toString()) : items(value, param.explode()), ",");
                    if (hasControl(text)) {
                        violations.add(new Violation("params." + param.name(), "a header value cannot hold control characters"));
                    } else {
                        headers.put(param.name(), text);
                    }
                }
                case "cookie" -> {
                    String text = join(param.json() ? List.of(value.toString()) : items(value, false), ",");
                    cookies.add(encode(param.name()) + "=" + encode(text));
                }
                default -> {
                    // path parameters are placed above
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidParams(Map.of("violations", violations));
        }
        if (!cookies.isEmpty()) {
            headers.put("Cookie", String.join("; ", cookies));
        }
        String body = null;
        JsonNode bodyValue = params.get("body");
        if (operation.body() != null && bodyValue != null && !bodyValue.isMissingNode()) {
            if (operation.body().isJson()) {
                body = bodyValue.toString();
            } else if (operation.body().isForm()) {
                StringBuilder form = new StringBuilder();
                bodyValue.fields().forEachRemaining(e -> {
                    for (String item : items(e.getValue(), true)) {
                        form.append(form.length() == 0 ? "" : "&").append(encode(e.getKey())).append('=').append(encode(item));
                    }
                });
                body = form.toString();
            } else {
                body = bodyValue.isTextual() ? bodyValue.asText() : bodyValue.toString();
            }
            headers.put("Content-Type", operation.body().mediaType());
        }
        String uri = base.toString() + path + (query.length() == 0 ? "" : "?" + query);
        return new Encoded(URI.create(uri), headers, body);
    }

    private static OperationSpec.Param find(OperationSpec operation, String in, String name) {
        for (OperationSpec.Param param : operation.parameters()) {
            if (param.in().equals(in) && param.name().equals(name)) {
                return param;
            }
        }
        return null;
    }

    /** A path value by its style: simple {@code a,b}, label {@code .a.b}, matrix {@code ;id=a;id=b}. */
    private static String pathValue(OperationSpec.Param param, JsonNode value) {
        List<String> items = param.json() ? List.of(value.toString()) : items(value, param.explode());
        List<String> encoded = items.stream().map(RequestEncoder::encode).toList();
        boolean exploded = param.explode() && value.isContainerNode();
        return switch (param.style()) {
            case "label" -> "." + String.join(exploded ? "." : ",", encoded);
            case "matrix" -> exploded && value.isArray()
                    ? encoded.stream().map(item -> ";" + encode(param.name()) + "=" + item).reduce("", String::concat)
                    : ";" + encode(param.name()) + "=" + String.join(",", encoded);
            default -> String.join(",", encoded);
        };
    }

    /** Query parameters by style: form (exploded or not), spaceDelimited, pipeDelimited, deepObject. */
    private static void query(StringBuilder query, OperationSpec.Param param, JsonNode value) {
        String name = encode(param.name());
        if (param.json()) {
            add(query, name, encode(value.toString()));
        } else if (value.isObject() && param.style().equals("deepObject")) {
            value.fields().forEachRemaining(e -> add(query, name + encode("[" + e.getKey() + "]"), encode(scalar(e.getValue()))));
        } else if (value.isObject() && param.explode()) {
            value.fields().forEachRemaining(e -> add(query, encode(e.getKey()), encode(scalar(e.getValue()))));
        } else if (value.isArray() && param.explode() && param.style().equals("form")) {
            value.forEach(item -> add(query, name, encode(scalar(item))));
        } else {
            String delimiter = switch (param.style()) {
                case "spaceDelimited" -> "%20";
                case "pipeDelimited" -> "%7C";
                default -> ",";
            };
            add(query, name, String.join(delimiter, items(value, false).stream().map(RequestEncoder::encode).toList()));
        }
    }

    private static void add(StringBuilder query, String name, String value) {
        query.append(query.length() == 0 ? "" : "&").append(name).append('=').append(value);
    }

    /** The text items of a value: a scalar's text, an array's items, an object's keys and values (or k=v exploded). */
    private static List<String> items(JsonNode value, boolean explode) {
        List<String> items = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(item -> items.add(scalar(item)));
        } else if (value.isObject()) {
            value.fields().forEachRemaining(e -> {
                if (explode) {
                    items.add(e.getKey() + "=" + scalar(e.getValue()));
                } else {
                    items.add(e.getKey());
                    items.add(scalar(e.getValue()));
                }
            });
        } else {
            items.add(scalar(value));
        }
        return items;
    }

    private static String scalar(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static String join(List<String> items, String delimiter) {
        return String.join(delimiter, items);
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f);
    }

    /** Percent-encodes every byte of the UTF-8 text except the unreserved characters of RFC 3986. */
    static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
                    || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
