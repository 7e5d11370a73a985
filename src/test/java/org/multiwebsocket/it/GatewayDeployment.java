package org.multiwebsocket.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiwebsocket.it.services.Sleep;
import org.multiwebsocket.testing.Json;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The product WAR as {@code mvn package} built it, plus the test services, on a managed Payara Micro;
 * the tests talk to it from outside as any client would.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
public abstract class GatewayDeployment {

    /** HTTP/1.1: the JDK client's h2c upgrade attempt on a large POST stalls against Payara until it times out. */
    protected static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @ArquillianResource
    protected URL base;

    @Deployment(testable = false)
    public static WebArchive deployment() {
        return productWar().addPackage(Sleep.class.getPackage());
    }

    /** The WAR that {@code mvn package} built. */
    public static WebArchive productWar() {
        File war = new File(System.getProperty("multiwebsocket.war", "target/multiwebsocket.war"));
        if (!war.isFile()) {
            throw new IllegalStateException(war + " is missing: run the tests with mvn verify");
        }
        return ShrinkWrap.createFromZipFile(WebArchive.class, war);
    }

    protected URI gatewayUri() {
        return URI.create(base.toString().replaceFirst("^http", "ws") + "gateway");
    }

    protected URI uri(String path) {
        return URI.create(base.toString() + path);
    }

    /**
     * POSTs a JSON-RPC request to {@code api/rpc}: @return the response object; any other answer (an error page,
     * an empty body) is printed and fails with its status, headers and body, so that a rare one says what it was.
     */
    protected JsonObject rpc(String request) throws Exception {
        HttpResponse<String> response = post("api/rpc", request);
        JsonValue body;
        try {
            body = Json.parse(response.body());
        } catch (RuntimeException e) {
            body = null;
        }
        if (body instanceof JsonObject answer) {
            return answer;
        }
        AssertionError unexpected = new AssertionError("POST api/rpc " + request + " answered " + response.statusCode()
                + " " + response.headers().map() + ": " + response.body());
        System.out.println(unexpected.getMessage());
        throw unexpected;
    }

    protected HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
