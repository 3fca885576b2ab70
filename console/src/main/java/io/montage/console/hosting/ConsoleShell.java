package io.montage.console.hosting;

import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.shared.communication.PushMode;
import com.vaadin.flow.shared.ui.Transport;
import com.vaadin.flow.theme.lumo.Lumo;
import jakarta.inject.Singleton;

/**
 * The page every view lives in: Lumo (Vaadin 25 applies no theme by itself) and server push. Messages from the
 * browser go over plain requests (WEBSOCKET_XHR), so signing in can change the session id in a response's cookie;
 * updates come back over the WebSocket.
 */
@Singleton
@Push(value = PushMode.AUTOMATIC, transport = Transport.WEBSOCKET_XHR)
@StyleSheet(Lumo.STYLESHEET)
public class ConsoleShell implements AppShellConfigurator {
}
