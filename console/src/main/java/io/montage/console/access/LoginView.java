package io.montage.console.access;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinServletRequest;
import io.micronaut.context.annotation.Prototype;

/** The only page a signed-out browser can reach. */
@Prototype
@Route("login")
@PageTitle("Sign in · Montage console")
public class LoginView extends VerticalLayout implements BeforeEnterObserver {

    private final SignIn signIn;
    private final TextField username = new TextField("Username");
    private final PasswordField password = new PasswordField("Password");
    private final Paragraph error = new Paragraph();

    public LoginView(SignIn signIn) {
        this.signIn = signIn;
        username.setId("username");
        password.setId("password");
        username.setAutofocus(true);
        error.setId("login-error");
        error.getStyle().set("color", "var(--lumo-error-text-color)");
        error.setVisible(false);
        Button submit = new Button("Sign in", e -> submit());
        submit.setId("sign-in");
        submit.addThemeVariants(ButtonVariant.PRIMARY);
        submit.addClickShortcut(Key.ENTER);
        setSizeFull();
        setAlignItems(Alignment.CENTER);
        setJustifyContentMode(JustifyContentMode.CENTER);
        add(new H1("Montage console"), username, password, error, submit);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (SignedIn.current().isPresent()) {
            event.forwardTo("");
        }
    }

    private void submit() {
        VaadinRequest request = VaadinRequest.getCurrent();
        var refused = signIn.attempt(username.getValue(), password.getValue(), request.getRemoteAddr());
        password.clear();
        if (refused.isPresent()) {
            error.setText(refused.get());
            error.setVisible(true);
            return;
        }
        // a new session id once signed in: an id planted before (session fixation) is worth nothing
        if (request instanceof VaadinServletRequest servlet) {
            servlet.getHttpServletRequest().changeSessionId();
        }
        getUI().ifPresent(ui -> ui.navigate(""));
    }
}
