package io.kafkara.it.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Ports on 127.0.0.1 that were free a moment ago. Another process can take one before the broker
 * binds it; {@link KafkaCluster} detects that race and starts over with new ports.
 */
public final class FreePorts {

    private FreePorts() {
    }

    /** {@code count} distinct ports: all sockets stay open until the last is bound, so none repeats. */
    public static List<Integer> reserve(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find " + count + " free ports on 127.0.0.1", e);
        } finally {
            sockets.forEach(FreePorts::closeQuietly);
        }
    }

    public static boolean isFree(int port) {
        try {
            new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing is lost: the port is released either way when this JVM exits.
        }
    }
}
