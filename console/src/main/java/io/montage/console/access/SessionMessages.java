package io.montage.console.access;

import com.vaadin.flow.server.CustomizedSystemMessages;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import io.montage.console.ConsoleConfig;
import jakarta.inject.Singleton;

/** What a browser whose session timed out is told (instead of Vaadin's generic text), and where it goes next. */
@Singleton
public class SessionMessages implements VaadinServiceInitListener {

    private final ConsoleConfig config;

    public SessionMessages(ConsoleConfig config) {
        this.config = config;
    }

    @Override
    public void serviceInit(ServiceInitEvent event) {
        CustomizedSystemMessages messages = new CustomizedSystemMessages();
        messages.setSessionExpiredNotificationEnabled(true);
        messages.setSessionExpiredCaption("Your session has ended");
        messages.setSessionExpiredMessage("You were signed out after " + describe() + " without activity. "
                + "Click here or press Esc to sign in again.");
        messages.setSessionExpiredURL("login");
        event.getSource().setSystemMessagesProvider(info -> messages);
    }

    private String describe() {
        long seconds = config.sessionTimeout().toSeconds();
        return seconds % 60 == 0 ? seconds / 60 + " minutes" : seconds + " seconds";
    }
}
