package io.loadstream.cluster.registry;

import io.loadstream.schemas.registry.CompatibilityLevel;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Decides whether a new schema may join a subject under a compatibility level, with Avro's own
 * schema resolution rules. BACKWARD: the new schema reads data written with the latest one;
 * FORWARD: the latest reads data written with the new one; FULL: both; _TRANSITIVE: against every
 * earlier version, not only the latest.
 */
final class CompatibilityChecker {

    private CompatibilityChecker() {}

    /**
     * The reasons the candidate is incompatible with the subject's versions (oldest first), or an
     * empty list if it is compatible.
     */
    static List<String> incompatibilities(
            CompatibilityLevel level, Schema candidate, List<Schema> versions) {
        List<String> problems = new ArrayList<>();
        if (level == CompatibilityLevel.NONE || versions.isEmpty()) {
            return problems;
        }
        List<Schema> against =
                level.transitive() ? versions : List.of(versions.get(versions.size() - 1));
        for (Schema existing : against) {
            if (level.checksBackward()) {
                check(candidate, existing, "new schema cannot read data written with", problems);
            }
            if (level.checksForward()) {
                check(
                        existing,
                        candidate,
                        "data written with new schema cannot be read by",
                        problems);
            }
        }
        return problems;
    }

    private static void check(Schema reader, Schema writer, String what, List<String> problems) {
        SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
            result.getResult()
                    .getIncompatibilities()
                    .forEach(
                            i ->
                                    problems.add(
                                            what
                                                    + " an earlier version: "
                                                    + i.getType()
                                                    + " at "
                                                    + i.getLocation()
                                                    + " ("
                                                    + i.getMessage()
                                                    + ")"));
        }
    }
}
