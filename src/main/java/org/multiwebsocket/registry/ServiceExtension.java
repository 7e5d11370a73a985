package org.multiwebsocket.registry;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import jakarta.enterprise.inject.spi.WithAnnotations;
import org.multiwebsocket.service.Service;
import org.multiwebsocket.service.Topic;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Finds the {@code @Service} beans of the deployment and validates them all before the application
 * starts: any problem fails the deployment with one message listing every problem.
 */
public class ServiceExtension implements Extension {

    private static final Logger LOG = Logger.getLogger(ServiceExtension.class.getName());

    private final Set<Class<?>> annotated = new LinkedHashSet<>();
    private final Set<Class<?>> beans = new LinkedHashSet<>();
    private final Set<Class<?>> topicDeclarations = new LinkedHashSet<>();
    private volatile Map<String, ServiceDefinition> definitions = Map.of();
    private volatile Map<String, TopicDefinition> topics = Map.of();

    <T> void annotated(@Observes @WithAnnotations(Service.class) ProcessAnnotatedType<T> event) {
        if (event.getAnnotatedType().isAnnotationPresent(Service.class)) {
            annotated.add(event.getAnnotatedType().getJavaClass());
        }
    }

    <T> void topic(@Observes @WithAnnotations(Topic.class) ProcessAnnotatedType<T> event) {
        if (event.getAnnotatedType().isAnnotationPresent(Topic.class)) {
            topicDeclarations.add(event.getAnnotatedType().getJavaClass());
        }
    }

    <T> void bean(@Observes ProcessManagedBean<T> event) {
        if (event.getAnnotated().isAnnotationPresent(Service.class)) {
            beans.add(event.getAnnotatedBeanClass().getJavaClass());
        }
    }

    void validate(@Observes AfterDeploymentValidation event) {
        ServiceDefinition.Validation validation = ServiceDefinition.validate(annotated, beans);
        List<String> problems = new ArrayList<>(validation.problems());
        Map<String, TopicDefinition> declared = TopicDefinition.validate(topicDeclarations, problems);
        if (!problems.isEmpty()) {
            event.addDeploymentProblem(new DeploymentException(new ServiceDefinition.Validation(Map.of(), problems).message()));
            return;
        }
        definitions = Map.copyOf(validation.definitions());
        topics = Map.copyOf(declared);
        LOG.info(() -> "MultiWebsocket services: " + definitions.keySet() + ", topics: " + topics.keySet());
    }

    /** @return the validated topic declarations by listed name ({@code chat}, {@code prices/*}) */
    public Map<String, TopicDefinition> topics() {
        return topics;
    }

    /** @return the validated services by canonical name, empty until deployment validation */
    public Map<String, ServiceDefinition> definitions() {
        return definitions;
    }
}
