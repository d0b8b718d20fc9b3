package io.loadstream.cluster.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.loadstream.schemas.registry.CompatibilityLevel;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class CompatibilityCheckerTest {

    private static final Schema V1 =
            SchemaBuilder.record("R").fields().requiredString("a").endRecord();
    private static final Schema WITH_DEFAULT =
            SchemaBuilder.record("R")
                    .fields()
                    .requiredString("a")
                    .name("b")
                    .type()
                    .longType()
                    .longDefault(0)
                    .endRecord();
    private static final Schema WITHOUT_DEFAULT =
            SchemaBuilder.record("R").fields().requiredString("a").requiredLong("b").endRecord();
    private static final Schema ONLY_B_WITH_DEFAULT =
            SchemaBuilder.record("R")
                    .fields()
                    .name("b")
                    .type()
                    .longType()
                    .longDefault(0)
                    .endRecord();
    private static final Schema ONLY_B =
            SchemaBuilder.record("R").fields().requiredLong("b").endRecord();

    @Test
    void shouldAcceptAddedFieldWithDefaultUnderBackward() {
        assertThat(
                        CompatibilityChecker.incompatibilities(
                                CompatibilityLevel.BACKWARD, WITH_DEFAULT, List.of(V1)))
                .isEmpty();
    }

    @Test
    void shouldRefuseAddedFieldWithoutDefaultUnderBackwardButNotForward() {
        assertThat(
                        CompatibilityChecker.incompatibilities(
                                CompatibilityLevel.BACKWARD, WITHOUT_DEFAULT, List.of(V1)))
                .singleElement()
                .asString()
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(
                        CompatibilityChecker.incompatibilities(
                                CompatibilityLevel.FORWARD, WITHOUT_DEFAULT, List.of(V1)))
                .isEmpty();
        assertThat(
                        CompatibilityChecker.incompatibilities(
                                CompatibilityLevel.NONE, WITHOUT_DEFAULT, List.of(V1)))
                .isEmpty();
    }

    @Test
    void shouldCheckOnlyLatestUnlessTransitive() {
        // ONLY_B reads data written with the latest version, but not data written with V1
        List<Schema> history = List.of(V1, ONLY_B_WITH_DEFAULT);

        assertThat(
                        CompatibilityChecker.incompatibilities(
                                CompatibilityLevel.BACKWARD, ONLY_B, history))
                .isEmpty();
        assertThat(
                        CompatibilityChecker.incompatibilities(
                                CompatibilityLevel.BACKWARD_TRANSITIVE, ONLY_B, history))
                .isNotEmpty();
    }
}
