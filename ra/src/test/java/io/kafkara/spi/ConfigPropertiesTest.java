package io.kafkara.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.beans.BeanInfo;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.resource.spi.ConfigProperty;

import org.junit.jupiter.api.Test;

import io.kafkara.config.ConfigAccess;
import io.kafkara.config.Level;

/**
 * The JavaBean config properties of the resource adapter and of the managed connection factory are exactly the
 * settings table's, as the container sees them (java.beans introspection, the {@link ConfigProperty} annotation):
 * nothing missing, nothing extra, strings only, secrets confidential, each stored under its own name.
 */
class ConfigPropertiesTest {

    /**
     * JCA's own bean properties of a managed connection factory, which are not configuration: transactionSupport is
     * the read-only level of the TransactionSupport interface (the property behind it is transactionSupportLevel).
     */
    private static final Set<String> JCA_PROPERTIES = Set.of("logWriter", "resourceAdapter", "transactionSupport");

    @Test
    void theFactorysConfigPropertiesAreTheTablesDefinitionProperties() throws Exception {
        assertEquals(new TreeSet<>(ConfigAccess.propertyNamesAt(Level.CONNECTION_DEFINITION)),
                configProperties(KafkaManagedConnectionFactory.class).keySet());
        assertEquals(JCA_PROPERTIES, otherProperties(KafkaManagedConnectionFactory.class));
    }

    @Test
    void theAdaptersConfigPropertiesAreTheTablesAdapterDefaults() throws Exception {
        // Besides the Kafka defaults, the adapter has its own lifecycle setting (OwnSettings.RESOURCE_ADAPTER).
        assertEquals(new TreeSet<>(ConfigAccess.propertyNamesAt(Level.RESOURCE_ADAPTER)),
                configProperties(KafkaResourceAdapter.class).keySet());
        assertEquals(Set.of(), otherProperties(KafkaResourceAdapter.class));
    }

    @Test
    void everyConfigPropertyIsAStringConfidentialExactlyWhenKafkaCallsItAPassword() throws Exception {
        for (PropertyDescriptor property : configProperties(KafkaManagedConnectionFactory.class).values()) {
            ConfigProperty annotation = property.getWriteMethod().getAnnotation(ConfigProperty.class);
            assertEquals(String.class, property.getPropertyType(), property.getName());
            boolean secret = ConfigAccess.forProperty(property.getName()).map(ConfigAccess::isSecret).orElse(false);
            assertEquals(secret, annotation.confidential(), property.getName() + " confidential");
            ConfigAccess.forProperty(property.getName()).ifPresent(setting -> assertTrue(
                    annotation.description()[0].startsWith("Kafka " + setting.key() + ": "),
                    property.getName() + " describes the Kafka key it sets"));
        }
    }

    @Test
    void eachSetterStoresUnderItsOwnNameAndItsGetterReadsIt() throws Exception {
        KafkaManagedConnectionFactory factory = new KafkaManagedConnectionFactory();
        for (PropertyDescriptor property : configProperties(KafkaManagedConnectionFactory.class).values()) {
            String value = "value-of-" + property.getName();
            property.getWriteMethod().invoke(factory, value);

            assertEquals(value, factory.settingValues().get(property.getName()), property.getName());
            assertEquals(value, property.getReadMethod().invoke(factory), property.getName());
        }
    }

    /**
     * Open Liberty reads each config property's default from a new instance of the class that declares it,
     * superclasses included ({@code getConstructor().newInstance()}, then the getter): an abstract class or one
     * without a public no-argument constructor there fails the adapter's deployment.
     */
    @Test
    void everyClassDeclaringAConfigPropertyCanBeInstantiatedToReadItsDefault() throws Exception {
        for (Class<?> bean : new Class<?>[] {KafkaManagedConnectionFactory.class, KafkaResourceAdapter.class}) {
            for (Class<?> declaring = bean; declaring != Object.class; declaring = declaring.getSuperclass()) {
                for (java.lang.reflect.Method setter : declaring.getDeclaredMethods()) {
                    if (setter.isAnnotationPresent(ConfigProperty.class)) {
                        Object instance = declaring.getConstructor().newInstance();
                        Object defaultValue = declaring.getMethod("g" + setter.getName().substring(1)).invoke(instance);
                        assertEquals(null, defaultValue, declaring.getSimpleName() + "." + setter.getName()
                                + ": a property's default is Kafka's, never one of the bean's");
                    }
                }
            }
        }
    }

    @Test
    void factoriesAreEqualExactlyWhenAllTheirPropertiesAre() throws Exception {
        for (PropertyDescriptor property : configProperties(KafkaManagedConnectionFactory.class).values()) {
            KafkaManagedConnectionFactory one = new KafkaManagedConnectionFactory();
            KafkaManagedConnectionFactory other = new KafkaManagedConnectionFactory();
            property.getWriteMethod().invoke(one, "1");

            assertNotEquals(one, other, property.getName() + " is part of equals");
            property.getWriteMethod().invoke(other, "1");
            assertEquals(one, other, property.getName());
            assertEquals(one.hashCode(), other.hashCode(), property.getName());
        }
    }

    private static Map<String, PropertyDescriptor> configProperties(Class<?> bean) throws Exception {
        Map<String, PropertyDescriptor> properties = new TreeMap<>();
        for (PropertyDescriptor property : beanInfo(bean).getPropertyDescriptors()) {
            if (property.getWriteMethod() != null
                    && property.getWriteMethod().isAnnotationPresent(ConfigProperty.class)) {
                assertTrue(property.getReadMethod() != null, property.getName() + " has a getter");
                properties.put(property.getName(), property);
            }
        }
        return properties;
    }

    private static Set<String> otherProperties(Class<?> bean) throws Exception {
        Set<String> others = new TreeSet<>();
        for (PropertyDescriptor property : beanInfo(bean).getPropertyDescriptors()) {
            if (property.getWriteMethod() == null || !property.getWriteMethod().isAnnotationPresent(ConfigProperty.class)) {
                others.add(property.getName());
            }
        }
        return others;
    }

    private static BeanInfo beanInfo(Class<?> bean) throws Exception {
        return Introspector.getBeanInfo(bean, Object.class);
    }
}
