package io.montage.api.admin;

import io.micronaut.context.ApplicationContext;
import picocli.CommandLine;

/** Lets picocli build commands as Micronaut beans, so they get services injected. */
public record BeanFactory(ApplicationContext context) implements CommandLine.IFactory {

    @Override
    public <K> K create(Class<K> type) throws Exception {
        if (context.containsBean(type)) {
            return context.getBean(type);
        }
        return CommandLine.defaultFactory().create(type);
    }
}
