package org.multiwebsocket.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.testing.Chromium;
import org.multiwebsocket.testing.Json;
import org.multiwebsocket.testing.ScriptedDiscovery;
import org.multiwebsocket.testing.ScriptedDiscovery.Answer;
import org.multiwebsocket.testing.SilentSocketServer;
import org.multiwebsocket.testing.Tokens;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The browser client and the demo page in a real headless Chromium (Debian's), driven by Selenium. */
class BrowserClientIT extends GatewayDeployment {

    private static ChromeDriver driver;

    @BeforeEach
    void browser() throws Exception {
        if (driver == null) {
            driver = Chromium.start(1100, 1200);
        }
    }

    @AfterAll
    static void quit() {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    private WebDriverWait waiting(int seconds) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds));
    }

    private String discoveryUrl() {
        return uri("api/discover").toString();
    }

    /** The gateway's own discovery document, listing the given gateways instead of itself. */
    private String discoveryListing(String... gateways) throws Exception {
        JsonObject document = Json.object(get("api/discover").body());
        return jakarta.json.Json.createObjectBuilder(document)
                .add("gateway", gateways[0])
                .add("gateways", jakarta.json.Json.createArrayBuilder(List.of(gateways)))
                .build().toString();
    }

    /** Runs an async script on a blank page of the gateway (the client script loaded); returns what it passes to done. */
    private Object inPage(String script) {
        driver.get(base + "multiwebsocket.js");
        return ((JavascriptExecutor) driver).executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                        + "var s = document.createElement('script'); s.src = '" + base + "multiwebsocket.js';"
                        + "s.onload = function () { try {" + script + "} catch (e) { done('thrown: ' + e); } };"
                        + "document.head.appendChild(s);");
    }

    @Test
    void theDemoPageConnectsShowsBothServicesAndCountsUp() throws Exception {
        driver.get(base + "index.html");
        waiting(15).until(d -> d.findElement(By.id("state")).getText().equalsIgnoreCase("connected"));
        waiting(10).until(d -> d.findElement(By.id("hello-answer")).getText().contains("Hello, browser!"));
        waiting(10).until(d -> d.findElement(By.id("auto-answer")).getText().contains("completions"));
        int calls = Integer.parseInt(driver.findElement(By.id("calls")).getText());
        waiting(10).until(d -> Integer.parseInt(d.findElement(By.id("calls")).getText()) >= calls + 4);
        assertEquals("0", driver.findElement(By.id("errors")).getText());
        assertTrue(driver.findElement(By.id("hello-rtt")).getText().endsWith("ms"));
        screenshot("demo-page.png");
    }

    @Test
    void typingInTheSearchBoxShowsCompletions() throws Exception {
        driver.get(base + "index.html");
        waiting(15).until(d -> d.findElement(By.id("state")).getText().equalsIgnoreCase("connected"));
        driver.findElement(By.id("search")).sendKeys("ab");
        waiting(10).until(d -> !d.findElements(By.cssSelector("#suggestions li")).isEmpty());
        List<String> words = driver.findElements(By.cssSelector("#suggestions li")).stream().map(WebElement::getText).toList();
        assertTrue(words.stream().allMatch(w -> w.startsWith("ab")), words.toString());
        driver.findElement(By.id("search")).sendKeys("s");
        waiting(10).until(d -> d.findElements(By.cssSelector("#suggestions li")).stream()
                .allMatch(li -> li.getText().startsWith("abs")));
        screenshot("demo-search.png");
    }

    @Test
    void theOriginalReadmeSnippetLogsTheGreeting() {
        Object logged = inPage(
                "var original = console.log;"
                        + "console.log = function (data) { console.log = original; done(JSON.stringify(data)); };"
                        + "const ExampleClient = function() {"
                        + "  this.config = { 'service-discovery-url': '" + discoveryUrl() + "' };"
                        + "};"
                        + "ExampleClient.prototype = Object.create(MultiWebsocket.Client.prototype);"
                        + "ExampleClient.prototype.helloWorld = function() { return this.callService('/helloworld/', {}); };"
                        + "const client = new ExampleClient();"
                        + "client.connect();"
                        + "client.onReady(() => { client.helloWorld().then((data) => console.log(data)); });");
        JsonObject greeting = Json.object(String.valueOf(logged));
        assertEquals("Hello, World!", greeting.getString("greeting"));
        assertEquals("websocket", greeting.getString("transport"));
    }

    @Test
    void theBrowserClientOffersItsBearerTokenAsASubprotocolEntry() {
        Object result = inPage(
                "var c = new MultiWebsocket.Client({ 'service-discovery-url': '" + discoveryUrl() + "',"
                        + "  'bearer-token': '" + Tokens.valid("ada", "admin") + "' });"
                        + "c.connect().then(function () { return c.callService('test/admin'); })"
                        + "  .then(function (answer) { done(answer); }, function (e) { done('failed: ' + e.code + ' ' + e.message); });");
        assertEquals("secret for ada", result);
    }

    @Test
    void twoInstancesOfASubclassShareNoState() {
        Object result = inPage(
                "var A = function () { this.config = { 'service-discovery-url': '" + discoveryUrl() + "' }; };"
                        + "A.prototype = Object.create(MultiWebsocket.Client.prototype);"
                        + "var a = new A(), b = new A();"
                        + "a.connect().then(function () {"
                        + "  done(JSON.stringify({ a: a.isReady(), b: b.isReady() }));"
                        + "}, function (e) { done('connect failed: ' + e); });");
        assertEquals(Json.object("{\"a\":true,\"b\":false}"), Json.object(String.valueOf(result)));
    }

    @Test
    void theModuleExportsAClientOfItsOwnAndDefinesNoGlobal() {
        driver.get(base + "multiwebsocket.mjs");
        Object result = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('%smultiwebsocket.mjs').then(async (module) => {
                  class HelloClient extends module.Client {
                    constructor() {
                      super();
                      this.config = { 'service-discovery-url': '%s' };
                    }
                    hello() { return this.callService('/helloworld/', { name: 'module' }); }
                  }
                  const client = new HelloClient();
                  await client.connect();
                  const greeting = await client.hello();
                  const unknown = await client.callService('/nosuchservice/').catch((error) => error);
                  done(JSON.stringify({ global: typeof globalThis.MultiWebsocket, greeting: greeting.greeting,
                    unknown: unknown instanceof module.CallError ? unknown.code : String(unknown),
                    subprotocol: module.SUBPROTOCOL, defaultExport: module.default.Client === module.Client }));
                }).catch((error) => done('failed: ' + error));
                """.formatted(base, discoveryUrl()));
        assertEquals(Json.object("""
                {"global": "undefined", "greeting": "Hello, module!", "unknown": -32601,
                 "subprotocol": "multiwebsocket.v1", "defaultExport": true}"""), Json.object(String.valueOf(result)));
    }

    @Test
    void promisesRejectWithTheRightCodes() {
        Object result = inPage(
                "var c = new MultiWebsocket.Client({ 'service-discovery-url': '" + discoveryUrl() + "' });"
                        + "var probe = function () { return c.callService('test/probe').then(function (p) { return p.interrupted; }); };"
                        + "c.connect().then(probe).then(function (interruptedBefore) {"
                        + "  var unknown = c.callService('/nosuchservice/', {});"
                        + "  var atOnce = Promise.race([unknown.catch(function () { return 'rejected'; }),"
                        + "    new Promise(function (r) { setTimeout(function () { r('late'); }, 0); })]);"
                        + "  var calls = [unknown, c.callService('test/fail', null),"
                        + "    c.callService('test/sleep', { ms: 5000, value: 'x' }, { timeoutMs: 300 }),"
                        + "    c.callService('autocomplete', { query: '' })];"
                        + "  Promise.all([atOnce, Promise.allSettled(calls)]).then(function (r) {"
                        + "    setTimeout(function () { probe().then(function (interruptedAfter) {"
                        + "      done(JSON.stringify({ atOnce: r[0], cancelReachedServer: interruptedAfter === interruptedBefore + 1,"
                        + "        errors: r[1].map(function (s) {"
                        + "          return { code: s.reason.code, message: s.reason.message, isError: s.reason instanceof Error,"
                        + "                   data: s.reason.data }; }) }));"
                        + "    }); }, 300);"
                        + "  });"
                        + "});");
        JsonObject outcome = Json.object(String.valueOf(result));
        assertEquals("rejected", outcome.getString("atOnce"), "an unknown service must reject without a round trip");
        assertTrue(outcome.getBoolean("cancelReachedServer"), "after the timeout, rpc.cancel must interrupt the handler");
        List<JsonObject> errors = outcome.getJsonArray("errors").getValuesAs(JsonObject.class);
        assertEquals(List.of(-32601, 404, -32003, -32602), errors.stream().map(e -> e.getInt("code")).toList());
        assertTrue(errors.stream().allMatch(e -> e.getBoolean("isError")));
        assertEquals("no such thing", errors.get(1).getString("message"));
        assertEquals("unicorn", errors.get(1).getJsonObject("data").getString("thing"));
        assertEquals("params.query", errors.get(3).getJsonObject("data").getJsonArray("violations")
                .getJsonObject(0).getString("path"));
    }

    @Test
    void withoutSessionsWhenTheServerClosesTheSocketInFlightPromisesRejectAndTheClientReconnects() {
        Object result = inPage(
                "var c = new MultiWebsocket.Client({ 'service-discovery-url': '" + discoveryUrl() + "',"
                        + "  'reconnect-initial-delay-ms': 100, sessions: false });"
                        + "var events = [];"
                        + "c.on('disconnected', function (r) { events.push('disconnected ' + r.data.closeCode); });"
                        + "c.on('reconnected', function () {"
                        + "  events.push('reconnected');"
                        + "  c.callService('helloworld', { name: 'again' }).then(function (g) {"
                        + "    Promise.allSettled([slow]).then(function (s) {"
                        + "      done(JSON.stringify({ events: events, slow: s[0].reason.code, after: g.greeting }));"
                        + "    });"
                        + "  });"
                        + "});"
                        + "var slow;"
                        + "c.connect().then(function () {"
                        + "  slow = c.callService('test/sleep', { ms: 3000, value: 'x' }, { timeoutMs: 10000 });"
                        + "  slow.catch(function () {});"
                        + "  c.callService('test/echo', { blob: 'x'.repeat(70000) }).catch(function (e) { events.push('refused ' + e.code); });"
                        + "  setTimeout(function () { c.callService('test/kick', { code: 1001 }).catch(function () {}); }, 100);"
                        + "});");
        JsonObject outcome = Json.object(String.valueOf(result));
        assertEquals(List.of("refused -32600", "disconnected 1001", "reconnected"),
                outcome.getJsonArray("events").getValuesAs(jakarta.json.JsonString::getString));
        assertEquals(-32000, outcome.getInt("slow"));
        assertEquals("Hello, again!", outcome.getString("after"));
    }

    @Test
    void closeWhileTheFirstGatewayIsStillOpeningTriesNoFurtherGateway() throws Exception {
        try (SilentSocketServer silent = new SilentSocketServer(Duration.ofMillis(300));
             ScriptedDiscovery discovery = new ScriptedDiscovery(
                     Answer.ok(discoveryListing(silent.gatewayUrl(), gatewayUri().toString())))) {
            Object result = inPage("""
                    const attempts = [];
                    const RealWebSocket = window.WebSocket;
                    window.WebSocket = class extends RealWebSocket {
                      constructor(url, protocols) {
                        super(url, protocols);
                        attempts.push(String(url));
                        if (attempts.length === 1) {
                          this.addEventListener('close', () => setTimeout(() =>
                            done(JSON.stringify({ attempts, ready: client.isReady() })), 0));
                          setTimeout(() => client.close(), 0);
                        }
                      }
                    };
                    const client = new MultiWebsocket.Client({ 'service-discovery-url': '%s' });
                    client.connect().catch(() => {});
                    """.formatted(discovery.uri()));
            JsonObject outcome = Json.object(String.valueOf(result));
            assertEquals(List.of(silent.gatewayUrl()),
                    outcome.getJsonArray("attempts").getValuesAs(jakarta.json.JsonString::getString),
                    "after close() no further gateway may be tried");
            assertFalse(outcome.getBoolean("ready"));
        }
    }

    @Test
    void aGatewayThatClosesRightAfterOpeningMeetsAGrowingBackoffUntilAConnectionStaysUp() {
        Object result = inPage("""
                const discoveries = [];
                const realFetch = window.fetch;
                window.fetch = (...args) => { discoveries.push(performance.now()); return realFetch(...args); };
                const drops = [];
                const client = new MultiWebsocket.Client({ 'service-discovery-url': '%s',
                  'reconnect-initial-delay-ms': 100, 'reconnect-reset-after-ms': 1000 });
                const kick = () => client.callService('test/kick', { code: 1013 }).catch(() => {});
                let opens = 0;
                const opened = () => {
                  opens++;
                  if (opens <= 4) {
                    kick();
                  } else if (opens === 5) {
                    setTimeout(kick, 1200);
                  } else {
                    done(JSON.stringify({ drops, discoveries }));
                  }
                };
                client.on('ready', opened);
                client.on('reconnected', opened);
                client.on('disconnected', () => drops.push(performance.now()));
                client.connect();
                """.formatted(discoveryUrl()));
        JsonObject outcome = Json.object(String.valueOf(result));
        List<Double> drops = numbers(outcome, "drops");
        List<Double> discoveries = numbers(outcome, "discoveries");
        assertEquals(5, drops.size());
        List<Double> waits = drops.stream()
                .map(drop -> discoveries.stream().filter(d -> d > drop).findFirst().orElseThrow() - drop).toList();
        for (int i = 0; i < 4; i++) {
            double least = 100 * Math.pow(2, i) / 2;
            assertTrue(waits.get(i) >= 0.9 * least,
                    "wait " + i + " after a connection closed at once must be at least " + least + " ms: " + waits);
        }
        assertTrue(waits.get(4) < 400, "after a connection that stayed up the backoff starts over: " + waits);
    }

    @Test
    void discoveryAnswering503WithRetryAfterIsAskedAgainOnlyThatMuchLater() throws Exception {
        try (ScriptedDiscovery discovery = new ScriptedDiscovery(
                Answer.unavailable("1"), Answer.ok(discoveryListing(gatewayUri().toString())))) {
            Object result = inPage("""
                    const client = new MultiWebsocket.Client({ 'service-discovery-url': '%s' });
                    const errors = [];
                    client.on('error', (error) => errors.push(error.message));
                    client.connect().catch(() => {});
                    client.onReady(() => client.callService('helloworld', { name: 'patient' })
                      .then((answer) => done(JSON.stringify({ errors, greeting: answer.greeting })),
                            (error) => done('failed: ' + error.message)));
                    """.formatted(discovery.uri()));
            JsonObject outcome = Json.object(String.valueOf(result));
            assertEquals("Hello, patient!", outcome.getString("greeting"));
            assertEquals(1, outcome.getJsonArray("errors").size());
            List<Long> arrivals = discovery.arrivals();
            assertEquals(2, arrivals.size());
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(arrivals.get(1) - arrivals.get(0));
            assertTrue(waitedMs >= 1000, "Retry-After: 1 was answered, the client asked again after " + waitedMs + " ms");
        }
    }

    private static List<Double> numbers(JsonObject object, String name) {
        return object.getJsonArray(name).getValuesAs(jakarta.json.JsonNumber.class).stream()
                .map(jakarta.json.JsonNumber::doubleValue).toList();
    }

    private static void screenshot(String name) throws Exception {
        Chromium.screenshot(driver, name);
    }
}
