package org.multiwebsocket.transport.http;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;

import java.io.IOException;

/**
 * The application's page for every error status and every exception (the default {@code error-page}
 * of {@code web.xml}): the status and its standard reason, as {@code {"error":{"status":404,"message":
 * "Not Found"}}} when the client asked for JSON and as {@code 404 Not Found} otherwise. It never shows
 * an exception, a message given with the error or the server's make, which the container's own page
 * does. Headers set with the error ({@code Allow}, {@code WWW-Authenticate}, {@code Retry-After}) stay.
 * Requested directly, it is a 404.
 */
@WebServlet(ErrorPage.PATH)
public class ErrorPage extends HttpServlet {

    static final String PATH = "/error";
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code
                ? code : HttpServletResponse.SC_NOT_FOUND;
        response.setStatus(status);
        String reason = reason(status);
        response.setCharacterEncoding("UTF-8");
        if (AcceptHeader.prefersJson(request.getHeader("Accept"))) {
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":{\"status\":" + status + ",\"message\":\"" + reason + "\"}}");
        } else {
            response.setContentType("text/plain");
            response.getWriter().write(status + " " + reason + "\n");
        }
    }

    private static String reason(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        if (known != null) {
            return known.getReasonPhrase();
        }
        return status >= 500 ? "Server Error" : status >= 400 ? "Client Error" : "Error";
    }
}
