package io.callstream.e2e.support;

import io.callstream.e2e.StackClient;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the one {@link LocalStack} of this test run (started on first use, stopped when
 * the run ends) and a {@link StackClient} per test class.
 */
public final class StackExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalStack.class || type == StackClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        LocalStack stack = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(LocalStack.class, k -> LocalStack.start(), LocalStack.class);
        if (parameter.getParameter().getType() == LocalStack.class) {
            return stack;
        }
        ExtensionContext classContext = context.getParent().filter(c -> c.getTestMethod().isEmpty()).orElse(context);
        return classContext.getStore(ExtensionContext.Namespace.create(StackExtension.class))
                .computeIfAbsent(StackClient.class, k -> stack.client(), StackClient.class);
    }
}
