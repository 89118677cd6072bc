package io.kafkara.code;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;

import io.kafkara.code.CompiledMethods.Call;
import io.kafkara.code.CompiledMethods.CompiledClass;
import io.kafkara.code.CompiledMethods.CompiledMethod;
import io.kafkara.code.CompiledMethods.EntryPoints;

/**
 * No code in ra/src/main that nothing calls, and no method public that only the tests need public, checked on the
 * compiled classes. A package-private method that only its package's tests call is a seam for them (a fake clock,
 * network client or container goes in there); a public one is not. What containers and libraries call by
 * reflection is declared here, each with the reason.
 */
class CodeReachabilityTest {

    private static final CompiledMethods MAIN = CompiledMethods.read(Paths.get("target/classes"),
            Paths.get("target/test-classes"));

    /** Annotations whose methods the container calls: JCA config property setters, CDI producers and observers. */
    private static final Set<String> CALLED_BY_THE_CONTAINER = Set.of("Ljakarta/resource/spi/ConfigProperty;",
            "Ljakarta/enterprise/inject/Produces;", "Ljakarta/enterprise/event/Observes;");

    /** Members called by reflection, by class: "new" is the no-argument constructor, "*" every public getter. */
    private static final Map<String, Set<String>> CALLED_BY_NAME = Map.ofEntries(
            // The container instantiates the classes its deployment descriptor (the annotations) names.
            Map.entry("io/kafkara/spi/KafkaResourceAdapter", Set.of("new")),
            Map.entry("io/kafkara/spi/KafkaManagedConnectionFactory", Set.of("new")),
            // Open Liberty reads each config property's default from a new instance of the class declaring it.
            Map.entry("io/kafkara/spi/ResourceAdapterProperties", Set.of("new")),
            Map.entry("io/kafkara/spi/ConnectionDefinitionProperties", Set.of("new")),
            // CDI instantiates the bean and the extension (META-INF/services).
            Map.entry("io/kafkara/cdi/KafkaFactoryProducer", Set.of("new")),
            Map.entry("io/kafkara/observe/ObservabilityExtension", Set.of("new")),
            // Kafka instantiates a serializer by its class name.
            Map.entry("io/kafkara/serialization/JsonbSerializer", Set.of("new")),
            // OptionalApi calls these by name, only where the server makes their API visible.
            Map.entry("io/kafkara/observe/ReadinessBean", Set.of("add")),
            Map.entry("io/kafkara/observe/MicrometerMeters", Set.of("fromBeans")),
            Map.entry("io/kafkara/observe/OpenTelemetryTraceHeaders", Set.of("new")),
            // JMX maps an MXBean's return type to open data through its getters.
            Map.entry("io/kafkara/tx/InDoubtBranchInfo", Set.of("*")));

    static boolean calledByReflection(CompiledClass type, CompiledMethod method) {
        if (type.name().startsWith("io/kafkara/api/")) {
            return true; // the applications' API
        }
        if (type.isInterface() && type.name().endsWith("MXBean")) {
            return true; // JMX calls the MBean interface's methods
        }
        if (method.annotations().stream().anyMatch(CALLED_BY_THE_CONTAINER::contains)) {
            return true;
        }
        if (isGetterOfConfigProperty(type, method)) {
            return true; // the container reads config properties through JavaBean getters
        }
        Set<String> byName = CALLED_BY_NAME.getOrDefault(type.name(), Set.of());
        String name = method.name().equals("<init>") && method.descriptor().equals("()V") ? "new" : method.name();
        return byName.contains(name) || (byName.contains("*") && method.isPublicOrProtected()
                && (name.startsWith("get") || name.startsWith("is")) && method.descriptor().startsWith("()"));
    }

    private static boolean isGetterOfConfigProperty(CompiledClass type, CompiledMethod method) {
        String name = method.name();
        String property = name.startsWith("get") ? name.substring(3) : name.startsWith("is") ? name.substring(2) : null;
        if (property == null || !method.descriptor().startsWith("()")) {
            return false;
        }
        return type.methods().stream().anyMatch(setter -> setter.name().equals("set" + property)
                && setter.annotations().contains("Ljakarta/resource/spi/ConfigProperty;"));
    }

    @Test
    void everyMethodIsCalledByOurCodeOrByReflection() {
        assertEquals(List.of(), MAIN.neverCalled(CodeReachabilityTest::calledByReflection),
                "methods nothing in ra/src/main calls (remove them, or declare the reflective call here)");
    }

    @Test
    void noMethodIsPublicThatOnlyItsOwnPackageCalls() {
        assertEquals(List.of(), MAIN.publicOnlyForTests(CodeReachabilityTest::calledByReflection),
                "public methods no other package of ra/src/main calls (make them package-private)");
    }

    /** Both rules, shown catching what they are meant to on classes and calls made up for it. */
    @Test
    void theRulesCatchWhatTheyAreMeantToCatch() {
        String handle = "io/kafkara/spi/Handle";
        String branch = "io/kafkara/tx/Branch";
        int open = Opcodes.ACC_PUBLIC;
        CompiledClass handleClass = new CompiledClass(handle, open, "java/lang/Object", List.of(), Set.of(), Set.of(),
                List.of(new CompiledMethod(handle, "<init>", "()V", open, Set.of()),
                        new CompiledMethod(handle, "send", "()V", open, Set.of()),
                        new CompiledMethod(handle, "forgotten", "()V", 0, Set.of()),
                        new CompiledMethod(handle, "onlyForTests", "()V", open, Set.of()),
                        new CompiledMethod(handle, "setTopic", "(Ljava/lang/String;)V", open,
                                Set.of("Ljakarta/resource/spi/ConfigProperty;"))));
        CompiledClass branchClass = new CompiledClass(branch, open, "java/lang/Object", List.of(), Set.of(), Set.of(),
                List.of(new CompiledMethod(branch, "<init>", "()V", open, Set.of()),
                        new CompiledMethod(branch, "end", "()V", open, Set.of())));
        List<Call> calls = List.of(new Call(branch, handle, "send", "()V", false),
                new Call(handle, branch, "<init>", "()V", false), new Call(handle, branch, "end", "()V", false),
                new Call("io/kafkara/spi/HandleTest", handle, "onlyForTests", "()V", true));
        CompiledMethods made = new CompiledMethods(Map.of(handle, handleClass, branch, branchClass), Map.of(), calls);
        EntryPoints containerMakesHandles = (type, method) -> calledByReflection(type, method)
                || (type.name().equals(handle) && method.name().equals("<init>"));

        assertEquals(List.of("io.kafkara.spi.Handle.forgotten()"), made.neverCalled(containerMakesHandles));
        assertEquals(List.of("io.kafkara.spi.Handle.onlyForTests()"), made.publicOnlyForTests(containerMakesHandles));
    }
}
