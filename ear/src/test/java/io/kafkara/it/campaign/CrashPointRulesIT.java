package io.kafkara.it.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every crash point's rule parses, names a class that exists and a method it has, and type-checks, against the
 * classes the server runs: the adapter, kafka-clients and pgjdbc of the test classpath, Narayana from the WildFly
 * the build unpacked. A point whose method was renamed would otherwise only show as a campaign round that never
 * fires. No server: Byteman's own rule checker ({@code org.jboss.byteman.check.RuleCheck}), which loads the rules'
 * classes through its own class loader, so it runs in one that also holds Narayana, called by reflection.
 */
class CrashPointRulesIT {

    @ParameterizedTest
    @EnumSource(CrashPoint.class)
    void theRuleMatchesTheClassesTheServerRuns(CrashPoint point) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(classpathWithNarayana(), ClassLoader.getPlatformClassLoader())) {
            Class<?> checkClass = loader.loadClass("org.jboss.byteman.check.RuleCheck");
            Object check = checkClass.getConstructor().newInstance();
            checkClass.getMethod("addRule", String.class, String.class)
                    .invoke(check, point.label(), point.rule(3, "/nonexistent/armed", "/nonexistent/marker"));
            checkClass.getMethod("checkRules").invoke(check);
            Object result = checkClass.getMethod("getResult").invoke(check);
            List<Object> problems = new ArrayList<>();
            for (String messages : List.of("getErrorMessages", "getParseErrorMessages", "getTypeErrorMessages",
                    "getWarningMessages", "getTypeWarningMessages")) {
                // A missing method is a warning ("Unable to transform class ... using rule"), a missing class an error.
                problems.addAll((List<?>) result.getClass().getMethod(messages).invoke(result));
            }
            assertEquals(List.of(), problems, point.where());
        }
    }

    private static URL[] classpathWithNarayana() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : Files.readString(Path.of(System.getProperty("kafka.test.classpath.file"))).strip()
                .split(File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        Path module = Path.of(System.getProperty("jboss.home"), "modules/system/layers/base/org/jboss/jts/main");
        try (Stream<Path> jars = Files.list(module)) {
            urls.add(jars.filter(jar -> jar.getFileName().toString().startsWith("narayana-jts-idlj-")).findFirst()
                    .orElseThrow(() -> new AssertionError("No Narayana jar in " + module)).toUri().toURL());
        }
        return urls.toArray(URL[]::new);
    }
}
