package org.multiwebsocket.dispatch;

import jakarta.json.JsonValue;
import jakarta.validation.ConstraintViolationException;
import org.multiwebsocket.config.JsonSupport;
import org.multiwebsocket.protocol.JsonRpc;
import org.multiwebsocket.protocol.RpcError;
import org.multiwebsocket.registry.InvalidParams;
import org.multiwebsocket.registry.RpcFailure;
import org.multiwebsocket.registry.Violation;
import org.multiwebsocket.service.ServiceException;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns what a handler produced into the call's answer, by the rules of PROTOCOL.md section 4: a
 * result, the handler's own {@link ServiceException}, -32602 for params, and -32603 with only an
 * error id for anything unexpected (whose stack trace goes to the log, never to the caller).
 */
final class Outcomes {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());

    private final JsonSupport json;

    Outcomes(JsonSupport json) {
        this.json = json;
    }

    void answer(Call call, Object result, Throwable failure) {
        if (failure == null) {
            String resultJson;
            try {
                resultJson = json.toJson(result);
            } catch (RuntimeException e) {
                failInternally(call, e);
                return;
            }
            call.answer(JsonRpc.result(call.id(), resultJson), null);
            return;
        }
        Throwable cause = unwrap(failure);
        if (cause instanceof InvalidParams invalid) {
            fail(call, RpcError.invalidParams(invalid.data()));
        } else if (cause instanceof RpcFailure protocol) {
            fail(call, protocol.error());
        } else if (cause instanceof ServiceException thrown) {
            String data;
            try {
                data = thrown.data() == null ? null : json.toJson(thrown.data());
            } catch (RuntimeException e) {
                failInternally(call, e);
                return;
            }
            call.answer(JsonRpc.error(call.id(), thrown.code(), thrown.getMessage(), data),
                    new RpcError(thrown.code(), thrown.getMessage(), null));
        } else if (cause instanceof ConstraintViolationException violations) {
            fail(call, RpcError.invalidParams(Map.of("violations", Violation.of(violations.getConstraintViolations()))));
        } else {
            failInternally(call, cause);
        }
    }

    /** @return the error response */
    String error(JsonValue id, RpcError error) {
        return JsonRpc.error(id, error.code(), error.message(), error.data() == null ? null : json.toJson(error.data()));
    }

    private void fail(Call call, RpcError error) {
        call.answer(error(call.id(), error), error);
    }

    private void failInternally(Call call, Throwable cause) {
        String errorId = UUID.randomUUID().toString();
        LOG.log(Level.WARNING, "call " + call.id() + " to service " + call.service() + " on " + call.transport()
                + " connection " + call.connectionId() + " failed [errorId=" + errorId + "]"
                + call.traceparent().map(t -> " traceparent=" + t).orElse(""), cause);
        fail(call, RpcError.internalError(errorId));
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
