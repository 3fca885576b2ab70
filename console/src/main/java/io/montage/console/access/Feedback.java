package io.montage.console.access;

import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import io.montage.errors.MontageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What an operator sees after a change: a short confirmation, or what went wrong and what to do. */
public final class Feedback {

    private static final Logger LOG = LoggerFactory.getLogger(Feedback.class);

    private Feedback() {
    }

    /** Runs a change from a view; a refusal becomes an error notification instead of Vaadin's error page. */
    public static boolean attempt(Runnable change) {
        try {
            change.run();
            return true;
        } catch (RuntimeException e) {
            refused(e);
            return false;
        }
    }

    /** Says why a change failed: the refusal's own words and code, never a server's internals. */
    public static void refused(RuntimeException failure) {
        switch (failure) {
            case NotPermitted e -> error(e.getMessage());
            case MontageException e -> error(e.getMessage() + " (" + e.code() + ")");
            default -> {
                LOG.error("console action failed", failure);
                error("Something went wrong on the server; the console's log has the details.");
            }
        }
    }

    public static void done(String message) {
        show(message, NotificationVariant.SUCCESS);
    }

    public static void error(String message) {
        show(message, NotificationVariant.ERROR);
    }

    private static void show(String message, NotificationVariant variant) {
        Notification notification = Notification.show(message, variant == NotificationVariant.ERROR ? 8000 : 3000,
                Notification.Position.TOP_CENTER);
        notification.addThemeVariants(variant);
    }
}
