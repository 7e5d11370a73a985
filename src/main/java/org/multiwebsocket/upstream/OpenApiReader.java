package org.multiwebsocket.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an OpenAPI 3 document with swagger-parser into the operations the gateway publishes: every operation
 * with an operationId that the upstream's include and exclude lists let through. Nothing the document names
 * is fetched: external references are not resolved. What cannot be published (no operationId, an unsupported
 * body, a parameter the params object cannot hold) is left out and noted.
 */
final class OpenApiReader {

    /** What a document yielded. */
    record Document(List<OperationSpec> operations, Optional<String> serverPath, List<String> notes) {
    }

    /** A document that cannot be used at all. */
    static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message, null, false, false);
        }
    }

    private static final Pattern OPERATION_ID = Pattern.compile("[A-Za-z0-9._~-]+");
    /** Headers the document cannot set: OpenAPI ignores the first three, the JDK's client refuses the rest. */
    private static final Set<String> RESERVED_HEADERS = Set.of("accept", "content-type", "authorization", "connection",
            "content-length", "expect", "host", "upgrade", "traceparent", "te", "trailer", "transfer-encoding");

    private OpenApiReader() {
    }

    /**
     * @param text     the document, JSON or YAML
     * @param settings the upstream's configuration (filters, static headers)
     * @return the operations
     * @throws Unusable when the text is not an OpenAPI 3 document
     */
    static Document read(String text, UpstreamConfig.Settings settings) throws Unusable {
        ParseOptions options = new ParseOptions();
        options.setResolve(false);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(text, null, options);
        OpenAPI api = result == null ? null : result.getOpenAPI();
        if (api == null || api.getOpenapi() == null || !api.getOpenapi().startsWith("3.")) {
            List<String> messages = result == null || result.getMessages() == null ? List.of() : result.getMessages();
            throw new Unusable("not an OpenAPI 3 document" + (messages.isEmpty() ? "" : ": " + String.join("; ",
                    messages.subList(0, Math.min(5, messages.size())))));
        }
        List<String> notes = new ArrayList<>();
        boolean v30 = api.getSpecVersion() != SpecVersion.V31 && !api.getOpenapi().startsWith("3.1");
        ObjectMapper mapper = v30 ? Json.mapper() : Json31.mapper();
        Components components = api.getComponents() == null ? new Components() : api.getComponents();
        List<OperationSpec> operations = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        if (api.getPaths() != null) {
            api.getPaths().forEach((path, item) -> {
                if (item == null) {
                    return;
                }
                item.readOperationsMap().forEach((method, operation) -> {
                    String where = method + " " + path;
                    String id = operation.getOperationId();
                    if (id == null || id.isBlank()) {
                        notes.add(where + " has no operationId: not published");
                    } else if (!OPERATION_ID.matcher(id).matches()) {
                        notes.add(where + ": operationId '" + id + "' is not usable in a service name: not published");
                    } else if (!ids.add(id)) {
                        notes.add(where + ": operationId '" + id + "' is used twice: not published twice");
                    } else if (selected(settings, id, operation.getTags())) {
                        OperationSpec spec = operation(mapper, v30, components, settings, path, method, item, operation, notes);
                        if (spec != null) {
                            operations.add(spec);
                        }
                    }
                });
            });
        }
        Optional<String> serverPath = api.getServers() == null || api.getServers().isEmpty()
                ? Optional.empty() : Optional.ofNullable(api.getServers().get(0).getUrl());
        return new Document(List.copyOf(operations), serverPath, List.copyOf(notes));
    }

    private static boolean selected(UpstreamConfig.Settings settings, String id, List<String> tags) {
        List<String> entries = new ArrayList<>();
        entries.add(id);
        if (tags != null) {
            tags.forEach(tag -> entries.add("tag:" + tag));
        }
        boolean included = settings.include().isEmpty() || entries.stream().anyMatch(settings.include()::contains);
        return included && entries.stream().noneMatch(settings.exclude()::contains);
    }

    private static OperationSpec operation(ObjectMapper mapper, boolean v30, Components components,
                                           UpstreamConfig.Settings settings, String path, PathItem.HttpMethod method,
                                           PathItem item, Operation operation, List<String> notes) {
        String where = operation.getOperationId() + " (" + method + " " + path + ")";
        List<String> problems = new ArrayList<>();
        JsonSchemas schemas = new JsonSchemas(v30, name -> component(mapper, components, name), problems);
        Map<String, Parameter> byKey = new LinkedHashMap<>();
        for (List<Parameter> level : java.util.Arrays.asList(item.getParameters(), operation.getParameters())) {
            if (level != null) {
                for (Parameter declared : level) {
                    Parameter parameter = resolve(declared, components);
                    if (parameter == null || parameter.getName() == null || parameter.getIn() == null) {
                        problems.add("a parameter reference cannot be resolved");
                        continue;
                    }
                    byKey.put(parameter.getIn() + ":" + parameter.getName(), parameter);
                }
            }
        }
        Map<String, ObjectNode> properties = new LinkedHashMap<>();
        Set<String> required = new LinkedHashSet<>();
        List<OperationSpec.Param> params = new ArrayList<>();
        for (Parameter parameter : byKey.values()) {
            String name = parameter.getName();
            String in = parameter.getIn().toLowerCase(Locale.ROOT);
            if (in.equals("header") && (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))
                    || settings.headers().keySet().stream().anyMatch(name::equalsIgnoreCase))) {
                notes.add(where + ": the header parameter " + name + " is left out (the gateway sets it)");
                continue;
            }
            if (properties.containsKey(name) || name.equals("body")) {
                problems.add("two parameters (or a parameter and the body) are both named '" + name + "'");
                continue;
            }
            boolean json = parameter.getSchema() == null && parameter.getContent() != null;
            JsonNode schema = json ? mapper.valueToTree(first(parameter.getContent()).getSchema())
                    : mapper.valueToTree(parameter.getSchema());
            ObjectNode converted = schemas.convert(schema);
            if (parameter.getDescription() != null && !converted.has("$ref") && !converted.has("description")) {
                converted.put("description", parameter.getDescription());
            }
            properties.put(name, converted);
            if (in.equals("path") || Boolean.TRUE.equals(parameter.getRequired())) {
                required.add(name);
            }
            params.add(new OperationSpec.Param(name, in, style(parameter, in), explode(parameter, in), json));
        }
        OperationSpec.Body body = null;
        RequestBody requestBody = resolve(operation.getRequestBody(), components);
        if (requestBody != null && requestBody.getContent() != null && !requestBody.getContent().isEmpty()) {
            String mediaType = mediaType(requestBody.getContent());
            if (mediaType == null) {
                notes.add(where + " takes a body of " + requestBody.getContent().keySet()
                        + " (only JSON, text and form-urlencoded bodies are supported): not published");
                return null;
            }
            body = new OperationSpec.Body(mediaType, Boolean.TRUE.equals(requestBody.getRequired()));
            properties.put("body", schemas.convert(mapper.valueToTree(requestBody.getContent().get(mediaType).getSchema())));
            if (body.required()) {
                required.add("body");
            }
        }
        ObjectNode paramsSchema = schemas.params(properties, required);
        if (!problems.isEmpty()) {
            notes.add(where + ": " + String.join("; ", problems) + ": not published");
            return null;
        }
        String summary = operation.getSummary() != null && !operation.getSummary().isBlank() ? operation.getSummary().trim()
                : operation.getDescription() != null && !operation.getDescription().isBlank()
                ? operation.getDescription().trim().lines().findFirst().orElse("") : method + " " + path;
        return new OperationSpec(operation.getOperationId(), method.name(), path, summary, List.copyOf(params), body,
                paramsSchema);
    }

    private static JsonNode component(ObjectMapper mapper, Components components, String name) {
        if (components.getSchemas() == null || !components.getSchemas().containsKey(name)) {
            return null;
        }
        return mapper.valueToTree(components.getSchemas().get(name));
    }

    private static Parameter resolve(Parameter parameter, Components components) {
        for (int depth = 0; parameter != null && parameter.get$ref() != null && depth < 8; depth++) {
            String name = local(parameter.get$ref(), "#/components/parameters/");
            parameter = name == null || components.getParameters() == null ? null : components.getParameters().get(name);
        }
        return parameter;
    }

    private static RequestBody resolve(RequestBody body, Components components) {
        for (int depth = 0; body != null && body.get$ref() != null && depth < 8; depth++) {
            String name = local(body.get$ref(), "#/components/requestBodies/");
            body = name == null || components.getRequestBodies() == null ? null : components.getRequestBodies().get(name);
        }
        return body;
    }

    private static String local(String ref, String prefix) {
        return ref.startsWith(prefix) ? ref.substring(prefix.length()) : null;
    }

    private static MediaType first(Content content) {
        return content.values().iterator().next();
    }

    /** The body's media type the gateway sends: JSON first, then form-urlencoded, then text. */
    private static String mediaType(Content content) {
        for (String type : content.keySet()) {
            if (OperationSpec.Media.isJson(type)) {
                return type;
            }
        }
        for (String type : content.keySet()) {
            if (type.equalsIgnoreCase("application/x-www-form-urlencoded")) {
                return type;
            }
        }
        for (String type : content.keySet()) {
            if (type.toLowerCase(Locale.ROOT).startsWith("text/")) {
                return type;
            }
        }
        return null;
    }

    private static String style(Parameter parameter, String in) {
        if (parameter.getStyle() != null) {
            return parameter.getStyle().toString();
        }
        return in.equals("query") || in.equals("cookie") ? "form" : "simple";
    }

    private static boolean explode(Parameter parameter, String in) {
        if (parameter.getExplode() != null) {
            return parameter.getExplode();
        }
        return style(parameter, in).equals("form");
    }
}
