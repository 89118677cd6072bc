package io.kafkara.it.config;

import java.io.IOException;
import java.time.Duration;

import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

/**
 * Reloads the server and waits until it runs again, as an administrator does after changing or removing a
 * resource adapter's configuration: WildFly applies those changes only on reload ("reload-required").
 */
public final class ServerReload {

    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final long PAUSE_MS = 200;

    private ServerReload() {
    }

    /**
     * Reloads if the server says it must ("reload-required"), then waits for "running"; since the state was not
     * "running" before, seeing it means the reload is done.
     */
    public static void reloadAndWait(ModelControllerClient client) throws Exception {
        if (!"reload-required".equals(serverState(client))) {
            return;
        }
        try {
            ModelNode result = client.execute(Operations.createOperation("reload"));
            if (!Operations.isSuccessfulOutcome(result)) {
                throw new IllegalStateException("Reload refused: " + Operations.getFailureDescription(result));
            }
        } catch (IOException e) {
            // The server may close the connection before its answer arrives: it is reloading.
        }
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if ("running".equals(serverState(client))) {
                return;
            }
            Thread.sleep(PAUSE_MS);
        }
        throw new IllegalStateException("The server did not run again within " + LIMIT.toSeconds() + " s of a reload");
    }

    /**
     * Reloads into admin-only mode ({@code adminOnly}), where no runtime service runs and a resource whose services
     * WildFly cannot remove at runtime (a work manager) can be removed, or back into normal mode; waits until the
     * server runs in that mode.
     */
    public static void reloadInto(ModelControllerClient client, boolean adminOnly) throws Exception {
        ModelNode reload = Operations.createOperation("reload");
        reload.get("admin-only").set(adminOnly);
        try {
            ModelNode result = client.execute(reload);
            if (!Operations.isSuccessfulOutcome(result)) {
                throw new IllegalStateException("Reload refused: " + Operations.getFailureDescription(result));
            }
        } catch (IOException e) {
            // The server may close the connection before its answer arrives: it is reloading.
        }
        String mode = adminOnly ? "ADMIN_ONLY" : "NORMAL";
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if ("running".equals(serverState(client)) && mode.equals(attribute(client, "running-mode"))) {
                return;
            }
            Thread.sleep(PAUSE_MS);
        }
        throw new IllegalStateException("The server did not run in " + mode + " mode within " + LIMIT.toSeconds()
                + " s of a reload");
    }

    /** The server's state, or null while it does not answer (it is restarting its services). */
    public static String serverState(ModelControllerClient client) {
        return attribute(client, "server-state");
    }

    private static String attribute(ModelControllerClient client, String name) {
        try {
            ModelNode result = client.execute(Operations.createReadAttributeOperation(new ModelNode().setEmptyList(),
                    name));
            return Operations.isSuccessfulOutcome(result) ? Operations.readResult(result).asString() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
