package io.loadstream.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an integration test class that runs on a real local Kafka broker (KRaft) and the embedded
 * schema registry. Its constructor, {@code @BeforeAll}, {@code @BeforeEach} and test methods may
 * take a {@link TestPipeline} parameter.
 *
 * <pre>{@code
 * @LocalPipeline
 * class AnalyzePipelineIT {
 *     @Test
 *     void shouldCountEveryEvent(TestPipeline pipeline) {
 *         Topics topics = pipeline.newTopics(); // a prefix of its own, every topic created
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>The broker and registry start once per JVM and are shared by every test class of a module's
 * test run, so tests isolate themselves by topic prefix (and application id), never by broker. A
 * test that stops the broker starts its own with {@link TestPipeline#startDedicated()}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(LocalPipelineExtension.class)
public @interface LocalPipeline {}
