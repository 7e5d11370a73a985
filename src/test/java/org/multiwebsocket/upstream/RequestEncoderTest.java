package org.multiwebsocket.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.registry.InvalidParams;
import org.multiwebsocket.registry.Violation;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Params into URL, headers and body: by the document's styles, and never out of the path or query. */
class RequestEncoderTest {

    private static final URI BASE = URI.create("http://127.0.0.1:1/inventory/api");
    private static OpenApiReader.Document document;

    @BeforeAll
    static void read() throws Exception {
        document = OpenApiReader.read(OpenApiReaderTest.inventory(),
                OpenApiReaderTest.settings("inventory", Set.of(), Set.of(), Map.of()));
    }

    private static RequestEncoder.Encoded encode(String operation, String params) throws Exception {
        return RequestEncoder.encode(BASE, OpenApiReaderTest.operation(document, operation), new ObjectMapper().readTree(params));
    }

    @Test
    void pathQueryHeaderAndBodyByName() throws Exception {
        RequestEncoder.Encoded get = encode("getItem", "{\"id\":\"a1\"}");
        assertEquals("http://127.0.0.1:1/inventory/api/items/a1", get.uri().toString());
        assertEquals(Map.of(), get.headers());
        assertNull(get.body());

        RequestEncoder.Encoded list = encode("listItems", "{\"tag\":\"red fish\",\"limit\":5}");
        assertEquals("/inventory/api/items", list.uri().getRawPath());
        assertEquals("tag=red%20fish&limit=5", list.uri().getRawQuery());

        RequestEncoder.Encoded put = encode("updateItem", "{\"id\":\"a1\",\"body\":{\"name\":\"Nut\",\"quantity\":3}}");
        assertEquals("{\"name\":\"Nut\",\"quantity\":3}", put.body());
        assertEquals(Map.of("Content-Type", "application/json"), put.headers());
    }

    @Test
    void stylesOfTheDocument() throws Exception {
        RequestEncoder.Encoded echo = encode("echo", """
                {"value":"v","q":"x","list":["a","b,c"],"many":[1,2],"filter":{"color":"red","size":"L"},"X-Note":"hi there"}""");
        assertEquals("q=x&list=a,b%2Cc&many=1&many=2&filter%5Bcolor%5D=red&filter%5Bsize%5D=L", echo.uri().getRawQuery());
        assertEquals(Map.of("X-Note", "hi there"), echo.headers());
    }

    @Test
    void aValueCannotLeaveItsPlace() throws Exception {
        assertEquals("/inventory/api/echo/..%2F..%2Fadmin", encode("echo", "{\"value\":\"../../admin\"}").uri().getRawPath());
        assertEquals("/inventory/api/echo/a%3Fq%3Dinjected", encode("echo", "{\"value\":\"a?q=injected\"}").uri().getRawPath());
        assertNull(encode("echo", "{\"value\":\"a?q=injected\"}").uri().getRawQuery());
        assertEquals("/inventory/api/echo/a%23frag", encode("echo", "{\"value\":\"a#frag\"}").uri().getRawPath());
        assertNull(encode("echo", "{\"value\":\"a#frag\"}").uri().getRawFragment());
        assertEquals("/inventory/api/echo/a%252Fb", encode("echo", "{\"value\":\"a%2Fb\"}").uri().getRawPath());
        assertEquals("/inventory/api/echo/%C3%A9t%C3%A9%20%E2%82%AC", encode("echo", "{\"value\":\"été €\"}").uri().getRawPath());
        assertEquals("q=a%26limit%3D1%23x", encode("echo", "{\"value\":\"v\",\"q\":\"a&limit=1#x\"}").uri().getRawQuery());
    }

    @Test
    void dotSegmentsEmptyPathValuesAndControlCharactersAreRefused() {
        for (String value : List.of(".", "..", "")) {
            InvalidParams refused = assertThrows(InvalidParams.class, () -> encode("echo", "{\"value\":\"" + value + "\"}"));
            assertEquals(Map.of("violations", List.of(new Violation("params.value",
                    "a path parameter cannot be empty, '.' or '..'"))), refused.data());
        }
        for (String note : List.of("a\\r\\nX-Injected: 1", "a\\nb", "a\\u0000")) {
            InvalidParams refused = assertThrows(InvalidParams.class,
                    () -> encode("echo", "{\"value\":\"v\",\"X-Note\":\"" + note + "\"}"));
            assertEquals(Map.of("violations", List.of(new Violation("params.X-Note",
                    "a header value cannot hold control characters"))), refused.data());
        }
    }

    @Test
    void everyByteButTheUnreservedIsEncoded() {
        assertEquals("AZaz09-._~", RequestEncoder.encode("AZaz09-._~"));
        assertEquals("%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%25%20%0D%0A",
                RequestEncoder.encode("/?#[]@!$&'()*+,;=% \r\n"));
    }

    @Test
    void labelAndMatrixStyles() throws Exception {
        OperationSpec spec = new OperationSpec("x", "GET", "/a/{l}/b/{m}", "x", List.of(
                new OperationSpec.Param("l", "path", "label", false, false),
                new OperationSpec.Param("m", "path", "matrix", true, false)), null, null);
        JsonNode params = new ObjectMapper().readTree("{\"l\":[\"x\",\"y/z\"],\"m\":[1,2]}");
        assertEquals("/inventory/api/a/.x,y%2Fz/b/;m=1;m=2", RequestEncoder.encode(BASE, spec, params).uri().getRawPath());
    }
}
