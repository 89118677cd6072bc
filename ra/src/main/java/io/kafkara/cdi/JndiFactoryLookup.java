package io.kafkara.cdi;

import javax.naming.NameNotFoundException;
import javax.naming.NamingException;

import io.kafkara.api.KafkaConnectionFactory;
import io.kafkara.api.KafkaResourceException;

/**
 * Finds the connection factory an injection point names, and turns every way that can fail into a message that
 * names the JNDI name and the injection point, because the exception surfaces in a deployment or bean-creation
 * failure far away from the annotation that caused it.
 */
final class JndiFactoryLookup {

    /** One JNDI lookup; the server's naming context in production, a map in tests. */
    @FunctionalInterface
    interface Jndi {
        Object lookup(String name) throws NamingException;
    }

    private final Jndi jndi;

    JndiFactoryLookup(Jndi jndi) {
        this.jndi = jndi;
    }

    /**
     * @param jndiName the qualifier's value
     * @param requester where the qualifier sits, for the message (for example "field com.acme.Orders.kafka")
     */
    KafkaConnectionFactory find(String jndiName, String requester) {
        if (jndiName == null || jndiName.isBlank()) {
            throw new KafkaResourceException("@KafkaFactory on " + requester + " names no JNDI name; give the name "
                    + "the connection factory is bound at, for example @KafkaFactory(\"java:/kafka/Orders\")");
        }
        String name = jndiName.trim();
        Object bound;
        try {
            bound = jndi.lookup(name);
        } catch (NameNotFoundException e) {
            throw notBound(name, requester, e);
        } catch (NamingException e) {
            throw new KafkaResourceException("Looking up the Kafka connection factory at JNDI name " + name
                    + " for " + requester + " failed: " + e, e);
        }
        if (bound == null) {
            throw notBound(name, requester, null);
        }
        if (!(bound instanceof KafkaConnectionFactory factory)) {
            throw new KafkaResourceException("JNDI name " + name + " (requested by @KafkaFactory on " + requester
                    + ") is bound to a " + bound.getClass().getName() + ", not a Kafka connection factory; name the "
                    + "jndi-name of a connection definition of the Kafka resource adapter");
        }
        return factory;
    }

    private static KafkaResourceException notBound(String name, String requester, NamingException cause) {
        return new KafkaResourceException("No Kafka connection factory is bound at JNDI name " + name
                + " (requested by @KafkaFactory on " + requester + "); define a connection definition of the Kafka "
                + "resource adapter with jndi-name " + name + " and activate it, or correct the name", cause);
    }
}
