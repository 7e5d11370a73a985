package org.multiwebsocket.it;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.multiwebsocket.testing.Chromium;
import org.multiwebsocket.testing.Json;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiwebsocket.testing.Json.request;

/**
 * The browser client's streams and topics (PROTOCOL.md sections 8 and 9) and the demo page's chat and
 * stream panels, in headless Chromium against a real gateway.
 */
class BrowserStreamsIT extends GatewayDeployment {

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

    private String discoveryUrl() {
        return uri("api/discover").toString();
    }

    /** A blank page of the gateway with the client script loaded, and {@code url}, the discovery URL, defined. */
    private void blankPage() {
        driver.get(base + "multiwebsocket.js");
        run("""
                await new Promise((loaded, failed) => {
                  const script = document.createElement('script');
                  script.src = '%smultiwebsocket.js';
                  script.onload = loaded;
                  script.onerror = failed;
                  document.head.appendChild(script);
                });
                window.url = '%s';
                window.until = (test) => new Promise((ok) => {
                  const check = () => (test() ? ok() : setTimeout(check, 10));
                  check();
                });
                return {};
                """.formatted(base, discoveryUrl()));
    }

    /**
     * Runs the body of an async function in the page; what it returns comes back as JSON. The
     * session's script timeout (20 s) bounds every wait inside.
     */
    private JsonObject run(String body) {
        Object answer = ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "(async () => {" + body + "})().then((r) => done(JSON.stringify(r)),"
                + " (e) => done(JSON.stringify({ thrown: String(e && e.stack || e) })));");
        JsonObject result = Json.object(String.valueOf(answer));
        assertFalse(result.containsKey("thrown"), () -> result.getString("thrown"));
        return result;
    }

    private int streamsCancelled() throws Exception {
        return rpc(request(1, "test/internals", "{}"))
                .getJsonObject("result").getInt("streamsCancelled");
    }

    private static List<Integer> ints(JsonObject object, String name) {
        return object.getJsonArray(name).getValuesAs(JsonNumber.class).stream().map(JsonNumber::intValue).toList();
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void streamItemsArriveInOrderAndBreakCancelsTheStreamOnTheGateway() throws Exception {
        int cancelledBefore = streamsCancelled();
        blankPage();
        JsonObject outcome = run("""
                const client = new MultiWebsocket.Client({ 'service-discovery-url': url });
                await client.connect();
                const whole = [];
                const iterator = client.stream('test/stream', { count: 20, delayMs: 0, failAfter: -1, size: 0 });
                let step;
                while (!(step = await iterator.next()).done) {
                  whole.push(step.value.n);
                }
                const broken = [];
                for await (const item of client.stream('/test/stream/', { count: 1000, delayMs: 20, failAfter: -1, size: 0 })) {
                  broken.push(item.n);
                  if (broken.length === 5) {
                    break;
                  }
                }
                const collected = await client.callService('test/stream', { count: 3, delayMs: 0, failAfter: -1, size: 0 });
                const after = await client.callService('helloworld', { name: 'after' });
                client.close();
                return { whole, end: step.value, broken, collected: collected.map((item) => item.n), after: after.greeting };
                """);
        assertEquals(range(1, 20), ints(outcome, "whole"));
        assertEquals(20, outcome.getJsonObject("end").getInt("items"), "the iteration ends with the gateway's answer");
        assertEquals(range(1, 5), ints(outcome, "broken"));
        assertEquals(List.of(1, 2, 3), ints(outcome, "collected"), "callService on a stream collects its items");
        assertEquals("Hello, after!", outcome.getString("after"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> streamsCancelled() > cancelledBefore);
    }

    @Test
    void aStreamFailingMidwayRejectsAfterTheItemsBeforeTheFailure() {
        blankPage();
        JsonObject outcome = run("""
                const client = new MultiWebsocket.Client({ 'service-discovery-url': url });
                await client.connect();
                const got = [];
                let failure;
                try {
                  for await (const item of client.stream('test/stream', { count: 10, delayMs: 0, failAfter: 3, size: 0 })) {
                    got.push(item.n);
                  }
                } catch (error) {
                  failure = error;
                }
                const notAStream = await client.stream('helloworld', {}).next().catch((error) => error);
                client.close();
                return { got, code: failure.code, message: failure.message, callError: failure instanceof MultiWebsocket.CallError,
                         notAStream: notAStream.code };
                """);
        assertEquals(List.of(1, 2, 3), ints(outcome, "got"));
        assertEquals(4242, outcome.getInt("code"));
        assertEquals("failed after 3 items", outcome.getString("message"));
        assertTrue(outcome.getBoolean("callError"));
        assertEquals(-32601, outcome.getInt("notAStream"), "discovery does not mark helloworld as a stream");
    }

    @Test
    void withoutSessionsADroppedSocketRejectsTheStreamWithConnectionLost() {
        blankPage();
        JsonObject outcome = run("""
                const client = new MultiWebsocket.Client({ 'service-discovery-url': url, 'reconnect-initial-delay-ms': 100,
                                                           sessions: false });
                await client.connect();
                const got = [];
                let failure;
                try {
                  for await (const item of client.stream('test/stream', { count: 1000, delayMs: 50, failAfter: -1, size: 0 })) {
                    got.push(item.n);
                    if (got.length === 2) {
                      client.callService('test/kick', { code: 1001 }).catch(() => {});
                    }
                  }
                } catch (error) {
                  failure = error;
                }
                await new Promise((ready) => client.onReady(ready));
                const after = await client.callService('helloworld', { name: 'back' });
                client.close();
                return { got: got.length, name: failure.name, code: failure.code, closeCode: failure.data.closeCode,
                         after: after.greeting };
                """);
        int got = outcome.getInt("got");
        assertTrue(got >= 2 && got < 1000, "items before the drop: " + got);
        assertEquals("ConnectionLostError", outcome.getString("name"));
        assertEquals(-32000, outcome.getInt("code"));
        assertEquals(1001, outcome.getInt("closeCode"));
        assertEquals("Hello, back!", outcome.getString("after"));
    }

    @Test
    void theStreamDeadlineRunsBetweenItemsNotOverTheWholeStream() throws Exception {
        int cancelledBefore = streamsCancelled();
        blankPage();
        JsonObject outcome = run("""
                const client = new MultiWebsocket.Client({ 'service-discovery-url': url });
                await client.connect();
                const slow = [];
                for await (const item of client.stream('test/stream', { count: 4, delayMs: 700, failAfter: -1, size: 0 },
                                                       { timeoutMs: 1500 })) {
                  slow.push(item.n);
                }
                let stuck;
                try {
                  for await (const item of client.stream('test/stream', { count: 3, delayMs: 2500, failAfter: -1, size: 0 },
                                                         { timeoutMs: 1000 })) {
                    // none comes within the deadline
                  }
                } catch (error) {
                  stuck = error;
                }
                client.close();
                return { slow, name: stuck.name, code: stuck.code };
                """);
        assertEquals(range(1, 4), ints(outcome, "slow"), "4 items 700 ms apart pass a deadline of 1500 ms per item");
        assertEquals("TimeoutError", outcome.getString("name"));
        assertEquals(-32003, outcome.getInt("code"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> streamsCancelled() > cancelledBefore);
    }

    @Test
    void itemsThePageDoesNotTakeAreBoundedAndTheStreamIsCancelledPastTheBound() throws Exception {
        int cancelledBefore = streamsCancelled();
        blankPage();
        JsonObject first = run("""
                window.client = new MultiWebsocket.Client({ 'service-discovery-url': url });
                await client.connect();
                window.items = client.stream('test/stream', { count: 500, delayMs: 0, failAfter: -1, size: 0 },
                                             { maxBufferedItems: 50 });
                return { first: (await items.next()).value.n };
                """);
        assertEquals(1, first.getInt("first"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> streamsCancelled() > cancelledBefore);
        JsonObject rest = run("""
                const taken = [];
                let failure;
                try {
                  for await (const item of items) {
                    taken.push(item.n);
                  }
                } catch (error) {
                  failure = error;
                }
                client.close();
                return { taken, code: failure.code, bound: failure.data.maxBufferedItems };
                """);
        assertEquals(range(2, 51), ints(rest, "taken"), "the 50 items held are handed out before the failure");
        assertEquals(-32004, rest.getInt("code"));
        assertEquals(50, rest.getInt("bound"));
    }

    @Test
    void aSubscriptionMadeBeforeReadyDeliversMessagesInOrderUntilUnsubscribed() {
        blankPage();
        JsonObject outcome = run("""
                const topic = 'test/prices/SUB';
                const a = new MultiWebsocket.Client({ 'service-discovery-url': url });
                const b = new MultiWebsocket.Client({ 'service-discovery-url': url });
                const got = [];
                const unsubscribe = a.subscribe(topic, (data, meta) => got.push({ n: data.n, text: data.text, ...meta }));
                await Promise.all([a.connect(), b.connect()]);
                const answer = await unsubscribe.subscribed;
                const seenByB = [];
                await b.subscribe(topic, (data) => seenByB.push(data.n)).subscribed;
                await b.callService('test/publish', { topic, count: 3, text: 'live' });
                await until(() => got.length === 3 && seenByB.length === 3);
                const first = await unsubscribe();
                const again = await unsubscribe();
                await b.callService('test/publish', { topic, count: 2, text: 'after' });
                await until(() => seenByB.length === 5);
                await a.callService('helloworld', {}); // a round trip on a's socket after the two went out
                a.close();
                b.close();
                return { answer, got, first, again, gotInTheEnd: got.length };
                """);
        JsonObject answer = outcome.getJsonObject("answer");
        assertEquals("test/prices/SUB", answer.getString("topic"));
        assertTrue(answer.getBoolean("recovered"));
        long start = answer.getJsonNumber("offset").longValue();
        List<JsonObject> got = outcome.getJsonArray("got").getValuesAs(JsonObject.class);
        assertEquals(3, got.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i + 1, got.get(i).getInt("n"));
            assertEquals("live", got.get(i).getString("text"));
            assertEquals(start + i + 1, got.get(i).getJsonNumber("offset").longValue());
            assertEquals(answer.getString("epoch"), got.get(i).getString("epoch"));
            assertEquals("test/prices/SUB", got.get(i).getString("topic"));
        }
        assertEquals(JsonValue.TRUE, outcome.get("first"));
        assertEquals(JsonValue.FALSE, outcome.get("again"));
        assertEquals(3, outcome.getInt("gotInTheEnd"), "a message came after unsubscribe");
    }

    /**
     * Client {@code a} subscribes, sees one message, is kicked off; while it is away (its reconnection
     * waits, held at discovery, until {@code b} has published) {@code missed} messages are published;
     * back, it sees what it gets, then one live message. Without a session, so that what it gets is what
     * {@code since} replays from the history (a session would keep every message; ClientSessionsIT).
     */
    private JsonObject dropWhileMessagesArePublished(String topic, int missed) {
        blankPage();
        return run("""
                const topic = '%s';
                const missed = %d;
                const realFetch = window.fetch;
                let held = null;
                window.fetch = (...args) => (held ? held.then(() => realFetch(...args)) : realFetch(...args));
                const a = new MultiWebsocket.Client({ 'service-discovery-url': url, 'reconnect-initial-delay-ms': 50,
                                                      sessions: false });
                const b = new MultiWebsocket.Client({ 'service-discovery-url': url });
                const got = [];
                const gaps = [];
                a.on('gap', (gap) => gaps.push(gap));
                const subscription = a.subscribe(topic, (data, meta) => got.push({ n: data.n, text: data.text, offset: meta.offset }));
                await Promise.all([a.connect(), b.connect()]);
                const answer = await subscription.subscribed;
                await b.callService('test/publish', { topic, count: 1, text: 'before' });
                await until(() => got.length === 1);
                a.on('disconnected', () => {
                  held = b.callService('test/publish', { topic, count: missed, text: 'missed' });
                });
                const back = new Promise((reconnected) => a.on('reconnected', reconnected));
                a.callService('test/kick', { code: 1001 }).catch(() => {});
                await back;
                await until(() => got.length > 1 && got[got.length - 1].n === missed);
                await b.callService('test/publish', { topic, count: 1, text: 'live' });
                await until(() => got[got.length - 1].text === 'live');
                a.close();
                b.close();
                return { answer, got, gaps };
                """.formatted(topic, missed));
    }

    @Test
    void afterADroppedSocketTheSubscriptionResumesWithSinceAndDeliversWhatWasMissed() {
        JsonObject outcome = dropWhileMessagesArePublished("test/topic", 3);
        long start = outcome.getJsonObject("answer").getJsonNumber("offset").longValue();
        List<JsonObject> got = outcome.getJsonArray("got").getValuesAs(JsonObject.class);
        assertEquals(List.of("before", "missed", "missed", "missed", "live"),
                got.stream().map(m -> m.getString("text")).toList());
        assertEquals(List.of(1, 1, 2, 3, 1), got.stream().map(m -> m.getInt("n")).toList());
        assertEquals(List.of(start + 1, start + 2, start + 3, start + 4, start + 5), got.stream().map(m -> m.getJsonNumber("offset").longValue()).toList());
        assertEquals(0, outcome.getJsonArray("gaps").size(), "history 5 kept the 3 missed messages");
    }

    @Test
    void missingMoreThanTheHistoryKeepsEmitsGapAndDeliversWhatIsKept() {
        JsonObject outcome = dropWhileMessagesArePublished("test/prices/GAP", 5);
        JsonObject answer = outcome.getJsonObject("answer");
        long start = answer.getJsonNumber("offset").longValue();
        List<JsonObject> got = outcome.getJsonArray("got").getValuesAs(JsonObject.class);
        assertEquals(List.of("before", "missed", "missed", "live"), got.stream().map(m -> m.getString("text")).toList());
        assertEquals(List.of(1, 4, 5, 1), got.stream().map(m -> m.getInt("n")).toList(), "history 2 keeps the last two");
        assertEquals(List.of(start + 1, start + 5, start + 6, start + 7),
                got.stream().map(m -> m.getJsonNumber("offset").longValue()).toList());
        List<JsonObject> gaps = outcome.getJsonArray("gaps").getValuesAs(JsonObject.class);
        assertEquals(1, gaps.size());
        JsonObject gap = gaps.get(0);
        assertEquals("test/prices/GAP", gap.getString("topic"));
        assertEquals(start + 1, gap.getJsonObject("since").getJsonNumber("offset").longValue());
        assertEquals(answer.getString("epoch"), gap.getJsonObject("since").getString("epoch"));
        assertEquals(start + 6, gap.getJsonNumber("offset").longValue());
        assertEquals(answer.getString("epoch"), gap.getString("epoch"));
    }

    // The demo page.

    private static WebDriverWait waiting(WebDriver browser, int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    private void openDemo(WebDriver browser) {
        browser.get(base + "index.html");
        waiting(browser, 15).until(d -> d.findElement(By.id("state")).getText().equalsIgnoreCase("connected"));
    }

    private static List<String> chat(WebDriver browser) {
        return browser.findElements(By.cssSelector("#chat-messages li")).stream().map(WebElement::getText).toList();
    }

    private static void say(WebDriver browser, String name, String text) {
        WebElement nameField = browser.findElement(By.id("chat-name"));
        nameField.clear();
        nameField.sendKeys(name);
        browser.findElement(By.id("chat-text")).sendKeys(text);
        browser.findElement(By.id("chat-send")).click();
        waiting(browser, 10).until(d -> d.findElement(By.id("chat-text")).getDomProperty("value").isEmpty());
    }

    private static boolean shows(WebDriver browser, String line) {
        return chat(browser).stream().anyMatch(shown -> shown.startsWith(line));
    }

    @Test
    void twoBrowsersChatOnTheDemoPageAndOneThatJoinsAgainSeesTheHistory() throws Exception {
        String nonce = UUID.randomUUID().toString().substring(0, 8);
        String fromAda = "Ada: hello from the first browser " + nonce;
        String fromBob = "Bob: hello back from the second " + nonce;
        ChromeDriver other = Chromium.start(1100, 1200);
        try {
            openDemo(driver);
            openDemo(other);
            say(driver, "Ada", fromAda.substring("Ada: ".length()));
            waiting(other, 10).until(d -> shows(d, fromAda));
            waiting(driver, 10).until(d -> shows(d, fromAda));
            say(other, "Bob", fromBob.substring("Bob: ".length()));
            waiting(driver, 10).until(d -> shows(d, fromBob));

            other.navigate().refresh();
            openDemo(other);
            waiting(other, 10).until(d -> shows(d, fromAda) && shows(d, fromBob));
            List<String> history = chat(other);
            int ada = IntStream.range(0, history.size()).filter(i -> history.get(i).startsWith(fromAda)).findFirst().orElseThrow();
            int bob = IntStream.range(0, history.size()).filter(i -> history.get(i).startsWith(fromBob)).findFirst().orElseThrow();
            assertTrue(ada < bob, "the history keeps the order: " + history);
            assertEquals(1, history.stream().filter(line -> line.startsWith(fromAda)).count(), "no message twice: " + history);
            waiting(other, 10).until(d -> d.findElement(By.id("hello-answer")).getText().contains("Hello"));
            Chromium.screenshot(other, "demo-chat.png");
        } finally {
            other.quit();
        }
    }

    private static int streamed(WebDriver browser) {
        return browser.findElements(By.cssSelector("#stream-items li")).size();
    }

    private static String streamStatus(WebDriver browser) {
        return browser.findElement(By.id("stream-status")).getText();
    }

    private static void startStream(WebDriver browser, String prefix) {
        WebElement field = browser.findElement(By.id("stream-prefix"));
        field.clear();
        field.sendKeys(prefix);
        browser.findElement(By.id("stream-start")).click();
    }

    @Test
    void theDemoStreamShowsWordsOneByOneAndStopStopsThem() throws Exception {
        int stWords = rpc(request(1, "words", "{\"prefix\":\"st\"}")).getJsonArray("result").size();
        int abWords = rpc(request(1, "words", "{\"prefix\":\"ab\"}")).getJsonArray("result").size();
        assertTrue(stWords > 50, "the dictionary has " + stWords + " words starting with st");
        openDemo(driver);

        startStream(driver, "st");
        waiting(driver, 10).until(d -> streamed(d) >= 3);
        int early = streamed(driver);
        assertTrue(early < stWords, "the words arrive one by one, not all at once: " + early + " of " + stWords);
        waiting(driver, 10).until(d -> streamed(d) >= early + 3);
        List<String> words = driver.findElements(By.cssSelector("#stream-items li")).stream().map(WebElement::getText).toList();
        assertTrue(words.stream().allMatch(w -> w.startsWith("st")), words.toString());
        assertEquals(words.stream().sorted().toList(), words, "in the stream's order");

        driver.findElement(By.id("stream-stop")).click();
        waiting(driver, 5).until(d -> streamStatus(d).startsWith("Stopped"));
        int stopped = streamed(driver);
        assertEquals("Stopped after " + stopped + " words.", streamStatus(driver));
        assertTrue(stopped < stWords);
        assertFalse(driver.findElement(By.id("stream-stop")).isEnabled());
        // A second is ten items' worth at 100 ms apart: had the stream gone on, the list would have grown.
        assertThrows(TimeoutException.class, () -> waiting(driver, 1).until(d -> streamed(d) > stopped));

        startStream(driver, "ab");
        waiting(driver, 15).until(d -> streamStatus(d).startsWith("Done"));
        assertEquals("Done: " + abWords + " words.", streamStatus(driver));
        assertEquals(abWords, streamed(driver));
        Chromium.screenshot(driver, "demo-stream.png");
    }
}
