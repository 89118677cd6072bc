package io.kafkara.it.run;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.kafkara.it.broker.ChildJvm;
import io.kafkara.it.broker.LogTail;
import io.kafkara.it.tx.crash.CrashDeployment;

/**
 * The crash tests' own WildFly never outlives the JVM that started it: a test JVM that is killed (SIGKILL, no
 * shutdown hook) or times out must not leave a server holding ports and a transaction log behind.
 */
class LocalWildFlyIT {

    private static final int TIMEOUT_SECONDS = 30;
    private static final int PORT_OFFSET_BASE = 1300;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void theServerEndsWhenTheJvmThatStartedItIsKilled() throws Exception {
        Path base = CrashDeployment.workDirectory("wildfly-orphan");
        Path stderr = base.resolveSibling("wildfly-orphan-main.log");
        Files.createDirectories(base.getParent());
        String classpathFile = System.getProperty(ChildJvm.CLASSPATH_FILE_PROPERTY);
        List<String> options = classpathFile == null ? List.of()
                : List.of("-D" + ChildJvm.CLASSPATH_FILE_PROPERTY + "=" + classpathFile);
        Process parent = new ChildJvm(ChildJvm.defaultClasspath(), options)
                .command(LocalWildFlyMain.class.getName(), List.of(System.getProperty("jboss.home"), base.toString(),
                        String.valueOf(PORT_OFFSET_BASE)))
                .redirectError(stderr.toFile())
                .start();
        try {
            ProcessHandle server = readUntilReady(parent, stderr);

            parent.destroyForcibly();
            try {
                server.onExit().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                server.destroyForcibly();
                fail("the server JVM " + server.pid() + " outlived its killed parent by " + TIMEOUT_SECONDS + " s");
            }
            Path console = base.resolve("console.log");
            assertTrue(Files.readString(console).contains(LocalWildFly.WATCHDOG_LINE + "; killing the server JVM "
                    + server.pid()), "the watchdog, not something else, ended the server\n" + LogTail.of(console, 20));
        } finally {
            parent.destroyForcibly();
        }
    }

    /** The server JVM LocalWildFlyMain printed before "ready". */
    private static ProcessHandle readUntilReady(Process parent, Path stderr) throws Exception {
        CompletableFuture<ProcessHandle> pid = CompletableFuture.supplyAsync(() -> {
            ProcessHandle server = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.equals("ready") && server != null) {
                        return server;
                    }
                    if (line.startsWith("pid ")) {
                        server = ProcessHandle.of(Long.parseLong(line.substring(4))).orElseThrow();
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("LocalWildFlyMain ended before it was ready");
        });
        try {
            return pid.get(3, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new AssertionError("LocalWildFlyMain did not start WildFly; its stderr:\n" + LogTail.of(stderr, 40), e);
        }
    }
}
