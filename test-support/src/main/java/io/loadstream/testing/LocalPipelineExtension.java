package io.loadstream.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link TestPipeline} parameters with the one pipeline of this JVM, started on first use
 * and closed when the whole test run ends (it lives in JUnit's root store). Use it through {@link
 * LocalPipeline}.
 */
public final class LocalPipelineExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LocalPipelineExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestPipeline.class;
    }

    @Override
    public TestPipeline resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        TestPipeline.class, type -> TestPipeline.start(), TestPipeline.class);
    }
}
