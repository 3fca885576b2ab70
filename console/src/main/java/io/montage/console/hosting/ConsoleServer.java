package io.montage.console.hosting;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.di.LookupInitializer;
import com.vaadin.flow.server.InitParameters;
import com.vaadin.flow.server.VaadinServlet;
import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Context;
import io.micronaut.inject.BeanDefinition;
import io.montage.console.ConsoleConfig;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.annotation.HandlesTypes;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.ee11.servlet.SessionHandler;
import org.eclipse.jetty.ee11.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Hosts Vaadin in an embedded Jetty 12 (ee11), started with the Micronaut context (see ../shared/docs/stack.md for
 * why not a servlet module). Vaadin's start-up initializers get the console's views from Micronaut's bean index
 * instead of a classpath scan; the session cookie is HttpOnly and SameSite=Strict, and idle sessions close.
 */
@Context
public class ConsoleServer {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
    private static final String CONSOLE_PACKAGE = "io.montage.console.";

    private final BeanContext beans;
    private final ConsoleConfig config;
    private Server server;

    public ConsoleServer(BeanContext beans, ConsoleConfig config) {
        this.beans = beans;
        this.config = config;
    }

    @PostConstruct
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);
        server.setHandler(vaadinContext());
        server.setStopAtShutdown(false); // the Micronaut context stops it
        server.start();
        LOG.info("console listening on {}", url());
    }

    /** Where the console answers, e.g. http://127.0.0.1:8081/. */
    public String url() {
        ServerConnector connector = (ServerConnector) server.getConnectors()[0];
        return "http://" + config.host() + ":" + connector.getLocalPort() + "/";
    }

    @PreDestroy
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private ServletContextHandler vaadinContext() {
        ServletContextHandler handler = new ServletContextHandler(ServletContextHandler.SESSIONS);
        handler.setContextPath("/");
        handler.setClassLoader(getClass().getClassLoader());
        handler.setBaseResource(webResources(handler));
        handler.setAttribute(MicronautInstantiatorFactory.BEAN_CONTEXT, beans);
        handler.setSessionHandler(sessions());

        ServletHolder vaadin = new ServletHolder(VaadinServlet.class);
        vaadin.setInitParameter(InitParameters.SERVLET_PARAMETER_PRODUCTION_MODE, "true");
        // a session ends after session-timeout without a request, even while a tab keeps sending heartbeats
        vaadin.setInitParameter(InitParameters.SERVLET_PARAMETER_CLOSE_IDLE_SESSIONS, "true");
        // Vaadin closes idle sessions when a heartbeat finds them idle: beat often enough that a session ends within
        // a third of its timeout after it timed out (Vaadin's default beat is every 5 minutes)
        vaadin.setInitParameter(InitParameters.SERVLET_PARAMETER_HEARTBEAT_INTERVAL,
                String.valueOf(Math.clamp(config.sessionTimeout().toSeconds() / 3, 1, 300)));
        vaadin.setAsyncSupported(true);
        handler.addServlet(vaadin, "/*");

        Set<Class<?>> classes = vaadinClasses();
        for (ServletContainerInitializer initializer : vaadinInitializers()) {
            handler.addServletContainerInitializer(initializer, handledBy(initializer, classes));
        }
        // @Push needs a WebSocket container, or Atmosphere finds none and the page never updates
        JakartaWebSocketServletContainerInitializer.configure(handler, null);
        return handler;
    }

    private SessionHandler sessions() {
        SessionHandler sessions = new SessionHandler();
        sessions.setHttpOnly(true);
        sessions.setSameSite(HttpCookie.SameSite.STRICT);
        sessions.setMaxInactiveInterval((int) config.sessionTimeout().toSeconds());
        sessions.setSessionCookie("MONTAGE_CONSOLE");
        return sessions;
    }

    /**
     * What Vaadin's initializers would find by scanning: the console's views and app shell (Micronaut beans), the
     * instantiator factory, and the lookup's own initializer, without which Vaadin's lookup does not start.
     */
    private Set<Class<?>> vaadinClasses() {
        Set<Class<?>> classes = new HashSet<>();
        for (BeanDefinition<?> bean : beans.getAllBeanDefinitions()) {
            Class<?> type = bean.getBeanType();
            if (type.getName().startsWith(CONSOLE_PACKAGE)
                    && (Component.class.isAssignableFrom(type) || AppShellConfigurator.class.isAssignableFrom(type))) {
                classes.add(type);
            }
        }
        classes.add(LookupInitializer.class);
        classes.add(MicronautInstantiatorFactory.class);
        return classes;
    }

    /**
     * The classes a servlet container would hand this initializer: those its {@link HandlesTypes} names, their
     * subtypes, and the classes annotated with them (each initializer trusts that it gets nothing else).
     */
    private static Class<?>[] handledBy(ServletContainerInitializer initializer, Set<Class<?>> classes) {
        HandlesTypes handles = initializer.getClass().getAnnotation(HandlesTypes.class);
        List<Class<?>> types = handles == null ? List.of() : List.of(handles.value());
        return classes.stream().filter(c -> types.stream().anyMatch(t -> t.isAnnotation()
                        ? c.isAnnotationPresent(t.asSubclass(Annotation.class)) : t.isAssignableFrom(c)))
                .toArray(Class<?>[]::new);
    }

    /** Vaadin's servlet container initializers, the lookup first (the others wait for it). */
    private static List<ServletContainerInitializer> vaadinInitializers() {
        List<ServletContainerInitializer> initializers = new ArrayList<>();
        for (ServletContainerInitializer initializer : ServiceLoader.load(ServletContainerInitializer.class)) {
            if (initializer.getClass().getName().startsWith("com.vaadin.")) {
                initializers.add(initializer);
            }
        }
        initializers.sort((a, b) -> Boolean.compare(!isLookup(a), !isLookup(b)));
        return initializers;
    }

    private static boolean isLookup(ServletContainerInitializer initializer) {
        return initializer instanceof com.vaadin.flow.server.startup.LookupServletContainerInitializer;
    }

    /**
     * Every jar's META-INF/resources as one web root, as a servlet container serves them from WEB-INF/lib: Lumo's
     * CSS and the push client live there.
     */
    private static Resource webResources(ServletContextHandler handler) {
        ResourceFactory factory = ResourceFactory.of(handler);
        List<Resource> roots = new ArrayList<>();
        try {
            for (URL root : Collections.list(ConsoleServer.class.getClassLoader().getResources("META-INF/resources"))) {
                roots.add(factory.newResource(root.toURI()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return ResourceFactory.combine(roots);
    }
}
