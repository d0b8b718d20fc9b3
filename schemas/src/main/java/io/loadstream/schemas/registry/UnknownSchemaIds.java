package io.loadstream.schemas.registry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Schema ids the registry said it does not know, remembered for a short while so that a topic full
 * of records with junk ids costs one registry call per id and TTL rather than one per record. Kept
 * short because an id unknown now can be registered a moment later (a producer racing its own
 * registration), and bounded so that random ids cannot grow it without end: past {@code maxIds} the
 * oldest entry goes.
 *
 * <pre>{@code
 * UnknownSchemaIds unknown = new UnknownSchemaIds(Duration.ofSeconds(30), 1_000, System::nanoTime);
 * unknown.remember(id, notFound);
 * unknown.find(id); // the 404 again, without a call, for 30 s
 * }</pre>
 */
final class UnknownSchemaIds {

    private final long ttlNanos;
    private final int maxIds;
    private final LongSupplier nanoClock;
    private final Map<Integer, Entry> entries = new LinkedHashMap<>();

    UnknownSchemaIds(Duration ttl, int maxIds, LongSupplier nanoClock) {
        this.ttlNanos = ttl.toNanos();
        this.maxIds = maxIds;
        this.nanoClock = nanoClock;
    }

    /** Remembers the registry's not-found answer for {@code id}. */
    synchronized void remember(int id, SchemaRegistryException notFound) {
        entries.remove(id);
        entries.put(id, new Entry(notFound, nanoClock.getAsLong() + ttlNanos));
        if (entries.size() > maxIds) {
            entries.remove(entries.keySet().iterator().next());
        }
    }

    /**
     * The not-found answer remembered for {@code id}, as a new exception that says it was
     * remembered; null when there is none or it is older than the TTL.
     */
    synchronized SchemaRegistryException find(int id) {
        Entry entry = entries.get(id);
        if (entry == null) {
            return null;
        }
        if (nanoClock.getAsLong() - entry.expiresNanos >= 0) {
            entries.remove(id);
            return null;
        }
        SchemaRegistryException answer = entry.notFound;
        return new SchemaRegistryException(
                answer.status(),
                answer.errorCode(),
                answer.getMessage()
                        + " (the registry's answer of less than "
                        + Duration.ofNanos(ttlNanos).toSeconds()
                        + " s ago)");
    }

    /** Ids remembered, expired ones included until they are next asked for. */
    synchronized int size() {
        return entries.size();
    }

    private record Entry(SchemaRegistryException notFound, long expiresNanos) {}
}
