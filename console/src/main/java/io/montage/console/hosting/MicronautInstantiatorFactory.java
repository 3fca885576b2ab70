package io.montage.console.hosting;

import com.vaadin.flow.di.DefaultInstantiator;
import com.vaadin.flow.di.Instantiator;
import com.vaadin.flow.di.InstantiatorFactory;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinServiceInitListener;
import com.vaadin.flow.server.VaadinServletContext;
import io.micronaut.context.BeanContext;

import java.util.stream.Stream;

/**
 * Lets Vaadin build views (and whatever else it instantiates) as Micronaut beans, so they get the shared services
 * injected. Vaadin creates this class itself (it is handed to its lookup at start-up); the bean context is the
 * one {@link ConsoleServer} stored in the servlet context.
 */
public class MicronautInstantiatorFactory implements InstantiatorFactory {

    static final String BEAN_CONTEXT = BeanContext.class.getName();

    @Override
    public Instantiator createInstantitor(VaadinService service) {
        BeanContext beans = (BeanContext) ((VaadinServletContext) service.getContext()).getContext()
                .getAttribute(BEAN_CONTEXT);
        return beans == null ? null : new MicronautInstantiator(service, beans);
    }

    /** Beans where Micronaut has one (the console's views), Vaadin's own way for everything else. */
    private static final class MicronautInstantiator extends DefaultInstantiator {

        private final transient BeanContext beans;

        MicronautInstantiator(VaadinService service, BeanContext beans) {
            super(service);
            this.beans = beans;
        }

        /** Vaadin's own listeners and the console's (beans), e.g. the session-expired message. */
        @Override
        public Stream<VaadinServiceInitListener> getServiceInitListeners() {
            return Stream.concat(super.getServiceInitListeners(),
                    beans.getBeansOfType(VaadinServiceInitListener.class).stream());
        }

        @Override
        public <T> T getOrCreate(Class<T> type) {
            return beans.containsBean(type) ? beans.getBean(type) : super.getOrCreate(type);
        }
    }
}
