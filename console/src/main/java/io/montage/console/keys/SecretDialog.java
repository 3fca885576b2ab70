package io.montage.console.keys;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.clipboard.Clipboard;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextField;
import io.montage.apikeys.CreatedApiKey;

/**
 * The one time a key's secret is shown: the database keeps only its hash, so closing this dialog loses it for
 * good. The secret lives in this dialog only; nothing else in the session holds it.
 */
class SecretDialog extends Dialog {

    SecretDialog(CreatedApiKey created) {
        setHeaderTitle("API key " + created.apiKey().name() + " created");
        setCloseOnOutsideClick(false);
        Paragraph warning = new Paragraph("Copy this key now. It is shown this once: Montage stores only its hash "
                + "and cannot show it again. Lost it? Revoke it and create another.");
        warning.setId("new-key-warning");
        warning.getStyle().set("color", "var(--lumo-error-text-color)");
        TextField secret = new TextField("Key");
        secret.setId("new-key-secret");
        secret.setValue(created.secret());
        secret.setReadOnly(true);
        secret.setWidth("38em");
        Button copy = new Button("Copy");
        copy.setId("copy-key");
        Clipboard.onClick(copy).writeText(created.secret());
        Button close = new Button("I have stored it", e -> close());
        close.setId("close-secret");
        close.addThemeVariants(ButtonVariant.PRIMARY);
        add(warning, secret);
        getFooter().add(copy, close);
        addDialogCloseActionListener(e -> close());
        addOpenedChangeListener(e -> {
            if (!e.isOpened()) {
                secret.clear();
                removeFromParent();
            }
        });
    }
}
