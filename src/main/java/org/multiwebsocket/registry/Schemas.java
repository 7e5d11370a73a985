package org.multiwebsocket.registry;

import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationModule;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationOption;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.multiwebsocket.protocol.JsonRpc;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * JSON Schemas of a bean service's params, result and stream items, generated from its Java types
 * (victools jsonschema-generator) with its Bean Validation constraints carried over.
 */
public final class Schemas {

    private static final SchemaGenerator GENERATOR = new SchemaGenerator(
            new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_7, OptionPreset.PLAIN_JSON)
                    .with(Option.NONPUBLIC_NONSTATIC_FIELDS_WITHOUT_GETTERS, Option.DEFINITIONS_FOR_ALL_OBJECTS)
                    .without(Option.SCHEMA_VERSION_INDICATOR)
                    .with(new JakartaValidationModule(JakartaValidationOption.NOT_NULLABLE_FIELD_IS_REQUIRED,
                            JakartaValidationOption.INCLUDE_PATTERN_EXPRESSIONS))
                    .build());

    private Schemas() {
    }

    /** @return the schema of the params, or null when the handler takes none */
    public static JsonObject params(ServiceDefinition definition) {
        Type type = definition.handler().paramsType();
        return type == null ? null : of(type);
    }

    /** @return the schema of the result, or of one item for a stream */
    public static JsonObject result(ServiceDefinition definition) {
        Type type = definition.handler().method().getGenericReturnType();
        while (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw
                && (CompletionStage.class.isAssignableFrom(raw) || Flow.Publisher.class.isAssignableFrom(raw))) {
            type = p.getActualTypeArguments()[0];
        }
        if (type == void.class || type == Void.class) {
            return JsonRpc.JSON.createObjectBuilder().add("type", "null").build();
        }
        return of(type);
    }

    private static JsonObject of(Type type) {
        if (type instanceof Class<?> c && JsonValue.class.isAssignableFrom(c)) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        try {
            JsonValue schema = JsonRpc.read(GENERATOR.generateSchema(type).toString());
            return schema instanceof JsonObject object ? object : JsonValue.EMPTY_JSON_OBJECT;
        } catch (RuntimeException unsupported) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
    }
}
