package io.loadstream.schemas.topic;

/** An existing topic is configured in a way the pipeline cannot run on. */
public class TopicConfigurationException extends RuntimeException {
    public TopicConfigurationException(String message) {
        super(message);
    }
}
