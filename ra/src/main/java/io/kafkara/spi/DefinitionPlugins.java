package io.kafkara.spi;

import org.apache.kafka.common.KafkaException;

import io.kafkara.api.KafkaResourceException;
import io.kafkara.config.ResolvedSettings;
import io.kafkara.engine.PluginsPerApplication;
import io.kafkara.engine.kafka.ApplicationPlugins;

/**
 * One connection definition's plug-ins for the applications that call it, for one start of the adapter: the
 * caller's context class loader picks the set, so each application's records go through its own classes.
 */
final class DefinitionPlugins {

    private final String identity;
    private final ResolvedSettings settings;
    private final PluginsPerApplication sets;

    DefinitionPlugins(String identity, ResolvedSettings settings, PluginsPerApplication sets) {
        this.identity = identity;
        this.settings = settings;
        this.sets = sets;
    }

    boolean isClosed() {
        return sets.isClosed();
    }

    /** The calling thread's application's set; a class it cannot load or use is an error naming the setting. */
    ApplicationPlugins forCaller() {
        try {
            return sets.forLoader(Thread.currentThread().getContextClassLoader());
        } catch (KafkaException e) {
            throw new KafkaResourceException(identity + " cannot serve connections to this application: Kafka "
                    + "refused its plug-in settings with the application's classes: "
                    + settings.hideSecrets(e.getMessage()) + ". A serializer, partitioner or interceptor class must be "
                    + "in the application, in the adapter, or in a server module that the application or the adapter "
                    + "depends on", e);
        }
    }
}
