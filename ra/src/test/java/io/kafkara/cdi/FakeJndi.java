package io.kafkara.cdi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.naming.NameNotFoundException;
import javax.naming.NamingException;

/** A naming context as a map: unknown names fail like the server's context does; remembers what was asked. */
final class FakeJndi implements JndiFactoryLookup.Jndi {

    private final Map<String, Object> bindings = new HashMap<>();
    private final List<String> lookedUp = new ArrayList<>();
    private NamingException failure;

    FakeJndi bind(String name, Object value) {
        bindings.put(name, value);
        return this;
    }

    /** Every lookup fails with this exception, as a broken naming service would. */
    FakeJndi failingWith(NamingException exception) {
        this.failure = exception;
        return this;
    }

    List<String> lookedUp() {
        return lookedUp;
    }

    @Override
    public Object lookup(String name) throws NamingException {
        lookedUp.add(name);
        if (failure != null) {
            throw failure;
        }
        if (!bindings.containsKey(name)) {
            throw new NameNotFoundException(name + " -- service jboss.naming.context.java." + name);
        }
        return bindings.get(name);
    }
}
