package io.loadstream.schemas.topic;

/** What topic setup needs of a topic: its name, cleanup policy and partition count. */
public record TopicSpec(String name, CleanupPolicy cleanupPolicy, int partitions) {}
