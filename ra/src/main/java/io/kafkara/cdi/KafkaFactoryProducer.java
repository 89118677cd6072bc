package io.kafkara.cdi;

import java.lang.reflect.Field;
import java.lang.reflect.Member;

import javax.naming.InitialContext;
import javax.naming.NamingException;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.InjectionPoint;

import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.api.KafkaFactory;
import io.kafkara.api.KafkaResourceException;

/**
 * Makes {@code @Inject @KafkaFactory("java:/kafka/Orders") KafkaConnectionFactory} work: the adapter's bean
 * archive (its classes jar carries {@code META-INF/beans.xml}) contributes this bean to every application that
 * can see the adapter's classes.
 *
 * <p>The product is {@link Dependent} so that each injection point gets its own lookup of its own name, and
 * because the factory the server binds is already the shared, serializable object: a client proxy would add
 * nothing.
 */
@Dependent
public class KafkaFactoryProducer {

    private final JndiFactoryLookup lookup;

    public KafkaFactoryProducer() {
        this(new JndiFactoryLookup(KafkaFactoryProducer::lookupInServerContext));
    }

    KafkaFactoryProducer(JndiFactoryLookup lookup) {
        this.lookup = lookup;
    }

    // The qualifier's value is @Nonbinding: this one method serves every JNDI name, read from the injection point.
    @Produces
    @Dependent
    @KafkaFactory("")
    KafkaConnectionFactory connectionFactory(InjectionPoint injectionPoint) {
        String requester = describe(injectionPoint);
        KafkaFactory qualifier = injectionPoint.getQualifiers().stream()
                .filter(KafkaFactory.class::isInstance)
                .map(KafkaFactory.class::cast)
                .findFirst()
                .orElseThrow(() -> new KafkaResourceException("The injection point " + requester
                        + " carries no @KafkaFactory qualifier"));
        return lookup.find(qualifier.value(), requester);
    }

    private static String describe(InjectionPoint injectionPoint) {
        Member member = injectionPoint.getMember();
        if (member == null) {
            return "a programmatic lookup of " + injectionPoint.getType().getTypeName();
        }
        String kind = member instanceof Field ? "field" : "parameter of";
        return kind + " " + member.getDeclaringClass().getName() + "." + member.getName();
    }

    private static Object lookupInServerContext(String name) throws NamingException {
        InitialContext context = new InitialContext();
        try {
            return context.lookup(name);
        } finally {
            context.close();
        }
    }
}
