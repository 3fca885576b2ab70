package io.montage.console.models;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.component.upload.UploadFormat;
import com.vaadin.flow.server.Command;
import io.montage.console.access.AdminActions;
import io.montage.console.access.Feedback;
import io.montage.console.access.Operator;
import io.montage.console.access.SignedIn;
import io.montage.console.live.BackgroundWork;
import io.montage.console.navigation.Format;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Registering a bundle: from a path on the console's machine or an http(s) URL, or uploaded. The registration
 * (a download, unpacking, checksums of up to {@code max-bundle-bytes}) never runs on the UI thread: a path or URL
 * on {@link BackgroundWork}, an upload on its own request while it streams in. What is under way is listed here,
 * and each ends with a notification pushed to the operator.
 */
final class BundleRegistration extends HorizontalLayout {

    private final ModelRegistry registry;
    private final AdminActions actions;
    private final BackgroundWork work;
    /** Read now, on the UI thread: the registrations run where there is no session to ask. */
    private final Optional<Operator> operator = SignedIn.current();
    private final UI ui = UI.getCurrent();
    private final List<String> underWay = new ArrayList<>();
    private final Span registering = new Span();

    BundleRegistration(ModelRegistry registry, AdminActions actions, BackgroundWork work, long maxBundleBytes) {
        this.registry = registry;
        this.actions = actions;
        this.work = work;
        registering.setId("registering");
        registering.getStyle().set("color", "var(--lumo-secondary-text-color)");
        TextField source = new TextField("Bundle to register");
        source.setHelperText("a directory, .zip or .tar.gz on the console's machine, or an http(s) URL");
        source.setId("model-source");
        source.setWidth("36em");
        Button register = new Button("Register", e -> {
            String from = source.getValue().strip();
            if (work.start(() -> register("bundle " + from, () -> registry.register(from)))) {
                source.clear();
            }
        });
        register.setId("register-model");
        register.addThemeVariants(ButtonVariant.PRIMARY);
        add(source, register, upload(maxBundleBytes), registering);
        setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        setAlignSelf(FlexComponent.Alignment.CENTER, registering);
    }

    private Upload upload(long maxBundleBytes) {
        Upload upload = new Upload(event -> {
            String source = ModelRegistry.uploadSource(event.getFileName());
            if (!register("bundle " + source,
                    () -> registry.registerUpload(event.getInputStream(), event.getFileName()))) {
                event.reject("not registered: the notification says why");
            }
        });
        upload.setId("model-upload");
        upload.setUploadFormat(UploadFormat.RAW); // the request body is the file, read as it arrives
        // The browser refuses a larger file before sending any of it (setMaxFileSize takes an int; bundles may be
        // bigger). A hostile client ignores this: the registry counts what arrives and stops at the limit anyway.
        upload.getElement().setProperty("maxFileSize", (double) maxBundleBytes);
        upload.setUploadButton(new Button("Upload a bundle…"));
        String limit = Format.bytes(maxBundleBytes);
        upload.setDropLabel(new Span(".zip or .tar.gz, up to " + limit));
        upload.addFileRejectedListener(e -> Feedback.error(e.getFileName() + " was not sent: " + e.getErrorMessage()
                + " A bundle may have up to " + limit + " (montage.models.max-bundle-bytes)."));
        return upload;
    }

    /**
     * Runs a registration for the operator on this thread, never the UI's, listed as under way meanwhile; true if
     * it registered. Either way the operator is told by server push.
     */
    private boolean register(String target, Supplier<Model> registration) {
        push(() -> underWay(target, true));
        try {
            Model model = actions.performAs(operator, "model.register", target, null, registration);
            push(() -> {
                underWay(target, false);
                Feedback.done(model.reference() + " is registered (" + model.status().wireName()
                        + "): a worker runs its smoke inference before it serves.");
            });
            return true;
        } catch (RuntimeException refused) {
            push(() -> {
                underWay(target, false);
                Feedback.refused(refused);
            });
            return false;
        }
    }

    private void underWay(String target, boolean started) {
        if (started) {
            underWay.add(target);
        } else {
            underWay.remove(target);
        }
        registering.setText(underWay.isEmpty() ? "" : "Fetching and verifying " + String.join(", ", underWay) + "…");
    }

    /** The operator may have closed the page meanwhile: then there is no one to tell, and the audit log has it. */
    private void push(Command command) {
        try {
            ui.access(command);
        } catch (UIDetachedException closed) {
            // nothing to show it in
        }
    }
}
