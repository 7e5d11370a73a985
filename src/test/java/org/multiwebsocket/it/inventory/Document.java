package org.multiwebsocket.it.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The inventory's OpenAPI document, and a switch the tests use to change it: {@code v1} (as shipped),
 * {@code v2} (one more operation, countItems), {@code broken} (not a document at all).
 */
final class Document {

    private static volatile String variant = "v1";

    private Document() {
    }

    static void switchTo(String next) {
        variant = next;
    }

    static String text() {
        String v1 = v1();
        return switch (variant) {
            case "v2" -> v1.replace("paths:\n", """
                    paths:
                      /count:
                        get:
                          operationId: countItems
                          tags: [items]
                          summary: Counts the items
                          responses:
                            "200":
                              description: the count
                    """);
            case "broken" -> "openapi: 3.0.3\npaths: [this is not, a paths object\n";
            default -> v1;
        };
    }

    private static String v1() {
        try (InputStream in = Document.class.getResourceAsStream("openapi.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
