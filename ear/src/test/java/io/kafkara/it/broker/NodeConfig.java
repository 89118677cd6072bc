package io.kafkara.it.broker;

import java.nio.file.Path;

/**
 * Where one node lives: its id, its two ports on 127.0.0.1 and its directory. A restart reuses all
 * of them, so clients and peers find the node where it was.
 */
record NodeConfig(int id, int brokerPort, int controllerPort, Path dir) {

    static final String HOST = "127.0.0.1";

    String brokerEndpoint() {
        return HOST + ":" + brokerPort;
    }

    String controllerEndpoint() {
        return HOST + ":" + controllerPort;
    }

    Path dataDir() {
        return dir.resolve("data");
    }

    Path propertiesFile() {
        return dir.resolve("server.properties");
    }

    /** stdout and stderr of every run of this node, appended across restarts. */
    Path logFile() {
        return dir.resolve("server.log");
    }

    Path formatLogFile() {
        return dir.resolve("format.log");
    }
}
