package io.kafkara.it.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

/**
 * What was found at the end of a scenario: the records of every touched partition as a read_committed and a
 * read_uncommitted consumer saw them, the partitions a read_committed consumer could not read to their end
 * ({@code stuck}), the adapter's transactions still open, and the ids of the committed database rows.
 * {@link KafkaReader} finds the Kafka part; the scenario adds its rows.
 *
 * <pre>{@code
 * Observation observation = new KafkaReader(bootstrapServers)
 *         .read(List.of(topic), "orders-tx-", Duration.ofSeconds(30))
 *         .withCommittedRows(jdbc.queryIds("select id from orders"));
 * }</pre>
 */
public final class Observation {

    private final List<ObservedRecord> readCommitted;
    private final List<ObservedRecord> readUncommitted;
    private final Set<TopicPartition> stuck;
    private final Set<String> openTransactions;
    private final Set<String> committedRows;

    private Observation(Builder builder) {
        this.readCommitted = List.copyOf(builder.readCommitted);
        this.readUncommitted = List.copyOf(builder.readUncommitted);
        this.stuck = Set.copyOf(builder.stuck);
        this.openTransactions = Set.copyOf(builder.openTransactions);
        this.committedRows = Set.copyOf(builder.committedRows);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** This observation with the ids of the database rows that are committed (e.g. from a SQL query). */
    public Observation withCommittedRows(Collection<String> rowIds) {
        Builder builder = toBuilder();
        builder.committedRows.clear();
        builder.committedRows.addAll(rowIds);
        return builder.build();
    }

    private Builder toBuilder() {
        Builder builder = new Builder();
        builder.readCommitted.addAll(readCommitted);
        builder.readUncommitted.addAll(readUncommitted);
        builder.stuck.addAll(stuck);
        builder.openTransactions.addAll(openTransactions);
        builder.committedRows.addAll(committedRows);
        return builder;
    }

    List<ObservedRecord> readCommitted() {
        return readCommitted;
    }

    List<ObservedRecord> readUncommitted() {
        return readUncommitted;
    }

    Set<TopicPartition> stuck() {
        return stuck;
    }

    Set<String> openTransactions() {
        return openTransactions;
    }

    Set<String> committedRows() {
        return committedRows;
    }

    /** Collects an observation; records of one partition are added in offset order. */
    public static final class Builder {
        private final List<ObservedRecord> readCommitted = new ArrayList<>();
        private final List<ObservedRecord> readUncommitted = new ArrayList<>();
        private final Set<TopicPartition> stuck = new LinkedHashSet<>();
        private final Set<String> openTransactions = new LinkedHashSet<>();
        private final Set<String> committedRows = new LinkedHashSet<>();

        private Builder() {
        }

        public Builder readCommitted(ObservedRecord record) {
            readCommitted.add(record);
            return this;
        }

        public Builder readUncommitted(ObservedRecord record) {
            readUncommitted.add(record);
            return this;
        }

        /** A partition whose last stable offset stayed below its end: an open transaction blocks it. */
        public Builder stuck(TopicPartition partition) {
            stuck.add(partition);
            return this;
        }

        public Builder openTransaction(String transactionalId) {
            openTransactions.add(transactionalId);
            return this;
        }

        public Builder committedRow(String id) {
            committedRows.add(id);
            return this;
        }

        public Observation build() {
            return new Observation(this);
        }
    }
}
