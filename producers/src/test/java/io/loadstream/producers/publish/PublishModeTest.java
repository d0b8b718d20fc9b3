package io.loadstream.producers.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loadstream.schemas.topic.Topics;
import org.junit.jupiter.api.Test;

class PublishModeTest {

    @Test
    void shouldReadEitherModeInAnyCaseAndNameItsTopic() {
        Topics topics = new Topics("t.");

        assertThat(PublishMode.parse("Events").topic(topics)).isEqualTo(topics.timings());
        assertThat(PublishMode.parse("histograms").topic(topics)).isEqualTo(topics.histograms());
        assertThat(PublishMode.HISTOGRAMS).hasToString("histograms");
    }

    @Test
    void shouldRefuseAnyOtherMode() {
        assertThatThrownBy(() -> PublishMode.parse("raw"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--publish must be events or histograms, not 'raw'");
    }
}
