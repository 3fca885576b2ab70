package io.montage.console.navigation;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import io.micronaut.context.annotation.Prototype;
import io.montage.console.access.LoginView;
import io.montage.console.access.Operator;
import io.montage.console.access.SignIn;
import io.montage.console.access.SignedIn;

/** The frame around every view: the navigation, who is signed in, signing out; signed-out visitors go to login. */
@Prototype
public class MainLayout extends AppLayout implements BeforeEnterObserver {

    private final Span operator = new Span();

    public MainLayout(SignIn signIn) {
        Span title = new Span("Montage console");
        title.getStyle().set("font-weight", "600");
        operator.setId("operator");
        Button signOut = new Button("Sign out", e -> {
            signIn.signOut();
            e.getSource().getUI().ifPresent(ui -> ui.getPage().setLocation("login"));
        });
        signOut.setId("sign-out");
        signOut.addThemeVariants(ButtonVariant.TERTIARY);
        HorizontalLayout bar = new HorizontalLayout(title, operator, signOut);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        bar.setFlexGrow(1, title);
        bar.setWidthFull();
        bar.getStyle().set("padding-right", "var(--lumo-space-m)");
        addToNavbar(new DrawerToggle(), bar);
        addToDrawer(navigation());
    }

    private static SideNav navigation() {
        SideNav nav = new SideNav();
        nav.addItem(item("Dashboard", ""), item("Tenants", "tenants"), item("Models", "models"), item("Jobs", "jobs"),
                item("Collections and search", "collections"), item("Datasets", "datasets"),
                item("Evaluation runs", "evaluations"),
                item("Audit log", "audit"));
        return nav;
    }

    private static SideNavItem item(String label, String path) {
        SideNavItem item = new SideNavItem(label, path);
        item.setId("nav-" + (path.isEmpty() ? "dashboard" : path));
        return item;
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        SignedIn.current().ifPresentOrElse(this::show, () -> event.forwardTo(LoginView.class));
    }

    private void show(Operator signedIn) {
        operator.setText(signedIn.username() + " (" + signedIn.role() + ")");
    }
}
