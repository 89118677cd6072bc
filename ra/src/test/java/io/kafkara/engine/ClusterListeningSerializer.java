package io.kafkara.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.common.ClusterResource;
import org.apache.kafka.common.ClusterResourceListener;
import org.apache.kafka.common.serialization.StringSerializer;

/** A serializer that listens for the cluster's id, as Kafka's ClusterResourceListener plug-ins do; counts closes. */
public class ClusterListeningSerializer extends StringSerializer implements ClusterResourceListener {

    static final List<String> CLUSTER_IDS = new CopyOnWriteArrayList<>();
    static final List<String> CLOSED = new CopyOnWriteArrayList<>();

    @Override
    public void onUpdate(ClusterResource clusterResource) {
        CLUSTER_IDS.add(clusterResource.clusterId());
    }

    @Override
    public void close() {
        CLOSED.add("closed");
    }
}
