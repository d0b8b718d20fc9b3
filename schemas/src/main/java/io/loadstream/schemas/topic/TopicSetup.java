package io.loadstream.schemas.topic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the pipeline's missing topics and checks the existing ones. Idempotent: a second run
 * creates nothing. It refuses, before creating anything, to run on an existing topic whose cleanup
 * policy is wrong, since a compacted result topic that deletes, or an event topic that compacts,
 * would lose data silently.
 */
public final class TopicSetup {

    /**
     * What setup found and did: partitions of the topics it created and of those that existed, and
     * the names of those missing (only when checking).
     */
    public record Result(
            Map<String, Integer> created, Map<String, Integer> existing, List<String> missing) {}

    private final Admin admin;
    private final Optional<Short> replicationFactor;

    /**
     * @param replicationFactor replication factor of created topics; empty for the broker default
     */
    public TopicSetup(Admin admin, Optional<Short> replicationFactor) {
        this.admin = admin;
        this.replicationFactor = replicationFactor;
    }

    /** Creates what is missing of {@code topics} and checks the rest. */
    public Result ensure(Collection<TopicSpec> topics) {
        try {
            Map<String, Integer> existing = describe(topics);
            checkCleanupPolicies(topics, existing);
            Map<String, Integer> created = new LinkedHashMap<>();
            for (TopicSpec topic : topics) {
                if (!existing.containsKey(topic.name()) && create(topic)) {
                    created.put(topic.name(), topic.partitions());
                }
            }
            if (created.size() + existing.size() < topics.size()) {
                // another process created some of them meanwhile: check those as well
                return new Result(
                        created, ensure(remaining(topics, created)).existing(), List.of());
            }
            return new Result(created, existing, List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "topic setup failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Checks {@code topics} without creating anything: which exist, which are missing. */
    public Result check(Collection<TopicSpec> topics) {
        try {
            Map<String, Integer> existing = describe(topics);
            checkCleanupPolicies(topics, existing);
            List<String> missing =
                    topics.stream()
                            .map(TopicSpec::name)
                            .filter(name -> !existing.containsKey(name))
                            .toList();
            return new Result(Map.of(), existing, missing);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "topic check failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private Map<String, Integer> describe(Collection<TopicSpec> topics)
            throws InterruptedException, ExecutionException {
        Map<String, Integer> partitions = new LinkedHashMap<>();
        var futures =
                admin.describeTopics(topics.stream().map(TopicSpec::name).toList())
                        .topicNameValues();
        for (TopicSpec topic : topics) {
            try {
                TopicDescription description = futures.get(topic.name()).get();
                partitions.put(topic.name(), description.partitions().size());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        }
        return partitions;
    }

    private void checkCleanupPolicies(Collection<TopicSpec> topics, Map<String, Integer> existing)
            throws InterruptedException, ExecutionException {
        List<ConfigResource> resources =
                existing.keySet().stream()
                        .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                        .toList();
        if (resources.isEmpty()) {
            return;
        }
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
        List<String> problems = new ArrayList<>();
        for (TopicSpec topic : topics) {
            Config config =
                    configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
            if (config == null) {
                continue;
            }
            var entry = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
            String actual = entry == null ? TopicConfig.CLEANUP_POLICY_DELETE : entry.value();
            if (!actual.replace(" ", "").equals(topic.cleanupPolicy().config())) {
                problems.add(
                        "topic "
                                + topic.name()
                                + " has cleanup.policy="
                                + actual
                                + " but must have cleanup.policy="
                                + topic.cleanupPolicy().config());
            }
        }
        if (!problems.isEmpty()) {
            throw new TopicConfigurationException(
                    String.join("\n", problems)
                            + "\nResult and state topics must be compacted (only the latest value"
                            + " of each key is kept); event topics must delete by retention."
                            + " Change the topic's config (kafka-configs.sh --alter --entity-type"
                            + " topics --entity-name NAME --add-config cleanup.policy=...) or use"
                            + " another topic prefix.");
        }
    }

    private boolean create(TopicSpec topic) throws InterruptedException, ExecutionException {
        NewTopic newTopic =
                new NewTopic(topic.name(), Optional.of(topic.partitions()), replicationFactor)
                        .configs(
                                Map.of(
                                        TopicConfig.CLEANUP_POLICY_CONFIG,
                                        topic.cleanupPolicy().config()));
        try {
            admin.createTopics(List.of(newTopic)).all().get();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw e;
        }
    }

    private static List<TopicSpec> remaining(
            Collection<TopicSpec> topics, Map<String, Integer> created) {
        return topics.stream().filter(t -> !created.containsKey(t.name())).toList();
    }
}
