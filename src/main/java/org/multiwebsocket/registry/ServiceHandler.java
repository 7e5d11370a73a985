package org.multiwebsocket.registry;

import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.metadata.MethodDescriptor;
import org.multiwebsocket.service.CallContext;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A deployed service ready to be called: binds params, validates them and invokes the bean through a
 * method handle bound at startup, so a call costs no reflection and no argument array.
 */
public final class ServiceHandler implements Handler {

    private static final MethodType SHAPE = MethodType.methodType(Object.class, Object.class, CallContext.class);

    private final ServiceDefinition definition;
    private final Object bean;
    private final Validator validator;
    private final ParamsBinder binder;
    private final MethodHandle invoker;
    private final boolean validateParamsObject;
    private final boolean validateMethod;
    private final boolean needsRequestContext;
    private final boolean nonBlocking;

    /**
     * @param definition the service as declared
     * @param bean       the bean: its one contextual instance when application-scoped, else the container's reference
     * @param jsonb      the shared JSON-B
     * @param validator  Bean Validation
     * @param needsRequestContext whether calls need an active request context (see {@code RequestContextNeed})
     */
    public ServiceHandler(ServiceDefinition definition, Object bean, Jsonb jsonb, Validator validator,
                          boolean needsRequestContext) {
        this.definition = definition;
        this.bean = bean;
        this.validator = validator;
        HandlerMethod handler = definition.handler();
        this.binder = handler.paramsType() == null ? null : new ParamsBinder(jsonb, handler.paramsType());
        this.invoker = invoker(handler, bean);
        this.validateParamsObject = binder != null && binder.isApplicationType()
                && validator.getConstraintsForClass(binder.raw()).isBeanConstrained();
        MethodDescriptor descriptor = validator.getConstraintsForClass(definition.beanClass())
                .getConstraintsForMethod(handler.method().getName(), handler.method().getParameterTypes());
        this.validateMethod = descriptor != null && descriptor.hasConstrainedParameters();
        this.needsRequestContext = needsRequestContext;
        this.nonBlocking = definition.nonBlocking();
    }

    /** @return whether the handler is {@code @NonBlocking}: called on the thread that read the frame */
    @Override
    public boolean nonBlocking() {
        return nonBlocking;
    }

    /** @return whether a call needs an active request context (its bean can reach a request-scoped bean) */
    @Override
    public boolean needsRequestContext() {
        return needsRequestContext;
    }

    @Override
    public String name() {
        return definition.name();
    }

    @Override
    public AccessRule access() {
        return definition.access();
    }

    /** @return the service as declared */
    public ServiceDefinition definition() {
        return definition;
    }

    @Override
    public Listing listing() {
        return new Listing(definition.description(), definition.stream(), null, null);
    }

    /**
     * Binds the params, checks them and calls the handler on the calling thread.
     *
     * @param params  the params as parsed, or null
     * @param context the call, as the handler sees it
     * @return the handler's result as a stage: its own for an asynchronous handler, a completed one otherwise
     * @throws InvalidParams when the params cannot be bound or break a constraint
     * @throws Throwable     what the handler threw
     */
    @Override
    public CompletionStage<?> invoke(JsonValue params, CallContext context) throws Throwable {
        Object bound = binder == null ? null : binder.bind(params);
        if (validateMethod || (validateParamsObject && bound != null)) {
            validate(bound, context);
        }
        Object result = invoker.invokeExact(bound, context);
        if (result instanceof CompletionStage<?> stage) {
            return stage;
        }
        return CompletableFuture.completedFuture(result);
    }

    private void validate(Object bound, CallContext context) {
        Set<? extends ConstraintViolation<?>> violations = Set.of();
        if (validateMethod) {
            HandlerMethod handler = definition.handler();
            Object[] args = new Object[handler.method().getParameterCount()];
            if (handler.paramsIndex() >= 0) {
                args[handler.paramsIndex()] = bound;
            }
            if (handler.contextIndex() >= 0) {
                args[handler.contextIndex()] = context;
            }
            violations = validator.forExecutables().validateParameters(bean, handler.method(), args);
        }
        if (violations.isEmpty() && validateParamsObject && bound != null) {
            violations = validator.validate(bound);
        }
        if (!violations.isEmpty()) {
            throw new InvalidParams(Map.of("violations", Violation.of(violations)));
        }
    }

    /** The handler method as {@code (Object params, CallContext context) -> Object}, bound to the bean. */
    private static MethodHandle invoker(HandlerMethod handler, Object bean) {
        Method method = handler.method();
        MethodHandle target;
        try {
            target = MethodHandles.lookup().unreflect(method).bindTo(bean);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + method + ": " + e.getMessage(), e);
        }
        Class<?>[] erased = new Class<?>[method.getParameterCount()];
        int[] reorder = new int[erased.length];
        for (int i = 0; i < erased.length; i++) {
            boolean context = i == handler.contextIndex();
            erased[i] = context ? CallContext.class : Object.class;
            reorder[i] = context ? 1 : 0;
        }
        MethodHandle generic = target.asType(MethodType.methodType(Object.class, erased));
        return MethodHandles.permuteArguments(generic, SHAPE, reorder);
    }
}
