package org.multiwebsocket.it.inventory;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The slow and the large answer, as a servlet so that each piece is written and flushed at once: a client
 * that goes away makes a later write fail, which is counted as aborted.
 * {@code /api/slow?ms=N} writes a space every 50 ms for N ms, then {@code {"sleptMs":N}};
 * {@code /api/large?kb=N[&chunked=true]} answers a JSON array of N KiB of text, with a Content-Length unless chunked.
 */
@WebServlet(urlPatterns = {"/api/slow", "/api/large"})
public class Streaming extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Counters.request(request.getRequestURI());
        Counters.STARTED.incrementAndGet();
        response.setContentType("application/json");
        try {
            if (request.getRequestURI().endsWith("/slow")) {
                slow(Long.parseLong(request.getParameter("ms")), response);
            } else {
                large(Integer.parseInt(request.getParameter("kb")), Boolean.parseBoolean(request.getParameter("chunked")), response);
            }
            Counters.COMPLETED.incrementAndGet();
        } catch (IOException | InterruptedException aborted) {
            Counters.ABORTED.incrementAndGet();
        }
    }

    private static void slow(long ms, HttpServletResponse response) throws IOException, InterruptedException {
        OutputStream out = response.getOutputStream();
        long end = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < end) {
            out.write(' ');
            response.flushBuffer();
            Thread.sleep(50);
        }
        out.write(("{\"sleptMs\":" + ms + "}").getBytes(StandardCharsets.UTF_8));
        response.flushBuffer();
    }

    private static void large(int kb, boolean chunked, HttpServletResponse response) throws IOException {
        byte[] piece = "x".repeat(1024).getBytes(StandardCharsets.US_ASCII);
        if (!chunked) {
            response.setContentLengthLong(kb * 1024L + 4);
        }
        OutputStream out = response.getOutputStream();
        out.write("[\"".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < kb; i++) {
            out.write(piece);
            if (i % 16 == 0) {
                response.flushBuffer();
            }
        }
        out.write("\"]".getBytes(StandardCharsets.US_ASCII));
        response.flushBuffer();
    }
}
