package org.multiwebsocket.it.services;

import jakarta.json.JsonValue;
import org.multiwebsocket.service.CallContext;
import org.multiwebsocket.service.Service;

import java.util.List;

/** Echoes params as they came, with what the handler sees of the call. */
@Service(value = "/test/echo/", description = "Echoes params")
public class Echo {

    public record Answer(JsonValue params, JsonValue id, String service, String transport, boolean hasDeadline,
                         String traceparent) {
    }

    public Answer call(JsonValue params, CallContext call) {
        return new Answer(params, call.id(), call.service(), call.transport(), call.deadline() != null,
                call.traceparent().orElse(null));
    }

    /** Sums a list: binds an array. */
    @Service(value = "/test/sum/", description = "Sums numbers")
    public static class Sum {
        public long call(List<Long> numbers) {
            return numbers == null ? 0 : numbers.stream().mapToLong(Long::longValue).sum();
        }
    }
}
