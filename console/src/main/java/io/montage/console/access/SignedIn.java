package io.montage.console.access;

import com.vaadin.flow.server.VaadinSession;

import java.util.Optional;

/** The operator of the current browser session, kept in the Vaadin session (so it ends with it). */
public final class SignedIn {

    private SignedIn() {
    }

    public static Optional<Operator> current() {
        VaadinSession session = VaadinSession.getCurrent();
        return session == null ? Optional.empty() : Optional.ofNullable(session.getAttribute(Operator.class));
    }

    static void set(Operator operator) {
        VaadinSession.getCurrent().setAttribute(Operator.class, operator);
    }

    /** Ends the session: the next request starts a new one, signed out. */
    static void end() {
        VaadinSession session = VaadinSession.getCurrent();
        session.setAttribute(Operator.class, null);
        session.getSession().invalidate();
    }
}
