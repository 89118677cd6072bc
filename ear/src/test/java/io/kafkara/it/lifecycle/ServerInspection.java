package io.kafkara.it.lifecycle;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** One reading of {@link InspectServlet}: what adapter traces the server holds right now (after a full GC). */
record ServerInspection(List<String> engineThreads, List<String> producerMBeans, List<String> adapterMBeans,
                        long adapterClasses, int trackedLoaders, List<String> reachableLoaders) {

    private static final Pattern CLIENT_ID = Pattern.compile("[,:](?:client-id|id)=([^,]+)");

    /** Reads what the server holds, with the adapter class loaders the given client run published through. */
    static ServerInspection read(URL probe, String run) throws IOException, InterruptedException {
        return read(URI.create(probe + "inspect?run=" + URLEncoder.encode(run, StandardCharsets.UTF_8)));
    }

    /** As {@link #read(URL, String)}, after the probe adopted the loaders applications left under {@code prefix}. */
    static ServerInspection readAdopting(URL probe, String run, String prefix) throws IOException, InterruptedException {
        return read(URI.create(probe + "inspect?run=" + URLEncoder.encode(run, StandardCharsets.UTF_8)
                + "&registered=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8)));
    }

    /** As {@link #read(URL, String)}, after the server wrote a heap dump of its live objects to the (new) file. */
    static ServerInspection readWithHeapDump(URL probe, String run, File dump) throws IOException, InterruptedException {
        return read(URI.create(probe + "inspect?run=" + URLEncoder.encode(run, StandardCharsets.UTF_8)
                + "&heapDump=" + URLEncoder.encode(dump.getAbsolutePath(), StandardCharsets.UTF_8)));
    }

    private static ServerInspection read(URI inspect) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(inspect)
                .timeout(Duration.ofSeconds(120)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("The probe's inspection failed: " + response.statusCode() + " "
                    + response.body());
        }
        List<String> lines = response.body().lines().toList();
        return new ServerInspection(valuesOf(lines, "thread "), valuesOf(lines, "mbean "),
                valuesOf(lines, "adapter-mbean "),
                Long.parseLong(valuesOf(lines, "adapter-classes ").get(0)),
                Integer.parseInt(valuesOf(lines, "tracked-loaders ").get(0)), valuesOf(lines, "reachable-loader "));
    }

    private static List<String> valuesOf(List<String> lines, String prefix) {
        return lines.stream().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()))
                .toList();
    }

    /** The Kafka client ids of the engines whose MBeans are registered (metrics: client-id=, app info: id=). */
    Set<String> clientIds() {
        return producerMBeans.stream().map(CLIENT_ID::matcher).filter(Matcher::find).map(m -> m.group(1))
                .collect(Collectors.toSet());
    }

    List<String> mbeansOf(Set<String> clientIds) {
        return producerMBeans.stream().filter(name -> {
            Matcher m = CLIENT_ID.matcher(name);
            return m.find() && clientIds.contains(m.group(1));
        }).toList();
    }
}
