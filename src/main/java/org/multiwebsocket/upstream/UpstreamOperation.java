package org.multiwebsocket.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.multiwebsocket.registry.AccessRule;
import org.multiwebsocket.registry.Handler;
import org.multiwebsocket.registry.InvalidParams;
import org.multiwebsocket.registry.Violation;
import org.multiwebsocket.service.CallContext;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * An upstream operation as a service, {@code <upstream>/<operationId>}: checks the params against the
 * operation's JSON Schema (-32602 with the violations, before any request leaves), encodes them into a
 * request and sends it through its upstream. Non-blocking: a call only starts the request.
 */
final class UpstreamOperation implements Handler {

    private static final SchemaRegistry DRAFT_4 = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
    private static final SchemaRegistry DRAFT_2020_12 = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final Upstream upstream;
    private final URI base;
    private final OperationSpec spec;
    private final String name;
    private final AccessRule access;
    private final Schema schema;
    private final Listing listing;

    /**
     * @param upstream the upstream it belongs to
     * @param base     the base URL its path is appended to
     * @param spec     the operation as the document describes it
     */
    UpstreamOperation(Upstream upstream, URI base, OperationSpec spec) {
        this.upstream = upstream;
        this.base = base;
        this.spec = spec;
        this.name = upstream.name() + "/" + spec.id();
        this.access = new AccessRule(false, upstream.settings().roles());
        boolean draft4 = JsonSchemas.DRAFT_4.equals(spec.paramsSchema().path("$schema").asText());
        this.schema = (draft4 ? DRAFT_4 : DRAFT_2020_12).getSchema(spec.paramsSchema());
        this.schema.initializeValidators();
        JsonObject params = JsonBridge.toJsonP(spec.paramsSchema());
        this.listing = new Listing(spec.summary(), false, upstream.name(), params);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public AccessRule access() {
        return access;
    }

    @Override
    public boolean needsRequestContext() {
        return false;
    }

    @Override
    public boolean nonBlocking() {
        return true;
    }

    @Override
    public Listing listing() {
        return listing;
    }

    OperationSpec spec() {
        return spec;
    }

    @Override
    public CompletionStage<?> invoke(JsonValue params, CallContext context) {
        JsonNode tree = JsonBridge.toJackson(params == null ? JsonValue.EMPTY_JSON_OBJECT : params);
        if (!tree.isObject()) {
            throw new InvalidParams(Map.of("reason", "the params of an upstream operation are an object"));
        }
        List<Violation> violations = violations(tree);
        if (!violations.isEmpty()) {
            throw new InvalidParams(Map.of("violations", violations));
        }
        return upstream.send(RequestEncoder.encode(base, spec, tree), spec.method(), context);
    }

    /** @return what the schema finds wrong with the params, as bean services report it */
    List<Violation> violations(JsonNode params) {
        List<Error> errors = schema.validate(params);
        return errors.stream()
                .map(error -> new Violation(path(error), error.getMessage()))
                .distinct()
                .sorted(Comparator.comparing(Violation::path).thenComparing(Violation::message))
                .toList();
    }

    /** {@code params.body.items[0].name} from the error's instance location. */
    private static String path(Error error) {
        StringBuilder path = new StringBuilder("params");
        var location = error.getInstanceLocation();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Number index) {
                path.append('[').append(index).append(']');
            } else {
                path.append('.').append(element);
            }
        }
        if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
            path.append('.').append(error.getProperty());
        }
        return path.toString();
    }
}
