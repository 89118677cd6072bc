package io.kafkara.it.run;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Chooses the port offset of the server Arquillian manages when the test run begins, before Arquillian reads
 * arquillian.xml: the first offset from {@code wildfly.port.offset} (default 200) on, in steps of 100, at which every
 * port of the server is free right now, so that a build never fails because something else listens on the machine.
 * arquillian.xml reads the result from the system properties {@code arquillian.port.offset} and
 * {@code arquillian.management.port}.
 */
public final class FreeManagedServerPorts implements LauncherSessionListener {

    static final String OFFSET = "arquillian.port.offset";
    static final String MANAGEMENT_PORT = "arquillian.management.port";
    private static final int MANAGEMENT_HTTP = 9990;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (System.getProperty(OFFSET) != null) {
            return;
        }
        int offset = LocalWildFly.freePortOffset(Integer.getInteger("wildfly.port.offset", 200));
        System.setProperty(OFFSET, Integer.toString(offset));
        System.setProperty(MANAGEMENT_PORT, Integer.toString(MANAGEMENT_HTTP + offset));
        System.out.println("The managed WildFly uses port offset " + offset + " (management port "
                + (MANAGEMENT_HTTP + offset) + ")");
    }
}
