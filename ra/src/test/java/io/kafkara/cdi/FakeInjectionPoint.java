package io.kafkara.cdi;

import java.lang.annotation.Annotation;
import java.lang.reflect.Member;
import java.lang.reflect.Type;
import java.util.Set;

import jakarta.enterprise.inject.spi.Annotated;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.InjectionPoint;

import io.kafkara.api.KafkaConnectionFactory;

/** What the container passes the producer: the type, qualifiers and member of one injection point. */
final class FakeInjectionPoint implements InjectionPoint {

    private final Set<Annotation> qualifiers;
    private final Member member;

    FakeInjectionPoint(Member member, Annotation... qualifiers) {
        this.member = member;
        this.qualifiers = Set.of(qualifiers);
    }

    @Override
    public Type getType() {
        return KafkaConnectionFactory.class;
    }

    @Override
    public Set<Annotation> getQualifiers() {
        return qualifiers;
    }

    @Override
    public Member getMember() {
        return member;
    }

    @Override
    public Bean<?> getBean() {
        throw new UnsupportedOperationException("getBean");
    }

    @Override
    public Annotated getAnnotated() {
        throw new UnsupportedOperationException("getAnnotated");
    }

    @Override
    public boolean isDelegate() {
        throw new UnsupportedOperationException("isDelegate");
    }

    @Override
    public boolean isTransient() {
        throw new UnsupportedOperationException("isTransient");
    }
}
