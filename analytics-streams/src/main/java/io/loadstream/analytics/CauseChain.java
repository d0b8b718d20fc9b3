package io.loadstream.analytics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** The causes of a failure, from the failure itself down, for handlers that judge by them. */
public final class CauseChain {

    private CauseChain() {}

    /** {@code failure} and its causes, outermost first; a cause seen before ends the chain. */
    public static List<Throwable> of(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
