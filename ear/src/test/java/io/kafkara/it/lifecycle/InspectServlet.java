package io.kafkara.it.lifecycle;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Arrays;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What an adapter deployment leaves in the server, one item per line, for the lifecycle tests to assert on:
 * {@code thread <name>} for every thread that runs Kafka's Sender or adapter code or has Kafka's network-thread
 * name, {@code mbean <name>} for every {@code kafka.producer} MBean, {@code adapter-mbean <name>} for every MBean
 * of the adapter's own ({@code io.kafkara}, e.g. in-doubt branches), and {@code adapter-classes <n>}; with
 * {@code run=<topic>}, {@code tracked-loaders <n>} and one {@code reachable-loader <description>} per adapter class
 * loader of that client run still reachable ({@link TrackedAdapterLoaders}); with {@code registered=<prefix>} it
 * first adopts the loaders other applications of the run left in the system properties under that prefix. Everything is read after a full GC. With
 * {@code heapDump=<file>} the server also writes a heap dump of its live objects to that (new) file, in which
 * the run's loaders can be found ({@link TrackedAdapterLoaders#markForHeapDump}).
 */
@WebServlet("/inspect")
public class InspectServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String ADAPTER_CLASS = "io.kafkara.spi.KafkaResourceAdapter";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        PrintWriter out = response.getWriter();
        for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            if (isEngineThread(thread)) {
                out.println("thread " + thread.getThreadName());
            }
        }
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        // A full GC clears the weak references to unreachable loaders and unloads their classes.
        ManagementFactory.getMemoryMXBean().gc();
        String run = request.getParameter("run");
        if (run != null) {
            String registered = request.getParameter("registered");
            if (registered != null) {
                TrackedAdapterLoaders.adoptRegistered(registered, run);
            }
            out.println("tracked-loaders " + TrackedAdapterLoaders.tracked(run));
            TrackedAdapterLoaders.reachable(run).forEach(loader -> out.println("reachable-loader " + loader));
        }
        try {
            String heapDump = request.getParameter("heapDump");
            if (heapDump != null) {
                if (run != null) {
                    TrackedAdapterLoaders.markForHeapDump(run);
                }
                jmx.invoke(new ObjectName("com.sun.management:type=HotSpotDiagnostic"), "dumpHeap",
                        new Object[] {heapDump, Boolean.TRUE}, new String[] {String.class.getName(), "boolean"});
            }
            for (ObjectName name : jmx.queryNames(new ObjectName("kafka.producer:*"), null)) {
                out.println("mbean " + name);
            }
            for (ObjectName name : jmx.queryNames(new ObjectName("io.kafkara:*"), null)) {
                out.println("adapter-mbean " + name);
            }
            out.println("adapter-classes " + loadedAdapterClasses(jmx));
        } catch (JMException | RuntimeException e) {
            response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            out.println("inspection failed: " + e + " caused by " + e.getCause());
        }
    }

    private static boolean isEngineThread(ThreadInfo thread) {
        return thread.getThreadName().startsWith("kafka-producer-network-thread")
                || Arrays.stream(thread.getStackTrace()).anyMatch(frame ->
                frame.getClassName().equals("org.apache.kafka.clients.producer.internals.Sender")
                        || frame.getClassName().startsWith("io.kafkara.spi.")
                        || frame.getClassName().startsWith("io.kafkara.engine."));
    }

    /**
     * How many copies of the adapter's entry class the JVM holds after a full GC: one per adapter deployment whose
     * class loader is still reachable (an idle WildFly pool thread may keep the last task it ran). Counted with the
     * JVM's diagnostic command VM.class_hierarchy (as jcmd runs it), which lists every loaded class once per loader.
     */
    private static long loadedAdapterClasses(MBeanServer jmx) throws JMException {
        String hierarchy = diagnosticCommand(jmx, "vmClassHierarchy");
        return hierarchy.lines().filter(line -> line.contains(ADAPTER_CLASS + "/")).count();
    }

    private static String diagnosticCommand(MBeanServer jmx, String operation) throws JMException {
        return (String) jmx.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), operation,
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }
}
