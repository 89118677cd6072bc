package io.kafkara.engine.kafka;

import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.InitProducerIdRequest;

/**
 * InitProducerId at version 6 with {@code enable2Pc=true}: the request that tells a broker with
 * {@code transaction.two.phase.commit.enable=true} never to time the producer's transactions out.
 *
 * <p>kafka-clients 4.3.1 never sends it: its TransactionManager leaves {@code enable2Pc} false, and
 * {@code InitProducerIdRequest.Builder} allows released versions only (v0-v5; v6 is marked unstable, a broker offers
 * it only with {@code unstable.api.versions.enable=true}). This builder allows exactly v6, so a broker that does not
 * offer it fails the request with an {@code UnsupportedVersionException} rather than silently dropping the flag.
 */
final class TwoPhaseInitProducerId extends AbstractRequest.Builder<InitProducerIdRequest> {

    /** The first InitProducerId version that carries enable2Pc. */
    static final short VERSION = 6;

    private final InitProducerIdRequestData data;

    /** Over a copy of the producer's own request data, so that its handler keeps reading what it sent. */
    TwoPhaseInitProducerId(InitProducerIdRequestData original) {
        super(ApiKeys.INIT_PRODUCER_ID, VERSION, VERSION);
        this.data = original.duplicate().setEnable2Pc(true);
    }

    @Override
    public InitProducerIdRequest build(short version) {
        return new InitProducerIdRequest.Builder(data).build(version);
    }

    @Override
    public String toString() {
        return data.toString();
    }
}
