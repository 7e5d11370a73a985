package org.multiwebsocket.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.multiwebsocket.testing.Chromium;
import org.multiwebsocket.testing.Json;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiwebsocket.testing.Json.request;

/**
 * The console at {@code /console}, in headless Chromium against the gateway with the test services, as
 * a person uses it: it lists what discovery lists, with schemas from the OpenRPC document; calls a
 * service with params pre-filled from its schema; subscribes to a topic and shows a message published
 * from the console itself; streams items one by one and Stop cancels the stream on the gateway; the
 * frames it sent and received are logged with their round trips. Saves {@code target/console.png} (a stream
 * stopped midway) and {@code target/console-chat.png}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT extends GatewayDeployment {

    private static ChromeDriver driver;

    @BeforeEach
    void browser() throws Exception {
        if (driver == null) {
            driver = Chromium.start(1400, 1000);
        }
    }

    @AfterAll
    static void quit() {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    private static WebDriverWait waiting(int seconds) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds));
    }

    /** Opens /console as a person types it, and waits for its socket. */
    private void openConsole() {
        driver.get(base + "console");
        waiting(15).until(d -> d.findElement(By.id("state")).getText().equalsIgnoreCase("connected"));
    }

    private static void pick(String kind, String name) {
        driver.findElement(By.cssSelector("#" + kind + " li[data-name='" + name + "']")).click();
        waiting(5).until(d -> d.findElement(By.id("detail-name")).getText().equals(name));
    }

    private static void params(String json) {
        WebElement editor = driver.findElement(By.id("params"));
        editor.clear();
        editor.sendKeys(json);
    }

    private static List<WebElement> output(String cssClass) {
        return driver.findElements(By.cssSelector("#output li." + cssClass));
    }

    private static String outputText() {
        return driver.findElement(By.id("output")).getText();
    }

    private static List<String> frames() {
        return driver.findElements(By.cssSelector("#frames .frame")).stream().map(WebElement::getText).toList();
    }

    private static Set<String> listed(String list) {
        Set<String> names = new TreeSet<>();
        driver.findElements(By.cssSelector("#" + list + " li")).forEach(item -> names.add(item.getDomAttribute("data-name")));
        return names;
    }

    @Test
    @Order(1)
    void theConsoleIsAtSlashConsoleLinkedFromTheDemoPageAndTheDeclarationsAreServed() throws Exception {
        openConsole();
        assertEquals("MultiWebsocket console", driver.getTitle());
        assertTrue(driver.getCurrentUrl().endsWith("/console/"), driver.getCurrentUrl());

        driver.get(base + "index.html");
        driver.findElement(By.id("console-link")).click();
        waiting(15).until(d -> "MultiWebsocket console".equals(d.getTitle())
                && d.findElement(By.id("state")).getText().equalsIgnoreCase("connected"));

        HttpResponse<String> declarations = get("multiwebsocket.d.ts");
        assertEquals(200, declarations.statusCode());
        assertEquals("text/plain", declarations.headers().firstValue("Content-Type").orElse("").replaceAll(";.*", ""));
        assertTrue(declarations.body().contains("declare namespace MultiWebsocket"));
    }

    @Test
    @Order(2)
    void everyServiceAndTopicOfDiscoveryIsListedAndParamsArePrefilledFromTheSchema() throws Exception {
        JsonObject discovery = Json.object(get("api/discover").body());
        openConsole();
        assertEquals(new TreeSet<>(discovery.getJsonObject("services").keySet()), listed("services"));
        assertEquals(new TreeSet<>(discovery.getJsonObject("topics").keySet()), listed("topics"));

        pick("services", "autocomplete");
        assertEquals("Completes a prefix", driver.findElement(By.id("detail-description")).getText());
        JsonObject example = Json.object(driver.findElement(By.id("params")).getDomProperty("value"));
        assertEquals(Set.of("query", "limit"), example.keySet(), "an example with the schema's properties: " + example);
        assertEquals(1, example.getInt("limit"), "an integer at the schema's minimum");
        assertTrue(example.getString("query").length() >= 1, "a string of at least the schema's minLength");
        String table = driver.findElement(By.id("param-table")).getText();
        assertTrue(table.contains("query string yes length 1..100"), table);
        assertTrue(driver.findElement(By.id("result-schema")).getText().contains("completions"));

        pick("services", "words");
        assertEquals("Start stream", driver.findElement(By.id("run")).getText());
        assertEquals("Each item", driver.findElement(By.id("result-schema-title")).getText());

        pick("services", "test/admin");
        assertTrue(driver.findElement(By.id("detail-badges")).getText().toLowerCase().contains("roles: admin"));
    }

    @Test
    @Order(3)
    void helloworldIsCalledAndItsAnswerAndFramesAreShown() {
        openConsole();
        pick("services", "helloworld");
        params("{\"name\": \"Console\"}");
        driver.findElement(By.id("run")).click();
        waiting(10).until(d -> !output("end").isEmpty() && !output("end").get(0).getText().isEmpty());
        String answer = output("end").get(0).getText();
        assertTrue(answer.contains("\"greeting\": \"Hello, Console!\""), answer);
        assertTrue(answer.matches("(?s)#\\d+ · result · [\\d.]+ ms.*"), answer);

        List<String> frames = frames();
        assertTrue(frames.stream().anyMatch(f -> f.contains("↑") && f.contains("helloworld #")
                && f.contains("{\"jsonrpc\":\"2.0\",\"id\":")), String.join("\n", frames));
        assertTrue(frames.stream().anyMatch(f -> f.contains("↓") && f.matches("(?s).*result #\\d+.*[\\d.]+ ms.*Hello, Console!.*")),
                String.join("\n", frames));

        params("{\"name\": \"" + "x".repeat(101) + "\"}");
        driver.findElement(By.id("run")).click();
        waiting(10).until(d -> !output("error").isEmpty() && !output("error").get(0).getText().isEmpty());
        assertTrue(output("error").get(0).getText().contains("error -32602: Invalid params"), outputText());

        params("{\"name\": ");
        driver.findElement(By.id("run")).click();
        assertTrue(driver.findElement(By.id("params-error")).getText().startsWith("Not JSON"));
    }

    @Test
    @Order(4)
    void theChatTopicShowsAMessagePublishedThroughChatSendFromTheConsole() throws Exception {
        String text = "hello from the console " + UUID.randomUUID().toString().substring(0, 8);
        openConsole();
        pick("topics", "chat");
        assertEquals("Subscribe", driver.findElement(By.id("run")).getText());
        driver.findElement(By.id("run")).click();
        waiting(10).until(d -> outputText().contains("subscribed · offset"));
        assertEquals("Unsubscribe", driver.findElement(By.id("run")).getText());

        pick("services", "chat/send");
        params("{\"name\": \"console\", \"text\": \"" + text + "\"}");
        driver.findElement(By.id("run")).click();
        waiting(10).until(d -> !output("end").isEmpty());

        pick("topics", "chat");
        waiting(10).until(d -> outputText().contains(text));
        assertTrue(frames().stream().anyMatch(f -> f.contains("rpc.message chat @") && f.contains(text)));
        assertTrue(driver.findElement(By.cssSelector("#topics li[data-name='chat']")).getText().contains("LIVE"));
        Chromium.screenshot(driver, "console-chat.png");

        driver.findElement(By.id("run")).click();
        waiting(10).until(d -> outputText().contains("unsubscribed (true)"));
        assertEquals("Subscribe", driver.findElement(By.id("run")).getText());
    }

    private int streamsCancelled() throws Exception {
        return rpc(request(1, "test/internals", "{}"))
                .getJsonObject("result").getInt("streamsCancelled");
    }

    @Test
    @Order(5)
    void wordsArriveOneByOneAndStopCancelsTheStream() throws Exception {
        int words = rpc(request(1, "words", "{\"prefix\":\"st\"}")).getJsonArray("result").size();
        int cancelledBefore = streamsCancelled();
        openConsole();
        pick("services", "helloworld");
        params("{\"name\": \"Ada\"}");
        driver.findElement(By.id("run")).click();
        waiting(10).until(d -> !output("end").isEmpty());

        pick("services", "words");
        params("{\"prefix\": \"st\", \"delayMs\": 100}");
        driver.findElement(By.id("run")).click();
        waiting(10).until(d -> output("item").size() >= 3);
        int early = output("item").size();
        assertTrue(early < words, "the items arrive one by one: " + early + " of " + words);
        waiting(10).until(d -> output("item").size() >= early + 3);
        assertTrue(output("item").get(0).getText().matches("(?s)#\\d+ · item 1 · \\+[\\d.]+ ms\\s+\"st\\w*\""),
                output("item").get(0).getText());
        assertFalse(driver.findElement(By.id("run")).isEnabled(), "one stream at a time");

        driver.findElement(By.id("stop")).click();
        waiting(5).until(d -> outputText().contains("stopped after"));
        int stopped = output("item").size();
        assertTrue(stopped < words);
        assertThrows(TimeoutException.class, () -> waiting(1).until(d -> output("item").size() > stopped));
        assertTrue(frames().stream().anyMatch(f -> f.contains("rpc.cancel (notification)")), String.join("\n", frames()));
        assertTrue(frames().stream().anyMatch(f -> f.contains("error -32005")), String.join("\n", frames()));
        assertTrue(driver.findElement(By.id("run")).isEnabled(), "Start again once stopped");

        // The test stream counts its cancellations: Stop reaches the publisher on the gateway.
        pick("services", "test/stream");
        params("{\"count\": 1000, \"delayMs\": 20, \"failAfter\": -1, \"size\": 0}");
        driver.findElement(By.id("run")).click();
        waiting(10).until(d -> output("item").size() >= 5);
        driver.findElement(By.id("stop")).click();
        waiting(5).until(d -> outputText().contains("stopped after"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> streamsCancelled() > cancelledBefore);

        pick("services", "words");
        assertEquals(stopped, output("item").size(), "each service keeps its own output");
        Chromium.screenshot(driver, "console.png");
    }
}
