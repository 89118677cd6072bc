package io.kafkara.api;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.enterprise.util.Nonbinding;
import jakarta.inject.Qualifier;

/**
 * Injects, with CDI, the {@link KafkaConnectionFactory} bound at a JNDI name: the CDI counterpart of
 * {@code @Resource(lookup = ...)}. The adapter's own bean archive produces it by looking the name up when the
 * injecting bean is created; injection fails with a {@link KafkaResourceException} naming the JNDI name when
 * nothing (or something else) is bound there.
 *
 * <pre>{@code
 * @ApplicationScoped
 * public class ShipmentEvents {
 *
 *     @Inject
 *     @KafkaFactory("java:/kafka/Orders")
 *     KafkaConnectionFactory orders;
 *
 *     public void shipped(String orderId, String json) {
 *         try (KafkaConnection kafka = orders.getConnection()) {
 *             kafka.send(new ProducerRecord<>("shipments", orderId, json));
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Programmatic lookup: {@code CDI.current().select(KafkaConnectionFactory.class,
 * KafkaFactory.Literal.of("java:/kafka/Orders")).get()}.
 *
 * <p>Where it works: in the modules of an EAR that contains {@code kafka-ra.rar}. A separately deployed
 * application sees a standalone {@code kafka-ra.rar}'s beans only when its {@code jboss-deployment-structure.xml}
 * declares {@code <module name="deployment.kafka-ra.rar" meta-inf="import"/>} as a dependency.
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({FIELD, METHOD, PARAMETER, TYPE})
public @interface KafkaFactory {

    /**
     * The JNDI name the connection factory is bound at, as configured for its connection definition, for example
     * {@code java:/kafka/Orders}. Not part of bean resolution ({@link Nonbinding}): one producer serves every name.
     */
    @Nonbinding
    String value();

    /** An instance of the qualifier, for {@code Instance.select(...)} and {@code CDI.current().select(...)}. */
    final class Literal extends AnnotationLiteral<KafkaFactory> implements KafkaFactory {

        private static final long serialVersionUID = 1L;

        private final String value;

        private Literal(String value) {
            this.value = value;
        }

        public static Literal of(String jndiName) {
            return new Literal(jndiName);
        }

        @Override
        public String value() {
            return value;
        }
    }
}
